/**
 * Tasks of the vault's companion contracts: the redemption queue (queue:fulfill) and the rewards distributor
 * (rewards:claim). Each takes its contract from a flag; otherwise the distributor is the vault's own
 * `rewardsDistributor()` (vault from --vault or the deployment record) and the queue is the deployment record's
 * (any key naming RedemptionQueue; with several, the one serving the vault). The vault is then read from the
 * contract itself (`vault()`), so --vault only has to agree with it.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { IRedemptionQueue, IRollupVault, IStreamingRewardsDistributor } from "../typechain-types";
import {
  context,
  queueOfVault,
  recordedPartOf,
  requireContract,
  requireVault,
  resolveVaultAddress,
  send,
  task,
  TaskError,
  tokenInfo,
  type Ctx,
  type VaultArgs,
} from "./lib";
import { formatToken } from "./format";

/** The vault named by --vault or the deployment record (checked to have code), or undefined. */
async function knownVault(hre: HardhatRuntimeEnvironment, given?: string): Promise<string | undefined> {
  const address = await resolveVaultAddress(hre, given).catch((error: unknown) => {
    if (given) throw error; // a malformed --vault is an error, a missing record is not
    return undefined;
  });
  if (address && (await hre.ethers.provider.getCode(address)) === "0x") {
    throw new TaskError(`No contract at vault ${address}.`);
  }
  return address;
}

/** The vault a companion contract serves; --vault, if given, must be that vault. */
async function contextOf(
  hre: HardhatRuntimeEnvironment,
  args: VaultArgs,
  what: string,
  served: () => Promise<string>,
): Promise<Ctx> {
  let vault: string;
  try {
    vault = await served();
  } catch {
    throw new TaskError(`${what} does not answer vault(): it is not part of a vault suite.`);
  }
  if (!args.vault) {
    // The companion's vault must itself be a vault of this suite.
    await requireVault(hre, vault);
  }
  if (args.vault && hre.ethers.isAddress(args.vault) && hre.ethers.getAddress(args.vault) !== vault) {
    throw new TaskError(`${what} serves vault ${vault}, not --vault ${hre.ethers.getAddress(args.vault)}.`);
  }
  return context(hre, { ...args, vault });
}

type FulfillArgs = VaultArgs & { queue?: string };

export type FulfillResult = {
  /** Shares of closed windows that were waiting (the pool) and the part of them filled, pro rata. */
  pooledShares: bigint;
  filledShares: bigint;
  assets: bigint;
  pendingLeft: bigint;
};

task(
  "queue:fulfill",
  "Settles the redemption queue's closed windows: fills every waiting request pro rata with what the vault can pay (anyone)",
)
  .addOptionalParam("queue", "The redemption queue (default: this chain's deployment record)")
  .addOptionalParam("vault", "Only to check: the vault the queue must serve")
  .addOptionalParam("from", "The sender (default: first account)")
  .setAction(async (args: FulfillArgs, hre): Promise<FulfillResult> => {
    let address: string;
    if (args.queue) {
      address = await requireContract(hre, "--queue", args.queue);
    } else {
      // The vault's own redemptionQueue() first; else the record, which may hold several suites: take the queue of
      // --vault (or of the recorded vault) when it can tell.
      const vault = await knownVault(hre, args.vault);
      const recorded =
        (vault ? await queueOfVault(hre, vault) : undefined) ??
        (await recordedPartOf(hre, "RedemptionQueue", "--queue", vault, false)) ??
        (await recordedPartOf(hre, "RedemptionQueue", "--queue", undefined));
      if (!recorded)
        throw new TaskError("No --queue given and no RedemptionQueue found in this chain's deployment record.");
      address = await requireContract(hre, "--queue", recorded);
    }
    const queue = (await hre.ethers.getContractAt("IRedemptionQueue", address)) as unknown as IRedemptionQueue;
    const ctx = await contextOf(hre, args, `redemption queue ${address}`, () => queue.vault());
    const pending = await queue.pendingShares();
    if (pending === 0n) throw new TaskError(`Queue ${address} has no pending request.`);
    // Say why nothing would happen rather than send a settlement that reverts.
    // A window that closed since the queue was last touched joins the pool at the settlement.
    const pooled =
      (await queue.currentWindow()) === (await queue.openWindow())
        ? await queue.pooledShares()
        : await queue.pendingShares();
    if (pooled === 0n) {
      const closesAt = await queue.windowClosesAt();
      throw new TaskError(
        `Every pending request of queue ${address} is in the open window; it can be settled from ` +
          `${new Date(Number(closesAt) * 1000).toISOString()}.`,
      );
    }
    if ((await queue.fulfillableShares()) === 0n) {
      throw new TaskError(
        `The vault cannot pay any of the ${ctx.fmtShares(pooled)} waiting now ` +
          `(only ${ctx.fmt(await ctx.vault.liquidAssets())} is liquid to direct exits). Free liquidity first ` +
          "(vault:deallocate, vault:prepare-release) and retry.",
      );
    }
    const receipt = await send(ctx, "settle the closed windows", () => queue.connect(ctx.signer).settle(), [queue]);
    const result: FulfillResult = { pooledShares: 0n, filledShares: 0n, assets: 0n, pendingLeft: 0n };
    for (const log of receipt?.logs ?? []) {
      if (hre.ethers.getAddress(log.address) !== address) continue;
      const parsed = queue.interface.parseLog(log);
      if (parsed?.name === "Settled") {
        result.pooledShares = parsed.args.pooledShares as bigint;
        result.filledShares = parsed.args.filledShares as bigint;
        result.assets = parsed.args.assets as bigint;
      }
    }
    result.pendingLeft = await queue.pendingShares();
    console.log(
      `  filled ${ctx.fmtShares(result.filledShares)} of ${ctx.fmtShares(result.pooledShares)} shares waiting, pro rata, ` +
        `for ${ctx.fmt(result.assets)}; ${ctx.fmtShares(result.pendingLeft)} still pending`,
    );
    return result;
  });

