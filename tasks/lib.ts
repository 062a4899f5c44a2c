/**
 * Shared plumbing of the operator tasks: resolving the vault and the sender, role checks with clear errors,
 * amounts in asset units, and decoding the vault's custom errors. No import of "hardhat" or of typechain runtime
 * code here: hardhat.config.ts loads the tasks before either exists.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { task as hardhatTask } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import type { ActionType, ConfigurableTaskDefinition, HardhatRuntimeEnvironment, TaskArguments } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Interface, type ContractTransactionReceipt, type ErrorDescription } from "ethers";
import type { IAdapter, IERC20Metadata, IRollupVault } from "../typechain-types";
import { formatToken } from "./format";

const PLUGIN = "vault-tasks";

export class TaskError extends HardhatPluginError {
  constructor(message: string) {
    super(PLUGIN, message);
  }
}

/** A TaskError (HardhatPluginError resets the prototype, so `instanceof TaskError` is not reliable). */
export function isTaskError(error: unknown): error is TaskError {
  return HardhatPluginError.isHardhatPluginError(error) && error.pluginName === PLUGIN;
}

/** The placeholder URL hardhat.config.ts gives a remote network whose RPC variable is unset. */
const UNSET_RPC = /^https?:\/\/set-([A-Za-z0-9_]+)\.invalid/i;

/** Whether this process is the Hardhat CLI running `name` (not a test or a script calling hre.run). */
function isCliTask(name: string): boolean {
  const script = process.argv[1] ?? "";
  return /hardhat[\\/](internal[\\/]cli|\.bin)|[\\/]hardhat$/.test(script) && process.argv.includes(name);
}

/** An RPC that cannot be reached, said in one line naming what to set. */
function unreachable(hre: HardhatRuntimeEnvironment, error: unknown): string | undefined {
  const text = String((error as Error)?.message ?? error);
  if (
    !/HH108|Cannot connect to the network|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|getaddrinfo|fetch failed|socket hang up/i.test(
      text,
    )
  )
    return undefined;
  const url = (hre.network.config as { url?: string }).url ?? "";
  const hint =
    hre.network.name === "localL2"
      ? "start the node (npm run node:l2) or set L2_PORT (or LOCAL_L2_RPC_URL) to where it runs"
      : "check the network's RPC URL variable";
  return `Network ${hre.network.name}: no answer from ${url} (${text.split("\n")[0]}): ${hint}.`;
}

/**
 * `task()` of hardhat/config whose action fails cleanly: before it runs, a remote network without its RPC
 * variable is refused naming the variable; a TaskError (and an unreachable RPC) run from the command line prints
 * ONE line and exits 1, also where Hardhat would add a stack trace (it does on any Linux box without DISPLAY,
 * which it takes for CI). Tests and scripts calling `hre.run` still get the error thrown.
 */
export function task(name: string, description?: string): ConfigurableTaskDefinition {
  const definition = hardhatTask(name, description);
  const setAction = definition.setAction.bind(definition);
  definition.setAction = <T extends TaskArguments>(action: ActionType<T>) =>
    setAction(async (args: T, hre, runSuper) => {
      try {
        const url = (hre.network.config as { url?: string }).url ?? "";
        const unset = UNSET_RPC.exec(url);
        if (unset) {
          throw new TaskError(`Network ${hre.network.name} has no RPC URL: set ${unset[1].toUpperCase()}.`);
        }
        try {
          return await action(args, hre, runSuper);
        } catch (error) {
          const down = isTaskError(error) ? undefined : unreachable(hre, error);
          throw down ? new TaskError(down) : error;
        }
      } catch (error) {
        if (isTaskError(error) && isCliTask(name)) {
          console.error(`Error: ${error.message}`);
          process.exit(1);
        }
        throw error;
      }
    });
  return definition;
}

export type VaultArgs = { vault?: string; from?: string };

