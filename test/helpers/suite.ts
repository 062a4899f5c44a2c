import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  IAdapter__factory,
  IERC20__factory,
  MockERC20__factory,
  MockRebaseDistributor__factory,
  MockStakedToken__factory,
  MockStakingRewards__factory,
  MockVoter__factory,
  MockVotesToken__factory,
  MockVotingEscrow__factory,
  MockWETH__factory,
  RedemptionQueue__factory,
  RewardsDistributor__factory,
  StakingAdapter__factory,
  StargateV2Adapter__factory,
  VoteEscrowAdapter__factory,
  type IERC20,
  type FiatTokenV2_2,
  type IRollupVault,
  type LPToken,
  type MockERC20,
  type MockStakedToken,
  type MockStakingRewards,
  type MockVoter,
  type MockVotesToken,
  type MockVotingEscrow,
  type RedemptionQueue,
  type RewardsDistributor,
  type StakingAdapter,
  type StargateMultiRewarder,
  type StargatePoolUSDC,
  type StargateStaking,
  type StargateV2Adapter,
  type VoteEscrowAdapter,
} from "../../typechain-types";
import { deployVault, getRoles, type Roles } from "./fixtures";
import {
  LOCAL_EID,
  deployStargateNetwork,
  mintUsdc,
  moveCredit,
  startFarmReward,
  type StargateNetwork,
} from "./stargate";

/**
 * Deploy helpers for the end-to-end suites in test/integration: whole component stacks (vault, adapter, external
 * protocol mocks, rewards distributor, redemption queue) wired as a deployment would wire them, with the timelock
 * still zero. Each returns plain objects so that a test can take what it needs.
 */

export const HOUR = 3_600;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
export const MAX_CAP = 2n ** 128n - 1n;
/** The farm's reward campaign length (Stargate runs long campaigns). */
export const FARM_PERIOD = 100 * DAY;
/** The distributor's reward period in the suites. */
export const REWARD_PERIOD = WEEK;

/** Six or more holders: the three named roles plus signers 10 and up (unused by `getRoles`). */
export async function getHolders(count: number): Promise<HardhatEthersSigner[]> {
  const signers = await ethers.getSigners();
  const roles = await getRoles();
  const extra = signers.slice(10, 10 + Math.max(0, count - 3));
  return [roles.alice, roles.bob, roles.carol, ...extra].slice(0, count);
}

// ====================================================================== Stargate bridge vault

export type StargateSuite = Roles & {
  /** The real Stargate V2 set (test/helpers/stargate.ts): the vault lives on its local side. */
  net: StargateNetwork;
  /** Circle's real USDC (FiatTokenV2_2 behind its proxy) of the local side. */
  usdc: FiatTokenV2_2;
  vault: IRollupVault;
  pool: StargatePoolUSDC;
  lp: LPToken;
  staking: StargateStaking;
  rewarder: StargateMultiRewarder;
  adapter: StargateV2Adapter;
  distributor: RewardsDistributor;
  stg: MockERC20;
  op: MockERC20;
  holders: HardhatEthersSigner[];
  /** `n` whole USDC. */
  usdcUnits: (n: number | string) => bigint;
  /** The planner moves `amount` of the local USDC pool's credit to the far chain: local LPs can redeem less. */
  creditAway: (amount: bigint) => Promise<bigint>;
  /** The planner brings up to `amount` of that credit back from the far chain. */
  creditBack: (amount: bigint) => Promise<bigint>;
  /** What the local USDC pool can pay out now (its local credit). */
  localCredit: () => Promise<bigint>;
};

/**
 * A 6-decimal vault over Circle's real USDC with a StargateV2Adapter over the real StargatePoolUSDC (6 shared
 * decimals) of a real Stargate V2 set (test/helpers/stargate.ts), its LP staked in the real StargateStaking whose ONE
 * MultiRewarder streams STG (2/s shared half and half with the local ETH LP: 1/s for the USDC LP) and OP (0.5/s, USDC
 * LP only) over FARM_PERIOD; the real RewardsDistributor (one-week period) is set on the vault. Six holders are
 * funded with 1,000,000 USDC each and have approved the vault.
 */
