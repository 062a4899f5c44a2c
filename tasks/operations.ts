import { task, types } from "hardhat/config";
import type { ContractTransactionReceipt } from "ethers";
import type { IAsyncAdapter, IStreamingRewardsDistributor } from "../typechain-types";
import {
  context,
  duration,
  hasRole,
  isoDate,
  now,
  parseAmount,
  requireAdapter,
  requireRole,
  send,
  TaskError,
  tokenInfo,
  type VaultArgs,
} from "./lib";

type AdapterArgs = VaultArgs & { adapter: string };
type AmountArgs = AdapterArgs & { amount: string };

task("vault:allocate", "Moves idle assets into an adapter (allocator)")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("adapter", "The adapter")
  .addParam("amount", "Assets, in asset units (e.g. 1000.5)")
  .setAction(async (args: AmountArgs, hre) => {
    const ctx = await context(hre, args);
    await requireRole(ctx, "allocator", "allocate");
    const adapter = await requireAdapter(ctx, args.adapter);
    const amount = parseAmount(ctx, args.amount);
    const idle = await ctx.vault.totalIdle();
    if (amount > idle) throw new TaskError(`Only ${ctx.fmt(idle)} is idle; cannot allocate ${args.amount}.`);
    return send(ctx, `allocate ${args.amount} to ${adapter}`, () => ctx.vault.allocate(adapter, amount));
  });

task("vault:deallocate", "Brings assets back from an adapter to idle (allocator)")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("adapter", "The adapter")
  .addParam("amount", "Assets, in asset units")
  .setAction(async (args: AmountArgs, hre) => {
    const ctx = await context(hre, args);
    await requireRole(ctx, "allocator", "deallocate");
    const adapter = await requireAdapter(ctx, args.adapter);
    const amount = parseAmount(ctx, args.amount);
    const [, debt] = await ctx.vault.adapterConfig(adapter);
    if (amount > debt)
      throw new TaskError(`Adapter ${adapter} holds ${ctx.fmt(debt)} on the books; cannot take ${args.amount}.`);
    return send(ctx, `deallocate ${args.amount} from ${adapter}`, () => ctx.vault.deallocate(adapter, amount));
  });

task("vault:report", "Realises an adapter's gain or loss (keeper); every adapter when --adapter is omitted")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addOptionalParam("adapter", "The adapter (default: all enabled adapters)")
  .setAction(async (args: VaultArgs & { adapter?: string }, hre) => {
    const ctx = await context(hre, args);
    await requireRole(ctx, "keeper", "report");
    const adapters = args.adapter ? [await requireAdapter(ctx, args.adapter)] : await ctx.vault.withdrawQueue();
    if (adapters.length === 0) throw new TaskError("The vault has no adapter to report.");
    const receipts = [];
    for (const adapter of adapters)
      receipts.push(await send(ctx, `report ${adapter}`, () => ctx.vault.report(adapter)));
    return receipts;
  });

export type HarvestResult = {
  receipt: ContractTransactionReceipt | null;
  /** What the adapter sent to the distributor, per token (the vault's Harvested event). */
  harvested: { token: string; symbol: string; amount: bigint }[];
  /** What the distributor did with each token: streamed (RewardsNotified) or left aside (RewardsSkipped). */
  streamed: { token: string; amount: bigint; end: bigint }[];
  skipped: { token: string; amount: bigint; reason: string }[];
};

const SKIP_REASONS = ["VaultToken", "TooManyTokens", "AmountTooLarge", "RouteFailed", "NotAllowed", "TokenCallFailed"];