/** This chain's Ignition deployment record (deploy/deployments/chain-<id>/deployed_addresses.json), or {}. */
export async function deploymentRecord(
  hre: HardhatRuntimeEnvironment,
): Promise<{ file: string; record: Record<string, string> }> {
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  const file = path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`, "deployed_addresses.json");
  let record: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      record = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    } catch {
      throw new TaskError(`${path.relative(process.cwd(), file)} is not valid JSON.`);
    }
  }
  return { file: path.relative(process.cwd(), file), record };
}

/**
 * The addresses the deployment record holds for a part named `name` (e.g. "RedemptionQueue"), whatever module
 * deployed it: keys are `<Module>#<Future>`, and any key containing `name` (case-insensitive) counts; when several
 * do, those whose future id is exactly `name` are preferred. Distinct addresses, in record order.
 */
export async function recordedAddresses(hre: HardhatRuntimeEnvironment, name: string): Promise<string[]> {
  const { record } = await deploymentRecord(hre);
  const lower = name.toLowerCase();
  let keys = Object.keys(record).filter((k) => k.toLowerCase().includes(lower) && hre.ethers.isAddress(record[k]));
  const exact = keys.filter((k) => k.split("#").pop()?.toLowerCase() === lower);
  if (exact.length > 0) keys = exact;
  return [...new Set(keys.map((k) => hre.ethers.getAddress(record[k])))];
}

/**
 * The one recorded `name` that serves `vault` (its `vault()` answers it), or, without a vault to match, the only
 * recorded `name`. Several left: `strict` throws (the operator must pass `flag`), otherwise undefined.
 */
export async function recordedPartOf(
  hre: HardhatRuntimeEnvironment,
  name: string,
  flag: string,
  vault: string | undefined,
  strict = true,
): Promise<string | undefined> {
  let candidates = await recordedAddresses(hre, name);
  if (vault !== undefined) {
    const serving: string[] = [];
    for (const address of candidates) {
      const part = new hre.ethers.Contract(address, ["function vault() view returns (address)"], hre.ethers.provider);
      const served = await part.vault().catch(() => undefined);
      if (typeof served === "string" && hre.ethers.getAddress(served) === vault) serving.push(address);
    }
    candidates = serving;
  }
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1 && strict) {
    const { file } = await deploymentRecord(hre);
    throw new TaskError(`${file} names several ${name} contracts (${candidates.join(", ")}): pass ${flag} <address>.`);
  }
  return undefined;
}

/**
 * The vault's redemption queue from its own `redemptionQueue()` getter, where the vault has one (and it is set);
 * undefined otherwise, and callers fall back to the deployment record.
 */
export async function queueOfVault(hre: HardhatRuntimeEnvironment, vault: string): Promise<string | undefined> {
  const getter = new hre.ethers.Contract(
    vault,
    ["function redemptionQueue() view returns (address)"],
    hre.ethers.provider,
  );
  try {
    const queue = (await getter.redemptionQueue()) as string;
    return queue === hre.ethers.ZeroAddress ? undefined : hre.ethers.getAddress(queue);
  } catch {
    return undefined; // a vault without the getter
  }
}

/** The vault: --vault, or Vault#RollupVault in deploy/deployments/chain-<id>/deployed_addresses.json. */
export async function resolveVaultAddress(hre: HardhatRuntimeEnvironment, given?: string): Promise<string> {
  if (given) {
    if (!hre.ethers.isAddress(given)) throw new TaskError(`--vault ${given} is not an address.`);
    return hre.ethers.getAddress(given);
  }
  const { file, record } = await deploymentRecord(hre);
  const address = record["Vault#RollupVault"];
  if (!address) {
    throw new TaskError(`No --vault given and no Vault#RollupVault in ${file}.`);
  }
  return address;
}

