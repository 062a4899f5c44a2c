/**
 * Regression tests for issue 9 (findings 1, 2, 5 on the distributor's side) and issue 8 finding 6 (the curator's
 * instant route): migrating a RewardsDistributor, the allow-list, misbehaving tokens and the timelocked route/sweep.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import {
  MisbehavingERC20__factory,
  MockERC20__factory,
  MockRewardAdapter__factory,
  RewardsDistributor__factory,
  type IRollupVault,
  type RewardsDistributor,
} from "../../typechain-types";
import { deploy6, deployVault } from "../helpers/fixtures";

const DAY = 24n * 60n * 60n;
const WEEK = 7n * DAY;
const MAX_UINT128 = 2n ** 128n - 1n;
const E18 = 10n ** 18n;
const Skip = { VaultToken: 0, TooManyTokens: 1, AmountTooLarge: 2, RouteFailed: 3, NotAllowed: 4, TokenCallFailed: 5 };
const Mode = { None: 0, Revert: 1, BurnGas: 2, ReturnFalse: 3 };

async function timestampOf(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = await tx.wait();
  return BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
}

async function deployFixture() {
  const base = await deploy6();
  const { vault, owner, curator, keeper, target } = base;
  const rewardAdapter = await new MockRewardAdapter__factory(owner).deploy(
    await vault.getAddress(),
    await target.getAddress(),
  );
  await vault.connect(curator).addAdapter(await rewardAdapter.getAddress(), MAX_UINT128, 10_000);
  const distributor = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), WEEK);
  await vault.setRewardsDistributor(await distributor.getAddress());
  const op = await new MockERC20__factory(owner).deploy("Optimism", "OP", 18);
  await rewardAdapter.setRewardTokens([await op.getAddress()]);
  await distributor.connect(curator).setAllowed(await op.getAddress(), true);
  const harvest = async (amount: bigint) => {
    if (amount !== 0n) await op.mint(await rewardAdapter.getAddress(), amount);
    return timestampOf(await vault.connect(keeper).harvest(await rewardAdapter.getAddress()));
  };
  /** A successor distributor that names `distributor` as its predecessor and allows OP. */
  const successorOf = async (previous: RewardsDistributor) => {
    const next = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), WEEK);
    await next.connect(curator).setPredecessor(await previous.getAddress());
    await next.connect(curator).setAllowed(await op.getAddress(), true);
    return next;
  };
  return { ...base, rewardAdapter, distributor, op, harvest, successorOf };
}

