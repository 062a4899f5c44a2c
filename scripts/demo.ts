/**
 * npm run demo — about 30 days of the whole suite on the in-process Hardhat network, deployed through the same
 * Ignition modules as every network (deploy/inProcess.ts):
 * - the USDC bridge vault: a few dozen depositors arriving and leaving, the keeper allocating between the ERC-4626
 *   target (accruing yield, with a liquidity crunch) and the REAL Stargate V2 pool (official bytecode on two
 *   LayerZero endpoint ids of this chain: the planner moves the pool's local credit to the far chain and back,
 *   bridgers arriving are paid out of the pool, bridgers leaving add credit; one deep drain), the farm streaming STG
 *   and OP, harvests into the distributor, STG routed into the STG vault, claims, reports;
 * - the STG staking vault: holders, cooldown staking, harvests and reports raising the price, a locked-liquidity
 *   exit through the redemption queue;
 * - the vote-escrow vault: holders, the lock, weekly votes, fees, incentives and rebases, harvests and claims;
 * - cross-chain (issue 10): one deposit from the far chain in one transaction through the RollupVaultComposer, the
 *   shares sent back there as the vault's omnichain share, and one exit to the far chain (`redeemAndSend`), each
 *   with its quote and fees (scripts/demo/steps/crosschain.ts).
 * The keeper work (reports, harvests, queue settlement, releases for queued exits, allocation toward target weights)
 * is the keeper's: scripts/keeper.ts ticks once a day in-process with a policy for the three vaults
 * (scripts/demo/steps/keeper.ts), and its decisions print with their reasons ("kp" lines).
 * Prints a line a day and a summary per vault: TVL, share price, realised APY, rewards per token (harvested, routed,
 * claimed), fees, the keeper's totals, and gas per operation.
 *
 * Deterministic: SEED (default 42) drives every random choice, the run starts at an epoch-aligned time and every
 * transaction's block is one second after the previous one, so the same SEED prints the same numbers. DEMO_DAYS
 * (30), DEMO_DEPOSITORS (36), DEMO_APY (0.08) tune the run.
 *
 * PLUGGING IN a new part (Stargate, rewards, staking, async redemptions): write a DemoStep in
 * scripts/demo/steps/<part>.ts (its `setup` deploys the part through its Ignition module and wires it to
 * `ctx.suite.vault`; its `daily` acts; its `summary` reports) and add it to STEPS below: one line. Keeper work for
 * the part (reports, harvests, releases, allocation) goes into the keeper's policy in steps/keeper.ts, not a step.
 */
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployDemoSuite, newDemoContext, prng, type DemoStep } from "./demo/context";
import { crunchStep, depositStep, withdrawalStep, yieldStep } from "./demo/steps/core";
import { crossChainStep } from "./demo/steps/crosschain";
import { keeperStep } from "./demo/steps/keeper";
import { bridgeStep, stgStep, usdcRewardsStep, veStep } from "./demo/steps/suite";
import type { IRollupVault } from "../typechain-types";

/** The simulation, in the order the steps run each day. */
const STEPS: DemoStep[] = [
  crunchStep,
  bridgeStep,
  depositStep,
  yieldStep,
  withdrawalStep,
  crossChainStep,
  usdcRewardsStep,
  stgStep,
  veStep,
  // Last: the keeper (scripts/keeper.ts) acts on the day's state, as a daily `npm run keeper -- --once` would.
  keeperStep,
];

const SEED = Number(process.env.SEED ?? 42);
const DAYS = Number(process.env.DEMO_DAYS ?? 30);
const DEPOSITORS = Number(process.env.DEMO_DEPOSITORS ?? 36);
const DAY = 24 * 3600;
const WEEK = 7 * DAY;
const YEAR = 365 * DAY;

/**
 * Makes block times independent of the wall clock: every transaction is mined one second after the latest block
 * (Hardhat would otherwise stamp it with the real time elapsed), so a run's numbers depend on SEED alone.
 */
