import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  MockERC20__factory,
  MockRewardAdapter__factory,
  RollupVault__factory,
  VaultAdmin__factory,
} from "../../typechain-types";
import { deploy6, type VaultFixture } from "../helpers/fixtures";
import {
  BPS,
  DAY,
  MAX_UINT128,
  YEAR,
  addMisbehaving,
  addSecondAdapter,
  addYield,
  checkStrayBalancesAfterEach,
  depositFor,
  deployDistributor,
  expectUnchanged,
  latest,
  load,
  sharePrice,
} from "../helpers/vault";

/**
 * Regression tests for issue 8, findings 5 to 9 and the governance and report parts of 11 (performance-fee
 * high-water mark, timelocked profit-unlock decreases, an admin module without code). Each test fails on the code
 * before the fix.
 */

const iface = VaultAdmin__factory.createInterface();
const WINDOW = 14n * DAY; // ConstantsLib.EXECUTION_WINDOW
const GAIN_WINDOW = DAY; // ConstantsLib.GAIN_WINDOW

async function sendAs(
  f: VaultFixture,
  who: { sendTransaction: (tx: { to: string; data: string }) => unknown },
  data: string,
) {
  return who.sendTransaction({ to: f.vault.target as string, data });
}

/** Alice holds 10,000, all of it in the ERC-4626 adapter. */
async function invested10k(): Promise<VaultFixture> {
  const f = await load(deploy6);
  await depositFor(f, f.alice, f.units(10_000));
  await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(10_000));
  return f;
}

/** Alice holds 10,000: 5,000 in each of two ERC-4626 adapters; a 2% management fee runs. */
async function twoAdapters() {
  const f = await load(deploy6);
  const { target2, adapter2 } = await addSecondAdapter(f);
  await depositFor(f, f.alice, f.units(10_000));
  await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(5_000));
  await f.vault.connect(f.allocator).allocate(adapter2.target, f.units(5_000));
  await f.vault.connect(f.curator).setManagementFee(200);
  return { f, target2, adapter2 };
}

