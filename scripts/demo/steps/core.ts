/**
 * The core steps of the demo: depositors arriving and topping up, the target accruing yield, a liquidity crunch
 * and its recovery, withdrawals (deferred while liquidity is short), the allocator keeping an idle buffer, and
 * keeper reports.
 */
import { addTotal, count, randomInt, track, type DemoStep } from "../context";

/** Gross yield of the ERC-4626 target, a year (env DEMO_APY, default 8%). */
const TARGET_APY = Number(process.env.DEMO_APY ?? 0.08);
/** Idle buffer the allocator aims for, and the band around it in which it does nothing. */
const IDLE_TARGET = 0.1;
const IDLE_HIGH = 0.15;
const IDLE_LOW = 0.05;
/** Keeper reports every REPORT_EVERY days. */
const REPORT_EVERY = 2;

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

/** Share of the allocated assets the allocator puts into the ERC-4626 target; the rest goes to Stargate. */
const ERC4626_WEIGHT = 0.5;

export const allocationStep: DemoStep = {
  name: "allocation",
  async daily(ctx) {
    const { vault, adapter, usdc } = ctx.suite;
    const allocator = vault.connect(ctx.roles.allocator);
    const erc4626 = await adapter.getAddress();
    const stargate = await usdc.stargateAdapter.getAddress();
    const tvl = await vault.totalAssets();
    const idle = await vault.totalIdle();
    const targetIdle = (tvl * ppm(IDLE_TARGET)) / 1_000_000n;
    const waiting = ctx.depositors.reduce((sum, d) => sum + d.pendingExit, 0n);
    if (idle > (tvl * ppm(IDLE_HIGH)) / 1_000_000n && waiting === 0n) {
      const excess = idle - targetIdle;
      const toTarget = (excess * ppm(ERC4626_WEIGHT)) / 1_000_000n;
      await track(ctx, "allocate", allocator.allocate(erc4626, toTarget));
      await track(ctx, "allocate", allocator.allocate(stargate, excess - toTarget));
    } else if (idle < (tvl * ppm(IDLE_LOW)) / 1_000_000n || waiting > 0n) {
      // Free from the ERC-4626 target first, then from the Stargate pool, each within what it can release now.
      let want = targetIdle + waiting - idle;
      for (const [address, releasable] of [
        [erc4626, await adapter.releasable()],
        [stargate, await usdc.stargateAdapter.releasable()],
      ] as const) {
        if (want <= 0n) break;
        const [, debt] = await vault.adapterConfig(address);
        let take = want < releasable ? want : releasable;
        if (take > debt) take = debt;
        if (take === 0n) continue;
        await track(ctx, "deallocate", allocator.deallocate(address, take));
        want -= take;
      }
    }
  },
};

export const reportStep: DemoStep = {
  name: "reports",
  async daily(ctx) {
    if (ctx.day % REPORT_EVERY !== REPORT_EVERY - 1) return;
    const { vault, adapter } = ctx.suite;
    const receipt = await track(ctx, "report", vault.connect(ctx.roles.keeper).report(await adapter.getAddress()));
    for (const log of receipt.logs) {
      const parsed = vault.interface.parseLog(log);
      if (parsed?.name !== "Reported") continue;
      addTotal(ctx, "gain", parsed.args.gain as bigint);
      addTotal(ctx, "loss", parsed.args.loss as bigint);
      addTotal(ctx, "performanceFee", parsed.args.performanceFee as bigint);
      addTotal(ctx, "managementFee", parsed.args.managementFee as bigint);
    }
  },
};
