/**
 * The steps of the suite beyond the main vault's core:
 * - bridge: the real Stargate V2 credit model: the planner moves local credit to the far chain and back, bridgers
 *   arriving are paid out of the pool, bridgers leaving add credit; one deep drain;
 * - usdcRewards: depositors claim what the main vault's distributor streams (the keeper's harvests of the Stargate
 *   farm bring STG + OP; the distributor routes STG into the STG vault and streams OP and STG-vault shares);
 * - stg: STG holders in the STG staking vault (cooldown staking) and a locked-liquidity exit through the redemption
 *   queue (request; the keeper's prepareRelease, cooldown and settlement; claim);
 * - ve: VELO holders in the vote-escrow vault: weekly votes, fees, incentives and rebases, claims.
 * Reports, harvests, allocations, releases and settlements are the keeper's (keeper.ts, scripts/keeper.ts).
 */
import type { ContractTransactionReceipt } from "ethers";
import { moveCredit, pathCredit, redeemSend, taxi } from "../../lib/stargateFlows";
import {
  addReward,
  addTotal,
  count,
  randomInt,
  track,
  type DemoContext,
  type DemoStep,
  type Holder,
  events,
} from "../context";

const DAY = 24 * 3600;
const WEEK = 7 * DAY;
const HOUR = 3600;
const ppm = (x: number) => BigInt(Math.round(x * 1_000_000));

function mocks(ctx: DemoContext) {
  const m = ctx.suite.mocks;
  if (m === undefined) throw new Error("the demo runs over the test-support protocols");
  return m;
}

async function now(ctx: DemoContext): Promise<number> {
  const block = await ctx.hre.ethers.provider.getBlock("latest");
  return block!.timestamp;
}

/** Symbol of a reward token (the STG vault's share shows as rvSTG). */
const symbols = new Map<string, string>();
export async function symbolOf(ctx: DemoContext, token: string): Promise<string> {
  const key = token.toLowerCase();
  let symbol = symbols.get(key);
  if (symbol === undefined) {
    const erc20 = await ctx.hre.ethers.getContractAt("MockERC20", token);
    symbol = await erc20.symbol();
    symbols.set(key, symbol);
  }
  return symbol;
}

/** Holders of another vault: wallets derived from the seed, each with a budget of the vault's asset. */
async function makeHolders(ctx: DemoContext, tag: string, n: number, min: number, max: number, joinBy: number) {
  const { ethers } = ctx.hre;
  const holders: Holder[] = [];
  for (let i = 0; i < n; i++) {
    const wallet = new ethers.Wallet(ethers.id(`demo-${tag}-${ctx.seed}-${i}`), ethers.provider);
    await ethers.provider.send("hardhat_setBalance", [wallet.address, ethers.toQuantity(ethers.parseEther("10"))]);
    const budget = ethers.parseUnits(String(randomInt(ctx, min, max)), 18);
    holders.push({ wallet, joinDay: Math.floor(ctx.random() * joinBy), budget });
  }
  return holders;
}

async function recordClaims(ctx: DemoContext, vault: string, receipt: ContractTransactionReceipt) {
  for (const e of events(receipt, ctx.suite.usdc.distributor.interface, "RewardPaid")) {
    addReward(ctx.rewards, vault, await symbolOf(ctx, e.args.token as string), "claimed", e.args.amount as bigint);
  }
}

// ================================================================== bridge flows on the Stargate pool

/**
 * Days of the deep drain: on the first, the planner sends all but 3% of the local pool's credit to the far chain,
 * where bridgers spend it; on the last, it comes back.
 */
export const BRIDGE_DRAIN_START = Number(process.env.DEMO_BRIDGE_DRAIN_START ?? 20);
export const BRIDGE_DRAIN_END = Number(process.env.DEMO_BRIDGE_DRAIN_END ?? 23);
/** Liquidity other LPs keep in the pool (they do not stake in the farm). */
const OTHER_LPS = 400_000;
/** In-kind exit penalty the curator sets on the USDC vault (0.5%; it stays with the holders who remain). */
export const IN_KIND_PENALTY_BPS = 50n;

/** A bridger's wallet, derived from the seed (it pays on one side and is paid on the other). */
async function bridgerOf(ctx: DemoContext) {
  const { ethers } = ctx.hre;
  const wallet = new ethers.Wallet(ethers.id(`demo-bridger-${ctx.seed}`), ethers.provider);
  if ((await ethers.provider.getBalance(wallet.address)) < ethers.parseEther("1")) {
    await ethers.provider.send("hardhat_setBalance", [wallet.address, ethers.toQuantity(ethers.parseEther("100"))]);
  }
  return wallet;
}

