import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deploy18, deployVault, getRoles } from "../helpers/fixtures";
import {
  MockERC20__factory,
  MockLegacyStakedToken__factory,
  MockStakedToken__factory,
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

/** The vault, its asset (an ERC20Votes governance token), a reward token and the distributor, without a program. */
async function deployBase() {
  const roles = await getRoles();
  const asset = await new MockVotesToken__factory(roles.owner).deploy("Governance", "GOV");
  const rewardToken = await new MockERC20__factory(roles.owner).deploy("Reward", "RWD", 18);
  // deployVault only reads the token's address.
  const vault = await deployVault(asset as unknown as MockERC20, roles);
  const distributor = await new RecordingRewardsDistributor__factory(roles.owner).deploy();
  await vault.setRewardsDistributor(await distributor.getAddress());
  for (const user of [roles.alice, roles.bob]) {
    await asset.mint(user.address, units(1_000_000));
    await asset.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
  }
  return { ...roles, asset, rewardToken, vault, distributor };
}

async function addAdapter(base: Awaited<ReturnType<typeof deployBase>>, staking: string, cooldown: boolean) {
  const { vault, owner, curator, alice, allocator } = base;
  const adapter = await new StakingAdapter__factory(owner).deploy(await vault.getAddress(), staking, cooldown);
  const adapterAddress = await adapter.getAddress();
  await vault.connect(curator).addAdapter(adapterAddress, MAX_CAP, 10_000);
  /** Alice deposits `deposit` and the allocator stakes `allocated` of it. */
  const depositAndAllocate = async (deposit: bigint, allocated: bigint) => {
    await vault.connect(alice).deposit(deposit, alice.address);
    return vault.connect(allocator).allocate(adapterAddress, allocated);
  };
  return { adapter, adapterAddress, depositAndAllocate };
}

/** A Synthetix StakingRewards program (the owner is its owner and rewards distribution) and its adapter. */
async function deployPlain(rewardIsAsset: boolean) {
  const base = await deployBase();
  const { owner, asset, rewardToken } = base;
  const reward = rewardIsAsset ? asset : rewardToken;
  const staking = await new MockStakingRewards__factory(owner).deploy(
    owner.address,
    owner.address,
    await reward.getAddress(),
    await asset.getAddress(),
  );
  const parts = await addAdapter(base, await staking.getAddress(), false);
  /** Starts a reward period of `amount` reward tokens in the staking program. */
  const fundRewards = async (amount: bigint) => {
    await reward.mint(await staking.getAddress(), amount);
    await staking.connect(owner).notifyRewardAmount(amount);
  };
  return { ...base, ...parts, staking, fundRewards };
}

/**
 * An stkAAVE-shaped cooldown staking token over the asset (10-day cooldown, 2-day window) paying `rewardToken` (or
 * the asset, as stkAAVE pays AAVE) from the owner's wallet, its rewards vault; the owner is also the emission manager
 * and the slashing admin.
 */
async function deployCooldown(rewardIsAsset: boolean) {
  const base = await deployBase();
  const { owner, asset, rewardToken } = base;
  const reward = rewardIsAsset ? asset : rewardToken;
  const staking = await new MockStakedToken__factory(owner).deploy(
    await asset.getAddress(),
    await reward.getAddress(),
    COOLDOWN,
    WINDOW,
    owner.address,
    owner.address,
    365 * DAY,
  );
  const stakingAddress = await staking.getAddress();
  const parts = await addAdapter(base, stakingAddress, true);
  /** Streams `amount` per week from now on, from the owner's wallet. */
  const fundRewards = async (amount: bigint) => {
    await reward.mint(owner.address, amount * 2n);
    await reward.connect(owner).approve(stakingAddress, ethers.MaxUint256);
    await staking.configureAssets([
      { emissionPerSecond: amount / BigInt(REWARDS_DURATION), totalStaked: 0n, underlyingAsset: stakingAddress },
    ]);
  };
  return { ...base, ...parts, staking, fundRewards };
}

const plainFixture = () => deployPlain(false);
const assetRewardFixture = () => deployPlain(true);
const cooldownFixture = () => deployCooldown(false);
const cooldownAssetRewardFixture = () => deployCooldown(true);

describe("StakingAdapter", function () {
  describe("construction", function () {
    it("records the staking program, its reward token and the cooldown mode", async function () {
      const { adapter, staking, rewardToken, vault, asset } = await loadFixture(cooldownFixture);
      expect(await adapter.STAKING()).to.equal(await staking.getAddress());
      expect(await adapter.REWARD_TOKEN()).to.equal(await rewardToken.getAddress());
      expect(await adapter.HAS_COOLDOWN()).to.equal(true);
      expect(await adapter.vault()).to.equal(await vault.getAddress());
      expect(await adapter.asset()).to.equal(await asset.getAddress());
      const plain = await loadFixture(plainFixture);
      expect(await plain.adapter.HAS_COOLDOWN()).to.equal(false);
      expect(await plain.adapter.REWARD_TOKEN()).to.equal(await plain.rewardToken.getAddress());
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

    it("reverts when told the program is a StakingRewards but it is a cooldown staking token", async function () {
      const { owner, vault, staking } = await loadFixture(cooldownFixture);
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), await staking.getAddress(), false))
        .to.be.revertedWithCustomError(factory, "CooldownMismatch")
        .withArgs(false, true);
    });

    it("reverts when told there is a cooldown but the program is a StakingRewards", async function () {
      const { owner, vault, staking } = await loadFixture(plainFixture);
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), await staking.getAddress(), true))
        .to.be.revertedWithCustomError(factory, "CooldownMismatch")
        .withArgs(true, false);
    });

    it("refuses a pre-v1.5 staking token (no exchange rate, no slashing period)", async function () {
      const { owner, vault, asset } = await loadFixture(cooldownFixture);
      const legacy = await new MockLegacyStakedToken__factory(owner).deploy(
        await asset.getAddress(),
        await asset.getAddress(),
      );
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), await legacy.getAddress(), true))
        .to.be.revertedWithCustomError(factory, "UnsupportedCooldownProgram")
        .withArgs(await legacy.getAddress());
    });

    it("reverts when the staking token is not the vault's asset, in either mode", async function () {
      const { owner, vault, asset, rewardToken } = await loadFixture(plainFixture);
      const other = await new MockStakingRewards__factory(owner).deploy(
        owner.address,
        owner.address,
        await asset.getAddress(),
        await rewardToken.getAddress(),
      );
      const factory = new StakingAdapter__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), await other.getAddress(), false))
        .to.be.revertedWithCustomError(factory, "AssetMismatch")
        .withArgs(await asset.getAddress(), await rewardToken.getAddress());
      const otherStaked = await new MockStakedToken__factory(owner).deploy(
        await rewardToken.getAddress(),
        await asset.getAddress(),
        COOLDOWN,
        WINDOW,
        owner.address,
        owner.address,
        DAY,
      );
      await expect(factory.deploy(await vault.getAddress(), await otherStaked.getAddress(), true))
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

  describe("plain mode: Synthetix StakingRewards", function () {
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
      const { vault, keeper, adapter, adapterAddress, depositAndAllocate } = await loadFixture(plainFixture);
      await depositAndAllocate(units(100), units(80));
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(80)))
        .to.emit(vault, "ReleasePrepared")
        .withArgs(adapterAddress, keeper.address, units(80))
        .and.not.to.emit(adapter, "CooldownStarted");
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await adapter.releasable()).to.equal(units(80));
    });

    // issue 9.9: the real StakingRewards' `stake` is notPaused; the old adapter would revert the allocation.
    it("keeps allocations loose and releasable while the program is paused, and stakes them once unpaused", async function () {
      const { vault, owner, allocator, adapter, staking, asset, adapterAddress, depositAndAllocate } =
        await loadFixture(plainFixture);
      await depositAndAllocate(units(100), units(50));
      await staking.connect(owner).setPaused(true);
      await expect(vault.connect(allocator).allocate(adapterAddress, units(30))).not.to.emit(adapter, "Staked");
      expect(await asset.balanceOf(adapterAddress)).to.equal(units(30));
      expect(await adapter.totalAssets()).to.equal(units(80));
      expect(await adapter.releasable()).to.equal(units(80));
      // Withdrawals stay open while paused.
      await vault.connect(allocator).deallocate(adapterAddress, units(60));
      expect(await adapter.staked()).to.equal(units(20));
      await staking.connect(owner).setPaused(false);
      await expect(vault.connect(allocator).allocate(adapterAddress, units(10)))
        .to.emit(adapter, "Staked")
        .withArgs(units(10));
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

    it("keeps stkAAVE-style rewards (paid in the staked token) for the share price", async function () {
      const { vault, keeper, adapter, asset, adapterAddress, fundRewards, depositAndAllocate } =
        await loadFixture(cooldownAssetRewardFixture);
      await depositAndAllocate(units(1_000), units(1_000));
      await fundRewards(units(70));
      await time.increase(REWARDS_DURATION);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [], []);
      expect(await asset.balanceOf(adapterAddress)).to.be.closeTo(units(70), units(1) / 100n);
      expect(await adapter.totalAssets()).to.be.closeTo(units(1_070), units(1) / 100n);
    });
  });

  describe("cooldown mode: an stkAAVE-shaped cooldown staking token (issue 9.9)", function () {
    it("stakes through stake(to, amount), holding shares at the program's exchange rate", async function () {
      const { adapter, staking, adapterAddress, depositAndAllocate } = await loadFixture(cooldownFixture);
      await expect(depositAndAllocate(units(100), units(80)))
        .to.emit(adapter, "Staked")
        .withArgs(units(80))
        .and.to.emit(staking, "Staked")
        .withArgs(adapterAddress, adapterAddress, units(80), units(80));
      expect(await staking.balanceOf(adapterAddress)).to.equal(units(80));
      expect(await adapter.staked()).to.equal(units(80));
    });

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

    it("starts a cooldown of every share on prepareRelease and reports it as pending", async function () {
      const { vault, allocator, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      const tx = await vault.connect(allocator).prepareRelease(adapterAddress, units(10));
      const start = await time.latest();
      await expect(tx)
        .to.emit(adapter, "CooldownStarted")
        .withArgs(units(80), start + COOLDOWN);
      expect(await staking.stakersCooldowns(adapterAddress)).to.deep.equal([BigInt(start), units(80)]);
      expect(await adapter.pendingRelease()).to.deep.equal([units(80), BigInt(start + COOLDOWN)]);
      expect(await adapter.cooldownActive()).to.equal(true);
      expect(await adapter.releasable()).to.equal(0n);
    });

    it("lets maxWithdraw grow once the cooldown is over (inclusive), and pays the withdrawal by redeem", async function () {
      const { vault, keeper, alice, asset, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      const [, readyAt] = await adapter.pendingRelease();
      await time.increaseTo(readyAt - 1n);
      expect(await adapter.releasable()).to.equal(0n);
      await time.increaseTo(readyAt);
      expect(await adapter.releasable()).to.equal(units(80));
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(100));
      const before = await asset.balanceOf(alice.address);
      await expect(vault.connect(alice).withdraw(units(100), alice.address, alice.address)).to.emit(staking, "Redeem");
      expect((await asset.balanceOf(alice.address)) - before).to.equal(units(100));
      expect(await adapter.totalAssets()).to.equal(0n);
      expect(await staking.stakersCooldowns(adapterAddress)).to.deep.equal([0n, 0n]);
    });

    it("keeps the rest of a partly redeemed stake releasable until the window ends", async function () {
      const { vault, keeper, allocator, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      await time.increase(COOLDOWN + 1);
      await vault.connect(allocator).deallocate(adapterAddress, units(30));
      expect(await adapter.staked()).to.equal(units(50));
      expect(await adapter.releasable()).to.equal(units(50));
      const [, covered] = await staking.stakersCooldowns(adapterAddress);
      expect(covered).to.equal(units(50));
    });

    it("releases nothing again once the unstake window has passed, until a new cooldown", async function () {
      const { vault, keeper, alice, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      const [start] = await staking.stakersCooldowns(adapterAddress);
      await time.increaseTo(start + BigInt(COOLDOWN + WINDOW));
      expect(await adapter.releasable()).to.equal(units(80));
      await time.increase(1);
      expect(await adapter.releasable()).to.equal(0n);
      expect(await adapter.cooldownActive()).to.equal(false);
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(20));
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(80))).to.emit(adapter, "CooldownStarted");
      expect((await staking.stakersCooldowns(adapterAddress))[0]).to.equal(BigInt(await time.latest()));
    });

    it("does not restart a cooldown that is still cooling, or whose window is open", async function () {
      const { vault, keeper, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(80));
      const snapshot = await staking.stakersCooldowns(adapterAddress);
      await time.increase(DAY);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(80))).not.to.emit(
        adapter,
        "CooldownStarted",
      );
      await time.increase(COOLDOWN);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(80))).not.to.emit(
        adapter,
        "CooldownStarted",
      );
      expect(await staking.stakersCooldowns(adapterAddress)).to.deep.equal(snapshot);
      expect(await adapter.releasable()).to.equal(units(80));
    });

    it("starts no cooldown when nothing is staked", async function () {
      const { vault, keeper, alice, adapter, staking, adapterAddress } = await loadFixture(cooldownFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(1))).not.to.emit(
        adapter,
        "CooldownStarted",
      );
      expect(await staking.stakersCooldowns(adapterAddress)).to.deep.equal([0n, 0n]);
    });

    it("stakes allocations during a cooldown without moving it; only the covered shares are releasable", async function () {
      const { vault, keeper, allocator, alice, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(50));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(50));
      const snapshot = await staking.stakersCooldowns(adapterAddress);
      await expect(vault.connect(allocator).allocate(adapterAddress, units(30)))
        .to.emit(adapter, "Staked")
        .withArgs(units(30));
      expect(await staking.stakersCooldowns(adapterAddress)).to.deep.equal(snapshot);
      expect(await adapter.staked()).to.equal(units(80));
      expect(await adapter.pendingRelease()).to.deep.equal([units(50), snapshot[0] + BigInt(COOLDOWN)]);
      await time.increase(COOLDOWN);
      expect(await adapter.releasable()).to.equal(units(50));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(70));
      // Asked for more than the covered shares, it redeems those and frees what they pay.
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(70)))
        .to.emit(vault, "Deallocated")
        .withArgs(adapterAddress, units(70), units(50));
      expect(await adapter.staked()).to.equal(units(30));
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

    it("keeps earning while the stake cools down, and claims through claimRewards only when something accrued", async function () {
      const { vault, keeper, staking, rewardToken, distributor, adapterAddress, fundRewards, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(100));
      // Nothing accrued: harvest must not call claimRewards (the real one reverts on zero).
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [], []);
      await fundRewards(units(700));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(100));
      await time.increase(DAY);
      const accrued = await staking.getTotalRewardsBalance(adapterAddress);
      expect(accrued).to.be.greaterThan(0n);
      await expect(vault.connect(keeper).harvest(adapterAddress)).to.emit(staking, "RewardsClaimed");
      const paid = await rewardToken.balanceOf(await distributor.getAddress());
      expect(paid).to.be.closeTo(accrued, units(700) / BigInt(REWARDS_DURATION) + 1n);
      expect(await staking.getTotalRewardsBalance(adapterAddress)).to.equal(0n);
    });

    it("shows a slashing as a loss, and lets everything go without a cooldown while it is settled", async function () {
      const { vault, owner, keeper, allocator, adapter, staking, asset, adapterAddress, depositAndAllocate } =
        await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(100));
      await staking.connect(owner).slash(owner.address, units(10));
      // The exchange rate rounds up (in the program's favour): a few wei below 90.
      expect(await adapter.staked()).to.be.closeTo(units(90), 1_000n);
      expect(await adapter.staked()).to.be.lte(units(90));
      // Settling: no cooldown needed, and the program refuses new stakes, so allocations stay loose.
      expect(await adapter.releasable()).to.equal(await adapter.staked());
      await vault.connect(allocator).deallocate(adapterAddress, units(40));
      expect(await vault.totalIdle()).to.equal(units(40));
      await vault.connect(keeper).report(adapterAddress);
      await vault.connect(allocator).allocate(adapterAddress, units(10));
      expect(await asset.balanceOf(adapterAddress)).to.equal(units(10));
      await staking.connect(owner).settleSlashing();
      expect(await adapter.releasable()).to.equal(units(10));
    });
  });

  describe("the staking programs (mock behaviour the adapter relies on)", function () {
    it("StakingRewards: stake is notPaused, zero amounts revert, rewards need the balance", async function () {
      const { staking, asset, owner, bob } = await loadFixture(plainFixture);
      await asset.connect(bob).approve(await staking.getAddress(), ethers.MaxUint256);
      await expect(staking.connect(bob).stake(0)).to.be.revertedWith("Cannot stake 0");
      await expect(staking.connect(bob).withdraw(0)).to.be.revertedWith("Cannot withdraw 0");
      await staking.connect(owner).setPaused(true);
      await expect(staking.connect(bob).stake(units(1))).to.be.revertedWith(
        "This action cannot be performed while the contract is paused",
      );
      await staking.connect(owner).setPaused(false);
      await staking.connect(bob).stake(units(1));
      await expect(staking.connect(bob).notifyRewardAmount(1)).to.be.revertedWith(
        "Caller is not RewardsDistribution contract",
      );
      await expect(staking.connect(owner).notifyRewardAmount(units(100))).to.be.revertedWith(
        "Provided reward too high",
      );
      await expect(staking.connect(bob).setPaused(true)).to.be.revertedWith(
        "Only the contract owner may perform this action",
      );
    });

    it("stkAAVE shape: stake(to, amount), cooldown snapshot, redeem window and cap, claimRewards on zero", async function () {
      const { staking, asset, owner, bob } = await loadFixture(cooldownFixture);
      await asset.connect(bob).approve(await staking.getAddress(), ethers.MaxUint256);
      await expect(staking.connect(bob).stake(bob.address, 0)).to.be.revertedWith("INVALID_ZERO_AMOUNT");
      await expect(staking.connect(bob).cooldown()).to.be.revertedWith("INVALID_BALANCE_ON_COOLDOWN");
      await staking.connect(bob).stake(bob.address, units(100));
      await expect(staking.connect(bob).redeem(bob.address, units(1))).to.be.revertedWith("UNSTAKE_WINDOW_FINISHED");
      await staking.connect(bob).cooldown();
      const [start, covered] = await staking.stakersCooldowns(bob.address);
      expect(covered).to.equal(units(100));
      await expect(staking.connect(bob).redeem(bob.address, units(1))).to.be.revertedWith("INSUFFICIENT_COOLDOWN");
      // A stake during the cooldown leaves the snapshot as it is; redeem is capped at it.
      await staking.connect(bob).stake(bob.address, units(50));
      expect(await staking.stakersCooldowns(bob.address)).to.deep.equal([start, units(100)]);
      await time.increaseTo(start + BigInt(COOLDOWN));
      await staking.connect(bob).redeem(bob.address, units(1_000));
      expect(await staking.balanceOf(bob.address)).to.equal(units(50));
      expect(await staking.stakersCooldowns(bob.address)).to.deep.equal([0n, 0n]);
      await expect(staking.connect(bob).claimRewards(bob.address, ethers.MaxUint256)).to.be.revertedWith(
        "INVALID_ZERO_AMOUNT",
      );
      await expect(staking.connect(bob).slash(bob.address, 1)).to.be.revertedWith("CALLER_NOT_SLASHING_ADMIN");
      await staking.connect(bob).cooldown();
      await time.increase(COOLDOWN + WINDOW + 1);
      await expect(staking.connect(bob).redeem(bob.address, units(1))).to.be.revertedWith("UNSTAKE_WINDOW_FINISHED");
      void owner;
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
      expect(await staking.stakersCooldowns(adapterAddress)).to.deep.equal([0n, 0n]);
    });

    it("reverts for a zero amount", async function () {
      const { vault, keeper, staking, adapterAddress, depositAndAllocate } = await loadFixture(cooldownFixture);
      await depositAndAllocate(units(100), units(80));
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, 0)).to.be.revertedWithCustomError(
        vault,
        "ZeroAmount",
      );
      expect(await staking.stakersCooldowns(adapterAddress)).to.deep.equal([0n, 0n]);
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
      const { vault, owner, allocator, bob, asset, adapter, staking, adapterAddress, depositAndAllocate } =
        await loadFixture(plainFixture);
      await depositAndAllocate(units(100), units(50));
      // A paused program refuses stakes: the next allocation stays loose in the adapter.
      await staking.connect(owner).setPaused(true);
      await vault.connect(allocator).allocate(adapterAddress, units(30));
      await expect(adapter.connect(owner).delegateVotes(bob.address))
        .to.emit(adapter, "AdapterVotesDelegated")
        .withArgs(bob.address);
      expect(await asset.delegates(adapterAddress)).to.equal(bob.address);
      // Only the 30 loose tokens: the 50 staked sit in the staking contract.
      expect(await asset.getVotes(bob.address)).to.equal(units(30));
      expect(await asset.balanceOf(await staking.getAddress())).to.equal(units(50));
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
