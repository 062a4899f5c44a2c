/**
 * Regression tests for the exits and pricing findings of issue 8 (findings 1, 2, 3, 4, 10 and parts of 11) and
 * issue 11 item 9. Each test names the finding it covers; each fails on the code before the fix.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  ERC4626Adapter__factory,
  MockERC4626Target__factory,
  MockFeeOnTransferERC20__factory,
  MockWETH__factory,
  RollupVault__factory,
  StargateV2Adapter__factory,
  VaultAdmin__factory,
  IRollupVault__factory,
} from "../../typechain-types";
import { deploy18, deploy6, type VaultFixture } from "../helpers/fixtures";
import { deploySinglePoolFarm } from "../helpers/stargate";
import {
  BPS,
  MAX_UINT128,
  addMisbehaving,
  addSecondAdapter,
  addYield,
  core,
  depositFor,
  expectSolvent,
  expectUnchanged,
} from "../helpers/vault";

/** Plain loadFixture: these tests leave losses and faulty adapters behind, outside the stray-balance check. */
const load = (fixture: () => Promise<VaultFixture>) => loadFixture(fixture);

/** Alice and Bob deposit 1,000 each; 1,000 goes into the ERC-4626 target, which then loses 500. */
async function halfLost(fixture = deploy6): Promise<VaultFixture> {
  const f = await load(fixture);
  await depositFor(f, f.alice, f.units(1_000));
  await depositFor(f, f.bob, f.units(1_000));
  await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(1_000));
  await f.target.simulateLoss(f.units(500));
  return f;
}

async function redeemAll(f: VaultFixture, who: VaultFixture["alice"], withMaxLoss = false): Promise<bigint> {
  const before = await f.asset.balanceOf(who.address);
  const shares = await f.vault.balanceOf(who.address);
  if (withMaxLoss) await f.vault.connect(who).redeemWithMaxLoss(shares, who.address, who.address, BPS);
  else await f.vault.connect(who).redeem(shares, who.address, who.address);
  return (await f.asset.balanceOf(who.address)) - before;
}