/** A contract address given by `flag`: checked to be an address with code. */
export async function requireContract(hre: HardhatRuntimeEnvironment, flag: string, given: string): Promise<string> {
  if (!hre.ethers.isAddress(given)) throw new TaskError(`${flag} ${given} is not an address.`);
  const address = hre.ethers.getAddress(given);
  if ((await hre.ethers.provider.getCode(address)) === "0x") throw new TaskError(`No contract at ${flag} ${address}.`);
  return address;
}

/** The sender: --from (one of the network's signers), or the first signer. */
export async function resolveSigner(hre: HardhatRuntimeEnvironment, from?: string): Promise<HardhatEthersSigner> {
  const signers = await hre.ethers.getSigners();
  if (signers.length === 0) throw new TaskError(`Network ${hre.network.name} has no accounts: set PRIVATE_KEY.`);
  if (!from) return signers[0];
  if (!hre.ethers.isAddress(from)) throw new TaskError(`--from ${from} is not an address.`);
  const signer = signers.find((s) => s.address.toLowerCase() === from.toLowerCase());
  if (!signer) throw new TaskError(`--from ${from} is not an account this network can sign for.`);
  return signer;
}

export type Ctx = {
  hre: HardhatRuntimeEnvironment;
  vault: IRollupVault;
  asset: IERC20Metadata;
  decimals: number;
  symbol: string;
  signer: HardhatEthersSigner;
  /** Formats asset units with the symbol: "1,000.5 USDC". */
  fmt: (value: bigint) => string;
  /** Formats vault shares (18 decimals): "1,000.5 shares". */
  fmtShares: (value: bigint) => string;
};

/**
 * Fails with "0x… is not a vault of this suite" unless `address` answers the vault's own views (an ERC-20, an
 * ERC-4626 target or an adapter does not answer all of them).
 */
export async function requireVault(hre: HardhatRuntimeEnvironment, address: string): Promise<void> {
  if ((await hre.ethers.provider.getCode(address)) === "0x") throw new TaskError(`No contract at vault ${address}.`);
  const probe = new hre.ethers.Contract(
    address,
    [
      "function asset() view returns (address)",
      "function withdrawQueue() view returns (address[])",
      "function curator() view returns (address)",
      "function totalIdle() view returns (uint256)",
    ],
    hre.ethers.provider,
  );
  try {
    await Promise.all([probe.asset(), probe.withdrawQueue(), probe.curator(), probe.totalIdle()]);
  } catch {
    throw new TaskError(`${address} is not a vault of this suite (it does not answer the vault's views).`);
  }
}

/**
 * The vault, its asset and the sender. `readOnly` tasks (vault:status) also run on a network without accounts
 * (no PRIVATE_KEY): they read through the provider alone.
 */
export async function context(hre: HardhatRuntimeEnvironment, args: VaultArgs, readOnly = false): Promise<Ctx> {
  const address = await resolveVaultAddress(hre, args.vault);
  await requireVault(hre, address);
  const noAccounts = readOnly && !args.from && (await hre.ethers.provider.send("eth_accounts", [])).length === 0;
  const signer = noAccounts
    ? (new hre.ethers.VoidSigner(hre.ethers.ZeroAddress, hre.ethers.provider) as unknown as HardhatEthersSigner)
    : await resolveSigner(hre, args.from);
  const vault = (await hre.ethers.getContractAt("IRollupVault", address, signer)) as unknown as IRollupVault;
  const asset = (await hre.ethers.getContractAt(
    "IERC20Metadata",
    await vault.asset(),
    signer,
  )) as unknown as IERC20Metadata;
  const decimals = Number(await asset.decimals());
  const symbol = await asset.symbol().catch(() => "(asset)");
  return {
    hre,
    vault,
    asset,
    decimals,
    symbol,
    signer,
    fmt: (v) => formatToken(v, decimals, symbol),
    fmtShares: (v) => formatToken(v, 18, "shares"),
  };
}

