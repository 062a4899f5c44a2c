import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import hre, { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  MockAsyncAdapter__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  MockInKindAdapter__factory,
  RedemptionQueue__factory,
  RollupVault__factory,
  type MockAsyncAdapter,
  type MockERC4626Target,
  type RedemptionQueue,
  type RollupVault,
} from "../../typechain-types";
import { LOCAL_EID, REMOTE_EID, creditOf, moveCredit, provideLiquidity, setPoolPaused } from "../helpers/stargate";
import {
  MAX_CAP,
  deployCooldownSuite,
  deployStakingVault,
  deployStargateSuite,
  deployVoteEscrowSuite,
  type StargateSuite,
} from "../helpers/suite";
import { deploy6, getRoles } from "../helpers/fixtures";
import type { VaultStatus } from "../../tasks/status";

/**
 * Issue 13.5 (exit in kind) and 13.6 (views that point holders to the exits that work when local credit is short), on
 * the REAL Stargate V2 contracts (test/helpers/stargate.ts): Circle's USDC, StargatePoolUSDC, StargateStaking and its
 * MultiRewarder, two LayerZero endpoint ids on one chain. The planner drains the local pool's credit (`moveCredit`);
 * ordinary exits then cannot pay, and a holder takes their LP in kind and bridges it out with the pool's `redeemSend`.
 */

const PENALTY_BPS = 50n; // 0.5%
const BPS = 10_000n;
const DAY = 86_400;

type InKindFixture = StargateSuite & {
  queue: RedemptionQueue;
  /** An asynchronous adapter (over an ERC-4626 target whose liquidity the test sets): `prepareRelease` reaches it. */
  slow: MockAsyncAdapter;
  slowTarget: MockERC4626Target;
  /** The vault under its concrete type, for OpenZeppelin's ERC-20 errors. */
  core: RollupVault;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  /** An LP of the far chain's pool, whose liquidity pays bridged exits there. */
  farLp: HardhatEthersSigner;
  u: (n: number | string) => bigint;
};

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/**
 * The Stargate suite (6-decimal vault over Circle's USDC, real pool and farm, real RewardsDistributor) with a
 * RedemptionQueue and a second, asynchronous adapter holding nothing; alice, bob and carol deposit 100,000 USDC each,
 * all of it is allocated to the Stargate adapter, the in-kind penalty is 0.5%. The far chain's pool holds 1,000,000
 * USDC of its own LP, of which 500,000 of credit sits on the local pool's path toward it (what `redeemSend` spends).
 * Local credit is NOT drained here (see `drained`).
 */
async function baseFixture(): Promise<InKindFixture> {
  const s = await deployStargateSuite();
  const [alice, bob, carol] = s.holders;
  const signers = await ethers.getSigners();
  const farLp = signers[15];
  const u = s.usdcUnits;
  const queue = await new RedemptionQueue__factory(s.owner).deploy(await s.vault.getAddress());
  await s.vault.connect(s.owner).setRedemptionQueue(await queue.getAddress());
  const slowTarget = await new MockERC4626Target__factory(s.owner).deploy(await s.usdc.getAddress());
  const slow = await new MockAsyncAdapter__factory(s.owner).deploy(
    await s.vault.getAddress(),
    await slowTarget.getAddress(),
  );
  await s.vault.connect(s.curator).addAdapter(await slow.getAddress(), MAX_CAP, 10_000);
  for (const holder of [alice, bob, carol]) {
    await s.vault.connect(holder).deposit(u(100_000), holder.address);
    await s.vault.connect(holder).approve(await queue.getAddress(), ethers.MaxUint256);
  }
  await s.vault.connect(s.allocator).allocate(await s.adapter.getAddress(), u(300_000));
  await s.vault.connect(s.curator).setInKindPenalty(PENALTY_BPS);
  await provideLiquidity(s.net, s.net.remote, "usdc", farLp, u(1_000_000));
  await moveCredit(s.net, "remote", "usdc", REMOTE_EID, u(500_000));
  const core = RollupVault__factory.connect(await s.vault.getAddress(), ethers.provider);
  return { ...s, queue, slow, slowTarget, core, alice, bob, carol, farLp, u };
}

/** The base fixture with the local pool's whole credit moved to the far chain by the planner (a bank run's aftermath). */
async function drained(): Promise<InKindFixture> {
  const f = await baseFixture();
  await f.creditAway(await f.localCredit());
  return f;
}