describe("Issue 8 review: governance and reports", function () {
  checkStrayBalancesAfterEach();

  describe("issue 8.5: timelock submissions", function () {
    it("a call submitted while the timelock was zero waits the raised timelock, then expires", async function () {
      const f = await load(deploy6);
      const data = iface.encodeFunctionData("setMaxGain", [5_000n]);
      await f.vault.connect(f.curator).submit(data);
      const submittedAt = await latest();
      await f.vault.connect(f.owner).setTimelock(7n * DAY);
      // The timelock in force at execution applies: no running it the block after going live.
      expect(await f.vault.executableAt(data)).to.equal(submittedAt + 7n * DAY);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).setMaxGain(5_000n))
          .to.be.revertedWithCustomError(f.vault, "TimelockNotElapsed")
          .withArgs(submittedAt + 7n * DAY),
      );
      // A year later it has expired.
      await time.increase(YEAR);
      const expiredAt = submittedAt + 7n * DAY + WINDOW;
      expect(await f.vault.expiresAt(data)).to.equal(expiredAt);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).setMaxGain(5_000n))
          .to.be.revertedWithCustomError(f.vault, "SubmissionExpired")
          .withArgs(expiredAt),
      );
    });

    it("a change submitted under a 1-day timelock waits the 30 days the owner raised it to", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.owner).setTimelock(DAY);
      const data = iface.encodeFunctionData("setMaxGain", [5_000n]);
      await f.vault.connect(f.curator).submit(data);
      const submittedAt = await latest();
      await f.vault.connect(f.owner).setTimelock(30n * DAY);
      await time.increaseTo(submittedAt + DAY);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).setMaxGain(5_000n))
          .to.be.revertedWithCustomError(f.vault, "TimelockNotElapsed")
          .withArgs(submittedAt + 30n * DAY),
      );
      await time.increaseTo(submittedAt + 30n * DAY);
      await expect(f.vault.connect(f.curator).setMaxGain(5_000n)).to.emit(f.vault, "Accepted");
      expect(await f.vault.maxGainBps()).to.equal(5_000n);
    });

    it("lowering the timelock does not shorten a submission made before (the longer of both)", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.owner).setTimelock(2n * DAY);
      const lower = iface.encodeFunctionData("setTimelock", [DAY]);
      await f.vault.connect(f.owner).submit(lower);
      await time.increase(2n * DAY);
      const data = iface.encodeFunctionData("setMaxGain", [5_000n]);
      await f.vault.connect(f.curator).submit(data);
      const submittedAt = await latest();
      await sendAs(f, f.owner, lower);
      expect(await f.vault.timelock()).to.equal(DAY);
      expect(await f.vault.executableAt(data)).to.equal(submittedAt + 2n * DAY);
      await time.increaseTo(submittedAt + DAY + 1n);
      await expect(f.vault.connect(f.curator).setMaxGain(5_000n))
        .to.be.revertedWithCustomError(f.vault, "TimelockNotElapsed")
        .withArgs(submittedAt + 2n * DAY);
    });

    it("runs until the last second of the execution window, expires after it, and may then be submitted again", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.owner).setTimelock(DAY);
      const data = iface.encodeFunctionData("setMaxGain", [5_000n]);
      await f.vault.connect(f.curator).submit(data);
      const at = await f.vault.executableAt(data);
      expect(await f.vault.expiresAt(data)).to.equal(at + WINDOW);
      // Still pending inside the window: a second submission is refused.
      await time.increaseTo(at + WINDOW - 5n);
      await expect(f.vault.connect(f.curator).submit(data)).to.be.revertedWithCustomError(f.vault, "AlreadyPending");
      await time.setNextBlockTimestamp(at + WINDOW + 1n);
      await expect(f.vault.connect(f.curator).setMaxGain(5_000n))
        .to.be.revertedWithCustomError(f.vault, "SubmissionExpired")
        .withArgs(at + WINDOW);
      // Expired: submitting again starts a fresh timelock.
      await f.vault.connect(f.curator).submit(data);
      const again = await f.vault.executableAt(data);
      expect(again).to.equal((await latest()) + DAY);
      await time.setNextBlockTimestamp(again + WINDOW);
      await expect(f.vault.connect(f.curator).setMaxGain(5_000n)).to.emit(f.vault, "Accepted");
      expect(await f.vault.executableAt(data)).to.equal(0n);
      expect(await f.vault.expiresAt(data)).to.equal(0n);
    });

    it("an expired submission does not stand in the way while the timelock is zero", async function () {
      const f = await load(deploy6);
      const data = iface.encodeFunctionData("setMaxGain", [5_000n]);
      await f.vault.connect(f.curator).submit(data);
      await time.increase(WINDOW + 1n);
      await f.vault.connect(f.curator).setMaxGain(5_000n);
      expect(await f.vault.maxGainBps()).to.equal(5_000n);
    });
  });

  describe("issue 8.6: no instant diversion of holders' rewards", function () {
    async function rewardVault() {
      const f = await load(deploy6);
      const distributor = await deployDistributor(f);
      await f.vault.connect(f.owner).setRewardsDistributor(distributor.target);
      const reward = await new MockERC20__factory(f.owner).deploy("Stargate", "STG", 18);
      const rewardAdapter = await new MockRewardAdapter__factory(f.owner).deploy(f.vault.target, f.target.target);
      await f.vault.connect(f.curator).addAdapter(rewardAdapter.target, MAX_UINT128, BPS);
      await rewardAdapter.setRewardTokens([reward.target]);
      await reward.mint(rewardAdapter.target, ethers.parseEther("10000"));
      await f.vault.connect(f.owner).setTimelock(7n * DAY);
      return { f, distributor, reward, rewardAdapter };
    }

    it("setRewardsDistributor(0) + setSkimRecipient + harvest + skim cannot move rewards in one block", async function () {
      const { f, distributor, reward, rewardAdapter } = await loadFixture(rewardVault);
      const wallet = f.attacker.address;
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.owner).setRewardsDistributor(ethers.ZeroAddress)).to.be.revertedWithCustomError(
          f.vault,
          "NotSubmitted",
        ),
      );
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.owner).setSkimRecipient(wallet)).to.be.revertedWithCustomError(
          f.vault,
          "NotSubmitted",
        ),
      );
      // The harvest still goes to the distributor, so there is nothing in the vault to skim.
      await f.vault.connect(f.owner).harvest(rewardAdapter.target);
      expect(await reward.balanceOf(distributor.target)).to.equal(ethers.parseEther("10000"));
      await expect(f.vault.connect(f.owner).skim(reward.target)).to.be.revertedWithCustomError(f.vault, "ZeroAmount");
      expect(await reward.balanceOf(wallet)).to.equal(0n);
    });

    it("the whole sequence waits out the timelock, in view of holders and revocable by the guardian", async function () {
      const { f, reward, rewardAdapter } = await loadFixture(rewardVault);
      const remove = iface.encodeFunctionData("setRewardsDistributor", [ethers.ZeroAddress]);
      const redirect = iface.encodeFunctionData("setSkimRecipient", [f.attacker.address]);
      await f.vault.connect(f.owner).submit(remove);
      await f.vault.connect(f.owner).submit(redirect);
      const at = await f.vault.executableAt(redirect);
      expect(at).to.equal((await latest()) + 7n * DAY);
      await f.vault.connect(f.guardian).revoke(redirect);
      await time.increase(7n * DAY);
      await sendAs(f, f.owner, remove);
      await expect(sendAs(f, f.owner, redirect)).to.be.revertedWithCustomError(f.vault, "NotSubmitted");
      // With the distributor gone the harvest lands in the vault, but skim still pays the old recipient only.
      await f.vault.connect(f.owner).harvest(rewardAdapter.target);
      await f.vault.skim(reward.target);
      expect(await reward.balanceOf(f.attacker.address)).to.equal(0n);
      expect(await reward.balanceOf(f.owner.address)).to.equal(ethers.parseEther("10000"));
    });
  });

  describe("issue 8.7: maxGainBps bounds a window, and books up to the bound", function () {
    it("a lying adapter reporting 10% seven times in a row books one window's 10%", async function () {
      const f = await load(deploy6);
      const bad = await addMisbehaving(f);
      await depositFor(f, f.alice, f.units(100));
      await f.vault.connect(f.allocator).allocate(bad.target, f.units(100));
      const start = await latest();
      let booked = 0n;
      for (let i = 1n; i <= 7n; i++) {
        await bad.setReportSkew(f.units(10) * i);
        const before = (await f.vault.adapterConfig(bad.target)).debt;
        await f.vault.connect(f.keeper).report(bad.target);
        booked += (await f.vault.adapterConfig(bad.target)).debt - before;
      }
      const elapsed = (await latest()) - start;
      // Before the fix: 7 x 10 = 70. Now 10, plus what the allowance refilled in the seconds the loop took.
      expect(booked).to.be.gte(f.units(10));
      expect(booked).to.be.lte(f.units(10) + (f.units(10) * elapsed) / GAIN_WINDOW + 1n);
      expect(booked).to.be.lt(f.units(11));
    });

    it("an honest 800 plus a 201 donation books 1,000 now and the last 1 at a later report", async function () {
      const f = await invested10k();
      await addYield(f, f.units(1_001));
      const real = await f.adapter.totalAssets();
      const gain = real - f.units(10_000);
      await expect(f.vault.connect(f.keeper).report(f.adapter.target))
        .to.emit(f.vault, "Reported")
        .withArgs(f.adapter.target, real, f.units(1_000), 0n, 0n, 0n, 0n);
      expect(await f.vault.gainAllowance()).to.equal(0n);
      await time.increase(GAIN_WINDOW);
      await expect(f.vault.connect(f.keeper).report(f.adapter.target))
        .to.emit(f.vault, "Reported")
        .withArgs(f.adapter.target, real, gain - f.units(1_000), 0n, 0n, 0n, 0n);
      expect((await f.vault.adapterConfig(f.adapter.target)).debt).to.equal(real);
    });

    it("the allowance refills linearly over the window", async function () {
      const f = await invested10k();
      await addYield(f, f.units(1_001));
      await f.vault.connect(f.keeper).report(f.adapter.target);
      const reportedAt = await latest();
      expect(await f.vault.gainAllowance()).to.equal(0n);
      const booked = (await f.vault.adapterConfig(f.adapter.target)).debt - f.units(10_000);
      await time.increaseTo(reportedAt + GAIN_WINDOW / 4n);
      // A quarter of the cap (10% of today's total assets, which grow as the booked gain unlocks) drained away.
      const cap = ((await f.vault.totalAssets()) * 1_000n) / BPS;
      expect(await f.vault.gainAllowance()).to.be.within(cap - booked + cap / 4n - 1n, cap - booked + cap / 4n + 1n);
      await time.increase(GAIN_WINDOW);
      expect(await f.vault.gainAllowance()).to.equal(((await f.vault.totalAssets()) * 1_000n) / BPS);
    });
  });

  describe("issue 8.8: the management fee does not depend on report order", function () {
    for (const order of ["gain first", "no-gain first"] as const) {
      it(`charges one year at 2% on 10,000 (about 200) with the ${order}`, async function () {
        const { f, target2, adapter2 } = await loadFixture(twoAdapters);
        await time.increase(YEAR);
        await addYield(f, f.units(500), target2);
        const reports =
          order === "gain first" ? [adapter2.target, f.adapter.target] : [f.adapter.target, adapter2.target];
        for (const a of reports) await f.vault.connect(f.keeper).report(a);
        const fee = await f.vault.convertToAssets(await f.vault.balanceOf(f.feeRecipient.address));
        // Before the fix the no-gain-first order charged 0. Two reports a second apart: the seconds around them
        // are the only difference (about 0.00001 each).
        expect(fee).to.be.within(f.units(200) - f.units("0.01"), f.units(200) + f.units("0.01"));
        expect(await f.vault.managementFeeOwed()).to.be.lt(f.units("0.001"));
      });
    }

    it("carries forward a fee the gain cannot pay and charges it from later gains", async function () {
      const { f, target2, adapter2 } = await loadFixture(twoAdapters);
      await time.increase(YEAR);
      await addYield(f, f.units(50), target2);
      const price = await sharePrice(f);
      const real = await adapter2.totalAssets();
      const gain = real - f.units(5_000);
      await expect(f.vault.connect(f.keeper).report(adapter2.target))
        .to.emit(f.vault, "Reported")
        .withArgs(adapter2.target, real, gain, 0n, 0n, gain, (v: bigint) => v > 0n);
      // Fees come out of the gain only: the price does not fall.
      expect(await sharePrice(f)).to.be.gte(price - 1n);
      const owed = await f.vault.managementFeeOwed();
      expect(owed).to.be.within(f.units(150) - f.units("0.01"), f.units(150) + f.units("0.01"));
      // Before the fix the unpaid 150 was forgiven; now the next gain pays it.
      await addYield(f, f.units(400), target2);
      const paidBefore = await f.vault.convertToAssets(await f.vault.balanceOf(f.feeRecipient.address));
      await f.vault.connect(f.keeper).report(adapter2.target);
      const paid = (await f.vault.convertToAssets(await f.vault.balanceOf(f.feeRecipient.address))) - paidBefore;
      expect(paid).to.be.within(owed, owed + f.units("0.01"));
      expect(await f.vault.managementFeeOwed()).to.be.lt(f.units("0.001"));
    });

    it("a deposit made just before a report is not charged for the year before it", async function () {
      const { f, target2, adapter2 } = await loadFixture(twoAdapters);
      await time.increase(YEAR);
      await addYield(f, f.units(500), target2);
      // 90,000 arrive just before the report: the year is charged on the 10,000 that were there (200), not on 100,000.
      await depositFor(f, f.bob, f.units(90_000));
      await f.vault.connect(f.keeper).report(adapter2.target);
      const fee = await f.vault.convertToAssets(await f.vault.balanceOf(f.feeRecipient.address));
      expect(fee).to.be.within(f.units(200) - f.units("0.01"), f.units(200) + f.units("0.01"));
      expect(await f.vault.managementFeeOwed()).to.be.lt(f.units("0.001"));
    });

    it("a fee change keeps the time before it owed at the old rate", async function () {
      const { f, target2, adapter2 } = await loadFixture(twoAdapters);
      await time.increase(YEAR / 2n);
      await f.vault.connect(f.curator).setManagementFee(100);
      const owed = await f.vault.managementFeeOwed();
      expect(owed).to.be.within(f.units(100) - f.units("0.01"), f.units(100) + f.units("0.01"));
      expect(await f.vault.lastFeeAccrual()).to.equal(await latest());
      await time.increase(YEAR / 2n);
      // Half a year at 2% then half a year at 1%: 100 + 50.
      expect(await f.vault.managementFeeOwed()).to.be.within(
        f.units(150) - f.units("0.01"),
        f.units(150) + f.units("0.01"),
      );
      await addYield(f, f.units(500), target2);
      await f.vault.connect(f.keeper).report(adapter2.target);
      const fee = await f.vault.convertToAssets(await f.vault.balanceOf(f.feeRecipient.address));
      expect(fee).to.be.within(f.units(150) - f.units("0.01"), f.units(150) + f.units("0.01"));
    });
  });

  describe("issue 8.9: the guardian cannot block its own replacement", function () {
    async function guarded() {
      const f = await load(deploy6);
      await f.vault.connect(f.owner).setTimelock(3n * DAY);
      return f;
    }

    it("the guardian cannot revoke a setGuardian submission, and the replacement executes", async function () {
      const f = await loadFixture(guarded);
      const replace = iface.encodeFunctionData("setGuardian", [f.carol.address]);
      await f.vault.connect(f.owner).submit(replace);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.guardian).revoke(replace))
          .to.be.revertedWithCustomError(f.vault, "Unauthorized")
          .withArgs(f.guardian.address),
      );
      await time.increase(3n * DAY);
      await sendAs(f, f.owner, replace);
      expect(await f.vault.guardian()).to.equal(f.carol.address);
    });

    it("a guardian that keeps revoking timelock decreases is replaced first, then the decrease goes through", async function () {
      const f = await loadFixture(guarded);
      const lower = iface.encodeFunctionData("setTimelock", [0n]);
      await f.vault.connect(f.owner).submit(lower);
      // The guardian keeps its veto on a timelock cut (a check on the owner) ...
      await f.vault.connect(f.guardian).revoke(lower);
      // ... but not on its own replacement, so the owner is never stuck.
      const replace = iface.encodeFunctionData("setGuardian", [f.carol.address]);
      await f.vault.connect(f.owner).submit(replace);
      await f.vault.connect(f.owner).submit(lower);
      await expect(f.vault.connect(f.guardian).revoke(replace)).to.be.revertedWithCustomError(f.vault, "Unauthorized");
      await time.increase(3n * DAY);
      await sendAs(f, f.owner, replace);
      await sendAs(f, f.owner, lower);
      expect(await f.vault.timelock()).to.equal(0n);
    });

    it("the owner may still withdraw its own setGuardian submission", async function () {
      const f = await loadFixture(guarded);
      const replace = iface.encodeFunctionData("setGuardian", [f.carol.address]);
      await f.vault.connect(f.owner).submit(replace);
      await expect(f.vault.connect(f.owner).revoke(replace))
        .to.emit(f.vault, "Revoked")
        .withArgs(replace.slice(0, 10), replace, f.owner.address);
    });
  });

  describe("issue 8.11: performance-fee high-water mark, profit-unlock decreases, admin without code", function () {
    it("does not charge the performance fee again on recovering a reported loss", async function () {
      const f = await invested10k();
      await f.vault.connect(f.curator).setPerformanceFee(2_000);
      await addYield(f, f.units(100));
      await f.vault.connect(f.keeper).report(f.adapter.target);
      const mark = await f.vault.highWaterMark();
      expect(mark).to.be.gt(0n);
      await time.increase(8n * DAY);
      // A loss of 200, reported; the mark stays.
      await f.target.simulateLoss(f.units(200));
      await f.vault.connect(f.keeper).report(f.adapter.target);
      expect(await f.vault.highWaterMark()).to.equal(mark);
      // Recovering 250: 200 restores the old price (no fee), the last 50 lifts it above the mark (20% fee: 10).
      await time.increase(DAY);
      await addYield(f, f.units(250));
      const tx = f.vault.connect(f.keeper).report(f.adapter.target);
      const receipt = await (await tx).wait();
      const event = receipt!.logs
        .map((l) => {
          try {
            return f.vault.interface.parseLog(l);
          } catch {
            return null;
          }
        })
        .find((e) => e?.name === "Reported")!;
      const [, , gain, , performanceFee] = event.args;
      expect(gain).to.be.within(f.units(250) - 2n, f.units(250));
      // Before the fix: 50 (20% of the whole 250).
      expect(performanceFee).to.be.within(f.units(10) - f.units("0.01"), f.units(10));
      expect(await f.vault.highWaterMark()).to.be.gt(mark);
    });

    it("charges the whole gain above the mark, as before, when there was no loss", async function () {
      const f = await invested10k();
      await f.vault.connect(f.curator).setPerformanceFee(2_000);
      await addYield(f, f.units(100));
      await f.vault.connect(f.keeper).report(f.adapter.target);
      await time.increase(DAY);
      await addYield(f, f.units(100));
      const [, debt] = await f.vault.adapterConfig(f.adapter.target);
      const gain = (await f.adapter.totalAssets()) - debt;
      await expect(f.vault.connect(f.keeper).report(f.adapter.target))
        .to.emit(f.vault, "Reported")
        .withArgs(
          f.adapter.target,
          debt + gain,
          gain,
          0n,
          // The mark is rounded in the depositors' favour: at most a wei less.
          (fee: bigint) => fee >= (gain * 2_000n) / BPS - 1n && fee <= (gain * 2_000n) / BPS,
          0n,
          (v: bigint) => v > 0n,
        );
    });

    it("shortening profitUnlockTime waits out the timelock; lengthening it is immediate (no report sandwich)", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.owner).setTimelock(DAY);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).setProfitUnlockTime(0n)).to.be.revertedWithCustomError(
          f.vault,
          "NotSubmitted",
        ),
      );
      await f.vault.connect(f.curator).setProfitUnlockTime(10n * DAY);
      expect(await f.vault.profitUnlockTime()).to.equal(10n * DAY);
    });

    it("refuses a VaultAdmin address without code", async function () {
      const f = await load(deploy6);
      const factory = new RollupVault__factory(f.owner);
      await expect(factory.deploy(f.asset.target, "V", "V", f.owner.address, f.bob.address))
        .to.be.revertedWithCustomError(factory, "NoCode")
        .withArgs(f.bob.address);
    });
  });
});
