import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { NamedArtifactContractDeploymentFuture } from "@nomicfoundation/ignition-core";
import {
  DELIVERY_GAS,
  LOCAL_EID,
  REMOTE_EID,
  USDC_ASSET_ID,
  lzReceiveOption,
  readStargateArtifact,
} from "../../scripts/lib/stargateArtifacts";

type Builder = Parameters<Parameters<typeof buildModule>[1]>[0];
type AccountFuture = ReturnType<Builder["getAccount"]>;
type StargateSideFutures = ReturnType<typeof stargateSide>;

/**
 * One endpoint id's Stargate (official bytecode of @stargatefinance/stg-evm-v2, BUSL-1.1: local and test use only):
 * EndpointV2Mock, TokenMessaging, CreditMessaging, a StargatePoolUSDC over `token` (6 decimals) with FeeLibV1, the
 * deployer as owner, planner and treasurer. Future ids start with `prefix`.
 */
function stargateSide(
  m: Builder,
  prefix: string,
  eid: number,
  token: NamedArtifactContractDeploymentFuture<string>,
  deployer: AccountFuture,
  cast: NamedArtifactContractDeploymentFuture<string>,
) {
  const endpoint = m.contract("EndpointV2Mock", readStargateArtifact("EndpointV2Mock"), [eid], {
    id: `${prefix}Endpoint`,
  });
  const tokenMessaging = m.contract(
    "TokenMessaging",
    readStargateArtifact("TokenMessaging"),
    [endpoint, deployer, 128],
    {
      id: `${prefix}TokenMessaging`,
    },
  );
  const creditMessaging = m.contract("CreditMessaging", readStargateArtifact("CreditMessaging"), [endpoint, deployer], {
    id: `${prefix}CreditMessaging`,
  });
  const pool = m.contract(
    "StargatePoolUSDC",
    readStargateArtifact("StargatePoolUSDC"),
    ["USDC-LP", "S*USDC", token, 6, 6, endpoint, deployer],
    { id: `${prefix}PoolUSDC` },
  );
  const feeLib = m.contract("FeeLibV1", readStargateArtifact("FeeLibV1"), [pool], { id: `${prefix}FeeLib` });
  const config = m.call(
    pool,
    "setAddressConfig",
    [
      {
        feeLib,
        planner: deployer,
        treasurer: deployer,
        tokenMessaging,
        creditMessaging,
        lzToken: "0x0000000000000000000000000000000000000000",
      },
    ],
    { id: `${prefix}SetAddressConfig` },
  );
  const calls = [
    config,
    m.call(tokenMessaging, "setAssetId", [pool, USDC_ASSET_ID], { id: `${prefix}TokenAssetId` }),
    m.call(creditMessaging, "setAssetId", [pool, USDC_ASSET_ID], { id: `${prefix}CreditAssetId` }),
    m.call(tokenMessaging, "setPlanner", [deployer], { id: `${prefix}TokenPlanner` }),
    m.call(creditMessaging, "setPlanner", [deployer], { id: `${prefix}CreditPlanner` }),
  ];
  const tokenPeer = m.staticCall(cast, "toBytes32", [tokenMessaging], 0, { id: `${prefix}TokenPeerBytes` });
  const creditPeer = m.staticCall(cast, "toBytes32", [creditMessaging], 0, { id: `${prefix}CreditPeerBytes` });
  return { eid, endpoint, tokenMessaging, creditMessaging, pool, feeLib, calls, tokenPeer, creditPeer };
}

/** Wires `from` towards `to`: peers, endpoint routes, delivery gas, enforced taxi options, zero fees. */
function wireStargate(m: Builder, prefix: string, from: StargateSideFutures, to: StargateSideFutures) {
  return [
    ...from.calls,
    m.call(from.tokenMessaging, "setPeer", [to.eid, to.tokenPeer], { id: `${prefix}TokenPeer` }),
    m.call(from.creditMessaging, "setPeer", [to.eid, to.creditPeer], { id: `${prefix}CreditPeer` }),
    m.call(from.endpoint, "setDestLzEndpoint", [to.tokenMessaging, to.endpoint], { id: `${prefix}RouteToken` }),
    m.call(from.endpoint, "setDestLzEndpoint", [to.creditMessaging, to.endpoint], { id: `${prefix}RouteCredit` }),
    m.call(from.tokenMessaging, "setGasLimit", [to.eid, DELIVERY_GAS, DELIVERY_GAS], { id: `${prefix}TokenGas` }),
    m.call(
      from.tokenMessaging,
      "setEnforcedOptions",
      [[{ eid: to.eid, msgType: 1, options: lzReceiveOption(DELIVERY_GAS) }]],
      { id: `${prefix}TaxiOptions` },
    ),
    m.call(from.creditMessaging, "setGasLimit", [to.eid, DELIVERY_GAS], { id: `${prefix}CreditGas` }),
    m.call(from.feeLib, "setFeeConfig", [to.eid, 0, 0, 0, 0, 0, 0], { id: `${prefix}FeeConfig` }),
  ];
}