/** The whole state an in-kind exit may change: books, supply, balances, LP and farm positions, reserve. */
async function snapshot(f: InKindFixture) {
  const adapter = await f.adapter.getAddress();
  const lp = await f.lp.getAddress();
  return {
    totalAssets: await f.vault.totalAssets(),
    totalSupply: await f.vault.totalSupply(),
    idle: await f.vault.totalIdle(),
    debt: await f.vault.totalDebt(),
    adapterDebt: (await f.vault.adapterConfig(adapter)).debt,
    staked: await f.staking.balanceOf(lp, adapter),
    adapterLp: await f.lp.balanceOf(adapter),
    reserve: await f.vault.queueReserve(),
    alice: await f.vault.balanceOf(f.alice.address),
    bob: await f.vault.balanceOf(f.bob.address),
    aliceLp: await f.lp.balanceOf(f.alice.address),
    bobLp: await f.lp.balanceOf(f.bob.address),
    allowance: await f.vault.allowance(f.alice.address, f.bob.address),
  };
}

async function expectUnchanged(f: InKindFixture, action: () => Promise<unknown>) {
  const before = await snapshot(f);
  await action();
  expect(await snapshot(f)).to.deep.equal(before);
}

/** A taxi `redeemSend` of `amount` LP of `holder` to `to` on the far chain (zero fees as configured). */
async function redeemSendToFar(f: InKindFixture, holder: HardhatEthersSigner, to: string, amount: bigint) {
  const sendParam = {
    dstEid: REMOTE_EID,
    to: ethers.zeroPadValue(to, 32),
    amountLD: amount,
    minAmountLD: amount,
    extraOptions: "0x",
    composeMsg: "0x",
    oftCmd: "0x",
  };
  const fee = await f.pool.connect(holder).quoteRedeemSend(sendParam, false);
  return f.pool
    .connect(holder)
    .redeemSend(sendParam, { nativeFee: fee.nativeFee, lzTokenFee: fee.lzTokenFee }, holder.address, {
      value: fee.nativeFee,
    });
}

