import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deploy18, deployVault, getRoles } from "../helpers/fixtures";
import {
  MockERC20__factory,
  MockStakingRewards__factory,
  MockVotesToken__factory,
  RecordingRewardsDistributor__factory,
  StakingAdapter__factory,
  type MockERC20,
} from "../../typechain-types";

const DAY = 24 * 60 * 60;
const REWARDS_DURATION = 7 * DAY;
const COOLDOWN = 10 * DAY;
const WINDOW = 2 * DAY;
const MAX_CAP = 2n ** 128n - 1n;
const units = (n: number | string) => ethers.parseUnits(n.toString(), 18);

type Options = { cooldown: boolean; rewardIsAsset: boolean };

async function deployStaking({ cooldown, rewardIsAsset }: Options) {
  const roles = await getRoles();
  const asset = await new MockVotesToken__factory(roles.owner).deploy("Governance", "GOV");
  const rewardToken = await new MockERC20__factory(roles.owner).deploy("Reward", "RWD", 18);
  const rewardAddress = rewardIsAsset ? await asset.getAddress() : await rewardToken.getAddress();
  const staking = await new MockStakingRewards__factory(roles.owner).deploy(
    await asset.getAddress(),
    rewardAddress,
    REWARDS_DURATION,
    cooldown ? COOLDOWN : 0,
    cooldown ? WINDOW : 0,
  );
  // deployVault only reads the token's address.
  const vault = await deployVault(asset as unknown as MockERC20, roles);
  const distributor = await new RecordingRewardsDistributor__factory(roles.owner).deploy();
  await vault.setRewardsDistributor(await distributor.getAddress());
  const adapter = await new StakingAdapter__factory(roles.owner).deploy(
    await vault.getAddress(),
    await staking.getAddress(),
    cooldown,
  );
  const adapterAddress = await adapter.getAddress();
  await vault.connect(roles.curator).addAdapter(adapterAddress, MAX_CAP, 10_000);
  for (const user of [roles.alice, roles.bob]) {
    await asset.mint(user.address, units(1_000_000));
    await asset.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
  }
  /** Starts a reward period of `amount` reward tokens in the staking program. */
  const fundRewards = async (amount: bigint) => {
    if (rewardIsAsset) await asset.mint(await staking.getAddress(), amount);
    else await rewardToken.mint(await staking.getAddress(), amount);
    await staking.connect(roles.owner).notifyRewardAmount(amount);
  };
  /** Alice deposits `deposit` and the allocator stakes `allocated` of it. */
  const depositAndAllocate = async (deposit: bigint, allocated: bigint) => {
    await vault.connect(roles.alice).deposit(deposit, roles.alice.address);
    return vault.connect(roles.allocator).allocate(adapterAddress, allocated);
  };
  return {
    ...roles,
    asset,
    rewardToken,
    staking,
    vault,
    distributor,
    adapter,
    adapterAddress,
    fundRewards,
    depositAndAllocate,
  };
}

const plainFixture = () => deployStaking({ cooldown: false, rewardIsAsset: false });
const cooldownFixture = () => deployStaking({ cooldown: true, rewardIsAsset: false });
const assetRewardFixture = () => deployStaking({ cooldown: false, rewardIsAsset: true });

