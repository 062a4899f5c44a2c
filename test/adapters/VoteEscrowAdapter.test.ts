import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployVault, getRoles } from "../helpers/fixtures";
import {
  MockERC20__factory,
  MockFaultyToken__factory,
  MockRebaseDistributor__factory,
  MockVoter__factory,
  MockVotingEscrow__factory,
  MockVotingReward__factory,
  RecordingRewardsDistributor__factory,
  VoteEscrowAdapter__factory,
  type MockERC20,
} from "../../typechain-types";

const HOUR = 60 * 60;
const WEEK = 7 * 24 * HOUR;
const MAX_LOCK = 4 * 365 * 24 * HOUR;
const MAX_CAP = 2n ** 128n - 1n;
const units = (n: number | string) => ethers.parseUnits(n.toString(), 18);

/** Moves the chain to `offset` seconds after the start of the next epoch (the next block is one second later). */
async function toNextEpoch(offset: number) {
  const now = await time.latest();
  const next = now - (now % WEEK) + WEEK;
  await time.increaseTo(next + offset);
  return next;
}

/** Moves the chain into the voting window of the next epoch. */
const toVotingWindow = () => toNextEpoch(2 * HOUR);

async function deployVe(permanent: boolean) {
  const roles = await getRoles();
  const { owner } = roles;
  const velo = await new MockERC20__factory(owner).deploy("Velodrome", "VELO", 18);
  const weth = await new MockERC20__factory(owner).deploy("Wrapped Ether", "WETH", 18);
  const usdc = await new MockERC20__factory(owner).deploy("USD Coin", "USDC", 6);
  const op = await new MockERC20__factory(owner).deploy("Optimism", "OP", 18);
  const escrow = await new MockVotingEscrow__factory(owner).deploy(await velo.getAddress());
  const voter = await new MockVoter__factory(owner).deploy(await escrow.getAddress());
  await escrow.setVoter(await voter.getAddress());
  const rebase = await new MockRebaseDistributor__factory(owner).deploy(await escrow.getAddress());
  const poolA = ethers.Wallet.createRandom().address;
  const poolB = ethers.Wallet.createRandom().address;
  await voter.createGauge(poolA, [await weth.getAddress(), await usdc.getAddress()]);
  await voter.createGauge(poolB, [await velo.getAddress(), await usdc.getAddress()]);

  const vault = await deployVault(velo, roles);
  const distributor = await new RecordingRewardsDistributor__factory(owner).deploy();
  await vault.setRewardsDistributor(await distributor.getAddress());
  const adapter = await new VoteEscrowAdapter__factory(owner).deploy(
    await vault.getAddress(),
    await escrow.getAddress(),
    await voter.getAddress(),
    await rebase.getAddress(),
    permanent,
  );
  const adapterAddress = await adapter.getAddress();
  await vault.connect(roles.curator).addAdapter(adapterAddress, MAX_CAP, 10_000);
  for (const user of [roles.alice, roles.bob]) {
    await velo.mint(user.address, units(1_000_000));
    await velo.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
  }

  const rewardContracts = async (pool: string) => {
    const gauge = await voter.gauges(pool);
    return {
      fees: MockVotingReward__factory.connect(await voter.gaugeToFees(gauge), owner),
      bribe: MockVotingReward__factory.connect(await voter.gaugeToBribe(gauge), owner),
    };
  };
  /** Sends `amount` of `token` to a reward contract of the current epoch. */
  const notify = async (reward: { getAddress(): Promise<string> }, token: MockERC20, amount: bigint) => {
    const rewardAddress = await reward.getAddress();
    await token.mint(owner.address, amount);
    await token.connect(owner).approve(rewardAddress, amount);
    await MockVotingReward__factory.connect(rewardAddress, owner).notifyRewardAmount(await token.getAddress(), amount);
  };
  /** Credits `amount` of rebase to the adapter's NFT. */
  const notifyRebase = async (amount: bigint) => {
    await velo.mint(owner.address, amount);
    await velo.connect(owner).approve(await rebase.getAddress(), amount);
    await rebase.notifyRebase(await adapter.tokenId(), amount);
  };
  /** The allocator lists `tokens` as the incentives claimed from `pool` (its fee tokens stay the pool's two). */
  const chooseIncentives = async (pool: string, tokens: { getAddress(): Promise<string> }[]) => {
    const [, , feeTokens] = await adapter.claimTokens(pool);
    const incentives = await Promise.all(tokens.map((token) => token.getAddress()));
    await adapter.connect(roles.allocator).setClaimTokens(pool, [...feeTokens], incentives);
  };
  const depositAndAllocate = async (deposit: bigint, allocated: bigint) => {
    await vault.connect(roles.alice).deposit(deposit, roles.alice.address);
    return vault.connect(roles.allocator).allocate(adapterAddress, allocated);
  };
  return {
    ...roles,
    velo,
    weth,
    usdc,
    op,
    escrow,
    voter,
    rebase,
    poolA,
    poolB,
    vault,
    distributor,
    adapter,
    adapterAddress,
    rewardContracts,
    notify,
    notifyRebase,
    chooseIncentives,
    depositAndAllocate,
  };
}

const permanentFixture = () => deployVe(true);
const maxLockFixture = () => deployVe(false);

