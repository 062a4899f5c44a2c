import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseUnits } from "ethers";
import arbitrum from "./arbitrum";
import arbitrumSepolia from "./arbitrumSepolia";
import base from "./base";
import baseSepolia from "./baseSepolia";
import hardhat from "./hardhat";
import localL2 from "./localL2";
import optimism from "./optimism";
import opSepolia from "./opSepolia";
import { isSkipped, type NetworkConfig, type ProtocolRef, type RolesConfig, type TestSupportContract } from "./types";

export type { NetworkConfig, ProtocolRef, RolesConfig, TestSupportContract, VaultConfig } from "./types";
export { isSkipped } from "./types";
export { ADDRESSES, addressBook } from "./addresses";

/** Every network the suite knows, by Hardhat network name. */
export const NETWORKS: Readonly<Record<string, NetworkConfig>> = {
  hardhat,
  localL2,
  opSepolia,
  baseSepolia,
  arbitrumSepolia,
  optimism,
  base,
  arbitrum,
};

export function networkConfig(name: string): NetworkConfig {
  const config = NETWORKS[name];
  if (config === undefined) {
    throw new Error(`No deploy config for network "${name}". Known: ${Object.keys(NETWORKS).join(", ")}.`);
  }
  return config;
}

export function networkConfigByChainId(chainId: number): NetworkConfig | undefined {
  return Object.values(NETWORKS).find((c) => c.chainId === chainId);
}

/** The test-support contracts a config relies on (empty on a network with every real protocol). */
export function testSupportNeeds(config: NetworkConfig): TestSupportContract[] {
  const { stargate, stgVault, veVault } = config;
  const refs = [config.vault.asset, config.erc4626Adapter.target, stargate.pool, stargate.staking, stargate.weth];
  if (!isSkipped(stgVault)) refs.push(stgVault.asset, stgVault.adapter.staking);
  if (!isSkipped(veVault)) {
    refs.push(veVault.asset, veVault.adapter.escrow, veVault.adapter.voter, veVault.adapter.rebaseDistributor);
  }
  return [...new Set(refs.flatMap((r) => (r.kind === "testSupport" ? [r.contract] : [])))];
}

/** The suite's vaults (deploy/modules/Suite.ts VAULTS): the main USDC vault, the STG vault, the vote-escrow vault. */
export type VaultId = "usdc" | "stg" | "ve";

/** The vaults `config`'s network gets, and why the others are skipped there. */
export function suiteVaults(config: NetworkConfig): { vaults: VaultId[]; skipped: string[] } {
  const vaults: VaultId[] = ["usdc"];
  const skipped: string[] = [];
  if (isSkipped(config.stgVault)) skipped.push(`STG staking vault skipped: ${config.stgVault.skip}`);
  else vaults.push("stg");
  if (isSkipped(config.veVault)) skipped.push(`vote-escrow vault skipped: ${config.veVault.skip}`);
  else vaults.push("ve");
  return { vaults, skipped };
}

/** The test-support contract id of a record key of TestSupport or StargateTestSupport, or undefined. */
export function testSupportId(key: string): TestSupportContract | undefined {
  for (const prefix of ["TestSupport#", "StargateTestSupport#"]) {
    if (key.startsWith(prefix)) return key.slice(prefix.length) as TestSupportContract;
  }
  return undefined;
}

/** Addresses of the deployed TestSupport module, by contract ("Asset6" -> 0x...). */
export type TestSupportAddresses = Partial<Record<TestSupportContract, string>>;

export function resolveRef(ref: ProtocolRef, testSupport: TestSupportAddresses, what: string): string {
  switch (ref.kind) {
    case "real":
      return ref.address;
    case "testSupport": {
      const address = testSupport[ref.contract];
      if (address === undefined) throw new Error(`${what}: TestSupport#${ref.contract} is not deployed yet.`);
      return address;
    }
    case "fromEnv": {
      const address = process.env[ref.env];
      if (address === undefined || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
        throw new Error(`${what}: set ${ref.env} to its address (${ref.why}).`);
      }
      return address;
    }
  }
}