/**
 * The bridge as it really works (real Stargate V2 contracts on two endpoint ids of this chain):
 * - OUT: the planner sends part of the local pool's credit to the far chain (`sendCredits`): local LPs can redeem
 *   that much less at once. Bridgers on the far chain then spend that credit: each taxi pays the bridger here out
 *   of the local pool's balance (local credit does not move again: it left with the planner).
 * - IN: the planner brings unused credit back; bridgers leaving from here add to the local credit (each send puts
 *   the tokens in the pool and raises its credit), once the far planner has given this chain credit towards it.
 * The vault's maxWithdraw follows the local credit (`redeemable(address(0))`), not the pool's balance.
 */
export const bridgeStep: DemoStep = {
  name: "bridge flows",
  async setup(ctx) {
    const { stargateLanes } = mocks(ctx);
    const { local } = stargateLanes;
    const amount = ctx.units(OTHER_LPS);
    await local.token.connect(ctx.operator).mint(ctx.operator.address, amount);
    await local.token.connect(ctx.operator).approve(await local.pool.getAddress(), ctx.hre.ethers.MaxUint256);
    await local.pool.connect(ctx.operator).deposit(ctx.operator.address, amount);
    // Raising the in-kind penalty waits out the vault's timelock: submitted now, set on the first day.
    const { vault } = ctx.suite.usdc;
    const data = vault.interface.encodeFunctionData("setInKindPenalty", [IN_KIND_PENALTY_BPS]);
    if ((await vault.timelock()) > 0n) await (await vault.connect(ctx.roles.curator).submit(data)).wait();
  },
  async daily(ctx) {
    const { local, remote } = mocks(ctx).stargateLanes;
    const { vault } = ctx.suite.usdc;
    if (
      (await vault.inKindPenalty()) !== IN_KIND_PENALTY_BPS &&
      (await vault.executableAt(vault.interface.encodeFunctionData("setInKindPenalty", [IN_KIND_PENALTY_BPS]))) <=
        BigInt(await now(ctx))
    ) {
      await (await vault.connect(ctx.roles.curator).setInKindPenalty(IN_KIND_PENALTY_BPS)).wait();
    }
    if (ctx.day === BRIDGE_DRAIN_START + 1) await inKindExit(ctx);
    const planner = ctx.operator;
    const credit = await pathCredit(local, local.eid);
    /** Credit out: the planner sends `amount` away; bridgers spend `spent` of it, paid out of the local pool. */
    const out = async (amount: bigint, spentShare: bigint, why: string) => {
      if (amount <= 0n) return;
      const moved = await moveCredit(local, remote, planner, local.eid, amount);
      addTotal(ctx, "creditOut", moved);
      const spend = (moved * spentShare) / 1_000_000n;
      if (spend > 0n) {
        const bridger = await bridgerOf(ctx);
        const paid = await taxi(remote, local, bridger, bridger.address, spend);
        addTotal(ctx, "bridgerPayouts", paid);
        count(ctx, "bridger paid here");
      }
      count(ctx, why);
    };
    /** Credit in: unused credit comes back from the far planner; bridgers leaving from here add the rest. */
    const back = async (amount: bigint, why: string) => {
      if (amount <= 0n) return;
      const returned = await moveCredit(remote, local, planner, local.eid, amount);
      addTotal(ctx, "creditBack", returned);
      const rest = amount - returned;
      if (rest > 0n) {
        // The far side's own credit (raised by the bridgers who left from there) lets bridgers leave from here.
        const given = await moveCredit(remote, local, planner, remote.eid, rest);
        if (given > 0n) {
          const bridger = await bridgerOf(ctx);
          await taxi(local, remote, bridger, bridger.address, given);
          addTotal(ctx, "bridgerSendsFromHere", given);
          count(ctx, "bridger sent from here");
        }
      }
      count(ctx, why);
    };
    if (ctx.day === BRIDGE_DRAIN_START) {
      const left = (credit * 3n) / 100n;
      ctx.totals.set("creditBeforeDrain", credit);
      await out(credit - left, ppm(0.5), "credit out");
      ctx.flags.add("bridge");
      console.log(
        `  !! day ${ctx.day}: the planner sends the Stargate pool's credit to the far chain, ` +
          `${ctx.fmt(left)} left here; bridgers there are paid out of this pool`,
      );
      return;
    }
    if (ctx.day === BRIDGE_DRAIN_END) {
      const target = ctx.totals.get("creditBeforeDrain") ?? 0n;
      const missing = target > credit ? target - credit : 0n;
      await back(missing, "credit in");
      ctx.flags.delete("bridge");
      console.log(
        `  ++ day ${ctx.day}: the planner brings credit back and bridgers leaving from here add more ` +
          `(local credit ${ctx.fmt(await pathCredit(local, local.eid))})`,
      );
      return;
    }
    if (ctx.flags.has("bridge")) {
      // Track how far the main vault's liquidity fell while the pool lacked credit.
      const { vault } = ctx.suite;
      const tvl = await vault.totalAssets();
      const liquid = await vault.liquidAssets();
      const share = tvl === 0n ? 1_000_000n : (liquid * 1_000_000n) / tvl;
      const low = ctx.totals.get("bridgeLowLiquid");
      if (low === undefined || share < low) ctx.totals.set("bridgeLowLiquid", share);
      return;
    }
    const r = ctx.random();
    if (r < 0.3) {
      await out((credit * ppm(0.1 + 0.25 * ctx.random())) / 1_000_000n, ppm(ctx.random()), "credit out");
    } else if (r > 0.6) {
      const away = await pathCredit(remote, local.eid);
      if (away > 0n) await back((away * ppm(0.4 + 0.6 * ctx.random())) / 1_000_000n, "credit in");
    }
  },
  async summary(ctx) {
    const t = (key: string) => ctx.fmt(ctx.totals.get(key) ?? 0n);
    return [
      `bridge (real Stargate V2 credit model): the planner moved ${t("creditOut")} of local credit to the far chain ` +
        `and ${t("creditBack")} back; bridgers arriving here were paid ${t("bridgerPayouts")} out of the pool, ` +
        `bridgers leaving from here added ${t("bridgerSendsFromHere")} of credit`,
      `                    deep drain days ${BRIDGE_DRAIN_START}..${BRIDGE_DRAIN_END - 1}: the vault's liquid share of TVL fell to ` +
        `${(Number(ctx.totals.get("bridgeLowLiquid") ?? 1_000_000n) / 10_000).toFixed(1)}% ` +
        `(maxWithdraw follows the pool's local credit, not its balance)`,
      ...(ctx.totals.has("inKindOut")
        ? [
            `                    exit in kind during the drain: ${t("inKindAssets")} of shares left as ${t("inKindOut")} ` +
              `of Stargate LP (penalty ${t("inKindPenalty")} kept by the vault), bridged out with redeemSend: ` +
              `${t("inKindBridged")} arrived on the far chain`,
          ]
        : []),
    ];
  },
};

