/**
 * The keeper of the demo: once a day, the real keeper (scripts/keeper.ts, the same decision code as
 * `npm run keeper -- --once`) ticks in-process over the three vaults with the policy below, from the keeper's key
 * (which the owner also makes an allocator, as docs/operations.md asks). It decides and sends every report,
 * harvest, queue settlement, release for queued demand and allocation toward the target weights; this step only
 * reads back what it sent (gas, Reported / Harvested / RewardsRouted / Settled events) and prints its decisions
 * with the keeper's own reasons: one line per vault and day with something sent, plus queue notes when they
 * change; routine checks with nothing to do are only counted.
 */
import type { ContractTransactionReceipt } from "ethers";
import { formatToken } from "../../../tasks/format";
import { keeperTick, type Decision } from "../../keeper";
import { checkPolicy, type KeeperPolicy } from "../../keeper/policy";
import { addReward, addTotal, count, type DemoContext, type DemoStep, events } from "../context";
import { onStgSettled, symbolOf } from "./suite";

const DAY = 24 * 3600;

/** The demo's vaults as the keeper sees them: name for the printout, prefix for gas ops and report totals. */
type VaultInfo = {
  name: string;
  opPrefix: string;
  totalsPrefix: string;
  rewardsKey?: string;
  fmt: (value: bigint) => string;
};

let policy: KeeperPolicy | undefined;
const vaults = new Map<string, VaultInfo>();
const adapterNames = new Map<string, string>();
/** Queue notes of the previous tick per vault, numbers stripped: a note prints only when it was not there then. */
let lastNotes = new Map<string, Set<string>>();
const sentByAction = new Map<string, number>();
let idleChecks = 0;
let failed = 0;
let ticks = 0;

/** The policy of the demo's vaults (what the hand-written steps did before, now as the keeper's policy). */
async function demoPolicy(ctx: DemoContext): Promise<KeeperPolicy> {
  const { usdc, stg, ve } = ctx.suite;
  const a = (c: { getAddress(): Promise<string> }) => c.getAddress();
  return checkPolicy(
    {
      baseFeeCeilingGwei: 50,
      pollSeconds: DAY,
      vaults: [
        {
          vault: await a(usdc.vault),
          // 8% a year on the target is about 2 bps a day: a report every few days.
          reportThresholdBps: 5,
          harvestIntervals: { [await a(usdc.stargateAdapter)]: 3 * DAY },
          targetWeightsBps: { [await a(usdc.erc4626Adapter)]: 4_500, [await a(usdc.stargateAdapter)]: 4_500 },
          idleBufferBps: 1_000,
          minAllocate: "1000",
          minRelease: "1000",
        },
        {
          vault: await a(stg!.vault),
          reportThresholdBps: 10,
          harvestIntervals: { [await a(stg!.adapter)]: 4 * DAY },
          targetWeightsBps: { [await a(stg!.adapter)]: 10_000 },
          idleBufferBps: 0,
          minAllocate: "100",
          minRelease: "100",
        },
        {
          vault: await a(ve!.vault),
          reportThresholdBps: 10,
          harvestIntervals: { [await a(ve!.adapter)]: 7 * DAY },
          targetWeightsBps: { [await a(ve!.adapter)]: 10_000 },
          idleBufferBps: 0,
          minAllocate: "100",
          minRelease: "100",
        },
      ],
    },
    "demo keeper policy",
  );
}