/** Role holders with the deployer filling the unset ones, and which roles were left to the deployer. */
export function resolveRoles(
  roles: RolesConfig,
  deployer: string,
): { roles: Required<RolesConfig>; defaulted: string[] } {
  const names = ["owner", "curator", "allocator", "guardian", "keeper", "feeRecipient", "skimRecipient"] as const;
  const resolved = {} as Required<RolesConfig>;
  const defaulted: string[] = [];
  for (const name of names) {
    resolved[name] = roles[name] ?? deployer;
    if (roles[name] === undefined) defaulted.push(name);
  }
  return { roles: resolved, defaulted };
}

export type SuitePlan = {
  /** Ignition parameters for deploy/modules/Suite.ts (or SuiteHandover.ts), keyed by module id. */
  parameters: Record<string, Record<string, string | number | boolean>>;
  /** The vaults to deploy (SUITE_VAULTS for the entry modules). */
  vaults: VaultId[];
  /** Vaults this network cannot have, and why (printed by the deploy script). */
  skipped: string[];
  /** Whether the owner differs from the deployer, so SuiteHandover.ts must be used. */
  handOver: boolean;
  /** Loud warnings the deploy script prints (test-support stand-ins, roles left to the deployer). */
  warnings: string[];
};

/** Ignition writes bigints in parameter files as strings ending in "n". */
const big = (value: bigint) => `${value}n`;

/**
 * Builds the Ignition parameters of the suite on `config`'s network. Throws with a clear message on a config
 * the vault would refuse (zero fee or timelock) or a live network with a role left to the deployer.
 */
