import { expect } from "chai";
import { ethers } from "hardhat";
import { VaultAdmin__factory } from "../../typechain-types";
import { deploy18, deploy6 } from "../helpers/fixtures";
import { checkStrayBalancesAfterEach, core, depositFor, expectUnchanged, load } from "../helpers/vault";

// Issue 10 (router bar): the vault's own ERC-5143-style bounded entry points (IVaultBounds, in VaultAdmin), which run
// the core's ERC-4626 functions as the caller, so a bounded deposit needs no token hop through a router.
for (const [label, fixture] of [
  ["6-decimal", deploy6],
  ["18-decimal", deploy18],
] as const) {
  describe(`Bounded entry points (${label} asset)`, function () {
    checkStrayBalancesAfterEach();

    describe("depositMin", function () {
      it("deposits from the caller for the receiver and returns what deposit mints", async function () {
        const f = await load(fixture);
        await depositFor(f, f.alice, f.units(100));
        const expected = await f.vault.previewDeposit(f.units(10));
        expect(await f.vault.connect(f.bob).depositMin.staticCall(f.units(10), f.carol.address, expected)).to.equal(
          expected,
        );
        const bobBefore = await f.asset.balanceOf(f.bob.address);
        await expect(f.vault.connect(f.bob).depositMin(f.units(10), f.carol.address, expected))
          .to.emit(f.vault, "Deposit")
          .withArgs(f.bob.address, f.carol.address, f.units(10), expected);
        expect(await f.asset.balanceOf(f.bob.address)).to.equal(bobBefore - f.units(10));
        expect(await f.vault.balanceOf(f.carol.address)).to.equal(expected);
        expect(await f.vault.balanceOf(f.bob.address)).to.equal(0n);
        expect(await f.vault.totalIdle()).to.equal(f.units(110));
      });

      it("reverts MinSharesNotMet and changes nothing when it would mint fewer than the bound", async function () {
        const f = await load(fixture);
        await depositFor(f, f.alice, f.units(100));
        const expected = await f.vault.previewDeposit(f.units(10));
        await expectUnchanged(f, () =>
          expect(f.vault.connect(f.bob).depositMin(f.units(10), f.bob.address, expected + 1n))
            .to.be.revertedWithCustomError(f.vault, "MinSharesNotMet")
            .withArgs(expected, expected + 1n),
        );
      });

      it("keeps the core's checks: a paused vault refuses it with the core's error", async function () {
        const f = await load(fixture);
        await f.vault.connect(f.guardian).setPaused(true);
        await expectUnchanged(f, () =>
          expect(f.vault.connect(f.bob).depositMin(f.units(10), f.bob.address, 0n)).to.be.revertedWithCustomError(
            f.vault,
            "Paused",
          ),
        );
      });

      it("pulls only from the caller: one without the assets is refused by the asset", async function () {
        const f = await load(fixture);
        const [stranger] = (await ethers.getSigners()).slice(15, 16);
        await expectUnchanged(f, () =>
          expect(f.vault.connect(stranger).depositMin(f.units(10), stranger.address, 0n))
            .to.be.revertedWithCustomError(f.asset, "ERC20InsufficientAllowance")
            .withArgs(f.vault.target, 0n, f.units(10)),
        );
      });
    });

    describe("mintMax", function () {
      it("mints to the receiver for what mint costs", async function () {
        const f = await load(fixture);
        await depositFor(f, f.alice, f.units(100));
        const shares = await f.vault.previewDeposit(f.units(7));
        const cost = await f.vault.previewMint(shares);
        await expect(f.vault.connect(f.bob).mintMax(shares, f.carol.address, cost))
          .to.emit(f.vault, "Deposit")
          .withArgs(f.bob.address, f.carol.address, cost, shares);
        expect(await f.vault.balanceOf(f.carol.address)).to.equal(shares);
      });

      it("reverts MaxAssetsExceeded and changes nothing when it would cost more than the bound", async function () {
        const f = await load(fixture);
        await depositFor(f, f.alice, f.units(100));
        const shares = await f.vault.previewDeposit(f.units(7));
        const cost = await f.vault.previewMint(shares);
        await expectUnchanged(f, () =>
          expect(f.vault.connect(f.bob).mintMax(shares, f.bob.address, cost - 1n))
            .to.be.revertedWithCustomError(f.vault, "MaxAssetsExceeded")
            .withArgs(cost, cost - 1n),
        );
      });
    });

    describe("withdrawMax", function () {
      it("burns the owner's shares for the caller the owner allowed, within the bound", async function () {
        const f = await load(fixture);
        await depositFor(f, f.alice, f.units(100));
        const shares = await f.vault.previewWithdraw(f.units(10));
        await f.vault.connect(f.alice).approve(f.bob.address, shares);
        const carolBefore = await f.asset.balanceOf(f.carol.address);
        await expect(f.vault.connect(f.bob).withdrawMax(f.units(10), f.carol.address, f.alice.address, shares))
          .to.emit(f.vault, "Withdraw")
          .withArgs(f.bob.address, f.carol.address, f.alice.address, f.units(10), shares);
        expect(await f.asset.balanceOf(f.carol.address)).to.equal(carolBefore + f.units(10));
        expect(await f.vault.allowance(f.alice.address, f.bob.address)).to.equal(0n);
      });

      it("reverts MaxSharesExceeded and changes nothing when it would burn more than the bound", async function () {
        const f = await load(fixture);
        await depositFor(f, f.alice, f.units(100));
        const shares = await f.vault.previewWithdraw(f.units(10));
        await expectUnchanged(f, () =>
          expect(f.vault.connect(f.alice).withdrawMax(f.units(10), f.alice.address, f.alice.address, shares - 1n))
            .to.be.revertedWithCustomError(f.vault, "MaxSharesExceeded")
            .withArgs(shares, shares - 1n),
        );
      });

      it("spends only an allowance the owner gave: a stranger is refused with the core's error", async function () {
        const f = await load(fixture);
        await depositFor(f, f.alice, f.units(100));
        const shares = await f.vault.previewWithdraw(f.units(10));
        await expectUnchanged(f, () =>
          expect(f.vault.connect(f.attacker).withdrawMax(f.units(10), f.attacker.address, f.alice.address, shares))
            .to.be.revertedWithCustomError(core(f), "ERC20InsufficientAllowance")
            .withArgs(f.attacker.address, 0n, shares),
        );
      });
    });

    describe("redeemMin", function () {
      it("pays the receiver what redeem pays, within the bound", async function () {
        const f = await load(fixture);
        const shares = await depositFor(f, f.alice, f.units(100));
        const assets = await f.vault.previewRedeem(shares / 4n);
        await expect(f.vault.connect(f.alice).redeemMin(shares / 4n, f.bob.address, f.alice.address, assets))
          .to.emit(f.vault, "Withdraw")
          .withArgs(f.alice.address, f.bob.address, f.alice.address, assets, shares / 4n);
        expect(await f.vault.balanceOf(f.alice.address)).to.equal(shares - shares / 4n);
      });

      it("reverts MinAssetsNotMet and changes nothing when it would pay less than the bound", async function () {
        const f = await load(fixture);
        const shares = await depositFor(f, f.alice, f.units(100));
        const assets = await f.vault.previewRedeem(shares / 4n);
        await expectUnchanged(f, () =>
          expect(f.vault.connect(f.alice).redeemMin(shares / 4n, f.alice.address, f.alice.address, assets + 1n))
            .to.be.revertedWithCustomError(f.vault, "MinAssetsNotMet")
            .withArgs(assets, assets + 1n),
        );
      });
    });

    it("the module refuses every bounded entry point called directly (not through a vault)", async function () {
      const f = await load(fixture);
      const module = VaultAdmin__factory.connect(await core(f).ADMIN(), f.bob);
      const me = f.bob.address;
      for (const call of [
        () => module.depositMin(1n, me, 0n),
        () => module.mintMax(1n, me, 1n),
        () => module.withdrawMax(1n, me, me, 1n),
        () => module.redeemMin(1n, me, me, 0n),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(module, "Unauthorized").withArgs(me);
      }
    });
  });
}
