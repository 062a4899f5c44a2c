/**
 * The simulation state every demo step shares: the suite, the actors, a deterministic PRNG, the clock, and the
 * gas and fee ledgers the summary prints.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractTransactionReceipt, ContractTransactionResponse, Interface, Wallet } from "ethers";
import { deploySuiteInProcess, type InProcessSuite } from "../../deploy/inProcess";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

/** mulberry32: a small deterministic PRNG, so that SEED reproduces a run exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Depositor = {
  wallet: Wallet;
  /** Day the depositor first deposits. */
  joinDay: number;
  /** Assets the depositor wants out but could not get (liquidity crunch), retried daily. */
  pendingExit: bigint;
};

export type Roles = Record<"curator" | "allocator" | "guardian" | "keeper" | "feeRecipient", HardhatEthersSigner>;

/** A holder of one of the suite's other vaults (STG staking, vote-escrow). */
export type Holder = {
  wallet: Wallet;
  joinDay: number;
  /** Tokens the holder brings. */
  budget: bigint;
};

export type DemoContext = {
  hre: HardhatRuntimeEnvironment;
  suite: InProcessSuite;
  roles: Roles;
  /** Account 0: deployer and operator of the test-support protocols (bridge flows, reward programs). */
  operator: HardhatEthersSigner;
  /** Depositors of the main (USDC) vault. */
  depositors: Depositor[];
  random: () => number;
  /** Current simulated day (0-based). */
  day: number;
  days: number;
  /** Asset units: `units(1.5)` is 1.5 tokens. */
  units: (n: number) => bigint;
  fmt: (value: bigint) => string;
  /** Gas used per operation name. */
  gas: Map<string, bigint[]>;
  /** Counters per day, reset each day, printed on the progress line. */
  today: Map<string, number>;
  /** Totals over the run. */
  totals: Map<string, bigint>;
  /** Flags steps share (e.g. "crunch"). */
  flags: Set<string>;
  /** Reward tokens per vault. */
  rewards: RewardLedger;
  /** The SEED of the run (wallets of the other vaults' holders derive from it). */
  seed: number;
};

/** Per vault, per token symbol: harvested, routed (into another vault), claimed. */
export type RewardLedger = Map<string, Map<string, { harvested: bigint; routed: bigint; claimed: bigint }>>;

export function addReward(
  ledger: RewardLedger,
  vault: string,
  token: string,
  kind: "harvested" | "routed" | "claimed",
  amount: bigint,
): void {
  const perVault = ledger.get(vault) ?? new Map();
  const row = perVault.get(token) ?? { harvested: 0n, routed: 0n, claimed: 0n };
  row[kind] += amount;
  perVault.set(token, row);
  ledger.set(vault, perVault);
}

/** Sends `tx`, records its gas under `op`, and counts it for today's progress line. */
export async function track(ctx: DemoContext, op: string, tx: Promise<ContractTransactionResponse>) {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error(`${op}: no receipt`);
  const list = ctx.gas.get(op) ?? [];
  list.push(receipt.gasUsed);
  ctx.gas.set(op, list);
  count(ctx, op);
  return receipt;
}

export function count(ctx: DemoContext, what: string, n = 1): void {
  ctx.today.set(what, (ctx.today.get(what) ?? 0) + n);
}

export function addTotal(ctx: DemoContext, what: string, amount: bigint): void {
  ctx.totals.set(what, (ctx.totals.get(what) ?? 0n) + amount);
}

/** A random integer in [min, max]. */
export function randomInt(ctx: DemoContext, min: number, max: number): number {
  return min + Math.floor(ctx.random() * (max - min + 1));
}

/**
 * One part of the simulation. Each day the steps run in the order of the STEPS list in scripts/demo.ts; a step
 * that needs contracts beyond the core (Stargate, rewards, staking, async redemptions) deploys them in `setup`.
 */
export type DemoStep = {
  name: string;
  setup?: (ctx: DemoContext) => Promise<void>;
  daily: (ctx: DemoContext) => Promise<void>;
  /** Lines for the final summary. */
  summary?: (ctx: DemoContext) => Promise<string[]>;
};

/**
 * The suite as the demo deploys it (deploy/inProcess.ts): signer 0 is the operator (deployer), signers 1..5 hold
 * the curator, allocator, guardian, keeper and fee recipient roles.
 */
export async function deployDemoSuite(hre: HardhatRuntimeEnvironment) {
  const [operator, curator, allocator, guardian, keeper, feeRecipient] = await hre.ethers.getSigners();
  const roles: Roles = { curator, allocator, guardian, keeper, feeRecipient };
  const suite = await deploySuiteInProcess(hre, {
    roles: {
      curator: curator.address,
      allocator: allocator.address,
      guardian: guardian.address,
      keeper: keeper.address,
      feeRecipient: feeRecipient.address,
    },
  });
  return { suite, operator, roles };
}

/** A fresh context on day 0: empty ledgers, asset units of the main vault's asset. */
export function newDemoContext(
  base: Pick<DemoContext, "hre" | "suite" | "roles" | "operator" | "seed" | "depositors" | "random" | "days" | "fmt">,
  decimals: number,
): DemoContext {
  return {
    ...base,
    rewards: new Map(),
    day: 0,
    units: (n) => base.hre.ethers.parseUnits(n.toString(), decimals),
    gas: new Map(),
    today: new Map(),
    totals: new Map(),
    flags: new Set(),
  };
}

/** Events of `receipt` that `iface` knows, by name. */
export function events(receipt: ContractTransactionReceipt, iface: Interface, name: string) {
  return receipt.logs.flatMap((log) => {
    try {
      const parsed = iface.parseLog(log);
      return parsed?.name === name ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
