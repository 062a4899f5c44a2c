/**
 * npm run demo — about 30 days of a vault's life on the in-process Hardhat network, deployed through the same
 * Ignition modules as every network (deploy/inProcess.ts): a few dozen depositors arriving and leaving, the
 * ERC-4626 target accruing yield, the allocator keeping an idle buffer, keeper reports, and a liquidity crunch
 * (MockERC4626Target.setLiquidity) with its recovery. Prints a line a day and a summary: TVL, share price,
 * realised APY, fees, and average gas per operation.
 *
 * Deterministic: SEED (default 42) drives every random choice. DEMO_DAYS (30), DEMO_DEPOSITORS (36), DEMO_APY
 * (0.08) tune the run.
 *
 * PLUGGING IN a new part (Stargate, rewards, staking, async redemptions): write a DemoStep in
 * scripts/demo/steps/<part>.ts (its `setup` deploys the part through its Ignition module and wires it to
 * `ctx.suite.vault`; its `daily` acts; its `summary` reports) and add it to STEPS below: one line.
 */
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deploySuiteInProcess } from "../deploy/inProcess";
import { prng, type DemoContext, type DemoStep } from "./demo/context";
import { allocationStep, crunchStep, depositStep, reportStep, withdrawalStep, yieldStep } from "./demo/steps/core";

/** The simulation, in the order the steps run each day. */
const STEPS: DemoStep[] = [
  crunchStep,
  depositStep,
  yieldStep,
  withdrawalStep,
  allocationStep,
  reportStep,
  // stargateStep, rewardsStep, stakingStep, asyncRedeemStep: one line each once their contracts land.
];

const SEED = Number(process.env.SEED ?? 42);
const DAYS = Number(process.env.DEMO_DAYS ?? 30);
const DEPOSITORS = Number(process.env.DEMO_DEPOSITORS ?? 36);
const DAY = 24 * 3600;
const YEAR = 365 * DAY;

