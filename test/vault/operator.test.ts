import { expect } from "chai";
import { ethers } from "hardhat";
import {
  IRollupVault__factory,
  OperatorProbe__factory,
  ReentrantERC20__factory,
  RollupVault__factory,
  VaultAdmin__factory,
} from "../../typechain-types";
import { deploy6 } from "../helpers/fixtures";
import { checkStrayBalancesAfterEach, core, expectUnchanged, load } from "../helpers/vault";

/**
 * Issue 10 §1 (router gas bar): ERC-7540's operator model applied to deposits. An owner approves an operator with
 * `setOperator`; the operator calls `depositMinFrom(owner, ...)` and the vault pulls the owner's assets (the owner
 * approved the vault) through a transient payer slot that lives only for the core's guarded `deposit`.
 */
describe("Vault operators (depositMinFrom, setOperator)", function () {
  checkStrayBalancesAfterEach();

  describe("setOperator / isOperator", function () {
    it("approves and revokes, emitting OperatorSet (ERC-7540 names) and returning true", async function () {
      const f = await load(deploy6);
      expect(await f.vault.isOperator(f.alice.address, f.bob.address)).to.equal(false);
      expect(await f.vault.connect(f.alice).setOperator.staticCall(f.bob.address, true)).to.equal(true);
      await expect(f.vault.connect(f.alice).setOperator(f.bob.address, true))
        .to.emit(f.vault, "OperatorSet")
        .withArgs(f.alice.address, f.bob.address, true);
      expect(await f.vault.isOperator(f.alice.address, f.bob.address)).to.equal(true);
      // Per owner: Bob is Alice's operator, not Carol's, and the relation is not symmetric.
      expect(await f.vault.isOperator(f.carol.address, f.bob.address)).to.equal(false);
      expect(await f.vault.isOperator(f.bob.address, f.alice.address)).to.equal(false);
      await expect(f.vault.connect(f.alice).setOperator(f.bob.address, false))
        .to.emit(f.vault, "OperatorSet")
        .withArgs(f.alice.address, f.bob.address, false);
      expect(await f.vault.isOperator(f.alice.address, f.bob.address)).to.equal(false);
    });

    it("reverts InvalidOperator for the zero address and for the caller itself, changing nothing", async function () {
      const f = await load(deploy6);
      await expect(f.vault.connect(f.alice).setOperator(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(f.vault, "InvalidOperator")
        .withArgs(ethers.ZeroAddress);
      await expect(f.vault.connect(f.alice).setOperator(f.alice.address, true))
        .to.be.revertedWithCustomError(f.vault, "InvalidOperator")
        .withArgs(f.alice.address);
      expect(await f.vault.isOperator(f.alice.address, ethers.ZeroAddress)).to.equal(false);
      expect(await f.vault.isOperator(f.alice.address, f.alice.address)).to.equal(false);
    });

    it("the module refuses setOperator and depositMinFrom called directly (not through a vault)", async function () {
      const f = await load(deploy6);
      const module = await new VaultAdmin__factory(f.owner).deploy();
      await expect(module.setOperator(f.bob.address, true))
        .to.be.revertedWithCustomError(module, "Unauthorized")
        .withArgs(f.owner.address);
      await expect(module.depositMinFrom(f.owner.address, 1n, f.owner.address, 0n))
        .to.be.revertedWithCustomError(module, "Unauthorized")
        .withArgs(f.owner.address);
    });
  });

  describe("depositMinFrom", function () {
    it("an operator deposits the owner's assets for any receiver; the owner pays, the Deposit names the owner", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.alice).setOperator(f.bob.address, true);
      const assets = f.units(10);
      const shares = await f.vault.previewDeposit(assets);
      const [aliceBefore, bobBefore] = [await f.asset.balanceOf(f.alice), await f.asset.balanceOf(f.bob)];
      expect(
        await f.vault.connect(f.bob).depositMinFrom.staticCall(f.alice.address, assets, f.carol.address, shares),
      ).to.equal(shares);
      await expect(f.vault.connect(f.bob).depositMinFrom(f.alice.address, assets, f.carol.address, shares))
        .to.emit(f.vault, "Deposit")
        .withArgs(f.alice.address, f.carol.address, assets, shares);
      expect(await f.vault.balanceOf(f.carol.address)).to.equal(shares);
      expect(aliceBefore - (await f.asset.balanceOf(f.alice))).to.equal(assets);
      expect(await f.asset.balanceOf(f.bob)).to.equal(bobBefore);
      expect(await f.vault.totalIdle()).to.equal(assets);
    });

    it("the owner itself needs no operator approval (depositMin with the owner named)", async function () {
      const f = await load(deploy6);
      const assets = f.units(3);
      const shares = await f.vault.previewDeposit(assets);
      await expect(f.vault.connect(f.alice).depositMinFrom(f.alice.address, assets, f.bob.address, shares))
        .to.emit(f.vault, "Deposit")
        .withArgs(f.alice.address, f.bob.address, assets, shares);
      expect(await f.vault.balanceOf(f.bob.address)).to.equal(shares);
    });

    it("reverts NotOperator for a caller the owner did not approve, and changes nothing", async function () {
      const f = await load(deploy6);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.attacker).depositMinFrom(f.alice.address, f.units(10), f.attacker.address, 0n))
          .to.be.revertedWithCustomError(f.vault, "NotOperator")
          .withArgs(f.alice.address, f.attacker.address),
      );
    });

    it("reverts NotOperator for a zero owner", async function () {
      const f = await load(deploy6);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.bob).depositMinFrom(ethers.ZeroAddress, f.units(1), f.bob.address, 0n))
          .to.be.revertedWithCustomError(f.vault, "NotOperator")
          .withArgs(ethers.ZeroAddress, f.bob.address),
      );
    });

    it("a revoked operator is refused with NotOperator", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.alice).setOperator(f.bob.address, true);
      await f.vault.connect(f.bob).depositMinFrom(f.alice.address, f.units(1), f.bob.address, 0n);
      await f.vault.connect(f.alice).setOperator(f.bob.address, false);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.bob).depositMinFrom(f.alice.address, f.units(1), f.bob.address, 0n))
          .to.be.revertedWithCustomError(f.vault, "NotOperator")
          .withArgs(f.alice.address, f.bob.address),
      );
    });

    it("reverts MinSharesNotMet below the bound and changes nothing", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.alice).setOperator(f.bob.address, true);
      const assets = f.units(10);
      const shares = await f.vault.previewDeposit(assets);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.bob).depositMinFrom(f.alice.address, assets, f.bob.address, shares + 1n))
          .to.be.revertedWithCustomError(f.vault, "MinSharesNotMet")
          .withArgs(shares, shares + 1n),
      );
    });

    it("keeps the core's checks: zero receiver (ERC20InvalidReceiver), paused vault (Paused)", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.alice).setOperator(f.bob.address, true);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.bob).depositMinFrom(f.alice.address, f.units(1), ethers.ZeroAddress, 0n))
          .to.be.revertedWithCustomError(core(f), "ERC20InvalidReceiver")
          .withArgs(ethers.ZeroAddress),
      );
      await f.vault.connect(f.guardian).setPaused(true);
      await expectUnchanged(f, () =>
        expect(
          f.vault.connect(f.bob).depositMinFrom(f.alice.address, f.units(1), f.bob.address, 0n),
        ).to.be.revertedWithCustomError(core(f), "Paused"),
      );
    });

    it("pulls only what the owner approved to the vault (the asset refuses more)", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.alice).setOperator(f.bob.address, true);
      await f.asset.connect(f.alice).approve(f.vault, f.units(5));
      const vaultAddress = await f.vault.getAddress();
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.bob).depositMinFrom(f.alice.address, f.units(6), f.bob.address, 0n))
          .to.be.revertedWithCustomError(f.asset, "ERC20InsufficientAllowance")
          .withArgs(vaultAddress, f.units(5), f.units(6)),
      );
    });

    it("the payer does not outlive the call: a later deposit in the same transaction pulls from its caller", async function () {
      const f = await load(deploy6);
      const probe = await new OperatorProbe__factory(f.owner).deploy();
      await f.asset.mint(probe, f.units(7));
      await f.vault.connect(f.alice).setOperator(probe, true);
      const aliceBefore = await f.asset.balanceOf(f.alice);
      await probe.depositFromThenOwn(f.vault, f.alice.address, f.units(7), f.carol.address);
      // Alice paid the first deposit only; the probe paid its own (a payer left set would have charged Alice twice).
      expect(aliceBefore - (await f.asset.balanceOf(f.alice))).to.equal(f.units(7));
      expect(await f.asset.balanceOf(probe)).to.equal(0n);
      expect(await f.vault.totalIdle()).to.equal(f.units(14));
    });
  });

  describe("mintMaxFrom", function () {
    it("an operator mints for any receiver at the owner's cost; the Deposit names the owner", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.alice).setOperator(f.bob.address, true);
      const shares = await f.vault.previewDeposit(f.units(8));
      const cost = await f.vault.previewMint(shares);
      const [aliceBefore, bobBefore] = [await f.asset.balanceOf(f.alice), await f.asset.balanceOf(f.bob)];
      expect(
        await f.vault.connect(f.bob).mintMaxFrom.staticCall(f.alice.address, shares, f.carol.address, cost),
      ).to.equal(cost);
      await expect(f.vault.connect(f.bob).mintMaxFrom(f.alice.address, shares, f.carol.address, cost))
        .to.emit(f.vault, "Deposit")
        .withArgs(f.alice.address, f.carol.address, cost, shares);
      expect(await f.vault.balanceOf(f.carol.address)).to.equal(shares);
      expect(aliceBefore - (await f.asset.balanceOf(f.alice))).to.equal(cost);
      expect(await f.asset.balanceOf(f.bob)).to.equal(bobBefore);
    });

    it("reverts MaxAssetsExceeded above the bound and NotOperator for a stranger, changing nothing", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.alice).setOperator(f.bob.address, true);
      const shares = await f.vault.previewDeposit(f.units(8));
      const cost = await f.vault.previewMint(shares);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.bob).mintMaxFrom(f.alice.address, shares, f.bob.address, cost - 1n))
          .to.be.revertedWithCustomError(f.vault, "MaxAssetsExceeded")
          .withArgs(cost, cost - 1n),
      );
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.attacker).mintMaxFrom(f.alice.address, shares, f.attacker.address, cost))
          .to.be.revertedWithCustomError(f.vault, "NotOperator")
          .withArgs(f.alice.address, f.attacker.address),
      );
    });
  });

  describe("reentrancy through the asset (an ERC-777-like hook inside the payer's transferFrom)", function () {
    async function hostileVault() {
      const f = await load(deploy6);
      const token = await new ReentrantERC20__factory(f.owner).deploy();
      const admin = await new VaultAdmin__factory(f.owner).deploy();
      const deployed = await new RollupVault__factory(f.owner).deploy(
        await token.getAddress(),
        "Hostile",
        "rvRE",
        f.owner.address,
        await admin.getAddress(),
      );
      const vault = IRollupVault__factory.connect(await deployed.getAddress(), f.owner);
      await token.mint(f.alice.address, 10n ** 24n);
      await token.connect(f.alice).approve(vault, ethers.MaxUint256);
      await vault.connect(f.alice).setOperator(f.bob.address, true);
      return { f, token, vault, deployed };
    }

    const REENTRIES: [string, (alice: string, attacker: string) => unknown[]][] = [
      ["deposit", (_alice, attacker) => [10n ** 18n, attacker]],
      ["mint", (_alice, attacker) => [10n ** 18n, attacker]],
      ["depositMinFrom", (alice, attacker) => [alice, 10n ** 18n, attacker, 0n]],
      ["mintMaxFrom", (alice, attacker) => [alice, 10n ** 18n, attacker, ethers.MaxUint256]],
    ];

    for (const [fn, args] of REENTRIES) {
      it(`a ${fn} re-entered while the payer is set reverts (ReentrancyGuardReentrantCall), nothing moves`, async function () {
        const { f, token, vault, deployed } = await hostileVault();
        // The hook runs from the token's address; for the *From entry points, make it Alice's operator too, so that only the
        // core's guard stands between the re-entry and the payer slot.
        if (fn.endsWith("From")) await vault.connect(f.alice).setOperator(token, true);
        await token.arm(
          vault,
          vault.interface.encodeFunctionData(fn as never, args(f.alice.address, f.attacker.address) as never),
        );
        const aliceBefore = await token.balanceOf(f.alice);
        await expect(
          vault.connect(f.bob).depositMinFrom(f.alice.address, 10n ** 18n, f.bob.address, 0n),
        ).to.be.revertedWithCustomError(deployed, "ReentrancyGuardReentrantCall");
        expect(await token.balanceOf(f.alice)).to.equal(aliceBefore);
        expect(await vault.totalSupply()).to.equal(0n);
        expect(await vault.balanceOf(f.attacker.address)).to.equal(0n);
        // Disarmed, the same call goes through: the revert came from the re-entry.
        await token.arm(ethers.ZeroAddress, "0x");
        await vault.connect(f.bob).depositMinFrom(f.alice.address, 10n ** 18n, f.bob.address, 0n);
        expect(await vault.balanceOf(f.bob.address)).to.be.greaterThan(0n);
      });
    }
  });
});