describe("Review of exits and pricing (issue 8.1-4, 8.10, 8.11; issue 11.9)", function () {
  describe("issue 8.1: a visible loss is priced at once", function () {
    it("the first to redeem from idle takes 750, not 1,000, and the second the same", async function () {
      const f = await halfLost();
      expect(await f.vault.unrealizedLoss()).to.equal(f.units(500));
      expect(await f.vault.totalAssets()).to.equal(f.units(1_500));
      expect(await redeemAll(f, f.alice)).to.be.within(f.units(750) - 1n, f.units(750));
      // The rest of idle (250) and the target's 500 pay Bob his 750.
      expect(await redeemAll(f, f.bob)).to.be.within(f.units(750) - 2n, f.units(750));
      await expectSolvent(f);
    });

    it("redeemWithMaxLoss pays the fair 750 and reports the 250 loss share", async function () {
      const f = await halfLost();
      const shares = await f.vault.balanceOf(f.alice.address);
      await expect(f.vault.connect(f.alice).redeemWithMaxLoss(shares, f.alice.address, f.alice.address, BPS))
        .to.emit(f.vault, "WithdrawLoss")
        .withArgs(
          f.alice.address,
          ethers.ZeroAddress,
          (loss: bigint) => loss >= f.units(250) && loss <= f.units(250) + 1n,
        );
      expect(await redeemAll(f, f.bob, true)).to.be.within(f.units(750) - 2n, f.units(750));
    });

    it("a depositor entering in the window does not overpay", async function () {
      const f = await halfLost();
      const shares = await depositFor(f, f.carol, f.units(1_500));
      await f.vault.connect(f.keeper).report(f.adapter.target);
      // At book value (the old code) Carol's 1,500 would be worth 1,125 once the loss is reported.
      expect(await f.vault.convertToAssets(shares)).to.be.within(f.units(1_500) - 1n, f.units(1_500));
    });

    it("after shutdown the lossy adapter's liquid part reaches idle at its real value: the first out takes 750", async function () {
      const f = await halfLost();
      await expect(f.vault.connect(f.guardian).shutdown())
        .to.emit(f.vault, "LossRealized")
        .withArgs(f.adapter.target, f.guardian.address, f.units(500), f.units(500));
      expect(await f.vault.totalIdle()).to.equal(f.units(1_500));
      expect(await f.vault.totalDebt()).to.equal(0n);
      expect(await redeemAll(f, f.alice)).to.be.within(f.units(750) - 1n, f.units(750));
      expect(await redeemAll(f, f.bob)).to.be.within(f.units(750) - 1n, f.units(750));
    });

    it("a deallocation books the loss share of what it took, leaving the price unchanged", async function () {
      const f = await halfLost();
      const price = await f.vault.convertToAssets(10n ** 18n);
      await f.vault.connect(f.allocator).deallocate(f.adapter.target, f.units(250));
      // 250 real out of 500 is half the position: half the debt goes, its 250 loss booked.
      expect((await f.vault.adapterConfig(f.adapter.target)).debt).to.equal(f.units(500));
      expect(await f.vault.totalIdle()).to.equal(f.units(1_250));
      expect(await f.vault.convertToAssets(10n ** 18n)).to.equal(price);
    });

    it("anyone may realise a visible loss, which leaves the price unchanged", async function () {
      const f = await halfLost();
      const price = await f.vault.convertToAssets(10n ** 18n);
      await expect(f.vault.connect(f.attacker).realizeLoss(f.adapter.target))
        .to.emit(f.vault, "LossRealized")
        .withArgs(f.adapter.target, f.attacker.address, f.units(500), f.units(500));
      expect((await f.vault.adapterConfig(f.adapter.target)).debt).to.equal(f.units(500));
      expect(await f.vault.unrealizedLoss()).to.equal(0n);
      expect(await f.vault.convertToAssets(10n ** 18n)).to.equal(price);
    });

    it("realizeLoss refuses an adapter without a visible loss, and one that is not enabled", async function () {
      const f = await load(deploy6);
      await depositFor(f, f.alice, f.units(100));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(100));
      await f.target.simulateLoss(f.units(100) / 1_000_000n); // dust: one part per million
      await expectUnchanged(f, () =>
        expect(f.vault.realizeLoss(f.adapter.target))
          .to.be.revertedWithCustomError(f.vault, "NoVisibleLoss")
          .withArgs(f.adapter.target),
      );
      await expectUnchanged(f, () =>
        expect(f.vault.realizeLoss(f.bob.address))
          .to.be.revertedWithCustomError(f.vault, "AdapterNotEnabled")
          .withArgs(f.bob.address),
      );
    });

    it("a locked gain is not unlocked by a visible loss elsewhere, nor a new gain let through by one", async function () {
      const f = await load(deploy6);
      const { adapter2, target2 } = await addSecondAdapter(f);
      await depositFor(f, f.alice, f.units(1_000));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(500));
      await f.vault.connect(f.allocator).allocate(adapter2.target, f.units(500));
      await f.target.simulateLoss(f.units(50)); // visible, unreported
      const before = await f.vault.totalAssets();
      expect(before).to.equal(f.units(950));
      await addYield(f, f.units(40), target2);
      // The report books the other adapter's visible loss first, so the 40 gain is locked, not filling the hole.
      await f.vault.connect(f.keeper).report(adapter2.target);
      expect(await f.vault.totalAssets()).to.be.within(before - 1n, before);
      expect(await f.vault.lockedProfit()).to.be.closeTo(f.units(40), 2n);
    });
  });

  describe("issue 8.2: exits are never blocked by one faulty adapter", function () {
    /** The faulty adapter holds 60 and is first in the queue; the healthy ERC-4626 adapter holds 40. */
    async function faultyFirst() {
      const f = await load(deploy6);
      const bad = await addMisbehaving(f);
      await f.vault.connect(f.allocator).setWithdrawQueue([bad.target, f.adapter.target]);
      await depositFor(f, f.alice, f.units(100));
      await f.vault.connect(f.allocator).allocate(bad.target, f.units(60));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(40));
      return { f, bad };
    }

    async function exitsStillWork(f: VaultFixture, overrides: { gasLimit?: number } = {}) {
      // Every view stays callable.
      await f.vault.totalAssets();
      await f.vault.liquidAssets();
      const max = await f.vault.maxWithdraw(f.alice.address);
      expect(max).to.equal(f.units(40));
      expect(await f.vault.maxRedeem(f.alice.address)).to.be.gt(0n);
      const before = await f.asset.balanceOf(f.alice.address);
      await f.vault.connect(f.alice).withdraw(f.units(30), f.alice.address, f.alice.address, overrides);
      await f.vault.connect(f.alice).withdrawWithMaxLoss(f.units(5), f.alice.address, f.alice.address, 0, overrides);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(35));
      expect((await f.vault.adapterConfig(f.adapter.target)).debt).to.equal(f.units(5));
    }

    it("(a) a reverting deallocate is skipped and the next adapter pays", async function () {
      const { f, bad } = await faultyFirst();
      await bad.setDeallocateReverts(true);
      await bad.setReleasableOverride(f.units(60));
      // Its views still say 60 are releasable, so maxWithdraw counts them; the pull then fails and is skipped.
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(100));
      const before = await f.asset.balanceOf(f.alice.address);
      await f.vault.connect(f.alice).withdraw(f.units(30), f.alice.address, f.alice.address);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(30));
      expect((await f.vault.adapterConfig(bad.target)).debt).to.equal(f.units(60));
      expect((await f.vault.adapterConfig(f.adapter.target)).debt).to.equal(f.units(10));
    });

    it("(b) an adapter reporting a huge totalAssets neither overflows a view nor blocks an exit", async function () {
      const { f, bad } = await faultyFirst();
      await bad.setReportOverride(ethers.MaxUint256);
      await bad.setReleasableOverride(1n); // what it can pay is not what it claims
      await bad.setDeallocateReverts(true);
      expect(await f.vault.totalAssets()).to.equal(f.units(100)); // a lie upward is not priced: debt is the cap
      await exitsStillWorkWith(f, f.units(40) + 1n);
    });

    it("(c) return data shorter than a word counts as nothing liquid", async function () {
      const { f, bad } = await faultyFirst();
      await bad.setShortReturn(true);
      await exitsStillWork(f);
    });

    it("(d) an adapter burning its gas in views and deallocate costs a bounded amount: an exit fits in 1.5M gas", async function () {
      const { f, bad } = await faultyFirst();
      await bad.setBurnsGas(true);
      // Each adapter call is capped (ADAPTER_VIEW_GAS): the old code forwarded 63/64 of all the gas to the burner,
      // leaving too little for the next adapter (with several such calls, not even the 16M transaction cap sufficed).
      await exitsStillWork(f, { gasLimit: 1_500_000 });
    });

    it("(d) a caller cannot starve an adapter view on purpose to get it counted as failed", async function () {
      const { f, bad } = await faultyFirst();
      await bad.setBurnsGas(true);
      await expect(
        f.vault.connect(f.alice).withdraw(f.units(30), f.alice.address, f.alice.address, { gasLimit: 250_000 }),
      ).to.be.revertedWithCustomError(f.vault, "AdapterCallStarved");
    });

    it("(a) shutdown skips a reverting adapter and pulls the others", async function () {
      const { f, bad } = await faultyFirst();
      await bad.setDeallocateReverts(true);
      await f.vault.connect(f.guardian).shutdown();
      expect(await f.vault.totalIdle()).to.equal(f.units(40));
      expect((await f.vault.adapterConfig(bad.target)).debt).to.equal(f.units(60));
    });

    async function exitsStillWorkWith(f: VaultFixture, expectedMax: bigint) {
      await f.vault.liquidAssets();
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(expectedMax);
      await f.vault.maxRedeem(f.alice.address);
      const before = await f.asset.balanceOf(f.alice.address);
      await f.vault.connect(f.alice).withdraw(f.units(35), f.alice.address, f.alice.address);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(35));
      expect((await f.vault.adapterConfig(f.adapter.target)).debt).to.equal(f.units(5));
    }
  });

  describe("issue 8.3: loss-free liquidity is taken first", function () {
    it("withdrawWithMaxLoss takes the loss-free Stargate adapter before a losing ERC-4626 adapter ahead of it", async function () {
      const f = await load(deploy6);
      // The real Stargate V2 pool and farm over the fixture's 6-decimal asset.
      const { pool, staking } = await deploySinglePoolFarm(f.owner, await f.asset.getAddress(), 6);
      const weth = await new MockWETH__factory(f.owner).deploy();
      const stargate = await new StargateV2Adapter__factory(f.owner).deploy(
        f.vault.target,
        pool.target,
        staking.target,
        weth.target,
      );
      await f.vault.connect(f.curator).addAdapter(stargate.target, MAX_UINT128, BPS);
      await depositFor(f, f.alice, f.units(1_000));
      await depositFor(f, f.bob, f.units(1_000));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(1_500));
      await f.vault.connect(f.allocator).allocate(stargate.target, f.units(500));
      await f.target.simulateLoss(f.units(200)); // 200 short, first in the queue
      const bobValue = await f.vault.convertToAssets(await f.vault.balanceOf(f.bob.address));
      const before = await f.asset.balanceOf(f.alice.address);
      await f.vault.connect(f.alice).withdrawWithMaxLoss(f.units(600), f.alice.address, f.alice.address, 5_000);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(600));
      // The 500 loss-free came first; only 100 came from the losing adapter (a book slice of 100 * 1500 / 1300).
      expect((await f.vault.adapterConfig(stargate.target)).debt).to.equal(0n);
      expect((await f.vault.adapterConfig(f.adapter.target)).debt).to.equal(
        f.units(1_500) - (f.units(100) * 1_500n + 1_299n) / 1_300n,
      );
      // Bob, who stays, lost nothing to Alice's exit.
      expect(await f.vault.convertToAssets(await f.vault.balanceOf(f.bob.address))).to.be.gte(bobValue);
    });
  });

  describe("issue 8.4: ERC4626Adapter.allocate checks what it received", function () {
    it("reverts when a donation to a fresh target would make the allocation mint nothing", async function () {
      const f = await load(deploy6);
      const fresh = await new MockERC4626Target__factory(f.owner).deploy(f.asset.target);
      const adapter = await new ERC4626Adapter__factory(f.owner).deploy(f.vault.target, fresh.target);
      await f.vault.connect(f.curator).addAdapter(adapter.target, MAX_UINT128, BPS);
      // The attacker holds the target's only share, then donates to inflate its price.
      await f.asset.connect(f.attacker).approve(fresh.target, ethers.MaxUint256);
      await fresh.connect(f.attacker).deposit(1n, f.attacker.address);
      await f.asset.connect(f.attacker).transfer(fresh.target, f.units(1_000));
      await depositFor(f, f.alice, f.units(500));
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.allocator).allocate(adapter.target, f.units(500)))
          .to.be.revertedWithCustomError(adapter, "AllocationShortfall")
          .withArgs(f.units(500), 0n),
      );
    });

    it("accepts the target's rounding", async function () {
      const f = await load(deploy6);
      await depositFor(f, f.alice, f.units(100));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(50));
      await addYield(f, 7n);
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(50) - 3n);
      expect(await f.adapter.liquiditySource()).to.equal(f.target.target);
    });
  });

  describe("issue 8.10: liquidity shared by two adapters is counted once", function () {
    it("two adapters over one target with 600 liquid: maxWithdraw says 600, not 1,200, and pays it", async function () {
      const f = await load(deploy6);
      const twin = await new ERC4626Adapter__factory(f.owner).deploy(f.vault.target, f.target.target);
      await f.vault.connect(f.curator).addAdapter(twin.target, MAX_UINT128, BPS);
      expect(await twin.liquiditySource()).to.equal(f.target.target);
      await depositFor(f, f.alice, f.units(1_200));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(600));
      await f.vault.connect(f.allocator).allocate(twin.target, f.units(600));
      await f.target.setLiquidity(f.units(600));
      expect(await f.vault.liquidAssets()).to.equal(f.units(600));
      const max = await f.vault.maxWithdraw(f.alice.address);
      expect(max).to.equal(f.units(600));
      const before = await f.asset.balanceOf(f.alice.address);
      await f.vault.connect(f.alice).withdraw(max, f.alice.address, f.alice.address);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(max);
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(0n);
    });

    it("a Stargate adapter declares that it cannot lose and names its pool as its liquidity source", async function () {
      const f = await load(deploy6);
      // The real Stargate V2 pool and farm over the fixture's 6-decimal asset.
      const { pool, staking } = await deploySinglePoolFarm(f.owner, await f.asset.getAddress(), 6);
      const weth = await new MockWETH__factory(f.owner).deploy();
      const stargate = await new StargateV2Adapter__factory(f.owner).deploy(
        f.vault.target,
        pool.target,
        staking.target,
        weth.target,
      );
      expect(await stargate.cannotLose()).to.equal(true);
      expect(await stargate.liquiditySource()).to.equal(pool.target);
      expect(await f.adapter.cannotLose()).to.equal(false);
    });
  });

  describe("issue 8.11: smaller findings", function () {
    it("refuses a fee-on-transfer asset at deposit (idle must stay backed by the balance)", async function () {
      const [owner, user] = await ethers.getSigners();
      const token = await new MockFeeOnTransferERC20__factory(owner).deploy();
      const admin = await new VaultAdmin__factory(owner).deploy();
      const coreVault = await new RollupVault__factory(owner).deploy(
        token.target,
        "F",
        "F",
        owner.address,
        admin.target,
      );
      const vault = IRollupVault__factory.connect(await coreVault.getAddress(), user);
      await token.mint(user.address, 1_000_000n);
      await token.connect(user).approve(vault.target, ethers.MaxUint256);
      await expect(vault.deposit(100_000n, user.address))
        .to.be.revertedWithCustomError(vault, "IdleUnbacked")
        .withArgs(99_000n, 100_000n);
      await expect(vault.mint(10n ** 17n, user.address)).to.be.revertedWithCustomError(vault, "IdleUnbacked");
    });

    it("code inside an exit's adapter call reads the price as before the exit (read-only re-entrancy)", async function () {
      const f = await load(deploy6);
      const bad = await addMisbehaving(f);
      await f.vault.connect(f.allocator).setWithdrawQueue([bad.target, f.adapter.target]);
      await depositFor(f, f.alice, f.units(50));
      await depositFor(f, f.bob, f.units(50));
      await f.vault.connect(f.allocator).allocate(bad.target, f.units(80));
      const assets = await f.vault.totalAssets();
      const supply = await f.vault.totalSupply();
      // Alice redeems everything: 30 of her 50 come from the adapter, which reads the price while it pays.
      await f.vault.connect(f.alice).redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
      // The old code burned her shares first: half the supply for the same books, a price read twice too high.
      const seenAssets = await bad.seenTotalAssets();
      const seenSupply = await bad.seenTotalSupply();
      expect(seenAssets * supply).to.equal(assets * seenSupply);
    });
  });

  describe("issue 11.9: every max* is accepted by its call", function () {
    it("maxRedeem is zero when the shares are worth no asset (the old code returned dust that redeem refused)", async function () {
      const f = await load(deploy18);
      await depositFor(f, f.alice, f.units(100));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(100));
      await f.target.simulateLoss(f.units(60));
      await f.vault.connect(f.keeper).report(f.adapter.target);
      await f.vault.connect(f.alice).transfer(f.bob.address, 1n);
      expect(await f.vault.previewRedeem(1n)).to.equal(0n);
      expect(await f.vault.maxRedeem(f.bob.address)).to.equal(0n);
      await expect(f.vault.connect(f.bob).redeem(1n, f.bob.address, f.bob.address)).to.be.revertedWithCustomError(
        f.vault,
        "ZeroAmount",
      );
      // Alice's maxRedeem is redeemable in full.
      await f.vault.connect(f.alice).redeem(await f.vault.maxRedeem(f.alice.address), f.alice.address, f.alice.address);
    });

    it("maxDeposit is zero when the room under the limit would mint no share", async function () {
      const f = await load(deploy18);
      await depositFor(f, f.alice, f.units(100));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(100));
      await addYield(f, f.units(5));
      await f.vault.connect(f.keeper).report(f.adapter.target);
      await ethers.provider.send("evm_increaseTime", [30 * 86_400]);
      await ethers.provider.send("evm_mine", []);
      const ta = await f.vault.totalAssets();
      expect(ta).to.be.gt(await f.vault.totalSupply()); // a share is worth more than a wei
      await f.vault.connect(f.curator).setDepositLimit(ta + 1n);
      expect(await f.vault.maxDeposit(f.alice.address)).to.equal(0n);
      expect(await f.vault.maxMint(f.alice.address)).to.equal(0n);
      await expect(f.vault.connect(f.alice).deposit(1n, f.alice.address)).to.be.reverted;
    });

    it("deposit(maxDeposit), mint(maxMint), withdraw(maxWithdraw) and redeem(maxRedeem) all succeed", async function () {
      const f = await halfLost();
      await f.vault.connect(f.curator).setDepositLimit(f.units(2_000));
      const maxDeposit = await f.vault.maxDeposit(f.carol.address);
      expect(maxDeposit).to.equal(f.units(500));
      await f.vault.connect(f.carol).deposit(maxDeposit / 2n, f.carol.address);
      await f.vault.connect(f.carol).mint(await f.vault.maxMint(f.carol.address), f.carol.address);
      await f.vault
        .connect(f.alice)
        .withdraw(await f.vault.maxWithdraw(f.alice.address), f.alice.address, f.alice.address);
      await f.vault.connect(f.bob).redeem(await f.vault.maxRedeem(f.bob.address), f.bob.address, f.bob.address);
      expect(await f.vault.balanceOf(f.bob.address)).to.equal(0n);
      expect(core(f).target).to.equal(f.vault.target);
    });
  });
});
