import { types } from "hardhat/config";
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
  task,
  TaskError,
  tokenInfo,
  type Ctx,
  type VaultArgs,
} from "./lib";
import { formatToken } from "./format";

type AdapterArgs = VaultArgs & { adapter: string };

/** The vault's events of `name` in a receipt. */
function parsedLogs(ctx: Ctx, receipt: ContractTransactionReceipt | null, name: string) {
  const out = [];
  for (const log of receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== ctx.vault.target.toString().toLowerCase()) continue;
    const parsed = ctx.vault.interface.parseLog(log);
    if (parsed?.name === name) out.push(parsed);
  }
  return out;
}

export type WithdrawResult = {
  receipt: ContractTransactionReceipt | null;
  /** Assets paid to the receiver. */
  assets: bigint;
  shares: bigint;
  /** Unrealised adapter losses taken by this withdrawal (WithdrawLoss events). */
  loss: bigint;
};

/** Prints and returns what a withdrawal paid, burnt and lost. */
function withdrawn(ctx: Ctx, receipt: ContractTransactionReceipt | null): WithdrawResult {
  const result: WithdrawResult = { receipt, assets: 0n, shares: 0n, loss: 0n };
  for (const e of parsedLogs(ctx, receipt, "Withdraw")) {
    result.assets += e.args.assets as bigint;
    result.shares += e.args.shares as bigint;
  }
  for (const e of parsedLogs(ctx, receipt, "WithdrawLoss")) result.loss += e.args.loss as bigint;
  console.log(`  received ${ctx.fmt(result.assets)} for ${ctx.fmtShares(result.shares)}; loss ${ctx.fmt(result.loss)}`);
  return result;
}
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
    return send(ctx, `allocate ${ctx.fmt(amount)} to ${adapter}`, () => ctx.vault.allocate(adapter, amount));
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
    return send(ctx, `deallocate ${ctx.fmt(amount)} from ${adapter}`, () => ctx.vault.deallocate(adapter, amount));
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
    for (const adapter of adapters) {
      const receipt = await send(ctx, `report ${adapter}`, () => ctx.vault.report(adapter));
      receipts.push(receipt);
      for (const event of parsedLogs(ctx, receipt, "Reported")) {
        const { gain, loss, performanceFee, managementFee, feeShares, adapterAssets } = event.args;
        console.log(
          `  ${adapter}: ${loss > 0n ? `loss ${ctx.fmt(loss)}` : `gain ${ctx.fmt(gain)}`}; ` +
            `fees ${ctx.fmt(performanceFee)} performance + ${ctx.fmt(managementFee)} management ` +
            `(${ctx.fmtShares(feeShares)} minted); adapter now holds ${ctx.fmt(adapterAssets)}`,
        );
      }
    }
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
    if (result.harvested.length === 0) {
      console.log(
        "  nothing harvested: no reward token other than the asset was owed (rewards paid in the asset stay in the " +
          "adapter's real assets: vault:report realises them)",
      );
    }
    const token = async (address: string, amount: bigint) => {
      const { symbol, decimals } = await tokenInfo(hre, address);
      return formatToken(amount, decimals, symbol);
    };
    for (const h of result.harvested) console.log(`  harvested ${await token(h.token, h.amount)} (${h.token})`);
    for (const s of result.streamed) {
      console.log(`  streaming ${await token(s.token, s.amount)} to holders until ${isoDate(s.end)}`);
    }
    for (const s of result.skipped) console.log(`  left aside ${await token(s.token, s.amount)}: ${s.reason}`);
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
    if (assets > amount) {
      // A cooldown staking program cools the whole stake down at once: --amount cannot narrow it.
      console.log(
        `  note: the adapter releases ${ctx.fmt(assets)}, more than the ${ctx.fmt(amount)} asked: its protocol ` +
          "frees the whole position at once (a staking cooldown covers the whole stake), so --amount is a minimum",
      );
    }
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
    if (amount > balance) {
      throw new TaskError(
        `${ctx.signer.address} holds only ${ctx.fmt(balance)}. On a local or test network whose asset is a ` +
          `test-support token: npx hardhat dev:fund --network ${hre.network.name} --amount ${args.amount}.`,
      );
    }
    const vaultAddress = await ctx.vault.getAddress();
    if ((await ctx.asset.allowance(ctx.signer.address, vaultAddress)) < amount) {
      await send(ctx, "approve", () => ctx.asset.approve(vaultAddress, amount));
    }
    const receipt = await send(ctx, `deposit ${ctx.fmt(amount)}`, () => ctx.vault.deposit(amount, receiver));
    const shares = parsedLogs(ctx, receipt, "Deposit").reduce((sum, e) => sum + (e.args.shares as bigint), 0n);
    console.log(`  ${receiver} received ${ctx.fmtShares(shares)}`);
    return { receipt, shares };
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
        return withdrawn(
          ctx,
          maxLoss === undefined
            ? await send(ctx, "redeem all", () => ctx.vault.redeem(shares, receiver, me))
            : await send(ctx, "redeem all with max loss", () =>
                ctx.vault.redeemWithMaxLoss(shares, receiver, me, maxLoss),
              ),
        );
      }
      const amount = parseAmount(ctx, args.amount as string);
      const owned = await ctx.vault.convertToAssets(await ctx.vault.balanceOf(me));
      if (amount > owned) throw new TaskError(`${me} owns only ${ctx.fmt(owned)} in the vault.`);
      if (maxLoss === undefined) {
        const max = await ctx.vault.maxWithdraw(me);
        if (amount > max)
          throw new TaskError(`Only ${ctx.fmt(max)} can be withdrawn now (liquidity); try --max-loss-bps or later.`);
        return withdrawn(
          ctx,
          await send(ctx, `withdraw ${ctx.fmt(amount)}`, () => ctx.vault.withdraw(amount, receiver, me)),
        );
      }
      return withdrawn(
        ctx,
        await send(ctx, `withdraw ${ctx.fmt(amount)} with max loss ${maxLoss} bps`, () =>
          ctx.vault.withdrawWithMaxLoss(amount, receiver, me, maxLoss),
        ),
      );
    },
  );
