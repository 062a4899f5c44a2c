import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deploy18, deploy6 } from "../helpers/fixtures";
import {
  BPS,
  DAY,
  addMisbehaving,
  addSecondAdapter,
  addYield,
  checkStrayBalancesAfterEach,
  depositFor,
  expectSolvent,
  expectUnchanged,
  load,
  sharePrice,
} from "../helpers/vault";

const UNLOCK = 7n * DAY;

for (const [label, fixture] of [
  ["6-decimal", deploy6],
  ["18-decimal", deploy18],
] as const) {
  describe(`Scenarios (${label} asset)`, function () {
    checkStrayBalancesAfterEach();

    describe("first-depositor inflation and donations", function () {
      it("a donation to the vault moves neither totalAssets nor the share price", async function () {
        const f = await loadFixture(fixture);
        await depositFor(f, f.alice, f.units(100));
        const assets = await f.vault.totalAssets();
        const price = await sharePrice(f);
        await f.asset.connect(f.attacker).transfer(f.vault.target, f.units(50_000));
        expect(await f.vault.totalAssets()).to.equal(assets);
        expect(await sharePrice(f)).to.equal(price);
        expect(await f.vault.totalIdle()).to.equal(f.units(100));
        expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(100));
      });

      it("the attacker who deposits one unit and donates a fortune to the vault loses the donation", async function () {
        const f = await loadFixture(fixture);
        const { vault, asset, attacker, alice, units } = f;
        const attackerStart = await asset.balanceOf(attacker.address);
        await vault.connect(attacker).deposit(1n, attacker.address);
        await asset.connect(attacker).transfer(vault.target, units(100_000));
        // The victim gets the same shares as with no donation at all.
        const fair = await vault.convertToShares(units(1_000));
        await vault.connect(alice).deposit(units(1_000), alice.address);
        expect(await vault.balanceOf(alice.address)).to.equal(fair);
        expect(await vault.maxWithdraw(alice.address)).to.be.within(units(1_000) - 1n, units(1_000));
        const aShares = await vault.balanceOf(attacker.address);
        if ((await vault.previewRedeem(aShares)) > 0n) {
          await vault.connect(attacker).redeem(aShares, attacker.address, attacker.address);
        }
        expect(attackerStart - (await asset.balanceOf(attacker.address))).to.be.gte(units(100_000));
        await vault.connect(alice).redeem(await vault.balanceOf(alice.address), alice.address, alice.address);
        expect(await asset.balanceOf(alice.address)).to.be.within(units(1_000_000) - 1n, units(1_000_000));
      });

      it("a donation to the adapter's target reaches the price only through a bounded, unlocking report", async function () {
        const f = await load(fixture);
        const { vault, attacker, alice, allocator, keeper, adapter, units } = f;
        await vault.connect(attacker).deposit(units(1), attacker.address);
        await vault.connect(allocator).allocate(adapter.target, units(1));
        await addYield(f, units(1_000)); // a donation of 1,000x the vault's assets to the target
        const real = await adapter.totalAssets();
        const fair = await vault.convertToShares(units(1_000));
        // Issue 8.7: the report books the gain allowance (maxGainBps of total assets) and leaves the rest unbooked.
        await expect(vault.connect(keeper).report(adapter.target))
          .to.emit(vault, "Reported")
          .withArgs(adapter.target, real, units(1) / 10n, 0n, 0n, 0n, 0n);
        expect(await vault.lockedProfit()).to.equal(units(1) / 10n);
        expect((await vault.adapterConfig(adapter.target)).debt).to.equal(units(1) + units(1) / 10n);
        // The victim's deposit is priced as before the donation: the booked part is locked (one second of its
        // 7-day unlock aside).
        await vault.connect(alice).deposit(units(1_000), alice.address);
        const shares = await vault.balanceOf(alice.address);
        expect(shares).to.be.within(fair - fair / 1_000_000n, fair);
        await vault.connect(alice).redeem(shares, alice.address, alice.address);
        // At most the unlock of the seconds between deposit and redeem (0.1 over 7 days) on top.
        expect(await f.asset.balanceOf(alice.address)).to.be.within(
          units(1_000_000) - 1n,
          units(1_000_000) + units(1) / 1_000_000n,
        );
      });
    });

    describe("deposit just before a report, withdraw just after", function () {
      it("earns nothing but the unlock of the seconds in between", async function () {
        const f = await load(fixture);
        const { vault, alice, bob, allocator, keeper, adapter, asset, units } = f;
        await depositFor(f, alice, units(1_000));
        await vault.connect(allocator).allocate(adapter.target, units(1_000));
        await addYield(f, units(80));
        const bobStart = await asset.balanceOf(bob.address);
        await vault.connect(bob).deposit(units(1_000), bob.address);
        const [, debt] = await vault.adapterConfig(adapter.target);
        const gain = (await adapter.totalAssets()) - debt;
        await vault.connect(keeper).report(adapter.target);
        const reportedAt = BigInt(await time.latest());
        await vault.connect(bob).redeem(await vault.balanceOf(bob.address), bob.address, bob.address);
        const elapsed = BigInt(await time.latest()) - reportedAt;
        const profit = (await asset.balanceOf(bob.address)) - bobStart;
        // Bound: bob's half of what unlocked in `elapsed` seconds (one block here), plus one unit of rounding.
        const bound = (gain * elapsed) / UNLOCK / 2n + 1n;
        expect(elapsed).to.equal(1n);
        expect(profit).to.be.lte(bound);
        expect(bound).to.be.lte((units(1) * 134n) / 1_000_000n + 1n); // about 0.013% of one unit per second
      });
    });

    describe("a misbehaving adapter", function () {
      it("that loses funds: the loss is priced at once, pro rata, and its report changes nothing (issue 8.1)", async function () {
        const f = await load(fixture);
        const { vault, alice, bob, allocator, keeper, units } = f;
        const bad = await addMisbehaving(f);
        await depositFor(f, alice, units(50));
        await depositFor(f, bob, units(50));
        await vault.connect(allocator).allocate(bad.target, units(80));
        await bad.lose(units(8));
        // Visible on chain: priced at once; exits reach the adapter at its real value.
        expect(await vault.totalAssets()).to.equal(units(92));
        expect(await vault.maxWithdraw(alice.address)).to.be.within(units(46) - 1n, units(46));
        await vault.connect(keeper).report(bad.target);
        expect(await vault.totalAssets()).to.equal(units(92));
        expect(await vault.maxWithdraw(alice.address)).to.be.within(units(46) - 1n, units(46));
        await vault.connect(alice).redeem(await vault.balanceOf(alice.address), alice.address, alice.address);
        await vault.connect(bob).redeem(await vault.balanceOf(bob.address), bob.address, bob.address);
        expect(await f.asset.balanceOf(alice.address)).to.be.within(units(999_996) - 1n, units(999_996));
        expect(await f.asset.balanceOf(bob.address)).to.be.within(units(999_996) - 1n, units(999_996));
        await expectSolvent(f);
      });

      it("that loses funds: an exit from idle before the loss is reported is paid at the fair price (issue 8.1)", async function () {
        const f = await load(fixture);
        const { vault, alice, bob, allocator, keeper, asset, units } = f;
        const bad = await addMisbehaving(f);
        await depositFor(f, alice, units(50));
        await depositFor(f, bob, units(50));
        await vault.connect(allocator).allocate(bad.target, units(80));
        await bad.lose(units(8)); // 8% of the vault's assets are gone, not yet reported
        // Alice takes all the idle before the keeper reports: the shares she burns are priced with the loss.
        await vault.connect(alice).withdraw(units(20), alice.address, alice.address);
        await vault.connect(keeper).report(bad.target);
        await vault.connect(alice).redeem(await vault.balanceOf(alice.address), alice.address, alice.address);
        await vault.connect(bob).redeem(await vault.balanceOf(bob.address), bob.address, bob.address);
        const aliceOut = (await asset.balanceOf(alice.address)) - units(999_950);
        const bobOut = (await asset.balanceOf(bob.address)) - units(999_950);
        // A fair split is 46 each, whoever goes first (the old code paid 47 and 45).
        expect(aliceOut).to.be.within(units(46) - 2n, units(46) + 2n);
        expect(bobOut).to.be.within(units(46) - 2n, units(46) + 2n);
        expect(aliceOut + bobOut).to.be.lte(units(92));
      });

      it("that reverts: exits use the others, its report reverts, shutdown goes through", async function () {
        const f = await load(fixture);
        const { vault, alice, allocator, keeper, guardian, units } = f;
        const bad = await addMisbehaving(f);
        await depositFor(f, alice, units(100));
        await vault.connect(allocator).allocate(bad.target, units(30));
        await vault.connect(allocator).allocate(f.adapter.target, units(50));
        await vault.connect(allocator).setWithdrawQueue([bad.target, f.adapter.target]);
        await bad.setReverts(true);
        expect(await vault.maxWithdraw(alice.address)).to.equal(units(70));
        await expect(vault.connect(keeper).report(bad.target)).to.be.revertedWithCustomError(bad, "Broken");
        await vault.connect(guardian).shutdown();
        expect(await vault.totalIdle()).to.equal(units(70));
        await vault.connect(alice).withdraw(units(70), alice.address, alice.address);
        await expect(vault.connect(alice).withdraw(1n, alice.address, alice.address)).to.be.revertedWithCustomError(
          vault,
          "InsufficientLiquidity",
        );
        // Once the adapter works again, the rest comes out.
        await bad.setReverts(false);
        await vault.connect(alice).withdraw(units(30), alice.address, alice.address);
        expect(await vault.totalAssets()).to.equal(0n);
      });

      it("that lies high: the report is bounded by maxGain and the lie cannot be paid out", async function () {
        const f = await load(fixture);
        const { vault, alice, bob, allocator, keeper, units } = f;
        const bad = await addMisbehaving(f);
        await depositFor(f, alice, units(50));
        await depositFor(f, bob, units(50));
        await vault.connect(allocator).allocate(bad.target, units(100));
        await bad.setReportSkew(units(11));
        // Issue 8.7: a gain above the allowance is booked up to it, not refused.
        await expect(vault.connect(keeper).report(bad.target))
          .to.emit(vault, "Reported")
          .withArgs(bad.target, units(111), units(10), 0n, 0n, 0n, 0n);
        // The allowance is spent for the window: the rest of the lie waits, and a report a second later books only
        // what refilled in that second (10 per day).
        await expect(vault.connect(keeper).report(bad.target))
          .to.emit(vault, "Reported")
          .withArgs(bad.target, units(111), (g: bigint) => g <= (units(10) * 2n) / DAY, 0n, 0n, 0n, 0n);
        // Back to a 10 lie: the refill booked a second ago comes back off as a loss of locked profit.
        await bad.setReportSkew(units(10));
        await vault.connect(keeper).report(bad.target);
        await time.increase(UNLOCK);
        expect(await vault.totalAssets()).to.equal(units(110));
        // The books say 110 but 100 exist: exits pay at most what the adapter holds, never more.
        expect(await vault.liquidAssets()).to.equal(units(100));
        const aliceMax = await vault.maxWithdraw(alice.address);
        expect(aliceMax).to.be.within(units(55) - 1n, units(55));
        await vault.connect(alice).withdraw(aliceMax, alice.address, alice.address);
        expect(await vault.maxWithdraw(bob.address)).to.equal(units(100) - aliceMax);
        await expect(vault.connect(bob).withdraw(units(50), bob.address, bob.address))
          .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
          .withArgs(units(50) - (units(100) - aliceMax));
        // Caught: the lie stops and the next report realises it as a loss for those still in.
        await bad.setReportSkew(0);
        await vault.connect(keeper).report(bad.target);
        expect(await vault.totalAssets()).to.equal(units(100) - aliceMax);
        await vault.connect(bob).redeem(await vault.balanceOf(bob.address), bob.address, bob.address);
        expect(await f.asset.balanceOf(f.vault.target)).to.equal(await vault.totalIdle());
      });

      it("that short-pays a deallocation: only what arrived is booked and paid", async function () {
        const f = await load(fixture);
        const { vault, alice, allocator, units, asset } = f;
        const bad = await addMisbehaving(f);
        await vault.connect(allocator).setWithdrawQueue([bad.target, f.adapter.target]);
        await depositFor(f, alice, units(100));
        await vault.connect(allocator).allocate(bad.target, units(60));
        await vault.connect(allocator).allocate(f.adapter.target, units(40));
        await bad.setPayBps(6_000);
        // All 100: the bad adapter is asked 60 and pays 36, the good one pays 40, 24 are missing.
        await expectUnchanged(
          f,
          () =>
            expect(vault.connect(alice).withdraw(units(100), alice.address, alice.address))
              .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
              .withArgs(units(24)),
          [bad.target as string],
        );
        // 50: the bad adapter is asked 50 and pays 30, the good one pays the other 20.
        const before = await asset.balanceOf(alice.address);
        await vault.connect(alice).withdraw(units(50), alice.address, alice.address);
        expect((await asset.balanceOf(alice.address)) - before).to.equal(units(50));
        expect((await vault.adapterConfig(bad.target)).debt).to.equal(units(30));
        expect((await vault.adapterConfig(f.adapter.target)).debt).to.equal(units(20));
        expect(await bad.totalAssets()).to.equal(units(30));
        await expectSolvent(f);
      });
    });

    describe("rounding dust below the books", function () {
      it("an adapter a few wei under its books is dust, paid at par; one a part per million under is a priced loss", async function () {
        const f = await load(fixture);
        const { vault, alice, allocator, units } = f;
        const bad = await addMisbehaving(f);
        await vault.connect(allocator).setWithdrawQueue([bad.target, f.adapter.target]);
        await depositFor(f, alice, units(100));
        await vault.connect(allocator).allocate(bad.target, units(100));
        const dust = units(100) / 1_000_000n + 1n;
        // Real assets exactly `dust` under the books: rounding, not a loss. The adapter stays liquid.
        await bad.setReportSkew(-dust);
        expect(await vault.maxWithdraw(alice.address)).to.equal(units(100));
        expect(await vault.liquidAssets()).to.equal(units(100));
        // One wei more and it counts as a visible loss: priced in, and exits reach it at its real value.
        await bad.setReportSkew(-(dust + 1n));
        expect(await vault.totalAssets()).to.equal(units(100) - dust - 1n);
        expect(await vault.maxWithdraw(alice.address)).to.be.within(units(100) - dust - 2n, units(100) - dust - 1n);
        await bad.setReportSkew(-dust);
        const before = await f.asset.balanceOf(alice.address);
        await vault.connect(alice).withdraw(units(60), alice.address, alice.address);
        expect((await f.asset.balanceOf(alice.address)) - before).to.equal(units(60));
        expect((await vault.adapterConfig(bad.target)).debt).to.equal(units(40));
        await bad.setReportSkew(0n);
        await expectSolvent(f);
      });
    });

    describe("pause and shutdown", function () {
      it("pause stops deposits and allocation but every exit stays open", async function () {
        const f = await load(fixture);
        const { vault, alice, allocator, guardian, units } = f;
        await depositFor(f, alice, units(100));
        await vault.connect(allocator).allocate(f.adapter.target, units(60));
        await vault.connect(guardian).setPaused(true);
        await vault.connect(alice).withdraw(units(50), alice.address, alice.address);
        await vault.connect(alice).redeem(await vault.convertToShares(units(20)), alice.address, alice.address);
        await vault.connect(alice).withdrawWithMaxLoss(units(10), alice.address, alice.address, 0);
        await vault
          .connect(alice)
          .redeemWithMaxLoss(await vault.balanceOf(alice.address), alice.address, alice.address, 0);
        expect(await vault.totalSupply()).to.equal(0n);
      });

      it("shutdown pulls liquidity back and every holder exits in full", async function () {
        const f = await load(fixture);
        const { vault, alice, bob, carol, allocator, guardian, units, asset } = f;
        const { adapter2 } = await addSecondAdapter(f);
        for (const u of [alice, bob, carol]) await depositFor(f, u, units(100));
        await vault.connect(allocator).allocate(f.adapter.target, units(150));
        await vault.connect(allocator).allocate(adapter2.target, units(100));
        await vault.connect(guardian).shutdown();
        expect(await vault.totalIdle()).to.equal(units(300));
        expect(await vault.totalDebt()).to.equal(0n);
        for (const u of [alice, bob, carol]) {
          await vault.connect(u).redeem(await vault.balanceOf(u.address), u.address, u.address);
          expect(await asset.balanceOf(u.address)).to.equal(units(1_000_000));
        }
      });
    });

    describe("limited liquidity", function () {
      it("each holder's maxWithdraw is what they alone could take now; the first to exit takes it", async function () {
        const f = await load(fixture);
        const { vault, alice, bob, allocator, target, units } = f;
        await depositFor(f, alice, units(50));
        await depositFor(f, bob, units(50));
        await vault.connect(allocator).allocate(f.adapter.target, units(80));
        await target.setLiquidity(units(30));
        expect(await vault.liquidAssets()).to.equal(units(50));
        // Each view is true for its owner alone; together they promise 100 against 50 liquid.
        expect(await vault.maxWithdraw(alice.address)).to.equal(units(50));
        expect(await vault.maxWithdraw(bob.address)).to.equal(units(50));
        await vault.connect(alice).withdraw(units(50), alice.address, alice.address);
        expect(await vault.maxWithdraw(bob.address)).to.equal(0n);
        await target.setLiquidity(ethers.MaxUint256);
        expect(await vault.maxWithdraw(bob.address)).to.equal(units(50));
        await vault.connect(bob).withdraw(units(50), bob.address, bob.address);
      });
    });

    describe("withdrawWithMaxLoss", function () {
      it("makes the leaver bear their proportional loss and leaves the stayers' price unchanged", async function () {
        const f = await load(fixture);
        const { vault, alice, bob, allocator, keeper, target, asset, units } = f;
        await depositFor(f, alice, units(50));
        await depositFor(f, bob, units(50));
        await vault.connect(allocator).allocate(f.adapter.target, units(100));
        await target.simulateLoss(units(10)); // the adapter is 10% down, unreported
        const price = await sharePrice(f);
        const before = await asset.balanceOf(alice.address);
        await vault
          .connect(alice)
          .redeemWithMaxLoss(await vault.balanceOf(alice.address), alice.address, alice.address, 1_000);
        const got = (await asset.balanceOf(alice.address)) - before;
        expect(got).to.be.within(units(45) - 1n, units(45));
        // Bob's price is untouched by Alice's exit...
        expect(await sharePrice(f)).to.be.gte(price);
        // ...and once the loss is reported, Bob bears the same 10% and no more.
        await vault.connect(keeper).report(f.adapter.target);
        expect(await vault.maxWithdraw(bob.address)).to.be.within(units(45) - 2n, units(45) + 1n);
        await vault.connect(bob).redeem(await vault.balanceOf(bob.address), bob.address, bob.address);
        expect(await asset.balanceOf(bob.address)).to.be.within(units(999_995) - 2n, units(999_995) + 1n);
        await expectSolvent(f);
      });

      it("reverts without bearing anything when the loss is above the caller's bound", async function () {
        const f = await load(fixture);
        await depositFor(f, f.alice, f.units(100));
        await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(100));
        await f.target.simulateLoss(f.units(10));
        await expectUnchanged(f, () =>
          expect(
            f.vault.connect(f.alice).withdrawWithMaxLoss(f.units(50), f.alice.address, f.alice.address, 999),
          ).to.be.revertedWithCustomError(f.vault, "MaxLossExceeded"),
        );
        expect(BPS).to.equal(10_000n);
      });
    });
  });
}