task("vault:harvest", "Collects an adapter's reward tokens into the rewards distributor, which streams them")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("adapter", "The adapter")
  .setAction(async (args: AdapterArgs, hre): Promise<HarvestResult> => {
    const ctx = await context(hre, args);
    const adapter = await requireAdapter(ctx, args.adapter);
    const distributorAddress = await ctx.vault.rewardsDistributor();
    const noDistributor = distributorAddress === hre.ethers.ZeroAddress;
    if (noDistributor) {
      console.log(
        "  note: the vault has no rewards distributor: asset rewards stay in the adapter for the next report, " +
          "other reward tokens land in the vault (sweep them with skim)",
      );
    }
    // Keepers (and the owner) harvest at any time; anyone else only once harvestInterval has passed since the
    // adapter's last harvest (never while the interval is zero). Checked here so nothing is sent in vain.
    if (!(await hasRole(ctx, "keeper"))) {
      const interval = await ctx.vault.harvestInterval();
      const openAt = (await ctx.vault.lastHarvest(adapter)) + interval;
      const at = await now(hre);
      if (interval === 0n) {
        throw new TaskError(
          `${ctx.signer.address} is not a keeper and harvesting is not open to everyone (no harvest interval set). ` +
            "Pass --from <keeper address>.",
        );
      }
      if (at < openAt) {
        throw new TaskError(
          `${ctx.signer.address} is not a keeper and harvesting ${adapter} opens to everyone at ${isoDate(openAt)} ` +
            `(${duration(openAt - at)} left; interval ${duration(interval)}). Pass --from <keeper address> or wait.`,
        );
      }
    }
    const distributor = (await hre.ethers.getContractAt(
      "IStreamingRewardsDistributor",
      noDistributor ? await ctx.vault.getAddress() : distributorAddress,
    )) as unknown as IStreamingRewardsDistributor;
    const receipt = await send(
      ctx,
      `harvest ${adapter}`,
      () => ctx.vault.harvest(adapter),
      noDistributor ? [] : [distributor],
    );
    const result: HarvestResult = { receipt, harvested: [], streamed: [], skipped: [] };
    for (const log of receipt?.logs ?? []) {
      const address = hre.ethers.getAddress(log.address);
      if (address === (await ctx.vault.getAddress())) {
        const parsed = ctx.vault.interface.parseLog(log);
        if (parsed?.name !== "Harvested") continue;
        const [, , tokens, amounts] = parsed.args as unknown as [string, string, string[], bigint[]];
        for (let i = 0; i < tokens.length; i++) {
          result.harvested.push({
            token: tokens[i],
            symbol: (await tokenInfo(hre, tokens[i])).symbol,
            amount: amounts[i],
          });
        }
      } else if (address === distributorAddress) {
        const parsed = distributor.interface.parseLog(log);
        if (parsed?.name === "RewardsNotified") {
          result.streamed.push({ token: parsed.args.token, amount: parsed.args.amount, end: parsed.args.end });
        } else if (parsed?.name === "RewardsSkipped") {
          const reason = SKIP_REASONS[Number(parsed.args.reason)] ?? String(parsed.args.reason);
          result.skipped.push({ token: parsed.args.token, amount: parsed.args.amount, reason });
        }
      }
    }
    if (result.harvested.length === 0) console.log("  the adapter has no reward token");
    for (const h of result.harvested) {
      const { decimals } = await tokenInfo(hre, h.token);
      console.log(`  harvested ${hre.ethers.formatUnits(h.amount, decimals)} ${h.symbol} (${h.token})`);
    }
    for (const s of result.streamed) console.log(`  streaming ${s.token} until ${isoDate(s.end)}`);
    for (const s of result.skipped) console.log(`  left aside ${s.amount} of ${s.token}: ${s.reason}`);
    return result;
  });

task("vault:prepare-release", "Asks an asynchronous adapter to start freeing assets (allocator, keeper or owner)")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("adapter", "The adapter (must implement IAsyncAdapter)")
  .addParam("amount", "Assets to free, in asset units")
  .setAction(async (args: AmountArgs, hre) => {
    const ctx = await context(hre, args);
    await requireRole(ctx, ["allocator", "keeper"], "prepare a release");
    const adapter = await requireAdapter(ctx, args.adapter);
    const amount = parseAmount(ctx, args.amount);
    const async = (await hre.ethers.getContractAt("IAsyncAdapter", adapter, ctx.signer)) as unknown as IAsyncAdapter;
    try {
      await async.pendingRelease();
    } catch {
      throw new TaskError(
        `Adapter ${adapter} is not asynchronous (no IAsyncAdapter.pendingRelease): its assets are releasable without ` +
          "preparation; use vault:deallocate.",
      );
    }
    const [, debt] = await ctx.vault.adapterConfig(adapter);
    if (amount > debt) {
      throw new TaskError(`Adapter ${adapter} holds ${ctx.fmt(debt)} on the books; cannot release ${args.amount}.`);
    }
    const receipt = await send(ctx, `prepare release of ${args.amount} from ${adapter}`, () =>
      ctx.vault.prepareRelease(adapter, amount),
    );
    const [assets, readyAt] = await async.pendingRelease();
    console.log(
      assets === 0n && readyAt === 0n
        ? "  nothing pending: the assets are releasable now (or the adapter frees them on deallocation)"
        : `  pending release: ${ctx.fmt(assets)} ready at ${isoDate(readyAt)}`,
    );
    return { receipt, pendingRelease: { assets, readyAt } };
  });

