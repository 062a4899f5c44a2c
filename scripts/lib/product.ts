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