/** Gas, counters and the ledger entries of one sent decision. */
async function record(ctx: DemoContext, info: VaultInfo, d: Decision): Promise<void> {
  const op = `${info.opPrefix}${d.action === "prepareRelease" ? "prepare" : d.action}`;
  const receipt = (await ctx.hre.ethers.provider.getTransactionReceipt(d.tx!)) as ContractTransactionReceipt | null;
  if (receipt === null) throw new Error(`keeper ${op}: no receipt for ${d.tx}`);
  const list = ctx.gas.get(op) ?? [];
  list.push(receipt.gasUsed);
  ctx.gas.set(op, list);
  count(ctx, op);
  const vaultInterface = ctx.suite.vault.interface;
  for (const e of events(receipt, vaultInterface, "Reported")) {
    addTotal(ctx, `${info.totalsPrefix}gain`, e.args.gain as bigint);
    addTotal(ctx, `${info.totalsPrefix}loss`, e.args.loss as bigint);
    addTotal(ctx, `${info.totalsPrefix}performanceFee`, e.args.performanceFee as bigint);
    addTotal(ctx, `${info.totalsPrefix}managementFee`, e.args.managementFee as bigint);
  }
  if (info.rewardsKey !== undefined) {
    for (const e of events(receipt, vaultInterface, "Harvested")) {
      const tokens = e.args.tokens as string[];
      const amounts = e.args.amounts as bigint[];
      for (let i = 0; i < tokens.length; i++) {
        addReward(ctx.rewards, info.rewardsKey, await symbolOf(ctx, tokens[i]), "harvested", amounts[i]);
      }
    }
    for (const e of events(receipt, ctx.suite.usdc.distributor.interface, "RewardsRouted")) {
      const symbol = await symbolOf(ctx, e.args.token as string);
      addReward(ctx.rewards, info.rewardsKey, symbol, "routed", e.args.amount as bigint);
      addTotal(ctx, `${info.rewardsKey}.routedShares`, e.args.shares as bigint);
    }
  }
  const stg = ctx.suite.stg!;
  if (d.action === "settle" && d.vault === (await stg.vault.getAddress())) {
    for (const e of events(receipt, stg.queue.interface, "Settled")) {
      await onStgSettled(ctx, e.args.pooledShares as bigint, e.args.filledShares as bigint, e.args.assets as bigint);
    }
  }
}

/** "allocate Stargate 1,000 tUSDC (toward …)": the keeper's decision in one clause, with its reason. */
function clause(d: Decision, fmt: (v: bigint) => string): string {
  const target = d.adapter ? ` ${adapterNames.get(d.adapter) ?? d.adapter}` : "";
  const amount = d.amount !== undefined && d.action !== "settle" ? ` ${fmt(d.amount)}` : "";
  const outcome = d.outcome === "sent" ? "" : ` [${d.outcome}]`;
  return `${d.action}${target}${amount}${outcome} (${d.reason})`;
}

