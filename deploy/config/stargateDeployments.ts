/**
 * Stargate V2's own record of its deployments, read at run time from the npm package
 * `@stargatefinance/stg-evm-v2` (deployments/<network>/<Contract>.json: address and constructor args). The address
 * book takes every Stargate address (pools, staking, rewarder) and the pools' tokens from here: nothing Stargate is
 * typed by hand. Reading these JSON records uses none of the package's code (BUSL-1.1 applies to its contracts,
 * which are never deployed by this project outside tests, the demo and the local node).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { getAddress } from "ethers";

const DEPLOYMENTS = path.resolve(
  __dirname,
  "..",
  "..",
  "node_modules",
  "@stargatefinance",
  "stg-evm-v2",
  "deployments",
);

/** The package's network folder of each chain the suite targets. */
export const STARGATE_NETWORKS: Readonly<Record<number, string>> = {
  10: "optimism-mainnet",
  8453: "base-mainnet",
  42161: "arbitrum-mainnet",
  11155420: "optsep-testnet",
  421614: "arbsep-testnet",
};

export type StargateDeployment = {
  poolUSDC: string;
  /** The USDC pool's token (constructor argument 2): Circle's USDC on mainnets, Stargate's test USDC on testnets. */
  usdc: string;
  poolNative: string;
  poolUSDT?: string;
  usdt?: string;
  staking: string;
  multiRewarder: string;
  /** The staking the rewarder was built for (its constructor argument), for consistency checks. */
  multiRewarderStaking: string;
};

type Record_ = { address: string; args?: unknown[] };

function read(network: string, name: string): Record_ | undefined {
  const file = path.join(DEPLOYMENTS, network, `${name}.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as Record_;
}

function required(network: string, name: string): Record_ {
  const record = read(network, name);
  if (record === undefined) throw new Error(`stg-evm-v2 has no ${name} deployment for ${network}.`);
  return record;
}

/** Stargate V2 on `chainId` from the package, or undefined if the package has no deployment for that chain. */
export function stargateDeployment(chainId: number): StargateDeployment | undefined {
  const network = STARGATE_NETWORKS[chainId];
  if (network === undefined || !existsSync(path.join(DEPLOYMENTS, network))) return undefined;
  const poolUSDC = required(network, "StargatePoolUSDC");
  const poolUSDT = read(network, "StargatePoolUSDT");
  const rewarder = required(network, "StargateMultiRewarder");
  return {
    poolUSDC: getAddress(poolUSDC.address),
    usdc: getAddress(String(poolUSDC.args![2])),
    poolNative: getAddress(required(network, "StargatePoolNative").address),
    poolUSDT: poolUSDT && getAddress(poolUSDT.address),
    usdt: poolUSDT && getAddress(String(poolUSDT.args![2])),
    staking: getAddress(required(network, "StargateStaking").address),
    multiRewarder: getAddress(rewarder.address),
    multiRewarderStaking: getAddress(String(rewarder.args![0])),
  };
}

/** Every address the package records for `chainId` (deployments and address-typed constructor args), lower-case. */
export function stargatePackageAddresses(chainId: number): Map<string, string> {
  const network = STARGATE_NETWORKS[chainId];
  const found = new Map<string, string>();
  if (network === undefined) return found;
  const dir = path.join(DEPLOYMENTS, network);
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".json")) continue;
    const record = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Record_;
    const name = file.replace(/\.json$/, "");
    if (typeof record.address === "string") found.set(record.address.toLowerCase(), name);
    (record.args ?? []).forEach((arg, i) => {
      if (typeof arg === "string" && /^0x[0-9a-fA-F]{40}$/.test(arg)) found.set(arg.toLowerCase(), `${name} arg ${i}`);
    });
  }
  return found;
}