export async function deployStargateSuite(): Promise<StargateSuite> {
  const roles = await getRoles();
  const { owner } = roles;
  const net = await deployStargateNetwork();
  const usdc = net.local.usdc;
  const weth = await new MockWETH__factory(owner).deploy();
  const vault = await deployVault(usdc as unknown as MockERC20, roles);
  const pool = net.local.usdcPool;
  const usdcLp = await net.local.usdcLp.getAddress();
  const ethLp = await net.local.nativeLp.getAddress();
  const period = BigInt(FARM_PERIOD);
  await startFarmReward(net, net.stg, [usdcLp, ethLp], [1, 1], ethers.parseEther("2") * period, FARM_PERIOD);
  await startFarmReward(net, net.op, [usdcLp], [1], ethers.parseEther("0.5") * period, FARM_PERIOD);

  const adapter = await new StargateV2Adapter__factory(owner).deploy(
    await vault.getAddress(),
    await pool.getAddress(),
    await net.staking.getAddress(),
    await weth.getAddress(),
  );
  await vault.connect(roles.curator).addAdapter(await adapter.getAddress(), MAX_CAP, 10_000);
  const distributor = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), REWARD_PERIOD);
  await vault.setRewardsDistributor(await distributor.getAddress());
  // Only allowed tokens stream (issue 9.2): the farm's two.
  await distributor.connect(roles.curator).setAllowed(await net.stg.getAddress(), true);
  await distributor.connect(roles.curator).setAllowed(await net.op.getAddress(), true);

  const usdcUnits = (n: number | string) => ethers.parseUnits(n.toString(), 6);
  const holders = await getHolders(6);
  for (const holder of holders) {
    await mintUsdc(net, net.local, holder.address, usdcUnits(1_000_000));
    await usdc.connect(holder).approve(await vault.getAddress(), ethers.MaxUint256);
  }
  return {
    ...roles,
    net,
    usdc,
    vault,
    pool,
    lp: net.local.usdcLp,
    staking: net.staking,
    rewarder: net.rewarder,
    adapter,
    distributor,
    stg: net.stg,
    op: net.op,
    holders,
    usdcUnits,
    creditAway: (amount) => moveCredit(net, "local", "usdc", LOCAL_EID, amount),
    creditBack: (amount) => moveCredit(net, "remote", "usdc", LOCAL_EID, amount),
    localCredit: () => pool.redeemable(ethers.ZeroAddress),
  };
}

// ====================================================================== governance staking vaults

export type StakingVaultSuite = {
  vault: IRollupVault;
  adapter: StakingAdapter;
  staking: MockStakingRewards;
  distributor: RewardsDistributor;
};

/**
 * A RollupVault over `token` with a StakingAdapter (uncapped, plain mode) over a Synthetix StakingRewards program
 * paying `rewardToken` over `rewardsDuration`. A real RewardsDistributor is set on the vault: `harvest` requires one
 * even when the rewards are paid in the asset. The roles' owner is the program's owner and rewards distribution.
 */
export async function deployStakingVault(
  roles: Roles,
  token: MockERC20 | MockVotesToken,
  rewardToken: string,
  rewardsDuration: number,
): Promise<StakingVaultSuite> {
  const { owner } = roles;
  const staking = await new MockStakingRewards__factory(owner).deploy(
    owner.address,
    owner.address,
    rewardToken,
    await token.getAddress(),
  );
  await staking.setRewardsDuration(rewardsDuration);
  // deployVault only reads the token's address and decimals.
  const vault = await deployVault(token as unknown as MockERC20, roles);
  const adapter = await new StakingAdapter__factory(owner).deploy(
    await vault.getAddress(),
    await staking.getAddress(),
    false,
  );
  await vault.connect(roles.curator).addAdapter(await adapter.getAddress(), MAX_CAP, 10_000);
  const distributor = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), REWARD_PERIOD);
  await vault.setRewardsDistributor(await distributor.getAddress());
  // Only allowed tokens stream (issue 9.2); a reward paid in the vault's own asset never streams.
  if (rewardToken !== (await token.getAddress())) {
    await distributor.connect(roles.curator).setAllowed(rewardToken, true);
  }
  return { vault, adapter, staking, distributor };
}

/** Funds a staking program's next period with `amount` (minted to it) and notifies it, as its distribution. */
export async function fundStakingRewards(
  staking: MockStakingRewards,
  rewardToken: MockERC20 | MockVotesToken,
  amount: bigint,
) {
  const [owner] = await ethers.getSigners();
  await rewardToken.connect(owner).mint(await staking.getAddress(), amount);
  await staking.connect(owner).notifyRewardAmount(amount);
}

/** The Stargate suite plus an STG governance-staking vault that the USDC vault's distributor routes STG into. */
export async function deployCompoundingSuite() {
  const suite = await deployStargateSuite();
  const stgVault = await deployStakingVault(suite, suite.stg, await suite.stg.getAddress(), WEEK);
  await suite.distributor
    .connect(suite.curator)
    .setRoute(await suite.stg.getAddress(), await stgVault.vault.getAddress());
  return { ...suite, stgVault };
}

