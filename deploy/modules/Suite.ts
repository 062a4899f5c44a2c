import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { CallableContractFuture, IgnitionModule } from "@nomicfoundation/ignition-core";
import { erc4626AdapterModule } from "./ERC4626Adapter";
import { redemptionQueueModule } from "./RedemptionQueue";
import { rewardsDistributorModule } from "./RewardsDistributor";
import { stakingAdapterModule } from "./StakingAdapter";
import { stargateV2AdapterModule } from "./StargateV2Adapter";
import { vaultModule } from "./Vault";
import { voteEscrowAdapterModule } from "./VoteEscrowAdapter";

type AnyModule = IgnitionModule<string, string, Record<string, CallableContractFuture<string>>>;

/**
 * The parts a vault can be wired with before its timelock is raised. Each part is a module factory taking the
 * vault's prefix (module id `<prefix><Part>`): it uses that vault's module, deploys its contract, makes its own
 * owner/curator call on the vault (`addAdapter`, `setRewardsDistributor`, ...) from the deployer, and returns
 * exactly one contract, which the vault's Suite exposes under the part's key here. ADDING A PART IS ONE LINE HERE,
 * its key in the `parts` of the vaults that use it (VAULTS below), and its parameters in deploy/config (types.ts,
 * the network files, and `planSuite` in index.ts).
 */
export const SUITE_PARTS = {
  erc4626Adapter: erc4626AdapterModule,
  stargateV2Adapter: stargateV2AdapterModule,
  stakingAdapter: stakingAdapterModule,
  voteEscrowAdapter: voteEscrowAdapterModule,
  rewardsDistributor: rewardsDistributorModule,
  redemptionQueue: redemptionQueueModule,
} satisfies Record<string, (prefix: string) => AnyModule>;

export type PartKey = keyof typeof SUITE_PARTS;

/**
 * The vaults of the suite. The prefix names every module of a vault; the main USDC vault keeps the empty prefix,
 * so its records stay `Vault#RollupVault`, `Suite#...` (what the vault:* tasks default to).
 * - usdc: bridge liquidity. ERC-4626 target + Stargate V2 pool and farm; STG/OP rewards streamed by its
 *   distributor, STG routed into the STG vault when that vault is part of the deployment.
 * - stg: governance staking of STG behind a cooldown; the staking rewards (STG, its asset) are claimed by
 *   `harvest` (which needs a distributor, also there for any other token the program may pay) and raise its share
 *   price at the next `report`; async exits through its queue.
 * - ve: VELO (Optimism) / AERO (Base) vote-escrow; rebases raise the price, fees and incentives stream.
 */
export const VAULTS = {
  usdc: {
    prefix: "",
    parts: ["erc4626Adapter", "stargateV2Adapter", "rewardsDistributor", "redemptionQueue"],
    routeTo: ["stg"],
  },
  stg: { prefix: "Stg", parts: ["stakingAdapter", "rewardsDistributor", "redemptionQueue"], routeTo: [] },
  ve: { prefix: "Ve", parts: ["voteEscrowAdapter", "rewardsDistributor", "redemptionQueue"], routeTo: [] },
} as const satisfies Record<string, { prefix: string; parts: readonly PartKey[]; routeTo: readonly string[] }>;

export type VaultId = keyof typeof VAULTS;
export const VAULT_IDS = Object.keys(VAULTS) as VaultId[];

export type SuiteOptions = {
  /**
   * Hand ownership to the `owner` parameter at the end. Only when it differs from the deployer: `setOwner` to the
   * current owner reverts (AlreadySet). The deploy script picks the variant (deploy/modules/SuiteHandover.ts).
   */
  handOverOwnership: boolean;
};

export type VaultSuiteSpec = {
  /** Module-id prefix of the vault ("" for the main vault). */
  prefix: string;
  parts: readonly PartKey[];
  /** Prefixes of other suite vaults: each reward token equal to such a vault's asset is routed into it. */
  routes?: readonly string[];
};

const vaultSuites = new Map<string, AnyModule>();

/**
 * One vault with its parts, its roles, its reward routes, and its timelock raised last (every call before it runs
 * directly while the timelock is zero). Module id `<prefix>Suite`; the same spec gives the same module object.
 *
 * Parameters (module "<prefix>Suite"): curator, allocator, guardian, keeper, feeRecipient, skimRecipient
 * (addresses), performanceFeeBps, managementFeeBps (nonzero: setting the current value reverts), timelock (seconds,
 * nonzero), and owner when handing over.
 */