export function planSuite(
  config: NetworkConfig,
  deployer: string,
  testSupport: TestSupportAddresses = {},
  roleOverrides: RolesConfig = {},
): SuitePlan {
  const { vault, erc4626Adapter, stargate, stgVault, veVault } = config;
  for (const v of [vault, stgVault, veVault]) {
    if (isSkipped(v)) continue;
    if (v.timelock <= 0) throw new Error(`${config.network}: vault.timelock must be nonzero.`);
    if (v.performanceFeeBps <= 0 || v.managementFeeBps <= 0) {
      throw new Error(`${config.network}: fees must be nonzero (the vault refuses to set a value it already has).`);
    }
  }
  const { vaults, skipped } = suiteVaults(config);
  const warnings: string[] = [];
  const needs = testSupportNeeds(config);
  if (needs.length > 0) {
    if (config.kind === "mainnet") throw new Error(`${config.network}: test-support contracts on a mainnet.`);
    warnings.push(
      `${config.network} (${config.chainId}) has no real protocol for ${needs.join(", ")}: ` +
        `the suite runs over TEST-SUPPORT stand-ins (open-mint tokens). Never send real funds to it.`,
    );
  }
  const { roles, defaulted } = resolveRoles({ ...config.roles, ...roleOverrides }, deployer);
  if (defaulted.length > 0) {
    const message = `${config.network}: roles left to the deployer ${deployer}: ${defaulted.join(", ")}`;
    if (config.kind === "mainnet") throw new Error(`${message}. Set every role for a live network.`);
    warnings.push(message);
  }
  const handOver = roles.owner.toLowerCase() !== deployer.toLowerCase();
  if (handOver) {
    warnings.push(
      `ownership goes to ${roles.owner}; the timelock stays ZERO until that owner calls ` +
        `setTimelock(${vault.timelock}) on the vault: make it their first act.`,
    );
  }
  const suite: Record<string, string | number> = {
    curator: roles.curator,
    allocator: roles.allocator,
    guardian: roles.guardian,
    keeper: roles.keeper,
    feeRecipient: roles.feeRecipient,
    skimRecipient: roles.skimRecipient,
    performanceFeeBps: vault.performanceFeeBps,
    managementFeeBps: vault.managementFeeBps,
    timelock: big(BigInt(vault.timelock)),
  };
  if (handOver) suite.owner = roles.owner;
  const ref = (r: ProtocolRef, what: string) => resolveRef(r, testSupport, what);
  const parameters: SuitePlan["parameters"] = {
    Vault: { asset: ref(vault.asset, "vault.asset"), name: vault.name, symbol: vault.symbol },
    ERC4626Adapter: {
      target: ref(erc4626Adapter.target, "erc4626Adapter.target"),
      absoluteCap: big(parseUnits(erc4626Adapter.absoluteCap, vault.decimals)),
      relativeCapBps: erc4626Adapter.relativeCapBps,
    },
    StargateV2Adapter: {
      pool: ref(stargate.pool, "stargate.pool"),
      staking: ref(stargate.staking, "stargate.staking"),
      weth: ref(stargate.weth, "stargate.weth"),
      absoluteCap: big(parseUnits(stargate.absoluteCap, vault.decimals)),
      relativeCapBps: stargate.relativeCapBps,
    },
    RewardsDistributor: { rewardPeriod: big(BigInt(config.rewards.rewardPeriod)) },
    Suite: suite,
  };
  const vaultSuite = (v: { timelock: number; performanceFeeBps: number; managementFeeBps: number }) => ({
    ...suite,
    performanceFeeBps: v.performanceFeeBps,
    managementFeeBps: v.managementFeeBps,
    timelock: big(BigInt(v.timelock)),
  });
  if (!isSkipped(stgVault)) {
    const a = stgVault.adapter;
    parameters.StgVault = {
      asset: ref(stgVault.asset, "stgVault.asset"),
      name: stgVault.name,
      symbol: stgVault.symbol,
    };
    parameters.StgStakingAdapter = {
      staking: ref(a.staking, "stgVault.adapter.staking"),
      hasCooldown: a.hasCooldown,
      absoluteCap: big(parseUnits(a.absoluteCap, stgVault.decimals)),
      relativeCapBps: a.relativeCapBps,
    };
    parameters.StgRewardsDistributor = { rewardPeriod: big(BigInt(stgVault.rewards.rewardPeriod)) };
    parameters.StgSuite = vaultSuite(stgVault);
  }
  if (!isSkipped(veVault)) {
    const a = veVault.adapter;
    parameters.VeVault = { asset: ref(veVault.asset, "veVault.asset"), name: veVault.name, symbol: veVault.symbol };
    parameters.VeVoteEscrowAdapter = {
      escrow: ref(a.escrow, "veVault.adapter.escrow"),
      voter: ref(a.voter, "veVault.adapter.voter"),
      rebaseDistributor: ref(a.rebaseDistributor, "veVault.adapter.rebaseDistributor"),
      permanent: a.permanent,
      absoluteCap: big(parseUnits(a.absoluteCap, veVault.decimals)),
      relativeCapBps: a.relativeCapBps,
    };
    parameters.VeRewardsDistributor = { rewardPeriod: big(BigInt(veVault.rewards.rewardPeriod)) };
    parameters.VeSuite = vaultSuite(veVault);
  }
  return { handOver, warnings, parameters, vaults, skipped };
}

/** Where the parameters file of `network` is written (generated, not committed). */
export function parametersPath(network: string): string {
  return path.join(__dirname, "..", "parameters", `${network}.json`);
}

/** Writes the plan's Ignition parameters JSON for `network` and returns its path. */
export function writeIgnitionParameters(network: string, plan: SuitePlan): string {
  const file = parametersPath(network);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(plan.parameters, null, 2) + "\n");
  return file;
}

/** Converts Ignition file parameters ("123n") to the values `ignition.deploy` takes in-process. */
export function toInProcessParameters(
  parameters: SuitePlan["parameters"],
): Record<string, Record<string, string | number | bigint | boolean>> {
  const out: Record<string, Record<string, string | number | bigint | boolean>> = {};
  for (const [module, values] of Object.entries(parameters)) {
    out[module] = {};
    for (const [key, value] of Object.entries(values)) {
      out[module][key] = typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value;
    }
  }
  return out;
}
