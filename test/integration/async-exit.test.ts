import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { RedemptionQueue__factory, type IRollupVault, type RedemptionQueue } from "../../typechain-types";
import { deploy6 } from "../helpers/fixtures";
import {
  DAY,
  WEEK,
  deployCooldownSuite,
  deployStargateSuite,
  deployVoteEscrowSuite,
  expectNoStrayBalances,
  fundStakedTokenRewards,
  stopStakedTokenRewards,
} from "../helpers/suite";

/**
 * Issue 13: exits that never wait on an operator, and fair exits when liquidity is short. Each scenario runs the
 * real adapter of its kind; "silent operators" means no call at all from the owner, curator, allocator, guardian or
 * keeper after the setup: every step is taken by a holder or a stranger.
 */

const gov = (n: number) => ethers.parseEther(n.toString());
const LIVENESS = BigInt(7 * DAY);

/** Sets `queue` as the vault's redemption queue (the deploy modules do the same, before the timelock is raised). */
async function wire(vault: IRollupVault, queue: RedemptionQueue, owner: HardhatEthersSigner) {
  await vault.connect(owner).setRedemptionQueue(await queue.getAddress());
}

async function closeWindow(queue: RedemptionQueue) {
  await time.increaseTo(await queue.windowClosesAt());
}

async function pendingOf(queue: RedemptionQueue, who: HardhatEthersSigner) {
  return queue.pendingRedeemRequest(0, who.address);
}

async function filledOf(queue: RedemptionQueue, who: HardhatEthersSigner) {
  return queue.claimableRedeemRequest(0, who.address);
}

/** Filled / requested of each holder, in parts per 10^18. */
async function fractions(queue: RedemptionQueue, requested: [HardhatEthersSigner, bigint][]) {
  return Promise.all(requested.map(async ([who, shares]) => ((await filledOf(queue, who)) * 10n ** 18n) / shares));
}

