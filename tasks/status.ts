import { types } from "hardhat/config";
import type { IAsyncAdapter, IInKindAdapter, IRedemptionQueue, IStreamingRewardsDistributor } from "../typechain-types";
import { formatToken } from "./format";
import {
  adapterAt,
  context,
  duration,
  isoDate,
  now,
  queueOfVault,
  recordedPartOf,
  requireContract,
  task,
  TaskError,
  tokenInfo,
  type Ctx,
  type VaultArgs,
} from "./lib";

export type AdapterStatus = {
  adapter: string;
  debt: bigint;
  absoluteCap: bigint;
  relativeCapBps: bigint;
  realAssets: bigint;
  releasable: bigint;
  /** realAssets - debt: what the next report would realise (negative: a loss). */
  unrealised: bigint;
  /** IAsyncAdapter only (undefined for other adapters): what is on its way out and when it frees. */
  pendingRelease?: { assets: bigint; readyAt: bigint };
  /** IInKindAdapter only (undefined for other adapters): the token `redeemInKind` hands out through it and how much
   * of it can go now (`vault.inKindAvailable`: zero while its books are not backed). Issue 13.5. */
  inKind?: { token: string; available: bigint };
};

export type PendingChange = {
  /** `name(arg, ...)`, decoded with the IRollupVault interface (the raw data if it does not decode). */
  call: string;
  name: string;
  args: string[];
  data: string;
  executableAt: bigint;
  /** Seconds until it may be executed (0 once ready). */
  secondsLeft: bigint;
  ready: boolean;
};

export type RewardStreamStatus = {
  token: string;
  symbol: string;
  decimals: number;
  /** Still to stream. */
  streaming: bigint;
  /** When the stream ends. */
  end: bigint;
  /** Streaming or owed to holders. */
  accounted: bigint;
  /** Seconds of stream left (0 once ended). */
  secondsLeft: bigint;
  /** The ERC-4626 vault this token is routed into, or undefined. */
  route?: string;
};

export type RewardsStatus = { distributor: string; rewardPeriod: bigint; tokens: RewardStreamStatus[] };

export type QueueStatus = {
  queue: string;
  /** Shares of closed windows waiting for a settlement, and shares requested in the open window. */
  pooledShares: bigint;
  openShares: bigint;
  pendingShares: bigint;
  /** What the pending shares are worth at the current price. */
  pendingAssets: bigint;
  /** Fulfilled, not yet claimed: the queue holds these assets. */
  claimableAssets: bigint;
  /** Pending shares of closed windows the vault could pay now: what queue:fulfill (a settlement) would fill. */
  fulfillableShares: bigint;
  liquidNow: bigint;
  /** When the open window closes, and from when anyone may report and release for the queue. */
  windowClosesAt: bigint;
  livenessOpensAt: bigint;
  /** Adapters with a release under way (`queue.releaseSchedule()`). */
  releases: { adapter: string; assets: bigint; readyAt: bigint }[];
};

export type VaultStatus = {
  vault: string;
  asset: string;
  totalAssets: bigint;
  totalSupply: bigint;
  /** Assets per whole share (10^18 share units). */
  sharePrice: bigint;
  idle: bigint;
  debt: bigint;
  lockedProfit: bigint;
  unlockEnd: bigint;
  liquidNow: bigint;
  paused: boolean;
  shutdown: boolean;
  timelock: bigint;
  harvestInterval: bigint;
  /** Penalty on in-kind exits, in basis points (issue 13.5). */
  inKindPenalty: bigint;
  roles: { owner: string; curator: string; guardian: string; feeRecipient: string };
  adapters: AdapterStatus[];
  pending: PendingChange[];
  /** Present when the vault has a rewards distributor. */
  rewards?: RewardsStatus;
  /** Present when a redemption queue of this vault was given or found in the deployment record. */
  queue?: QueueStatus;
};

