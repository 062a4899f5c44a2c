/**
 * The suite deployed through the same Ignition modules inside a Hardhat runtime (the in-process network, or a
 * fork of a node): the fixture of the task tests, the demo and the fork tests. Takes `hre` rather than importing
 * "hardhat", so the tasks (loaded by hardhat.config.ts) may use it too.
 *
 * `connectSuite` turns the addresses of a deployed suite (from an in-process deployment, or from Ignition's record
 * deploy/deployments/chain-<id>/deployed_addresses.json via `suiteAddressesFromRecord`) into typed contracts.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractRunner } from "ethers";
import {
  ERC4626Adapter__factory,
  IRollupVault__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  MockGauge__factory,
  MockRebaseDistributor__factory,
  MockStakingRewards__factory,
  MockVoter__factory,
  MockVotingEscrow__factory,
  MockVotingReward__factory,
  MockWETH__factory,
  CreditMessaging__factory,
  LPToken__factory,
  StargateMultiRewarder__factory,
  StargatePoolUSDC__factory,
  StargateStaking__factory,
  RedemptionQueue__factory,
  RewardsDistributor__factory,
  StakingAdapter__factory,
  StargateV2Adapter__factory,
  VoteEscrowAdapter__factory,
  type ERC4626Adapter,
  type IRollupVault,
  type MockERC20,
  type MockERC4626Target,
} from "../typechain-types";
import {
  networkConfig,
  planSuite,
  toInProcessParameters,
  type NetworkConfig,
  type RolesConfig,
  type SuitePlan,
  type TestSupportAddresses,
  testSupportId,
  type TestSupportContract,
} from "./config";
import { LOCAL_EID, REMOTE_EID } from "../scripts/lib/stargateArtifacts";
import type { StargateLane } from "../scripts/lib/stargateFlows";
import { buildFullSuite } from "./modules/Suite";
import StargateTestSupportModule from "./modules/StargateTestSupport";

/** Addresses of a deployed suite: the shared admin, each vault's contracts, and the test-support protocols. */
export type SuiteAddresses = {
  admin: string;
  testSupport: TestSupportAddresses;
  usdc: {
    vault: string;
    erc4626Adapter: string;
    stargateV2Adapter: string;
    rewardsDistributor: string;
    redemptionQueue: string;
  };
  stg?: { vault: string; stakingAdapter: string; rewardsDistributor: string; redemptionQueue: string };
  ve?: { vault: string; voteEscrowAdapter: string; rewardsDistributor: string; redemptionQueue: string };
};

/** The results of the TestSupport and StargateTestSupport modules, by future id (keys of `TestSupportAddresses`). */
const TEST_SUPPORT_IDS: Record<string, TestSupportContract> = {
  asset6: "Asset6",
  asset18: "Asset18",
  target6: "Target6",
  target18: "Target18",
  stg: "Stg",
  op: "Op",
  velo: "Velo",
  weth: "Weth",
  stargatePool: "StargatePoolUSDC",
  stargateLp: "StargateLpUSDC",
  stargateStaking: "StargateStaking",
  stargateRewarder: "StargateRewarder",
  stargateEndpoint: "StargateEndpoint",
  stargateTokenMessaging: "StargateTokenMessaging",
  stargateCreditMessaging: "StargateCreditMessaging",
  stargateFeeLib: "StargateFeeLib",
  remoteAsset6: "RemoteAsset6",
  stargateRemotePool: "StargateRemotePoolUSDC",
  stargateRemoteEndpoint: "StargateRemoteEndpoint",
  stargateRemoteTokenMessaging: "StargateRemoteTokenMessaging",
  stargateRemoteCreditMessaging: "StargateRemoteCreditMessaging",
  stargateRemoteFeeLib: "StargateRemoteFeeLib",
  stgStaking: "StgStaking",
  votingEscrow: "VotingEscrow",
  voter: "Voter",
  rebaseDistributor: "RebaseDistributor",
  vePool: "VePool",
  gauge: "VeGauge",
  feesReward: "VeFeesReward",
  bribeReward: "VeBribeReward",
};