export function buildVaultSuite(spec: VaultSuiteSpec, { handOverOwnership }: SuiteOptions) {
  const key = JSON.stringify([spec.prefix, spec.parts, spec.routes ?? [], handOverOwnership]);
  const cached = vaultSuites.get(key);
  if (cached !== undefined) return cached;
  const module = buildModule(`${spec.prefix}Suite`, (m) => {
    const { vault, core, admin } = m.useModule(vaultModule(spec.prefix));

    const setCurator = m.call(vault, "setCurator", [m.getParameter<string>("curator")]);
    const setGuardian = m.call(vault, "setGuardian", [m.getParameter<string>("guardian")]);
    const setAllocator = m.call(vault, "setAllocator", [m.getParameter<string>("allocator"), true]);
    const setKeeper = m.call(vault, "setKeeper", [m.getParameter<string>("keeper"), true]);
    const setFeeRecipient = m.call(vault, "setFeeRecipient", [m.getParameter<string>("feeRecipient")]);
    const setSkimRecipient = m.call(vault, "setSkimRecipient", [m.getParameter<string>("skimRecipient")]);
    const setPerformanceFee = m.call(vault, "setPerformanceFee", [m.getParameter<number>("performanceFeeBps")], {
      after: [setFeeRecipient],
    });
    const setManagementFee = m.call(vault, "setManagementFee", [m.getParameter<number>("managementFeeBps")], {
      after: [setFeeRecipient],
    });

    const parts: Record<string, CallableContractFuture<string>> = {};
    const partModules: AnyModule[] = [];
    for (const partKey of spec.parts) {
      const part = SUITE_PARTS[partKey](spec.prefix) as AnyModule;
      const results = Object.values(m.useModule(part));
      if (results.length !== 1) throw new Error(`Suite part ${partKey} must return exactly one contract.`);
      parts[partKey] = results[0];
      partModules.push(part);
    }

    const routes = [];
    for (const target of spec.routes ?? []) {
      const distributor = parts.rewardsDistributor;
      if (distributor === undefined) throw new Error(`${spec.prefix}Suite routes rewards but has no distributor.`);
      const { core: targetVault } = m.useModule(vaultModule(target));
      const token = m.staticCall(targetVault, "asset", [], 0, { id: `${target}Asset` });
      // Owner or curator of this vault: the deployer, while it still owns it.
      // Only allowed tokens stream (issue 9.2): a token worth routing is a reward token. Other reward tokens are
      // allowed by the curator (`setAllowed`) once deployed.
      routes.push(m.call(distributor, "setAllowed", [token, true], { id: `allow${target}Asset` }));
      routes.push(m.call(distributor, "setRoute", [token, targetVault], { id: `routeTo${target}Vault` }));
    }

    const configured = [
      setCurator,
      setGuardian,
      setAllocator,
      setKeeper,
      setFeeRecipient,
      setSkimRecipient,
      setPerformanceFee,
      setManagementFee,
      ...routes,
      ...partModules,
    ];
    if (handOverOwnership) {
      // setOwner is timelocked, so it runs while the timelock is still zero. setTimelock is owner-only, so after a
      // handover raising it is the new owner's first act (the deploy script says so loudly).
      m.call(vault, "setOwner", [m.getParameter<string>("owner")], { after: configured });
    } else {
      // Last: from here on every risk-raising change waits the timelock.
      m.call(vault, "setTimelock", [m.getParameter<bigint>("timelock")], { after: configured });
    }
    return { vault, core, admin, ...parts };
  });
  vaultSuites.set(key, module as AnyModule);
  return module as AnyModule;
}

/** The vault suites of `vaults`, with the routes between the vaults that are present. */
export function vaultSuiteSpecs(vaults: readonly VaultId[]): Record<VaultId, VaultSuiteSpec> {
  const specs = {} as Record<VaultId, VaultSuiteSpec>;
  for (const id of vaults) {
    const { prefix, parts, routeTo } = VAULTS[id];
    const routes = (routeTo as readonly VaultId[]).filter((to) => vaults.includes(to)).map((to) => VAULTS[to].prefix);
    specs[id] = { prefix, parts, routes };
  }
  return specs;
}

/** The key under which the whole-suite module exposes a vault's contract: `vault` for the main one, `stgVault`... */
export function suiteKey(id: VaultId, key: string): string {
  const prefix = VAULTS[id].prefix;
  return prefix === "" ? key : `${id}${key[0].toUpperCase()}${key.slice(1)}`;
}

/**
 * The whole suite on one chain: the shared VaultAdmin and every vault of `vaults` with its parts (module id
 * "FullSuite"). Its results are the main vault's under their plain keys (`vault`, `stargateV2Adapter`, ...) and
 * the others' under `suiteKey` (`stgVault`, `stgStakingAdapter`, `veRewardsDistributor`, ...).
 */
export function buildFullSuite(vaults: readonly VaultId[], options: SuiteOptions) {
  const specs = vaultSuiteSpecs(vaults);
  return buildModule(options.handOverOwnership ? "FullSuiteHandover" : "FullSuite", (m) => {
    const out: Record<string, CallableContractFuture<string>> = {};
    for (const id of vaults) {
      const results = m.useModule(buildVaultSuite(specs[id], options));
      for (const [key, future] of Object.entries(results)) out[suiteKey(id, key)] = future;
    }
    return out;
  });
}

/**
 * The vaults the CLI entry modules deploy: SUITE_VAULTS (comma list of usdc, stg, ve), set by scripts/deploy.ts
 * from the network's config; every vault when unset.
 */
export function vaultsFromEnv(): VaultId[] {
  const raw = process.env.SUITE_VAULTS;
  if (!raw) return VAULT_IDS;
  const ids = raw.split(",").map((s) => s.trim());
  for (const id of ids) if (!(id in VAULTS)) throw new Error(`SUITE_VAULTS: unknown vault "${id}".`);
  return ids as VaultId[];
}

const SuiteModule = buildFullSuite(vaultsFromEnv(), { handOverOwnership: false });
export default SuiteModule;
