import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import {
  IRollupVault__factory,
  RedemptionQueue__factory,
  RewardsDistributor__factory,
  RollupVault__factory,
  VaultAdmin__factory,
} from "../../typechain-types";
import { DAY, deployStargateSuite, expectNoStrayBalances, type StargateSuite } from "../helpers/suite";
import { taxi } from "../helpers/stargate";

/**
 * Rounding bound for a holder's rewards against the off-chain share-time expectation, per token: the distributor
 * rounds each settlement of a holder down (at most 1 unit) and each accumulator step down (less than one unit per
 * 1e27 shares; the remainder streams again). A holder settles a handful of times per token here, so it may get up
 * to 10 units (1e-17 of an 18-decimal token) less than its share-time, and never more. Seen: at most 3.
 */
const HOLDER_BOUND = 10n;
/** Bound on the per-holder rounding dust the distributor keeps in its books: one unit per settlement. Seen: 9. */
const DUST_BOUND = 100n;
/** Extra precision of the off-chain expectation. */
const SCALE = 10n ** 30n;
const WEEK_SECONDS = 7 * DAY;

/**
 * Off-chain model of the distributor: it replays the vault's share balances and each token's stream between
 * checkpoints (taken after every transaction of the scenario) and credits each holder
 * streamed * balance / supply for every interval. The stream of a token is linear between two notifies, so the
 * amount streamed over [t0, t1] is streaming(t0) * (min(t1, end) - t0) / (end - t0), read from `streamOf` at t0.
 */
class ShareTimeModel {
  readonly expected = new Map<string, Map<string, bigint>>();
  readonly harvested = new Map<string, bigint>();
  readonly claimed = new Map<string, Map<string, bigint>>();
  private last?: {
    t: bigint;
    supply: bigint;
    balances: Map<string, bigint>;
    streams: Map<string, { streaming: bigint; end: bigint }>;
  };
  checkpoints = 0;

  constructor(
    private readonly s: StargateSuite,
    readonly tokens: string[],
    readonly holders: string[],
  ) {
    for (const token of tokens) {
      this.expected.set(token, new Map(holders.map((h) => [h, 0n])));
      this.claimed.set(token, new Map(holders.map((h) => [h, 0n])));
      this.harvested.set(token, 0n);
    }
  }

  /** Accrues the interval since the last checkpoint at the old balances, then records the new state. */
  async checkpoint() {
    const t = BigInt(await time.latest());
    if (this.last && this.last.supply !== 0n) {
      for (const token of this.tokens) {
        const stream = this.last.streams.get(token)!;
        if (stream.streaming === 0n || stream.end <= this.last.t) continue;
        const until = t < stream.end ? t : stream.end;
        const streamedScaled = (stream.streaming * (until - this.last.t) * SCALE) / (stream.end - this.last.t);
        const perHolder = this.expected.get(token)!;
        for (const holder of this.holders) {
          const balance = this.last.balances.get(holder)!;
          perHolder.set(holder, perHolder.get(holder)! + (streamedScaled * balance) / this.last.supply);
        }
      }
    }
    const balances = new Map<string, bigint>();
    for (const holder of this.holders) balances.set(holder, await this.s.vault.balanceOf(holder));
    const streams = new Map<string, { streaming: bigint; end: bigint }>();
    for (const token of this.tokens) {
      const [streaming, end] = await this.s.distributor.streamOf(token);
      streams.set(token, { streaming, end });
    }
    this.last = { t, supply: await this.s.vault.totalSupply(), balances, streams };
    this.checkpoints++;
  }

  expectedOf(token: string, holder: string) {
    return this.expected.get(token)!.get(holder)! / SCALE;
  }

  claimedOf(token: string, holder: string) {
    return this.claimed.get(token)!.get(holder)!;
  }

  totalClaimed(token: string) {
    let sum = 0n;
    for (const amount of this.claimed.get(token)!.values()) sum += amount;
    return sum;
  }
}