describe("StakingAdapter", function () {
  describe("construction", function () {
    it("records the staking program, its reward token and the cooldown mode", async function () {
      const { adapter, staking, rewardToken, vault, asset } = await loadFixture(cooldownFixture);
      expect(await adapter.STAKING()).to.equal(await staking.getAddress());
      expect(await adapter.REWARD_TOKEN()).to.equal(await rewardToken.getAddress());
      expect(await adapter.HAS_COOLDOWN()).to.equal(true);
      expect(await adapter.vault()).to.equal(await vault.getAddress());
      expect(await adapter.asset()).to.equal(await asset.getAddress());
    });

    it("reverts when the vault is the zero address", async function () {
      const { owner, staking } = await loadFixture(plainFixture);
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(ethers.ZeroAddress, await staking.getAddress(), false)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("reverts when the staking program is the zero address", async function () {
      const { owner, vault } = await loadFixture(plainFixture);
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), ethers.ZeroAddress, false)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("reverts when told there is no cooldown but the program has one", async function () {
      const { owner, vault, staking } = await loadFixture(cooldownFixture);
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), await staking.getAddress(), false))
        .to.be.revertedWithCustomError(factory, "CooldownMismatch")
        .withArgs(false, true);
    });

    it("reverts when told there is a cooldown but the program has none", async function () {
      const { owner, vault, staking } = await loadFixture(plainFixture);
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), await staking.getAddress(), true))
        .to.be.revertedWithCustomError(factory, "CooldownMismatch")
        .withArgs(true, false);
    });

    it("reverts when the staking token is not the vault's asset", async function () {
      const { owner, vault, asset, rewardToken } = await loadFixture(plainFixture);
      const other = await new MockStakingRewards__factory(owner).deploy(
        await rewardToken.getAddress(),
        await asset.getAddress(),
        REWARDS_DURATION,
        0,
        0,
      );
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), await other.getAddress(), false))
        .to.be.revertedWithCustomError(factory, "AssetMismatch")
        .withArgs(await asset.getAddress(), await rewardToken.getAddress());
    });
  });

  describe("vault-only entry points", function () {
    it("reverts allocate from anyone but the vault", async function () {
      const { adapter, attacker } = await loadFixture(plainFixture);
      await expect(adapter.connect(attacker).allocate(1))
        .to.be.revertedWithCustomError(adapter, "NotVault")
        .withArgs(attacker.address);
    });

    it("reverts deallocate from anyone but the vault", async function () {
      const { adapter, attacker } = await loadFixture(plainFixture);
      await expect(adapter.connect(attacker).deallocate(1))
        .to.be.revertedWithCustomError(adapter, "NotVault")
        .withArgs(attacker.address);
    });

    it("reverts harvest from anyone but the vault", async function () {
      const { adapter, attacker } = await loadFixture(plainFixture);
      await expect(adapter.connect(attacker).harvest(attacker.address))
        .to.be.revertedWithCustomError(adapter, "NotVault")
        .withArgs(attacker.address);
    });

    it("reverts prepareRelease from anyone but the vault", async function () {
      const { adapter, attacker, depositAndAllocate } = await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(100));
      await expect(adapter.connect(attacker).prepareRelease(1))
        .to.be.revertedWithCustomError(adapter, "NotVault")
        .withArgs(attacker.address);
      expect(await adapter.cooldownActive()).to.equal(false);
    });
  });

  describe("without a cooldown", function () {
    it("stakes allocations and counts the stake as held and releasable", async function () {
      const { adapter, staking, vault, alice, adapterAddress, depositAndAllocate } = await loadFixture(plainFixture);
      await expect(depositAndAllocate(units(100), units(80)))
        .to.emit(adapter, "Staked")
        .withArgs(units(80));
      expect(await staking.balanceOf(adapterAddress)).to.equal(units(80));
      expect(await adapter.staked()).to.equal(units(80));
      expect(await adapter.totalAssets()).to.equal(units(80));
      expect(await adapter.releasable()).to.equal(units(80));
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await adapter.cooldownActive()).to.equal(false);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(100));
    });

    it("pays a withdrawal beyond idle out of the stake", async function () {
      const { vault, asset, alice, adapter, depositAndAllocate } = await loadFixture(plainFixture);
      await depositAndAllocate(units(100), units(80));
      const before = await asset.balanceOf(alice.address);
      await vault.connect(alice).withdraw(units(100), alice.address, alice.address);
      expect((await asset.balanceOf(alice.address)) - before).to.equal(units(100));
      expect(await adapter.staked()).to.equal(0n);
      expect(await vault.totalAssets()).to.equal(0n);
    });

    it("deallocates the requested part of the stake back to idle", async function () {
      const { vault, allocator, adapter, adapterAddress, depositAndAllocate } = await loadFixture(plainFixture);
      await depositAndAllocate(units(100), units(80));
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(30)))
        .to.emit(vault, "Deallocated")
        .withArgs(adapterAddress, units(30), units(30));
      expect(await adapter.staked()).to.equal(units(50));
      expect(await vault.totalIdle()).to.equal(units(50));
    });

    it("treats prepareRelease as a no-op: the stake is already releasable", async function () {
      const { vault, keeper, adapter, staking, adapterAddress, depositAndAllocate } = await loadFixture(plainFixture);
      await depositAndAllocate(units(100), units(80));
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(80)))
        .to.emit(vault, "ReleasePrepared")
        .withArgs(adapterAddress, keeper.address, units(80))
        .and.not.to.emit(adapter, "CooldownStarted");
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(0n);
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
    });

    it("harvests the reward token to the distributor, which is notified of the amount", async function () {
      const { vault, keeper, staking, rewardToken, distributor, adapterAddress, fundRewards, depositAndAllocate } =
        await loadFixture(plainFixture);
      await depositAndAllocate(units(100), units(100));
      await fundRewards(units(700));
      await time.increase(DAY);
      const distributorAddress = await distributor.getAddress();
      const earned = await staking.earned(adapterAddress);
      const tx = await vault.connect(keeper).harvest(adapterAddress);
      const expected = await rewardToken.balanceOf(distributorAddress);
      // One more second of rewards accrues in the harvest block (the program rounds per-token amounts down).
      expect(expected).to.be.closeTo(earned + units(700) / BigInt(REWARDS_DURATION), 100n);
      await expect(tx)
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await rewardToken.getAddress()], [expected]);
      expect(await distributor.notified(await rewardToken.getAddress())).to.equal(expected);
      expect(await rewardToken.balanceOf(adapterAddress)).to.equal(0n);
      expect(await staking.earned(adapterAddress)).to.equal(0n);
    });

    it("harvests nothing and notifies empty lists when no reward has accrued", async function () {
      const { vault, keeper, distributor, adapterAddress, depositAndAllocate } = await loadFixture(plainFixture);
      await depositAndAllocate(units(100), units(100));
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [], []);
      expect(await distributor.notifications()).to.equal(1n);
    });

    it("loses the rewards that stream while nobody stakes, as the real program does", async function () {
      const { staking, adapterAddress, fundRewards, depositAndAllocate } = await loadFixture(plainFixture);
      await fundRewards(units(700));
      await time.increase(3 * DAY);
      await depositAndAllocate(units(100), units(100));
      await time.increase(10 * DAY);
      const rate = units(700) / BigInt(REWARDS_DURATION);
      const earned = await staking.earned(adapterAddress);
      // Only the rest of the period after the stake accrues (within a few seconds of block-time drift).
      expect(earned).to.be.closeTo(rate * BigInt(4 * DAY), rate * 5n);
      expect(earned).to.be.lessThan(units(700) - rate * BigInt(3 * DAY) + rate * 5n);
    });
  });

  describe("with the reward paid in the asset", function () {
    it("keeps the reward in the adapter, returns no tokens, and the report raises the share price", async function () {
      const { vault, keeper, alice, adapter, adapterAddress, fundRewards, depositAndAllocate } =
        await loadFixture(assetRewardFixture);
      await depositAndAllocate(units(1_000), units(1_000));
      await fundRewards(units(70));
      await time.increase(REWARDS_DURATION);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [], []);
      const gain = (await adapter.totalAssets()) - units(1_000);
      expect(gain).to.be.closeTo(units(70), units(1) / 100n);
      const priceBefore = await vault.convertToAssets(units(1));
      await vault.connect(keeper).report(adapterAddress);
      await time.increase(7 * DAY);
      expect(await vault.convertToAssets(units(1))).to.be.greaterThan(priceBefore);
      expect(await vault.maxWithdraw(alice.address)).to.be.closeTo(units(1_000) + gain, 10n ** 6n);
    });

    it("stakes the asset rewards with the next allocation", async function () {
      const { vault, allocator, keeper, adapter, adapterAddress, fundRewards, depositAndAllocate } =
        await loadFixture(assetRewardFixture);
      await depositAndAllocate(units(1_000), units(900));
      await fundRewards(units(70));
      await time.increase(REWARDS_DURATION);
      await vault.connect(keeper).harvest(adapterAddress);
      const held = await adapter.totalAssets();
      await vault.connect(allocator).allocate(adapterAddress, units(100));
      expect(await adapter.staked()).to.equal(held + units(100));
    });
  });

  describe("with a cooldown", function () {
    it("holds the stake but releases nothing before a cooldown: maxWithdraw is idle", async function () {
      const { vault, alice, adapter, depositAndAllocate } = await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      expect(await adapter.totalAssets()).to.equal(units(80));
      expect(await adapter.releasable()).to.equal(0n);
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(20));
      await expect(vault.connect(alice).withdraw(units(21), alice.address, alice.address))
        .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
        .withArgs(units(1));
      expect(await adapter.staked()).to.equal(units(80));
      expect(await vault.totalIdle()).to.equal(units(20));
    });

    it("starts a cooldown of the whole stake on prepareRelease and reports it as pending", async function () {
      const { vault, allocator, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      const tx = await vault.connect(allocator).prepareRelease(adapterAddress, units(10));
      const start = await time.latest();
      await expect(tx)
        .to.emit(adapter, "CooldownStarted")
        .withArgs(units(80), start + COOLDOWN + 1);
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(start);
      expect(await adapter.pendingRelease()).to.deep.equal([units(80), BigInt(start + COOLDOWN + 1)]);
      expect(await adapter.cooldownActive()).to.equal(true);
      expect(await adapter.releasable()).to.equal(0n);
    });

    it("lets maxWithdraw grow once the cooldown is over, and pays the withdrawal from the stake", async function () {
      const { vault, keeper, alice, asset, adapter, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      const [, readyAt] = await adapter.pendingRelease();
      await time.increaseTo(readyAt - 2n);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(20));
      await time.increaseTo(readyAt);
      expect(await adapter.releasable()).to.equal(units(80));
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(100));
      const before = await asset.balanceOf(alice.address);
      await vault.connect(alice).withdraw(units(100), alice.address, alice.address);
      expect((await asset.balanceOf(alice.address)) - before).to.equal(units(100));
      expect(await adapter.totalAssets()).to.equal(0n);
    });

    it("keeps the rest of a partly withdrawn stake releasable until the window ends", async function () {
      const { vault, keeper, allocator, adapter, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      await time.increase(COOLDOWN + 1);
      await vault.connect(allocator).deallocate(adapterAddress, units(30));
      expect(await adapter.staked()).to.equal(units(50));
      expect(await adapter.releasable()).to.equal(units(50));
    });

    it("releases nothing again once the unstake window has passed, until a new cooldown", async function () {
      const { vault, keeper, alice, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      const start = await staking.stakersCooldowns(adapterAddress);
      await time.increaseTo(start + BigInt(COOLDOWN + WINDOW));
      expect(await adapter.releasable()).to.equal(units(80));
      await time.increase(1);
      expect(await adapter.releasable()).to.equal(0n);
      expect(await adapter.cooldownActive()).to.equal(false);
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(20));
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(80))).to.emit(adapter, "CooldownStarted");
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(await time.latest());
    });

    it("does not restart a cooldown that is still cooling", async function () {
      const { vault, keeper, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      const start = await staking.stakersCooldowns(adapterAddress);
      await time.increase(DAY);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(80))).not.to.emit(
        adapter,
        "CooldownStarted",
      );
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(start);
    });

    it("does not restart a cooldown whose window is open", async function () {
      const { vault, keeper, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      const start = await staking.stakersCooldowns(adapterAddress);
      await time.increase(COOLDOWN + 1);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(80))).not.to.emit(
        adapter,
        "CooldownStarted",
      );
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(start);
      expect(await adapter.releasable()).to.equal(units(80));
    });

    it("starts no cooldown when nothing is staked", async function () {
      const { vault, keeper, alice, adapter, staking, adapterAddress } = await loadFixture(cooldownFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(1))).not.to.emit(
        adapter,
        "CooldownStarted",
      );
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(0n);
    });

    it("keeps allocations loose during an active cooldown so that they do not push it back", async function () {
      const { vault, keeper, allocator, alice, adapter, staking, asset, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(50));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(50));
      const start = await staking.stakersCooldowns(adapterAddress);
      await expect(vault.connect(allocator).allocate(adapterAddress, units(30))).not.to.emit(adapter, "Staked");
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(start);
      expect(await adapter.staked()).to.equal(units(50));
      expect(await asset.balanceOf(adapterAddress)).to.equal(units(30));
      expect(await adapter.totalAssets()).to.equal(units(80));
      // The loose part is releasable at once.
      expect(await adapter.releasable()).to.equal(units(30));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(50));
      // After the window, the next allocation stakes everything loose.
      await time.increase(COOLDOWN + WINDOW + 1);
      await expect(vault.connect(allocator).allocate(adapterAddress, units(10)))
        .to.emit(adapter, "Staked")
        .withArgs(units(40));
      expect(await adapter.staked()).to.equal(units(90));
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(0n);
    });

    it("deallocates only loose assets while the stake cools down", async function () {
      const { vault, keeper, allocator, adapter, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(50));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(50));
      await vault.connect(allocator).allocate(adapterAddress, units(30));
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(60)))
        .to.emit(vault, "Deallocated")
        .withArgs(adapterAddress, units(60), units(30));
      expect(await adapter.staked()).to.equal(units(50));
    });

    it("frees nothing on a deallocation while the stake cools down and nothing is loose", async function () {
      const { vault, keeper, allocator, adapter, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(50));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(50));
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(10)))
        .to.emit(vault, "Deallocated")
        .withArgs(adapterAddress, units(10), 0n);
      expect(await adapter.staked()).to.equal(units(50));
    });

    it("keeps earning rewards while the stake cools down", async function () {
      const { vault, keeper, staking, adapterAddress, fundRewards, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(100));
      await fundRewards(units(700));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(100));
      await time.increase(DAY);
      expect(await staking.earned(adapterAddress)).to.be.greaterThan(0n);
    });
  });

  describe("the staking program's cooldown (mock behaviour the adapter relies on)", function () {
    it("moves an active cooldown's start later when more is staked", async function () {
      const { staking, asset, bob } = await loadFixture(cooldownFixture);
      await asset.connect(bob).approve(await staking.getAddress(), ethers.MaxUint256);
      await staking.connect(bob).stake(units(100));
      await staking.connect(bob).cooldown();
      const start = await staking.stakersCooldowns(bob.address);
      await time.increase(COOLDOWN);
      await staking.connect(bob).stake(units(100));
      const now = BigInt(await time.latest());
      expect(await staking.stakersCooldowns(bob.address)).to.equal((start + now) / 2n);
    });

    it("clears a stale cooldown when more is staked after the window", async function () {
      const { staking, asset, bob } = await loadFixture(cooldownFixture);
      await asset.connect(bob).approve(await staking.getAddress(), ethers.MaxUint256);
      await staking.connect(bob).stake(units(100));
      await staking.connect(bob).cooldown();
      await time.increase(COOLDOWN + WINDOW + 1);
      await staking.connect(bob).stake(units(1));
      expect(await staking.stakersCooldowns(bob.address)).to.equal(0n);
    });

    it("rejects a withdrawal without a cooldown, during it, and after the window", async function () {
      const { staking, asset, bob } = await loadFixture(cooldownFixture);
      await asset.connect(bob).approve(await staking.getAddress(), ethers.MaxUint256);
      await staking.connect(bob).stake(units(100));
      await expect(staking.connect(bob).withdraw(units(1))).to.be.revertedWithCustomError(
        staking,
        "CooldownNotStarted",
      );
      await staking.connect(bob).cooldown();
      const start = await staking.stakersCooldowns(bob.address);
      await expect(staking.connect(bob).withdraw(units(1)))
        .to.be.revertedWithCustomError(staking, "StillCooling")
        .withArgs(start + BigInt(COOLDOWN));
      await time.increaseTo(start + BigInt(COOLDOWN + WINDOW + 1));
      await expect(staking.connect(bob).withdraw(units(1)))
        .to.be.revertedWithCustomError(staking, "UnstakeWindowFinished")
        .withArgs(start + BigInt(COOLDOWN + WINDOW));
      expect(await staking.balanceOf(bob.address)).to.equal(units(100));
    });

    it("rejects a cooldown with nothing staked", async function () {
      const { staking, bob } = await loadFixture(cooldownFixture);
      await expect(staking.connect(bob).cooldown()).to.be.revertedWithCustomError(staking, "NothingStaked");
    });

    it("rejects a reward notification from anyone but the rewards distribution", async function () {
      const { staking, bob } = await loadFixture(plainFixture);
      await expect(staking.connect(bob).notifyRewardAmount(1))
        .to.be.revertedWithCustomError(staking, "NotRewardsDistribution")
        .withArgs(bob.address);
    });

    it("rejects a reward rate the contract's balance cannot pay", async function () {
      const { staking, owner } = await loadFixture(plainFixture);
      await expect(staking.connect(owner).notifyRewardAmount(units(1))).to.be.revertedWithCustomError(
        staking,
        "RewardTooHigh",
      );
    });
  });

  describe("vault prepareRelease", function () {
    it("lets the owner and allocators call it as well as keepers", async function () {
      const { vault, owner, allocator, adapterAddress, depositAndAllocate } = await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await expect(vault.connect(owner).prepareRelease(adapterAddress, 1))
        .to.emit(vault, "ReleasePrepared")
        .withArgs(adapterAddress, owner.address, 1);
      await expect(vault.connect(allocator).prepareRelease(adapterAddress, 1))
        .to.emit(vault, "ReleasePrepared")
        .withArgs(adapterAddress, allocator.address, 1);
    });

    it("reverts for a caller without a role", async function () {
      const { vault, alice, staking, adapterAddress, depositAndAllocate } = await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await expect(vault.connect(alice).prepareRelease(adapterAddress, 1))
        .to.be.revertedWithCustomError(vault, "Unauthorized")
        .withArgs(alice.address);
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(0n);
    });

    it("reverts for a zero amount", async function () {
      const { vault, keeper, staking, adapterAddress, depositAndAllocate } = await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, 0)).to.be.revertedWithCustomError(
        vault,
        "ZeroAmount",
      );
      expect(await staking.stakersCooldowns(adapterAddress)).to.equal(0n);
    });

    it("reverts for an adapter that is not enabled", async function () {
      const { vault, keeper, bob } = await loadFixture(cooldownFixture);
      await expect(vault.connect(keeper).prepareRelease(bob.address, 1))
        .to.be.revertedWithCustomError(vault, "AdapterNotEnabled")
        .withArgs(bob.address);
    });

    it("reverts for an enabled adapter that is not asynchronous", async function () {
      const { vault, keeper, adapter } = await loadFixture(deploy18);
      await expect(vault.connect(keeper).prepareRelease(await adapter.getAddress(), 1)).to.be.reverted;
    });
  });

  describe("governance pass-through", function () {
    it("lets the vault owner delegate the votes of the idle asset", async function () {
      const { vault, owner, alice, bob, asset } = await loadFixture(plainFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await expect(vault.connect(owner).delegateVotes(bob.address))
        .to.emit(vault, "VotesDelegated")
        .withArgs(bob.address);
      expect(await asset.delegates(await vault.getAddress())).to.equal(bob.address);
      expect(await asset.getVotes(bob.address)).to.equal(units(100));
    });

    it("reverts a vault delegation from anyone but the owner", async function () {
      const { vault, curator, bob, asset } = await loadFixture(plainFixture);
      await expect(vault.connect(curator).delegateVotes(bob.address))
        .to.be.revertedWithCustomError(vault, "Unauthorized")
        .withArgs(curator.address);
      expect(await asset.delegates(await vault.getAddress())).to.equal(ethers.ZeroAddress);
    });

    it("reverts a vault delegation when the asset has no votes", async function () {
      const { vault, owner, bob } = await loadFixture(deploy18);
      await expect(vault.connect(owner).delegateVotes(bob.address)).to.be.reverted;
    });

    it("lets the vault owner delegate the adapter's loose tokens; staked tokens vote with the program", async function () {
      const { vault, owner, keeper, allocator, bob, asset, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(50));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(50));
      await vault.connect(allocator).allocate(adapterAddress, units(30));
      await expect(adapter.connect(owner).delegateVotes(bob.address))
        .to.emit(adapter, "AdapterVotesDelegated")
        .withArgs(bob.address);
      expect(await asset.delegates(adapterAddress)).to.equal(bob.address);
      // Only the 30 loose tokens: the 50 staked sit in the staking contract.
      expect(await asset.getVotes(bob.address)).to.equal(units(30));
      expect(await asset.balanceOf(await staking.getAddress())).to.equal(units(50));
      void vault;
    });

    it("reverts an adapter delegation from anyone but the vault owner", async function () {
      const { adapter, curator, bob, asset, adapterAddress } = await loadFixture(plainFixture);
      await expect(adapter.connect(curator).delegateVotes(bob.address))
        .to.be.revertedWithCustomError(adapter, "NotVaultOwner")
        .withArgs(curator.address);
      expect(await asset.delegates(adapterAddress)).to.equal(ethers.ZeroAddress);
    });
  });
});
