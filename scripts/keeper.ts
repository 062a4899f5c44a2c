/**
 * The keeper: runs the vaults by a policy (scripts/keeper/policy.ts, keeper/policies/<network>.json).
 *
 *   npm run keeper -- --network localL2 [--once] [--dry-run] [--policy file] [--from 0x...]
 *
 * Each tick, per vault and in this order, it decides and logs every decision with its reason:
 *   1. report: an adapter whose real assets moved beyond reportThresholdBps of its debt (a loss: at once);
 *   2. harvest: an adapter whose harvest interval (policy) has passed since the vault's lastHarvest;
 *   3. queue: settle the closed settlement windows when the vault can pay any of their shares (every waiting
 *      request is filled by the same fraction); for what still waits (the open window included), free liquidity:
 *      deallocate what synchronous adapters can release now, prepareRelease on asynchronous ones (no release already
 *      under way; the vault reserves what a release frees for the queue);
 *   4. buffer: when idle, after the queued demand, is below idleBufferBps of totalAssets (or the vault's minIdle),
 *      deallocate from synchronous adapters back up to it, those that cannot lose first, within what they release;
 *   5. allocate: idle above the buffer (idleBufferBps of totalAssets, the vault's minIdle, queued demand) toward the
 *      target weights, within each adapter's absolute and relative caps.
 * No deallocation or prepareRelease below the policy's minRelease (default minAllocate) is sent: it is logged as
 * "below minRelease".
 * Nothing is sent while the latest base fee is above baseFeeCeilingGwei, from a key without the role the call needs
 * (reports and harvests: keeper; allocation: allocator; releases: allocator or keeper), or with --dry-run. Transient
 * RPC errors are retried; a revert is logged with its decoded error and the keeper moves on.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { IAdapterTraits, IAsyncAdapter, IRedemptionQueue } from "../typechain-types";
import { formatToken } from "../tasks/format";
import {
  adapterAt,
  context,
  deploymentRecord,
  describeError,
  duration,
  hasRole,
  now,
  queueOfVault,
  recordedAddresses,
  recordedPartOf,
  type Ctx,
} from "../tasks/lib";
import type { KeeperPolicy, VaultPolicy } from "./keeper/policy";

export type Decision = {
  vault: string;
  action: "report" | "harvest" | "settle" | "deallocate" | "prepareRelease" | "allocate" | "none";
  adapter?: string;
  amount?: bigint;
  reason: string;
  /** sent: a transaction was mined; dry-run / skipped: nothing sent (skipped says why); failed: it reverted. */
  outcome: "sent" | "dry-run" | "skipped" | "failed" | "idle";
  tx?: string;
};

export type KeeperOptions = { dryRun?: boolean; from?: string; log?: (line: string) => void };

const TRANSIENT = /ECONNRESET|ETIMEDOUT|ECONNREFUSED|socket hang up|429|rate limit|timeout|missing response|HH108/i;

/** Retries `fn` on transient RPC errors (not on reverts), waiting 0.5 s, 1 s, 2 s. */
export async function retry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      const text = String((error as Error)?.message ?? error);
      if (i >= attempts || !TRANSIENT.test(text)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** i));
    }
  }
}

/** An adapter named in the policy: an address, or a deployment-record part name among the vault's adapters. */
async function resolveAdapter(hre: HardhatRuntimeEnvironment, name: string, enabled: string[]): Promise<string[]> {
  if (name === "*") return enabled;
  if (hre.ethers.isAddress(name)) return [hre.ethers.getAddress(name)].filter((a) => enabled.includes(a));
  const recorded = await recordedAddresses(hre, name);
  return recorded.filter((a) => enabled.includes(a));
}

