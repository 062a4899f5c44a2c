import { task, types } from "hardhat/config";
import { adapterAt, context, type Ctx, type VaultArgs } from "./lib";

export type AdapterStatus = {
  adapter: string;
  debt: bigint;
  absoluteCap: bigint;
  relativeCapBps: bigint;
  realAssets: bigint;
  releasable: bigint;
  /** realAssets - debt: what the next report would realise (negative: a loss). */
  unrealised: bigint;
};

export type PendingChange = { call: string; data: string; executableAt: bigint; ready: boolean };

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
  roles: { owner: string; curator: string; guardian: string; feeRecipient: string };
  adapters: AdapterStatus[];
  pending: PendingChange[];
};

/**
 * Pending timelocked calls without an indexer: every Submitted event since `fromBlock`, kept while the vault
 * still reports an executableAt for its data (accepted and revoked ones read 0).
 */
async function pendingChanges(ctx: Ctx, fromBlock: number): Promise<PendingChange[]> {
  const events = await ctx.vault.queryFilter(ctx.vault.filters.Submitted(), fromBlock);
  const now = BigInt((await ctx.hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  const seen = new Set<string>();
  const pending: PendingChange[] = [];
  for (const event of events) {
    const data = event.args.data;
    if (seen.has(data)) continue;
    seen.add(data);
    const at = await ctx.vault.executableAt(data);
    if (at === 0n) continue;
    const parsed = ctx.vault.interface.parseTransaction({ data });
    const call = parsed ? `${parsed.name}(${parsed.args.map(String).join(", ")})` : data;
    pending.push({ call, data, executableAt: at, ready: at <= now });
  }
  return pending;
}

export async function vaultStatus(ctx: Ctx, fromBlock = 0): Promise<VaultStatus> {
  const { vault } = ctx;
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
    });
  }
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
    roles: {
      owner: await vault.owner(),
      curator: await vault.curator(),
      guardian: await vault.guardian(),
      feeRecipient: await vault.feeRecipient(),
    },
    adapters,
    pending: await pendingChanges(ctx, fromBlock),
  };
}

function print(ctx: Ctx, s: VaultStatus): void {
  const f = ctx.fmt;
  const symbol = `(${ctx.decimals} dec)`;
  console.log(`vault ${s.vault}  asset ${s.asset} ${symbol}`);
  console.log(`  TVL (totalAssets)  ${f(s.totalAssets)}`);
  console.log(
    `  share price        ${f(s.sharePrice)} per share  (supply ${ctx.hre.ethers.formatUnits(s.totalSupply, 18)})`,
  );
  console.log(`  idle / debt        ${f(s.idle)} / ${f(s.debt)}`);
  console.log(
    `  locked profit      ${f(s.lockedProfit)} (unlocked by ${new Date(Number(s.unlockEnd) * 1000).toISOString()})`,
  );
  console.log(`  liquid now         ${f(s.liquidNow)}`);
  console.log(`  paused ${s.paused}  shutdown ${s.shutdown}  timelock ${s.timelock}s`);
  console.log(`  owner ${s.roles.owner}  curator ${s.roles.curator}  guardian ${s.roles.guardian}`);
  for (const a of s.adapters) {
    console.log(`  adapter ${a.adapter}`);
    console.log(
      `    debt ${f(a.debt)}  real ${f(a.realAssets)}  unrealised ${a.unrealised < 0n ? "-" : "+"}${f(a.unrealised < 0n ? -a.unrealised : a.unrealised)}`,
    );
    console.log(`    releasable ${f(a.releasable)}  cap ${f(a.absoluteCap)} / ${a.relativeCapBps} bps`);
  }
  if (s.pending.length === 0) console.log("  pending timelocked changes: none");
  for (const p of s.pending) {
    const when = new Date(Number(p.executableAt) * 1000).toISOString();
    console.log(`  pending: ${p.call}  executable at ${when}${p.ready ? " (READY)" : ""}`);
  }
}

task("vault:status", "Prints a vault's books, adapters, liquidity, flags and pending timelocked changes")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("fromBlock", "First block to scan for Submitted events", 0, types.int)
  .setAction(async (args: VaultArgs & { fromBlock: number }, hre) => {
    const ctx = await context(hre, args, true);
    const status = await vaultStatus(ctx, args.fromBlock);
    print(ctx, status);
    return status;
  });