type CapArgs = AdapterArgs & { absolute?: string; relative?: number };

task("vault:cap", "Sets an adapter's cap: lowering at once; raising is submitted, then accepted after the timelock")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("adapter", "The adapter")
  .addOptionalParam("absolute", "New absolute cap, in asset units")
  .addOptionalParam("relative", "New relative cap, in basis points", undefined, types.int)
  .setAction(async (args: CapArgs, hre) => {
    const ctx = await context(hre, args);
    if ((args.absolute === undefined) === (args.relative === undefined)) {
      throw new TaskError("Give exactly one of --absolute <assets> or --relative <bps>.");
    }
    await requireRole(ctx, "curator", "change caps");
    const adapter = await requireAdapter(ctx, args.adapter);
    const [, , absoluteCap, relativeCapBps] = await ctx.vault.adapterConfig(adapter);
    let data: string;
    let raising: boolean;
    if (args.absolute !== undefined) {
      const cap = args.absolute === "0" ? 0n : parseAmount(ctx, args.absolute, "--absolute");
      if (cap === absoluteCap) throw new TaskError(`The absolute cap is already ${args.absolute}.`);
      data = ctx.vault.interface.encodeFunctionData("setAbsoluteCap", [adapter, cap]);
      raising = cap > absoluteCap;
    } else {
      const bps = BigInt(args.relative as number);
      if (bps < 0n || bps > 10_000n) throw new TaskError("--relative must be within 0..10000 bps.");
      if (bps === relativeCapBps) throw new TaskError(`The relative cap is already ${bps} bps.`);
      data = ctx.vault.interface.encodeFunctionData("setRelativeCap", [adapter, bps]);
      raising = bps > relativeCapBps;
    }
    const timelock = await ctx.vault.timelock();
    const to = await ctx.vault.getAddress();
    const execute = () => ctx.signer.sendTransaction({ to, data });
    if (!raising || timelock === 0n) {
      return { action: "set", receipt: await send(ctx, "set cap", execute) };
    }
    const at = await ctx.vault.executableAt(data);
    if (at === 0n) {
      const receipt = await send(ctx, "submit cap raise", () => ctx.vault.submit(data));
      const executableAt = await ctx.vault.executableAt(data);
      console.log(
        `submitted; run the same command again from ${new Date(Number(executableAt) * 1000).toISOString()} to accept`,
      );
      return { action: "submitted", executableAt, receipt };
    }
    const current = await now(hre);
    if (current < at) {
      throw new TaskError(`The cap raise is pending until ${isoDate(at)} (${at - current}s left).`);
    }
    return { action: "accepted", receipt: await send(ctx, "accept cap raise", execute) };
  });

task("vault:pause", "Pauses deposits, mints and allocation (guardian); --unpause resumes them")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addFlag("unpause", "Resume instead of pause")
  .setAction(async (args: VaultArgs & { unpause: boolean }, hre) => {
    const ctx = await context(hre, args);
    await requireRole(ctx, "guardian", args.unpause ? "unpause" : "pause");
    const target = !args.unpause;
    if ((await ctx.vault.paused()) === target)
      throw new TaskError(`The vault is already ${target ? "paused" : "unpaused"}.`);
    return send(ctx, target ? "pause" : "unpause", () => ctx.vault.setPaused(target));
  });