type ClaimArgs = VaultArgs & { distributor?: string; tokens?: string; receiver?: string };

export type ClaimResult = { receiver: string; paid: { token: string; symbol: string; amount: bigint }[] };

task("rewards:claim", "Claims the sender's streamed reward tokens from the vault's rewards distributor")
  .addOptionalParam(
    "distributor",
    "The rewards distributor (default: the vault's rewardsDistributor(), else the deployment record's)",
  )
  .addOptionalParam("vault", "The vault whose distributor to use when --distributor is not given")
  .addOptionalParam("from", "The holder claiming (default: first account)")
  .addOptionalParam("tokens", "Comma-separated reward tokens (default: every token with something earned)")
  .addOptionalParam("receiver", "Receiver of the tokens (default: the sender)")
  .setAction(async (args: ClaimArgs, hre): Promise<ClaimResult> => {
    let address: string;
    const vaultAddress = args.distributor ? undefined : await knownVault(hre, args.vault);
    if (args.distributor) {
      address = await requireContract(hre, "--distributor", args.distributor);
    } else if (vaultAddress) {
      // The vault's own pointer is the truth.
      const vault = (await hre.ethers.getContractAt("IRollupVault", vaultAddress)) as unknown as IRollupVault;
      const set = await vault.rewardsDistributor();
      if (set === hre.ethers.ZeroAddress) throw new TaskError(`Vault ${vaultAddress} has no rewards distributor.`);
      address = set;
    } else {
      const recorded = await recordedPartOf(hre, "RewardsDistributor", "--distributor", undefined);
      if (!recorded) {
        throw new TaskError(
          "No --distributor or --vault given, and no vault or RewardsDistributor in this chain's deployment record.",
        );
      }
      address = await requireContract(hre, "--distributor", recorded);
    }
    const distributor = (await hre.ethers.getContractAt(
      "IStreamingRewardsDistributor",
      address,
    )) as unknown as IStreamingRewardsDistributor;
    const ctx = await contextOf(hre, args, `rewards distributor ${address}`, () => distributor.vault());
    const me = ctx.signer.address;
    const receiver = args.receiver ?? me;
    if (!hre.ethers.isAddress(receiver)) throw new TaskError(`--receiver ${receiver} is not an address.`);
    if (receiver === hre.ethers.ZeroAddress) throw new TaskError("--receiver must not be the zero address.");

    const listed = await distributor.rewardTokens();
    if (listed.length === 0) throw new TaskError(`Distributor ${address} has no reward token yet: nothing to claim.`);
    let tokens: string[];
    if (args.tokens) {
      tokens = [];
      for (const raw of args.tokens.split(",").map((t) => t.trim())) {
        if (!hre.ethers.isAddress(raw)) throw new TaskError(`--tokens: ${raw} is not an address.`);
        const token = hre.ethers.getAddress(raw);
        if (!(await distributor.isRewardToken(token))) {
          throw new TaskError(`--tokens: ${token} is not a reward token of ${address}. Listed: ${listed.join(", ")}.`);
        }
        if (!tokens.includes(token)) tokens.push(token);
      }
    } else {
      tokens = [];
      for (const token of listed) if ((await distributor.earned(me, token)) > 0n) tokens.push(token);
    }
    const earned = await Promise.all(tokens.map((t) => distributor.earned(me, t)));
    if (tokens.length === 0 || earned.every((e) => e === 0n)) {
      throw new TaskError(`${me} has nothing to claim from ${address} (it earns by holding vault shares).`);
    }
    const receipt = await send(
      ctx,
      `claim ${tokens.length} reward token(s)`,
      () => distributor.connect(ctx.signer).claim(tokens, receiver),
      [distributor],
    );
    const result: ClaimResult = { receiver, paid: [] };
    for (const log of receipt?.logs ?? []) {
      if (hre.ethers.getAddress(log.address) !== address) continue;
      const parsed = distributor.interface.parseLog(log);
      if (parsed?.name !== "RewardPaid") continue;
      const { symbol, decimals } = await tokenInfo(hre, parsed.args.token);
      result.paid.push({ token: parsed.args.token, symbol, amount: parsed.args.amount });
      console.log(`  paid ${formatToken(parsed.args.amount, decimals, symbol)} to ${receiver}`);
    }
    return result;
  });