const DAY = 24n * 3600n;
const E18 = 10n ** 18n;

/**
 * Test-support protocols for networks that lack the real ones (the in-process network, the local L2 node, and
 * testnets whose config says so). Every contract id here is a `TestSupportContract` of deploy/config/types.ts.
 *
 * - tokens: a 6-decimal asset (tUSDC) and an 18-decimal one (tWETH) with an ERC-4626 target over each; tSTG, tOP,
 *   tVELO and a WETH9-like tWETH9 (MockWETH) for native rewards;
 * - Stargate V2, the REAL contracts (official bytecode of @stargatefinance/stg-evm-v2, BUSL-1.1: local and test
 *   use only, never deployed to a live network) on two LayerZero endpoint ids of this one chain (EndpointV2Mock):
 *   a StargatePoolUSDC over tUSDC here and one over a far-chain tUSDC, wired through TokenMessaging and
 *   CreditMessaging, the deployer as owner and planner; StargateStaking with ONE StargateMultiRewarder streaming
 *   tSTG and tOP to the local LP's stakers from `farmStart`;
 * - an STG staking program, StakingRewards-shaped with a stkAAVE-style cooldown, paying tSTG (started here);
 * - a Velodrome-like vote-escrow set over tVELO: VotingEscrow, Voter, rebase RewardsDistributor, and one gauge for a
 *   tWETH9/tUSDC pool with its fees and incentive reward contracts.
 *
 * NEVER deploy this to a mainnet: the tokens mint to anyone. The deploy script refuses to and warns loudly
 * wherever it does deploy it. The suite then treats these addresses as the external protocol of that network.
 *
 * Parameters (module "TestSupport"): farmStart (required: unix time >= the block that starts the farm; the deploy
 * computes it from the node's clock); optional stgFarmBudget, opFarmBudget (18 decimals, streamed by the
 * Stargate farm over farmDuration seconds); stgStakingReward (tSTG per staking period), stakingPeriod, cooldown,
 * unstakeWindow (seconds).
 */