async function vaultAddressOf(hre: HardhatRuntimeEnvironment, policy: VaultPolicy): Promise<string> {
  const name = policy.vault ?? "Vault#RollupVault";
  if (hre.ethers.isAddress(name)) return hre.ethers.getAddress(name);
  const { record, file } = await deploymentRecord(hre);
  if (record[name] && hre.ethers.isAddress(record[name])) return hre.ethers.getAddress(record[name]);
  throw new Error(`keeper: no ${name} in ${file}: put the vault's address in the policy.`);
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** An amount of the policy in asset units ("10.5"); absent: 1 wei (any amount is worth it). */
function parseAmount(ctx: Ctx, amount: string | undefined): bigint {
  return amount ? ctx.hre.ethers.parseUnits(amount, ctx.decimals) : 1n;
}

type Tick = { ctx: Ctx; policy: VaultPolicy; options: KeeperOptions; decisions: Decision[]; tooExpensive?: string };

/** Logs a decision and, when allowed, sends it. */
async function act(
  t: Tick,
  decision: Omit<Decision, "vault" | "outcome">,
  role: ("keeper" | "allocator")[],
  send: () => Promise<{ wait(): Promise<unknown> }>,
): Promise<boolean> {
  const vault = await t.ctx.vault.getAddress();
  const full: Decision = { ...decision, vault, outcome: "sent" };
  let allowed = false;
  for (const r of role) if (await hasRole(t.ctx, r)) allowed = true;
  if (!allowed) {
    full.outcome = "skipped";
    full.reason += `; skipped: ${t.ctx.signer.address} lacks the ${role.join(" or ")} role`;
  } else if (t.tooExpensive) {
    full.outcome = "skipped";
    full.reason += `; skipped: ${t.tooExpensive}`;
  } else if (t.options.dryRun) {
    full.outcome = "dry-run";
  } else {
    try {
      const receipt = (await (await retry(send)).wait()) as { hash: string } | null;
      full.tx = receipt?.hash;
    } catch (error) {
      full.outcome = "failed";
      full.reason += `; reverted: ${describeError(t.ctx, error)}`;
    }
  }
  t.decisions.push(full);
  const target = full.adapter ? ` ${full.adapter}` : "";
  const amount = full.amount !== undefined ? ` ${t.ctx.fmt(full.amount)}` : "";
  (t.options.log ?? console.log)(
    `[${full.outcome}] ${vault} ${full.action}${target}${amount}: ${full.reason}${full.tx ? ` (tx ${full.tx})` : ""}`,
  );
  return full.outcome === "sent" || full.outcome === "dry-run";
}

function note(t: Tick, vault: string, reason: string, adapter?: string): void {
  t.decisions.push({ vault, action: "none", adapter, reason, outcome: "idle" });
  (t.options.log ?? console.log)(`[idle] ${vault}${adapter ? ` ${adapter}` : ""}: ${reason}`);
}

async function findQueue(t: Tick): Promise<IRedemptionQueue | undefined> {
  const { hre } = t.ctx;
  const vault = await t.ctx.vault.getAddress();
  const address =
    t.policy.queue ??
    (await queueOfVault(hre, vault)) ??
    (await recordedPartOf(hre, "RedemptionQueue", "queue", vault, false));
  if (!address) return undefined;
  return (await hre.ethers.getContractAt("IRedemptionQueue", address)) as unknown as IRedemptionQueue;
}

async function tickVault(t: Tick): Promise<void> {
  const { ctx, policy } = t;
  const { hre, vault } = ctx;
  const address = await vault.getAddress();
  const enabled = [...(await retry(() => vault.withdrawQueue()))].map((a) => hre.ethers.getAddress(a));

  // 1. Reports.
  for (const adapter of enabled) {
    const [, debt] = await retry(() => vault.adapterConfig(adapter));
    const real = await retry(async () => (await adapterAt(ctx, adapter)).totalAssets());
    if (real < debt) {
      await act(
        t,
        { action: "report", adapter, reason: `loss of ${ctx.fmt(debt - real)}: reported at once` },
        ["keeper"],
        () => vault.report(adapter),
      );
    } else if (debt > 0n && (real - debt) * 10_000n >= BigInt(policy.reportThresholdBps) * debt && real > debt) {
      const bps = ((real - debt) * 10_000n) / debt;
      await act(
        t,
        {
          action: "report",
          adapter,
          reason: `gain of ${ctx.fmt(real - debt)} (${bps} bps >= ${policy.reportThresholdBps} bps)`,
        },
        ["keeper"],
        () => vault.report(adapter),
      );
    } else {
      note(
        t,
        address,
        `no report: real assets ${ctx.fmt(real)} vs debt ${ctx.fmt(debt)} within ${policy.reportThresholdBps} bps`,
        adapter,
      );
    }
  }

  // 2. Harvests.
  const at = await retry(() => now(hre));
  for (const [name, interval] of Object.entries(policy.harvestIntervals ?? {})) {
    for (const adapter of await resolveAdapter(hre, name, enabled)) {
      const last = await retry(() => vault.lastHarvest(adapter));
      const [, debt] = await retry(() => vault.adapterConfig(adapter));
      const since = last === 0n ? "never harvested" : `${duration(at - last)} since the last harvest`;
      if (debt === 0n) {
        note(t, address, "no harvest: nothing allocated to it", adapter);
      } else if (at >= last + BigInt(interval)) {
        await act(
          t,
          { action: "harvest", adapter, reason: `${since}; interval ${duration(BigInt(interval))}` },
          ["keeper"],
          () => vault.harvest(adapter),
        );
      } else {
        note(t, address, `no harvest: next in ${duration(last + BigInt(interval) - at)}`, adapter);
      }
    }
  }

  // Releases (deallocations and prepareRelease) below minRelease are not sent; a dry run tracks what it would free.
  const minRelease = parseAmount(ctx, policy.minRelease ?? policy.minAllocate);
  const minAllocate = parseAmount(ctx, policy.minAllocate);
  // Idle once the closed windows are settled (read again after a settlement; a dry run subtracts what it would pay).
  let idleAtStart = await retry(() => vault.totalIdle());
  const planned = new Map<string, bigint>();
  let freedDry = 0n;
  let need = -idleAtStart;
  const pendingReleaseOf = async (adapter: string) => {
    const asyncAdapter = (await hre.ethers.getContractAt("IAsyncAdapter", adapter)) as unknown as IAsyncAdapter;
    return asyncAdapter.pendingRelease().catch(() => undefined);
  };
  const releasableNow = async (adapter: string) => {
    const releasable = await retry(async () => (await adapterAt(ctx, adapter)).releasable());
    const already = planned.get(adapter) ?? 0n;
    return releasable > already ? releasable - already : 0n;
  };
  const belowMinRelease = (adapter: string, action: string, amount: bigint) =>
    note(t, address, `no ${action} of ${ctx.fmt(amount)}: below minRelease ${ctx.fmt(minRelease)}`, adapter);
  const release = async (adapter: string, amount: bigint, reason: string): Promise<boolean> => {
    if (amount < minRelease) {
      belowMinRelease(adapter, "deallocate", amount);
      return false;
    }
    const done = await act(t, { action: "deallocate", adapter, amount, reason }, ["allocator"], () =>
      vault.deallocate(adapter, amount),
    );
    if (done && t.options.dryRun) {
      planned.set(adapter, (planned.get(adapter) ?? 0n) + amount);
      freedDry += amount;
    }
    return done;
  };

  // 3. The redemption queue: settle the closed windows (every waiting request filled by the same fraction of what
  // the vault can pay now); then free liquidity for what still waits, open window included.
  let queuedDemand = 0n;
  const queue = await findQueue(t);
  if (queue) {
    let pending = await retry(() => queue.pendingShares());
    const fulfillable = pending === 0n ? 0n : await retry(() => queue.fulfillableShares());
    // Shares of closed windows: a window that closed since the queue was last touched joins the pool at settlement.
    const closed =
      pending === 0n || (await retry(() => queue.currentWindow())) !== (await retry(() => queue.openWindow()))
        ? pending
        : await retry(() => queue.pooledShares());
    if (fulfillable > 0n) {
      // settle is open to anyone: the role list is the keeper's, who may always call it.
      const paid = await retry(() => vault.previewRedeem(fulfillable));
      const sent = await act(
        t,
        {
          action: "settle",
          amount: paid,
          reason:
            `the vault can pay ${ctx.fmtShares(fulfillable)} of the ${ctx.fmtShares(closed)} waiting in closed ` +
            `windows: every request filled by the same fraction`,
        },
        ["keeper", "allocator"],
        () => queue.connect(ctx.signer).settle(),
      );
      // What a dry run would have settled no longer counts as demand; after a real settlement, read what is left.
      pending = t.options.dryRun && sent ? pending - fulfillable : await retry(() => queue.pendingShares());
      idleAtStart = t.options.dryRun && sent ? idleAtStart - paid : await retry(() => vault.totalIdle());
      need = -idleAtStart;
    } else if (closed > 0n) {
      note(
        t,
        address,
        `no settlement: the vault can pay none of the ${ctx.fmtShares(closed)} waiting in closed windows`,
      );
    } else if (pending > 0n) {
      const closesIn = (await retry(() => queue.windowClosesAt())) - (await retry(() => now(hre)));
      note(
        t,
        address,
        `no settlement: ${ctx.fmtShares(pending)} wait in the open window, settleable in ${duration(closesIn)}`,
      );
    }
    if (pending > 0n) {
      queuedDemand = await retry(() => vault.convertToAssets(pending));
      const reserved = await retry(() => vault.queueReserve());
      if (reserved > 0n) note(t, address, `${ctx.fmt(reserved)} of liquidity is reserved for the queue`);
      // What the queue needs beyond idle; what is freed (or a release started or under way) counts against it.
      need = queuedDemand - idleAtStart;
      for (const adapter of enabled) {
        if (need <= 0n) break;
        const [, debt] = await retry(() => vault.adapterConfig(adapter));
        if (debt === 0n) continue;
        const underWay = await pendingReleaseOf(adapter);
        const releasable = await releasableNow(adapter);
        if (releasable > 0n) {
          const amount = min(min(releasable, need), debt);
          if (await release(adapter, amount, `queued demand of ${ctx.fmt(queuedDemand)} the vault cannot pay`))
            need -= amount;
        } else if (underWay !== undefined && underWay[0] === 0n) {
          const amount = min(debt, need);
          if (amount < minRelease) {
            belowMinRelease(adapter, "prepareRelease", amount);
          } else if (
            await act(
              t,
              {
                action: "prepareRelease",
                adapter,
                amount,
                reason: `queued demand of ${ctx.fmt(queuedDemand)}: start freeing locked assets`,
              },
              ["allocator", "keeper"],
              () => vault.prepareRelease(adapter, amount),
            )
          )
            need -= amount;
        } else if (underWay !== undefined) {
          note(t, address, `release of ${ctx.fmt(underWay[0])} already under way`, adapter);
          need -= underWay[0];
        }
      }
    }
  }

  // 4. The idle buffer: when idle (after the queue's demand) is below idleBufferBps of totalAssets (or the vault's
  // minIdle), deallocate from synchronous adapters back up to it, those that cannot lose first.
  const [totalAssets, minIdle, paused] = await Promise.all([
    retry(() => vault.totalAssets()),
    retry(() => vault.minIdle()),
    retry(() => vault.paused()),
  ]);
  const bufferBps = (totalAssets * BigInt(policy.idleBufferBps)) / 10_000n;
  const buffer = bufferBps > minIdle ? bufferBps : minIdle;
  let short = buffer + need;
  if (short > 0n && buffer > 0n) {
    const demand = queuedDemand > 0n ? ` after ${ctx.fmt(queuedDemand)} of queued demand` : "";
    const why =
      `idle ${ctx.fmt(idleAtStart)}${demand} is below the buffer of ${ctx.fmt(buffer)} ` +
      `(${policy.idleBufferBps} bps of ${ctx.fmt(totalAssets)}${buffer === minIdle && minIdle > bufferBps ? ", the vault's minIdle" : ""})`;
    const candidates: { adapter: string; releasable: bigint; debt: bigint; safe: boolean }[] = [];
    for (const adapter of enabled) {
      const [, debt] = await retry(() => vault.adapterConfig(adapter));
      if (debt === 0n) continue;
      // Synchronous only: an asynchronous adapter's released assets are the queue's, and a release is not started
      // for the buffer.
      const underWay = await pendingReleaseOf(adapter);
      if (underWay !== undefined && underWay[0] !== 0n) continue;
      const releasable = await releasableNow(adapter);
      if (releasable === 0n) continue;
      const traits = (await hre.ethers.getContractAt("IAdapterTraits", adapter)) as unknown as IAdapterTraits;
      const safe = await traits.cannotLose().catch(() => false);
      candidates.push({ adapter, releasable, debt, safe });
    }
    // Loss-free first (a stable sort keeps the withdraw queue's order within each group).
    candidates.sort((a, b) => Number(b.safe) - Number(a.safe));
    if (candidates.length === 0) note(t, address, `${why}; no synchronous adapter can release anything`);
    for (const c of candidates) {
      if (short <= 0n) break;
      const amount = min(min(c.releasable, short), c.debt);
      if (await release(c.adapter, amount, `${why}: restore it${c.safe ? " (loss-free adapter first)" : ""}`))
        short -= amount;
    }
  }

  // 5. Allocation of idle toward the target weights.
  const weights = policy.targetWeightsBps ?? {};
  if (Object.keys(weights).length === 0) return;
  if (paused) return note(t, address, "no allocation: the vault is paused");
  // In a dry run nothing was freed: what would have been counts as idle.
  const idle = (await retry(() => vault.totalIdle())) + (t.options.dryRun ? freedDry : 0n);
  const keep = buffer + queuedDemand;
  let spare = idle > keep ? idle - keep : 0n;
  for (const [name, weight] of Object.entries(weights)) {
    for (const adapter of await resolveAdapter(hre, name, enabled)) {
      const [, debt, absoluteCap, relativeCapBps] = await retry(() => vault.adapterConfig(adapter));
      const target = (totalAssets * BigInt(weight)) / 10_000n;
      const relativeCap = (totalAssets * relativeCapBps) / 10_000n;
      const cap = absoluteCap < relativeCap ? absoluteCap : relativeCap;
      let amount = target > debt ? target - debt : 0n;
      if (cap > debt && amount > cap - debt) amount = cap - debt;
      if (cap <= debt) amount = 0n;
      if (amount > spare) amount = spare;
      if (amount < minAllocate) {
        note(
          t,
          address,
          `no allocation: debt ${ctx.fmt(debt)} vs target ${ctx.fmt(target)} (${weight} bps), spare idle ${ctx.fmt(spare)}, cap ${ctx.fmt(cap)}`,
          adapter,
        );
        continue;
      }
      if (
        await act(
          t,
          {
            action: "allocate",
            adapter,
            amount,
            reason: `toward ${weight} bps of ${ctx.fmt(totalAssets)} (debt ${ctx.fmt(debt)}), keeping ${ctx.fmt(keep)} idle`,
          },
          ["allocator"],
          () => vault.allocate(adapter, amount),
        )
      )
        spare -= amount;
    }
  }
}

/** One tick over every vault of the policy: the decisions, each with its reason and outcome. */
export async function keeperTick(
  hre: HardhatRuntimeEnvironment,
  policy: KeeperPolicy,
  options: KeeperOptions = {},
): Promise<Decision[]> {
  const decisions: Decision[] = [];
  const block = await retry(() => hre.ethers.provider.getBlock("latest"));
  const baseFee = block?.baseFeePerGas ?? 0n;
  const ceiling = hre.ethers.parseUnits(String(policy.baseFeeCeilingGwei), "gwei");
  const tooExpensive =
    baseFee > ceiling
      ? `base fee ${formatToken(baseFee, 9, "gwei")} above the ceiling ${policy.baseFeeCeilingGwei} gwei`
      : undefined;
  for (const vaultPolicy of policy.vaults) {
    const vault = await vaultAddressOf(hre, vaultPolicy);
    const ctx = await context(hre, { vault, from: options.from });
    await tickVault({ ctx, policy: vaultPolicy, options, decisions, tooExpensive });
  }
  return decisions;
}

/** The long-running loop (or one tick with `once`). Errors of a tick are logged; the loop goes on. */
export async function runKeeper(
  hre: HardhatRuntimeEnvironment,
  policy: KeeperPolicy,
  options: KeeperOptions & { once?: boolean } = {},
): Promise<Decision[]> {
  const log = options.log ?? console.log;
  for (;;) {
    let decisions: Decision[] = [];
    try {
      decisions = await keeperTick(hre, policy, options);
    } catch (error) {
      if (options.once) throw error;
      log(`[error] tick failed: ${String((error as Error)?.message ?? error).split("\n")[0]}`);
    }
    if (options.once) return decisions;
    await new Promise((resolve) => setTimeout(resolve, policy.pollSeconds * 1000));
  }
}

export type { HardhatEthersSigner };