/**
 * Pending timelocked calls without an indexer: every Submitted event since `fromBlock`, kept while the vault
 * still reports an executableAt for its data (accepted and revoked ones read 0).
 */
async function pendingChanges(ctx: Ctx, fromBlock: number, at: bigint): Promise<PendingChange[]> {
  const events = await ctx.vault.queryFilter(ctx.vault.filters.Submitted(), fromBlock);
  const seen = new Set<string>();
  const pending: PendingChange[] = [];
  for (const event of events) {
    const data = event.args.data;
    if (seen.has(data)) continue;
    seen.add(data);
    const executableAt = await ctx.vault.executableAt(data);
    if (executableAt === 0n) continue;
    let name = "unknown";
    let args: string[] = [];
    try {
      const parsed = ctx.vault.interface.parseTransaction({ data });
      if (parsed) {
        name = parsed.name;
        args = parsed.args.map(String);
      }
    } catch {
      // not a call of the vault's interface: shown raw
    }
    const call = name === "unknown" ? data : `${name}(${args.join(", ")})`;
    const secondsLeft = executableAt > at ? executableAt - at : 0n;
    pending.push({ call, name, args, data, executableAt, secondsLeft, ready: secondsLeft === 0n });
  }
  return pending;
}

/** What an IAsyncAdapter has on its way out; undefined when the adapter does not implement it (or reverts). */
async function pendingRelease(ctx: Ctx, address: string): Promise<AdapterStatus["pendingRelease"]> {
  const adapter = (await ctx.hre.ethers.getContractAt("IAsyncAdapter", address)) as unknown as IAsyncAdapter;
  try {
    const [assets, readyAt] = await adapter.pendingRelease();
    return { assets, readyAt };
  } catch {
    return undefined;
  }
}

/** What `redeemInKind` can hand out through an adapter; undefined when it does not implement IInKindAdapter. */
async function inKind(ctx: Ctx, address: string): Promise<AdapterStatus["inKind"]> {
  const adapter = (await ctx.hre.ethers.getContractAt("IInKindAdapter", address)) as unknown as IInKindAdapter;
  try {
    return { token: await adapter.inKindToken(), available: await ctx.vault.inKindAvailable(address) };
  } catch {
    return undefined;
  }
}

async function rewardsStatus(ctx: Ctx, address: string, at: bigint): Promise<RewardsStatus> {
  const distributor = (await ctx.hre.ethers.getContractAt(
    "IStreamingRewardsDistributor",
    address,
  )) as unknown as IStreamingRewardsDistributor;
  const tokens: RewardStreamStatus[] = [];
  for (const token of await distributor.rewardTokens()) {
    const [streaming, end, accounted] = await distributor.streamOf(token);
    const route = await distributor.routeOf(token);
    tokens.push({
      token,
      ...(await tokenInfo(ctx.hre, token)),
      streaming,
      end,
      accounted,
      secondsLeft: end > at ? end - at : 0n,
      route: route === ctx.hre.ethers.ZeroAddress ? undefined : route,
    });
  }
  return { distributor: address, rewardPeriod: await distributor.rewardPeriod(), tokens };
}

/**
 * The redemption queue to show: --queue (must serve this vault), else one named in the deployment record if it
 * serves this vault; none otherwise.
 */
async function findQueue(ctx: Ctx, given?: string): Promise<IRedemptionQueue | undefined> {
  const vault = await ctx.vault.getAddress();
  const address = given
    ? await requireContract(ctx.hre, "--queue", given)
    : ((await queueOfVault(ctx.hre, vault)) ??
      (await recordedPartOf(ctx.hre, "RedemptionQueue", "--queue", vault, false)));
  if (!address) return undefined;
  const queue = (await ctx.hre.ethers.getContractAt("IRedemptionQueue", address)) as unknown as IRedemptionQueue;
  let served: string | undefined;
  try {
    served = await queue.vault();
  } catch {
    served = undefined;
  }
  if (served === vault) return queue;
  if (given) throw new TaskError(`--queue ${address} is not a redemption queue of vault ${vault}.`);
  return undefined;
}

