import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deploy18, deploy6, type VaultFixture } from "../helpers/fixtures";
import {
  BPS,
  DAY,
  YEAR,
  addYield,
  checkStrayBalancesAfterEach,
  depositFor,
  latest,
  load,
  sharePrice,
} from "../helpers/vault";

const UNLOCK = 7n * DAY;

/** Alice holds 100, 80 of them in the adapter; the last report is at the returned time. */
async function invested(fixture: () => Promise<VaultFixture>): Promise<VaultFixture> {
  const f = await load(fixture);
  await depositFor(f, f.alice, f.units(100));
  await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(80));
  await f.vault.connect(f.keeper).report(f.adapter.target);
  return f;
}

/** Adds `amount` of yield and reports it, returning the gain the vault booked. */
async function gainOf(f: VaultFixture, amount: bigint): Promise<bigint> {
  const [, debt] = await f.vault.adapterConfig(f.adapter.target);
  await addYield(f, amount);
  const gain = (await f.adapter.totalAssets()) - debt;
  await f.vault.connect(f.keeper).report(f.adapter.target);
  return gain;
}

for (const [label, fixture] of [
  ["6-decimal", deploy6],
  ["18-decimal", deploy18],
] as const) {
  describe(`Profit unlocking and fees (${label} asset)`, function () {
    checkStrayBalancesAfterEach();

    describe("profit unlocking", function () {
      it("locks a reported gain and unlocks it linearly over profitUnlockTime", async function () {
        const f = await invested(fixture);
        const gain = await gainOf(f, f.units(8));
        const start = await latest();
        expect(await f.vault.lockedProfit()).to.equal(gain);
        expect(await f.vault.unlockEnd()).to.equal(start + UNLOCK);
        expect(await f.vault.totalAssets()).to.equal(f.units(100));
        for (const quarter of [1n, 2n, 3n]) {
          await time.increaseTo(start + (UNLOCK * quarter) / 4n);
          const expected = gain - (gain * quarter) / 4n;
          // Rounded up, so the books never count a gain before it unlocks.
          expect(await f.vault.lockedProfit()).to.be.within(expected, expected + 1n);
          expect(await f.vault.totalAssets()).to.equal(f.units(100) + gain - (await f.vault.lockedProfit()));
        }
        await time.increaseTo(start + UNLOCK);
        expect(await f.vault.lockedProfit()).to.equal(0n);
        expect(await f.vault.totalAssets()).to.equal(f.units(100) + gain);
      });

      it("raises the share price gradually, never in a step", async function () {
        const f = await invested(fixture);
        const before = await sharePrice(f);
        await gainOf(f, f.units(8));
        expect(await sharePrice(f)).to.equal(before);
        let last = before;
        for (let i = 0; i < 7; i++) {
          await time.increase(DAY);
          const now = await sharePrice(f);
          expect(now).to.be.gt(last);
          // One day of a 7-day unlock of 8% can add at most about 1.2% to the price.
          expect(now - last).to.be.lte((before * 12n) / 1_000n);
          last = now;
        }
      });

      it("averages the end of a second gain with what is still locked, weighted by amount", async function () {
        const f = await invested(fixture);
        const gain1 = await gainOf(f, f.units(4));
        const start = await latest();
        const end1 = await f.vault.unlockEnd();
        const [, debt] = await f.vault.adapterConfig(f.adapter.target);
        await addYield(f, f.units(6));
        const gain2 = (await f.adapter.totalAssets()) - debt;
        const t = start + UNLOCK / 2n;
        await time.setNextBlockTimestamp(t);
        await f.vault.connect(f.keeper).report(f.adapter.target);
        const stillLocked = (gain1 * (end1 - t) + UNLOCK - 1n) / UNLOCK;
        const end = t + (stillLocked * (end1 - t) + gain2 * UNLOCK) / (stillLocked + gain2);
        expect(await f.vault.lockedProfit()).to.equal(stillLocked + gain2);
        expect(await f.vault.unlockEnd()).to.equal(end);
        // Later than the first end, sooner than a full unlock time from now.
        expect(end).to.be.gt(end1);
        expect(end).to.be.lt(t + UNLOCK);
        await time.increaseTo(end);
        expect(await f.vault.lockedProfit()).to.equal(0n);
        expect(await f.vault.totalAssets()).to.equal(f.units(100) + gain1 + gain2);
      });

      it("lets a gain reach the price at once when profitUnlockTime is zero", async function () {
        const f = await invested(fixture);
        await f.vault.connect(f.curator).setProfitUnlockTime(0);
        const gain = await gainOf(f, f.units(5));
        expect(await f.vault.lockedProfit()).to.equal(0n);
        expect(await f.vault.totalAssets()).to.equal(f.units(100) + gain);
      });

      it("burns locked profit first on a loss, leaving the price where it was", async function () {
        const f = await invested(fixture);
        const gain = await gainOf(f, f.units(8));
        const end = await f.vault.unlockEnd();
        await time.increase(DAY);
        const [, debt] = await f.vault.adapterConfig(f.adapter.target);
        await f.target.simulateLoss(f.units(3));
        const loss = debt - (await f.adapter.totalAssets());
        await f.vault.connect(f.keeper).report(f.adapter.target);
        const t = await latest();
        // What was locked at the report's time, had there been no loss (rounded up like the vault does).
        const lockedAtT = (gain * (end - t) + UNLOCK - 1n) / UNLOCK;
        expect(await f.vault.lockedProfit()).to.equal(lockedAtT - loss);
        // The loss came out of the locked profit alone: holders' assets are what they were at that time.
        expect(await f.vault.totalAssets()).to.equal(f.units(100) + gain - lockedAtT);
      });

      it("lowers the price by the part of a loss that locked profit cannot absorb", async function () {
        const f = await invested(fixture);
        await gainOf(f, f.units(2));
        await time.increase(DAY);
        const locked = await f.vault.lockedProfit();
        const assetsBefore = await f.vault.totalAssets();
        const [, debt] = await f.vault.adapterConfig(f.adapter.target);
        await f.target.simulateLoss(f.units(10));
        const loss = debt - (await f.adapter.totalAssets());
        await f.vault.connect(f.keeper).report(f.adapter.target);
        expect(await f.vault.lockedProfit()).to.equal(0n);
        expect(await f.vault.totalAssets()).to.be.within(
          assetsBefore - (loss - locked) - 1n,
          assetsBefore - (loss - locked) + 1n,
        );
      });

      it("a loss after the lock ended lowers the price by the whole loss", async function () {
        const f = await invested(fixture);
        await gainOf(f, f.units(2));
        await time.increase(UNLOCK);
        const assetsBefore = await f.vault.totalAssets();
        await f.target.simulateLoss(f.units(1));
        const [, debt] = await f.vault.adapterConfig(f.adapter.target);
        const loss = debt - (await f.adapter.totalAssets());
        await f.vault.connect(f.keeper).report(f.adapter.target);
        expect(await f.vault.totalAssets()).to.equal(assetsBefore - loss);
      });
    });

    describe("fees", function () {
      it("mints the performance fee as shares at the pre-report price", async function () {
        const f = await invested(fixture);
        await f.vault.connect(f.curator).setPerformanceFee(2_000);
        const price = await sharePrice(f);
        const [, debt] = await f.vault.adapterConfig(f.adapter.target);
        await addYield(f, f.units(5));
        const real = await f.adapter.totalAssets();
        const gain = real - debt;
        const fee = (gain * 2_000n) / BPS;
        const feeShares = await f.vault.convertToShares(fee);
        await expect(f.vault.connect(f.keeper).report(f.adapter.target))
          .to.emit(f.vault, "Reported")
          .withArgs(f.adapter.target, real, gain, 0n, fee, 0n, feeShares);
        expect(await f.vault.balanceOf(f.feeRecipient.address)).to.equal(feeShares);
        expect(await f.vault.lockedProfit()).to.equal(gain - fee);
        // The price does not move at the report: fee shares are worth exactly the fee.
        expect(await sharePrice(f)).to.be.within(price - 1n, price);
        await time.increase(UNLOCK);
        expect(await f.vault.convertToAssets(feeShares)).to.be.gte(fee);
        expect(await sharePrice(f)).to.be.gt(price);
      });

      it("charges the management fee for the time since the last report", async function () {
        const f = await invested(fixture);
        await f.vault.connect(f.curator).setManagementFee(200); // 2% a year
        const last = await f.vault.lastFeeAccrual();
        const assetsBefore = await f.vault.totalAssets();
        const [, debt] = await f.vault.adapterConfig(f.adapter.target);
        await addYield(f, f.units(8));
        const gain = (await f.adapter.totalAssets()) - debt;
        const at = last + YEAR / 4n;
        await time.setNextBlockTimestamp(at);
        const fee = (assetsBefore * 200n * (at - last)) / (BPS * YEAR);
        const feeShares = await f.vault.convertToShares(fee);
        await f.vault.connect(f.keeper).report(f.adapter.target);
        expect(fee).to.be.lt(gain);
        expect(await f.vault.balanceOf(f.feeRecipient.address)).to.equal(feeShares);
        expect(await f.vault.lockedProfit()).to.equal(gain - fee);
        expect(await f.vault.lastFeeAccrual()).to.equal(at);
      });

      it("charges the time before a fee change at the old rate (0 here) and the new rate from the change", async function () {
        const f = await invested(fixture);
        await time.increase(YEAR / 2n);
        await f.vault.connect(f.curator).setManagementFee(200);
        const changedAt = BigInt(await time.latest());
        expect(await f.vault.lastFeeAccrual()).to.equal(changedAt);
        const assetsBefore = await f.vault.totalAssets();
        await addYield(f, f.units(8));
        const at = changedAt + YEAR / 4n;
        await time.setNextBlockTimestamp(at);
        const fee = (assetsBefore * 200n * (at - changedAt)) / (BPS * YEAR);
        await expect(f.vault.connect(f.keeper).report(f.adapter.target)).to.emit(f.vault, "Reported");
        expect(await f.vault.balanceOf(f.feeRecipient.address)).to.equal(await f.vault.convertToShares(fee));
        expect(await f.vault.managementFeeOwed()).to.equal(0n);
      });

      it("caps the management fee by the gain after the performance fee", async function () {
        const f = await invested(fixture);
        await f.vault.connect(f.curator).setPerformanceFee(1_000);
        await f.vault.connect(f.curator).setManagementFee(500);
        await time.increase(2n * YEAR);
        const price = await sharePrice(f);
        const [, debt] = await f.vault.adapterConfig(f.adapter.target);
        await addYield(f, f.units(1));
        const real = await f.adapter.totalAssets();
        const gain = real - debt;
        const perf = (gain * 1_000n) / BPS;
        const feeShares = await f.vault.convertToShares(gain);
        await expect(f.vault.connect(f.keeper).report(f.adapter.target))
          .to.emit(f.vault, "Reported")
          .withArgs(f.adapter.target, real, gain, 0n, perf, gain - perf, feeShares);
        // The whole gain went to fees: nothing is locked, and the price is unchanged.
        expect(await f.vault.lockedProfit()).to.equal(0n);
        expect(await sharePrice(f)).to.be.within(price - 1n, price);
      });

      it("charges no fee on a loss, and the share price never falls from fees", async function () {
        const f = await invested(fixture);
        await f.vault.connect(f.curator).setPerformanceFee(5_000);
        await f.vault.connect(f.curator).setManagementFee(500);
        await time.increase(YEAR);
        await f.target.simulateLoss(f.units(1));
        await f.vault.connect(f.keeper).report(f.adapter.target);
        expect(await f.vault.balanceOf(f.feeRecipient.address)).to.equal(0n);
        let price = await sharePrice(f);
        for (const y of [1, 3, 2]) {
          await time.increase(DAY * 30n);
          await gainOf(f, f.units(y));
          const now = await sharePrice(f);
          expect(now).to.be.gte(price - 1n);
          price = now;
        }
      });

      it("keeps a lock running at its rate when the whole gain goes to fees", async function () {
        const f = await invested(fixture);
        await gainOf(f, f.units(4));
        const end = await f.vault.unlockEnd();
        await time.increase(DAY);
        await f.vault.connect(f.curator).setManagementFee(500);
        await time.increase(YEAR);
        await gainOf(f, 1000n);
        // The earlier lock ended long ago; a lock restarted from now holds nothing.
        expect(await f.vault.lockedProfit()).to.equal(0n);
        expect(await f.vault.unlockEnd()).to.equal(end);
      });
    });
  });
}