task("vault:deposit", "Deposits assets (approving the vault first if needed)")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("amount", "Assets, in asset units")
  .addOptionalParam("receiver", "Receiver of the shares (default: the sender)")
  .setAction(async (args: VaultArgs & { amount: string; receiver?: string }, hre) => {
    const ctx = await context(hre, args);
    const amount = parseAmount(ctx, args.amount);
    const receiver = args.receiver ?? ctx.signer.address;
    if (!hre.ethers.isAddress(receiver)) throw new TaskError(`--receiver ${receiver} is not an address.`);
    const max = await ctx.vault.maxDeposit(receiver);
    if (amount > max)
      throw new TaskError(`The vault takes at most ${max === 0n ? "0 (paused or shut down)" : ctx.fmt(max)} now.`);
    const balance = await ctx.asset.balanceOf(ctx.signer.address);
    if (amount > balance) throw new TaskError(`${ctx.signer.address} holds only ${ctx.fmt(balance)} of the asset.`);
    const vaultAddress = await ctx.vault.getAddress();
    if ((await ctx.asset.allowance(ctx.signer.address, vaultAddress)) < amount) {
      await send(ctx, "approve", () => ctx.asset.approve(vaultAddress, amount));
    }
    return send(ctx, `deposit ${args.amount}`, () => ctx.vault.deposit(amount, receiver));
  });

task("vault:withdraw", "Withdraws assets; --all redeems every share; --max-loss-bps takes from adapters at a loss")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addOptionalParam("amount", "Assets, in asset units")
  .addFlag("all", "Redeem every share the sender holds (as far as liquid now)")
  .addOptionalParam(
    "maxLossBps",
    "Accept up to this loss (bps) from adapters carrying an unrealised loss",
    undefined,
    types.int,
  )
  .addOptionalParam("receiver", "Receiver of the assets (default: the sender)")
  .setAction(
    async (args: VaultArgs & { amount?: string; all: boolean; maxLossBps?: number; receiver?: string }, hre) => {
      const ctx = await context(hre, args);
      if ((args.amount === undefined) === !args.all)
        throw new TaskError("Give exactly one of --amount <assets> or --all.");
      const me = ctx.signer.address;
      const receiver = args.receiver ?? me;
      if (!hre.ethers.isAddress(receiver)) throw new TaskError(`--receiver ${receiver} is not an address.`);
      const maxLoss = args.maxLossBps;
      if (maxLoss !== undefined && (maxLoss < 0 || maxLoss > 10_000))
        throw new TaskError("--max-loss-bps must be within 0..10000.");
      if (args.all) {
        const shares = await ctx.vault.balanceOf(me);
        if (shares === 0n) throw new TaskError(`${me} holds no shares.`);
        const redeemable = maxLoss === undefined ? await ctx.vault.maxRedeem(me) : shares;
        if (redeemable < shares) {
          throw new TaskError(
            `Only ${ctx.fmt(await ctx.vault.maxWithdraw(me))} is liquid now; withdraw --amount or retry later.`,
          );
        }
        return maxLoss === undefined
          ? send(ctx, "redeem all", () => ctx.vault.redeem(shares, receiver, me))
          : send(ctx, "redeem all with max loss", () => ctx.vault.redeemWithMaxLoss(shares, receiver, me, maxLoss));
      }
      const amount = parseAmount(ctx, args.amount as string);
      const owned = await ctx.vault.convertToAssets(await ctx.vault.balanceOf(me));
      if (amount > owned) throw new TaskError(`${me} owns only ${ctx.fmt(owned)} in the vault.`);
      if (maxLoss === undefined) {
        const max = await ctx.vault.maxWithdraw(me);
        if (amount > max)
          throw new TaskError(`Only ${ctx.fmt(max)} can be withdrawn now (liquidity); try --max-loss-bps or later.`);
        return send(ctx, `withdraw ${args.amount}`, () => ctx.vault.withdraw(amount, receiver, me));
      }
      return send(ctx, `withdraw ${args.amount} with max loss ${maxLoss} bps`, () =>
        ctx.vault.withdrawWithMaxLoss(amount, receiver, me, maxLoss),
      );
    },
  );