export type CooldownSuite = Roles & {
  vault: IRollupVault;
  adapter: StakingAdapter;
  staking: MockStakedToken;
  distributor: RewardsDistributor;
  gov: MockVotesToken;
  queue: RedemptionQueue;
  holders: HardhatEthersSigner[];
};

export const COOLDOWN = 10 * DAY;
export const UNSTAKE_WINDOW = 2 * DAY;

/**
 * A governance-token (ERC20Votes, 18 decimals) vault whose StakingAdapter (cooldown mode) stakes into an
 * stkAAVE-shaped cooldown staking token (10-day cooldown, 2-day unstake window) paying its rewards in the governance
 * token itself from the owner's wallet (its rewards vault), with a RedemptionQueue. Four holders are funded with
 * 100,000 GOV each and have approved both the vault (asset) and the queue (shares).
 */
export async function deployCooldownSuite(): Promise<CooldownSuite> {
  const roles = await getRoles();
  const { owner } = roles;
  const gov = await new MockVotesToken__factory(owner).deploy("Governance", "GOV");
  const staking = await new MockStakedToken__factory(owner).deploy(
    await gov.getAddress(),
    await gov.getAddress(),
    COOLDOWN,
    UNSTAKE_WINDOW,
    owner.address,
    owner.address,
    5 * 365 * DAY,
  );
  const vault = await deployVault(gov as unknown as MockERC20, roles);
  const adapter = await new StakingAdapter__factory(owner).deploy(
    await vault.getAddress(),
    await staking.getAddress(),
    true,
  );
  await vault.connect(roles.curator).addAdapter(await adapter.getAddress(), MAX_CAP, 10_000);
  const distributor = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), REWARD_PERIOD);
  await vault.setRewardsDistributor(await distributor.getAddress());
  const queue = await new RedemptionQueue__factory(owner).deploy(await vault.getAddress());
  const holders = await getHolders(4);
  for (const holder of holders) {
    await gov.mint(holder.address, ethers.parseEther("100000"));
    await gov.connect(holder).approve(await vault.getAddress(), ethers.MaxUint256);
    await vault.connect(holder).approve(await queue.getAddress(), ethers.MaxUint256);
  }
  return { ...roles, vault, adapter, staking, distributor, gov, queue, holders };
}

/**
 * Streams `amount` of rewards per `duration` seconds in a cooldown staking token: the owner (its rewards vault and
 * emission manager) is funded and approves it, and the emission is set; `stopStakedTokenRewards` ends it.
 */
export async function fundStakedTokenRewards(
  staking: MockStakedToken,
  rewardToken: MockERC20 | MockVotesToken,
  amount: bigint,
  duration = WEEK,
) {
  const [owner] = await ethers.getSigners();
  const stakingAddress = await staking.getAddress();
  // The rewards vault holds a 1% margin: the emission runs until stopped, a few blocks past `duration`.
  await rewardToken.connect(owner).mint(owner.address, amount + amount / 100n);
  await rewardToken.connect(owner).approve(stakingAddress, ethers.MaxUint256);
  await staking
    .connect(owner)
    .configureAssets([
      { emissionPerSecond: amount / BigInt(duration), totalStaked: 0n, underlyingAsset: stakingAddress },
    ]);
}

/** Ends a cooldown staking token's emission. */
export async function stopStakedTokenRewards(staking: MockStakedToken) {
  const [owner] = await ethers.getSigners();
  await staking
    .connect(owner)
    .configureAssets([{ emissionPerSecond: 0n, totalStaked: 0n, underlyingAsset: await staking.getAddress() }]);
}

// ====================================================================== vote-escrow vault

export type VoteEscrowSuite = Roles & {
  velo: MockERC20;
  escrow: MockVotingEscrow;
  voter: MockVoter;
  /** A pool with a gauge the veNFT can vote for. */
  pool: string;
  vault: IRollupVault;
  adapter: VoteEscrowAdapter;
  distributor: RewardsDistributor;
  queue: RedemptionQueue;
  holders: HardhatEthersSigner[];
};

/**
 * A VELO vault with a permanent-lock VoteEscrowAdapter over the mock VotingEscrow, Voter (one pool with a gauge)
 * and rebase distributor,
 * a real RewardsDistributor and a RedemptionQueue. Three holders hold 100,000 VELO each, approved to the vault, and
 * have approved the queue for their shares.
 */