describe("Integration: bridge liquidity with streamed farm rewards", function () {
  /** Runs a transaction and checkpoints the model right after it. */
  async function step(model: ShareTimeModel, tx: Promise<ContractTransactionResponse>) {
    await (await tx).wait();
    await model.checkpoint();
  }

  /** The keeper harvests; the distributor's balance change per token is what was harvested. */
  async function harvest(s: StargateSuite, model: ShareTimeModel) {
    const distributor = await s.distributor.getAddress();
    const before = await Promise.all([s.stg.balanceOf(distributor), s.op.balanceOf(distributor)]);
    await step(model, s.vault.connect(s.keeper).harvest(await s.adapter.getAddress()));
    const after = await Promise.all([s.stg.balanceOf(distributor), s.op.balanceOf(distributor)]);
    const stg = await s.stg.getAddress();
    const op = await s.op.getAddress();
    expect(after[0]).to.be.gt(before[0]);
    expect(after[1]).to.be.gt(before[1]);
    model.harvested.set(stg, model.harvested.get(stg)! + after[0] - before[0]);
    model.harvested.set(op, model.harvested.get(op)! + after[1] - before[1]);
  }

  /** `holder` claims `tokens` to itself; the model records what arrived. */
  async function claim(s: StargateSuite, model: ShareTimeModel, holder: HardhatEthersSigner, tokens: string[]) {
    const erc20 = (token: string) => (token === model.tokens[0] ? s.stg : s.op);
    const before = await Promise.all(tokens.map((token) => erc20(token).balanceOf(holder.address)));
    const earned = await Promise.all(tokens.map((token) => s.distributor.earned(holder.address, token)));
    await step(model, s.distributor.connect(holder).claim(tokens, holder.address));
    for (let i = 0; i < tokens.length; i++) {
      const got = (await erc20(tokens[i]).balanceOf(holder.address)) - before[i];
      // The claim settles one more second of streaming than the view before it saw.
      expect(got).to.be.gte(earned[i]);
      const perHolder = model.claimed.get(tokens[i])!;
      perHolder.set(holder.address, perHolder.get(holder.address)! + got);
    }
  }

  /**
   * Per token: the distributor holds exactly harvested - claimed; claims never exceed the harvest; and
   * claimed + earned by every holder + undistributed (still streaming, or not yet accounted) == harvested, up to
   * the distributor's documented rounding dust (accounted but owed to nobody).
   */
  async function expectConservation(s: StargateSuite, model: ShareTimeModel) {
    for (const token of model.tokens) {
      const harvested = model.harvested.get(token)!;
      const claimed = model.totalClaimed(token);
      const balance = await (token === model.tokens[0] ? s.stg : s.op).balanceOf(await s.distributor.getAddress());
      expect(claimed, "claims never exceed the harvest").to.be.lte(harvested);
      expect(claimed + balance, "claimed + held == harvested").to.equal(harvested);
      const [streaming, , accounted] = await s.distributor.streamOf(token);
      let earned = 0n;
      for (const holder of model.holders) earned += await s.distributor.earned(holder, token);
      const undistributed = streaming + (balance - accounted);
      const dust = harvested - (claimed + earned + undistributed);
      expect(dust, "conservation up to rounding dust").to.be.gte(0n);
      expect(dust, "conservation up to rounding dust").to.be.lte(DUST_BOUND);
    }
  }

  async function expectShareTime(s: StargateSuite, model: ShareTimeModel) {
    for (const token of model.tokens) {
      for (const holder of model.holders) {
        const actual = model.claimedOf(token, holder) + (await s.distributor.earned(holder, token));
        const expected = model.expectedOf(token, holder);
        expect(expected, "the expectation is not trivial").to.be.gt(10n ** 18n);
        expect(actual, `holder ${holder} gets no more than its share-time of ${token}`).to.be.lte(expected);
        expect(expected - actual, `holder ${holder} gets its share-time of ${token}`).to.be.lte(HOLDER_BOUND);
      }
    }
  }

  it("streams STG and OP to six holders by share-time through deposits, transfers, credit moves, bridge payouts and exits", async function () {
    const s = await loadFixture(deployStargateSuite);
    const { vault, pool, adapter, allocator, usdcUnits: u } = s;
    const [h0, h1, h2, h3, h4, h5] = s.holders;
    const stg = await s.stg.getAddress();
    const op = await s.op.getAddress();
    const adapterAddress = await adapter.getAddress();
    const model = new ShareTimeModel(
      s,
      [stg, op],
      s.holders.map((h) => h.address),
    );
    await model.checkpoint();

    // Week 0: two holders in, most of it bridged.
    await step(model, vault.connect(h0).deposit(u(100_000), h0.address));
    await step(model, vault.connect(h1).deposit(u(50_000), h1.address));
    await step(model, vault.connect(allocator).allocate(adapterAddress, u(140_000)));
    await time.increase(2 * DAY);
    await step(model, vault.connect(h2).deposit(u(30_000), h2.address));
    await harvest(s, model);
    expect(await s.distributor.rewardTokens()).to.deep.equal([stg, op]);
    await expectConservation(s, model);

    await time.increase(3 * DAY);
    await step(model, vault.connect(h3).deposit(u(80_000), h3.address));
    await step(model, vault.connect(allocator).allocate(adapterAddress, u(100_000)));
    await step(model, vault.connect(h0).transfer(h4.address, (await vault.balanceOf(h0.address)) / 5n));
    await expectConservation(s, model);

    // The planner sends the pool's local credit to the far chain but 5,000 USDC: withdrawals are bounded by idle +
    // credit. A bridger there spends 30,000 of it: the local pool pays the bridger out of its balance.
    const idle = await vault.totalIdle();
    expect(idle).to.equal(u(20_000));
    await s.creditAway((await s.localCredit()) - u(5_000));
    await model.checkpoint();
    const bridger = s.holders[5];
    const balanceBefore = await pool.poolBalance();
    expect(await taxi(s.net, "remote", "usdc", s.attacker, bridger.address, u(30_000))).to.equal(u(30_000));
    expect(await pool.poolBalance()).to.equal(balanceBefore - u(30_000));
    await model.checkpoint();
    expect(await vault.liquidAssets()).to.equal(idle + u(5_000));
    for (const holder of s.holders) {
      const owned = await vault.convertToAssets(await vault.balanceOf(holder.address));
      expect(await vault.maxWithdraw(holder.address)).to.equal(owned < idle + u(5_000) ? owned : idle + u(5_000));
    }
    expect(await vault.maxWithdraw(h0.address)).to.equal(u(25_000));
    // h1 takes what is liquid: all the idle and the remaining credit.
    const liquid = await vault.maxWithdraw(h1.address);
    const h1Before = await s.usdc.balanceOf(h1.address);
    await step(model, vault.connect(h1).withdraw(liquid, h1.address, h1.address));
    expect((await s.usdc.balanceOf(h1.address)) - h1Before).to.equal(liquid);
    expect(await vault.totalIdle()).to.equal(0n);
    expect(await s.localCredit()).to.equal(0n);
    for (const holder of s.holders) expect(await vault.maxWithdraw(holder.address)).to.equal(0n);
    expect(await vault.maxRedeem(h3.address)).to.equal(0n);
    // Deposits, transfers and harvests go on while the bridge is drained.
    await time.increase(4 * DAY);
    await step(model, vault.connect(h5).deposit(u(10_000), h5.address));
    expect(await vault.maxWithdraw(h5.address)).to.equal(u(10_000));
    expect(await vault.maxWithdraw(h3.address)).to.equal(u(10_000));
    await harvest(s, model);
    await claim(s, model, h0, [stg]);
    await claim(s, model, h2, [op, stg]);
    await expectConservation(s, model);

    // The credit returns: every holder can leave in full again.
    await s.creditBack(u(300_000));
    await model.checkpoint();
    for (const holder of s.holders) {
      expect(await vault.maxWithdraw(holder.address)).to.equal(
        await vault.convertToAssets(await vault.balanceOf(holder.address)),
      );
    }
    await step(model, vault.connect(h0).withdraw(u(40_000), h0.address, h0.address));
    await time.increase(7 * DAY);
    await harvest(s, model);
    await step(model, vault.connect(h3).transfer(h5.address, (await vault.balanceOf(h3.address)) / 2n));
    await step(model, vault.connect(h1).redeem(await vault.balanceOf(h1.address), h1.address, h1.address));
    expect(await vault.balanceOf(h1.address)).to.equal(0n);
    await claim(s, model, h4, [op]);
    await expectConservation(s, model);

    await time.increase(10 * DAY);
    await harvest(s, model);
    await step(model, vault.connect(h4).transfer(h2.address, (await vault.balanceOf(h4.address)) / 3n));
    await claim(s, model, h1, [stg, op]);
    await claim(s, model, h3, [stg]);
    await expectConservation(s, model);
    await expectShareTime(s, model);

    // Past every stream's end: everything harvested is claimed or claimable, to the rounding dust.
    await time.increase(8 * DAY);
    await model.checkpoint();
    for (const token of [stg, op]) expect((await s.distributor.streamOf(token))[0]).to.equal(0n);
    await claim(s, model, h5, [op, stg]);
    await claim(s, model, h0, [op]);
    await expectConservation(s, model);
    await expectShareTime(s, model);

    // A last harvest leaves the adapter with no reward tokens; nothing is stray anywhere.
    await harvest(s, model);
    await expectNoStrayBalances({
      vault,
      adapters: [{ address: adapterAddress }],
      rewardTokens: [stg, op],
      distributor: s.distributor,
      holders: model.holders,
    });
    expect(await adapter.totalAssets()).to.equal(await vault.totalDebt());
  });

  it("reverts a withdrawal above what the pool can pay while the planner has its credit away, changing nothing", async function () {
    const s = await loadFixture(deployStargateSuite);
    const { vault, adapter, allocator, usdcUnits: u } = s;
    const [h0] = s.holders;
    await vault.connect(h0).deposit(u(100_000), h0.address);
    await vault.connect(allocator).allocate(await adapter.getAddress(), u(90_000));
    await s.creditAway((await s.localCredit()) - u(5_000));
    const max = await vault.maxWithdraw(h0.address);
    expect(max).to.equal(u(15_000));
    const before = [await vault.balanceOf(h0.address), await vault.totalIdle(), await vault.totalDebt()];
    await expect(vault.connect(h0).withdraw(max + 1n, h0.address, h0.address))
      .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
      .withArgs(1n);
    expect([await vault.balanceOf(h0.address), await vault.totalIdle(), await vault.totalDebt()]).to.deep.equal(before);
    // Exactly the maximum goes through.
    await vault.connect(h0).withdraw(max, h0.address, h0.address);
    expect(await vault.maxWithdraw(h0.address)).to.equal(0n);
    await expectNoStrayBalances({ vault, adapters: [{ address: await adapter.getAddress() }] });
  });

  it("queues exits while the credit is away and serves them when the planner brings it back; escrowed shares earn for the queue", async function () {
    const s = await loadFixture(deployStargateSuite);
    const { vault, adapter, allocator, keeper, owner, usdcUnits: u } = s;
    const [h0, h1] = s.holders;
    const stg = await s.stg.getAddress();
    const op = await s.op.getAddress();
    const queue = await new RedemptionQueue__factory(owner).deploy(await vault.getAddress());
    const queueAddress = await queue.getAddress();
    const model = new ShareTimeModel(s, [stg, op], [h0.address, h1.address, queueAddress]);
    await model.checkpoint();
    await step(model, vault.connect(h0).deposit(u(50_000), h0.address));
    await step(model, vault.connect(h1).deposit(u(50_000), h1.address));
    await step(model, vault.connect(allocator).allocate(await adapter.getAddress(), u(100_000)));
    await s.creditAway(await s.localCredit());
    await model.checkpoint();
    expect(await vault.maxWithdraw(h0.address)).to.equal(0n);

    await time.increase(DAY);
    await harvest(s, model);
    await time.increase(DAY);

    // h0 queues its whole position; nothing can be served while the pool has no credit.
    const shares = await vault.balanceOf(h0.address);
    await step(model, vault.connect(h0).approve(queueAddress, shares));
    await step(model, queue.connect(h0).requestRedeem(shares, h0.address, h0.address));
    await time.increase(2 * DAY);
    await expect(queue.settle()).to.be.revertedWithCustomError(queue, "NothingToSettle");

    // The planner brings credit back and the keeper settles in the same breath: h0 gets its 50,000 USDC at the books' price.
    await s.creditBack(u(60_000));
    await model.checkpoint();
    await expect(queue.connect(keeper).settle())
      .to.emit(queue, "Settled")
      .withArgs(keeper.address, shares, shares, u(50_000));
    await model.checkpoint();
    const before = await s.usdc.balanceOf(h0.address);
    await step(model, queue.connect(h0).redeem(shares, h0.address, h0.address));
    expect((await s.usdc.balanceOf(h0.address)) - before).to.equal(u(50_000));

    // Rewards streamed to the escrowed shares are owed to the queue (its documented behaviour): h0's share-time
    // stops at its request, and the books still balance with the queue counted as a holder.
    await time.increase(2 * WEEK_SECONDS);
    await model.checkpoint();
    for (const token of [stg, op]) expect(await s.distributor.earned(queueAddress, token)).to.be.gt(0n);
    await expectConservation(s, model);
    await expectShareTime(s, model);

    // Those rewards are not stuck: anyone can have the queue claim them to the vault's skim recipient.
    const skimRecipient = await vault.skimRecipient();
    const owed = [await s.distributor.earned(queueAddress, stg), await s.distributor.earned(queueAddress, op)];
    const skimBefore = [await s.stg.balanceOf(skimRecipient), await s.op.balanceOf(skimRecipient)];
    await expect(queue.connect(h1).claimRewards([stg, op]))
      .to.emit(queue, "RewardsClaimed")
      .withArgs(await s.distributor.getAddress(), skimRecipient, [stg, op], owed);
    await model.checkpoint();
    expect((await s.stg.balanceOf(skimRecipient)) - skimBefore[0]).to.equal(owed[0]);
    expect((await s.op.balanceOf(skimRecipient)) - skimBefore[1]).to.equal(owed[1]);
    for (const [i, token] of [stg, op].entries()) {
      expect(await s.distributor.earned(queueAddress, token)).to.equal(0n);
      model.claimed.get(token)!.set(queueAddress, owed[i]);
    }
    await expectConservation(s, model);
    await expectNoStrayBalances({
      vault,
      adapters: [{ address: await adapter.getAddress() }],
      distributor: s.distributor,
      holders: model.holders,
      queue,
    });
  });

  it("streams again what streamed while every holder had left, to those who came back", async function () {
    const s = await loadFixture(deployStargateSuite);
    const { vault, adapter, allocator, distributor, usdcUnits: u } = s;
    const [h0, h1, h2] = s.holders;
    const stg = await s.stg.getAddress();
    const op = await s.op.getAddress();
    const model = new ShareTimeModel(s, [stg, op], [h0.address, h1.address, h2.address]);
    await model.checkpoint();
    await step(model, vault.connect(h0).deposit(u(20_000), h0.address));
    await step(model, vault.connect(allocator).allocate(await adapter.getAddress(), u(20_000)));
    await time.increase(DAY);
    await harvest(s, model);
    await time.increase(2 * DAY);

    // The only holder leaves mid-stream: the vault is empty for two days.
    await step(model, vault.connect(h0).redeem(await vault.balanceOf(h0.address), h0.address, h0.address));
    expect(await vault.totalSupply()).to.equal(0n);
    const exitedAt = BigInt(await time.latest());
    const [streamingAtExit, end, accountedAtExit] = await distributor.streamOf(stg);
    await time.increase(2 * DAY);
    const tx = await vault.connect(h1).deposit(u(5_000), h1.address);
    await model.checkpoint();
    // What streamed over the empty days leaves the books (it is owed to no one) and streams again later.
    const depositedAt = BigInt(await time.latest());
    const released = (streamingAtExit * (depositedAt - exitedAt)) / (end - exitedAt);
    await expect(tx).to.emit(distributor, "RewardsHeld").withArgs(stg, released);
    const [streamingAfter, , accountedAfter] = await distributor.streamOf(stg);
    expect(streamingAfter).to.equal(streamingAtExit - released);
    expect(accountedAfter).to.equal(accountedAtExit - released);
    expect(await distributor.earned(h1.address, stg)).to.equal(0n);
    await expectConservation(s, model);

    await step(model, vault.connect(h2).deposit(u(15_000), h2.address));
    await time.increase(DAY);
    // The next harvest streams the held part again, with the farm's new rewards, to the holders now present.
    await harvest(s, model);
    await time.increase(2 * 7 * DAY);
    await model.checkpoint();
    await claim(s, model, h0, [stg, op]);
    await claim(s, model, h1, [stg, op]);
    await claim(s, model, h2, [stg]);
    await expectConservation(s, model);
    await expectShareTime(s, model);
    // Everything harvested is now either claimed or owed (h2's OP), to the rounding dust.
    for (const token of [stg, op]) {
      const [streaming, , accounted] = await distributor.streamOf(token);
      expect(streaming).to.equal(0n);
      const held = await (token === stg ? s.stg : s.op).balanceOf(await distributor.getAddress());
      expect(held - accounted).to.equal(0n);
    }
    await expectNoStrayBalances({
      vault,
      adapters: [{ address: await adapter.getAddress() }],
      distributor,
      holders: model.holders,
    });
  });

  describe("the queue's claim of what its escrow earned", function () {
    /** The Stargate suite with a queue whose escrow earned STG and OP for a day. */
    async function queueEarnedFixture() {
      const s = await deployStargateSuite();
      const [h0, h1] = s.holders;
      const queue = await new RedemptionQueue__factory(s.owner).deploy(await s.vault.getAddress());
      await s.vault.connect(h0).deposit(s.usdcUnits(10_000), h0.address);
      await s.vault.connect(h1).deposit(s.usdcUnits(10_000), h1.address);
      await s.vault.connect(s.allocator).allocate(await s.adapter.getAddress(), s.usdcUnits(20_000));
      await s.creditAway(await s.localCredit());
      await s.vault.connect(h0).approve(await queue.getAddress(), ethers.MaxUint256);
      await queue.connect(h0).requestRedeem(await s.vault.balanceOf(h0.address), h0.address, h0.address);
      await time.increase(DAY);
      await s.vault.connect(s.keeper).harvest(await s.adapter.getAddress());
      await time.increase(DAY);
      return { ...s, queue };
    }

    it("reverts for a token the distributor does not list, changing nothing", async function () {
      const { queue, vault, distributor, stg, usdc } = await loadFixture(queueEarnedFixture);
      const queueAddress = await queue.getAddress();
      const owedBefore = await distributor.earned(queueAddress, await stg.getAddress());
      expect(owedBefore).to.be.gt(0n);
      await expect(queue.claimRewards([await stg.getAddress(), await usdc.getAddress()]))
        .to.be.revertedWithCustomError(distributor, "NotRewardToken")
        .withArgs(await usdc.getAddress());
      expect(await distributor.earned(queueAddress, await stg.getAddress())).to.be.gte(owedBefore);
      expect(await stg.balanceOf(await vault.skimRecipient())).to.equal(0n);
    });

    it("reverts when the vault has no rewards distributor, changing nothing", async function () {
      const s = await loadFixture(deployStargateSuite);
      // A distributor that lists tokens can be replaced but never removed (issue 9.1), so: a vault that never had one.
      const admin = await new VaultAdmin__factory(s.owner).deploy();
      const core = await new RollupVault__factory(s.owner).deploy(
        await s.usdc.getAddress(),
        "Bare",
        "BARE",
        s.owner.address,
        await admin.getAddress(),
      );
      const queue = await new RedemptionQueue__factory(s.owner).deploy(await core.getAddress());
      await expect(queue.claimRewards([await s.stg.getAddress()])).to.be.revertedWithCustomError(
        queue,
        "NoRewardsDistributor",
      );
    });

    it("reverts when the vault has no skim recipient, changing nothing", async function () {
      const s = await loadFixture(deployStargateSuite);
      // A vault configured without a skim recipient, with a distributor that owes nothing yet.
      const admin = await new VaultAdmin__factory(s.owner).deploy();
      const core = await new RollupVault__factory(s.owner).deploy(
        await s.usdc.getAddress(),
        "Bare",
        "BARE",
        s.owner.address,
        await admin.getAddress(),
      );
      const vault = IRollupVault__factory.connect(await core.getAddress(), s.owner);
      const distributor = await new RewardsDistributor__factory(s.owner).deploy(await vault.getAddress(), DAY);
      await vault.setRewardsDistributor(await distributor.getAddress());
      const queue = await new RedemptionQueue__factory(s.owner).deploy(await vault.getAddress());
      await expect(queue.claimRewards([await s.stg.getAddress()])).to.be.revertedWithCustomError(
        queue,
        "NoSkimRecipient",
      );
      expect(await vault.skimRecipient()).to.equal(ethers.ZeroAddress);
    });
  });
});
