/**
 * The core steps of the demo: depositors arriving and topping up, the target accruing yield, a liquidity crunch
 * and its recovery, withdrawals (deferred while liquidity is short, retried daily). Allocation, the idle buffer and
 * reports are the keeper's (keeper.ts).
 */
import { addTotal, count, randomInt, track, type DemoStep } from "../context";

/** Gross yield of the ERC-4626 target, a year (env DEMO_APY, default 8%). */
const TARGET_APY = Number(process.env.DEMO_APY ?? 0.08);

const ppm = (x: number) => BigInt(Math.round(x * 1_000_000));

export const depositStep: DemoStep = {
  name: "deposits",
  async setup(ctx) {
    const vault = await ctx.suite.vault.getAddress();
    for (const d of ctx.depositors) {
      await ctx.suite.asset.mint(d.wallet.address, ctx.units(200_000));
      await ctx.suite.asset.connect(d.wallet).approve(vault, ctx.hre.ethers.MaxUint256);
    }
  },
  async daily(ctx) {
    const { vault } = ctx.suite;
    for (const d of ctx.depositors) {
      const joining = d.joinDay === ctx.day;
      const toppingUp = d.joinDay < ctx.day && d.pendingExit === 0n && ctx.random() < 0.04;
      if (!joining && !toppingUp) continue;
      const amount = ctx.units(joining ? randomInt(ctx, 1_000, 60_000) : randomInt(ctx, 500, 10_000));
      await track(ctx, "deposit", vault.connect(d.wallet).deposit(amount, d.wallet.address));
      addTotal(ctx, "deposited", amount);
    }
  },
};

export const yieldStep: DemoStep = {
  name: "target yield",
  async daily(ctx) {
    const { target, asset } = ctx.suite;
    const held = await target.totalAssets();
    const interest = (held * ppm(TARGET_APY)) / (365n * 1_000_000n);
    if (interest === 0n) return;
    await asset.mint(await target.getAddress(), interest);
    addTotal(ctx, "targetYield", interest);
  },
};

/** Days 12..16: the target lets out only 2% of what it holds (borrowers took the rest); day 17 it recovers. */
export const CRUNCH_START = Number(process.env.DEMO_CRUNCH_START ?? 12);
export const CRUNCH_END = Number(process.env.DEMO_CRUNCH_END ?? 17);

export const crunchStep: DemoStep = {
  name: "liquidity crunch",
  async daily(ctx) {
    const { target } = ctx.suite;
    if (ctx.day === CRUNCH_START) {
      const liquidity = (await target.totalAssets()) / 50n;
      await target.setLiquidity(liquidity);
      ctx.flags.add("crunch");
      console.log(`  !! day ${ctx.day}: liquidity crunch, the target lets out only ${ctx.fmt(liquidity)}`);
      // A few large holders rush for the exit.
      for (const d of ctx.depositors.slice(0, 4)) {
        const owned = await ctx.suite.vault.convertToAssets(await ctx.suite.vault.balanceOf(d.wallet.address));
        d.pendingExit += owned;
      }
    }
    if (ctx.day === CRUNCH_END) {
      await target.setLiquidity(ctx.hre.ethers.MaxUint256);
      ctx.flags.delete("crunch");
      const waiting = ctx.depositors.filter((d) => d.pendingExit > 0n).length;
      console.log(
        `  ++ day ${ctx.day}: liquidity is back` +
          (waiting > 0 ? `, ${waiting} deferred exit(s) to serve` : ", no exit was deferred"),
      );
    }
  },
  async summary(ctx) {
    const deferred = ctx.totals.get("deferredExits") ?? 0n;
    // Issue 11.8: "all served after recovery" only means something when an exit was deferred.
    return [
      deferred === 0n
        ? `liquidity crunch    days ${CRUNCH_START}..${CRUNCH_END - 1}: no exit request was deferred`
        : `liquidity crunch    days ${CRUNCH_START}..${CRUNCH_END - 1}: ${deferred} exit requests deferred ` +
          `(peak ${ctx.fmt(ctx.totals.get("peakDeferred") ?? 0n)} waiting), all served after recovery: ` +
          `${ctx.depositors.every((d) => d.pendingExit === 0n) ? "yes" : "NO"}`,
    ];
  },
};

export const withdrawalStep: DemoStep = {
  name: "withdrawals",
  async daily(ctx) {
    const { vault } = ctx.suite;
    for (const d of ctx.depositors) {
      if (d.joinDay >= ctx.day) continue;
      const me = d.wallet.address;
      const shares = await vault.balanceOf(me);
      if (shares === 0n) {
        d.pendingExit = 0n;
        continue;
      }
      const owned = await vault.convertToAssets(shares);
      if (d.pendingExit === 0n && ctx.random() < 0.04) {
        // Wants out: 20% to 100% of the position.
        const fraction = 0.2 + 0.8 * ctx.random();
        d.pendingExit = fraction > 0.9 ? owned : (owned * ppm(fraction)) / 1_000_000n;
      }
      if (d.pendingExit === 0n) continue;
      const max = await vault.maxWithdraw(me);
      const wantsAll = d.pendingExit >= owned;
      if (wantsAll && max >= owned) {
        await track(ctx, "redeem", vault.connect(d.wallet).redeem(shares, me, me));
        addTotal(ctx, "withdrawn", owned);
        d.pendingExit = 0n;
        continue;
      }
      const amount = d.pendingExit < max ? d.pendingExit : max;
      if (amount > 0n) {
        await track(ctx, "withdraw", vault.connect(d.wallet).withdraw(amount, me, me));
        addTotal(ctx, "withdrawn", amount);
      }
      d.pendingExit -= amount;
      if (d.pendingExit > 0n) {
        count(ctx, "deferred");
        addTotal(ctx, "deferredExits", 1n);
      }
    }
    const waiting = ctx.depositors.reduce((sum, d) => sum + d.pendingExit, 0n);
    if (waiting > (ctx.totals.get("peakDeferred") ?? 0n)) ctx.totals.set("peakDeferred", waiting);
  },
};