export async function deployVoteEscrowSuite(): Promise<VoteEscrowSuite> {
  const roles = await getRoles();
  const { owner } = roles;
  const velo = await new MockERC20__factory(owner).deploy("Velodrome", "VELO", 18);
  const escrow = await new MockVotingEscrow__factory(owner).deploy(await velo.getAddress());
  const voter = await new MockVoter__factory(owner).deploy(await escrow.getAddress());
  await escrow.setVoter(await voter.getAddress());
  const rebase = await new MockRebaseDistributor__factory(owner).deploy(await escrow.getAddress());
  const pool = ethers.getAddress("0x00000000000000000000000000000000000b001a");
  await voter.createGauge(pool, []);
  const vault = await deployVault(velo, roles);
  const adapter = await new VoteEscrowAdapter__factory(owner).deploy(
    await vault.getAddress(),
    await escrow.getAddress(),
    await voter.getAddress(),
    await rebase.getAddress(),
    true,
  );
  await vault.connect(roles.curator).addAdapter(await adapter.getAddress(), MAX_CAP, 10_000);
  const distributor = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), REWARD_PERIOD);
  await vault.setRewardsDistributor(await distributor.getAddress());
  const queue = await new RedemptionQueue__factory(owner).deploy(await vault.getAddress());
  const holders = await getHolders(3);
  for (const holder of holders) {
    await velo.mint(holder.address, ethers.parseEther("100000"));
    await velo.connect(holder).approve(await vault.getAddress(), ethers.MaxUint256);
    await vault.connect(holder).approve(await queue.getAddress(), ethers.MaxUint256);
  }
  return { ...roles, velo, escrow, voter, pool, vault, adapter, distributor, queue, holders };
}

// ====================================================================== stray balance checks

export type StrayCheck = {
  vault: IRollupVault;
  /** Adapters with the loose asset each may keep (documented dust), usually 0. */
  adapters: { address: string; dust?: bigint }[];
  /** Reward tokens the adapters must have forwarded (checked right after a harvest). */
  rewardTokens?: string[];
  distributor?: RewardsDistributor;
  /** Accounts holding the vault's shares, to sum what the distributor owes. */
  holders?: string[];
  queue?: RedemptionQueue;
};

/**
 * No contract holds stray balances: the vault's asset balance equals its idle books; each adapter's loose asset is
 * within its documented dust and it holds none of the reward tokens; the distributor holds, per listed token, at
 * least what is still streaming plus what every holder has earned; the queue holds exactly its escrow and the assets
 * of fulfilled requests. Also checks solvency: the vault's gross books never exceed what it and its adapters hold.
 */
export async function expectNoStrayBalances(check: StrayCheck) {
  const { vault } = check;
  const asset: IERC20 = IERC20__factory.connect(await vault.asset(), ethers.provider);
  const vaultAddress = await vault.getAddress();
  expect(await asset.balanceOf(vaultAddress), "vault asset balance == totalIdle").to.equal(await vault.totalIdle());

  let held = await vault.totalIdle();
  for (const { address, dust = 0n } of check.adapters) {
    expect(await asset.balanceOf(address), `adapter ${address} loose asset within dust`).to.be.lte(dust);
    for (const token of check.rewardTokens ?? []) {
      const balance = await IERC20__factory.connect(token, ethers.provider).balanceOf(address);
      expect(balance, `adapter ${address} holds no reward token ${token}`).to.equal(0n);
    }
    held += await IAdapter__factory.connect(address, ethers.provider).totalAssets();
  }
  expect((await vault.totalIdle()) + (await vault.totalDebt()), "books within holdings").to.be.lte(held);

  if (check.distributor) {
    const { distributor } = check;
    const distributorAddress = await distributor.getAddress();
    for (const token of await distributor.rewardTokens()) {
      const [streaming] = await distributor.streamOf(token);
      let owed = streaming;
      for (const holder of check.holders ?? []) owed += await distributor.earned(holder, token);
      const balance = await IERC20__factory.connect(token, ethers.provider).balanceOf(distributorAddress);
      expect(balance, `distributor covers ${token}`).to.be.gte(owed);
    }
    expect(await asset.balanceOf(distributorAddress), "distributor holds no asset").to.equal(0n);
  }

  if (check.queue) {
    const { queue } = check;
    const queueAddress = await queue.getAddress();
    expect(await vault.balanceOf(queueAddress), "queue escrow == pending shares").to.equal(await queue.pendingShares());
    expect(await asset.balanceOf(queueAddress), "queue assets == claimable").to.equal(await queue.claimableAssets());
  }
}