/**
 * Issue 13.5 in the demo: with local credit drained, a depositor who wants out (the one with the largest deferred
 * exit, else the largest holder) exits in kind from the USDC vault: shares burned at the vault's price, the penalty
 * kept by the vault, the Stargate LP unstaked and handed over. The far chain's LPs give the local pool credit toward
 * them, and the depositor bridges the LP out with the pool's `redeemSend`: paid there, without local credit.
 */
export async function inKindExit(ctx: DemoContext): Promise<void> {
  const { local, remote } = mocks(ctx).stargateLanes;
  const { vault, stargateAdapter } = ctx.suite.usdc;
  const adapter = await stargateAdapter.getAddress();
  let chosen: { d: (typeof ctx.depositors)[number]; shares: bigint } | undefined;
  for (const d of ctx.depositors) {
    const shares = await vault.balanceOf(d.wallet.address);
    if (shares === 0n) continue;
    const better =
      chosen === undefined ||
      d.pendingExit > chosen.d.pendingExit ||
      (d.pendingExit === chosen.d.pendingExit && shares > chosen.shares);
    if (better) chosen = { d, shares };
  }
  if (chosen === undefined) return;
  const { d } = chosen;
  const me = d.wallet.address;
  const wanted = d.pendingExit > 0n ? await vault.convertToShares(d.pendingExit) : chosen.shares / 2n;
  const cap = await vault.maxRedeemInKind(adapter, me);
  const shares = wanted < cap ? wanted : cap;
  if (shares === 0n) return;
  const [assets, penalty, quoted] = await vault.previewRedeemInKind(shares);
  const lp = await stargateAdapter.inKindToken();
  const lpToken = new ctx.hre.ethers.Contract(
    lp,
    ["function balanceOf(address) view returns (uint256)"],
    ctx.hre.ethers.provider,
  );
  const lpBefore = (await lpToken.balanceOf(me)) as bigint;
  await track(ctx, "in-kind exit", vault.connect(d.wallet).redeemInKind(adapter, shares, me, me, quoted));
  const out = ((await lpToken.balanceOf(me)) as bigint) - lpBefore;
  d.pendingExit = d.pendingExit > assets ? d.pendingExit - assets : 0n;
  addTotal(ctx, "inKindAssets", assets);
  addTotal(ctx, "inKindPenalty", penalty);
  addTotal(ctx, "inKindOut", out);
  console.log(
    `  ik day ${ctx.day}: the Stargate pool's local credit is drained (${ctx.fmt(await pathCredit(local, local.eid))} ` +
      `left); depositor ${me.slice(0, 10)} exits in kind (their part of the LP instead of the vault's other liquidity): ` +
      `${ctx.fmt(assets)} of shares -> ${ctx.fmt(out)} of Stargate LP (penalty ${ctx.fmt(penalty)}, ` +
      `${Number(IN_KIND_PENALTY_BPS) / 100}%, stays with the holders who remain)`,
  );
  // The far chain's LPs (their pool's own credit) give this pool credit toward them; the LP leaves by redeemSend.
  const farLiquidity = out * 2n;
  await (await remote.token.connect(ctx.operator).mint(ctx.operator.address, farLiquidity)).wait();
  await (await remote.token.connect(ctx.operator).approve(await remote.pool.getAddress(), farLiquidity)).wait();
  await (await remote.pool.connect(ctx.operator).deposit(ctx.operator.address, farLiquidity)).wait();
  await moveCredit(remote, local, ctx.operator, remote.eid, out);
  const sent = await redeemSend(local, remote, d.wallet, me, out);
  count(ctx, "lp redeemSend");
  addTotal(ctx, "inKindBridged", sent.received);
  console.log(
    `  ik day ${ctx.day}: they bridge the LP out with redeemSend: ${ctx.fmt(sent.received)} arrived on the ` +
      `far chain (LayerZero fee ${ctx.hre.ethers.formatEther(sent.fee)} ETH), no local credit spent`,
  );
}