async function queueStatus(queue: IRedemptionQueue): Promise<QueueStatus> {
  const schedule = await queue.releaseSchedule();
  return {
    queue: await queue.getAddress(),
    pooledShares: await queue.pooledShares(),
    openShares: await queue.openShares(),
    pendingShares: await queue.pendingShares(),
    pendingAssets: await queue.pendingAssets(),
    claimableAssets: await queue.claimableAssets(),
    fulfillableShares: await queue.fulfillableShares(),
    liquidNow: await queue.liquidNow(),
    windowClosesAt: await queue.windowClosesAt(),
    livenessOpensAt: await queue.livenessOpensAt(),
    releases: schedule.map((r) => ({ adapter: r.adapter, assets: r.assets, readyAt: r.readyAt })),
  };
}

export async function vaultStatus(ctx: Ctx, fromBlock = 0, queueAddress?: string): Promise<VaultStatus> {
  const { vault } = ctx;
  const at = await now(ctx.hre);
  const adapters: AdapterStatus[] = [];
  for (const address of await vault.withdrawQueue()) {
    const [, debt, absoluteCap, relativeCapBps] = await vault.adapterConfig(address);
    const adapter = await adapterAt(ctx, address);
    const realAssets = await adapter.totalAssets();
    const releasable = await adapter.releasable();
    adapters.push({
      adapter: address,
      debt,
      absoluteCap,
      relativeCapBps,
      realAssets,
      releasable,
      unrealised: realAssets - debt,
      pendingRelease: await pendingRelease(ctx, address),
      inKind: await inKind(ctx, address),
    });
  }
  const distributor = await vault.rewardsDistributor();
  const queue = await findQueue(ctx, queueAddress);
  return {
    vault: await vault.getAddress(),
    asset: await vault.asset(),
    totalAssets: await vault.totalAssets(),
    totalSupply: await vault.totalSupply(),
    sharePrice: await vault.convertToAssets(10n ** 18n),
    idle: await vault.totalIdle(),
    debt: await vault.totalDebt(),
    lockedProfit: await vault.lockedProfit(),
    unlockEnd: await vault.unlockEnd(),
    liquidNow: await vault.liquidAssets(),
    paused: await vault.paused(),
    shutdown: await vault.isShutdown(),
    timelock: await vault.timelock(),
    harvestInterval: await vault.harvestInterval(),
    inKindPenalty: await vault.inKindPenalty(),
    roles: {
      owner: await vault.owner(),
      curator: await vault.curator(),
      guardian: await vault.guardian(),
      feeRecipient: await vault.feeRecipient(),
    },
    adapters,
    pending: await pendingChanges(ctx, fromBlock, at),
    rewards: distributor === ctx.hre.ethers.ZeroAddress ? undefined : await rewardsStatus(ctx, distributor, at),
    queue: queue ? await queueStatus(queue) : undefined,
  };
}