export const keeperStep: DemoStep = {
  name: "keeper",
  async setup(ctx) {
    const { usdc, stg, ve } = ctx.suite;
    vaults.clear();
    adapterNames.clear();
    lastNotes = new Map();
    sentByAction.clear();
    idleChecks = failed = ticks = 0;
    const fmt = (symbol: string, decimals: number) => (v: bigint) => formatToken(v, decimals, symbol);
    const usdcFmt = fmt(await ctx.suite.asset.symbol(), Number(await ctx.suite.asset.decimals()));
    vaults.set(await usdc.vault.getAddress(), {
      name: "rvUSDC",
      opPrefix: "",
      totalsPrefix: "",
      rewardsKey: "usdc",
      fmt: usdcFmt,
    });
    vaults.set(await stg!.vault.getAddress(), {
      name: "rvSTG",
      opPrefix: "stg ",
      totalsPrefix: "stg.",
      fmt: fmt("tSTG", 18),
    });
    vaults.set(await ve!.vault.getAddress(), {
      name: "rvVELO",
      opPrefix: "ve ",
      totalsPrefix: "ve.",
      rewardsKey: "ve",
      fmt: fmt("tVELO", 18),
    });
    adapterNames.set(await usdc.erc4626Adapter.getAddress(), "ERC4626");
    adapterNames.set(await usdc.stargateAdapter.getAddress(), "Stargate");
    adapterNames.set(await stg!.adapter.getAddress(), "staking");
    adapterNames.set(await ve!.adapter.getAddress(), "veNFT");
    policy = await demoPolicy(ctx);

    // The keeper's key also allocates: the curator submits, the owner grants once the timelock has passed.
    const keeper = ctx.roles.keeper.address;
    const { ethers } = ctx.hre;
    let timelock = 0n;
    const grants = [];
    for (const vault of [usdc.vault, stg!.vault, ve!.vault]) {
      if (await vault.isAllocator(keeper)) continue;
      const data = vault.interface.encodeFunctionData("setAllocator", [keeper, true]);
      const wait = await vault.timelock();
      if (wait > 0n) await (await vault.connect(ctx.roles.curator).submit(data)).wait();
      if (wait > timelock) timelock = wait;
      grants.push({ vault, owner: await ethers.getSigner(await vault.owner()) });
    }
    if (timelock > 0n) {
      await ethers.provider.send("evm_increaseTime", [Number(timelock) + 1]);
      await ethers.provider.send("evm_mine", []);
    }
    for (const { vault, owner } of grants) await (await vault.connect(owner).setAllocator(keeper, true)).wait();
    console.log(
      `keeper: scripts/keeper.ts ticks once a day from ${keeper} (keeper + allocator); policy per vault: ` +
        policy.vaults
          .map((v) => {
            const w = Object.entries(v.targetWeightsBps ?? {})
              .map(([a, bps]) => `${adapterNames.get(a)} ${bps / 100}%`)
              .join(" + ");
            const h = Object.entries(v.harvestIntervals ?? {})
              .map(([a, s]) => `${adapterNames.get(a)} every ${s / DAY}d`)
              .join(", ");
            return `${vaults.get(v.vault!)!.name} [${w}, idle buffer ${v.idleBufferBps / 100}%, report at ${v.reportThresholdBps} bps, harvest ${h}]`;
          })
          .join("; ") +
        ". The buffer is kept when allocating and restored from synchronous adapters (loss-free first) after direct " +
        "exits; queued exits get deallocations and releases; nothing below minRelease (the minAllocate) is sent.",
    );
  },
  async daily(ctx) {
    if (policy === undefined) throw new Error("keeper step: setup did not run");
    const decisions = await keeperTick(ctx.hre, policy, { from: ctx.roles.keeper.address, log: () => undefined });
    ticks++;
    const lines = new Map<string, string[]>();
    const notes = new Map<string, Set<string>>();
    for (const d of decisions) {
      const info = vaults.get(d.vault)!;
      const out = lines.get(info.name) ?? [];
      if (d.outcome === "idle") {
        idleChecks++;
        // Routine checks (no report, no harvest, no allocation) are counted; queue notes print when they change.
        if (/^no (report|harvest|allocation)\b/.test(d.reason)) continue;
        const key = d.reason.replace(/~?[\d.,]+[dhms]?/g, "#");
        notes.set(d.vault, (notes.get(d.vault) ?? new Set()).add(key));
        if (lastNotes.get(d.vault)?.has(key)) continue;
        out.push(`note: ${d.reason}`);
      } else {
        if (d.outcome === "sent") {
          await record(ctx, info, d);
          sentByAction.set(d.action, (sentByAction.get(d.action) ?? 0) + 1);
        } else failed++;
        out.push(clause(d, info.fmt));
      }
      lines.set(info.name, out);
    }
    lastNotes = notes;
    for (const [name, out] of lines) {
      if (out.length > 0) console.log(`  kp day ${ctx.day} ${name}: ${out.join("; ")}`);
    }
  },
  async summary() {
    const sent = [...sentByAction.entries()].map(([a, n]) => `${a} ${n}`).join(", ");
    return [
      `keeper              scripts/keeper.ts, ${ticks} daily ticks over 3 vaults: sent ${sent || "nothing"}; ` +
        `${failed} not sent or reverted; ${idleChecks} checks with nothing to do`,
    ];
  },
};