// ================================================================== farm rewards of the main vault

export const usdcRewardsStep: DemoStep = {
  name: "usdc rewards",
  async setup(ctx) {
    // The deployment allowed the STG it routes; the curator allows the farm's OP (the distributor's allow-list).
    await ctx.suite.usdc.distributor.connect(ctx.roles.curator).setAllowed(await mocks(ctx).op.getAddress(), true);
  },
  async daily(ctx) {
    // The keeper harvests the farm (scripts/demo/steps/keeper.ts); depositors claim what the distributor streams.
    const { usdc } = ctx.suite;
    const tokens = [...(await usdc.distributor.rewardTokens())];
    if (tokens.length === 0) return;
    for (const d of ctx.depositors) {
      if (d.joinDay >= ctx.day || ctx.random() >= 0.06) continue;
      const receipt = await track(
        ctx,
        "usdc claim",
        usdc.distributor.connect(d.wallet).claim(tokens, d.wallet.address),
      );
      await recordClaims(ctx, "usdc", receipt);
    }
  },
};

// ================================================================== STG staking vault

/** Day on which two STG holders leave through the redemption queue while every STG is staked. */
export const ASYNC_EXIT_DAY = Number(process.env.DEMO_ASYNC_EXIT_DAY ?? 9);
let stgHolders: Holder[] = [];
const exits: { holder: Holder; shares: bigint; requestedDay: number; fulfilledDay?: number; claimed?: bigint }[] = [];

/**
 * Called by the keeper step for each Settled event of the STG queue: prints the fill and marks the holders whose
 * request is now fully claimable.
 */
export async function onStgSettled(ctx: DemoContext, pooled: bigint, filled: bigint, assets: bigint): Promise<void> {
  const stg = ctx.suite.stg!;
  const [cooling] = await stg.adapter.pendingRelease();
  const source = (await stg.adapter.cooldownActive()) && cooling === 0n ? "the cooldown is over" : "idle STG covers it";
  for (const exit of exits) {
    if (exit.fulfilledDay === undefined && (await stg.queue.pendingRedeemRequest(0, exit.holder.wallet.address)) === 0n)
      exit.fulfilledDay = ctx.day;
  }
  console.log(
    `  ~~ day ${ctx.day}: ${source}${filled < pooled ? " (in part)" : ""}: the keeper settles the queue, which fills ` +
      `${fmt18(filled)} of ${fmt18(pooled)} rvSTG waiting, pro rata, for ${fmt18(assets)} tSTG`,
  );
}