/** Parses a human amount ("1000.5") in asset units. */
export function parseAmount(ctx: Ctx, amount: string, flag = "--amount"): bigint {
  let value: bigint;
  try {
    value = ctx.hre.ethers.parseUnits(amount, ctx.decimals);
  } catch {
    throw new TaskError(`${flag} ${amount} is not an amount with at most ${ctx.decimals} decimals.`);
  }
  if (value <= 0n) throw new TaskError(`${flag} must be positive.`);
  return value;
}

export async function requireAdapter(ctx: Ctx, adapter: string): Promise<string> {
  if (!ctx.hre.ethers.isAddress(adapter)) throw new TaskError(`--adapter ${adapter} is not an address.`);
  const address = ctx.hre.ethers.getAddress(adapter);
  const [enabled] = await ctx.vault.adapterConfig(address);
  if (!enabled) {
    const queue = await ctx.vault.withdrawQueue();
    throw new TaskError(
      `Adapter ${address} is not enabled in vault ${await ctx.vault.getAddress()}. Enabled: ${queue.join(", ") || "none"}.`,
    );
  }
  return address;
}

export type Role = "owner" | "curator" | "allocator" | "guardian" | "keeper";

/** Whether the sender holds `role` (the owner may act as every role, as the vault allows). */
export async function hasRole(ctx: Ctx, role: Role): Promise<boolean> {
  const who = ctx.signer.address;
  const owner = await ctx.vault.owner();
  if (who === owner) return true;
  switch (role) {
    case "owner":
      return false;
    case "curator":
      return who === (await ctx.vault.curator());
    case "guardian":
      return who === (await ctx.vault.guardian());
    case "allocator":
      return ctx.vault.isAllocator(who);
    case "keeper":
      return ctx.vault.isKeeper(who);
  }
}

/** Fails unless the sender holds `role` (or one of several roles). */
export async function requireRole(ctx: Ctx, role: Role | Role[], action: string): Promise<void> {
  const roles = Array.isArray(role) ? role : [role];
  for (const r of roles) if (await hasRole(ctx, r)) return;
  const names = roles.join(" or ");
  throw new TaskError(
    `${ctx.signer.address} cannot ${action}: it is not the ${names} (or owner) of vault ` +
      `${await ctx.vault.getAddress()}. Pass --from <${roles[0]} address>.`,
  );
}

/** Something with an ethers Interface that can decode custom errors and logs. */
export type HasInterface = { interface: Interface };

/**
 * Sends a transaction and waits for it; a revert becomes a TaskError naming the custom error, decoded with the
 * vault's interface or one of `others` (the queue's, the distributor's).
 */
export async function send(
  ctx: Ctx,
  label: string,
  tx: () => Promise<{ wait(): Promise<unknown> }>,
  others: HasInterface[] = [],
): Promise<ContractTransactionReceipt | null> {
  try {
    const sent = await tx();
    const receipt = (await sent.wait()) as ContractTransactionReceipt | null;
    console.log(`${label}: tx ${receipt?.hash} (gas ${receipt?.gasUsed})`);
    return receipt;
  } catch (error) {
    throw new TaskError(`${label} reverted: ${describeError(ctx, error, others)}`);
  }
}

/**
 * OpenZeppelin's errors the vault (and the tokens it moves) can raise: decoded even where an interface lacks them.
 */
export const OZ_ERRORS = new Interface([
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidSender(address sender)",
  "error ERC20InvalidReceiver(address receiver)",
  "error ERC20InvalidApprover(address approver)",
  "error ERC20InvalidSpender(address spender)",
  "error ERC4626ExceededMaxDeposit(address receiver, uint256 assets, uint256 max)",
  "error ERC4626ExceededMaxMint(address receiver, uint256 shares, uint256 max)",
  "error ERC4626ExceededMaxWithdraw(address owner, uint256 assets, uint256 max)",
  "error ERC4626ExceededMaxRedeem(address owner, uint256 shares, uint256 max)",
  "error ERC2612ExpiredSignature(uint256 deadline)",
  "error ERC2612InvalidSigner(address signer, address owner)",
  "error SafeERC20FailedOperation(address token)",
  "error ReentrancyGuardReentrantCall()",
]);

