import path from "node:path";

/** The repository root (scripts/lib/..). */
export const ROOT = path.resolve(__dirname, "..", "..");

/** Ignition's record of a chain (paths.ignition = "deploy"). */
export function deploymentDir(chainId: number): string {
  return path.join(ROOT, "deploy", "deployments", `chain-${chainId}`);
}

export function deployedAddressesFile(chainId: number): string {
  return path.join(deploymentDir(chainId), "deployed_addresses.json");
}
