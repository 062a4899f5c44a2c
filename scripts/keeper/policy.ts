/**
 * The keeper's policy, one JSON file per network (keeper/policies/<network>.json). Amounts are in asset units
 * ("1000.5"); adapters are addresses, or the part name of the deployment record ("ERC4626Adapter").
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export type VaultPolicy = {
  /** The vault: an address or a deployment-record key (default "Vault#RollupVault"). */
  vault?: string;
  /** Its redemption queue (default: the vault's redemptionQueue(), else the record's queue serving it). */
  queue?: string;
  /** Report an adapter once its real assets moved this far from its debt (gains); a loss is reported at once. */
  reportThresholdBps: number;
  /** Harvest interval per adapter, in seconds ("*" for every adapter); an adapter not listed is not harvested. */
  harvestIntervals?: Record<string, number>;
  /** Target weights of totalAssets per adapter, in bps; idle is allocated toward them within the caps. */
  targetWeightsBps?: Record<string, number>;
  /** Idle kept aside, in bps of totalAssets (the vault's own minIdle is kept too). */
  idleBufferBps: number;
  /** Smallest allocation worth a transaction, in asset units. */
  minAllocate?: string;
  /** Smallest deallocation or prepareRelease worth a transaction, in asset units (default: minAllocate). */
  minRelease?: string;
};

export type KeeperPolicy = {
  /** No transaction while the latest base fee is above this (gwei). */
  baseFeeCeilingGwei: number;
  /** Seconds between ticks of the long-running process. */
  pollSeconds: number;
  vaults: VaultPolicy[];
};

/** Reads and checks a policy file; every problem is one clear line. */
export function loadPolicy(file: string): KeeperPolicy {
  if (!existsSync(file)) throw new Error(`No keeper policy at ${file}: write one (see keeper/policies/localL2.json).`);
  let policy: KeeperPolicy;
  try {
    policy = JSON.parse(readFileSync(file, "utf8")) as KeeperPolicy;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return checkPolicy(policy, file);
}

export function checkPolicy(policy: KeeperPolicy, where = "policy"): KeeperPolicy {
  const bps = (v: unknown, name: string) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 10_000) {
      throw new Error(`${where}: ${name} must be an integer within 0..10000 bps.`);
    }
  };
  if (typeof policy.baseFeeCeilingGwei !== "number" || policy.baseFeeCeilingGwei <= 0) {
    throw new Error(`${where}: baseFeeCeilingGwei must be a positive number.`);
  }
  if (typeof policy.pollSeconds !== "number" || policy.pollSeconds <= 0) {
    throw new Error(`${where}: pollSeconds must be a positive number.`);
  }
  if (!Array.isArray(policy.vaults) || policy.vaults.length === 0) throw new Error(`${where}: vaults is empty.`);
  for (const [i, v] of policy.vaults.entries()) {
    bps(v.reportThresholdBps, `vaults[${i}].reportThresholdBps`);
    bps(v.idleBufferBps, `vaults[${i}].idleBufferBps`);
    let total = 0;
    for (const [adapter, w] of Object.entries(v.targetWeightsBps ?? {})) {
      bps(w, `vaults[${i}].targetWeightsBps.${adapter}`);
      total += w;
    }
    if (total + v.idleBufferBps > 10_000) {
      throw new Error(`${where}: vaults[${i}] target weights plus the idle buffer exceed 10000 bps.`);
    }
    for (const key of ["minAllocate", "minRelease"] as const) {
      const amount = v[key];
      if (amount !== undefined && (typeof amount !== "string" || !/^\d+(\.\d+)?$/.test(amount))) {
        throw new Error(`${where}: vaults[${i}].${key} must be an amount in asset units, e.g. "10".`);
      }
    }
    for (const [adapter, s] of Object.entries(v.harvestIntervals ?? {})) {
      if (typeof s !== "number" || s < 0) throw new Error(`${where}: vaults[${i}].harvestIntervals.${adapter} < 0.`);
    }
  }
  return policy;
}

export function policyFile(root: string, network: string): string {
  return path.join(root, "keeper", "policies", `${network}.json`);
}
