/**
 * npm run abi:export — writes the ABI of every product contract and interface (contracts/ minus test-support) to
 * abi/<Name>.json, formatted like the repository, and removes ABI files of contracts that no longer exist.
 * abi/IRollupVault.json is the ABI of everything at a vault's address (scripts/lib/product.ts vaultAddressAbi):
 * the interface plus what the implementation and its admin module add, OpenZeppelin's errors included.
 * ABI_CHECK=1 writes nothing and fails if abi/ is out of date (for CI after a contract change).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { formatLikeRepo, productArtifacts, vaultAddressAbi } from "./lib/product";

async function main(): Promise<void> {
  const dir = path.join(hre.config.paths.root, "abi");
  const check = process.env.ABI_CHECK === "1";
  const stale: string[] = [];
  mkdirSync(dir, { recursive: true });
  const wanted = new Set<string>();
  for (const artifact of await productArtifacts(hre)) {
    const file = path.join(dir, `${artifact.name}.json`);
    wanted.add(path.basename(file));
    const abi = artifact.name === "IRollupVault" ? await vaultAddressAbi(hre) : artifact.abi;
    const text = await formatLikeRepo(JSON.stringify(abi, null, 2), file);
    if (existsSync(file) && readFileSync(file, "utf8") === text) continue;
    stale.push(path.basename(file));
    if (!check) writeFileSync(file, text);
  }
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".json") || wanted.has(file)) continue;
    stale.push(`${file} (removed)`);
    if (!check) rmSync(path.join(dir, file));
  }
  if (check && stale.length > 0) {
    console.error(`abi/ is out of date: ${stale.join(", ")}. Run npm run abi:export and commit abi/.`);
    process.exitCode = 1;
    return;
  }
  console.log(`abi/: ${wanted.size} ABI files${stale.length ? `, updated ${stale.join(", ")}` : ", all up to date"}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