/** Formats one argument of a decoded error: amounts in asset units or shares, bps and timestamps said so. */
function formatErrorArg(ctx: Ctx, parsed: ErrorDescription, i: number): string {
  const input = parsed.fragment.inputs[i];
  const value = parsed.args[i];
  if (typeof value !== "bigint" || input.type !== "uint256") return String(value);
  const name = input.name.toLowerCase();
  if (name.includes("bps")) return `${value} bps`;
  if (/(at|deadline)$/.test(name) && value > 1_000_000_000n && value < 2n ** 40n) return isoDate(value);
  if (name.includes("share")) return ctx.fmtShares(value);
  // ERC-20 errors of the vault's own token count shares; of the asset, assets: the caller of send() knows which
  // token was moved, here the name tells (balance/needed/allowance of a share transfer read as asset units).
  return ctx.fmt(value);
}

/** The custom error (with its arguments, amounts formatted) inside an ethers error, or its message. */
export function describeError(ctx: Ctx, error: unknown, others: HasInterface[] = []): string {
  const e = error as { data?: string; info?: { error?: { data?: string } }; shortMessage?: string; message?: string };
  const data = e.data ?? e.info?.error?.data;
  if (typeof data === "string" && data.length >= 10) {
    for (const iface of [ctx.vault.interface, ...others.map((o) => o.interface), OZ_ERRORS]) {
      let parsed: ErrorDescription | null = null;
      try {
        parsed = iface.parseError(data);
      } catch {
        parsed = null;
      }
      if (parsed) {
        const args = parsed.args.map(
          (_, i) => `${parsed!.fragment.inputs[i].name || i}: ${formatErrorArg(ctx, parsed!, i)}`,
        );
        return `${parsed.name}(${args.join(", ")})`;
      }
    }
    return `an unknown custom error (selector ${data.slice(0, 10)})`;
  }
  return e.shortMessage ?? e.message ?? String(error);
}

/** The latest block's timestamp. */
export async function now(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  return BigInt((await hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
}

/** A timestamp as an ISO date ("never" for type(uint256).max, as an adapter says when no date is known). */
export function isoDate(timestamp: bigint): string {
  if (timestamp >= 2n ** 64n) return "never (no date known)";
  return new Date(Number(timestamp) * 1000).toISOString();
}

/** A duration in seconds as "3d 4h 5m 6s". */
export function duration(seconds: bigint): string {
  if (seconds <= 0n) return "0s";
  const parts: string[] = [];
  const units: [bigint, string][] = [
    [86_400n, "d"],
    [3_600n, "h"],
    [60n, "m"],
    [1n, "s"],
  ];
  let left = seconds;
  for (const [size, unit] of units) {
    if (left >= size) {
      parts.push(`${left / size}${unit}`);
      left %= size;
    }
  }
  return parts.join(" ");
}

/** Symbol and decimals of an ERC-20, tolerating tokens without metadata. */
export async function tokenInfo(
  hre: HardhatRuntimeEnvironment,
  address: string,
): Promise<{ symbol: string; decimals: number }> {
  const token = (await hre.ethers.getContractAt("IERC20Metadata", address)) as unknown as IERC20Metadata;
  let symbol = address;
  let decimals = 18;
  try {
    symbol = await token.symbol();
  } catch {
    // no symbol(): keep the address
  }
  try {
    decimals = Number(await token.decimals());
  } catch {
    // no decimals(): assume 18
  }
  return { symbol, decimals };
}

export async function adapterAt(ctx: Ctx, address: string): Promise<IAdapter> {
  // Only the IAdapter functions are used, which every adapter has.
  return (await ctx.hre.ethers.getContractAt("IAdapter", address, ctx.signer)) as unknown as IAdapter;
}