function pretty(value: bigint, decimals: number, digits = 2): string {
  const n = Number(hre.ethers.formatUnits(value, decimals));
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<void> {
  if (hre.network.name !== "hardhat") throw new Error("The demo runs on the in-process network only.");
  const { ethers } = hre;
  const signers = await ethers.getSigners();
  const [, curator, allocator, guardian, keeper, feeRecipient] = signers;
  console.log(`demo: seed ${SEED}, ${DAYS} days, ${DEPOSITORS} depositors; deploying the suite through Ignition`);
  const suite = await deploySuiteInProcess(hre, {
    roles: {
      curator: curator.address,
      allocator: allocator.address,
      guardian: guardian.address,
      keeper: keeper.address,
      feeRecipient: feeRecipient.address,
    },
  });
  const decimals = Number(await suite.asset.decimals());
  const symbol = await suite.asset.symbol();
  const random = prng(SEED);

  // Depositors: wallets derived from the seed, so a run is reproducible and needs no more than 20 signers.
  const depositors = [];
  for (let i = 0; i < DEPOSITORS; i++) {
    const wallet = new ethers.Wallet(ethers.id(`demo-depositor-${SEED}-${i}`), ethers.provider);
    await ethers.provider.send("hardhat_setBalance", [wallet.address, ethers.toQuantity(ethers.parseEther("10"))]);
    depositors.push({ wallet, joinDay: Math.floor(random() * 10), pendingExit: 0n });
  }

  const ctx: DemoContext = {
    hre,
    suite,
    roles: { curator, allocator, guardian, keeper, feeRecipient },
    depositors,
    random,
    day: 0,
    days: DAYS,
    units: (n) => ethers.parseUnits(n.toString(), decimals),
    fmt: (v) => `${pretty(v, decimals)} ${symbol}`,
    gas: new Map(),
    today: new Map(),
    totals: new Map(),
    flags: new Set(),
  };
  for (const step of STEPS) await step.setup?.(ctx);

  const { vault } = suite;
  const oneShare = 10n ** 18n;
  const start = await time.latest();
  const priceStart = await vault.convertToAssets(oneShare);
  console.log(`day | ${"TVL".padStart(16)} | share price | idle  | liquid | activity`);
  for (let day = 0; day < DAYS; day++) {
    ctx.day = day;
    ctx.today.clear();
    await time.increase(DAY);
    for (const step of STEPS) await step.daily(ctx);
    const tvl = await vault.totalAssets();
    const idle = await vault.totalIdle();
    const liquid = await vault.liquidAssets();
    const pct = (part: bigint) => (tvl === 0n ? "  -  " : `${((Number(part) / Number(tvl)) * 100).toFixed(1)}%`);
    const activity = [...ctx.today.entries()].map(([k, v]) => `${k} ${v}`).join(", ");
    console.log(
      `${String(day).padStart(3)} | ${pretty(tvl, decimals).padStart(16)} | ${pretty(await vault.convertToAssets(oneShare), decimals, 6).padStart(11)} | ` +
        `${pct(idle).padStart(5)} | ${pct(liquid > tvl ? tvl : liquid).padStart(6)} | ${activity}${ctx.flags.has("crunch") ? "  [crunch]" : ""}`,
    );
  }

  // ---------------------------------------------------------------- summary
  const elapsed = (await time.latest()) - start;
  const priceEnd = await vault.convertToAssets(oneShare);
  const tvl = await vault.totalAssets();
  const locked = await vault.lockedProfit();
  const supply = await vault.totalSupply();
  const annualise = (ratio: number) => (Math.pow(ratio, YEAR / elapsed) - 1) * 100;
  const realised = annualise(Number(priceEnd) / Number(priceStart));
  const withLocked = supply === 0n ? 0 : annualise(Number(((tvl + locked) * oneShare) / supply) / Number(priceStart));
  const feeShares = await vault.balanceOf(feeRecipient.address);
  const t = (k: string) => ctx.totals.get(k) ?? 0n;

  console.log(`\n==== summary (seed ${SEED}, ${(elapsed / DAY).toFixed(1)} days, ${DEPOSITORS} depositors) ====`);
  console.log(
    `TVL                 ${ctx.fmt(tvl)} (idle ${ctx.fmt(await vault.totalIdle())}, in adapter ${ctx.fmt(await vault.totalDebt())}, locked profit ${ctx.fmt(locked)})`,
  );
  console.log(
    `share price         ${pretty(priceEnd, decimals, 6)} ${symbol} per share (start ${pretty(priceStart, decimals, 6)})`,
  );
  console.log(
    `realised APY        ${realised.toFixed(2)}% from the share price; ${withLocked.toFixed(2)}% counting profit still unlocking (target gross ${(Number(process.env.DEMO_APY ?? 0.08) * 100).toFixed(1)}% on the allocated part)`,
  );
  console.log(
    `flows               deposited ${ctx.fmt(t("deposited"))}, withdrawn ${ctx.fmt(t("withdrawn"))}, target yield ${ctx.fmt(t("targetYield"))}`,
  );
  console.log(`reports             gains ${ctx.fmt(t("gain"))}, losses ${ctx.fmt(t("loss"))}`);
  console.log(
    `fees                performance ${ctx.fmt(t("performanceFee"))}, management ${ctx.fmt(t("managementFee"))}; fee recipient holds ${ctx.fmt(await vault.convertToAssets(feeShares))}`,
  );
  for (const step of STEPS) for (const line of (await step.summary?.(ctx)) ?? []) console.log(line);
  console.log("gas per operation   op           count      avg      min      max");
  for (const [op, list] of [...ctx.gas.entries()].sort()) {
    const sum = list.reduce((a, b) => a + b, 0n);
    const min = list.reduce((a, b) => (b < a ? b : a));
    const max = list.reduce((a, b) => (b > a ? b : a));
    console.log(
      `                    ${op.padEnd(12)} ${String(list.length).padStart(5)} ${String(sum / BigInt(list.length)).padStart(8)} ${String(min).padStart(8)} ${String(max).padStart(8)}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