describe("VoteEscrowAdapter", function () {
  describe("construction", function () {
    it("records the escrow, voter, rebase distributor and lock mode", async function () {
      const { adapter, escrow, voter, rebase } = await loadFixture(permanentFixture);
      expect(await adapter.ESCROW()).to.equal(await escrow.getAddress());
      expect(await adapter.VOTER()).to.equal(await voter.getAddress());
      expect(await adapter.REBASE_DISTRIBUTOR()).to.equal(await rebase.getAddress());
      expect(await adapter.PERMANENT()).to.equal(true);
      expect(await adapter.tokenId()).to.equal(0n);
      expect(await adapter.totalAssets()).to.equal(0n);
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
    });

    it("reverts when the escrow, voter or rebase distributor is the zero address", async function () {
      const { owner, vault, escrow, voter, rebase } = await loadFixture(permanentFixture);
      const factory = new VoteEscrowAdapter__factory(owner);
      const [v, e, r, z] = [
        await vault.getAddress(),
        await escrow.getAddress(),
        await voter.getAddress(),
        ethers.ZeroAddress,
      ];
      const b = await rebase.getAddress();
      await expect(factory.deploy(v, z, r, b, true)).to.be.revertedWithCustomError(factory, "ZeroAddress");
      await expect(factory.deploy(v, e, z, b, true)).to.be.revertedWithCustomError(factory, "ZeroAddress");
      await expect(factory.deploy(v, e, r, z, true)).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });

    it("reverts when the escrow locks another token than the vault's asset", async function () {
      const { owner, vault, weth, velo, rebase } = await loadFixture(permanentFixture);
      const otherEscrow = await new MockVotingEscrow__factory(owner).deploy(await weth.getAddress());
      const otherVoter = await new MockVoter__factory(owner).deploy(await otherEscrow.getAddress());
      const factory = new VoteEscrowAdapter__factory(owner);
      await expect(
        factory.deploy(
          await vault.getAddress(),
          await otherEscrow.getAddress(),
          await otherVoter.getAddress(),
          await rebase.getAddress(),
          true,
        ),
      )
        .to.be.revertedWithCustomError(factory, "AssetMismatch")
        .withArgs(await velo.getAddress(), await weth.getAddress());
    });

    it("reverts when the voter serves another escrow", async function () {
      const { owner, vault, escrow, velo, rebase } = await loadFixture(permanentFixture);
      const otherEscrow = await new MockVotingEscrow__factory(owner).deploy(await velo.getAddress());
      const otherVoter = await new MockVoter__factory(owner).deploy(await otherEscrow.getAddress());
      const factory = new VoteEscrowAdapter__factory(owner);
      await expect(
        factory.deploy(
          await vault.getAddress(),
          await escrow.getAddress(),
          await otherVoter.getAddress(),
          await rebase.getAddress(),
          true,
        ),
      )
        .to.be.revertedWithCustomError(factory, "EscrowMismatch")
        .withArgs(await escrow.getAddress(), await otherEscrow.getAddress());
    });
  });

  describe("vault-only entry points", function () {
    it("reverts allocate, deallocate, harvest and prepareRelease from anyone but the vault", async function () {
      const { adapter, attacker } = await loadFixture(permanentFixture);
      const a = adapter.connect(attacker);
      const calls = [
        () => a.allocate(1),
        () => a.deallocate(1),
        () => a.harvest(attacker.address),
        () => a.prepareRelease(1),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(adapter, "NotVault").withArgs(attacker.address);
      }
      expect(await adapter.tokenId()).to.equal(0n);
    });
  });

  describe("locking", function () {
    it("creates one permanent veNFT on the first allocation; the lock is illiquid (maxWithdraw is idle)", async function () {
      const { adapter, adapterAddress, escrow, vault, alice, depositAndAllocate } = await loadFixture(permanentFixture);
      await expect(depositAndAllocate(units(1_000), units(800)))
        .to.emit(adapter, "LockCreated")
        .withArgs(1n, units(800), true);
      expect(await adapter.tokenId()).to.equal(1n);
      expect(await escrow.ownerOf(1)).to.equal(adapterAddress);
      const lock = await escrow.locked(1);
      expect(lock.amount).to.equal(units(800));
      expect(lock.isPermanent).to.equal(true);
      expect(await adapter.totalAssets()).to.equal(units(800));
      expect(await adapter.lockedAssets()).to.equal(units(800));
      expect(await adapter.releasable()).to.equal(0n);
      expect(await adapter.pendingRelease()).to.deep.equal([units(800), ethers.MaxUint256]);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(200));
      expect(await vault.liquidAssets()).to.equal(units(200));
    });

    it("adds later allocations to the same veNFT", async function () {
      const { adapter, escrow, vault, allocator, adapterAddress, depositAndAllocate } =
        await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(500));
      await expect(vault.connect(allocator).allocate(adapterAddress, units(300)))
        .to.emit(adapter, "LockIncreased")
        .withArgs(1n, units(300));
      expect((await escrow.locked(1)).amount).to.equal(units(800));
      expect(await escrow.tokenId()).to.equal(1n);
    });

    it("creates a four-year lock in max-length mode and re-extends it at later allocations", async function () {
      const { adapter, escrow, vault, allocator, adapterAddress, depositAndAllocate } =
        await loadFixture(maxLockFixture);
      await depositAndAllocate(units(1_000), units(500));
      const created = await time.latest();
      const end = (await escrow.locked(1)).end;
      expect(end).to.equal(BigInt(Math.floor((created + MAX_LOCK) / WEEK) * WEEK));
      expect(await adapter.pendingRelease()).to.deep.equal([units(500), end]);
      await time.increase(2 * WEEK);
      const tx = await vault.connect(allocator).allocate(adapterAddress, units(100));
      const newEnd = BigInt(Math.floor(((await time.latest()) + MAX_LOCK) / WEEK) * WEEK);
      await expect(tx).to.emit(adapter, "LockExtended").withArgs(1n, newEnd);
      expect((await escrow.locked(1)).end).to.equal(newEnd);
    });

    it("lets an allocator re-extend a max-length lock", async function () {
      const { adapter, escrow, allocator, depositAndAllocate } = await loadFixture(maxLockFixture);
      await depositAndAllocate(units(1_000), units(500));
      await time.increase(3 * WEEK);
      await expect(adapter.connect(allocator).extendLock()).to.emit(adapter, "LockExtended");
      expect((await escrow.locked(1)).end).to.equal(
        BigInt(Math.floor(((await time.latest()) + MAX_LOCK) / WEEK) * WEEK),
      );
    });

    it("does not extend a lock that already ends four years out", async function () {
      const { adapter, allocator, escrow, depositAndAllocate } = await loadFixture(maxLockFixture);
      await depositAndAllocate(units(1_000), units(500));
      const end = (await escrow.locked(1)).end;
      await expect(adapter.connect(allocator).extendLock()).not.to.emit(adapter, "LockExtended");
      expect((await escrow.locked(1)).end).to.equal(end);
    });

    it("reports no pending reset without a lock", async function () {
      const { adapter } = await loadFixture(maxLockFixture);
      expect(await adapter.resetOpensAt()).to.equal(0n);
      expect(await adapter.releasable()).to.equal(0n);
    });

    it("reverts extendLock in permanent mode", async function () {
      const { adapter, allocator, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(500));
      await expect(adapter.connect(allocator).extendLock()).to.be.revertedWithCustomError(adapter, "PermanentMode");
    });

    it("reverts extendLock without a lock", async function () {
      const { adapter, allocator } = await loadFixture(maxLockFixture);
      await expect(adapter.connect(allocator).extendLock()).to.be.revertedWithCustomError(adapter, "NoLock");
    });

    it("reverts extendLock from anyone but an allocator or the owner", async function () {
      const { adapter, attacker, escrow, depositAndAllocate } = await loadFixture(maxLockFixture);
      await depositAndAllocate(units(1_000), units(500));
      const end = (await escrow.locked(1)).end;
      await time.increase(3 * WEEK);
      await expect(adapter.connect(attacker).extendLock())
        .to.be.revertedWithCustomError(adapter, "NotAllocator")
        .withArgs(attacker.address);
      expect((await escrow.locked(1)).end).to.equal(end);
    });

    it("reverts extendLock once a release is prepared", async function () {
      const { adapter, allocator, vault, keeper, adapterAddress, depositAndAllocate } =
        await loadFixture(maxLockFixture);
      await depositAndAllocate(units(1_000), units(500));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(500));
      await expect(adapter.connect(allocator).extendLock()).to.be.revertedWithCustomError(adapter, "ReleaseInProgress");
    });
  });

  describe("voting", function () {
    it("votes the allocator's weights inside the epoch's voting window and records the claim pools", async function () {
      const { adapter, allocator, voter, escrow, poolA, poolB, depositAndAllocate } =
        await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await expect(adapter.connect(allocator).vote([poolA, poolB], [2, 1]))
        .to.emit(adapter, "Voted")
        .withArgs(1n, allocator.address, [poolA, poolB], [2n, 1n])
        .and.to.emit(adapter, "ClaimPoolAdded")
        .withArgs(poolA);
      expect(await voter.votes(1, poolA)).to.equal(units(600));
      expect(await voter.votes(1, poolB)).to.equal(units(300));
      expect(await escrow.voted(1)).to.equal(true);
      expect(await adapter.claimPools()).to.deep.equal([poolA, poolB]);
    });

    it("lets the vault owner vote too", async function () {
      const { adapter, owner, voter, poolA, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(owner).vote([poolA], [1]);
      expect(await voter.votes(1, poolA)).to.equal(units(900));
    });

    it("is rejected in the first hour of an epoch", async function () {
      const { adapter, allocator, voter, escrow, poolA, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toNextEpoch(0);
      await expect(adapter.connect(allocator).vote([poolA], [1])).to.be.revertedWithCustomError(
        voter,
        "DistributeWindow",
      );
      expect(await escrow.voted(1)).to.equal(false);
      expect(await adapter.claimPools()).to.deep.equal([]);
    });

    it("is rejected in the last hour of an epoch", async function () {
      const { adapter, allocator, voter, escrow, poolA, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toNextEpoch(WEEK - HOUR);
      await expect(adapter.connect(allocator).vote([poolA], [1])).to.be.revertedWithCustomError(
        voter,
        "NotWhitelistedNFT",
      );
      expect(await escrow.voted(1)).to.equal(false);
    });

    it("is rejected a second time in the same epoch", async function () {
      const { adapter, allocator, voter, poolA, poolB, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await expect(adapter.connect(allocator).vote([poolB], [1])).to.be.revertedWithCustomError(
        voter,
        "AlreadyVotedOrDeposited",
      );
      expect(await voter.votes(1, poolB)).to.equal(0n);
    });

    it("reverts for a caller who is neither allocator nor owner", async function () {
      const { adapter, attacker, escrow, poolA, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await expect(adapter.connect(attacker).vote([poolA], [1]))
        .to.be.revertedWithCustomError(adapter, "NotAllocator")
        .withArgs(attacker.address);
      expect(await escrow.voted(1)).to.equal(false);
    });

    it("reverts without a lock", async function () {
      const { adapter, allocator, poolA } = await loadFixture(permanentFixture);
      await expect(adapter.connect(allocator).vote([poolA], [1])).to.be.revertedWithCustomError(adapter, "NoLock");
    });

    it("reverts when the claim-pool list would exceed its bound", async function () {
      const { adapter, allocator, voter, weth, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      const pools: string[] = [];
      for (let i = 0; i < 9; i++) {
        const pool = ethers.Wallet.createRandom().address;
        await voter.createGauge(pool, [await weth.getAddress()]);
        pools.push(pool);
      }
      await toVotingWindow();
      await expect(adapter.connect(allocator).vote(pools, Array(9).fill(1)))
        .to.be.revertedWithCustomError(adapter, "TooManyPools")
        .withArgs(8);
      expect(await adapter.claimPools()).to.deep.equal([]);
    });

    it("resets the votes in a later epoch", async function () {
      const { adapter, allocator, voter, escrow, poolA, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await toVotingWindow();
      await expect(adapter.connect(allocator).resetVotes()).to.emit(adapter, "VotesReset").withArgs(1n);
      expect(await escrow.voted(1)).to.equal(false);
      expect(await voter.votes(1, poolA)).to.equal(0n);
    });

    it("refuses to reset votes in the epoch they were cast, naming when it can", async function () {
      const { adapter, allocator, escrow, poolA, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      const epoch = await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      expect(await adapter.resetOpensAt()).to.equal(BigInt(epoch + WEEK + HOUR + 1));
      await expect(adapter.connect(allocator).resetVotes())
        .to.be.revertedWithCustomError(adapter, "VotesStandUntil")
        .withArgs(epoch + WEEK + HOUR + 1);
      expect(await escrow.voted(1)).to.equal(true);
    });

    it("refuses to reset votes in the first hour of an epoch", async function () {
      const { adapter, allocator, poolA, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      const epoch = await toNextEpoch(0);
      await expect(adapter.connect(allocator).resetVotes())
        .to.be.revertedWithCustomError(adapter, "VotesStandUntil")
        .withArgs(epoch + HOUR + 1);
    });

    it("reverts resetVotes without a lock or from a stranger", async function () {
      const { adapter, allocator, attacker } = await loadFixture(permanentFixture);
      await expect(adapter.connect(allocator).resetVotes()).to.be.revertedWithCustomError(adapter, "NoLock");
      await expect(adapter.connect(attacker).resetVotes())
        .to.be.revertedWithCustomError(adapter, "NotAllocator")
        .withArgs(attacker.address);
    });

    it("removes a claim pool the NFT no longer votes for", async function () {
      const { adapter, allocator, poolA, poolB, depositAndAllocate } = await loadFixture(permanentFixture);
      await depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA, poolB], [1, 1]);
      await expect(adapter.connect(allocator).removeClaimPool(poolA))
        .to.be.revertedWithCustomError(adapter, "PoolStillVoted")
        .withArgs(poolA);
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolB], [1]);
      await expect(adapter.connect(allocator).removeClaimPool(poolA))
        .to.emit(adapter, "ClaimPoolRemoved")
        .withArgs(poolA);
      expect(await adapter.claimPools()).to.deep.equal([poolB]);
    });

    it("reverts removing an unknown claim pool or by a stranger", async function () {
      const { adapter, allocator, attacker, poolA } = await loadFixture(permanentFixture);
      await expect(adapter.connect(allocator).removeClaimPool(poolA))
        .to.be.revertedWithCustomError(adapter, "UnknownPool")
        .withArgs(poolA);
      await expect(adapter.connect(attacker).removeClaimPool(poolA))
        .to.be.revertedWithCustomError(adapter, "NotAllocator")
        .withArgs(attacker.address);
    });
  });

  describe("harvest", function () {
    it("claims the voted epoch's fees and incentives and forwards them to the distributor", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, distributor, poolA, weth, usdc, op } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await fx.chooseIncentives(poolA, [op]);
      const { fees, bribe } = await fx.rewardContracts(poolA);
      await fx.notify(fees, weth, units(2));
      await fx.notify(fees, usdc, 3_000_000n);
      await fx.notify(bribe, op, units(50));
      // Nothing is claimable before the epoch ends.
      expect(await fees.earned(await weth.getAddress(), 1)).to.equal(0n);
      await toNextEpoch(0);
      const distributorAddress = await distributor.getAddress();
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(
          adapterAddress,
          keeper.address,
          [await weth.getAddress(), await usdc.getAddress(), await op.getAddress()],
          [units(2), 3_000_000n, units(50)],
        );
      expect(await weth.balanceOf(distributorAddress)).to.equal(units(2));
      expect(await usdc.balanceOf(distributorAddress)).to.equal(3_000_000n);
      expect(await op.balanceOf(distributorAddress)).to.equal(units(50));
      expect(await distributor.notified(await op.getAddress())).to.equal(units(50));
      expect(await op.balanceOf(adapterAddress)).to.equal(0n);
    });

    it("keeps rewards paid in the asset for the share price", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, poolB, velo, usdc } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolB], [1]);
      const { fees } = await fx.rewardContracts(poolB);
      await fx.notify(fees, velo, units(20));
      await fx.notify(fees, usdc, 1_000_000n);
      await toNextEpoch(0);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await usdc.getAddress()], [1_000_000n]);
      expect(await velo.balanceOf(adapterAddress)).to.equal(units(20));
      expect(await adapter.totalAssets()).to.equal(units(920));
      // Loose asset is releasable at once.
      expect(await adapter.releasable()).to.equal(units(20));
    });

    it("claims rebases into the lock, and a report raises the share price", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, keeper, vault, escrow, alice } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await fx.notifyRebase(units(30));
      await vault.connect(keeper).harvest(adapterAddress);
      expect((await escrow.locked(1)).amount).to.equal(units(930));
      expect(await adapter.totalAssets()).to.equal(units(930));
      const priceBefore = await vault.convertToAssets(units(1));
      await expect(vault.connect(keeper).report(adapterAddress))
        .to.emit(vault, "Reported")
        .withArgs(adapterAddress, units(930), units(30), 0n, 0n, 0n, 0n);
      await time.increase(7 * 24 * HOUR);
      expect(await vault.convertToAssets(units(1))).to.be.greaterThan(priceBefore);
      // The gain is locked in the veNFT: a depositor can still only take idle.
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(100));
    });

    it("still forwards fees when the rebase claim reverts", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, rebase, poolA, weth } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await fx.notify((await fx.rewardContracts(poolA)).fees, weth, units(1));
      await fx.notifyRebase(units(5));
      await rebase.setBroken(true);
      await toNextEpoch(0);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(adapter, "ClaimFailed")
        .withArgs(1n, await rebase.getAddress(), ethers.ZeroAddress)
        .and.to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await weth.getAddress()], [units(1)]);
      expect(await rebase.claimable(1)).to.equal(units(5));
    });

    it("still forwards the other rewards when one reward contract reverts", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, poolA, weth, op } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await fx.chooseIncentives(poolA, [op]);
      const { fees, bribe } = await fx.rewardContracts(poolA);
      await fx.notify(fees, weth, units(1));
      await fx.notify(bribe, op, units(7));
      await fees.setBroken(true);
      await toNextEpoch(0);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(adapter, "ClaimFailed")
        .withArgs(1n, await fees.getAddress(), await weth.getAddress())
        .and.to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await op.getAddress()], [units(7)]);
      // The failed claim is retried at the next harvest.
      await fees.setBroken(false);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await weth.getAddress()], [units(1)]);
    });

    it("still claims an earlier vote's rewards after the votes move to another pool", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, distributor, poolA, poolB, weth } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await fx.notify((await fx.rewardContracts(poolA)).fees, weth, units(4));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolB], [1]);
      expect(await adapter.claimPools()).to.deep.equal([poolA, poolB]);
      await vault.connect(keeper).harvest(adapterAddress);
      expect(await weth.balanceOf(await distributor.getAddress())).to.equal(units(4));
    });

    it("forwards a token paid by several reward contracts once, as one amount", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, poolA, poolB, usdc } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA, poolB], [1, 1]);
      await fx.notify((await fx.rewardContracts(poolA)).fees, usdc, 1_000_000n);
      await fx.notify((await fx.rewardContracts(poolB)).fees, usdc, 2_000_000n);
      await toNextEpoch(0);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await usdc.getAddress()], [3_000_000n]);
    });

    it("harvests nothing without a lock", async function () {
      const { adapterAddress, keeper, vault } = await loadFixture(permanentFixture);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [], []);
    });
  });

  describe("releasing a max-length lock", function () {
    it("stops extending, keeps new allocations loose, and pays out once the lock expires", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, escrow, velo, alice, poolA } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      const end = (await escrow.locked(1)).end;
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(600)))
        .to.emit(adapter, "ReleaseStarted")
        .withArgs(1n, units(600), end);
      expect(await adapter.releasing()).to.equal(true);
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      // Allocations during a release stay loose and releasable; the lock is not extended.
      await expect(vault.connect(allocator).allocate(adapterAddress, units(100))).not.to.emit(adapter, "LockIncreased");
      expect((await escrow.locked(1)).end).to.equal(end);
      expect(await adapter.releasable()).to.equal(units(100));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(400));
      // The standing vote must be reset after the lock ends, outside the epoch's first hour.
      expect(await adapter.pendingRelease()).to.deep.equal([units(600), end + BigInt(HOUR + 1)]);
      await time.increaseTo(end);
      expect(await adapter.releasable()).to.equal(units(100));
      expect(await adapter.pendingRelease()).to.deep.equal([units(600), end + BigInt(HOUR + 1)]);
      await time.increaseTo(end + BigInt(HOUR + 1));
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await adapter.releasable()).to.equal(units(700));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(1_000));
      const before = await velo.balanceOf(alice.address);
      await expect(vault.connect(alice).withdraw(units(1_000), alice.address, alice.address))
        .to.emit(adapter, "LockWithdrawn")
        .withArgs(1n, units(600))
        .and.to.emit(adapter, "VotesReset");
      expect((await velo.balanceOf(alice.address)) - before).to.equal(units(1_000));
      expect(await adapter.tokenId()).to.equal(0n);
      expect(await adapter.releasing()).to.equal(false);
      expect(await adapter.totalAssets()).to.equal(0n);
    });

    it("frees nothing while the lock runs and nothing is loose", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapterAddress, allocator, vault } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(100)))
        .to.emit(vault, "Deallocated")
        .withArgs(adapterAddress, units(100), 0n);
    });

    it("deallocates only loose assets while the lock runs", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapterAddress, allocator, keeper, vault, escrow } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(600));
      await vault.connect(allocator).allocate(adapterAddress, units(100));
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(700)))
        .to.emit(vault, "Deallocated")
        .withArgs(adapterAddress, units(700), units(100));
      expect((await escrow.locked(1)).amount).to.equal(units(600));
    });

    it("keeps the unrequested rest of a withdrawn lock loose, and relocks it at the next allocation", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, velo } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(600));
      await time.increase(MAX_LOCK + WEEK);
      await vault.connect(allocator).deallocate(adapterAddress, units(200));
      expect(await velo.balanceOf(adapterAddress)).to.equal(units(400));
      expect(await adapter.releasable()).to.equal(units(400));
      await expect(vault.connect(allocator).allocate(adapterAddress, units(100)))
        .to.emit(adapter, "LockCreated")
        .withArgs(2n, units(500), false);
    });

    it("claims what the NFT earned before withdrawing it, and forwards it at the next harvest", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, distributor, escrow, poolA, op } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(600));
      const end = (await escrow.locked(1)).end;
      // Vote in the lock's last epoch; incentives arrive for that epoch.
      await time.increaseTo(end - BigInt(WEEK) + BigInt(2 * HOUR));
      await adapter.connect(allocator).vote([poolA], [1]);
      await fx.chooseIncentives(poolA, [op]);
      await fx.notify((await fx.rewardContracts(poolA)).bribe, op, units(9));
      await time.increaseTo(end + BigInt(2 * HOUR));
      await vault.connect(allocator).deallocate(adapterAddress, units(600));
      expect(await adapter.tokenId()).to.equal(0n);
      expect(await op.balanceOf(adapterAddress)).to.equal(units(9));
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await op.getAddress()], [units(9)]);
      expect(await op.balanceOf(await distributor.getAddress())).to.equal(units(9));
    });

    // issue 9.8: the old code claimed best effort and burned the NFT anyway, so a failed claim was lost for good.
    it("keeps the NFT while the rebase claim fails at the epoch flip, and withdraws it with the rebase once it works (issue 9.8)", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapter, adapterAddress, allocator, vault, escrow, rebase, velo } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await vault.connect(fx.keeper).prepareRelease(adapterAddress, units(600));
      const end = (await escrow.locked(1)).end;
      await fx.notifyRebase(units(12));
      // The period is not yet updated at the flip: the rebase claim reverts.
      await rebase.setBroken(true);
      await time.increaseTo(end + 60n);
      // The views already see the distributor's period behind the epoch: the lock is not counted as releasable.
      expect(await adapter.releasable()).to.equal(0n);
      expect(await adapter.pendingRelease()).to.deep.equal([units(600), ethers.MaxUint256]);
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(600)))
        .to.emit(adapter, "ClaimFailed")
        .withArgs(1n, await rebase.getAddress(), ethers.ZeroAddress)
        .and.to.emit(adapter, "WithdrawalDeferred")
        .withArgs(1n)
        .and.not.to.emit(adapter, "LockWithdrawn");
      expect(await adapter.tokenId()).to.equal(1n);
      expect(await escrow.ownerOf(1)).to.equal(adapterAddress);
      expect(await adapter.claimsFailed()).to.equal(true);
      // Held by the failed claim: not releasable, pending with no known date.
      expect(await adapter.releasable()).to.equal(0n);
      expect(await adapter.pendingRelease()).to.deep.equal([units(600), ethers.MaxUint256]);
      expect(await vault.maxWithdraw(fx.alice.address)).to.equal(units(400));
      // Once the period is updated the retry claims the rebase (paid loose after expiry), then withdraws.
      await rebase.setBroken(false);
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(600)))
        .to.emit(adapter, "LockWithdrawn")
        .withArgs(1n, units(600))
        .and.to.emit(vault, "Deallocated")
        .withArgs(adapterAddress, units(600), units(600));
      expect(await rebase.claimable(1)).to.equal(0n);
      expect(await adapter.claimsFailed()).to.equal(false);
      // The rebase is kept, loose and releasable, for the share price.
      expect(await velo.balanceOf(adapterAddress)).to.equal(units(12));
      expect(await adapter.releasable()).to.equal(units(12));
    });

    it("still answers releasable when the rebase distributor has no readable minter", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { vault, escrow, voter, velo, owner, alice } = fx;
      // A distributor without `minter()` (here: the token itself) must not make the views revert.
      const adapter = await new VoteEscrowAdapter__factory(owner).deploy(
        await vault.getAddress(),
        await escrow.getAddress(),
        await voter.getAddress(),
        await velo.getAddress(),
        false,
      );
      const adapterAddress = await adapter.getAddress();
      await vault.connect(fx.curator).addAdapter(adapterAddress, MAX_CAP, 10_000);
      await vault.connect(alice).deposit(units(100), alice.address);
      await vault.connect(fx.allocator).allocate(adapterAddress, units(100));
      await vault.connect(fx.keeper).prepareRelease(adapterAddress, units(100));
      await time.increaseTo((await escrow.locked(await adapter.tokenId())).end + 60n);
      expect(await adapter.releasable()).to.equal(units(100));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(100));
    });

    it("keeps the NFT while a reward claim fails; a harvest that claims everything makes it releasable again (issue 9.8)", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, escrow, poolA, op, distributor } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(600));
      const end = (await escrow.locked(1)).end;
      await time.increaseTo(end - BigInt(WEEK) + BigInt(2 * HOUR));
      await adapter.connect(allocator).vote([poolA], [1]);
      await fx.chooseIncentives(poolA, [op]);
      const { bribe } = await fx.rewardContracts(poolA);
      await fx.notify(bribe, op, units(5));
      await bribe.setBroken(true);
      await time.increaseTo(end + BigInt(2 * HOUR));
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(600)))
        .to.emit(adapter, "ClaimFailed")
        .withArgs(1n, await bribe.getAddress(), await op.getAddress())
        .and.to.emit(adapter, "WithdrawalDeferred")
        .and.to.emit(vault, "Deallocated")
        .withArgs(adapterAddress, units(600), 0n);
      expect(await adapter.tokenId()).to.equal(1n);
      expect(await adapter.releasable()).to.equal(0n);
      await bribe.setBroken(false);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await op.getAddress()], [units(5)]);
      expect(await op.balanceOf(await distributor.getAddress())).to.equal(units(5));
      expect(await adapter.releasable()).to.equal(units(600));
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(600))).to.emit(adapter, "LockWithdrawn");
      expect(await adapter.tokenId()).to.equal(0n);
    });

    it("lets an allocator give up a broken token so the NFT can be withdrawn (issue 9.8)", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapter, adapterAddress, allocator, vault, escrow, poolA } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await vault.connect(fx.keeper).prepareRelease(adapterAddress, units(600));
      const end = (await escrow.locked(1)).end;
      await time.increaseTo(end - BigInt(WEEK) + BigInt(2 * HOUR));
      await adapter.connect(allocator).vote([poolA], [1]);
      const { fees } = await fx.rewardContracts(poolA);
      await fees.setBroken(true);
      await time.increaseTo(end + BigInt(2 * HOUR));
      await vault.connect(allocator).deallocate(adapterAddress, units(600));
      expect(await adapter.tokenId()).to.equal(1n);
      await expect(adapter.connect(allocator).setClaimTokens(poolA, [], []))
        .to.emit(adapter, "ClaimTokensSet")
        .withArgs(poolA, allocator.address, [], []);
      await expect(vault.connect(allocator).deallocate(adapterAddress, units(600)))
        .to.emit(adapter, "LockWithdrawn")
        .withArgs(1n, units(600));
      expect(await adapter.claimsFailed()).to.equal(false);
      expect(await fx.velo.balanceOf(await vault.getAddress())).to.equal(units(1_000));
    });

    it("leaves allocations loose once an unreleased max-length lock has expired", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapter, adapterAddress, allocator, vault, escrow, velo } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await time.increase(MAX_LOCK + WEEK);
      await expect(vault.connect(allocator).allocate(adapterAddress, units(100))).not.to.emit(adapter, "LockIncreased");
      expect((await escrow.locked(1)).amount).to.equal(units(600));
      expect(await velo.balanceOf(adapterAddress)).to.equal(units(100));
      expect(await adapter.releasable()).to.equal(units(700));
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
    });

    it("pays a rebase claimed after expiry loose to the adapter", async function () {
      const fx = await loadFixture(maxLockFixture);
      const { adapter, adapterAddress, keeper, vault, velo } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await vault.connect(keeper).prepareRelease(adapterAddress, units(600));
      await time.increase(MAX_LOCK + WEEK);
      await fx.notifyRebase(units(10));
      await vault.connect(keeper).harvest(adapterAddress);
      expect(await velo.balanceOf(adapterAddress)).to.equal(units(10));
      expect(await adapter.totalAssets()).to.equal(units(610));
      expect(await adapter.releasable()).to.equal(units(610));
    });
  });

  describe("releasing a permanent lock", function () {
    it("resets the votes and unlocks, starting a four-year decay", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, escrow, poolA } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await toVotingWindow();
      const tx = await vault.connect(keeper).prepareRelease(adapterAddress, units(1));
      const end = BigInt(Math.floor(((await time.latest()) + MAX_LOCK) / WEEK) * WEEK);
      await expect(tx).to.emit(adapter, "VotesReset").withArgs(1n);
      await expect(tx).to.emit(adapter, "ReleaseStarted").withArgs(1n, units(600), end);
      const lock = await escrow.locked(1);
      expect(lock.isPermanent).to.equal(false);
      expect(lock.end).to.equal(end);
      expect(await adapter.pendingRelease()).to.deep.equal([units(600), end]);
      expect(await adapter.releasable()).to.equal(0n);
      await time.increaseTo(end);
      expect(await adapter.releasable()).to.equal(units(600));
    });

    it("refuses while the votes cannot be reset yet, leaving the lock permanent", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, escrow, poolA } = fx;
      await fx.depositAndAllocate(units(1_000), units(600));
      const epoch = await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, units(1)))
        .to.be.revertedWithCustomError(adapter, "VotesStandUntil")
        .withArgs(epoch + WEEK + HOUR + 1);
      expect((await escrow.locked(1)).isPermanent).to.equal(true);
      expect(await adapter.releasing()).to.equal(false);
    });

    it("does nothing without a lock or with a release already prepared", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, keeper, vault, escrow } = fx;
      await vault.connect(fx.alice).deposit(units(10), fx.alice.address);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, 1)).not.to.emit(adapter, "ReleaseStarted");
      await vault.connect(fx.allocator).allocate(adapterAddress, units(5));
      await vault.connect(keeper).prepareRelease(adapterAddress, 1);
      const end = (await escrow.locked(1)).end;
      await time.increase(WEEK);
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, 1)).not.to.emit(adapter, "ReleaseStarted");
      expect((await escrow.locked(1)).end).to.equal(end);
    });
  });

  describe("ERC-721 receipt", function () {
    it("refuses a veNFT sent to it by someone else", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, escrow, velo, bob } = fx;
      await velo.connect(bob).approve(await escrow.getAddress(), units(1));
      await escrow.connect(bob).createLock(units(1), WEEK * 4);
      await expect(escrow.connect(bob)["safeTransferFrom(address,address,uint256)"](bob.address, adapterAddress, 1))
        .to.be.revertedWithCustomError(adapter, "UnexpectedNFT")
        .withArgs(await escrow.getAddress(), 1n);
      expect(await escrow.ownerOf(1)).to.equal(bob.address);
    });

    it("accepts its own mint from an escrow that mints with a receiver check", async function () {
      const { adapter, adapterAddress, escrow } = await loadFixture(permanentFixture);
      const escrowSigner = await ethers.getImpersonatedSigner(await escrow.getAddress());
      expect(
        await adapter.connect(escrowSigner).onERC721Received.staticCall(adapterAddress, ethers.ZeroAddress, 1, "0x"),
      ).to.equal(adapter.interface.getFunction("onERC721Received").selector);
    });

    it("refuses a call from anything but the escrow", async function () {
      const { adapter, attacker } = await loadFixture(permanentFixture);
      await expect(adapter.connect(attacker).onERC721Received(attacker.address, ethers.ZeroAddress, 7, "0x"))
        .to.be.revertedWithCustomError(adapter, "UnexpectedNFT")
        .withArgs(attacker.address, 7n);
    });
  });

  describe("the escrow (mock behaviour the adapter relies on)", function () {
    it("refuses to withdraw a voted, a permanent or an unexpired lock", async function () {
      const fx = await loadFixture(permanentFixture);
      const { escrow, voter, velo, bob, poolA } = fx;
      await velo.connect(bob).approve(await escrow.getAddress(), units(10));
      await escrow.connect(bob).createLock(units(10), 2 * WEEK);
      await expect(escrow.connect(bob).withdraw(1)).to.be.revertedWithCustomError(escrow, "LockNotExpired");
      await toVotingWindow();
      await voter.connect(bob).vote(1, [poolA], [1]);
      await time.increase(3 * WEEK);
      await expect(escrow.connect(bob).withdraw(1)).to.be.revertedWithCustomError(escrow, "AlreadyVoted");
      await velo.connect(bob).approve(await escrow.getAddress(), units(10));
      await escrow.connect(bob).createLock(units(10), 2 * WEEK);
      await escrow.connect(bob).lockPermanent(2);
      await expect(escrow.connect(bob).withdraw(2)).to.be.revertedWithCustomError(escrow, "PermanentLock");
      await expect(escrow.connect(bob).unlockPermanent(1)).to.be.revertedWithCustomError(escrow, "AlreadyVoted");
    });

    it("lets the Voter's claim wrappers pay fees and incentives to the NFT's owner", async function () {
      const fx = await loadFixture(permanentFixture);
      const { escrow, voter, velo, bob, poolA, weth, op } = fx;
      await velo.connect(bob).approve(await escrow.getAddress(), units(10));
      await escrow.connect(bob).createLock(units(10), 8 * WEEK);
      await toVotingWindow();
      await voter.connect(bob).vote(1, [poolA], [1]);
      const { fees, bribe } = await fx.rewardContracts(poolA);
      await fx.notify(fees, weth, units(1));
      await fx.notify(bribe, op, units(2));
      await toNextEpoch(0);
      await voter.connect(bob).claimFees([await fees.getAddress()], [[await weth.getAddress()]], 1);
      await voter.connect(bob).claimBribes([await bribe.getAddress()], [[await op.getAddress()]], 1);
      expect(await weth.balanceOf(bob.address)).to.equal(units(1));
      expect(await op.balanceOf(bob.address)).to.equal(units(2));
      await expect(
        voter.claimFees([await fees.getAddress()], [[await weth.getAddress()]], 1),
      ).to.be.revertedWithCustomError(voter, "NotApprovedOrOwner");
    });

    it("refuses to add to an expired lock", async function () {
      const { escrow, velo, bob } = await loadFixture(permanentFixture);
      await velo.connect(bob).approve(await escrow.getAddress(), units(20));
      await escrow.connect(bob).createLock(units(10), 2 * WEEK);
      await time.increase(3 * WEEK);
      await expect(escrow.connect(bob).increaseAmount(1, units(1))).to.be.revertedWithCustomError(
        escrow,
        "LockExpired",
      );
    });
  });

  describe("claim tokens (issue 9.2: the allocator chooses, junk is never claimed)", function () {
    it("starts a voted pool with its fees contract's two tokens and no incentive token", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, allocator, poolA, weth, usdc } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      const { fees, bribe } = await fx.rewardContracts(poolA);
      expect(await adapter.claimTokens(poolA)).to.deep.equal([
        await fees.getAddress(),
        await bribe.getAddress(),
        [await weth.getAddress(), await usdc.getAddress()],
        [],
      ]);
    });

    // issue 9.2: the old code claimed "the first 8" of the incentive contract's list, which dust filled first.
    it("forwards the listed incentive after eight junk dust incentives, and never claims the junk", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, distributor, poolA, op, owner } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      const { bribe } = await fx.rewardContracts(poolA);
      const junk: string[] = [];
      for (let i = 0; i < 8; i++) {
        const token = await new MockERC20__factory(owner).deploy(`Junk ${i}`, `J${i}`, 18);
        await fx.notify(bribe, token, 1n);
        junk.push(await token.getAddress());
      }
      await fx.notify(bribe, op, units(50));
      expect(await bribe.rewardsListLength()).to.equal(9n);
      await fx.chooseIncentives(poolA, [op]);
      await toNextEpoch(0);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await op.getAddress()], [units(50)]);
      expect(await op.balanceOf(await distributor.getAddress())).to.equal(units(50));
      for (const token of junk) {
        expect(await MockERC20__factory.connect(token, owner).balanceOf(await bribe.getAddress())).to.equal(1n);
        expect(await distributor.notified(token)).to.equal(0n);
      }
    });

    it("costs the same harvest gas however long the incentive contract's own list grows", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, adapterAddress, allocator, keeper, vault, poolA, op, owner } = fx;
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await fx.chooseIncentives(poolA, [op]);
      const { bribe } = await fx.rewardContracts(poolA);
      // A first harvest warms the claim bookkeeping; the next one is the reference.
      await fx.notify(bribe, op, units(5));
      await toNextEpoch(0);
      await vault.connect(keeper).harvest(adapterAddress);
      await fx.notify(bribe, op, units(5));
      await toNextEpoch(0);
      const before = await (await vault.connect(keeper).harvest(adapterAddress)).wait();
      for (let i = 0; i < 40; i++) {
        await fx.notify(bribe, await new MockERC20__factory(owner).deploy(`Junk ${i}`, `J${i}`, 18), 1n);
      }
      await fx.notify(bribe, op, units(5));
      await toNextEpoch(0);
      const after = await (await vault.connect(keeper).harvest(adapterAddress)).wait();
      // Same work both times (one token claimed and forwarded); the 40 junk entries add nothing.
      expect(after!.gasUsed).to.be.closeTo(before!.gasUsed, 2_000n);
    });

    it("lets the allocator or the owner set a pool's tokens, adding the pool to the claim list", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, allocator, owner, poolB, op, weth } = fx;
      const tokens = [await op.getAddress()];
      await expect(adapter.connect(allocator).setClaimTokens(poolB, [await weth.getAddress()], tokens))
        .to.emit(adapter, "ClaimPoolAdded")
        .withArgs(poolB)
        .and.to.emit(adapter, "ClaimTokensSet")
        .withArgs(poolB, allocator.address, [await weth.getAddress()], tokens);
      expect(await adapter.claimPools()).to.deep.equal([poolB]);
      await adapter.connect(owner).setClaimTokens(poolB, [], tokens);
      const [, , feeTokens, incentiveTokens] = await adapter.claimTokens(poolB);
      expect(feeTokens).to.deep.equal([]);
      expect(incentiveTokens).to.deep.equal(tokens);
    });

    it("rejects a stranger, a pool without a gauge, too many, duplicate or zero tokens, changing nothing", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, allocator, attacker, poolA, op, owner } = fx;
      const opAddress = await op.getAddress();
      await expect(adapter.connect(attacker).setClaimTokens(poolA, [], [opAddress]))
        .to.be.revertedWithCustomError(adapter, "NotAllocator")
        .withArgs(attacker.address);
      const noGauge = ethers.Wallet.createRandom().address;
      await expect(adapter.connect(allocator).setClaimTokens(noGauge, [], [opAddress]))
        .to.be.revertedWithCustomError(adapter, "NoGauge")
        .withArgs(noGauge);
      const nine = await Promise.all(
        Array.from({ length: 9 }, async (_, i) =>
          (await new MockERC20__factory(owner).deploy(`T${i}`, `T${i}`, 18)).getAddress(),
        ),
      );
      await expect(adapter.connect(allocator).setClaimTokens(poolA, [], nine))
        .to.be.revertedWithCustomError(adapter, "TooManyClaimTokens")
        .withArgs(8n);
      await expect(adapter.connect(allocator).setClaimTokens(poolA, [opAddress, opAddress], []))
        .to.be.revertedWithCustomError(adapter, "InvalidClaimToken")
        .withArgs(opAddress);
      await expect(adapter.connect(allocator).setClaimTokens(poolA, [], [ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(adapter, "InvalidClaimToken")
        .withArgs(ethers.ZeroAddress);
      expect(await adapter.claimPools()).to.deep.equal([]);
    });

    it("forgets a removed pool's tokens", async function () {
      const fx = await loadFixture(permanentFixture);
      const { adapter, allocator, poolA, op } = fx;
      await adapter.connect(allocator).setClaimTokens(poolA, [], [await op.getAddress()]);
      await adapter.connect(allocator).removeClaimPool(poolA);
      expect(await adapter.claimTokens(poolA)).to.deep.equal([ethers.ZeroAddress, ethers.ZeroAddress, [], []]);
    });
  });

  describe("faulty incentive tokens (issue 9.5: best effort per token)", function () {
    async function faultyFixture() {
      const fx = await permanentFixture();
      const { adapter, allocator, poolA, op, owner } = fx;
      const faulty = await new MockFaultyToken__factory(owner).deploy("Faulty", "FLT");
      await fx.depositAndAllocate(units(1_000), units(900));
      await toVotingWindow();
      await adapter.connect(allocator).vote([poolA], [1]);
      await fx.chooseIncentives(poolA, [faulty, op]);
      return { ...fx, faulty };
    }

    /** One epoch of incentives (1 wei of the faulty token, 50 OP), then a harvest after the flip. */
    async function epochOfIncentives(fx: Awaited<ReturnType<typeof faultyFixture>>) {
      const { bribe } = await fx.rewardContracts(fx.poolA);
      const bribeAddress = await bribe.getAddress();
      await fx.faulty.mint(fx.owner.address, 1n);
      await fx.faulty.connect(fx.owner).approve(bribeAddress, 1n);
      await bribe.notifyRewardAmount(await fx.faulty.getAddress(), 1n);
      await fx.notify(bribe, fx.op, units(50));
      await toNextEpoch(0);
      return bribe;
    }

    // issue 9.5: on the old code one reverting token made every harvest revert.
    it("still claims and forwards the other incentives when a token's transfers revert", async function () {
      const fx = await loadFixture(faultyFixture);
      const { adapter, adapterAddress, keeper, vault, op, faulty } = fx;
      const bribe = await epochOfIncentives(fx);
      await faulty.setFaults(false, true);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(adapter, "ClaimFailed")
        .withArgs(1n, await bribe.getAddress(), await faulty.getAddress())
        .and.to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await op.getAddress()], [units(50)]);
      // The faulty token's claim waits for a later harvest, once it works again.
      await faulty.setFaults(false, false);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await faulty.getAddress()], [1n]);
    });

    it("skips a token whose balanceOf reverts, or whose transfer out of the adapter fails", async function () {
      const fx = await loadFixture(faultyFixture);
      const { adapter, adapterAddress, keeper, vault, op, faulty, owner } = fx;
      await epochOfIncentives(fx);
      // A balance already in the adapter (as after a claim at withdrawal) whose token then breaks.
      await faulty.mint(adapterAddress, 3n);
      await faulty.setFaults(true, false);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(adapter, "ForwardFailed")
        .withArgs(await faulty.getAddress())
        .and.to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [await op.getAddress()], [units(50)]);
      await faulty.setFaults(false, true);
      await expect(vault.connect(keeper).harvest(adapterAddress))
        .to.emit(adapter, "ForwardFailed")
        .withArgs(await faulty.getAddress())
        .and.to.emit(vault, "Harvested")
        .withArgs(adapterAddress, keeper.address, [], []);
      await faulty.setFaults(false, false);
      expect(await faulty.connect(owner).balanceOf(adapterAddress)).to.equal(4n);
    });

    it("costs no more gas to skip a reverting token than to pay it", async function () {
      const fx = await loadFixture(faultyFixture);
      const { adapterAddress, keeper, vault, faulty } = fx;
      await epochOfIncentives(fx);
      const paying = await vault.connect(keeper).harvest.estimateGas(adapterAddress);
      await faulty.setFaults(false, true);
      const skipping = await vault.connect(keeper).harvest.estimateGas(adapterAddress);
      expect(skipping).to.be.lte(paying);
      await faulty.setFaults(true, true);
      expect(await vault.connect(keeper).harvest.estimateGas(adapterAddress)).to.be.lte(paying);
    });
  });

  describe("the Voter (issue 9.7: mock in the deployed Velodrome V2 / Aerodrome shape)", function () {
    async function lockFor(fx: Awaited<ReturnType<typeof permanentFixture>>, amount: bigint) {
      await fx.velo.connect(fx.bob).approve(await fx.escrow.getAddress(), amount);
      await fx.escrow.connect(fx.bob).createLock(amount, 8 * WEEK);
      return fx.escrow.tokenId();
    }

    it("has claimBribes and claimFees, and no claimIncentives", async function () {
      const { voter } = await loadFixture(permanentFixture);
      expect(voter.interface.getFunction("claimBribes")).to.not.equal(null);
      expect(voter.interface.getFunction("claimFees")).to.not.equal(null);
      expect(voter.interface.hasFunction("claimIncentives")).to.equal(false);
      expect(await voter.maxVotingNum()).to.equal(30n);
    });

    it("lets anyone poke an NFT's votes, recasting them with its current power", async function () {
      const fx = await loadFixture(permanentFixture);
      const { voter, poolA, attacker } = fx;
      const id = await lockFor(fx, units(10));
      await toVotingWindow();
      await voter.connect(fx.bob).vote(id, [poolA], [1]);
      const cast = await voter.votes(id, poolA);
      await time.increase(WEEK);
      await expect(voter.connect(attacker).poke(id)).to.emit(voter, "Voted");
      expect(await voter.votes(id, poolA)).to.be.lessThan(cast);
      expect(await voter.votes(id, poolA)).to.equal(await fx.escrow.balanceOfNFT(id));
    });

    it("refuses a poke in the epoch's first hour", async function () {
      const fx = await loadFixture(permanentFixture);
      const id = await lockFor(fx, units(10));
      await toNextEpoch(60);
      await expect(fx.voter.poke(id)).to.be.revertedWithCustomError(fx.voter, "DistributeWindow");
    });

    it("refuses a vote for a killed gauge", async function () {
      const fx = await loadFixture(permanentFixture);
      const { voter, poolA } = fx;
      const id = await lockFor(fx, units(10));
      const gauge = await voter.gauges(poolA);
      await voter.killGauge(gauge);
      await toVotingWindow();
      await expect(voter.connect(fx.bob).vote(id, [poolA], [1]))
        .to.be.revertedWithCustomError(voter, "GaugeNotAlive")
        .withArgs(gauge);
      await expect(voter.connect(fx.bob).killGauge(gauge)).to.be.revertedWithCustomError(voter, "NotGovernor");
    });

    it("refuses a pool named twice and more than 30 pools", async function () {
      const fx = await loadFixture(permanentFixture);
      const { voter, poolA } = fx;
      const id = await lockFor(fx, units(10));
      await toVotingWindow();
      await expect(voter.connect(fx.bob).vote(id, [poolA, poolA], [1, 1])).to.be.revertedWithCustomError(
        voter,
        "NonZeroVotes",
      );
      const pools = Array.from({ length: 31 }, () => poolA);
      await expect(
        voter.connect(fx.bob).vote(
          id,
          pools,
          pools.map(() => 1),
        ),
      ).to.be.revertedWithCustomError(voter, "TooManyPools");
    });

    it("keeps unbounded reward lists, and getReward reverts as a whole when one token's transfer fails", async function () {
      const fx = await loadFixture(permanentFixture);
      const { voter, poolA, op, owner } = fx;
      const id = await lockFor(fx, units(10));
      await toVotingWindow();
      await voter.connect(fx.bob).vote(id, [poolA], [1]);
      const { bribe } = await fx.rewardContracts(poolA);
      for (let i = 0; i < 12; i++) {
        await fx.notify(bribe, await new MockERC20__factory(owner).deploy(`T${i}`, `T${i}`, 18), 1n);
      }
      expect(await bribe.rewardsListLength()).to.equal(12n);
      const faulty = await new MockFaultyToken__factory(owner).deploy("Faulty", "FLT");
      await faulty.mint(owner.address, 1n);
      await faulty.approve(await bribe.getAddress(), 1n);
      await bribe.notifyRewardAmount(await faulty.getAddress(), 1n);
      await fx.notify(bribe, op, units(2));
      await faulty.setFaults(false, true);
      await toNextEpoch(0);
      await expect(
        voter
          .connect(fx.bob)
          .claimBribes([await bribe.getAddress()], [[await op.getAddress(), await faulty.getAddress()]], id),
      ).to.be.revertedWithCustomError(faulty, "Faulty");
      expect(await op.balanceOf(fx.bob.address)).to.equal(0n);
    });
  });
});