/** Reads a suite from Ignition's record of a chain (keys `<Module>#<future id>`); undefined if it has no suite. */
export function suiteAddressesFromRecord(record: Record<string, string>): SuiteAddresses | undefined {
  if (record["Vault#RollupVault"] === undefined) return undefined;
  const testSupport: TestSupportAddresses = {};
  for (const [key, address] of Object.entries(record)) {
    const id = testSupportId(key);
    if (id !== undefined) testSupport[id] = address;
  }
  const addresses: SuiteAddresses = {
    admin: record["VaultAdmin#VaultAdmin"],
    testSupport,
    usdc: {
      vault: record["Vault#RollupVault"],
      erc4626Adapter: record["ERC4626Adapter#ERC4626Adapter"],
      stargateV2Adapter: record["StargateV2Adapter#StargateV2Adapter"],
      rewardsDistributor: record["RewardsDistributor#RewardsDistributor"],
      redemptionQueue: record["RedemptionQueue#RedemptionQueue"],
    },
  };
  if (record["StgVault#RollupVault"] !== undefined) {
    addresses.stg = {
      vault: record["StgVault#RollupVault"],
      stakingAdapter: record["StgStakingAdapter#StakingAdapter"],
      rewardsDistributor: record["StgRewardsDistributor#RewardsDistributor"],
      redemptionQueue: record["StgRedemptionQueue#RedemptionQueue"],
    };
  }
  if (record["VeVault#RollupVault"] !== undefined) {
    addresses.ve = {
      vault: record["VeVault#RollupVault"],
      voteEscrowAdapter: record["VeVoteEscrowAdapter#VoteEscrowAdapter"],
      rewardsDistributor: record["VeRewardsDistributor#RewardsDistributor"],
      redemptionQueue: record["VeRedemptionQueue#RedemptionQueue"],
    };
  }
  return addresses;
}

/** Typed contracts of a suite, connected to `runner`. Test-support handles are for networks that use them. */
export function connectSuite(a: SuiteAddresses, runner: ContractRunner) {
  const ts = (id: TestSupportContract) => {
    const address = a.testSupport[id];
    if (address === undefined) throw new Error(`TestSupport#${id} is not deployed.`);
    return address;
  };
  const has = (id: TestSupportContract) => a.testSupport[id] !== undefined;
  const usdc = {
    vault: IRollupVault__factory.connect(a.usdc.vault, runner),
    erc4626Adapter: ERC4626Adapter__factory.connect(a.usdc.erc4626Adapter, runner),
    stargateAdapter: StargateV2Adapter__factory.connect(a.usdc.stargateV2Adapter, runner),
    distributor: RewardsDistributor__factory.connect(a.usdc.rewardsDistributor, runner),
    queue: RedemptionQueue__factory.connect(a.usdc.redemptionQueue, runner),
  };
  const stg = a.stg && {
    vault: IRollupVault__factory.connect(a.stg.vault, runner),
    adapter: StakingAdapter__factory.connect(a.stg.stakingAdapter, runner),
    distributor: RewardsDistributor__factory.connect(a.stg.rewardsDistributor, runner),
    queue: RedemptionQueue__factory.connect(a.stg.redemptionQueue, runner),
  };
  const ve = a.ve && {
    vault: IRollupVault__factory.connect(a.ve.vault, runner),
    adapter: VoteEscrowAdapter__factory.connect(a.ve.voteEscrowAdapter, runner),
    distributor: RewardsDistributor__factory.connect(a.ve.rewardsDistributor, runner),
    queue: RedemptionQueue__factory.connect(a.ve.redemptionQueue, runner),
  };
  const mocks = has("StargatePoolUSDC")
    ? {
        stg: MockERC20__factory.connect(ts("Stg"), runner),
        op: MockERC20__factory.connect(ts("Op"), runner),
        velo: MockERC20__factory.connect(ts("Velo"), runner),
        weth: MockWETH__factory.connect(ts("Weth"), runner),
        // The real Stargate V2 contracts (official bytecode) on two endpoint ids of this chain.
        stargatePool: StargatePoolUSDC__factory.connect(ts("StargatePoolUSDC"), runner),
        stargateLp: LPToken__factory.connect(ts("StargateLpUSDC"), runner),
        stargateStaking: StargateStaking__factory.connect(ts("StargateStaking"), runner),
        stargateRewarder: StargateMultiRewarder__factory.connect(ts("StargateRewarder"), runner),
        stargateCreditMessaging: CreditMessaging__factory.connect(ts("StargateCreditMessaging"), runner),
        /** The two sides of the set, for scripts/lib/stargateFlows.ts (planner credit moves, bridger taxis). */
        stargateLanes: {
          local: {
            eid: LOCAL_EID,
            pool: StargatePoolUSDC__factory.connect(ts("StargatePoolUSDC"), runner),
            token: MockERC20__factory.connect(ts("Asset6"), runner),
            creditMessaging: CreditMessaging__factory.connect(ts("StargateCreditMessaging"), runner),
          },
          remote: {
            eid: REMOTE_EID,
            pool: StargatePoolUSDC__factory.connect(ts("StargateRemotePoolUSDC"), runner),
            token: MockERC20__factory.connect(ts("RemoteAsset6"), runner),
            creditMessaging: CreditMessaging__factory.connect(ts("StargateRemoteCreditMessaging"), runner),
          },
        } satisfies { local: StargateLane; remote: StargateLane },
        stgStaking: MockStakingRewards__factory.connect(ts("StgStaking"), runner),
        votingEscrow: MockVotingEscrow__factory.connect(ts("VotingEscrow"), runner),
        voter: MockVoter__factory.connect(ts("Voter"), runner),
        rebaseDistributor: MockRebaseDistributor__factory.connect(ts("RebaseDistributor"), runner),
        vePool: ts("VePool"),
        gauge: MockGauge__factory.connect(ts("VeGauge"), runner),
        feesReward: MockVotingReward__factory.connect(ts("VeFeesReward"), runner),
        bribeReward: MockVotingReward__factory.connect(ts("VeBribeReward"), runner),
      }
    : undefined;
  return { admin: a.admin, usdc, stg, ve, mocks };
}

