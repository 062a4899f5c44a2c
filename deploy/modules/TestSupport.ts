import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

const DAY = 24n * 3600n;
const E18 = 10n ** 18n;

/**
 * Test-support protocols for networks that lack the real ones (the in-process network, the local L2 node, and
 * testnets whose config says so). Every contract id here is a `TestSupportContract` of deploy/config/types.ts.
 *
 * - tokens: a 6-decimal asset (tUSDC) and an 18-decimal one (tWETH) with an ERC-4626 target over each; tSTG, tOP,
 *   tVELO and a WETH9-like tWETH9 (MockWETH) for native rewards;
 * - (Stargate V2 is NOT here: the local node and the in-process network run the real contracts through
 *   deploy/modules/StargateTestSupport.ts, which uses this module; testnets use Stargate's real testnet pools.)
 * - an STG staking program, StakingRewards-shaped with a stkAAVE-style cooldown, paying tSTG (started here);
 * - a Velodrome-like vote-escrow set over tVELO: VotingEscrow, Voter, rebase RewardsDistributor, and one gauge for a
 *   tWETH9/tUSDC pool with its fees and incentive reward contracts.
 *
 * NEVER deploy this to a mainnet: the tokens mint to anyone. The deploy script refuses to and warns loudly
 * wherever it does deploy it. The suite then treats these addresses as the external protocol of that network.
 *
 * Parameters (module "TestSupport", all optional): stgStakingReward (tSTG per staking period), stakingPeriod, cooldown,
 * unstakeWindow (seconds).
 */
const TestSupportModule = buildModule("TestSupport", (m) => {
  const asset6 = m.contract("MockERC20", ["Test USD Coin", "tUSDC", 6], { id: "Asset6" });
  const asset18 = m.contract("MockERC20", ["Test Wrapped Ether", "tWETH", 18], { id: "Asset18" });
  const target6 = m.contract("MockERC4626Target", [asset6], { id: "Target6" });
  const target18 = m.contract("MockERC4626Target", [asset18], { id: "Target18" });
  const stg = m.contract("MockERC20", ["Test Stargate", "tSTG", 18], { id: "Stg" });
  const op = m.contract("MockERC20", ["Test Optimism", "tOP", 18], { id: "Op" });
  const velo = m.contract("MockERC20", ["Test Velodrome", "tVELO", 18], { id: "Velo" });
  const weth = m.contract("MockWETH", [], { id: "Weth" });

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