export const stgStep: DemoStep = {
  name: "stg staking vault",
  async setup(ctx) {
    const stg = ctx.suite.stg!;
    const { stg: token } = mocks(ctx);
    stgHolders = await makeHolders(ctx, "stg", 8, 5_000, 60_000, 5);
    exits.length = 0;
    for (const h of stgHolders) {
      await token.mint(h.wallet.address, h.budget);
      await token.connect(h.wallet).approve(await stg.vault.getAddress(), ctx.hre.ethers.MaxUint256);
      await stg.vault.connect(h.wallet).approve(await stg.queue.getAddress(), ctx.hre.ethers.MaxUint256);
    }
  },
  async daily(ctx) {
    const stg = ctx.suite.stg!;
    const vault = stg.vault;
    for (const h of stgHolders) {
      if (h.joinDay !== ctx.day) continue;
      await track(ctx, "stg deposit", vault.connect(h.wallet).deposit(h.budget, h.wallet.address));
      addTotal(ctx, "stg.deposited", h.budget);
    }

    // Locked-liquidity exit: two holders queue; the keeper frees the STG (cooldown) and settles the queue.
    if (ctx.day === ASYNC_EXIT_DAY) {
      let total = 0n;
      for (const holder of stgHolders.slice(0, 2)) {
        const shares = await vault.balanceOf(holder.wallet.address);
        if (shares === 0n) continue;
        await track(
          ctx,
          "stg request",
          stg.queue.connect(holder.wallet).requestRedeem(shares, holder.wallet.address, holder.wallet.address),
        );
        exits.push({ holder, shares, requestedDay: ctx.day });
        total += shares;
      }
      console.log(
        `  ~~ day ${ctx.day}: ${exits.length} STG holders queue ${fmt18(total)} rvSTG ` +
          `(${fmt18(await stg.queue.pendingAssets())} tSTG): all of it is staked behind the cooldown; ` +
          `the keeper's queue step decides what to free`,
      );
    }
    // Settlement (once the requests' window has closed), releases and allocation are the keeper's
    // (scripts/demo/steps/keeper.ts calls onStgSettled below); the holders claim the day after their fill.
    for (const exit of exits) {
      if (exit.fulfilledDay === undefined || exit.claimed !== undefined || exit.fulfilledDay >= ctx.day) continue;
      const me = exit.holder.wallet.address;
      const receipt = await track(
        ctx,
        "stg claim",
        stg.queue.connect(exit.holder.wallet).redeem(await stg.queue.maxRedeem(me), me, me),
      );
      exit.claimed = events(receipt, stg.queue.interface, "Withdraw").reduce(
        (sum, e) => sum + (e.args.assets as bigint),
        0n,
      );
      addTotal(ctx, "stg.withdrawn", exit.claimed);
    }
  },
  async summary(ctx) {
    const lines = exits.map(
      (x) =>
        `  async exit       ${x.holder.wallet.address.slice(0, 10)}… queued ${fmt18(x.shares)} rvSTG day ${x.requestedDay}, ` +
        `fulfilled day ${x.fulfilledDay ?? "-"}, claimed ${x.claimed === undefined ? "-" : `${fmt18(x.claimed)} tSTG`}`,
    );
    void ctx;
    return lines;
  },
};

// ================================================================== vote-escrow vault

let veHolders: Holder[] = [];
let lastNotifiedEpoch = -1;