export type ConnectedSuite = ReturnType<typeof connectSuite>;

export type InProcessSuite = ConnectedSuite & {
  /** The main vault (the USDC vault), its ERC-4626 adapter, asset and target: the core's fixture. */
  vault: IRollupVault;
  adapter: ERC4626Adapter;
  asset: MockERC20;
  target: MockERC4626Target;
  /** Addresses of the test-support contracts, by TestSupport future id. */
  testSupport: TestSupportAddresses;
  addresses: SuiteAddresses;
  plan: SuitePlan;
  deployer: string;
};

export type InProcessOptions = {
  /** The network config whose parameters to use (default: deploy/config/hardhat.ts). */
  config?: NetworkConfig;
  /** Role holders instead of the config's (unset roles fall back to the deployer). */
  roles?: RolesConfig;
};

/**
 * A start for the TestSupport farm that is still ahead of the block that sets it: the real MultiRewarder refuses a
 * start in the past, and the module sends about 80 transactions before (each at least one second on the in-process
 * chain; about a minute of wall clock on a node).
 */
export async function farmStartOf(hre: HardhatRuntimeEnvironment): Promise<number> {
  const latest = await hre.ethers.provider.getBlock("latest");
  return Math.max(latest!.timestamp, Math.floor(Date.now() / 1000)) + 300;
}

/**
 * Deploys the TestSupport module and the real Stargate V2 set over it (StargateTestSupport) in-process and returns
 * their addresses by future id.
 */
export async function deployTestSupport(hre: HardhatRuntimeEnvironment): Promise<TestSupportAddresses> {
  // StargateTestSupport uses TestSupport: one deployment gives both (two would deploy TestSupport twice in-process).
  const ts = (await hre.ignition.deploy(StargateTestSupportModule, {
    parameters: { StargateTestSupport: { farmStart: await farmStartOf(hre) } },
  })) as Record<string, { getAddress(): Promise<string> }>;
  const testSupport: TestSupportAddresses = {};
  for (const [key, id] of Object.entries(TEST_SUPPORT_IDS)) testSupport[id] = await ts[key].getAddress();
  return testSupport;
}

/**
 * Deploys TestSupport, then every vault of the suite the config gives the network (deploy/modules/Suite.ts
 * buildFullSuite), exactly as scripts/deploy.ts does on a node: the test-support addresses stand in for the
 * network's protocols wherever the config says so.
 */
export async function deploySuiteInProcess(
  hre: HardhatRuntimeEnvironment,
  options: InProcessOptions = {},
): Promise<InProcessSuite> {
  const config = options.config ?? networkConfig("hardhat");
  const [signer] = await hre.ethers.getSigners();
  const testSupport = await deployTestSupport(hre);
  const plan = planSuite(config, signer.address, testSupport, options.roles);
  if (plan.handOver) throw new Error("In-process suites keep the deployer as owner: leave roles.owner unset.");
  const module = buildFullSuite(plan.vaults, { handOverOwnership: false });
  const suite = (await hre.ignition.deploy(module, {
    parameters: toInProcessParameters(plan.parameters),
  })) as Record<string, { getAddress(): Promise<string> }>;
  const at = async (key: string) => suite[key].getAddress();
  const addresses: SuiteAddresses = {
    admin: await at("admin"),
    testSupport,
    usdc: {
      vault: await at("core"),
      erc4626Adapter: await at("erc4626Adapter"),
      stargateV2Adapter: await at("stargateV2Adapter"),
      rewardsDistributor: await at("rewardsDistributor"),
      redemptionQueue: await at("redemptionQueue"),
    },
  };
  if (plan.vaults.includes("stg")) {
    addresses.stg = {
      vault: await at("stgCore"),
      stakingAdapter: await at("stgStakingAdapter"),
      rewardsDistributor: await at("stgRewardsDistributor"),
      redemptionQueue: await at("stgRedemptionQueue"),
    };
  }
  if (plan.vaults.includes("ve")) {
    addresses.ve = {
      vault: await at("veCore"),
      voteEscrowAdapter: await at("veVoteEscrowAdapter"),
      rewardsDistributor: await at("veRewardsDistributor"),
      redemptionQueue: await at("veRedemptionQueue"),
    };
  }
  const connected = connectSuite(addresses, signer);
  return {
    ...connected,
    vault: connected.usdc.vault,
    adapter: connected.usdc.erc4626Adapter,
    asset: MockERC20__factory.connect(String(plan.parameters.Vault.asset), signer),
    target: MockERC4626Target__factory.connect(String(plan.parameters.ERC4626Adapter.target), signer),
    testSupport,
    addresses,
    plan,
    deployer: signer.address,
  };
}
