/**
 * Shared plumbing of the operator tasks: resolving the vault and the sender, role checks with clear errors,
 * amounts in asset units, and decoding the vault's custom errors. No import of "hardhat" or of typechain runtime
 * code here: hardhat.config.ts loads the tasks before either exists.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { IAdapter, IERC20Metadata, IRollupVault } from "../typechain-types";

export class TaskError extends HardhatPluginError {
  constructor(message: string) {
    super("vault-tasks", message);
  }
}

export type VaultArgs = { vault?: string; from?: string };

/** The vault: --vault, or Vault#RollupVault in deploy/deployments/chain-<id>/deployed_addresses.json. */
export async function resolveVaultAddress(hre: HardhatRuntimeEnvironment, given?: string): Promise<string> {
  if (given) {
    if (!hre.ethers.isAddress(given)) throw new TaskError(`--vault ${given} is not an address.`);
    return hre.ethers.getAddress(given);
  }
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  const file = path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`, "deployed_addresses.json");
  const record = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const address = record["Vault#RollupVault"];
  if (!address) {
    throw new TaskError(`No --vault given and no Vault#RollupVault in ${path.relative(process.cwd(), file)}.`);
  }
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
  signer: HardhatEthersSigner;
  /** Formats asset units. */
  fmt: (value: bigint) => string;
};

/**
 * The vault, its asset and the sender. `readOnly` tasks (vault:status) also run on a network without accounts
 * (no PRIVATE_KEY): they read through the provider alone.
 */
export async function context(hre: HardhatRuntimeEnvironment, args: VaultArgs, readOnly = false): Promise<Ctx> {
  const address = await resolveVaultAddress(hre, args.vault);
  if ((await hre.ethers.provider.getCode(address)) === "0x") throw new TaskError(`No contract at vault ${address}.`);
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
  return { hre, vault, asset, decimals, signer, fmt: (v) => hre.ethers.formatUnits(v, decimals) };
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

export async function requireRole(ctx: Ctx, role: Role, action: string): Promise<void> {
  if (await hasRole(ctx, role)) return;
  throw new TaskError(
    `${ctx.signer.address} cannot ${action}: it is not the ${role} (or owner) of vault ` +
      `${await ctx.vault.getAddress()}. Pass --from <${role} address>.`,
  );
}

/** Sends a vault transaction and waits for it; a revert becomes a TaskError naming the vault's custom error. */
export async function send(ctx: Ctx, label: string, tx: () => Promise<{ wait(): Promise<unknown> }>) {
  try {
    const sent = await tx();
    const receipt = (await sent.wait()) as { hash: string; gasUsed: bigint } | null;
    console.log(`${label}: tx ${receipt?.hash} (gas ${receipt?.gasUsed})`);
    return receipt;
  } catch (error) {
    throw new TaskError(`${label} reverted: ${describeError(ctx, error)}`);
  }
}

/** The custom error (with its arguments) inside an ethers error, or its message. */
export function describeError(ctx: Ctx, error: unknown): string {
  const e = error as { data?: string; info?: { error?: { data?: string } }; shortMessage?: string; message?: string };
  const data = e.data ?? e.info?.error?.data;
  if (typeof data === "string" && data.length >= 10) {
    const parsed = ctx.vault.interface.parseError(data);
    if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
  }
  return e.shortMessage ?? e.message ?? String(error);
}

export async function adapterAt(ctx: Ctx, address: string): Promise<IAdapter> {
  // Only the IAdapter functions are used, which every adapter has.
  return (await ctx.hre.ethers.getContractAt("IAdapter", address, ctx.signer)) as unknown as IAdapter;
}
