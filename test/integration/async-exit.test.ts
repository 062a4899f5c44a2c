import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { IRollupVault, RedemptionQueue } from "../../typechain-types";
import {
  COOLDOWN,
  DAY,
  HOUR,
  UNSTAKE_WINDOW,
  WEEK,
  deployCooldownSuite,
  deployVoteEscrowSuite,
  expectNoStrayBalances,
  fundStakedTokenRewards,
  stopStakedTokenRewards,
} from "../helpers/suite";

const gov = (n: number) => ethers.parseEther(n.toString());
/** Request status as the queue's enum numbers it. */
const Status = { Pending: 1n, Claimable: 2n, Claimed: 3n, Cancelled: 4n } as const;

/** What `fulfill` would serve now (its return value), without serving it. */
async function fulfillPreview(queue: RedemptionQueue, max = 10n) {
  const [served, assets] = await queue.fulfill.staticCall(max);
  return { served, assets };
}

/**
 * Off-chain replay of the vault's redemptions at the current books: each redemption pays
 * floor(shares * (totalAssets + 1) / (totalSupply + 1)) (18-decimal asset: no decimals offset) and leaves the
 * rest of the books to the next one.
 */
async function expectedPayouts(vault: IRollupVault, sharesList: bigint[]) {
  let assets = await vault.totalAssets();
  let supply = await vault.totalSupply();
  return sharesList.map((shares) => {
    const paid = (shares * (assets + 1n)) / (supply + 1n);
    assets -= paid;
    supply -= shares;
    return paid;
  });
}

