/** Typed per-network deployment configuration. One file per network in this folder, built by `defineNetwork`. */

/** A contract of the TestSupport module (deploy/modules/TestSupport.ts). */
export type TestSupportContract =
  | "Asset6"
  | "Asset18"
  | "Target6"
  | "Target18"
  | "Stg"
  | "Op"
  | "Velo"
  | "Weth"
  | "StargatePoolUSDC"
  | "StargateStaking"
  | "StgStaking"
  | "VotingEscrow"
  | "Voter"
  | "RebaseDistributor"
  // Read or created by the module (not configurable protocol refs, but recorded under these ids):
  | "StargateLpUSDC"
  | "StargateRewarder"
  | "VePool"
  | "VeGauge"
  | "VeFeesReward"
  | "VeBribeReward"
  // The rest of the real Stargate V2 set on two endpoint ids (see deploy/modules/TestSupport.ts).
  | "LzAddressCast"
  | "RemoteAsset6"
  | "StargateEndpoint"
  | "StargateTokenMessaging"
  | "StargateCreditMessaging"
  | "StargateFeeLib"
  | "StargateRemotePoolUSDC"
  | "StargateRemoteEndpoint"
  | "StargateRemoteTokenMessaging"
  | "StargateRemoteCreditMessaging"
  | "StargateRemoteFeeLib";

/**
 * Where an external protocol contract comes from on a network: the real one, the test-support stand-in (only
 * where the real protocol does not exist; the deploy script warns loudly), or an address the operator must give
 * in the environment variable `env` (the deploy script stops with a clear message until it is set).
 */
export type ProtocolRef =
  | { kind: "real"; address: string }
  | { kind: "testSupport"; contract: TestSupportContract }
  | { kind: "fromEnv"; env: string; why: string };

/** Role holders; unset means the deployer (fine for local and test networks only: live networks must set all). */
export type RolesConfig = {
  owner?: string;
  curator?: string;
  allocator?: string;
  guardian?: string;
  keeper?: string;
  feeRecipient?: string;
  skimRecipient?: string;
};

export type NetworkKind = "inProcess" | "local" | "testnet" | "mainnet";

/** Caps of one adapter in its vault. */
export type CapsConfig = {
  /** In asset units (human: "1000000" means 1,000,000 tokens), converted with the vault asset's decimals. */
  absoluteCap: string;
  relativeCapBps: number;
};

/** A vault of the suite beyond the main one: its asset and the parameters of its vault contract. */
export type VaultConfig = {
  asset: ProtocolRef;
  name: string;
  symbol: string;
  /** The asset's decimals (checked on chain by the deploy script). */
  decimals: number;
  /** Seconds every risk-raising change waits once the suite is live; nonzero. */
  timelock: number;
  /** Nonzero (setting the current value reverts). */
  performanceFeeBps: number;
  /** Nonzero (setting the current value reverts). */
  managementFeeBps: number;
};

/** A vault the network cannot have: the real protocol is missing there (mocks never go to a mainnet). */
export type Skipped = { skip: string };

export function isSkipped<T extends object>(value: T | Skipped): value is Skipped {
  return "skip" in value;
}

export type NetworkConfig = {
  /** The Hardhat network name (`--network <name>`). */
  network: string;
  chainId: number;
  kind: NetworkKind;
  /** The environment variable holding the RPC URL, and the URL used when it is unset (local only). */
  rpc?: { env: string; default?: string };
  roles: RolesConfig;
  vault: {
    asset: ProtocolRef;
    name: string;
    symbol: string;
    /** The asset's decimals (checked on chain by the deploy script); caps below are converted with them. */
    decimals: number;
    /** Seconds every risk-raising change waits once the suite is live; nonzero. */
    timelock: number;
    /** Nonzero (setting the current value reverts). */
    performanceFeeBps: number;
    /** Nonzero (setting the current value reverts). */
    managementFeeBps: number;
  };
  erc4626Adapter: {
    target: ProtocolRef;
    /** In asset units (human: "1000000" means 1,000,000 tokens), converted with the asset's decimals. */
    absoluteCap: string;
    relativeCapBps: number;
  };
  /** The main vault's Stargate V2 leg: the USDC pool and its farm (StargateStaking), WETH for native rewards. */
  stargate: CapsConfig & { pool: ProtocolRef; staking: ProtocolRef; weth: ProtocolRef };
  /** The main vault's rewards distributor: seconds over which each harvest streams. */
  rewards: { rewardPeriod: number };
  /**
   * The STG governance-staking vault (StakingAdapter over a StakingRewards-shaped STG program, cooldown, its own
   * queue); the main vault routes its STG rewards into it. Skipped where no real program exists.
   */
  stgVault:
    | Skipped
    | (VaultConfig & {
        adapter: CapsConfig & { staking: ProtocolRef; hasCooldown: boolean };
        rewards: { rewardPeriod: number };
      });
  /** The vote-escrow vault (Velodrome on Optimism, Aerodrome on Base), with its distributor and queue. */
  veVault:
    | Skipped
    | (VaultConfig & {
        adapter: CapsConfig & {
          escrow: ProtocolRef;
          voter: ProtocolRef;
          rebaseDistributor: ProtocolRef;
          permanent: boolean;
        };
        rewards: { rewardPeriod: number };
      });
};

export function defineNetwork(config: NetworkConfig): NetworkConfig {
  return config;
}
