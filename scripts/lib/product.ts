/** The product contracts (everything under contracts/ but test-support), for ABI export and API docs. */
import type { HardhatRuntimeEnvironment } from "hardhat/types";

export type ProductArtifact = { name: string; sourceName: string; abi: unknown[]; fqn: string };

export async function productArtifacts(hre: HardhatRuntimeEnvironment): Promise<ProductArtifact[]> {
  const out: ProductArtifact[] = [];
  for (const fqn of await hre.artifacts.getAllFullyQualifiedNames()) {
    const artifact = await hre.artifacts.readArtifact(fqn);
    const source = artifact.sourceName;
    if (!source.startsWith("contracts/") || source.startsWith("contracts/test-support/")) continue;
    if (artifact.abi.length === 0) continue; // libraries with internal functions only
    out.push({ name: artifact.contractName, sourceName: source, abi: artifact.abi, fqn });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Formats `text` like the repository's prettier config, so generated files pass `prettier --check`. */
export async function formatLikeRepo(text: string, filepath: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prettier = require("prettier") as typeof import("prettier");
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(text, { ...options, filepath });
}

type AbiEntry = { type: string; name?: string; inputs?: { type: string }[] };

/** `error:Name(uint256,address)`: an ABI entry's identity (constructor, fallback and receive by their type). */
export function abiSignature(entry: AbiEntry): string {
  return `${entry.type}:${entry.name ?? ""}(${(entry.inputs ?? []).map((i) => i.type).join(",")})`;
}

/**
 * The ABI of everything at a vault's address: IRollupVault first (its NatSpec'd surface, in order), then what the
 * implementation adds: the functions of RollupVault and of VaultAdmin (reached through the vault's fallback) that
 * the interface lacks, and every error and event they can raise, OpenZeppelin's included (ERC20Insufficient*,
 * ERC4626Exceeded*, permit and ECDSA errors), which the interface does not declare. No constructor, no fallback.
 */
export async function vaultAddressAbi(hre: HardhatRuntimeEnvironment): Promise<unknown[]> {
  const out: AbiEntry[] = [];
  const seen = new Set<string>();
  for (const name of ["IRollupVault", "RollupVault", "VaultAdmin"]) {
    const { abi } = await hre.artifacts.readArtifact(name);
    for (const entry of abi as AbiEntry[]) {
      if (["constructor", "fallback", "receive"].includes(entry.type)) continue;
      const key = abiSignature(entry);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(entry);
    }
  }
  return out;
}