function deterministicClock(): void {
  const provider = hre.network.provider as {
    request: (args: { method: string; params?: unknown[] }) => Promise<unknown>;
  };
  const original = provider.request.bind(provider);
  provider.request = async (args) => {
    if (args.method === "eth_sendTransaction" || args.method === "eth_sendRawTransaction") {
      const block = (await original({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
        timestamp: string;
      };
      await original({ method: "evm_setNextBlockTimestamp", params: [Number(block.timestamp) + 1] });
    }
    return original(args);
  };
}

function pretty(value: bigint, decimals: number, digits = 2): string {
  const n = Number(hre.ethers.formatUnits(value, decimals));
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<void> {
  if (hre.network.name !== "hardhat") throw new Error("The demo runs on the in-process network only.");
  const { ethers } = hre;
  // Start two hours into a Velodrome epoch (weeks since 1970), so that epoch-bound events fall on the same days (the
  // keeper step's setup then waits out the vaults' one-hour timelock to make the keeper's key an allocator).
  const wall = await time.latest();
  await time.increaseTo(wall - (wall % WEEK) + 2 * WEEK + 2 * 3600);
  deterministicClock();
  console.log(
    `demo: seed ${SEED}, ${DAYS} days, ${DEPOSITORS} USDC depositors; deploying the whole suite through Ignition`,
  );
  const { suite, operator, roles } = await deployDemoSuite(hre);
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

  console.log(
    `deployed: ${[
      ["rvUSDC", suite.usdc.vault],
      ["rvSTG", suite.stg!.vault],
      ["rvVELO", suite.ve!.vault],
    ]
      .map(([name, v]) => `${name as string} ${(v as IRollupVault).target}`)
      .join(", ")}`,
  );
  const ctx = newDemoContext(
    {
      hre,
      suite,
      roles,
      operator,
      seed: SEED,
      depositors,
      random,
      days: DAYS,
      fmt: (v) => `${pretty(v, decimals)} ${symbol}`,
    },
    decimals,
  );
  for (const step of STEPS) await step.setup?.(ctx);

  const { vault } = suite;
  const stgVault = suite.stg!.vault;
  const veVault = suite.ve!.vault;
  const oneShare = 10n ** 18n;
  const start = await time.latest();
  const priceStart = await vault.convertToAssets(oneShare);
  const otherStart = [await stgVault.convertToAssets(oneShare), await veVault.convertToAssets(oneShare)];
  console.log(
    `day | ${"rvUSDC TVL".padStart(14)} | price    | idle  | liquid | ${"rvSTG TVL".padStart(11)} | price    | ${"rvVELO TVL".padStart(10)} | price    | activity`,
  );
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
    const flags = ["crunch", "bridge"].filter((f) => ctx.flags.has(f)).map((f) => `  [${f}]`);
    console.log(
      `${String(day).padStart(3)} | ${pretty(tvl, decimals).padStart(14)} | ${pretty(await vault.convertToAssets(oneShare), decimals, 6)} | ` +
        `${pct(idle).padStart(5)} | ${pct(liquid > tvl ? tvl : liquid).padStart(6)} | ` +
        `${pretty(await stgVault.totalAssets(), 18).padStart(11)} | ${pretty(await stgVault.convertToAssets(oneShare), 18, 6)} | ` +
        `${pretty(await veVault.totalAssets(), 18).padStart(10)} | ${pretty(await veVault.convertToAssets(oneShare), 18, 6)} | ` +
        `${activity}${flags.join("")}`,
    );
  }

  // ---------------------------------------------------------------- summary
  const elapsed = (await time.latest()) - start;
  const annualise = (ratio: number) => (Math.pow(ratio, YEAR / elapsed) - 1) * 100;
  const t = (k: string) => ctx.totals.get(k) ?? 0n;

  /** TVL, price, realised APY and fees of one vault; `prefix` keys its totals ("" for the main vault). */
  async function vaultLines(v: IRollupVault, dec: number, sym: string, prefix: string, startPrice: bigint) {
    const fmt = (x: bigint) => `${pretty(x, dec)} ${sym}`;
    const tvl = await v.totalAssets();
    const locked = await v.lockedProfit();
    const supply = await v.totalSupply();
    const priceEnd = await v.convertToAssets(oneShare);
    const realised = annualise(Number(priceEnd) / Number(startPrice));
    const withLocked = supply === 0n ? 0 : annualise(Number(((tvl + locked) * oneShare) / supply) / Number(startPrice));
    const feeShares = await v.balanceOf(roles.feeRecipient.address);
    return [
      `TVL                 ${fmt(tvl)} (idle ${fmt(await v.totalIdle())}, in adapters ${fmt(await v.totalDebt())}, locked profit ${fmt(locked)})`,
      `share price         ${pretty(priceEnd, dec, 6)} ${sym} per share (start ${pretty(startPrice, dec, 6)})`,
      `realised APY        ${realised.toFixed(2)}% from the share price; ${withLocked.toFixed(2)}% counting profit still unlocking`,
      `reports             gains ${fmt(t(`${prefix}gain`))}, losses ${fmt(t(`${prefix}loss`))}`,
      `fees                performance ${fmt(t(`${prefix}performanceFee`))}, management ${fmt(t(`${prefix}managementFee`))}; fee recipient holds ${fmt(await v.convertToAssets(feeShares))}`,
    ];
  }
  function rewardLines(key: string): string[] {
    const rows = ctx.rewards.get(key);
    if (rows === undefined || rows.size === 0) return ["rewards             none"];
    const lines = [
      `rewards             ${"token".padEnd(8)} ${"harvested".padStart(14)} ${"routed".padStart(14)} ${"claimed".padStart(14)}`,
    ];
    for (const [token, row] of [...rows.entries()].sort()) {
      const dec = token === symbol ? decimals : 18;
      lines.push(
        `                    ${token.padEnd(8)} ${pretty(row.harvested, dec).padStart(14)} ${pretty(row.routed, dec).padStart(14)} ${pretty(row.claimed, dec).padStart(14)}`,
      );
    }
    return lines;
  }

  const [coreSteps, bridge, usdcRewards, stgSteps, veSteps] = [
    [crunchStep, depositStep, yieldStep, withdrawalStep],
    [bridgeStep, crossChainStep],
    usdcRewardsStep,
    stgStep,
    veStep,
  ] as const;
  console.log(`\n==== summary (seed ${SEED}, ${(elapsed / DAY).toFixed(1)} days) ====`);
  console.log(
    `\n---- rvUSDC: USDC bridge vault (ERC-4626 target + Stargate V2 pool and farm), ${DEPOSITORS} depositors`,
  );
  for (const line of await vaultLines(vault, decimals, symbol, "", priceStart)) console.log(line);
  console.log(
    `flows               deposited ${ctx.fmt(t("deposited"))}, withdrawn ${ctx.fmt(t("withdrawn"))}, target yield ${ctx.fmt(t("targetYield"))} (gross ${(Number(process.env.DEMO_APY ?? 0.08) * 100).toFixed(1)}% on the target's part)`,
  );
  console.log(
    `in Stargate         ${ctx.fmt(await suite.usdc.stargateAdapter.totalAssets())} LP staked; farm rewards come as STG and OP, the LP itself does not grow`,
  );
  for (const line of rewardLines("usdc")) console.log(line);
  console.log(
    `routing             STG routed into rvSTG: ${pretty(t("usdc.routedShares"), 18)} rvSTG shares streamed to rvUSDC holders (compounding in the STG vault)`,
  );
  for (const step of [...coreSteps, ...bridge, usdcRewards]) {
    for (const line of (await step.summary?.(ctx)) ?? []) console.log(line);
  }
  console.log(`\n---- rvSTG: STG governance-staking vault (stkAAVE-shaped cooldown staking token), 8 holders`);
  for (const line of await vaultLines(stgVault, 18, "tSTG", "stg.", otherStart[0])) console.log(line);
  console.log(
    `flows               deposited ${pretty(t("stg.deposited"), 18)} tSTG, withdrawn through the queue ${pretty(t("stg.withdrawn"), 18)} tSTG, routed in from rvUSDC ${pretty(ctx.rewards.get("usdc")?.get("tSTG")?.routed ?? 0n, 18)} tSTG`,
  );
  for (const line of (await stgSteps.summary?.(ctx)) ?? []) console.log(line);
  console.log(`\n---- rvVELO: vote-escrow vault (veNFT, weekly votes), 6 holders`);
  for (const line of await vaultLines(veVault, 18, "tVELO", "ve.", otherStart[1])) console.log(line);
  console.log(
    `flows               deposited ${pretty(t("ve.deposited"), 18)} tVELO (locked: exits only once the lock ends)`,
  );
  for (const line of rewardLines("ve")) console.log(line);
  for (const line of (await veSteps.summary?.(ctx)) ?? []) console.log(line);
  console.log("");
  for (const line of (await keeperStep.summary?.(ctx)) ?? []) console.log(line);

  console.log("\ngas per operation   op                 count      avg      min      max");
  for (const [op, list] of [...ctx.gas.entries()].sort()) {
    const sum = list.reduce((a, b) => a + b, 0n);
    const min = list.reduce((a, b) => (b < a ? b : a));
    const max = list.reduce((a, b) => (b > a ? b : a));
    console.log(
      `                    ${op.padEnd(18)} ${String(list.length).padStart(5)} ${String(sum / BigInt(list.length)).padStart(8)} ${String(min).padStart(8)} ${String(max).padStart(8)}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
