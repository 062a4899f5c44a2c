/**
 * npm run node:l2 — a local OP-Stack L2 node seeded with the suite, running until Ctrl-C.
 *
 * Starts anvil (the platform binary, so the PID stops it) with `--network optimism --chain-id 901` on
 * 127.0.0.1:8545 (L2_HOST / L2_PORT override), waits for it, clears the stale record
 * deploy/deployments/chain-901 (a fresh node has none of those contracts), deploys the test-support protocols and
 * the suite through the Ignition modules (scripts/deploy.ts -> `hardhat ignition deploy --network localL2`),
 * prints the addresses and keeps the node up. Then, in another shell: `npm run test:fork`, or
 * `npx hardhat vault:status --network localL2`.
 */
import { rmSync } from "node:fs";
import { anvilArgs, L2_CHAIN_ID, L2_URL, rpcChainId, startAnvil, waitForRpc } from "./lib/anvil";
import { deploymentDir } from "./lib/paths";
import { deploySuite } from "./deploy";

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
  console.log("  fork tests:   npm run test:fork");
  console.log("  vault status: npx hardhat vault:status --network localL2");
}

main();
