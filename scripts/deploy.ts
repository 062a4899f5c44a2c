/**
 * Deploys the suite to a network through the Ignition modules:
 *
 *   npx ts-node scripts/deploy.ts --network <name>     (npm run deploy -- --network <name>)
 *
 * 1. reads deploy/config/<name>.ts; where the network lacks a real protocol, deploys deploy/modules/TestSupport.ts
 *    first (with a LOUD warning) and uses its addresses as that network's protocol;
 * 2. writes the Ignition parameters to deploy/parameters/<name>.json;
 * 3. runs `hardhat ignition deploy deploy/modules/Suite.ts` (SuiteHandover.ts when the configured owner is not
 *    the deployer) with SUITE_VAULTS set to the vaults the network gets (usdc always; stg and ve unless the config
 *    skips them for want of a real protocol) and HARDHAT_IGNITION_CONFIRM_DEPLOYMENT=1, since Ignition otherwise asks for a confirmation
 *    on any chain but 31337, exits 0 and deploys nothing when no one answers;
 * 4. prints the addresses from deploy/deployments/chain-<id>/deployed_addresses.json.
 *
 * Secrets come from the environment only: PRIVATE_KEY, the network's RPC URL variable, ETHERSCAN_API_KEY.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import {
  isSkipped,
  networkConfig,
  planSuite,
  testSupportNeeds,
  testSupportId,
  writeIgnitionParameters,
  type NetworkConfig,
  type TestSupportAddresses,
} from "../deploy/config";
import { deployedAddressesFile, ROOT } from "./lib/paths";

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i === -1 ? undefined : process.argv[i + 1];
}

function loud(message: string): void {
  const bar = "!".repeat(100);
  console.warn(`\n${bar}\n!!! WARNING: ${message}\n${bar}\n`);
}

function rpcUrl(config: NetworkConfig): string {
  const url = config.rpc ? process.env[config.rpc.env] || config.rpc.default : undefined;
  if (!url) throw new Error(`Set ${config.rpc?.env ?? "an RPC URL"} to deploy to ${config.network}.`);
  return url;
}

async function deployerOf(config: NetworkConfig, provider: JsonRpcProvider): Promise<string> {
  if (config.kind === "local") {
    const accounts = (await provider.send("eth_accounts", [])) as string[];
    if (accounts.length === 0) throw new Error("The local node has no unlocked account.");
    return accounts[0];
  }
  const key = process.env.PRIVATE_KEY;
  if (!key) throw new Error(`Set PRIVATE_KEY to deploy to ${config.network}.`);
  return new Wallet(key.startsWith("0x") ? key : `0x${key}`).address;
}

export function ignitionDeploy(
  module: string,
  network: string,
  parameters?: string,
  env: Record<string, string> = {},
): void {
  const args = ["hardhat", "ignition", "deploy", module, "--network", network];
  if (parameters) args.push("--parameters", parameters);
  const shown = Object.entries(env).map(([k, v]) => `${k}=${v} `);
  console.log(`$ ${shown.join("")}npx ${args.join(" ")}`);
  const result = spawnSync("npx", args, {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, ...env, HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "1" },
  });
  if (result.status !== 0) throw new Error(`Ignition deploy of ${module} failed (exit ${result.status}).`);
}

/**
 * The StargateTestSupport module's parameters: `farmStart`, a few minutes after the node's clock (the real Stargate
 * MultiRewarder refuses a campaign that starts in the past). Kept in deploy/parameters/<network>.test-support.json
 * and reused while the chain's record holds the module, so that a re-run reconciles with what was deployed.
 */
async function testSupportParameters(network: string, chainId: number, provider: JsonRpcProvider): Promise<string> {
  const file = path.join(ROOT, "deploy", "parameters", `${network}.test-support.json`);
  const deployed = Object.keys(readDeployedAddresses(chainId)).some((key) => key.startsWith("StargateTestSupport#"));
  if (!deployed || !existsSync(file)) {
    const block = await provider.getBlock("latest");
    const farmStart = Math.max(block!.timestamp, Math.floor(Date.now() / 1000)) + 300;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ StargateTestSupport: { farmStart } }, null, 2)}\n`);
  }
  return file;
}

export function readDeployedAddresses(chainId: number): Record<string, string> {
  const file = deployedAddressesFile(chainId);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
}

/** Module-id prefix of each vault (deploy/modules/Suite.ts VAULTS). */
const VAULT_PREFIX: Record<string, string> = { usdc: "", stg: "Stg", ve: "Ve" };
const VAULT_TITLE: Record<string, string> = {
  usdc: "USDC bridge vault",
  stg: "STG staking vault",
  ve: "vote-escrow vault",
};

/** One block per vault: the vault and each of its parts, from Ignition's record. */
function printSuite(addresses: Record<string, string>, vaults: string[], skipped: string[]): void {
  console.log("\nThe suite:");
  for (const id of vaults) {
    const prefix = VAULT_PREFIX[id];
    console.log(`  ${VAULT_TITLE[id]} (${id}): ${addresses[`${prefix}Vault#RollupVault`]}`);
    for (const part of ["ERC4626Adapter", "StargateV2Adapter", "StakingAdapter", "VoteEscrowAdapter"]) {
      const address = addresses[`${prefix}${part}#${part}`];
      if (address) console.log(`    ${part.padEnd(22)} ${address}`);
    }
    for (const [part, contract] of [
      ["RewardsDistributor", "RewardsDistributor"],
      ["RedemptionQueue", "RedemptionQueue"],
    ]) {
      const address = addresses[`${prefix}${part}#${contract}`];
      if (address) console.log(`    ${part.padEnd(22)} ${address}`);
    }
  }
  for (const note of skipped) console.log(`  ${note}`);
}