const TestSupportModule = buildModule("TestSupport", (m) => {
  const deployer = m.getAccount(0);
  const asset6 = m.contract("MockERC20", ["Test USD Coin", "tUSDC", 6], { id: "Asset6" });
  const asset18 = m.contract("MockERC20", ["Test Wrapped Ether", "tWETH", 18], { id: "Asset18" });
  const target6 = m.contract("MockERC4626Target", [asset6], { id: "Target6" });
  const target18 = m.contract("MockERC4626Target", [asset18], { id: "Target18" });
  const stg = m.contract("MockERC20", ["Test Stargate", "tSTG", 18], { id: "Stg" });
  const op = m.contract("MockERC20", ["Test Optimism", "tOP", 18], { id: "Op" });
  const velo = m.contract("MockERC20", ["Test Velodrome", "tVELO", 18], { id: "Velo" });
  const weth = m.contract("MockWETH", [], { id: "Weth" });

  // ------------------------------------------------------------ Stargate V2: the official bytecode, two endpoint ids
  // Local side (this chain, where the vault lives) and remote side (a far chain) on two EndpointV2Mock eids; the
  // deployer owns every Stargate contract and is the planner. The USDC pools hold the open-mint tUSDC here (the
  // tests of test/helpers/stargate.ts use Circle's real FiatTokenV2_2 instead).
  const cast = m.contract("LzAddressCast", [], { id: "LzAddressCast" });
  const remoteAsset6 = m.contract("MockERC20", ["Test USD Coin (far chain)", "tUSDC.far", 6], { id: "RemoteAsset6" });
  const local = stargateSide(m, "Stargate", LOCAL_EID, asset6, deployer, cast);
  const remote = stargateSide(m, "StargateRemote", REMOTE_EID, remoteAsset6, deployer, cast);
  const wiredLocal = wireStargate(m, "Stargate", local, remote);
  const wiredRemote = wireStargate(m, "StargateRemote", remote, local);
  const stargatePool = local.pool;
  const lpAddress = m.staticCall(stargatePool, "lpToken", [], 0, { id: "readLpToken" });
  const stargateLp = m.contractAt("LPToken", readStargateArtifact("LPToken"), lpAddress, { id: "StargateLpUSDC" });
  const stargateStaking = m.contract("StargateStaking", readStargateArtifact("StargateStaking"), [], {
    id: "StargateStaking",
  });
  const stargateRewarder = m.contract(
    "StargateMultiRewarder",
    readStargateArtifact("StargateMultiRewarder"),
    [stargateStaking],
    { id: "StargateRewarder" },
  );
  const setPool = m.call(stargateStaking, "setPool", [stargateLp, stargateRewarder], { id: "setPool" });
  // Budgets and duration of the two farm campaigns (Ignition parameters cannot take part in arithmetic). The
  // rewarder refuses a start in the past, so the deploy passes `farmStart` (a little after the node's clock).
  const stgFarmBudget = m.getParameter<bigint>("stgFarmBudget", 2_000n * 365n * E18);
  const opFarmBudget = m.getParameter<bigint>("opFarmBudget", 1_000n * 365n * E18);
  const farmDuration = m.getParameter<bigint>("farmDuration", 365n * DAY);
  const farmStart = m.getParameter<bigint>("farmStart");
  const mintStgFarm = m.call(stg, "mint", [deployer, stgFarmBudget], { id: "mintStgFarm" });
  const approveStgFarm = m.call(stg, "approve", [stargateRewarder, stgFarmBudget], {
    id: "approveStgFarm",
    after: [mintStgFarm],
  });
  const allocStg = m.call(stargateRewarder, "setAllocPoints", [stg, [stargateLp], [1]], {
    id: "allocStg",
    after: [setPool],
  });
  m.call(stargateRewarder, "setReward", [stg, stgFarmBudget, farmStart, farmDuration], {
    id: "streamStg",
    after: [approveStgFarm, allocStg],
  });
  const mintOpFarm = m.call(op, "mint", [deployer, opFarmBudget], { id: "mintOpFarm" });
  const approveOpFarm = m.call(op, "approve", [stargateRewarder, opFarmBudget], {
    id: "approveOpFarm",
    after: [mintOpFarm],
  });
  const allocOp = m.call(stargateRewarder, "setAllocPoints", [op, [stargateLp], [1]], {
    id: "allocOp",
    after: [setPool],
  });
  m.call(stargateRewarder, "setReward", [op, opFarmBudget, farmStart, farmDuration], {
    id: "streamOp",
    after: [approveOpFarm, allocOp, ...wiredLocal, ...wiredRemote],
  });

  // ------------------------------------------------------------ STG staking program (StakingRewards + cooldown)
  const stakingPeriod = m.getParameter<bigint>("stakingPeriod", 90n * DAY);
  const stgStaking = m.contract(
    "MockStakingRewards",
    [
      stg,
      stg,
      stakingPeriod,
      m.getParameter<bigint>("cooldown", 7n * DAY),
      m.getParameter<bigint>("unstakeWindow", 2n * DAY),
    ],
    { id: "StgStaking" },
  );
  const stakingReward = m.getParameter<bigint>("stgStakingReward", 9_000n * E18);
  const fundStaking = m.call(stg, "mint", [stgStaking, stakingReward], { id: "fundStgStaking" });
  m.call(stgStaking, "notifyRewardAmount", [stakingReward], { id: "startStgStaking", after: [fundStaking] });

  // ------------------------------------------------------------ vote escrow (Velodrome-like)
  const votingEscrow = m.contract("MockVotingEscrow", [velo], { id: "VotingEscrow" });
  const voter = m.contract("MockVoter", [votingEscrow], { id: "Voter" });
  const setVoter = m.call(votingEscrow, "setVoter", [voter], { id: "setVoter" });
  const rebaseDistributor = m.contract("MockRebaseDistributor", [votingEscrow], { id: "RebaseDistributor" });
  const vePool = m.contract("MockERC20", ["Test vAMM tWETH9/tUSDC", "vAMM-tWETH9/tUSDC", 18], { id: "VePool" });
  const createGauge = m.call(voter, "createGauge", [vePool, [weth, asset6]], { id: "createGauge", after: [setVoter] });
  const gauge = m.contractAt("MockGauge", m.readEventArgument(createGauge, "GaugeCreated", "gauge"), {
    id: "VeGauge",
  });
  const feesReward = m.contractAt("MockVotingReward", m.readEventArgument(createGauge, "GaugeCreated", "fees"), {
    id: "VeFeesReward",
  });
  const bribeReward = m.contractAt("MockVotingReward", m.readEventArgument(createGauge, "GaugeCreated", "bribe"), {
    id: "VeBribeReward",
  });

  return {
    asset6,
    asset18,
    target6,
    target18,
    stg,
    op,
    velo,
    weth,
    stargatePool,
    stargateLp,
    stargateStaking,
    stargateRewarder,
    stargateEndpoint: local.endpoint,
    stargateTokenMessaging: local.tokenMessaging,
    stargateCreditMessaging: local.creditMessaging,
    stargateFeeLib: local.feeLib,
    remoteAsset6,
    stargateRemotePool: remote.pool,
    stargateRemoteEndpoint: remote.endpoint,
    stargateRemoteTokenMessaging: remote.tokenMessaging,
    stargateRemoteCreditMessaging: remote.creditMessaging,
    stargateRemoteFeeLib: remote.feeLib,
    stgStaking,
    votingEscrow,
    voter,
    rebaseDistributor,
    vePool,
    gauge,
    feesReward,
    bribeReward,
  };
});

export default TestSupportModule;