function print(ctx: Ctx, s: VaultStatus): void {
  const f = ctx.fmt;
  const shares = ctx.fmtShares;
  const signed = (v: bigint) => `${v < 0n ? "-" : "+"}${f(v < 0n ? -v : v)}`;
  console.log(`vault ${s.vault}  asset ${ctx.symbol} ${s.asset} (${ctx.decimals} decimals)`);
  console.log(`  TVL (totalAssets)  ${f(s.totalAssets)}`);
  console.log(`  share price        ${f(s.sharePrice)} per share  (supply ${shares(s.totalSupply)})`);
  console.log(`  idle / debt        ${f(s.idle)} / ${f(s.debt)}`);
  console.log(
    `  locked profit      ${f(s.lockedProfit)}` + (s.lockedProfit > 0n ? ` (unlocked by ${isoDate(s.unlockEnd)})` : ""),
  );
  console.log(`  liquid now         ${f(s.liquidNow)}`);
  console.log(
    `  paused ${s.paused}  shutdown ${s.shutdown}  timelock ${s.timelock}s  harvest interval ${s.harvestInterval}s`,
  );
  console.log(`  owner ${s.roles.owner}  curator ${s.roles.curator}  guardian ${s.roles.guardian}`);
  for (const a of s.adapters) {
    console.log(`  adapter ${a.adapter}`);
    console.log(`    debt ${f(a.debt)}  real ${f(a.realAssets)}  unrealised ${signed(a.unrealised)}`);
    console.log(`    releasable ${f(a.releasable)}  cap ${f(a.absoluteCap)} / ${a.relativeCapBps} bps`);
    if (a.pendingRelease) {
      const { assets, readyAt } = a.pendingRelease;
      console.log(
        assets === 0n && readyAt === 0n
          ? "    pending release: none"
          : `    pending release: ${f(assets)} ready at ${isoDate(readyAt)}`,
      );
    }
    if (a.inKind) {
      console.log(
        `    in kind: ${f(a.inKind.available)} as ${a.inKind.token} (redeemInKind, penalty ${s.inKindPenalty} bps)`,
      );
    }
  }
  if (s.rewards) {
    console.log(`  rewards distributor ${s.rewards.distributor}  (period ${duration(s.rewards.rewardPeriod)})`);
    if (s.rewards.tokens.length === 0) console.log("    no reward token yet");
    for (const t of s.rewards.tokens) {
      const u = (v: bigint) => formatToken(v, t.decimals, t.symbol);
      const left = t.secondsLeft > 0n ? `ends ${isoDate(t.end)} (${duration(t.secondsLeft)} left)` : "stream ended";
      console.log(
        `    ${t.symbol} ${t.token}: streaming ${u(t.streaming)}, ${left}, accounted ${u(t.accounted)}` +
          (t.route ? `, routed into ${t.route}` : ""),
      );
    }
  } else {
    console.log("  rewards distributor: none");
  }
  if (s.queue) {
    const q = s.queue;
    console.log(`  redemption queue ${q.queue}`);
    console.log(
      `    pending ${shares(q.pendingShares)} shares (~${f(q.pendingAssets)} now): ${shares(q.pooledShares)} ` +
        `of closed windows, ${shares(q.openShares)} in the window closing ${isoDate(q.windowClosesAt)}`,
    );
    console.log(`    claimable ${f(q.claimableAssets)}  liquid now ${f(q.liquidNow)}`);
    console.log(
      `    fillable now ${shares(q.fulfillableShares)} shares` +
        (q.livenessOpensAt === 2n ** 256n - 1n
          ? ""
          : `  (anyone may report and release from ${isoDate(q.livenessOpensAt)})`),
    );
    if (q.releases.length === 0) console.log("    release schedule: nothing under way");
    for (const r of q.releases) console.log(`    release: ${f(r.assets)} from ${r.adapter} at ${isoDate(r.readyAt)}`);
  }
  if (s.pending.length === 0) console.log("  pending timelocked changes: none");
  for (const p of s.pending) {
    const when = p.ready ? "READY to execute" : `${duration(p.secondsLeft)} left`;
    console.log(`  pending: ${p.call}  executable at ${isoDate(p.executableAt)} (${when})`);
  }
}

task("vault:status", "Prints a vault's books, adapters, rewards, redemption queue and pending timelocked changes")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("queue", "Its redemption queue (default: the deployment record's, if any)")
  .addOptionalParam("fromBlock", "First block to scan for Submitted events", 0, types.int)
  .setAction(async (args: VaultArgs & { fromBlock: number; queue?: string }, hre) => {
    const ctx = await context(hre, args, true);
    const status = await vaultStatus(ctx, args.fromBlock, args.queue);
    print(ctx, status);
    return status;
  });