export async function deploySuite(network: string): Promise<Record<string, string>> {
  const config = networkConfig(network);
  if (config.kind === "inProcess") {
    throw new Error("The in-process network forgets everything between commands: use `npm run demo` or the tests.");
  }
  const provider = new JsonRpcProvider(rpcUrl(config), undefined, { staticNetwork: true });
  const chainId = Number((await provider.getNetwork()).chainId);
  if (chainId !== config.chainId)
    throw new Error(`${network}: RPC answers chain ${chainId}, config says ${config.chainId}.`);
  const deployer = await deployerOf(config, provider);
  console.log(`network ${network} (chain ${chainId}), deployer ${deployer}`);

  const needs = testSupportNeeds(config);
  let testSupport: TestSupportAddresses = {};
  if (needs.length > 0) {
    if (config.kind === "mainnet") throw new Error(`${network} is a mainnet: test-support contracts are refused.`);
    loud(`${network} lacks the real protocol for ${needs.join(", ")}: deploying the TEST-SUPPORT stand-ins.`);
    if (needs.some((contract) => contract.startsWith("Stargate"))) {
      // The real Stargate V2 bytecode (BUSL-1.1) over EndpointV2Mock: a local node only, never a public network.
      if (config.kind !== "local") {
        throw new Error(`${network}: the Stargate test-support set is for the local node only; use Stargate's pools.`);
      }
      ignitionDeploy(
        path.join("deploy", "modules", "StargateTestSupport.ts"),
        network,
        await testSupportParameters(network, chainId, provider),
      );
    } else {
      ignitionDeploy(path.join("deploy", "modules", "TestSupport.ts"), network);
    }
    const deployed = readDeployedAddresses(chainId);
    testSupport = {};
    for (const [key, address] of Object.entries(deployed)) {
      const id = testSupportId(key);
      if (id !== undefined) testSupport[id] = address;
    }
  }

  const plan = planSuite(config, deployer, testSupport);
  for (const warning of plan.warnings) loud(warning);
  for (const skipped of plan.skipped) console.log(`note: ${skipped}`);
  const vaultAssets: [string, string, number][] = [["Vault", "vault", config.vault.decimals]];
  if (!isSkipped(config.stgVault)) vaultAssets.push(["StgVault", "stgVault", config.stgVault.decimals]);
  if (!isSkipped(config.veVault)) vaultAssets.push(["VeVault", "veVault", config.veVault.decimals]);
  for (const [module, key, expected] of vaultAssets) {
    const asset = new Contract(
      String(plan.parameters[module].asset),
      ["function decimals() view returns (uint8)"],
      provider,
    );
    const decimals = Number(await asset.decimals());
    if (decimals !== expected) {
      throw new Error(`${network}: ${key} asset has ${decimals} decimals on chain, config says ${expected}.`);
    }
  }
  const parameters = writeIgnitionParameters(network, plan);
  console.log(`parameters written to ${path.relative(ROOT, parameters)}`);
  console.log(`vaults: ${plan.vaults.join(", ")}`);
  const module = plan.handOver ? "SuiteHandover.ts" : "Suite.ts";
  ignitionDeploy(path.join("deploy", "modules", module), network, parameters, { SUITE_VAULTS: plan.vaults.join(",") });

  const addresses = readDeployedAddresses(chainId);
  console.log(`\nDeployed on ${network} (chain ${chainId}):`);
  for (const [key, address] of Object.entries(addresses)) console.log(`  ${key.padEnd(40)} ${address}`);
  printSuite(addresses, plan.vaults, plan.skipped);
  return addresses;
}

if (require.main === module) {
  const network = argValue("--network") ?? process.env.NETWORK;
  if (!network) {
    console.error("usage: ts-node scripts/deploy.ts --network <name>");
    process.exit(2);
  }
  deploySuite(network).catch((error: Error) => {
    console.error(`deploy failed: ${error.message}`);
    process.exit(1);
  });
}