describe("Integration: asynchronous exits through the redemption queue", function () {
  describe("a governance-token vault fully staked behind a cooldown", function () {
    /** Four holders (40k, 30k, 20k, 10k GOV) fully staked; the program streams 5,000 GOV a week. */
    async function stakedFixture() {
      const s = await deployCooldownSuite();
      const deposits = [40_000, 30_000, 20_000, 10_000];
      for (const [i, holder] of s.holders.entries())
        await s.vault.connect(holder).deposit(gov(deposits[i]), holder.address);
      await s.vault.connect(s.allocator).allocate(await s.adapter.getAddress(), gov(100_000));
      await fundStakedTokenRewards(s.staking, s.gov, gov(5_000));
      // Gains reach the share price at the report, so the fulfilment price is known in advance.
      await s.vault.connect(s.curator).setProfitUnlockTime(0);
      return s;
    }

    async function request(queue: RedemptionQueue, holder: HardhatEthersSigner, shares: bigint) {
      const id = await queue.nextRequestId();
      await queue.connect(holder).requestRedeem(shares, holder.address, holder.address);
      return id;
    }

    it("serves requests in order after the cooldown, at the fulfilled price, and needs a new cooldown after the window", async function () {
      const s = await loadFixture(stakedFixture);
      const { vault, queue, adapter, staking, keeper } = s;
      const [h0, h1, h2, h3] = s.holders;
      const adapterAddress = await adapter.getAddress();

      // Fully allocated: nobody can withdraw now.
      expect(await vault.totalIdle()).to.equal(0n);
      for (const holder of s.holders) expect(await vault.maxWithdraw(holder.address)).to.equal(0n);
      await expect(vault.connect(h0).withdraw(1n, h0.address, h0.address))
        .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
        .withArgs(1n);

      // Holders queue instead: h0 all, h1 half, h2 all, h3 a quarter.
      const id0 = await request(queue, h0, gov(40_000));
      const id1 = await request(queue, h1, gov(15_000));
      const id2 = await request(queue, h2, gov(20_000));
      const id3 = await request(queue, h3, gov(2_500));
      expect(await queue.pendingShares()).to.equal(gov(77_500));
      expect(await queue.releaseSchedule()).to.deep.equal([]);
      expect(await fulfillPreview(queue)).to.deep.equal({ served: 0n, assets: 0n });

      // The keeper starts the cooldown; the views say what frees and when.
      const tx = await vault.connect(keeper).prepareRelease(adapterAddress, await queue.pendingAssets());
      // The stkAAVE-shaped program lets the shares go from start + COOLDOWN_SECONDS (inclusive).
      const readyAt = BigInt(await time.latest()) + BigInt(COOLDOWN);
      await expect(tx).to.emit(adapter, "CooldownStarted").withArgs(gov(100_000), readyAt);
      expect(await adapter.pendingRelease()).to.deep.equal([gov(100_000), readyAt]);
      expect(await queue.releaseSchedule()).to.deep.equal([[adapterAddress, gov(100_000), readyAt]]);

      // h3 changes its mind before fulfilment and gets its shares back.
      await expect(queue.connect(h3).cancelRedeemRequest(id3))
        .to.emit(queue, "RedeemRequestCancelled")
        .withArgs(id3, h3.address, h3.address, gov(2_500));
      expect(await vault.balanceOf(h3.address)).to.equal(gov(10_000));

      // While cooling, the week's staking rewards are harvested (GOV: they stay in the adapter) and reported.
      await time.increase(WEEK);
      await stopStakedTokenRewards(staking);
      await time.increase(DAY);
      const reward = await staking.getTotalRewardsBalance(adapterAddress);
      await vault.connect(keeper).harvest(adapterAddress);
      await vault.connect(keeper).report(adapterAddress);
      expect(await vault.totalAssets()).to.equal(gov(100_000) + reward);
      // The loose reward is liquid, but the head request (40k shares) does not fit it: nothing is served.
      expect(await vault.liquidAssets()).to.equal(reward);
      expect(await fulfillPreview(queue)).to.deep.equal({ served: 0n, assets: 0n });
      await queue.fulfill(10);
      expect(await queue.head()).to.equal(id0);
      expect(await queue.claimableAssets()).to.equal(0n);

      // Cooldown over: the whole stake is releasable in its window and the queue is served in order.
      await time.increaseTo(readyAt);
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await vault.liquidAssets()).to.equal(gov(100_000) + reward);
      const payouts = await expectedPayouts(vault, [gov(40_000), gov(15_000), gov(20_000)]);
      await expect(queue.fulfill(10))
        .to.emit(queue, "RedeemRequestFulfilled")
        .withArgs(id0, h0.address, gov(40_000), payouts[0])
        .and.to.emit(queue, "RedeemRequestFulfilled")
        .withArgs(id1, h1.address, gov(15_000), payouts[1])
        .and.to.emit(queue, "RedeemRequestFulfilled")
        .withArgs(id2, h2.address, gov(20_000), payouts[2]);
      expect(await queue.head()).to.equal(id3 + 1n);
      for (const [i, id] of [id0, id1, id2].entries()) {
        const r = await queue.getRequest(id);
        expect(r.status).to.equal(Status.Claimable);
        expect(r.assets).to.equal(payouts[i]);
      }
      // The fulfilled price carries the staking reward: 40k shares got more than 40k GOV.
      expect(payouts[0]).to.be.gt(gov(40_000) + (reward * 39n) / 100n);

      // Claims pay what was fulfilled, whatever the price does next: h0 by shares, h1 by assets in two steps.
      let before = await s.gov.balanceOf(h0.address);
      await queue.connect(h0).redeem(gov(40_000), h0.address, h0.address);
      expect((await s.gov.balanceOf(h0.address)) - before).to.equal(payouts[0]);
      before = await s.gov.balanceOf(h1.address);
      await queue.connect(h1).withdraw(payouts[1] / 3n, h1.address, h1.address);
      await queue.connect(h1).redeem(await queue.maxRedeem(h1.address), h1.address, h1.address);
      expect((await s.gov.balanceOf(h1.address)) - before).to.equal(payouts[1]);
      expect((await queue.getRequest(id1)).status).to.equal(Status.Claimed);
      await expectNoStrayBalances({ vault, adapters: [{ address: adapterAddress }], queue });

      // A request made inside the window is served at once; the stake keeps its cooldown until the window ends.
      const id4 = await request(queue, h1, gov(5_000));
      await queue.fulfill(10);
      expect((await queue.getRequest(id4)).status).to.equal(Status.Claimable);

      // Second wave, after the window: nothing is releasable until a new cooldown has run.
      await time.increaseTo(readyAt + BigInt(UNSTAKE_WINDOW) + 1n);
      expect(await adapter.cooldownActive()).to.equal(false);
      expect(await vault.liquidAssets()).to.equal(0n);
      const id5 = await request(queue, h3, gov(10_000));
      expect(await fulfillPreview(queue)).to.deep.equal({ served: 0n, assets: 0n });
      expect(await queue.releaseSchedule()).to.deep.equal([]);
      await vault.connect(keeper).prepareRelease(adapterAddress, await queue.pendingAssets());
      const readyAgain = BigInt(await time.latest()) + BigInt(COOLDOWN);
      const staked = await adapter.staked();
      expect(await queue.releaseSchedule()).to.deep.equal([[adapterAddress, staked, readyAgain]]);
      await time.increaseTo(readyAgain - 1n);
      expect(await fulfillPreview(queue)).to.deep.equal({ served: 0n, assets: 0n });
      await time.increaseTo(readyAgain);
      const [payout5] = await expectedPayouts(vault, [gov(10_000)]);
      await expect(queue.fulfill(10))
        .to.emit(queue, "RedeemRequestFulfilled")
        .withArgs(id5, h3.address, gov(10_000), payout5);

      // The price rises after the fulfilments (a new staking period, harvested and reported): h2, claiming only
      // now, still gets exactly what its request was fulfilled for.
      await fundStakedTokenRewards(staking, s.gov, gov(1_000));
      await time.increase(WEEK);
      await stopStakedTokenRewards(staking);
      await time.increase(1);
      await vault.connect(keeper).harvest(adapterAddress);
      await vault.connect(keeper).report(adapterAddress);
      expect(await vault.convertToAssets(gov(20_000))).to.be.gt(payouts[2]);
      before = await s.gov.balanceOf(h2.address);
      await queue.connect(h2).redeem(gov(20_000), h2.address, h2.address);
      expect((await s.gov.balanceOf(h2.address)) - before).to.equal(payouts[2]);
      // The reward sits loose in the adapter until the next allocation stakes it (the window is over by now).
      expect(await s.gov.balanceOf(adapterAddress)).to.be.gt(0n);
      await vault.connect(h3).deposit(gov(1), h3.address);
      await vault.connect(s.allocator).allocate(adapterAddress, gov(1));
      expect(await s.gov.balanceOf(adapterAddress)).to.equal(0n);

      // Everyone left claims; the books close with nothing stray.
      for (const holder of [h1, h3]) {
        const claimable = await queue.maxRedeem(holder.address);
        await queue.connect(holder).redeem(claimable, holder.address, holder.address);
        expect(await queue.maxWithdraw(holder.address)).to.equal(0n);
      }
      expect(await queue.claimableAssets()).to.equal(0n);
      expect(await queue.pendingShares()).to.equal(0n);
      await expectNoStrayBalances({
        vault,
        adapters: [{ address: adapterAddress }],
        distributor: s.distributor,
        holders: s.holders.map((h) => h.address),
        queue,
      });
      // What remains in the vault is the shares nobody redeemed, fully backed by the stake.
      expect(await vault.totalAssets()).to.equal(await adapter.totalAssets());
      expect(await vault.convertToAssets(await vault.totalSupply())).to.be.lte(await adapter.totalAssets());
    });

    it("reverts a claim above what was fulfilled, changing nothing", async function () {
      const s = await loadFixture(stakedFixture);
      const { vault, queue, adapter, keeper } = s;
      const [h0] = s.holders;
      await request(queue, h0, gov(1_000));
      await vault.connect(keeper).prepareRelease(await adapter.getAddress(), gov(1_000));
      await time.increase(COOLDOWN + 1);
      await queue.fulfill(1);
      const claimable = await queue.maxRedeem(h0.address);
      expect(claimable).to.equal(gov(1_000));
      const before = [await queue.claimableAssets(), await s.gov.balanceOf(h0.address)];
      await expect(queue.connect(h0).redeem(claimable + 1n, h0.address, h0.address))
        .to.be.revertedWithCustomError(queue, "ExceedsClaimable")
        .withArgs(h0.address, claimable + 1n, claimable);
      expect([await queue.claimableAssets(), await s.gov.balanceOf(h0.address)]).to.deep.equal(before);
      await expectNoStrayBalances({ vault, adapters: [{ address: await adapter.getAddress() }], queue });
    });
  });

  describe("a VELO vault with a permanent vote-escrow lock", function () {
    /** h0 20k, h1 and h2 10k each; 30k locked permanently, 10k idle. */
    async function lockedFixture() {
      const s = await deployVoteEscrowSuite();
      const deposits = [20_000, 10_000, 10_000];
      for (const [i, holder] of s.holders.entries())
        await s.vault.connect(holder).deposit(gov(deposits[i]), holder.address);
      await s.vault.connect(s.allocator).allocate(await s.adapter.getAddress(), gov(30_000));
      return s;
    }

    it("bounds maxWithdraw by idle and tells, through the views, what is pending and when it frees", async function () {
      const s = await loadFixture(lockedFixture);
      const { vault, queue, adapter, escrow, keeper } = s;
      const [h0, h1, h2] = s.holders;
      const adapterAddress = await adapter.getAddress();

      // A permanent lock never frees by itself: only idle is withdrawable, and no date is known.
      expect(await vault.totalIdle()).to.equal(gov(10_000));
      expect(await vault.liquidAssets()).to.equal(gov(10_000));
      for (const holder of s.holders) expect(await vault.maxWithdraw(holder.address)).to.equal(gov(10_000));
      expect(await adapter.releasable()).to.equal(0n);
      expect(await adapter.pendingRelease()).to.deep.equal([gov(30_000), ethers.MaxUint256]);
      expect(await queue.releaseSchedule()).to.deep.equal([[adapterAddress, gov(30_000), ethers.MaxUint256]]);

      // h0 queues its whole position; idle cannot cover it, so nothing is served.
      const id0 = await queue.nextRequestId();
      await queue.connect(h0).requestRedeem(gov(20_000), h0.address, h0.address);
      expect(await queue.fulfillableShares()).to.equal(gov(10_000));
      expect(await fulfillPreview(queue)).to.deep.equal({ served: 0n, assets: 0n });

      // The keeper turns the permanent lock into a four-year one: the views now give its end.
      await vault.connect(keeper).prepareRelease(adapterAddress, gov(20_000));
      const tokenId = await adapter.tokenId();
      const end = (await escrow.locked(tokenId)).end;
      const expectedEnd = ((BigInt(await time.latest()) + 4n * 365n * BigInt(DAY)) / BigInt(WEEK)) * BigInt(WEEK);
      expect(end).to.equal(expectedEnd);
      expect(await adapter.releasing()).to.equal(true);
      expect(await adapter.pendingRelease()).to.deep.equal([gov(30_000), end]);
      expect(await queue.releaseSchedule()).to.deep.equal([[adapterAddress, gov(30_000), end]]);

      // h1 takes the idle directly meanwhile; then nobody can withdraw until the lock ends.
      await vault.connect(h1).withdraw(gov(10_000), h1.address, h1.address);
      for (const holder of s.holders) expect(await vault.maxWithdraw(holder.address)).to.equal(0n);
      await time.increaseTo(end - 1n);
      expect(await fulfillPreview(queue)).to.deep.equal({ served: 0n, assets: 0n });

      // At the lock's end the whole lock is releasable and the queue is served.
      await time.increaseTo(end);
      expect(await adapter.releasable()).to.equal(gov(30_000));
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await queue.releaseSchedule()).to.deep.equal([]);
      expect(await vault.maxWithdraw(h2.address)).to.equal(gov(10_000));
      await expect(queue.fulfill(10))
        .to.emit(queue, "RedeemRequestFulfilled")
        .withArgs(id0, h0.address, gov(20_000), gov(20_000));
      // The NFT is withdrawn whole: what the queue did not need stays loose in the adapter, releasable.
      expect(await adapter.tokenId()).to.equal(0n);
      expect(await s.velo.balanceOf(adapterAddress)).to.equal(gov(10_000));
      await queue.connect(h0).redeem(gov(20_000), h0.address, h0.address);
      // Documented leftover: the adapter keeps the unrequested part loose until it is deallocated or withdrawn.
      await expectNoStrayBalances({
        vault,
        adapters: [{ address: adapterAddress, dust: gov(10_000) }],
        distributor: s.distributor,
        holders: s.holders.map((h) => h.address),
        queue,
      });
      await vault.connect(s.allocator).deallocate(adapterAddress, gov(10_000));
      await expectNoStrayBalances({ vault, adapters: [{ address: adapterAddress }], queue });
      expect(await vault.maxWithdraw(h2.address)).to.equal(gov(10_000));
    });

    it("waits for the votes to be resettable before releasing, and the views count the Voter's first hour", async function () {
      const s = await loadFixture(lockedFixture);
      const { vault, queue, adapter, escrow, voter, keeper, allocator, pool } = s;
      const [h0, h1] = s.holders;
      const adapterAddress = await adapter.getAddress();
      const week = BigInt(WEEK);
      const hour = BigInt(HOUR);
      const nextEpoch = async () => {
        const now = BigInt(await time.latest());
        return now - (now % week) + week;
      };

      // The allocator votes the NFT in an epoch's voting window.
      let epoch = await nextEpoch();
      await time.increaseTo(epoch + 2n * hour);
      await adapter.connect(allocator).vote([pool], [1n]);
      expect(await escrow.voted(await adapter.tokenId())).to.equal(true);

      // The votes of this epoch stand: the keeper cannot start the release before the next epoch's first hour.
      await expect(vault.connect(keeper).prepareRelease(adapterAddress, gov(20_000)))
        .to.be.revertedWithCustomError(adapter, "VotesStandUntil")
        .withArgs(epoch + week + hour + 1n);
      expect(await adapter.releasing()).to.equal(false);
      expect(await adapter.pendingRelease()).to.deep.equal([gov(30_000), ethers.MaxUint256]);

      await time.increaseTo(epoch + week + hour + 1n);
      await vault.connect(keeper).prepareRelease(adapterAddress, gov(20_000));
      const end = (await escrow.locked(await adapter.tokenId())).end;
      expect(await escrow.voted(await adapter.tokenId())).to.equal(false);
      expect(await adapter.pendingRelease()).to.deep.equal([gov(30_000), end]);

      // Voting again while the lock runs down moves the release past the Voter's first hour after the end.
      epoch = await nextEpoch();
      await time.increaseTo(epoch + 2n * hour);
      await adapter.connect(allocator).vote([pool], [1n]);
      expect(await voter.votes(await adapter.tokenId(), pool)).to.be.gt(0n);
      expect(await adapter.pendingRelease()).to.deep.equal([gov(30_000), end + hour + 1n]);
      expect(await queue.releaseSchedule()).to.deep.equal([[adapterAddress, gov(30_000), end + hour + 1n]]);

      const id = await queue.nextRequestId();
      await queue.connect(h0).requestRedeem(gov(20_000), h0.address, h0.address);
      await time.increaseTo(end + 1n);
      expect(await adapter.releasable()).to.equal(0n);
      expect(await vault.maxWithdraw(h1.address)).to.equal(gov(10_000));
      expect(await fulfillPreview(queue)).to.deep.equal({ served: 0n, assets: 0n });

      await time.increaseTo(end + hour + 1n);
      expect(await adapter.pendingRelease()).to.deep.equal([0n, 0n]);
      expect(await adapter.releasable()).to.equal(gov(30_000));
      await expect(queue.fulfill(10))
        .to.emit(queue, "RedeemRequestFulfilled")
        .withArgs(id, h0.address, gov(20_000), gov(20_000))
        .and.to.emit(adapter, "VotesReset");
      expect(await adapter.tokenId()).to.equal(0n);
      // The queue took the vault's 10k idle first and 10k from the withdrawn lock; the other 20k stay loose.
      expect(await s.velo.balanceOf(adapterAddress)).to.equal(gov(20_000));
      await queue.connect(h0).redeem(gov(20_000), h0.address, h0.address);
      await vault.connect(allocator).deallocate(adapterAddress, gov(20_000));
      expect(await vault.totalIdle()).to.equal(gov(20_000));
      await expectNoStrayBalances({
        vault,
        adapters: [{ address: adapterAddress }],
        distributor: s.distributor,
        holders: s.holders.map((h) => h.address),
        queue,
      });
    });
  });
});
