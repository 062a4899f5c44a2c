import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deploy18, deploy6, type VaultFixture } from "../helpers/fixtures";
import {
  MisbehavingAdapter__factory,
  MockAsyncAdapter__factory,
  MockERC20__factory,
  ReentrantERC20__factory,
  RedemptionQueue__factory,
  RollupVault__factory,
  VaultAdmin__factory,
  type MockAsyncAdapter,
  type RedemptionQueue,
  type RollupVault,
} from "../../typechain-types";

/** Shares have 18 decimals whatever the asset's. */
const sh = (n: number | string) => ethers.parseUnits(n.toString(), 18);
const DAY = 86_400n;

type QueueFixture = VaultFixture & {
  queue: RedemptionQueue;
  queueAddr: string;
  /** An async adapter over the same target, holding everything: `prepareRelease` reaches it. */
  slow: MockAsyncAdapter;
  slowAddr: string;
  /** The vault under its concrete type, for decoding its errors. */
  vaultErrors: RollupVault;
};

/**
 * A vault where alice, bob and carol hold 1,000 assets' worth each (10^(18-d) shares per asset unit), everything
 * allocated to an async adapter whose target's liquidity is locked, and a RedemptionQueue set as the vault's queue.
 * Each holder has approved the queue for its shares.
 */
async function buildQueueFixture(deploy: () => Promise<VaultFixture>): Promise<QueueFixture> {
  const f = await deploy();
  const queue = await new RedemptionQueue__factory(f.owner).deploy(await f.vault.getAddress());
  const queueAddr = await queue.getAddress();
  const slow = await new MockAsyncAdapter__factory(f.owner).deploy(
    await f.vault.getAddress(),
    await f.target.getAddress(),
  );
  const slowAddr = await slow.getAddress();
  await f.vault.connect(f.curator).addAdapter(slowAddr, 2n ** 128n - 1n, 10_000);
  for (const user of [f.alice, f.bob, f.carol]) {
    await f.vault.connect(user).deposit(f.units(1_000), user.address);
    await f.vault.connect(user).approve(queueAddr, ethers.MaxUint256);
  }
  await f.vault.connect(f.allocator).allocate(slowAddr, f.units(3_000));
  await f.target.setLiquidity(0);
  await f.vault.setRedemptionQueue(queueAddr);
  const vaultErrors = RollupVault__factory.connect(await f.vault.getAddress(), f.owner);
  return { ...f, queue, queueAddr, slow, slowAddr, vaultErrors };
}

const queueFixtures: Record<number, () => Promise<QueueFixture>> = {
  6: () => buildQueueFixture(deploy6),
  18: () => buildQueueFixture(deploy18),
};

/** Lets `assets` out of the target (a cooldown that ended for that much). */
async function free(f: QueueFixture, assets: bigint) {
  await f.target.setLiquidity(assets);
}

/** Moves to the next settlement window. */
async function nextWindow(f: QueueFixture) {
  await time.increaseTo(await f.queue.windowClosesAt());
}

async function request(f: QueueFixture, user: HardhatEthersSigner, shares: bigint, controller = user.address) {
  await f.queue.connect(user).requestRedeem(shares, controller, user.address);
}

async function totals(f: QueueFixture, who: HardhatEthersSigner) {
  const [pending, claimableShares, claimableAssets] = await f.queue.controllerTotals(who.address);
  return { pending, claimableShares, claimableAssets };
}

/** The state a failed call must leave untouched. */
async function snapshot(f: QueueFixture) {
  return {
    escrow: await f.vault.balanceOf(f.queueAddr),
    held: await f.asset.balanceOf(f.queueAddr),
    pooled: await f.queue.pooledShares(),
    open: await f.queue.openShares(),
    claimable: await f.queue.claimableAssets(),
    alice: await f.queue.controllerTotals(f.alice.address),
    bob: await f.queue.controllerTotals(f.bob.address),
    reserve: await f.vault.queueReserve(),
  };
}

/**
 * Conservation: the escrow equals the pending shares, the queue's asset balance equals the claimable assets, and
 * what the controllers can claim (or still have pending) never exceeds it.
 */
async function expectConserved(f: QueueFixture) {
  expect(await f.vault.balanceOf(f.queueAddr)).to.equal(await f.queue.pendingShares());
  expect(await f.asset.balanceOf(f.queueAddr)).to.equal(await f.queue.claimableAssets());
  let pending = 0n;
  let claimable = 0n;
  for (const who of [f.alice, f.bob, f.carol]) {
    const t = await totals(f, who);
    pending += t.pending;
    claimable += t.claimableAssets;
  }
  expect(pending).to.be.lte(await f.queue.pendingShares());
  expect(claimable).to.be.lte(await f.queue.claimableAssets());
}

for (const decimals of [6, 18]) describeQueue(decimals);