describe("In-kind exit (issue 13.5) and exit options (issue 13.6)", function () {
  describe("when the pool's local credit is drained", function () {
    it("withdraw and redeem cannot pay, the in-kind exit hands the holder their LP, and redeemSend takes it to the far chain", async function () {
      const f = await loadFixture(drained);
      const adapter = await f.adapter.getAddress();
      const shares = await f.vault.balanceOf(f.alice.address);
      // Nothing is liquid: the vault truthfully offers no ordinary exit.
      expect(await f.localCredit()).to.equal(0n);
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(0n);
      expect(await f.vault.maxRedeem(f.alice.address)).to.equal(0n);
      await expect(f.vault.connect(f.alice).withdraw(f.u(1), f.alice.address, f.alice.address))
        .to.be.revertedWithCustomError(f.vault, "InsufficientLiquidity")
        .withArgs(f.u(1));
      await expect(
        f.vault.connect(f.alice).redeem(shares, f.alice.address, f.alice.address),
      ).to.be.revertedWithCustomError(f.vault, "InsufficientLiquidity");

      const assets = await f.vault.convertToAssets(shares);
      const penalty = ceilDiv(assets * PENALTY_BPS, BPS);
      const out = assets - penalty;
      expect(await f.vault.previewRedeemInKind(shares)).to.deep.equal([assets, penalty, out]);
      expect(await f.vault.maxRedeemInKind(adapter, f.alice.address)).to.equal(shares);
      const before = await snapshot(f);

      const tx = f.vault.connect(f.alice).redeemInKind(adapter, shares, f.alice.address, f.alice.address, out);
      await expect(tx)
        .to.emit(f.vault, "InKindExit")
        .withArgs(f.alice.address, f.alice.address, f.alice.address, adapter, shares, assets, penalty, out);
      await expect(tx).to.emit(f.adapter, "InKindReleased").withArgs(f.alice.address, out);
      const after = await snapshot(f);
      expect(after.aliceLp).to.equal(out);
      expect(after.alice).to.equal(0n);
      expect(after.totalSupply).to.equal(before.totalSupply - shares);
      // Only `out` left the books: debt (vault and adapter) and the farm position fall by it, idle is untouched.
      expect(after.debt).to.equal(before.debt - out);
      expect(after.adapterDebt).to.equal(before.adapterDebt - out);
      expect(after.staked).to.equal(before.staked - out);
      expect(after.idle).to.equal(before.idle);
      expect(after.totalAssets).to.equal(before.totalAssets - out);

      // Alice bridges the LP out: the local pool burns it against its credit toward the far chain, whose pool pays.
      const farBefore = await f.net.remote.usdc.balanceOf(f.alice.address);
      const pathBefore = await creditOf(f.net.local, "usdc", REMOTE_EID);
      await redeemSendToFar(f, f.alice, f.alice.address, out);
      expect(await f.lp.balanceOf(f.alice.address)).to.equal(0n);
      expect((await f.net.remote.usdc.balanceOf(f.alice.address)) - farBefore).to.equal(out);
      expect(pathBefore - (await creditOf(f.net.local, "usdc", REMOTE_EID))).to.equal(out);
    });

    it("the LP taken in kind is redeemed locally once the planner brings credit back", async function () {
      const f = await loadFixture(drained);
      const shares = await f.vault.balanceOf(f.bob.address);
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      await f.vault.connect(f.bob).redeemInKind(f.adapter, shares, f.bob.address, f.bob.address, out);
      await expect(f.pool.connect(f.bob).redeem(out, f.bob.address)).to.be.reverted;
      await f.creditBack(out);
      const before = await f.usdc.balanceOf(f.bob.address);
      await f.pool.connect(f.bob).redeem(out, f.bob.address);
      expect((await f.usdc.balanceOf(f.bob.address)) - before).to.equal(out);
    });

    it("the penalty stays in the vault: those who stay gain it and nobody is diluted", async function () {
      const f = await loadFixture(drained);
      const shares = await f.vault.balanceOf(f.alice.address);
      const stayers = [f.bob.address, f.carol.address];
      const worth = async () => {
        let sum = 0n;
        for (const who of stayers) sum += await f.vault.convertToAssets(await f.vault.balanceOf(who));
        return sum;
      };
      const before = await worth();
      const [, penalty, out] = await f.vault.previewRedeemInKind(shares);
      expect(penalty).to.be.gt(0n);
      await f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out);
      const gained = (await worth()) - before;
      // The stayers gain the whole penalty, to the rounding of two conversions (and the virtual share's sliver).
      expect(gained).to.be.lte(penalty);
      expect(gained).to.be.gte(penalty - 3n);
      // Price per share did not fall for anyone.
      expect(await f.vault.convertToAssets(10n ** 18n)).to.be.gte(f.u(1));
    });

    it("the holder's reward stream is settled first: what they earned stays claimable, and the farm's push on the unstake stays with the adapter for the others", async function () {
      const f = await loadFixture(drained);
      const stg = await f.stg.getAddress();
      await time.increase(DAY);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      await time.increase(2 * DAY);
      const shares = await f.vault.balanceOf(f.alice.address);
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      const adapterStgBefore = await f.stg.balanceOf(await f.adapter.getAddress());
      await f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out);
      const earned = await f.distributor.earned(f.alice.address, stg);
      expect(earned).to.be.gt(0n);
      // Unstaking pushed the farm's pending STG to the adapter, where the next harvest streams it to the holders.
      expect(await f.stg.balanceOf(await f.adapter.getAddress())).to.be.gt(adapterStgBefore);
      await time.increase(2 * DAY);
      // No shares, no more stream: what she earned up to the exit is exactly what she can claim.
      expect(await f.distributor.earned(f.alice.address, stg)).to.equal(earned);
      await f.distributor.connect(f.alice).claim([stg], f.alice.address);
      expect(await f.stg.balanceOf(f.alice.address)).to.equal(earned);
      // Bob, who stays, keeps earning.
      expect(await f.distributor.earned(f.bob.address, stg)).to.be.gt(earned);
    });

    it("a spender exits in kind for the owner with an allowance, which it spends", async function () {
      const f = await loadFixture(drained);
      const shares = (await f.vault.balanceOf(f.alice.address)) / 2n;
      await f.vault.connect(f.alice).approve(f.bob.address, shares + 7n);
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      await expect(f.vault.connect(f.bob).redeemInKind(f.adapter, shares, f.bob.address, f.alice.address, out))
        .to.emit(f.vault, "InKindExit")
        .withArgs(
          f.bob.address,
          f.bob.address,
          f.alice.address,
          await f.adapter.getAddress(),
          shares,
          anyValue,
          anyValue,
          out,
        );
      expect(await f.vault.allowance(f.alice.address, f.bob.address)).to.equal(7n);
      expect(await f.lp.balanceOf(f.bob.address)).to.equal(out);
    });

    it("works while deposits are paused and after a shutdown (exits are never closed)", async function () {
      const f = await loadFixture(drained);
      await f.vault.connect(f.guardian).setPaused(true);
      let shares = (await f.vault.balanceOf(f.alice.address)) / 2n;
      let [, , out] = await f.vault.previewRedeemInKind(shares);
      await f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out);
      await f.vault.connect(f.guardian).shutdown();
      shares = await f.vault.balanceOf(f.alice.address);
      [, , out] = await f.vault.previewRedeemInKind(shares);
      await f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(0n);
    });

    it("maxRedeemInKind is bounded by what the adapter can hand out, and that amount goes through", async function () {
      const f = await loadFixture(baseFixture);
      // Bring 250,000 back to idle: the adapter keeps 50,000 of LP, less than alice's 100,000.
      await f.vault.connect(f.allocator).deallocate(f.adapter, f.u(250_000));
      await f.creditAway(await f.localCredit());
      const adapter = await f.adapter.getAddress();
      expect(await f.vault.inKindAvailable(adapter)).to.equal(f.u(50_000));
      const max = await f.vault.maxRedeemInKind(adapter, f.alice.address);
      expect(max).to.be.lt(await f.vault.balanceOf(f.alice.address));
      const [, , out] = await f.vault.previewRedeemInKind(max);
      expect(out).to.be.lte(f.u(50_000));
      expect(out).to.be.gte(f.u(50_000) - 2n);
      await f.vault.connect(f.alice).redeemInKind(adapter, max, f.alice.address, f.alice.address, out);
      // The adapter's position is spent: nothing more goes out in kind.
      await expect(
        f.vault.connect(f.bob).redeemInKind(adapter, f.u(1) * 10n ** 12n, f.bob.address, f.bob.address, 0n),
      ).to.be.revertedWithCustomError(f.vault, "InKindAboveAvailable");
    });
  });

  describe("the queue's reserved liquidity", function () {
    it("takes no idle: liquidity reserved for the queue stays for it", async function () {
      const f = await loadFixture(baseFixture);
      // 50,000 back to idle, then the credit is drained: idle is the only liquidity.
      await f.vault.connect(f.allocator).deallocate(f.adapter, f.u(50_000));
      await f.creditAway(await f.localCredit());
      // Carol queues 40,000 worth; the allocator's release reserves 40,000 of idle for her.
      const carolShares = await f.vault.convertToShares(f.u(40_000));
      await f.queue.connect(f.carol).requestRedeem(carolShares, f.carol.address, f.carol.address);
      await f.vault.connect(f.allocator).prepareRelease(f.slow, f.u(40_000));
      const reserve = await f.vault.queueReserve();
      expect(reserve).to.be.gt(f.u(39_999));
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.u(50_000) - reserve);

      const shares = await f.vault.balanceOf(f.alice.address);
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      await f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out);
      expect(await f.vault.totalIdle()).to.equal(f.u(50_000));
      expect(await f.vault.queueReserve()).to.equal(reserve);
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.u(50_000) - reserve);
      // The queue settles carol's request in full from the reserved idle.
      await time.increase(DAY);
      await f.queue.settle();
      expect(await f.queue.pendingRedeemRequest(0, f.carol.address)).to.equal(0n);
      expect(await f.queue.claimableRedeemRequest(0, f.carol.address)).to.equal(carolShares);
    });

    it("in a bank run, queued holders gain their share of the penalty and the queue settles as credit returns", async function () {
      const f = await loadFixture(drained);
      // Carol queues everything; alice leaves in kind; bob stays.
      const carolShares = await f.vault.balanceOf(f.carol.address);
      await f.queue.connect(f.carol).requestRedeem(carolShares, f.carol.address, f.carol.address);
      const queuedBefore = await f.vault.convertToAssets(carolShares);
      const bobBefore = await f.vault.convertToAssets(await f.vault.balanceOf(f.bob.address));
      const shares = await f.vault.balanceOf(f.alice.address);
      const [, penalty, out] = await f.vault.previewRedeemInKind(shares);
      await f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out);
      const queuedAfter = await f.vault.convertToAssets(carolShares);
      const bobAfter = await f.vault.convertToAssets(await f.vault.balanceOf(f.bob.address));
      // Each of the two 100,000 holders left gets half the penalty (to rounding).
      expect(queuedAfter - queuedBefore).to.be.closeTo(penalty / 2n, 2n);
      expect(bobAfter - bobBefore).to.be.closeTo(penalty / 2n, 2n);
      // The planner brings 60,000 back: the window closes and the queue fills carol with it, at the vault's price.
      await f.creditBack(f.u(60_000));
      await time.increase(DAY);
      await f.queue.settle();
      const claimable = await f.queue.claimableRedeemRequest(0, f.carol.address);
      expect(claimable).to.be.gt(0n);
      expect(await f.queue.pendingRedeemRequest(0, f.carol.address)).to.equal(carolShares - claimable);
      const before = await f.usdc.balanceOf(f.carol.address);
      await f.queue.connect(f.carol).redeem(claimable, f.carol.address, f.carol.address);
      expect(await f.usdc.balanceOf(f.carol.address)).to.be.closeTo(before + f.u(60_000), 1n);
      // Bob, who stays, kept his worth through it all.
      expect(await f.vault.convertToAssets(await f.vault.balanceOf(f.bob.address))).to.be.gte(bobAfter);
    });

    it("refuses an exit that would cut the adapter's liquid part below what the reserve needs", async function () {
      const f = await loadFixture(baseFixture);
      // The async adapter holds 200,000 that cannot be released; Stargate keeps 100,000 with full local credit.
      await f.vault.connect(f.allocator).deallocate(f.adapter, f.u(200_000));
      await f.vault.connect(f.allocator).allocate(f.slow, f.u(200_000));
      await f.slowTarget.setLiquidity(0n);
      // Carol queues 60,000 worth, and a release reserves it: covered only by Stargate's liquid LP.
      await f.queue
        .connect(f.carol)
        .requestRedeem(await f.vault.convertToShares(f.u(60_000)), f.carol.address, f.carol.address);
      await f.vault.connect(f.allocator).prepareRelease(f.slow, f.u(60_000));
      const reserve = await f.vault.queueReserve();
      expect(await f.vault.liquidAssets()).to.equal(f.u(100_000) - reserve);
      // Alice's 100,000 in kind (99,500 out) would leave 500 of LP for a 60,000 reserve.
      const shares = await f.vault.balanceOf(f.alice.address);
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out))
          .to.be.revertedWithCustomError(f.vault, "InsufficientLiquidity")
          .withArgs(reserve - (f.u(100_000) - out)),
      );
      // What leaves the reserve whole goes through: 40,000 worth.
      const part = await f.vault.convertToShares(f.u(40_000));
      const [, , partOut] = await f.vault.previewRedeemInKind(part);
      await f.vault.connect(f.alice).redeemInKind(f.adapter, part, f.alice.address, f.alice.address, partOut);
      expect(await f.vault.queueReserve()).to.equal(reserve);
    });
  });

  describe("bad input changes nothing", function () {
    it("reverts ZeroShares for zero shares", async function () {
      const f = await loadFixture(drained);
      await expectUnchanged(f, () =>
        expect(
          f.vault.connect(f.alice).redeemInKind(f.adapter, 0n, f.alice.address, f.alice.address, 0n),
        ).to.be.revertedWithCustomError(f.vault, "ZeroShares"),
      );
    });

    it("reverts ZeroAddress for a zero receiver", async function () {
      const f = await loadFixture(drained);
      await expectUnchanged(f, () =>
        expect(
          f.vault.connect(f.alice).redeemInKind(f.adapter, f.u(1), ethers.ZeroAddress, f.alice.address, 0n),
        ).to.be.revertedWithCustomError(f.vault, "ZeroAddress"),
      );
    });

    it("reverts AdapterNotEnabled for an address that is not an adapter", async function () {
      const f = await loadFixture(drained);
      const stranger = f.farLp.address;
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeemInKind(stranger, f.u(1), f.alice.address, f.alice.address, 0n))
          .to.be.revertedWithCustomError(f.vault, "AdapterNotEnabled")
          .withArgs(stranger),
      );
    });

    it("reverts InKindUnsupported for an enabled adapter without IInKindAdapter", async function () {
      const f = await loadFixture(drained);
      const shares = await f.vault.balanceOf(f.alice.address);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeemInKind(f.slow, shares, f.alice.address, f.alice.address, 0n))
          .to.be.revertedWithCustomError(f.vault, "InKindUnsupported")
          .withArgs(f.slow),
      );
    });

    it("reverts ZeroAmount for shares worth nothing", async function () {
      const f = await loadFixture(drained);
      // One share unit is worth 10^-12 USDC: nothing would leave.
      await expectUnchanged(f, () =>
        expect(
          f.vault.connect(f.alice).redeemInKind(f.adapter, 1n, f.alice.address, f.alice.address, 0n),
        ).to.be.revertedWithCustomError(f.vault, "ZeroAmount"),
      );
    });

    it("reverts InKindAboveAvailable for more than the adapter's position", async function () {
      const f = await loadFixture(baseFixture);
      await f.vault.connect(f.allocator).deallocate(f.adapter, f.u(250_000));
      const shares = await f.vault.balanceOf(f.alice.address);
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, 0n))
          .to.be.revertedWithCustomError(f.vault, "InKindAboveAvailable")
          .withArgs(f.adapter, out, f.u(50_000)),
      );
    });

    it("reverts InKindBelowMin when the receiver would get less than minOut", async function () {
      const f = await loadFixture(drained);
      const shares = await f.vault.balanceOf(f.alice.address);
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out + 1n))
          .to.be.revertedWithCustomError(f.vault, "InKindBelowMin")
          .withArgs(out, out + 1n),
      );
    });

    it("minOut protects against a penalty raised between quote and execution", async function () {
      const f = await loadFixture(drained);
      const shares = await f.vault.balanceOf(f.alice.address);
      const [, , quoted] = await f.vault.previewRedeemInKind(shares);
      await f.vault.connect(f.curator).setInKindPenalty(200n);
      const [, , now] = await f.vault.previewRedeemInKind(shares);
      await expect(f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, quoted))
        .to.be.revertedWithCustomError(f.vault, "InKindBelowMin")
        .withArgs(now, quoted);
    });

    it("reverts ERC20InsufficientAllowance for a spender without allowance", async function () {
      const f = await loadFixture(drained);
      const shares = await f.vault.balanceOf(f.alice.address);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.bob).redeemInKind(f.adapter, shares, f.bob.address, f.alice.address, 0n))
          .to.be.revertedWithCustomError(f.core, "ERC20InsufficientAllowance")
          .withArgs(f.bob.address, 0n, shares),
      );
    });

    it("reverts ERC20InsufficientBalance for more shares than the owner holds", async function () {
      const f = await loadFixture(drained);
      const shares = (await f.vault.balanceOf(f.alice.address)) + 1n;
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, 0n))
          .to.be.revertedWithCustomError(f.core, "ERC20InsufficientBalance")
          .withArgs(f.alice.address, shares - 1n, shares),
      );
    });

    it("the adapter refuses releaseInKind from anyone but the vault, and more than it holds", async function () {
      const f = await loadFixture(drained);
      await expect(f.adapter.connect(f.alice).releaseInKind(1n, f.alice.address))
        .to.be.revertedWithCustomError(f.adapter, "NotVault")
        .withArgs(f.alice.address);
      const vault = await f.vault.getAddress();
      await impersonateAccount(vault);
      await setBalance(vault, ethers.parseEther("1"));
      const held = await f.adapter.inKindAvailable();
      await expect(f.adapter.connect(await ethers.getSigner(vault)).releaseInKind(held + 1n, f.alice.address))
        .to.be.revertedWithCustomError(f.adapter, "InKindAboveHoldings")
        .withArgs(held + 1n, held);
    });
  });

  describe("positions that are not handed out at book value", function () {
    async function withMockInKind() {
      const f = await loadFixture(baseFixture);
      const mock = await new MockInKindAdapter__factory(f.owner).deploy(await f.vault.getAddress());
      await f.vault.connect(f.curator).addAdapter(await mock.getAddress(), MAX_CAP, 10_000);
      await f.vault.connect(f.allocator).deallocate(f.adapter, f.u(100_000));
      await f.vault.connect(f.allocator).allocate(mock, f.u(100_000));
      return { f, mock };
    }

    it("reverts InKindLoss for an adapter whose real assets are below its books", async function () {
      const { f, mock } = await withMockInKind();
      await mock.setLoss(f.u(10_000));
      const shares = (await f.vault.balanceOf(f.alice.address)) / 2n;
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeemInKind(mock, shares, f.alice.address, f.alice.address, 0n))
          .to.be.revertedWithCustomError(f.vault, "InKindLoss")
          .withArgs(mock, f.u(90_000), f.u(100_000)),
      );
    });

    it("inKindAvailable offers nothing from a losing adapter or one whose totalAssets cannot be read", async function () {
      const { f, mock } = await withMockInKind();
      expect(await f.vault.inKindAvailable(mock)).to.equal(f.u(100_000));
      await mock.setLoss(1n);
      expect(await f.vault.inKindAvailable(mock)).to.equal(0n);
      expect(await f.vault.maxRedeemInKind(mock, f.alice.address)).to.equal(0n);
      await mock.setLoss(0n);
      await mock.setBroken(1n);
      expect(await f.vault.inKindAvailable(mock)).to.equal(0n);
    });

    it("exitOptions counts an adapter whose views revert as offering nothing, never reverting itself", async function () {
      const { f, mock } = await withMockInKind();
      await mock.setBroken(2n + 4n);
      const options = await f.queue.exitOptions([REMOTE_EID]);
      const option = options.find((o) => o.adapter === mock.target)!;
      expect(option.liquid).to.equal(0n);
      expect(option.inKind).to.equal(f.u(100_000));
      expect(option.inKindToken).to.equal(ethers.ZeroAddress);
      expect(option.bridgeable).to.deep.equal([0n]);
    });

    it("reverts InKindLoss when the adapter hands out more than the exit booked", async function () {
      const { f, mock } = await withMockInKind();
      await mock.setExtra(f.u(1));
      const shares = (await f.vault.balanceOf(f.alice.address)) / 2n;
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.alice).redeemInKind(mock, shares, f.alice.address, f.alice.address, 0n))
          .to.be.revertedWithCustomError(f.vault, "InKindLoss")
          .withArgs(mock, f.u(100_000) - out - f.u(1), f.u(100_000) - out),
      );
      // Without the fault the same exit goes through, at book value.
      await mock.setExtra(0n);
      await f.vault.connect(f.alice).redeemInKind(mock, shares, f.alice.address, f.alice.address, out);
      expect((await f.vault.adapterConfig(mock)).debt).to.equal(f.u(100_000) - out);
    });
  });

  describe("maxRedeemInKind never offers what the call refuses", function () {
    it("is zero when what the adapter holds would hand out nothing after the penalty", async function () {
      const f = await loadFixture(baseFixture);
      const mock = await new MockInKindAdapter__factory(f.owner).deploy(await f.vault.getAddress());
      await f.vault.connect(f.curator).addAdapter(await mock.getAddress(), MAX_CAP, 10_000);
      await f.vault.connect(f.allocator).deallocate(f.adapter, f.u(1));
      await f.vault.connect(f.allocator).allocate(mock, 1n);
      expect(await f.vault.inKindAvailable(mock)).to.equal(1n);
      // One wei's worth of shares: the 0.5% penalty, rounded up, takes it all.
      expect(await f.vault.maxRedeemInKind(mock, f.alice.address)).to.equal(0n);
      const oneWei = await f.vault.convertToShares(1n);
      await expect(
        f.vault.connect(f.alice).redeemInKind(mock, oneWei, f.alice.address, f.alice.address, 0n),
      ).to.be.revertedWithCustomError(f.vault, "ZeroAmount");
    });
  });

  describe("the penalty (curator, capped at 2%)", function () {
    it("refuses more than 200 bps with InKindPenaltyTooHigh", async function () {
      const f = await loadFixture(baseFixture);
      await expect(f.vault.connect(f.curator).setInKindPenalty(201n))
        .to.be.revertedWithCustomError(f.vault, "InKindPenaltyTooHigh")
        .withArgs(201n, 200n);
    });

    it("is the curator's (or owner's) alone", async function () {
      const f = await loadFixture(baseFixture);
      await expect(f.vault.connect(f.alice).setInKindPenalty(10n))
        .to.be.revertedWithCustomError(f.vault, "Unauthorized")
        .withArgs(f.alice.address);
    });

    it("refuses the value already set", async function () {
      const f = await loadFixture(baseFixture);
      await expect(f.vault.connect(f.curator).setInKindPenalty(PENALTY_BPS)).to.be.revertedWithCustomError(
        f.vault,
        "AlreadySet",
      );
    });

    it("raising waits out the timelock, lowering is immediate; each change is an event", async function () {
      const f = await loadFixture(baseFixture);
      await f.vault.connect(f.owner).setTimelock(DAY);
      await expect(f.vault.connect(f.curator).setInKindPenalty(100n)).to.be.revertedWithCustomError(
        f.vault,
        "NotSubmitted",
      );
      const data = f.vault.interface.encodeFunctionData("setInKindPenalty", [100n]);
      await f.vault.connect(f.curator).submit(data);
      await time.increase(DAY);
      await expect(f.vault.connect(f.curator).setInKindPenalty(100n))
        .to.emit(f.vault, "InKindPenaltySet")
        .withArgs(100n);
      expect(await f.vault.inKindPenalty()).to.equal(100n);
      await expect(f.vault.connect(f.curator).setInKindPenalty(0n)).to.emit(f.vault, "InKindPenaltySet").withArgs(0n);
      expect(await f.vault.inKindPenalty()).to.equal(0n);
    });
  });

  describe("adapters where an exit in kind makes no sense", function () {
    it("a vote-escrow vault refuses it: one veNFT, locked, split permissioned, carrying votes", async function () {
      const s = await deployVoteEscrowSuite();
      const [holder] = s.holders;
      await s.vault.connect(holder).deposit(ethers.parseEther("1000"), holder.address);
      await s.vault.connect(s.allocator).allocate(s.adapter, ethers.parseEther("1000"));
      const shares = await s.vault.balanceOf(holder.address);
      await expect(s.vault.connect(holder).redeemInKind(s.adapter, shares, holder.address, holder.address, 0n))
        .to.be.revertedWithCustomError(s.vault, "InKindUnsupported")
        .withArgs(s.adapter);
      expect(await s.vault.inKindAvailable(s.adapter)).to.equal(0n);
      expect(await s.vault.maxRedeemInKind(s.adapter, holder.address)).to.equal(0n);
    });

    it("a cooldown-staking vault refuses it: the stake is not transferable and each holder would need a cooldown", async function () {
      const s = await deployCooldownSuite();
      const [holder] = s.holders;
      await s.vault.connect(holder).deposit(ethers.parseEther("1000"), holder.address);
      await s.vault.connect(s.allocator).allocate(s.adapter, ethers.parseEther("1000"));
      const shares = await s.vault.balanceOf(holder.address);
      await expect(s.vault.connect(holder).redeemInKind(s.adapter, shares, holder.address, holder.address, 0n))
        .to.be.revertedWithCustomError(s.vault, "InKindUnsupported")
        .withArgs(s.adapter);
    });

    it("a plain staking vault and an ERC-4626 vault refuse it too (their exits are already liquid)", async function () {
      const roles = await getRoles();
      const token = await new MockERC20__factory(roles.owner).deploy("Gov", "GOV", 18);
      const staking = await deployStakingVault(roles, token, await token.getAddress(), 7 * DAY);
      await expect(
        staking.vault
          .connect(roles.alice)
          .redeemInKind(staking.adapter, 1n, roles.alice.address, roles.alice.address, 0n),
      )
        .to.be.revertedWithCustomError(staking.vault, "InKindUnsupported")
        .withArgs(staking.adapter);
      const f = await deploy6();
      await expect(f.vault.connect(f.alice).redeemInKind(f.adapter, 1n, f.alice.address, f.alice.address, 0n))
        .to.be.revertedWithCustomError(f.vault, "InKindUnsupported")
        .withArgs(f.adapter);
    });
  });

  describe("exitOptions: where a holder can go when local credit is short (issue 13.6)", function () {
    it("shows no liquidity, the LP in kind and the credit toward the far chain for redeemSend", async function () {
      const f = await loadFixture(drained);
      const options = await f.queue.exitOptions([REMOTE_EID, LOCAL_EID]);
      expect(options.length).to.equal(2);
      const [stargate, slow] = options;
      expect(stargate.adapter).to.equal(await f.adapter.getAddress());
      expect(stargate.liquid).to.equal(0n);
      expect(stargate.inKindToken).to.equal(await f.lp.getAddress());
      expect(stargate.inKind).to.equal(f.u(300_000));
      expect(stargate.bridgeable).to.deep.equal([f.u(500_000), 0n]);
      // The async adapter holds nothing and has no in-kind exit.
      expect(slow.adapter).to.equal(await f.slow.getAddress());
      expect([slow.liquid, slow.inKindToken, slow.inKind, slow.bridgeable.length]).to.deep.equal([
        0n,
        ethers.ZeroAddress,
        0n,
        0,
      ]);
    });

    it("follows the credit: back locally, it shows as liquid; a paused pool bridges nothing", async function () {
      const f = await loadFixture(drained);
      await f.creditBack(f.u(120_000));
      let [stargate] = await f.queue.exitOptions([REMOTE_EID, LOCAL_EID]);
      expect(stargate.liquid).to.equal(f.u(120_000));
      expect(stargate.bridgeable).to.deep.equal([f.u(500_000), f.u(120_000)]);
      await setPoolPaused(f.net, f.net.local, "usdc", true);
      [stargate] = await f.queue.exitOptions([REMOTE_EID]);
      expect(stargate.bridgeable).to.deep.equal([0n]);
      expect(stargate.inKind).to.equal(f.u(300_000));
    });

    it("vault:status shows, per adapter, what can be taken in kind and as which token, and the penalty", async function () {
      const f = await loadFixture(drained);
      const log = console.log;
      const lines: string[] = [];
      console.log = (...args: unknown[]) => void lines.push(args.join(" "));
      let status: VaultStatus;
      try {
        status = (await hre.run("vault:status", { vault: await f.vault.getAddress() })) as VaultStatus;
      } finally {
        console.log = log;
      }
      expect(status.inKindPenalty).to.equal(PENALTY_BPS);
      expect(status.adapters[0].inKind).to.deep.equal({ token: await f.lp.getAddress(), available: f.u(300_000) });
      expect(status.adapters[1].inKind).to.equal(undefined);
      const lp = await f.lp.getAddress();
      expect(lines).to.include(`    in kind: 300,000 USDC as ${lp} (redeemInKind, penalty 50 bps)`);
    });

    it("after an in-kind exit, shows what is left to take in kind", async function () {
      const f = await loadFixture(drained);
      const shares = await f.vault.balanceOf(f.alice.address);
      const [, , out] = await f.vault.previewRedeemInKind(shares);
      await f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out);
      const [stargate] = await f.queue.exitOptions([]);
      expect(stargate.inKind).to.equal(f.u(300_000) - out);
      expect(stargate.bridgeable).to.deep.equal([]);
    });
  });
});