describe("RewardsDistributor migration and hardening", function () {
  describe("issue 9.1: a detached distributor cannot be drained", function () {
    it("refuses to be removed while it lists tokens (the old code let anyone drain it afterwards)", async function () {
      const { vault, distributor, alice, units, harvest } = await loadFixture(deployFixture);
      await vault.connect(alice).deposit(units(1_000), alice.address);
      await harvest(700_000n * E18);
      await expect(vault.setRewardsDistributor(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        distributor,
        "SuccessorRequired",
      );
      expect(await vault.rewardsDistributor()).to.equal(await distributor.getAddress());
    });

    it("refuses a successor that does not name it as predecessor", async function () {
      const { vault, distributor, owner, alice, units, harvest } = await loadFixture(deployFixture);
      await vault.connect(alice).deposit(units(1_000), alice.address);
      await harvest(700_000n * E18);
      const stranger = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), WEEK);
      await expect(vault.setRewardsDistributor(await stranger.getAddress()))
        .to.be.revertedWithCustomError(distributor, "SuccessorMismatch")
        .withArgs(await stranger.getAddress());
      expect(await vault.rewardsDistributor()).to.equal(await distributor.getAddress());
    });

    it("lets a distributor that never listed a token go without a successor", async function () {
      const { vault, owner } = await loadFixture(deployFixture);
      const idle = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), WEEK);
      // The fixture's distributor lists nothing yet: it is replaced by `idle` and `idle` removed, both plainly.
      await vault.setRewardsDistributor(await idle.getAddress());
      await vault.setRewardsDistributor(ethers.ZeroAddress);
      expect(await vault.rewardsDistributor()).to.equal(ethers.ZeroAddress);
    });

    it("pays the attacker of the issue nothing after a migration: claim([]), then deposit, claim, redeem", async function () {
      const { vault, distributor, op, alice, bob, attacker, asset, units, harvest, successorOf } =
        await loadFixture(deployFixture);
      const opAddress = await op.getAddress();
      await vault.connect(alice).deposit(units(1_000), alice.address);
      await vault.connect(bob).deposit(units(1_000), bob.address);
      const start = await harvest(700_000n * E18);
      await time.increaseTo(start + 3n * DAY);
      const next = await successorOf(distributor);
      const detachedAt = await timestampOf(await vault.setRewardsDistributor(await next.getAddress()));
      const streamedBefore = ((detachedAt - start) * 700_000n * E18) / WEEK;

      // The attack of the issue, against the old distributor.
      await time.increase(DAY);
      await distributor.connect(attacker).claim([], attacker.address);
      await asset.mint(attacker.address, units(1_000_000));
      await asset.connect(attacker).approve(await vault.getAddress(), ethers.MaxUint256);
      await vault.connect(attacker).deposit(units(1_000_000), attacker.address);
      expect(await distributor.earned(attacker.address, opAddress)).to.equal(0n);
      await distributor.connect(attacker).claim([opAddress], attacker.address);
      await vault.connect(attacker).redeem(await vault.balanceOf(attacker.address), attacker.address, attacker.address);
      expect(await op.balanceOf(attacker.address)).to.equal(0n);

      // Holders' claims on the old distributor still pay what they earned until the detach.
      const aliceOwed = await distributor.earned(alice.address, opAddress);
      const bobOwed = await distributor.earned(bob.address, opAddress);
      expect(aliceOwed).to.be.closeTo(streamedBefore / 2n, 10n ** 12n);
      expect(bobOwed).to.equal(aliceOwed);
      await distributor.connect(alice).claim([opAddress], alice.address);
      await distributor.connect(bob).claim([opAddress], bob.address);
      expect(await op.balanceOf(alice.address)).to.equal(aliceOwed);
    });

    it("migrates end to end: holders who had not settled get what they earned, the rest streams on", async function () {
      const { vault, distributor, op, alice, bob, carol, units, harvest, successorOf } =
        await loadFixture(deployFixture);
      const opAddress = await op.getAddress();
      const amount = 700_000n * E18;
      await vault.connect(alice).deposit(units(1_000), alice.address);
      await vault.connect(bob).deposit(units(3_000), bob.address);
      const start = await harvest(amount);
      // Nobody settles during the first two days.
      await time.setNextBlockTimestamp(start + 2n * DAY);
      const next = await successorOf(distributor);
      const migratedAt = start + 2n * DAY + 3n; // two configuration blocks mined after the successor's deployment
      await time.setNextBlockTimestamp(migratedAt);
      await expect(vault.setRewardsDistributor(await next.getAddress()))
        .to.emit(distributor, "DistributorDetached")
        .withArgs(await next.getAddress())
        .and.to.emit(next, "Inherited")
        .withArgs(await distributor.getAddress());
      const streamedBefore = ((migratedAt - start) * amount) / WEEK;
      // What was still to stream went to the successor, which streams it on.
      const [nextStreaming] = await next.streamOf(opAddress);
      expect(nextStreaming).to.be.closeTo(amount - streamedBefore, 10n ** 6n);
      expect(await op.balanceOf(await next.getAddress())).to.equal(nextStreaming);

      const [aliceShares, bobShares, supply] = [
        await vault.balanceOf(alice.address),
        await vault.balanceOf(bob.address),
        await vault.totalSupply(),
      ];
      // Alice moves half her shares to Carol after the detach: her first change is recorded by the successor.
      await vault.connect(alice).transfer(carol.address, (await vault.balanceOf(alice.address)) / 2n);
      await time.increase(10n * DAY);
      const aliceOld = await distributor.earned(alice.address, opAddress);
      const bobOld = await distributor.earned(bob.address, opAddress);
      expect(aliceOld).to.be.closeTo((streamedBefore * aliceShares) / supply, 10n ** 12n);
      expect(bobOld).to.be.closeTo((streamedBefore * bobShares) / supply, 10n ** 12n);
      expect(await distributor.earned(carol.address, opAddress)).to.equal(0n);
      for (const holder of [alice, bob, carol]) {
        await distributor.connect(holder).claim([opAddress], holder.address);
        await next.connect(holder).claim([opAddress], holder.address);
      }
      // Everything harvested reached the holders, but for rounding dust.
      const paid =
        (await op.balanceOf(alice.address)) + (await op.balanceOf(bob.address)) + (await op.balanceOf(carol.address));
      expect(paid).to.be.closeTo(amount, 10n ** 12n);
      expect(paid).to.be.lessThanOrEqual(amount);
      // Carol got only the successor's part: half of Alice's share of the rest (less the second or so that
      // passed between the migration and the transfer, about 1 OP).
      expect(await op.balanceOf(carol.address)).to.be.closeTo(
        ((amount - streamedBefore) * aliceShares) / supply / 2n,
        E18,
      );
      // The old one streams nothing any more and takes no configuration.
      expect(await distributor.successor()).to.equal(await next.getAddress());
      await expect(distributor.setRewardPeriod(DAY)).to.not.be.reverted; // harmless
      await expect(distributor.setAllowed(await next.getAddress(), true)).to.be.revertedWithCustomError(
        distributor,
        "Detached",
      );
    });

    it("chains: a holder untouched through two migrations is still paid by the first distributor", async function () {
      const { vault, distributor, op, alice, bob, units, harvest, successorOf } = await loadFixture(deployFixture);
      const opAddress = await op.getAddress();
      await vault.connect(alice).deposit(units(1_000), alice.address);
      await vault.connect(bob).deposit(units(1_000), bob.address);
      const start = await harvest(700_000n * E18);
      await time.increaseTo(start + DAY);
      const second = await successorOf(distributor);
      await vault.setRewardsDistributor(await second.getAddress());
      const firstOwed = await distributor.earned(alice.address, opAddress);
      await time.increase(DAY);
      const third = await successorOf(second);
      await vault.setRewardsDistributor(await third.getAddress());
      // Bob moves shares only under the third: the first still pays him on his balance at its detach, which the
      // third recorded and the second passes on.
      const bobShares = await vault.balanceOf(bob.address);
      await vault.connect(bob).transfer(alice.address, bobShares);
      expect(await third.predecessorBalanceOf(bob.address)).to.equal(bobShares);
      expect(await second.predecessorBalanceOf(bob.address)).to.equal(bobShares);
      expect(await distributor.predecessorBalanceOf(bob.address)).to.equal(bobShares);
      expect(await distributor.earned(bob.address, opAddress)).to.equal(firstOwed);
      expect(await distributor.earned(alice.address, opAddress)).to.equal(firstOwed);
    });

    it("streams nothing on a distributor not yet attached, so holders it does not see cannot be credited", async function () {
      const { vault, distributor, op, curator, alice, bob, units, harvest } = await loadFixture(deployFixture);
      const opAddress = await op.getAddress();
      await vault.connect(alice).deposit(units(1_000), alice.address);
      await harvest(7n * E18);
      // A donation to the successor before the vault attaches it, then the curator allows OP there: held, not listed.
      const next = await new RewardsDistributor__factory(curator).deploy(await vault.getAddress(), WEEK);
      await op.mint(await next.getAddress(), 1_000n * E18);
      await next.connect(curator).setPredecessor(await distributor.getAddress());
      await next.connect(curator).setAllowed(opAddress, true);
      expect(await next.isRewardToken(opAddress)).to.equal(false);
      // Shares move while it is not attached; it sees none of it.
      await vault.connect(bob).deposit(units(3_000), bob.address);
      await time.increase(DAY);
      const attachedAt = await timestampOf(await vault.setRewardsDistributor(await next.getAddress()));
      // From the attach on, the donation streams with what was handed over, and nobody was owed anything before.
      expect(await next.isRewardToken(opAddress)).to.equal(true);
      const [, end] = await next.streamOf(opAddress);
      expect(end).to.be.greaterThan(attachedAt);
      expect(await next.earned(bob.address, opAddress)).to.equal(0n);
      expect(await next.earned(alice.address, opAddress)).to.equal(0n);
    });

    it("records balances on a successor that lists no token yet, and keeps them once it lists one", async function () {
      const { vault, distributor, op, alice, bob, carol, units, harvest, successorOf } =
        await loadFixture(deployFixture);
      const opAddress = await op.getAddress();
      await vault.connect(alice).deposit(units(1_000), alice.address);
      await vault.connect(bob).deposit(units(1_000), bob.address);
      const start = await harvest(70n * E18);
      await time.increaseTo(start + 2n * WEEK); // the stream ended: nothing left to hand over
      const next = await successorOf(distributor);
      await vault.setRewardsDistributor(await next.getAddress());
      expect(await next.rewardTokens()).to.deep.equal([]);
      const aliceShares = await vault.balanceOf(alice.address);
      await vault.connect(alice).transfer(carol.address, aliceShares); // recorded with no token listed
      await harvest(7n * E18); // the successor lists OP
      await vault.connect(carol).transfer(alice.address, aliceShares / 2n); // Alice's record must not move
      expect(await next.predecessorBalanceOf(alice.address)).to.equal(aliceShares);
      expect(await next.predecessorBalanceOf(carol.address)).to.equal(0n);
      expect(await distributor.earned(alice.address, opAddress)).to.be.closeTo(35n * E18, 10n ** 6n);
      expect(await distributor.earned(carol.address, opAddress)).to.equal(0n);
      expect(await distributor.earned(bob.address, opAddress)).to.be.closeTo(35n * E18, 10n ** 6n);
    });

    it("refuses inherit from anyone but the named predecessor during the attach", async function () {
      const { distributor, attacker, successorOf } = await loadFixture(deployFixture);
      const next = await successorOf(distributor);
      await expect(next.connect(attacker).inherit([], true))
        .to.be.revertedWithCustomError(next, "Unauthorized")
        .withArgs(attacker.address);
    });

    it("refuses setPredecessor once attached, from a stranger, or of another vault's distributor", async function () {
      const f = await loadFixture(deployFixture);
      const { vault, distributor, owner, curator, attacker, op } = f;
      await expect(distributor.connect(curator).setPredecessor(await op.getAddress())).to.be.revertedWithCustomError(
        distributor,
        "AlreadyAttached",
      );
      const next = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), WEEK);
      await expect(next.connect(attacker).setPredecessor(await distributor.getAddress()))
        .to.be.revertedWithCustomError(next, "Unauthorized")
        .withArgs(attacker.address);
      const otherVault: IRollupVault = await deployVault(op, f);
      const foreign = await new RewardsDistributor__factory(owner).deploy(await otherVault.getAddress(), WEEK);
      await expect(next.connect(curator).setPredecessor(await foreign.getAddress()))
        .to.be.revertedWithCustomError(next, "PredecessorMismatch")
        .withArgs(await foreign.getAddress());
    });

    it("hands over later what could not move at the detach", async function () {
      const { vault, distributor, op, owner, alice, units, harvest, successorOf } = await loadFixture(deployFixture);
      await vault.connect(alice).deposit(units(1_000), alice.address);
      await harvest(7n * E18);
      const junk = await new MockERC20__factory(owner).deploy("Junk", "JNK", 18);
      await junk.mint(await distributor.getAddress(), 5n);
      const next = await successorOf(distributor);
      await expect(distributor.handOver(await junk.getAddress())).to.be.revertedWithCustomError(
        distributor,
        "Detached",
      );
      await vault.setRewardsDistributor(await next.getAddress());
      await expect(distributor.handOver(await junk.getAddress()))
        .to.emit(distributor, "HandedOver")
        .withArgs(await junk.getAddress(), await next.getAddress(), 5n);
      await expect(distributor.handOver(await op.getAddress()))
        .to.be.revertedWithCustomError(distributor, "NothingToSweep")
        .withArgs(await op.getAddress());
    });
  });

  describe("issue 9.2: only allow-listed tokens stream", function () {
    it("leaves a junk flood unlisted and uncalled, and a real token still lists", async function () {
      const { vault, distributor, rewardAdapter, op, owner, alice, keeper, units } = await loadFixture(deployFixture);
      await vault.connect(alice).deposit(units(1_000), alice.address);
      const junk = [];
      for (let i = 0; i < 8; i++) {
        const token = await new MockERC20__factory(owner).deploy(`Junk ${i}`, `J${i}`, 18);
        await token.mint(await rewardAdapter.getAddress(), 1n);
        junk.push(await token.getAddress());
      }
      await op.mint(await rewardAdapter.getAddress(), E18);
      await rewardAdapter.setRewardTokens([...junk, await op.getAddress()]);
      await expect(vault.connect(keeper).harvest(await rewardAdapter.getAddress()))
        .to.emit(distributor, "RewardsSkipped")
        .withArgs(junk[0], 1n, Skip.NotAllowed);
      expect(await distributor.rewardTokens()).to.deep.equal([await op.getAddress()]);
    });

    it("streams a held token at once when it is allowed later", async function () {
      const { vault, distributor, rewardAdapter, curator, owner, alice, keeper, units } =
        await loadFixture(deployFixture);
      await vault.connect(alice).deposit(units(1_000), alice.address);
      const velo = await new MockERC20__factory(owner).deploy("Velodrome", "VELO", 18);
      await velo.mint(await rewardAdapter.getAddress(), 70n * E18);
      await rewardAdapter.setRewardTokens([await velo.getAddress()]);
      await vault.connect(keeper).harvest(await rewardAdapter.getAddress());
      expect(await distributor.isRewardToken(await velo.getAddress())).to.equal(false);
      await expect(distributor.connect(curator).setAllowed(await velo.getAddress(), true))
        .to.emit(distributor, "RewardsNotified")
        .withArgs(await velo.getAddress(), 70n * E18, 70n * E18, anyTime());
      await time.increase(2n * WEEK);
      expect(await distributor.earned(alice.address, await velo.getAddress())).to.be.closeTo(70n * E18, 10n);
    });
  });

  describe("issue 9.5: a misbehaving token never bricks a harvest", function () {
    for (const [name, mode] of [
      ["reverts", Mode.Revert],
      ["burns its gas", Mode.BurnGas],
    ] as const) {
      it(`skips an allowed token whose balanceOf ${name} and streams the others`, async function () {
        const { vault, distributor, rewardAdapter, op, curator, owner, alice, keeper, units } =
          await loadFixture(deployFixture);
        await vault.connect(alice).deposit(units(1_000), alice.address);
        const bad = await new MisbehavingERC20__factory(owner).deploy();
        await distributor.connect(curator).setAllowed(await bad.getAddress(), true);
        await bad.setMisbehaviour(await distributor.getAddress(), mode);
        await bad.mint(await rewardAdapter.getAddress(), E18);
        await op.mint(await rewardAdapter.getAddress(), 7n * E18);
        await rewardAdapter.setRewardTokens([await bad.getAddress(), await op.getAddress()]);
        await expect(vault.connect(keeper).harvest(await rewardAdapter.getAddress(), { gasLimit: 3_000_000 }))
          .to.emit(distributor, "RewardsSkipped")
          .withArgs(await bad.getAddress(), 0n, Skip.TokenCallFailed);
        expect(await distributor.rewardTokens()).to.deep.equal([await op.getAddress()]);
        // Once it behaves, the next harvest streams it.
        await bad.setMisbehaviour(ethers.ZeroAddress, Mode.None);
        await vault.connect(keeper).harvest(await rewardAdapter.getAddress());
        expect(await distributor.isRewardToken(await bad.getAddress())).to.equal(true);
      });
    }

    it("skips a routed token whose approve returns false, keeping it for a later harvest", async function () {
      const f = await loadFixture(deployFixture);
      const bad = await new MisbehavingERC20__factory(f.owner).deploy();
      const badVault = await deployVault(bad as never, f);
      await f.distributor.connect(f.curator).setAllowed(await bad.getAddress(), true);
      await f.distributor.connect(f.curator).setRoute(await bad.getAddress(), await badVault.getAddress());
      await bad.setMisbehaviour(await f.distributor.getAddress(), Mode.ReturnFalse);
      await bad.mint(await f.rewardAdapter.getAddress(), E18);
      await f.rewardAdapter.setRewardTokens([await bad.getAddress()]);
      await expect(f.vault.connect(f.keeper).harvest(await f.rewardAdapter.getAddress()))
        .to.emit(f.distributor, "RewardsSkipped")
        .withArgs(await bad.getAddress(), E18, Skip.RouteFailed);
      expect(await bad.balanceOf(await f.distributor.getAddress())).to.equal(E18);
    });
  });

  describe("issue 8.6: what sends rewards elsewhere waits out the vault's timelock", function () {
    async function timelockedFixture() {
      const f = await deployFixture();
      const opVault = await deployVault(f.op, f);
      await f.vault.connect(f.owner).setTimelock(DAY);
      return { ...f, opVault };
    }

    it("refuses an unsubmitted route, runs it after the timelock, and lets the guardian revoke one", async function () {
      const { distributor, op, opVault, curator, guardian } = await loadFixture(timelockedFixture);
      const args = [await op.getAddress(), await opVault.getAddress()] as const;
      await expect(distributor.connect(curator).setRoute(...args)).to.be.revertedWithCustomError(
        distributor,
        "NotSubmitted",
      );
      const data = distributor.interface.encodeFunctionData("setRoute", [args[0], args[1]]);
      const at = (await timestampOf(await distributor.connect(curator).submit(data))) + DAY;
      expect(await distributor.executableAt(data)).to.equal(at);
      await expect(distributor.connect(curator).setRoute(...args))
        .to.be.revertedWithCustomError(distributor, "TimelockNotElapsed")
        .withArgs(at);
      await time.increaseTo(at);
      await expect(distributor.connect(curator).setRoute(...args))
        .to.emit(distributor, "RouteSet")
        .withArgs(...args);
      // Unrouting is immediate; a new route submission can be revoked by the guardian.
      await distributor.connect(curator).setRoute(args[0], ethers.ZeroAddress);
      await distributor.connect(curator).submit(data);
      await expect(distributor.connect(guardian).revoke(data)).to.emit(distributor, "Revoked");
      await time.increase(2n * DAY);
      await expect(distributor.connect(curator).setRoute(...args)).to.be.revertedWithCustomError(
        distributor,
        "NotSubmitted",
      );
    });

    it("expires a submission TIMELOCK_GRACE after it became executable", async function () {
      const { distributor, op, opVault, curator } = await loadFixture(timelockedFixture);
      const args = [await op.getAddress(), await opVault.getAddress()] as const;
      const data = distributor.interface.encodeFunctionData("setRoute", [args[0], args[1]]);
      const at = (await timestampOf(await distributor.connect(curator).submit(data))) + DAY;
      await time.increaseTo(at + WEEK + 1n);
      await expect(distributor.connect(curator).setRoute(...args))
        .to.be.revertedWithCustomError(distributor, "SubmissionExpired")
        .withArgs(at + WEEK);
    });

    it("timelocks a sweep of a held token", async function () {
      const { distributor, owner, curator } = await loadFixture(timelockedFixture);
      const junk = await new MockERC20__factory(owner).deploy("Junk", "JNK", 18);
      await junk.mint(await distributor.getAddress(), 5n);
      await expect(distributor.connect(curator).sweep(await junk.getAddress())).to.be.revertedWithCustomError(
        distributor,
        "NotSubmitted",
      );
      await distributor
        .connect(curator)
        .submit(distributor.interface.encodeFunctionData("sweep", [await junk.getAddress()]));
      await time.increase(DAY);
      await expect(distributor.connect(curator).sweep(await junk.getAddress())).to.emit(distributor, "Swept");
    });

    it("refuses submit and revoke from strangers", async function () {
      const { distributor, attacker } = await loadFixture(timelockedFixture);
      await expect(distributor.connect(attacker).submit("0x12345678"))
        .to.be.revertedWithCustomError(distributor, "Unauthorized")
        .withArgs(attacker.address);
      await expect(distributor.connect(attacker).revoke("0x12345678"))
        .to.be.revertedWithCustomError(distributor, "Unauthorized")
        .withArgs(attacker.address);
    });
  });
});

function anyTime() {
  return (value: bigint) => value > 0n;
}
