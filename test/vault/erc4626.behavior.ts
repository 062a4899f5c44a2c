import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { VaultFixture } from "../helpers/fixtures";
import { DAY, addYield, core, checkStrayBalancesAfterEach, depositFor, expectUnchanged, load } from "../helpers/vault";

/** Takes the vault to an awkward share price (not a round ratio) with the gain fully unlocked. */
async function awkwardPrice(f: VaultFixture) {
  const { vault, alice, allocator, keeper, adapter, units } = f;
  await vault.connect(alice).deposit(units(100), alice.address);
  await vault.connect(allocator).allocate(await adapter.getAddress(), units(90));
  await addYield(f, units(7) + 3n);
  await vault.connect(keeper).report(await adapter.getAddress());
  await time.increase(8n * DAY);
}

/**
 * The ERC-4626 surface of RollupVault: entry points, their failure paths, truthful max* views and preview* that
 * match the actual results, with rounding in the vault's favour. Run once per asset decimals.
 */
export function shouldBehaveLikeERC4626(fixture: () => Promise<VaultFixture>, decimals: number) {
  checkStrayBalancesAfterEach();

  describe("metadata", function () {
    it("reports the asset and 18-decimal shares", async function () {
      const { vault, asset } = await load(fixture);
      expect(await vault.asset()).to.equal(await asset.getAddress());
      expect(await asset.decimals()).to.equal(decimals);
      expect(await vault.decimals()).to.equal(18);
      expect(await vault.name()).to.equal("Rollup Vault");
      expect(await vault.symbol()).to.equal("rvTKN");
    });

    it("starts empty at one asset unit per 10^(18-d) shares", async function () {
      const { vault, units } = await load(fixture);
      expect(await vault.totalAssets()).to.equal(0n);
      expect(await vault.totalSupply()).to.equal(0n);
      expect(await vault.convertToShares(units(1))).to.equal(ethers.parseUnits("1", 18));
      expect(await vault.convertToAssets(ethers.parseUnits("1", 18))).to.equal(units(1));
    });
  });

  describe("deposit", function () {
    it("mints the previewed shares, emits Deposit and keeps the assets idle", async function () {
      const f = await load(fixture);
      const { vault, alice, bob, asset, units } = f;
      const shares = await vault.previewDeposit(units(100));
      await expect(vault.connect(alice).deposit(units(100), bob.address))
        .to.emit(vault, "Deposit")
        .withArgs(alice.address, bob.address, units(100), shares);
      expect(await vault.balanceOf(bob.address)).to.equal(shares);
      expect(await vault.totalIdle()).to.equal(units(100));
      expect(await vault.totalAssets()).to.equal(units(100));
      expect(await asset.balanceOf(await vault.getAddress())).to.equal(units(100));
    });

    it("returns what previewDeposit quotes at an awkward share price", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault, bob, units } = f;
      const preview = await vault.previewDeposit(units(33));
      expect(await vault.connect(bob).deposit.staticCall(units(33), bob.address)).to.equal(preview);
      await vault.connect(bob).deposit(units(33), bob.address);
      expect(await vault.balanceOf(bob.address)).to.equal(preview);
    });

    it("reverts on a zero deposit", async function () {
      const f = await load(fixture);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).deposit(0, f.alice.address)).to.be.revertedWithCustomError(
          f.vault,
          "ZeroAmount",
        ),
      );
    });

    it("reverts on a deposit to the zero address", async function () {
      const f = await load(fixture);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).deposit(f.units(1), ethers.ZeroAddress))
          .to.be.revertedWithCustomError(core(f), "ERC20InvalidReceiver")
          .withArgs(ethers.ZeroAddress),
      );
    });

    it("reverts on a deposit above the deposit limit", async function () {
      const f = await load(fixture);
      const { vault, curator, alice, units } = f;
      await vault.connect(alice).deposit(units(40), alice.address);
      await vault.connect(curator).setDepositLimit(units(100));
      await expectUnchanged(f, () =>
        expect(vault.connect(alice).deposit(units(60) + 1n, alice.address))
          .to.be.revertedWithCustomError(core(f), "ERC4626ExceededMaxDeposit")
          .withArgs(alice.address, units(60) + 1n, units(60)),
      );
      await vault.connect(alice).deposit(units(60), alice.address);
      expect(await vault.maxDeposit(alice.address)).to.equal(0n);
    });

    it("reverts while paused", async function () {
      const f = await load(fixture);
      await f.vault.connect(f.guardian).setPaused(true);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).deposit(f.units(1), f.alice.address)).to.be.revertedWithCustomError(
          f.vault,
          "Paused",
        ),
      );
    });

    it("reverts after shutdown", async function () {
      const f = await load(fixture);
      await f.vault.connect(f.guardian).shutdown();
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).deposit(f.units(1), f.alice.address)).to.be.revertedWithCustomError(
          f.vault,
          "IsShutdown",
        ),
      );
    });

    it("reverts when the depositor lacks the assets", async function () {
      const f = await load(fixture);
      const { vault, asset, curator } = f;
      await asset.connect(curator).approve(await vault.getAddress(), ethers.MaxUint256);
      await expectUnchanged(f, () =>
        expect(vault.connect(curator).deposit(1n, curator.address))
          .to.be.revertedWithCustomError(asset, "ERC20InsufficientBalance")
          .withArgs(curator.address, 0n, 1n),
      );
    });

    if (decimals === 18) {
      it("reverts on a deposit too small to mint one share", async function () {
        const f = await load(fixture);
        await awkwardPrice(f);
        expect(await f.vault.previewDeposit(1n)).to.equal(0n);
        await expectUnchanged(f, () =>
          expect(f.vault.connect(f.bob).deposit(1n, f.bob.address)).to.be.revertedWithCustomError(
            f.vault,
            "ZeroShares",
          ),
        );
      });
    } else {
      it("mints shares for a one-unit deposit thanks to the decimals offset", async function () {
        const f = await load(fixture);
        await awkwardPrice(f);
        const shares = await f.vault.previewDeposit(1n);
        expect(shares).to.be.gt(0n);
        await f.vault.connect(f.bob).deposit(1n, f.bob.address);
        expect(await f.vault.balanceOf(f.bob.address)).to.equal(shares);
      });
    }
  });

  describe("mint", function () {
    it("pulls the previewed assets, emits Deposit and mints exactly the shares", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault, bob, asset } = f;
      const shares = ethers.parseUnits("12.345", 18);
      const assets = await vault.previewMint(shares);
      expect(await vault.connect(bob).mint.staticCall(shares, bob.address)).to.equal(assets);
      const before = await asset.balanceOf(bob.address);
      await expect(vault.connect(bob).mint(shares, bob.address))
        .to.emit(vault, "Deposit")
        .withArgs(bob.address, bob.address, assets, shares);
      expect(before - (await asset.balanceOf(bob.address))).to.equal(assets);
      expect(await vault.balanceOf(bob.address)).to.equal(shares);
    });

    it("reverts on a zero mint", async function () {
      const f = await load(fixture);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).mint(0, f.alice.address)).to.be.revertedWithCustomError(f.vault, "ZeroAmount"),
      );
    });

    it("reverts on a mint above maxMint", async function () {
      const f = await load(fixture);
      const { vault, curator, alice, units } = f;
      await vault.connect(curator).setDepositLimit(units(10));
      const max = await vault.maxMint(alice.address);
      expect(max).to.equal(await vault.convertToShares(units(10)));
      await expectUnchanged(f, () =>
        expect(vault.connect(alice).mint(max + 1n, alice.address))
          .to.be.revertedWithCustomError(core(f), "ERC4626ExceededMaxMint")
          .withArgs(alice.address, max + 1n, max),
      );
      await vault.connect(alice).mint(max, alice.address);
      expect(await vault.maxMint(alice.address)).to.equal(0n);
    });

    it("reverts while paused", async function () {
      const f = await load(fixture);
      await f.vault.connect(f.guardian).setPaused(true);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).mint(10n ** 18n, f.alice.address)).to.be.revertedWithCustomError(
          f.vault,
          "Paused",
        ),
      );
    });

    it("reverts after shutdown", async function () {
      const f = await load(fixture);
      await f.vault.connect(f.guardian).shutdown();
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).mint(10n ** 18n, f.alice.address)).to.be.revertedWithCustomError(
          f.vault,
          "IsShutdown",
        ),
      );
    });
  });

  describe("withdraw", function () {
    it("pays from idle, burns the previewed shares and emits Withdraw", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault, alice, bob, asset, units } = f;
      const shares = await vault.previewWithdraw(units(5));
      expect(await vault.connect(alice).withdraw.staticCall(units(5), bob.address, alice.address)).to.equal(shares);
      const sharesBefore = await vault.balanceOf(alice.address);
      const idleBefore = await vault.totalIdle();
      await expect(vault.connect(alice).withdraw(units(5), bob.address, alice.address))
        .to.emit(vault, "Withdraw")
        .withArgs(alice.address, bob.address, alice.address, units(5), shares);
      expect(sharesBefore - (await vault.balanceOf(alice.address))).to.equal(shares);
      expect(await asset.balanceOf(bob.address)).to.equal(units(1_000_005));
      expect(await vault.totalIdle()).to.equal(idleBefore - units(5));
    });

    it("takes idle first, then the adapter, and pays in full", async function () {
      const f = await load(fixture);
      const { vault, alice, allocator, adapter, asset, units } = f;
      await depositFor(f, alice, units(100));
      await vault.connect(allocator).allocate(await adapter.getAddress(), units(70));
      const before = await asset.balanceOf(alice.address);
      await vault.connect(alice).withdraw(units(50), alice.address, alice.address);
      expect((await asset.balanceOf(alice.address)) - before).to.equal(units(50));
      expect(await vault.totalIdle()).to.equal(0n);
      expect(await vault.totalDebt()).to.equal(units(50));
      expect((await vault.adapterConfig(await adapter.getAddress())).debt).to.equal(units(50));
    });

    it("lets an approved spender withdraw and spends the allowance", async function () {
      const f = await load(fixture);
      const { vault, alice, bob, units } = f;
      await depositFor(f, alice, units(10));
      const shares = await vault.previewWithdraw(units(4));
      await vault.connect(alice).approve(bob.address, shares + 5n);
      await vault.connect(bob).withdraw(units(4), bob.address, alice.address);
      expect(await vault.allowance(alice.address, bob.address)).to.equal(5n);
    });

    it("reverts for a spender without allowance", async function () {
      const f = await load(fixture);
      const { vault, alice, bob, units } = f;
      await depositFor(f, alice, units(10));
      const shares = await vault.previewWithdraw(units(4));
      await expectUnchanged(f, () =>
        expect(vault.connect(bob).withdraw(units(4), bob.address, alice.address))
          .to.be.revertedWithCustomError(core(f), "ERC20InsufficientAllowance")
          .withArgs(bob.address, 0n, shares),
      );
    });

    it("reverts on a zero withdrawal", async function () {
      const f = await load(fixture);
      await depositFor(f, f.alice, f.units(10));
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).withdraw(0, f.alice.address, f.alice.address)).to.be.revertedWithCustomError(
          f.vault,
          "ZeroAmount",
        ),
      );
    });

    it("reverts on a withdrawal to the zero address", async function () {
      const f = await load(fixture);
      await depositFor(f, f.alice, f.units(10));
      await expectUnchanged(f, () =>
        expect(
          f.vault.connect(f.alice).withdraw(f.units(1), ethers.ZeroAddress, f.alice.address),
        ).to.be.revertedWithCustomError(f.vault, "ZeroAddress"),
      );
    });

    it("reverts on a withdrawal above the owner's assets", async function () {
      const f = await load(fixture);
      const { vault, alice, units } = f;
      const shares = await depositFor(f, alice, units(10));
      const needed = await vault.previewWithdraw(units(10) + 1n);
      await expectUnchanged(f, () =>
        expect(vault.connect(alice).withdraw(units(10) + 1n, alice.address, alice.address))
          .to.be.revertedWithCustomError(core(f), "ERC20InsufficientBalance")
          .withArgs(alice.address, shares, needed),
      );
    });

    it("reverts with the missing amount when the adapter cannot release enough", async function () {
      const f = await load(fixture);
      const { vault, alice, allocator, adapter, target, units } = f;
      await depositFor(f, alice, units(100));
      await vault.connect(allocator).allocate(await adapter.getAddress(), units(80));
      await target.setLiquidity(units(30));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(50));
      await expectUnchanged(f, () =>
        expect(vault.connect(alice).withdraw(units(60), alice.address, alice.address))
          .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
          .withArgs(units(10)),
      );
      await vault.connect(alice).withdraw(units(50), alice.address, alice.address);
      expect(await vault.maxWithdraw(alice.address)).to.equal(0n);
    });

    it("stays open while paused", async function () {
      const f = await load(fixture);
      await depositFor(f, f.alice, f.units(10));
      await f.vault.connect(f.guardian).setPaused(true);
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(10));
      await f.vault.connect(f.alice).withdraw(f.units(10), f.alice.address, f.alice.address);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(0n);
    });
  });

  describe("redeem", function () {
    it("pays the previewed assets and emits Withdraw", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault, alice, asset } = f;
      const shares = (await vault.balanceOf(alice.address)) / 3n;
      const assets = await vault.previewRedeem(shares);
      expect(await vault.connect(alice).redeem.staticCall(shares, alice.address, alice.address)).to.equal(assets);
      const before = await asset.balanceOf(alice.address);
      await expect(vault.connect(alice).redeem(shares, alice.address, alice.address))
        .to.emit(vault, "Withdraw")
        .withArgs(alice.address, alice.address, alice.address, assets, shares);
      expect((await asset.balanceOf(alice.address)) - before).to.equal(assets);
    });

    it("redeems everything through idle and the adapter, leaving the vault empty", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault, alice } = f;
      await vault.connect(alice).redeem(await vault.balanceOf(alice.address), alice.address, alice.address);
      expect(await vault.totalSupply()).to.equal(0n);
      // What is left is the rounding dust that the virtual share keeps (at most a few units).
      expect(await vault.totalAssets()).to.be.lte(2n);
    });

    it("reverts on a zero redemption", async function () {
      const f = await load(fixture);
      await depositFor(f, f.alice, f.units(10));
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeem(0, f.alice.address, f.alice.address)).to.be.revertedWithCustomError(
          f.vault,
          "ZeroAmount",
        ),
      );
    });

    it("reverts on a redemption above the owner's shares", async function () {
      const f = await load(fixture);
      const shares = await depositFor(f, f.alice, f.units(10));
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeem(shares + 1n, f.alice.address, f.alice.address))
          .to.be.revertedWithCustomError(core(f), "ERC20InsufficientBalance")
          .withArgs(f.alice.address, shares, shares + 1n),
      );
    });

    it("reverts for a spender without allowance", async function () {
      const f = await load(fixture);
      const shares = await depositFor(f, f.alice, f.units(10));
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.bob).redeem(shares, f.bob.address, f.alice.address))
          .to.be.revertedWithCustomError(core(f), "ERC20InsufficientAllowance")
          .withArgs(f.bob.address, 0n, shares),
      );
    });
  });

  describe("max views", function () {
    it("maxDeposit and maxMint are unlimited without a deposit limit", async function () {
      const { vault, alice } = await load(fixture);
      expect(await vault.maxDeposit(alice.address)).to.equal(ethers.MaxUint256);
      expect(await vault.maxMint(alice.address)).to.equal(ethers.MaxUint256);
    });

    it("maxDeposit and maxMint are zero while paused and after shutdown", async function () {
      const f = await load(fixture);
      const { vault, alice, guardian } = f;
      await vault.connect(guardian).setPaused(true);
      expect(await vault.maxDeposit(alice.address)).to.equal(0n);
      expect(await vault.maxMint(alice.address)).to.equal(0n);
      await vault.connect(guardian).setPaused(false);
      await vault.connect(guardian).shutdown();
      expect(await vault.maxDeposit(alice.address)).to.equal(0n);
      expect(await vault.maxMint(alice.address)).to.equal(0n);
    });

    it("maxDeposit is the room under the deposit limit, and zero once assets exceed it", async function () {
      const f = await load(fixture);
      const { vault, alice, curator, units } = f;
      await depositFor(f, alice, units(30));
      await vault.connect(curator).setDepositLimit(units(100));
      expect(await vault.maxDeposit(alice.address)).to.equal(units(70));
      await vault.connect(curator).setDepositLimit(units(20));
      expect(await vault.maxDeposit(alice.address)).to.equal(0n);
      expect(await vault.maxMint(alice.address)).to.equal(0n);
    });

    it("maxWithdraw and maxRedeem cover the whole position from idle", async function () {
      const f = await load(fixture);
      const shares = await depositFor(f, f.alice, f.units(100));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(100));
      expect(await f.vault.maxRedeem(f.alice.address)).to.equal(shares);
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(0n);
      expect(await f.vault.maxRedeem(f.bob.address)).to.equal(0n);
    });

    it("maxWithdraw and maxRedeem count idle plus what the adapter releases", async function () {
      const f = await load(fixture);
      const { vault, alice, allocator, adapter, units } = f;
      const shares = await depositFor(f, alice, units(100));
      await vault.connect(allocator).allocate(await adapter.getAddress(), units(100));
      expect(await vault.liquidAssets()).to.equal(units(100));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(100));
      expect(await vault.maxRedeem(alice.address)).to.equal(shares);
      await vault.connect(alice).redeem(shares, alice.address, alice.address);
    });

    it("maxWithdraw and maxRedeem are limited by the target's liquidity, and both can be taken", async function () {
      const f = await load(fixture);
      const { vault, alice, allocator, adapter, target, units } = f;
      await depositFor(f, alice, units(100));
      await vault.connect(allocator).allocate(await adapter.getAddress(), units(80));
      await target.setLiquidity(units(30));
      expect(await vault.liquidAssets()).to.equal(units(50));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(50));
      const maxShares = await vault.maxRedeem(alice.address);
      expect(maxShares).to.equal(await vault.convertToShares(units(50)));
      await expectUnchanged(
        f,
        () => expect(vault.connect(alice).redeem(maxShares + 10n ** 12n, alice.address, alice.address)).to.be.reverted,
      );
      await vault.connect(alice).redeem(maxShares, alice.address, alice.address);
      expect(await vault.maxWithdraw(alice.address)).to.equal(0n);
    });

    it("maxWithdraw counts an adapter carrying a visible loss at its real value, and pays it (issue 8.1)", async function () {
      const f = await load(fixture);
      const { vault, alice, allocator, adapter, target, asset, units } = f;
      await depositFor(f, alice, units(100));
      await vault.connect(allocator).allocate(await adapter.getAddress(), units(80));
      await target.simulateLoss(units(1));
      expect(await vault.totalAssets()).to.equal(units(99));
      expect(await vault.liquidAssets()).to.equal(units(99));
      const max = await vault.maxWithdraw(alice.address);
      expect(max).to.be.within(units(99) - 1n, units(99));
      expect(await vault.maxRedeem(alice.address)).to.equal(await vault.balanceOf(alice.address));
      const before = await asset.balanceOf(alice.address);
      await vault.connect(alice).withdraw(max, alice.address, alice.address);
      expect((await asset.balanceOf(alice.address)) - before).to.equal(max);
    });

    it("maxWithdraw leaves out a reverting adapter", async function () {
      const f = await load(fixture);
      const { vault, alice, allocator, adapter, target, units } = f;
      await depositFor(f, alice, units(100));
      await vault.connect(allocator).allocate(await adapter.getAddress(), units(80));
      await target.setBroken(true);
      expect(await vault.liquidAssets()).to.equal(units(20));
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(20));
      await vault.connect(alice).withdraw(units(20), alice.address, alice.address);
      await target.setBroken(false);
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(80));
    });
  });

  describe("previews and rounding", function () {
    it("previews match the actual results of all four entry points", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault, alice, bob, units } = f;
      const d = await vault.previewDeposit(units(3));
      expect(await vault.connect(bob).deposit.staticCall(units(3), bob.address)).to.equal(d);
      const m = await vault.previewMint(10n ** 18n + 7n);
      expect(await vault.connect(bob).mint.staticCall(10n ** 18n + 7n, bob.address)).to.equal(m);
      const w = await vault.previewWithdraw(units(2) + 1n);
      expect(await vault.connect(alice).withdraw.staticCall(units(2) + 1n, alice.address, alice.address)).to.equal(w);
      const r = await vault.previewRedeem(10n ** 18n + 7n);
      expect(await vault.connect(alice).redeem.staticCall(10n ** 18n + 7n, alice.address, alice.address)).to.equal(r);
    });

    it("rounds deposits and redemptions down and mints and withdrawals up", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault } = f;
      const shares = 10n ** 18n + 12_345n;
      const assets = await vault.previewRedeem(shares);
      expect(await vault.previewMint(shares)).to.be.gte(assets);
      expect(await vault.previewMint(shares)).to.be.lte(assets + 1n);
      expect(await vault.previewWithdraw(assets)).to.be.lte(shares);
      expect(await vault.previewDeposit(assets)).to.be.lte(await vault.previewWithdraw(assets));
      expect(await vault.convertToShares(assets)).to.equal(await vault.previewDeposit(assets));
      expect(await vault.convertToAssets(shares)).to.equal(assets);
    });

    it("a deposit followed by a full redemption never returns more than was deposited", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault, bob, asset } = f;
      for (const amount of [1n, 7n, 999n, 123_456_789n]) {
        const shares = await vault.previewDeposit(amount);
        if (shares === 0n) continue;
        await vault.connect(bob).deposit(amount, bob.address);
        const worth = await vault.previewRedeem(shares);
        expect(worth).to.be.lte(amount);
        // Shares worth less than one unit cannot be redeemed at all: the vault keeps the dust.
        if (worth === 0n) continue;
        const before = await asset.balanceOf(bob.address);
        await vault.connect(bob).redeem(shares, bob.address, bob.address);
        expect((await asset.balanceOf(bob.address)) - before).to.be.lte(amount);
      }
    });

    it("a mint followed by a withdrawal of the minted worth never leaves the minter ahead", async function () {
      const f = await load(fixture);
      await awkwardPrice(f);
      const { vault, bob, asset } = f;
      const before = await asset.balanceOf(bob.address);
      await vault.connect(bob).mint(10n ** 18n + 1n, bob.address);
      await vault.connect(bob).withdraw(await vault.maxWithdraw(bob.address), bob.address, bob.address);
      expect(await asset.balanceOf(bob.address)).to.be.lte(before);
    });
  });

  describe("permit", function () {
    it("sets an allowance from an EIP-2612 signature", async function () {
      const f = await load(fixture);
      const { vault, alice, bob } = f;
      const deadline = BigInt(await time.latest()) + 3600n;
      const { chainId } = await ethers.provider.getNetwork();
      const signature = await alice.signTypedData(
        { name: "Rollup Vault", version: "1", chainId, verifyingContract: await vault.getAddress() },
        {
          Permit: [
            { name: "owner", type: "address" },
            { name: "spender", type: "address" },
            { name: "value", type: "uint256" },
            { name: "nonce", type: "uint256" },
            { name: "deadline", type: "uint256" },
          ],
        },
        { owner: alice.address, spender: bob.address, value: 1234n, nonce: 0n, deadline },
      );
      const { v, r, s } = ethers.Signature.from(signature);
      await vault.permit(alice.address, bob.address, 1234n, deadline, v, r, s);
      expect(await vault.allowance(alice.address, bob.address)).to.equal(1234n);
      expect(await vault.nonces(alice.address)).to.equal(1n);
    });
  });
}