describe("Integration: fair asynchronous exits (issue 13)", function () {
  describe("a governance-token vault fully staked behind a cooldown (StakingAdapter)", function () {
    /** Four holders (40k, 30k, 20k, 10k GOV) fully staked; the program streams 5,000 GOV a week. */
    async function stakedFixture() {
      const s = await deployCooldownSuite();
      const deposits = [40_000, 30_000, 20_000, 10_000];
      for (const [i, holder] of s.holders.entries())
        await s.vault.connect(holder).deposit(gov(deposits[i]), holder.address);
      await s.vault.connect(s.allocator).allocate(await s.adapter.getAddress(), gov(100_000));
      await fundStakedTokenRewards(s.staking, s.gov, gov(5_000));
      await s.vault.connect(s.curator).setProfitUnlockTime(0);
      await wire(s.vault, s.queue, s.owner);
      return s;
    }

    it("a keeper frees the stake; the window's requests are filled together and the books close clean", async function () {
      const s = await loadFixture(stakedFixture);
      const { vault, queue, adapter, keeper } = s;
      const [h0, h1, , h3] = s.holders;
      const adapterAddress = await adapter.getAddress();
      expect(await vault.maxWithdraw(h0.address)).to.equal(0n);
      await queue.connect(h0).requestRedeem(gov(40_000), h0.address, h0.address);
      await queue.connect(h1).requestRedeem(gov(15_000), h1.address, h1.address);
      await queue.connect(h3).requestRedeem(gov(2_500), h3.address, h3.address);
      await queue.connect(h3).cancelRedeemRequest(gov(2_500), h3.address);

      await vault.connect(keeper).prepareRelease(adapterAddress, await queue.pendingAssets());
      expect(await vault.queueReserve()).to.equal(gov(55_000));
      const [release] = await queue.releaseSchedule();
      // The week's emission ends while the stake cools down (the stkAAVE-shaped program streams until stopped).
      await time.increase(WEEK);
      await stopStakedTokenRewards(s.staking);
      await time.increaseTo(release.readyAt);
      // The stake is releasable, but 55k of it is the queue's: h2 can take only the rest.
      expect(await vault.liquidAssets()).to.equal((await adapter.releasable()) - gov(55_000));
      await vault.connect(keeper).harvest(adapterAddress);
      await vault.connect(keeper).report(adapterAddress);
      const price = await vault.convertToAssets(gov(1));
      expect(price).to.be.gt(gov(1));
      await queue.settle();
      expect(await filledOf(queue, h0)).to.equal(gov(40_000));
      expect(await filledOf(queue, h1)).to.equal(gov(15_000));
      // Both at the settlement's price, which carried the staking reward.
      expect(await queue.maxWithdraw(h0.address)).to.be.closeTo((gov(40_000) * price) / gov(1), gov(1) / 10n ** 12n);
      await queue.connect(h0).redeem(gov(40_000), h0.address, h0.address);
      await queue.connect(h1).redeem(gov(15_000), h1.address, h1.address);
      await expectNoStrayBalances({ vault, adapters: [{ address: adapterAddress }], queue });
    });

    it("with every operator silent, a holder exits after the liveness delay (issue 13.1)", async function () {
      const s = await loadFixture(stakedFixture);
      const { vault, queue, adapter } = s;
      const [h0, , , h3] = s.holders;
      const stranger = s.attacker;
      const adapterAddress = await adapter.getAddress();
      await queue.connect(h3).requestRedeem(gov(10_000), h3.address, h3.address);
      const opensAt = (await queue.waitingSince()) + LIVENESS;
      await expect(queue.connect(stranger).livenessRelease(adapterAddress))
        .to.be.revertedWithCustomError(queue, "LivenessNotOpen")
        .withArgs(opensAt);

      await time.increaseTo(opensAt);
      // Anyone starts the cooldown for the amount queued, and realises the staking gain for the leaver.
      await expect(queue.connect(stranger).livenessRelease(adapterAddress)).to.emit(adapter, "CooldownStarted");
      const [release] = await queue.releaseSchedule();
      await time.increaseTo(release.readyAt);
      await expect(queue.connect(stranger).livenessReport(adapterAddress)).to.emit(vault, "Reported");
      const worth = await vault.convertToAssets(gov(10_000));
      await queue.connect(stranger).settle();
      expect(await filledOf(queue, h3)).to.equal(gov(10_000));
      const before = await s.gov.balanceOf(h3.address);
      await queue.connect(h3).redeem(gov(10_000), h3.address, h3.address);
      expect((await s.gov.balanceOf(h3.address)) - before).to.equal(worth);
      // Those who stay keep their value: h0's shares are worth what the books say, nothing was taken from them.
      expect(await vault.convertToAssets(await vault.balanceOf(h0.address))).to.be.gte(gov(40_000));
      await expectNoStrayBalances({ vault, adapters: [{ address: adapterAddress }], queue });
    });
  });

  describe("a VELO vault with a permanent vote-escrow lock (VoteEscrowAdapter)", function () {
    /** h0 20k, h1 and h2 10k each; 30k locked permanently, 10k idle. */
    async function lockedFixture() {
      const s = await deployVoteEscrowSuite();
      const deposits = [20_000, 10_000, 10_000];
      for (const [i, holder] of s.holders.entries())
        await s.vault.connect(holder).deposit(gov(deposits[i]), holder.address);
      await s.vault.connect(s.allocator).allocate(await s.adapter.getAddress(), gov(30_000));
      await wire(s.vault, s.queue, s.owner);
      return s;
    }

    it("with every operator silent, anyone starts the lock's release after the delay and the holder exits (issue 13.1)", async function () {
      const s = await loadFixture(lockedFixture);
      const { vault, queue, adapter, escrow } = s;
      const [h0, h1] = s.holders;
      const stranger = s.attacker;
      const adapterAddress = await adapter.getAddress();
      await queue.connect(h0).requestRedeem(gov(20_000), h0.address, h0.address);
      await time.increaseTo((await queue.waitingSince()) + LIVENESS);
      // The permanent lock is turned into a four-year one by a stranger, for the amount queued; that is reserved.
      await expect(queue.connect(stranger).livenessRelease(adapterAddress)).to.emit(adapter, "ReleaseStarted");
      expect(await adapter.releasing()).to.equal(true);
      expect(await vault.queueReserve()).to.equal(gov(20_000));
      // The 10k idle now belongs to the queue: h1 cannot take it directly.
      expect(await vault.maxWithdraw(h1.address)).to.equal(0n);
      await expect(vault.connect(h1).withdraw(gov(1), h1.address, h1.address)).to.be.revertedWithCustomError(
        vault,
        "InsufficientLiquidity",
      );
      // First settlement: idle fills half of h0's request; the rest waits for the lock.
      await queue.connect(stranger).settle();
      expect(await filledOf(queue, h0)).to.equal(gov(10_000));
      expect(await pendingOf(queue, h0)).to.equal(gov(10_000));
      const end = (await escrow.locked(await adapter.tokenId())).end;
      await time.increaseTo(end);
      await queue.connect(stranger).settle();
      expect(await filledOf(queue, h0)).to.equal(gov(20_000));
      await queue.connect(h0).redeem(gov(20_000), h0.address, h0.address);
      expect(await s.velo.balanceOf(h0.address)).to.equal(gov(100_000));
    });

    it("a bank run: early and late requesters of one window get the same fraction; who stays is not diluted (issue 13.4)", async function () {
      const s = await loadFixture(lockedFixture);
      const { vault, queue } = s;
      const [h0, h1, h2] = s.holders;
      const stayerBefore = await vault.convertToAssets(await vault.balanceOf(h2.address));
      // h0 rushes at the window's start, h1 hours later; only the 10k idle is liquid.
      await queue.connect(h0).requestRedeem(gov(20_000), h0.address, h0.address);
      await time.increase(20 * 3600);
      await queue.connect(h1).requestRedeem(gov(5_000), h1.address, h1.address);
      await closeWindow(queue);
      // Calling settle first gives no edge: it fills both by the same fraction, 10k / 25k.
      await queue.connect(h1).settle();
      const [f0, f1] = await fractions(queue, [
        [h0, gov(20_000)],
        [h1, gov(5_000)],
      ]);
      expect(f0).to.be.closeTo(4n * 10n ** 17n, 10n);
      expect(f1).to.be.closeTo(4n * 10n ** 17n, 10n);
      expect(await vault.convertToAssets(await vault.balanceOf(h2.address))).to.equal(stayerBefore);
      expect(await vault.convertToAssets(gov(1))).to.equal(gov(1));
    });
  });

  describe("an ERC-4626 vault whose target is illiquid (ERC4626Adapter)", function () {
    it("with every operator silent, a holder exits once the target pays, with the gain reported by a stranger (issue 13.1)", async function () {
      const f = await deploy6();
      const queue = await new RedemptionQueue__factory(f.owner).deploy(await f.vault.getAddress());
      await f.vault.setRedemptionQueue(await queue.getAddress());
      await f.vault.connect(f.curator).setProfitUnlockTime(0);
      await f.vault.connect(f.alice).deposit(f.units(1_000), f.alice.address);
      await f.vault.connect(f.bob).deposit(f.units(1_000), f.bob.address);
      await f.vault.connect(f.allocator).allocate(await f.adapter.getAddress(), f.units(2_000));
      await f.target.setLiquidity(0);
      // The operators go silent. The target earns 10%.
      await f.asset.mint(await f.target.getAddress(), f.units(200));
      const shares = await f.vault.balanceOf(f.alice.address);
      await f.vault.connect(f.alice).approve(await queue.getAddress(), shares);
      await queue.connect(f.alice).requestRedeem(shares, f.alice.address, f.alice.address);
      await expect(
        queue.connect(f.attacker).livenessReport(await f.adapter.getAddress()),
      ).to.be.revertedWithCustomError(queue, "LivenessNotOpen");
      await time.increaseTo((await queue.waitingSince()) + LIVENESS);
      await queue.connect(f.attacker).livenessReport(await f.adapter.getAddress());
      // Nothing to start for a liquid protocol: the target's liquidity comes back by itself.
      await f.target.setLiquidity(ethers.MaxUint256);
      await queue.connect(f.attacker).settle();
      expect(await queue.maxWithdraw(f.alice.address)).to.be.closeTo(f.units(1_100), 1n);
      await queue.connect(f.alice).redeem(shares, f.alice.address, f.alice.address);
      expect(await f.vault.convertToAssets(await f.vault.balanceOf(f.bob.address))).to.be.closeTo(f.units(1_100), 1n);
    });
  });

  describe("a USDC bridge vault while the pool's credit is away (StargateV2Adapter, real Stargate V2)", function () {
    /** Four holders of 50k USDC each, everything in the pool, then the planner moves all the local credit away. */
    async function drainedFixture() {
      const s = await deployStargateSuite();
      const queue = await new RedemptionQueue__factory(s.owner).deploy(await s.vault.getAddress());
      await wire(s.vault, queue, s.owner);
      const u = s.usdcUnits;
      for (const h of s.holders.slice(0, 4)) {
        await s.vault.connect(h).deposit(u(50_000), h.address);
        await s.vault.connect(h).approve(await queue.getAddress(), ethers.MaxUint256);
      }
      await s.vault.connect(s.allocator).allocate(await s.adapter.getAddress(), u(200_000));
      const away = await s.localCredit();
      await s.creditAway(away);
      expect(await s.localCredit()).to.equal(0n);
      return { ...s, queue, u, away };
    }

    it("a bank run: every requester of the window gets the same fraction as credit trickles back; the stayer is not diluted (issue 13.4)", async function () {
      const s = await loadFixture(drainedFixture);
      const { vault, queue, u } = s;
      const [h0, h1, h2, h3] = s.holders;
      expect(await vault.maxWithdraw(h0.address)).to.equal(0n);
      const stayerBefore = await vault.convertToAssets(await vault.balanceOf(h3.address));
      const requested: [HardhatEthersSigner, bigint][] = [
        [h0, await vault.balanceOf(h0.address)],
        [h1, (await vault.balanceOf(h1.address)) / 2n],
        [h2, (await vault.balanceOf(h2.address)) / 10n],
      ];
      // The run: h0 first, h1 and h2 later in the same window.
      for (const [who, shares] of requested) {
        await queue.connect(who).requestRedeem(shares, who.address, who.address);
        await time.increase(6 * 3600);
      }
      await closeWindow(queue);
      // A trickle of credit returns (the planner sends some back): 16k of the 80k queued.
      await s.creditBack(u(16_000));
      await queue.connect(s.attacker).settle();
      const first = await fractions(queue, requested);
      for (const fr of first) expect(fr).to.be.closeTo(2n * 10n ** 17n, 10n ** 6n);
      // A late requester of the next window joins the rest; more credit fills everyone pooled pro rata again.
      await queue.connect(h3).requestRedeem((await vault.balanceOf(h3.address)) / 5n, h3.address, h3.address);
      await closeWindow(queue);
      await s.creditBack(s.away - u(16_000));
      await queue.connect(s.attacker).settle();
      for (const [who, shares] of requested) expect(await filledOf(queue, who)).to.be.closeTo(shares, 2n);
      // Nobody who stayed lost value: h3's remaining shares are worth what they were.
      const h3Left = await vault.balanceOf(h3.address);
      expect(await vault.convertToAssets(h3Left)).to.be.closeTo((stayerBefore * 4n) / 5n, 1n);
      for (const who of [h0, h1, h2, h3]) {
        await queue.connect(who).redeem(await queue.maxRedeem(who.address), who.address, who.address);
      }
      expect(await queue.claimableAssets()).to.be.lte(2n);
    });

    it("with every operator silent, settlement needs nobody once credit returns", async function () {
      const s = await loadFixture(drainedFixture);
      const { vault, queue, u } = s;
      const [h0] = s.holders;
      const shares = await vault.balanceOf(h0.address);
      await queue.connect(h0).requestRedeem(shares, h0.address, h0.address);
      await closeWindow(queue);
      await expect(queue.connect(s.attacker).settle()).to.be.revertedWithCustomError(queue, "NothingToSettle");
      await time.increase(WEEK);
      await s.creditBack(u(60_000));
      await queue.connect(s.attacker).settle();
      await queue.connect(h0).redeem(shares, h0.address, h0.address);
      expect(await s.usdc.balanceOf(h0.address)).to.equal(u(1_000_000));
    });
  });
});
