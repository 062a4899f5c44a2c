/**
 * npm run node:l2 — a local OP-Stack L2 node seeded with the suite, running until Ctrl-C.
 *
 * Starts anvil (the platform binary, so the PID stops it) with `--network optimism --chain-id 901` on
 * 127.0.0.1:8545. ONE setting moves everything: L2_PORT (and L2_HOST), or LOCAL_L2_RPC_URL instead (its host and
 * port are where anvil binds; both set and disagreeing is an error): see scripts/lib/local-l2.js. Waits for it, clears the stale record
 * deploy/deployments/chain-901 (a fresh node has none of those contracts), deploys the test-support protocols and
 * the suite through the Ignition modules (scripts/deploy.ts -> `hardhat ignition deploy --network localL2`),
 * prints the addresses and keeps the node up. Then, in another shell: `npm run test:fork`, or
 * `npx hardhat vault:status --network localL2`.
 */
import { rmSync } from "node:fs";
import { anvilArgs, L2_CHAIN_ID, L2_URL, rpcChainId, startAnvil, waitForRpc } from "./lib/anvil";
import { deploymentDir } from "./lib/paths";
import { deploySuite } from "./deploy";

/** The settings the operator gave (repeated in the hints: other shells need them too). */
const SETTING = ["L2_HOST", "L2_PORT", "LOCAL_L2_RPC_URL"].filter((k) => process.env[k]);

async function main(): Promise<void> {
  if ((await rpcChainId(L2_URL)) !== undefined) throw new Error(`Something already answers at ${L2_URL}.`);
  const logFile = process.env.L2_LOG ?? "anvil-l2.log";
  const anvil = startAnvil({ logFile });
  console.log(`anvil ${anvilArgs().join(" ")}  (pid ${anvil.pid}, log ${logFile})`);
  const stop = () => {
    if (anvil.exitCode === null) anvil.kill("SIGTERM");
  };
  process.on("SIGINT", () => {
    console.log("\nstopping anvil");
    stop();
    process.exit(0);
  });
  process.on("SIGTERM", () => {
    stop();
    process.exit(0);
  });
  anvil.on("exit", (code) => {
    console.error(`anvil exited (${code})`);
    process.exit(1);
  });
  // The seeding (scripts/deploy.ts and the `hardhat ignition deploy --network localL2` it spawns) reads this.
  process.env.LOCAL_L2_RPC_URL = L2_URL;
  try {
    await waitForRpc(L2_URL, L2_CHAIN_ID);
    rmSync(deploymentDir(L2_CHAIN_ID), { recursive: true, force: true });
    await deploySuite("localL2");
  } catch (error) {
    console.error(`seeding failed: ${(error as Error).message}`);
    stop();
    process.exit(1);
  }
  console.log(`\nlocal L2 up at ${L2_URL} (chain ${L2_CHAIN_ID}), seeded. Ctrl-C to stop.`);
  // Other shells need the same setting to find the node (the default needs none).
  const env = SETTING.map((k) => `${k}=${process.env[k]} `).join("");
  console.log(`  fork tests:   ${env}npm run test:fork`);
  console.log(`  vault status: ${env}npx hardhat vault:status --network localL2`);
  console.log(`  keeper:       ${env}npm run keeper -- --network localL2`);
}

main().catch((error: Error) => {
  console.error(`node:l2: ${error.message}`);
  process.exit(1);
});