function describeQueue(decimals: number) {
  const queueFixture = queueFixtures[decimals];

  describe(`RedemptionQueue (${decimals}-decimal asset)`, function () {
    describe("deployment", function () {
      it("binds to one vault, whose token is the share and whose asset is paid out, with one-day windows", async function () {
        const f = await loadFixture(queueFixture);
        const vaultAddr = await f.vault.getAddress();
        expect(await f.queue.vault()).to.equal(vaultAddr);
        expect(await f.queue.share()).to.equal(vaultAddr);
        expect(await f.queue.asset()).to.equal(await f.asset.getAddress());
        expect(await f.queue.WINDOW()).to.equal(DAY);
        expect(await f.queue.currentWindow()).to.equal(0n);
        expect(await f.queue.windowClosesAt()).to.equal((await f.queue.START()) + DAY);
        expect(await f.vault.redemptionQueue()).to.equal(f.queueAddr);
      });

      it("reverts on a zero vault", async function () {
        const f = await loadFixture(queueFixture);
        const factory = new RedemptionQueue__factory(f.owner);
        await expect(factory.deploy(ethers.ZeroAddress)).to.be.revertedWithCustomError(factory, "ZeroAddress");
      });

      it("supports the ERC-7540 redeem and operator interfaces and ERC-165, not the deposit side", async function () {
        const f = await loadFixture(queueFixture);
        for (const id of ["0x620ee8e4", "0xe3bc4e65", "0x01ffc9a7"]) {
          expect(await f.queue.supportsInterface(id)).to.equal(true);
        }
        expect(await f.queue.supportsInterface("0xffffffff")).to.equal(false);
        expect(await f.queue.supportsInterface("0x2f0a18c5")).to.equal(false);
      });
    });

    describe("requests", function () {
      it("escrow the owner's shares in the open window, aggregated per controller (requestId 0)", async function () {
        const f = await loadFixture(queueFixture);
        await expect(f.queue.connect(f.alice).requestRedeem(sh(100), f.alice.address, f.alice.address))
          .to.emit(f.queue, "RedeemRequest")
          .withArgs(f.alice.address, f.alice.address, 0n, f.alice.address, sh(100));
        expect(
          await f.queue.connect(f.alice).requestRedeem.staticCall(sh(1), f.alice.address, f.alice.address),
        ).to.equal(0n);
        await request(f, f.alice, sh(50));
        expect(await f.queue.pendingRedeemRequest(0, f.alice.address)).to.equal(sh(150));
        expect(await f.queue.pendingRedeemRequest(1, f.alice.address)).to.equal(0n);
        expect(await f.queue.claimableRedeemRequest(0, f.alice.address)).to.equal(0n);
        expect(await f.queue.openShares()).to.equal(sh(150));
        expect(await f.queue.pooledShares()).to.equal(0n);
        expect(await f.queue.waitingSince()).to.be.gt(0n);
        await expectConserved(f);
      });

      it("let an operator the owner approved request for the owner, and the owner name another controller", async function () {
        const f = await loadFixture(queueFixture);
        await expect(f.queue.connect(f.alice).setOperator(f.carol.address, true))
          .to.emit(f.queue, "OperatorSet")
          .withArgs(f.alice.address, f.carol.address, true);
        await f.queue.connect(f.carol).requestRedeem(sh(10), f.bob.address, f.alice.address);
        expect(await f.queue.pendingRedeemRequest(0, f.bob.address)).to.equal(sh(10));
      });

      it("revert on zero shares", async function () {
        const f = await loadFixture(queueFixture);
        await expect(
          f.queue.connect(f.alice).requestRedeem(0, f.alice.address, f.alice.address),
        ).to.be.revertedWithCustomError(f.queue, "ZeroAmount");
      });

      it("revert on a zero controller", async function () {
        const f = await loadFixture(queueFixture);
        await expect(
          f.queue.connect(f.alice).requestRedeem(sh(1), ethers.ZeroAddress, f.alice.address),
        ).to.be.revertedWithCustomError(f.queue, "ZeroAddress");
      });

      it("revert when the caller is neither the owner nor its operator", async function () {
        const f = await loadFixture(queueFixture);
        await expect(f.queue.connect(f.attacker).requestRedeem(sh(1), f.attacker.address, f.alice.address))
          .to.be.revertedWithCustomError(f.queue, "NotOwnerOrOperator")
          .withArgs(f.attacker.address, f.alice.address);
      });

      it("revert on a request worth no assets", async function () {
        const f = await loadFixture(queueFixture);
        if (f.decimals === 18) this.skip(); // one share is one asset unit: every share is worth something
        await expect(f.queue.connect(f.alice).requestRedeem(1n, f.alice.address, f.alice.address))
          .to.be.revertedWithCustomError(f.queue, "RequestTooSmall")
          .withArgs(1n);
      });
    });

    describe("settlement windows", function () {
      it("settle only closed windows: a request cannot be served in the window it was made", async function () {
        const f = await loadFixture(queueFixture);
        await free(f, ethers.MaxUint256);
        await request(f, f.alice, sh(100));
        await expect(f.queue.settle()).to.be.revertedWithCustomError(f.queue, "NothingToSettle").withArgs(0n, 0n);
        expect(await f.queue.fulfillableShares()).to.equal(0n);
        await nextWindow(f);
        expect(await f.queue.fulfillableShares()).to.equal(sh(100));
        await expect(f.queue.connect(f.attacker).settle())
          .to.emit(f.queue, "WindowClosed")
          .withArgs(0n, sh(100))
          .and.to.emit(f.queue, "Settled")
          .withArgs(f.attacker.address, sh(100), sh(100), f.units(100));
        expect(await totals(f, f.alice)).to.deep.equal({
          pending: 0n,
          claimableShares: sh(100),
          claimableAssets: f.units(100),
        });
        expect(await f.queue.waitingSince()).to.equal(0n);
        await expectConserved(f);
      });

      it("reverts when the vault can pay none of the pool", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await nextWindow(f);
        await expect(f.queue.settle()).to.be.revertedWithCustomError(f.queue, "NothingToSettle").withArgs(sh(100), 0n);
        // The revert undid the roll too: the shares still sit in window 0's bucket until a call that succeeds.
        expect(await f.queue.pendingRedeemRequest(0, f.alice.address)).to.equal(sh(100));
      });

      it("reverts with NothingToSettle, not a failed redemption, when what the vault can pay is worth no asset wei", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await nextWindow(f);
        // A loss puts the price below one asset unit per 10^(18-d) shares; then one asset wei lands idle.
        await f.target.simulateLoss(f.units(1));
        await f.vault.connect(f.keeper).report(f.slowAddr);
        await f.vault.connect(f.bob).deposit(1n, f.bob.address);
        expect(await f.vault.previewRedeem(await f.vault.maxRedeem(f.queueAddr))).to.equal(0n);
        await expect(f.queue.settle()).to.be.revertedWithCustomError(f.queue, "NothingToSettle").withArgs(sh(100), 0n);
      });

      it("falls back on idle when the vault fails to pay what it said was liquid, and reverts when idle is empty too", async function () {
        const f = await loadFixture(queueFixture);
        const bad = await new MisbehavingAdapter__factory(f.owner).deploy(await f.vault.getAddress());
        await f.vault.connect(f.curator).addAdapter(await bad.getAddress(), 2n ** 128n - 1n, 10_000);
        await f.vault.connect(f.bob).deposit(f.units(500), f.bob.address);
        await f.vault.connect(f.allocator).allocate(await bad.getAddress(), f.units(400));
        await bad.setPayBps(5_000); // pays half of what it is asked: the vault's redemption through it reverts
        await request(f, f.alice, sh(300));
        await nextWindow(f);
        await expect(f.queue.settle())
          .to.emit(f.queue, "Settled")
          .withArgs(f.owner.address, sh(300), sh(100), f.units(100));
        // Idle is gone; the adapter still says 400 is releasable and still short-pays.
        expect(await f.vault.maxRedeem(f.queueAddr)).to.equal(sh(200));
        await expect(f.queue.settle()).to.be.revertedWithCustomError(f.queue, "SettlementFailed").withArgs(sh(200));
        await expectConserved(f);
      });

      it("fill every request of a window by the same fraction, early or late, large or small (issue 13.2, 13.4)", async function () {
        const f = await loadFixture(queueFixture);
        // A large request first, then two small ones later in the same window.
        await request(f, f.alice, sh(900));
        await time.increase(12 * 3600);
        await request(f, f.bob, sh(90));
        await request(f, f.carol, sh(10));
        await nextWindow(f);
        // A shortage: 250 of the 1,000 queued can be paid. FIFO with whole requests would serve nobody (the head
        // needs 900); here everyone gets a quarter.
        await free(f, f.units(250));
        await expect(f.queue.settle())
          .to.emit(f.queue, "Settled")
          .withArgs(await f.owner.getAddress(), sh(1_000), sh(250), f.units(250));
        for (const [who, shares] of [
          [f.alice, sh(900)],
          [f.bob, sh(90)],
          [f.carol, sh(10)],
        ] as const) {
          const t = await totals(f, who);
          // Same fraction: filled / requested = 1/4, to a wei of rounding (down, in the queue's favour).
          expect(t.claimableShares).to.be.closeTo(shares / 4n, 1n);
          expect(t.claimableShares).to.be.lte(shares / 4n);
          expect(t.pending + t.claimableShares).to.be.closeTo(shares, 1n);
          expect(t.claimableAssets).to.be.closeTo((f.units(1) * (shares / sh(1))) / 4n, 1n);
        }
        await expectConserved(f);
      });

      it("roll the unfilled part of each request into the next settlement, pooled with the next window's requests", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(400));
        await nextWindow(f);
        await free(f, f.units(100));
        await f.queue.settle(); // alice: 100 filled, 300 pooled
        await request(f, f.bob, sh(300)); // window 1
        // Bob's window is still open: a second settlement now serves alice's rest only.
        await free(f, f.units(30));
        await f.queue.settle();
        expect((await totals(f, f.alice)).claimableShares).to.be.closeTo(sh(130), 1n);
        expect((await totals(f, f.bob)).pending).to.equal(sh(300));
        await nextWindow(f);
        // Now alice's 270 and bob's 300 share 57 pro rata: a tenth each.
        await free(f, f.units(57));
        await f.queue.settle();
        expect((await totals(f, f.alice)).claimableShares).to.be.closeTo(sh(157), 2n);
        expect((await totals(f, f.bob)).claimableShares).to.be.closeTo(sh(30), 2n);
        // Everything is freed: a full fill ends the era, nothing pending is left anywhere.
        await free(f, ethers.MaxUint256);
        await f.queue.settle();
        expect(await f.queue.pendingShares()).to.equal(0n);
        for (const [who, shares] of [
          [f.alice, sh(400)],
          [f.bob, sh(300)],
        ] as const) {
          const t = await totals(f, who);
          expect(t.pending).to.equal(0n);
          expect(t.claimableShares).to.equal(shares);
          expect(t.claimableAssets).to.be.closeTo(f.units(1) * (shares / sh(1)), 3n);
        }
        await expectConserved(f);
        // A new era: a new request starts clean.
        await request(f, f.alice, sh(10));
        expect((await totals(f, f.alice)).pending).to.equal(sh(10));
        await expectConserved(f);
      });

      it("fill at the price of each settlement; a controller filled twice claims at its average price", async function () {
        const f = await loadFixture(queueFixture);
        await f.vault.connect(f.curator).setProfitUnlockTime(0);
        await request(f, f.alice, sh(200));
        await nextWindow(f);
        await free(f, f.units(100));
        await f.queue.settle(); // 100 shares at 1.00
        // A gain of 200 on the vault's 2,900 (the adapter's books move with the report).
        await f.asset.mint(await f.target.getAddress(), f.units(200));
        await f.vault.connect(f.keeper).report(f.slowAddr);
        await free(f, ethers.MaxUint256);
        const price = await f.vault.convertToAssets(sh(100));
        await f.queue.settle(); // 100 shares at the raised price
        const t = await totals(f, f.alice);
        expect(t.claimableShares).to.equal(sh(200));
        expect(t.claimableAssets).to.be.closeTo(f.units(100) + price, 2n);
        const paid = await f.queue.connect(f.alice).redeem.staticCall(sh(100), f.alice.address, f.alice.address);
        expect(paid).to.equal(t.claimableAssets / 2n);
      });

      it("costs the same gas whatever the number of requests served (O(1) per settlement)", async function () {
        const f = await loadFixture(queueFixture);
        const gasFor = async (n: number) => {
          for (let i = 0; i < n; i++) await request(f, [f.alice, f.bob, f.carol][i % 3], sh(1));
          await nextWindow(f);
          await free(f, f.units(n) / 2n);
          const receipt = await (await f.queue.settle()).wait();
          await free(f, 0n);
          return receipt!.gasUsed;
        };
        await gasFor(2); // first settlement: fresh storage slots
        const one = await gasFor(3);
        const many = await gasFor(30);
        // Same storage writes either way; only warm/cold slot differences remain.
        expect(many).to.be.closeTo(one, 25_000n);
      });
    });

    describe("claims", function () {
      async function filled() {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await nextWindow(f);
        await free(f, ethers.MaxUint256);
        await f.queue.settle();
        return f;
      }

      it("redeem pays the filled shares' assets and withdraw exact assets, rounding the shares up", async function () {
        const f = await filled();
        await expect(f.queue.connect(f.alice).redeem(sh(40), f.bob.address, f.alice.address))
          .to.emit(f.queue, "Withdraw")
          .withArgs(f.alice.address, f.bob.address, f.alice.address, f.units(40), sh(40));
        expect(await f.asset.balanceOf(f.bob.address)).to.equal(f.units(1_000_000) - f.units(1_000) + f.units(40));
        await expect(f.queue.connect(f.alice).withdraw(f.units(60), f.alice.address, f.alice.address))
          .to.emit(f.queue, "Withdraw")
          .withArgs(f.alice.address, f.alice.address, f.alice.address, f.units(60), sh(60));
        expect(await totals(f, f.alice)).to.deep.equal({ pending: 0n, claimableShares: 0n, claimableAssets: 0n });
        await expectConserved(f);
      });

      it("let an operator claim for the controller", async function () {
        const f = await filled();
        await f.queue.connect(f.alice).setOperator(f.carol.address, true);
        await expect(f.queue.connect(f.carol).redeem(sh(100), f.carol.address, f.alice.address)).to.emit(
          f.queue,
          "Withdraw",
        );
      });

      it("revert on zero shares or assets", async function () {
        const f = await filled();
        await expect(
          f.queue.connect(f.alice).redeem(0, f.alice.address, f.alice.address),
        ).to.be.revertedWithCustomError(f.queue, "ZeroAmount");
        await expect(
          f.queue.connect(f.alice).withdraw(0, f.alice.address, f.alice.address),
        ).to.be.revertedWithCustomError(f.queue, "ZeroAmount");
      });

      it("revert on a zero receiver", async function () {
        const f = await filled();
        await expect(
          f.queue.connect(f.alice).redeem(sh(1), ethers.ZeroAddress, f.alice.address),
        ).to.be.revertedWithCustomError(f.queue, "ZeroAddress");
      });

      it("revert when someone else claims a controller's assets", async function () {
        const f = await filled();
        const before = await snapshot(f);
        await expect(f.queue.connect(f.attacker).redeem(sh(1), f.attacker.address, f.alice.address))
          .to.be.revertedWithCustomError(f.queue, "NotOwnerOrOperator")
          .withArgs(f.attacker.address, f.alice.address);
        await expect(f.queue.connect(f.attacker).withdraw(1n, f.attacker.address, f.alice.address))
          .to.be.revertedWithCustomError(f.queue, "NotOwnerOrOperator")
          .withArgs(f.attacker.address, f.alice.address);
        expect(await snapshot(f)).to.deep.equal(before);
      });

      it("revert on claiming more than was filled", async function () {
        const f = await filled();
        await expect(f.queue.connect(f.alice).redeem(sh(101), f.alice.address, f.alice.address))
          .to.be.revertedWithCustomError(f.queue, "ExceedsClaimable")
          .withArgs(f.alice.address, sh(101), sh(100));
        await expect(f.queue.connect(f.alice).withdraw(f.units(101), f.alice.address, f.alice.address))
          .to.be.revertedWithCustomError(f.queue, "ExceedsClaimable")
          .withArgs(f.alice.address, f.units(101), f.units(100));
      });

      it("revert on a redeem so small that it would pay nothing", async function () {
        const f = await filled();
        if (f.decimals === 18) this.skip();
        await expect(
          f.queue.connect(f.alice).redeem(1n, f.alice.address, f.alice.address),
        ).to.be.revertedWithCustomError(f.queue, "ZeroAssets");
      });

      it("revert on previews, as ERC-7540 asks of asynchronous redemptions", async function () {
        const f = await loadFixture(queueFixture);
        await expect(f.queue.previewRedeem(1)).to.be.revertedWithCustomError(f.queue, "AsyncRedeemOnly");
        await expect(f.queue.previewWithdraw(1)).to.be.revertedWithCustomError(f.queue, "AsyncRedeemOnly");
      });
    });

    describe("cancellation", function () {
      it("returns only the pending part of a partly filled request", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await request(f, f.bob, sh(100));
        await nextWindow(f);
        await free(f, f.units(50));
        await f.queue.settle();
        const t = await totals(f, f.alice);
        expect(t.claimableShares).to.be.closeTo(sh(25), 1n);
        await expect(f.queue.connect(f.alice).cancelRedeemRequest(t.pending + 1n, f.alice.address))
          .to.be.revertedWithCustomError(f.queue, "ExceedsPending")
          .withArgs(f.alice.address, t.pending + 1n, t.pending);
        const before = await f.vault.balanceOf(f.alice.address);
        await expect(f.queue.connect(f.alice).cancelRedeemRequest(t.pending, f.alice.address))
          .to.emit(f.queue, "RedeemRequestCancelled")
          .withArgs(f.alice.address, f.alice.address, t.pending);
        expect(await f.vault.balanceOf(f.alice.address)).to.equal(before + t.pending);
        expect((await totals(f, f.alice)).claimableShares).to.equal(t.claimableShares);
        // Bob keeps his weight: the next settlement serves only him.
        await free(f, ethers.MaxUint256);
        await f.queue.settle();
        expect((await totals(f, f.bob)).claimableShares).to.be.closeTo(sh(100), 1n);
        await expectConserved(f);
      });

      it("takes the open window's shares first", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await nextWindow(f);
        await request(f, f.alice, sh(30));
        await f.queue.connect(f.alice).cancelRedeemRequest(sh(40), f.alice.address);
        expect(await f.queue.openShares()).to.equal(0n);
        expect(await f.queue.pooledShares()).to.equal(sh(90));
        await expectConserved(f);
      });

      it("reverts on zero shares", async function () {
        const f = await loadFixture(queueFixture);
        await expect(f.queue.connect(f.alice).cancelRedeemRequest(0, f.alice.address)).to.be.revertedWithCustomError(
          f.queue,
          "ZeroAmount",
        );
      });

      it("reverts when the caller is neither the controller nor its operator", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await expect(f.queue.connect(f.attacker).cancelRedeemRequest(sh(1), f.alice.address))
          .to.be.revertedWithCustomError(f.queue, "NotOwnerOrOperator")
          .withArgs(f.attacker.address, f.alice.address);
      });
    });

    describe("reserved liquidity (issue 13.3)", function () {
      it("reserves what prepareRelease frees while requests wait, up to their worth; direct exits cannot take it", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(400));
        await expect(f.vault.connect(f.keeper).prepareRelease(f.slowAddr, f.units(1_000)))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(f.units(400));
        expect(await f.vault.queueReserve()).to.equal(f.units(400));
        // The release arrives: 500 liquid, 400 of them reserved.
        await free(f, f.units(500));
        expect(await f.vault.liquidAssets()).to.equal(f.units(100));
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(100));
        expect(await f.vault.maxRedeem(f.bob.address)).to.equal(sh(100));
        // The queue itself may use everything.
        expect(await f.vault.maxWithdraw(f.queueAddr)).to.equal(f.units(400));
        await expect(f.vault.connect(f.bob).withdraw(f.units(101), f.bob.address, f.bob.address))
          .to.be.revertedWithCustomError(f.vaultErrors, "InsufficientLiquidity")
          .withArgs(f.units(1));
        await f.vault.connect(f.bob).withdraw(f.units(100), f.bob.address, f.bob.address);
        // The settlement consumes the reserve.
        await nextWindow(f);
        await expect(f.queue.settle()).to.emit(f.vault, "QueueReserveSet").withArgs(0n);
        expect((await totals(f, f.alice)).claimableAssets).to.equal(f.units(400));
        await expectConserved(f);
      });

      it("never reserves more than the queue's escrow is worth, and shrinks as requests are cancelled", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await f.vault.connect(f.keeper).prepareRelease(f.slowAddr, f.units(50));
        await f.vault.connect(f.keeper).prepareRelease(f.slowAddr, f.units(500));
        expect(await f.vault.queueReserve()).to.equal(f.units(100));
        await f.queue.connect(f.alice).cancelRedeemRequest(sh(60), f.alice.address);
        expect(await f.vault.queueReserve()).to.equal(f.units(40));
        await free(f, f.units(100));
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(60));
      });

      it("drops a reserve left above the escrow's worth by cancellations, so later requests do not inherit it", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await f.vault.connect(f.keeper).prepareRelease(f.slowAddr, f.units(100));
        await f.queue.connect(f.alice).cancelRedeemRequest(sh(100), f.alice.address);
        expect(await f.vault.queueReserve()).to.equal(0n);
        await free(f, f.units(500));
        await expect(f.vault.connect(f.bob).withdraw(f.units(10), f.bob.address, f.bob.address))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(0n);
        await request(f, f.alice, sh(100));
        expect(await f.vault.queueReserve()).to.equal(0n);
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(490));
      });

      it("reserves nothing while no request waits", async function () {
        const f = await loadFixture(queueFixture);
        await expect(f.vault.connect(f.keeper).prepareRelease(f.slowAddr, f.units(50))).to.not.emit(
          f.vault,
          "QueueReserveSet",
        );
        expect(await f.vault.queueReserve()).to.equal(0n);
      });

      // Issue 13.3 leftover: on the old code the idle below stayed unreserved, and bob's direct withdrawal took it
      // (liquidAssets 500, maxWithdraw 500) while alice's request waited for its window to close.
      it("reserves the idle present when a request is made: a direct withdrawal takes only the unreserved part", async function () {
        const f = await loadFixture(queueFixture);
        await f.vault.connect(f.carol).deposit(f.units(500), f.carol.address);
        await expect(f.queue.connect(f.alice).requestRedeem(sh(300), f.alice.address, f.alice.address))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(f.units(300));
        expect(await f.vault.queueReserve()).to.equal(f.units(300));
        expect(await f.vault.liquidAssets()).to.equal(f.units(200));
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(200));
        expect(await f.vault.maxRedeem(f.bob.address)).to.equal(sh(200));
        // The queue itself may take everything.
        expect(await f.vault.maxWithdraw(f.queueAddr)).to.equal(f.units(300));
        await expect(f.vault.connect(f.bob).withdraw(f.units(201), f.bob.address, f.bob.address))
          .to.be.revertedWithCustomError(f.vaultErrors, "InsufficientLiquidity")
          .withArgs(f.units(1));
        await expect(f.vault.connect(f.bob).redeem(sh(201), f.bob.address, f.bob.address))
          .to.be.revertedWithCustomError(f.vaultErrors, "InsufficientLiquidity")
          .withArgs(f.units(1));
        await f.vault.connect(f.bob).withdraw(f.units(200), f.bob.address, f.bob.address);
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(0n);
        // The window closes: the settlement pays alice in full from the reserved idle and consumes the reserve.
        await nextWindow(f);
        await expect(f.queue.settle()).to.emit(f.vault, "QueueReserveSet").withArgs(0n);
        expect((await totals(f, f.alice)).claimableAssets).to.equal(f.units(300));
        await expectConserved(f);
      });

      it("shares reserved idle pro rata among the requests of a window, early or late", async function () {
        const f = await loadFixture(queueFixture);
        await f.vault.connect(f.carol).deposit(f.units(500), f.carol.address);
        await request(f, f.alice, sh(300));
        // bob comes later in the same window: the idle is now assigned to both requests (700 asked, 500 idle).
        await expect(f.queue.connect(f.bob).requestRedeem(sh(400), f.bob.address, f.bob.address))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(f.units(500));
        expect(await f.vault.maxWithdraw(f.carol.address)).to.equal(0n);
        await nextWindow(f);
        await f.queue.settle();
        const alice = await totals(f, f.alice);
        const bob = await totals(f, f.bob);
        // Both filled by 5/7 (rounded down per controller).
        expect(alice.claimableShares * 7n).to.be.closeTo(sh(300) * 5n, 7n);
        expect(bob.claimableShares * 7n).to.be.closeTo(sh(400) * 5n, 7n);
        expect(alice.claimableShares * 4n).to.be.closeTo(bob.claimableShares * 3n, 4n);
        expect(await f.vault.queueReserve()).to.equal(0n);
        await expectConserved(f);
      });

      it("gives a cancelled request's part back at once: a griefer's request then cancel blocks no direct exit", async function () {
        const f = await loadFixture(queueFixture);
        await f.vault.connect(f.carol).deposit(f.units(500), f.carol.address);
        await request(f, f.alice, sh(300));
        // bob asks for everything he has: all 500 idle is reserved.
        await request(f, f.bob, sh(1_000));
        expect(await f.vault.queueReserve()).to.equal(f.units(500));
        expect(await f.vault.maxWithdraw(f.carol.address)).to.equal(0n);
        // bob cancels: the reserve falls back to alice's request at once (capped at the escrow's worth).
        await f.queue.connect(f.bob).cancelRedeemRequest(sh(1_000), f.bob.address);
        expect(await f.vault.queueReserve()).to.equal(f.units(300));
        expect(await f.vault.liquidAssets()).to.equal(f.units(200));
        expect(await f.vault.maxWithdraw(f.carol.address)).to.equal(f.units(200));
        await expect(f.vault.connect(f.carol).withdraw(f.units(201), f.carol.address, f.carol.address))
          .to.be.revertedWithCustomError(f.vaultErrors, "InsufficientLiquidity")
          .withArgs(f.units(1));
        // carol's direct exit drops the excess from storage.
        await expect(f.vault.connect(f.carol).withdraw(f.units(50), f.carol.address, f.carol.address))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(f.units(300));
        // alice cancels too: nothing is reserved, and carol can take all the idle left.
        await f.queue.connect(f.alice).cancelRedeemRequest(sh(300), f.alice.address);
        expect(await f.vault.queueReserve()).to.equal(0n);
        expect(await f.vault.liquidAssets()).to.equal(f.units(450));
        await expect(f.vault.connect(f.carol).withdraw(f.units(450), f.carol.address, f.carol.address))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(0n);
        await expectConserved(f);
      });

      it("lets a stranger assign idle that arrived after the requests, never above their worth", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(300));
        expect(await f.vault.queueReserve()).to.equal(0n);
        // A deposit lands after the request: idle that nobody has assigned yet.
        await f.vault.connect(f.carol).deposit(f.units(500), f.carol.address);
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(500));
        expect(await f.vault.connect(f.attacker).reserveIdleForQueue.staticCall()).to.equal(f.units(300));
        await expect(f.vault.connect(f.attacker).reserveIdleForQueue())
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(f.units(300));
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(200));
        // A second call changes nothing.
        await expect(f.vault.connect(f.attacker).reserveIdleForQueue()).to.not.emit(f.vault, "QueueReserveSet");
        expect(await f.vault.queueReserve()).to.equal(f.units(300));
      });

      it("reserveIdleForQueue reserves nothing while no request waits", async function () {
        const f = await loadFixture(queueFixture);
        await f.vault.connect(f.carol).deposit(f.units(500), f.carol.address);
        expect(await f.vault.connect(f.attacker).reserveIdleForQueue.staticCall()).to.equal(0n);
        await expect(f.vault.connect(f.attacker).reserveIdleForQueue()).to.not.emit(f.vault, "QueueReserveSet");
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(500));
      });

      it("reserveIdleForQueue is a no-op with no queue set, and reserves only for the current queue once replaced", async function () {
        const f = await loadFixture(queueFixture);
        await f.vault.connect(f.carol).deposit(f.units(500), f.carol.address);
        await request(f, f.alice, sh(300));
        expect(await f.vault.queueReserve()).to.equal(f.units(300));
        await f.vault.setRedemptionQueue(ethers.ZeroAddress);
        expect(await f.vault.connect(f.attacker).reserveIdleForQueue.staticCall()).to.equal(0n);
        await expect(f.vault.connect(f.attacker).reserveIdleForQueue()).to.not.emit(f.vault, "QueueReserveSet");
        expect(await f.vault.queueReserve()).to.equal(0n);
        expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(500));
        // A request in the old queue (no longer the vault's) reserves nothing: the vault reserves for its own queue.
        await request(f, f.bob, sh(100));
        expect(await f.vault.maxWithdraw(f.carol.address)).to.equal(f.units(500));
        // A new queue: its requests get the idle; the old queue's escrow does not count.
        const queue2 = await new RedemptionQueue__factory(f.owner).deploy(await f.vault.getAddress());
        await f.vault.setRedemptionQueue(await queue2.getAddress());
        await f.vault.connect(f.carol).approve(await queue2.getAddress(), ethers.MaxUint256);
        await expect(queue2.connect(f.carol).requestRedeem(sh(50), f.carol.address, f.carol.address))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(f.units(50));
        await request(f, f.bob, sh(100));
        expect(await f.vault.queueReserve()).to.equal(f.units(50));
        expect(await f.vault.maxWithdraw(f.carol.address)).to.equal(f.units(450));
      });

      it("reserveIdleForQueue is refused when called on the admin module directly, not through a vault", async function () {
        const f = await loadFixture(queueFixture);
        const admin = await new VaultAdmin__factory(f.owner).deploy();
        await expect(admin.connect(f.attacker).reserveIdleForQueue())
          .to.be.revertedWithCustomError(admin, "Unauthorized")
          .withArgs(f.attacker.address);
      });

      if (decimals === 18) {
        it("caps the reserve at type(uint96).max when idle and the requests are worth more", async function () {
          const f = await loadFixture(queueFixture);
          const huge = 100_000_000_000n * 10n ** 18n; // 1e29 wei, above 2^96 - 1 (about 7.9e28)
          await f.asset.mint(f.carol.address, huge);
          await f.vault.connect(f.carol).deposit(huge, f.carol.address);
          const cap = 2n ** 96n - 1n;
          await expect(
            f.queue
              .connect(f.carol)
              .requestRedeem(await f.vault.balanceOf(f.carol.address), f.carol.address, f.carol.address),
          )
            .to.emit(f.vault, "QueueReserveSet")
            .withArgs(cap);
          expect(await f.vault.queueReserve()).to.equal(cap);
          // Idle beyond the cap stays free to direct exits.
          expect(await f.vault.liquidAssets()).to.equal(huge - cap);
        });
      }

      it("reserves idle for requests made while the vault is paused or shut down (exits are never paused)", async function () {
        const f = await loadFixture(queueFixture);
        await f.vault.connect(f.carol).deposit(f.units(500), f.carol.address);
        await f.vault.connect(f.guardian).setPaused(true);
        await expect(f.queue.connect(f.alice).requestRedeem(sh(100), f.alice.address, f.alice.address))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(f.units(100));
        await f.vault.connect(f.guardian).shutdown();
        await expect(f.queue.connect(f.bob).requestRedeem(sh(100), f.bob.address, f.bob.address))
          .to.emit(f.vault, "QueueReserveSet")
          .withArgs(f.units(200));
        expect(await f.vault.maxWithdraw(f.carol.address)).to.equal(f.units(300));
      });
    });

    describe("liveness without operators (issue 13.1)", function () {
      it("opens report and prepareRelease to anyone once requests have waited the delay with no operator acting", async function () {
        const f = await loadFixture(queueFixture);
        expect(await f.queue.livenessOpensAt()).to.equal(ethers.MaxUint256);
        await request(f, f.alice, sh(300));
        const opensAt = (await f.queue.waitingSince()) + 7n * DAY;
        expect(await f.vault.livenessDelay()).to.equal(7n * DAY);
        expect(await f.queue.livenessOpensAt()).to.equal(opensAt);
        await expect(f.queue.connect(f.attacker).livenessRelease(f.slowAddr))
          .to.be.revertedWithCustomError(f.queue, "LivenessNotOpen")
          .withArgs(opensAt);
        await expect(f.queue.connect(f.attacker).livenessReport(f.slowAddr))
          .to.be.revertedWithCustomError(f.queue, "LivenessNotOpen")
          .withArgs(opensAt);
        // A keeper acting restarts the clock.
        await time.increase(3n * DAY);
        await f.vault.connect(f.keeper).prepareRelease(f.slowAddr, 1n);
        const later = (await f.vault.lastKeeperAction()) + 7n * DAY;
        expect(await f.queue.livenessOpensAt()).to.equal(later);
        await time.increaseTo(later);
        await expect(f.queue.connect(f.attacker).livenessRelease(f.slowAddr))
          .to.emit(f.queue, "LivenessAction")
          .withArgs(f.attacker.address, f.slowAddr, 1, f.units(300) - 1n)
          .and.to.emit(f.vault, "ReleasePrepared")
          .withArgs(f.slowAddr, f.queueAddr, f.units(300) - 1n);
        expect(await f.slow.lastPrepared()).to.equal(f.units(300) - 1n);
        expect(await f.vault.queueReserve()).to.equal(f.units(300));
        await expect(f.queue.connect(f.attacker).livenessRelease(f.slowAddr)).to.be.revertedWithCustomError(
          f.queue,
          "NothingToRelease",
        );
        // A stranger's report goes through the queue (a gain is realised as a keeper's would be).
        await f.asset.mint(await f.target.getAddress(), f.units(30));
        await expect(f.queue.connect(f.attacker).livenessReport(f.slowAddr))
          .to.emit(f.vault, "Reported")
          .and.to.emit(f.queue, "LivenessAction");
        // The queue's own prepareRelease does not restart the clock.
        expect(await f.queue.livenessOpensAt()).to.equal(later);
      });

      it("the vault refuses report and prepareRelease from a stranger calling it directly", async function () {
        const f = await loadFixture(queueFixture);
        await expect(f.vault.connect(f.attacker).report(f.slowAddr))
          .to.be.revertedWithCustomError(f.vaultErrors, "Unauthorized")
          .withArgs(f.attacker.address);
        await expect(f.vault.connect(f.attacker).prepareRelease(f.slowAddr, 1n))
          .to.be.revertedWithCustomError(f.vaultErrors, "Unauthorized")
          .withArgs(f.attacker.address);
      });
    });

    describe("vault settings", function () {
      it("setRedemptionQueue: owner only, must serve this vault, timelocked, drops the reserve", async function () {
        const f = await loadFixture(queueFixture);
        const other = await new RedemptionQueue__factory(f.owner).deploy(await f.vault.getAddress());
        await expect(f.vault.connect(f.curator).setRedemptionQueue(await other.getAddress()))
          .to.be.revertedWithCustomError(f.vaultErrors, "Unauthorized")
          .withArgs(f.curator.address);
        await expect(f.vault.setRedemptionQueue(f.queueAddr)).to.be.revertedWithCustomError(
          f.vaultErrors,
          "AlreadySet",
        );
        const bare = await new RollupVault__factory(f.owner).deploy(
          await f.asset.getAddress(),
          "B",
          "B",
          f.owner.address,
          await (await new VaultAdmin__factory(f.owner).deploy()).getAddress(),
        );
        const foreign = await new RedemptionQueue__factory(f.owner).deploy(await bare.getAddress());
        await expect(f.vault.setRedemptionQueue(await foreign.getAddress()))
          .to.be.revertedWithCustomError(f.vaultErrors, "QueueMismatch")
          .withArgs(await foreign.getAddress());
        await request(f, f.alice, sh(10));
        await f.vault.connect(f.keeper).prepareRelease(f.slowAddr, f.units(10));
        await f.vault.setTimelock(DAY);
        const data = f.vault.interface.encodeFunctionData("setRedemptionQueue", [ethers.ZeroAddress]);
        await expect(f.vault.setRedemptionQueue(ethers.ZeroAddress)).to.be.revertedWithCustomError(
          f.vaultErrors,
          "NotSubmitted",
        );
        await f.vault.submit(data);
        await time.increase(DAY);
        await expect(f.vault.setRedemptionQueue(ethers.ZeroAddress))
          .to.emit(f.vault, "RedemptionQueueSet")
          .withArgs(ethers.ZeroAddress)
          .and.to.emit(f.vault, "QueueReserveSet")
          .withArgs(0n);
        expect(await f.vault.queueReserve()).to.equal(0n);
      });

      it("setLivenessDelay: owner only, 1 to 14 days, lowering timelocked", async function () {
        const f = await loadFixture(queueFixture);
        await expect(f.vault.connect(f.keeper).setLivenessDelay(DAY))
          .to.be.revertedWithCustomError(f.vaultErrors, "Unauthorized")
          .withArgs(f.keeper.address);
        await expect(f.vault.setLivenessDelay(DAY - 1n))
          .to.be.revertedWithCustomError(f.vaultErrors, "BelowMin")
          .withArgs(DAY - 1n, DAY);
        await expect(f.vault.setLivenessDelay(14n * DAY + 1n))
          .to.be.revertedWithCustomError(f.vaultErrors, "AboveMax")
          .withArgs(14n * DAY + 1n, 14n * DAY);
        await expect(f.vault.setLivenessDelay(7n * DAY)).to.be.revertedWithCustomError(f.vaultErrors, "AlreadySet");
        await f.vault.setTimelock(DAY);
        // Raising is immediate; lowering waits.
        await expect(f.vault.setLivenessDelay(14n * DAY))
          .to.emit(f.vault, "LivenessDelaySet")
          .withArgs(14n * DAY);
        await expect(f.vault.setLivenessDelay(2n * DAY)).to.be.revertedWithCustomError(f.vaultErrors, "NotSubmitted");
        await f.vault.submit(f.vault.interface.encodeFunctionData("setLivenessDelay", [2n * DAY]));
        await time.increase(DAY);
        await f.vault.setLivenessDelay(2n * DAY);
        expect(await f.vault.livenessDelay()).to.equal(2n * DAY);
      });
    });

    describe("release schedule", function () {
      it("lists the adapters with a release under way and when it frees", async function () {
        const f = await loadFixture(queueFixture);
        expect(await f.queue.releaseSchedule()).to.deep.equal([]);
        await f.slow.setPendingRelease(f.units(500), 1_900_000_000n);
        const schedule = await f.queue.releaseSchedule();
        expect(schedule.length).to.equal(1);
        expect([schedule[0].adapter, schedule[0].assets, schedule[0].readyAt]).to.deep.equal([
          f.slowAddr,
          f.units(500),
          1_900_000_000n,
        ]);
      });
    });

    describe("skim", function () {
      it("sends stray shares, assets and other tokens to the vault's skim recipient, never what is owed", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await request(f, f.bob, sh(50));
        await nextWindow(f);
        await free(f, f.units(75));
        await f.queue.settle();
        await f.vault.connect(f.carol).transfer(f.queueAddr, sh(7));
        await f.asset.mint(f.queueAddr, f.units(3));
        const reward = await new MockERC20__factory(f.owner).deploy("Reward", "RWD", 18);
        await reward.mint(f.queueAddr, sh(5));
        const recipient = await f.vault.skimRecipient();
        await expect(f.queue.skim(await f.vault.getAddress()))
          .to.emit(f.queue, "Skimmed")
          .withArgs(await f.vault.getAddress(), recipient, sh(7));
        await expect(f.queue.connect(f.attacker).skim(await f.asset.getAddress()))
          .to.emit(f.queue, "Skimmed")
          .withArgs(await f.asset.getAddress(), recipient, f.units(3));
        await expect(f.queue.skim(await reward.getAddress()))
          .to.emit(f.queue, "Skimmed")
          .withArgs(await reward.getAddress(), recipient, sh(5));
        await expectConserved(f);
      });

      it("reverts when a token re-enters the queue while it is swept", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(10));
        await nextWindow(f);
        await free(f, ethers.MaxUint256);
        const token = await new ReentrantERC20__factory(f.owner).deploy();
        await token.mint(f.queueAddr, 5n);
        await token.arm(f.queueAddr, f.queue.interface.encodeFunctionData("settle"));
        const before = await snapshot(f);
        await expect(f.queue.skim(await token.getAddress())).to.be.revertedWithCustomError(
          f.queue,
          "ReentrancyGuardReentrantCall",
        );
        expect(await snapshot(f)).to.deep.equal(before);
      });

      it("reverts when nothing is stray", async function () {
        const f = await loadFixture(queueFixture);
        await request(f, f.alice, sh(100));
        await expect(f.queue.skim(await f.vault.getAddress())).to.be.revertedWithCustomError(f.queue, "ZeroAmount");
        await expect(f.queue.skim(await f.asset.getAddress())).to.be.revertedWithCustomError(f.queue, "ZeroAmount");
      });
    });
  });
}