export const veStep: DemoStep = {
  name: "ve vault",
  async setup(ctx) {
    const ve = ctx.suite.ve!;
    const m = mocks(ctx);
    veHolders = await makeHolders(ctx, "ve", 6, 2_000, 40_000, 4);
    lastNotifiedEpoch = -1;
    for (const h of veHolders) {
      await m.velo.mint(h.wallet.address, h.budget);
      await m.velo.connect(h.wallet).approve(await ve.vault.getAddress(), ctx.hre.ethers.MaxUint256);
    }
    // The operator funds fees in WETH (wrapped native) and tUSDC, incentives in tOP, rebases in tVELO.
    await m.weth.connect(ctx.operator).deposit({ value: ctx.hre.ethers.parseEther("50") });
    for (const [token, spender] of [
      [m.weth, m.feesReward],
      [ctx.suite.asset, m.feesReward],
      [m.op, m.bribeReward],
      [m.velo, m.rebaseDistributor],
    ] as const) {
      await token.connect(ctx.operator).approve(await spender.getAddress(), ctx.hre.ethers.MaxUint256);
    }
    // The curator allows the tokens the vault earns to stream to its holders (the distributor's allow-list: a token
    // nobody allowed is held, never streamed).
    for (const token of [m.weth, ctx.suite.asset, m.op]) {
      await ve.distributor.connect(ctx.roles.curator).setAllowed(await token.getAddress(), true);
    }
    // The allocator chooses what each harvest claims from the voted pool: its fee tokens and the tOP incentive
    // (dust incentives in other tokens are never claimed).
    await ve.adapter
      .connect(ctx.roles.allocator)
      .setClaimTokens(
        m.vePool,
        [await m.weth.getAddress(), await ctx.suite.asset.getAddress()],
        [await m.op.getAddress()],
      );
  },
  async daily(ctx) {
    const ve = ctx.suite.ve!;
    const m = mocks(ctx);
    const vault = ve.vault;
    for (const h of veHolders) {
      if (h.joinDay !== ctx.day) continue;
      await track(ctx, "ve deposit", vault.connect(h.wallet).deposit(h.budget, h.wallet.address));
      addTotal(ctx, "ve.deposited", h.budget);
    }
    // The keeper allocates into the lock, harvests and reports (scripts/demo/steps/keeper.ts).
    const tokenId = await ve.adapter.tokenId();
    if (tokenId === 0n) return;

    const t = await now(ctx);
    const epoch = Math.floor(t / WEEK);
    const epochStart = epoch * WEEK;
    // Vote once an epoch, after the Voter's first hour.
    if (t > epochStart + HOUR + 60 && Number(await m.voter.lastVoted(tokenId)) < epochStart) {
      await track(ctx, "ve vote", ve.adapter.connect(ctx.roles.allocator).vote([m.vePool], [10_000]));
    }
    // The pool's trading fees, a bribe and the weekly rebase for this epoch.
    if (epoch > lastNotifiedEpoch && Number(await m.voter.lastVoted(tokenId)) >= epochStart) {
      const locked = await ve.adapter.lockedAssets();
      const feesUsdc = ctx.units(randomInt(ctx, 800, 2_500));
      const feesWeth = ctx.hre.ethers.parseEther((0.2 + ctx.random()).toFixed(3));
      const bribe = ctx.hre.ethers.parseUnits(String(randomInt(ctx, 200, 900)), 18);
      const rebase = (locked * 25n) / 10_000n; // 0.25% a week
      await ctx.suite.asset.mint(ctx.operator.address, feesUsdc);
      await m.feesReward.connect(ctx.operator).notifyRewardAmount(await ctx.suite.asset.getAddress(), feesUsdc);
      await m.feesReward.connect(ctx.operator).notifyRewardAmount(await m.weth.getAddress(), feesWeth);
      await m.op.mint(ctx.operator.address, bribe);
      await m.bribeReward.connect(ctx.operator).notifyRewardAmount(await m.op.getAddress(), bribe);
      await m.velo.mint(ctx.operator.address, rebase);
      await m.rebaseDistributor.connect(ctx.operator).notifyRebase(tokenId, rebase);
      addTotal(ctx, "ve.rebase", rebase);
      lastNotifiedEpoch = epoch;
      count(ctx, "ve fees+bribe+rebase");
    }
    const tokens = [...(await ve.distributor.rewardTokens())];
    if (tokens.length === 0) return;
    for (const h of veHolders) {
      if (h.joinDay >= ctx.day || ctx.random() >= 0.15) continue;
      const receipt = await track(ctx, "ve claim", ve.distributor.connect(h.wallet).claim(tokens, h.wallet.address));
      await recordClaims(ctx, "ve", receipt);
    }
  },
  async summary(ctx) {
    return [`  rebases          ${fmt18(ctx.totals.get("ve.rebase") ?? 0n)} tVELO credited to the vault's veNFT`];
  },
};

function fmt18(value: bigint): string {
  const n = Number(value / 10n ** 12n) / 1e6;
  return n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
