import { task, types } from "hardhat/config";
import { context, parseAmount, requireAdapter, requireRole, send, TaskError, type VaultArgs } from "./lib";

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

task("vault:harvest", "Collects an adapter's reward tokens into the rewards distributor")
  .addOptionalParam("vault", "The vault (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("adapter", "The adapter")
  .setAction(async (args: AdapterArgs, hre) => {
    const ctx = await context(hre, args);
    const adapter = await requireAdapter(ctx, args.adapter);
    if ((await ctx.vault.rewardsDistributor()) === hre.ethers.ZeroAddress) {
      throw new TaskError("The vault has no rewards distributor: harvesting has nowhere to send rewards.");
    }
    const interval = await ctx.vault.harvestInterval();
    const openAt = (await ctx.vault.lastHarvest(adapter)) + interval;
    const now = BigInt((await hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
    if (!(await ctx.vault.isKeeper(ctx.signer.address)) && ctx.signer.address !== (await ctx.vault.owner())) {
      if (interval === 0n || now < openAt) {
        throw new TaskError(
          `${ctx.signer.address} is not a keeper and harvesting is not open to everyone ` +
            (interval === 0n ? "(no harvest interval set)." : `until ${openAt}.`),
        );
      }
    }
    return send(ctx, `harvest ${adapter}`, () => ctx.vault.harvest(adapter));
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
    const now = BigInt((await hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
    if (now < at) {
      throw new TaskError(
        `The cap raise is pending until ${new Date(Number(at) * 1000).toISOString()} (${at - now}s left).`,
      );
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
