import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  ERC4626Adapter__factory,
  MisbehavingAdapter__factory,
  MockERC4626Target__factory,
  RecordingRewardsDistributor__factory,
  RollupVault__factory,
  type RollupVault,
  type ERC4626Adapter,
  type MisbehavingAdapter,
  type MockERC4626Target,
  type RecordingRewardsDistributor,
} from "../../typechain-types";
import type { VaultFixture } from "./fixtures";

export const BPS = 10_000n;
export const MAX_UINT128 = 2n ** 128n - 1n;
export const DAY = 24n * 60n * 60n;
export const YEAR = 365n * DAY;

/** Everything a failed call must leave as it was. */
/** The vault typed as its implementation, to match OpenZeppelin's ERC-20 and ERC-4626 errors. */
export function core(f: VaultFixture): RollupVault {
  return RollupVault__factory.connect(f.vault.target as string, ethers.provider);
}

export type VaultState = Record<string, bigint | boolean | string>;

/** Reads the vault's books, configuration and the balances of every actor of the fixture. */
export async function readState(f: VaultFixture, extra: string[] = []): Promise<VaultState> {
  const { vault, asset } = f;
  const state: VaultState = {
    totalAssets: await vault.totalAssets(),
    totalSupply: await vault.totalSupply(),
    totalIdle: await vault.totalIdle(),
    totalDebt: await vault.totalDebt(),
    lockedProfit: await vault.lockedProfit(),
    unlockEnd: await vault.unlockEnd(),
    paused: await vault.paused(),
    isShutdown: await vault.isShutdown(),
    owner: await vault.owner(),
    curator: await vault.curator(),
    guardian: await vault.guardian(),
    timelock: await vault.timelock(),
    depositLimit: await vault.depositLimit(),
    minIdle: await vault.minIdle(),
    performanceFee: await vault.performanceFee(),
    managementFee: await vault.managementFee(),
    maxGainBps: await vault.maxGainBps(),
    profitUnlockTime: await vault.profitUnlockTime(),
    harvestInterval: await vault.harvestInterval(),
    feeRecipient: await vault.feeRecipient(),
    skimRecipient: await vault.skimRecipient(),
    rewardsDistributor: await vault.rewardsDistributor(),
    lastFeeAccrual: await vault.lastFeeAccrual(),
    queue: (await vault.withdrawQueue()).join(","),
    vaultAssetBalance: await asset.balanceOf(await vault.getAddress()),
  };
  const queue = await vault.withdrawQueue();
  for (const a of [...new Set([...queue, await f.adapter.getAddress(), ...extra])]) {
    const [enabled, debt, absoluteCap, relativeCapBps] = await vault.adapterConfig(a);
    state[`adapter:${a}`] = `${enabled}/${debt}/${absoluteCap}/${relativeCapBps}`;
    state[`adapterBalance:${a}`] = await asset.balanceOf(a);
  }
  for (const name of ["owner", "curator", "allocator", "guardian", "keeper", "feeRecipient"] as const) {
    const who = f[name].address;
    state[`isAllocator:${name}`] = await vault.isAllocator(who);
    state[`isKeeper:${name}`] = await vault.isKeeper(who);
  }
  for (const name of ["alice", "bob", "carol", "attacker", "feeRecipient", "owner"] as const) {
    const who = f[name].address;
    state[`shares:${name}`] = await vault.balanceOf(who);
    state[`assets:${name}`] = await asset.balanceOf(who);
  }
  return state;
}

/** Runs `action` (which must assert its own revert) and checks that no part of the vault's state moved. */
export async function expectUnchanged(f: VaultFixture, action: () => Promise<unknown>, extra: string[] = []) {
  const before = await readState(f, extra);
  await action();
  const after = await readState(f, extra);
  expect(after).to.deep.equal(before);
}

/**
 * No contract is left holding stray assets: the vault holds exactly its idle books, the ERC-4626 adapter holds
 * nothing loose (everything it has is in the target), and the vault holds none of its own shares.
 */
export async function expectNoStrayBalances(f: VaultFixture) {
  const vaultAddress = await f.vault.getAddress();
  expect(await f.asset.balanceOf(vaultAddress)).to.equal(await f.vault.totalIdle(), "vault balance != idle");
  expect(await f.asset.balanceOf(await f.adapter.getAddress())).to.equal(0n, "adapter holds loose assets");
  expect(await f.vault.balanceOf(vaultAddress)).to.equal(0n, "vault holds its own shares");
  // The target's balance is exactly what its share holders own (the adapter is its only depositor).
  expect(await f.target.totalSupply()).to.equal(await f.target.balanceOf(await f.adapter.getAddress()));
}

/** Solvency: the books never exceed what the vault and its adapters really hold (after every loss is reported). */
export async function expectSolvent(f: VaultFixture) {
  const vaultAddress = await f.vault.getAddress();
  let real = await f.asset.balanceOf(vaultAddress);
  for (const a of await f.vault.withdrawQueue()) {
    real += await ERC4626Adapter__factory.connect(a, ethers.provider)
      .totalAssets()
      .catch(() => 0n);
  }
  expect(await f.vault.totalAssets()).to.be.lte(real, "books above real holdings");
}

/** Deploys a MisbehavingAdapter bound to the fixture's vault and enables it (uncapped). */
export async function addMisbehaving(f: VaultFixture): Promise<MisbehavingAdapter> {
  const bad = await new MisbehavingAdapter__factory(f.owner).deploy(await f.vault.getAddress());
  await f.vault.connect(f.curator).addAdapter(await bad.getAddress(), MAX_UINT128, BPS);
  return bad;
}

/** Deploys a second ERC-4626 target and adapter for the fixture's vault and enables it (uncapped). */
export async function addSecondAdapter(
  f: VaultFixture,
): Promise<{ target2: MockERC4626Target; adapter2: ERC4626Adapter }> {
  const target2 = await new MockERC4626Target__factory(f.owner).deploy(await f.asset.getAddress());
  const adapter2 = await new ERC4626Adapter__factory(f.owner).deploy(
    await f.vault.getAddress(),
    await target2.getAddress(),
  );
  await f.vault.connect(f.curator).addAdapter(await adapter2.getAddress(), MAX_UINT128, BPS);
  return { target2, adapter2 };
}

export async function deployDistributor(f: VaultFixture): Promise<RecordingRewardsDistributor> {
  return new RecordingRewardsDistributor__factory(f.owner).deploy();
}

/** Sends `amount` of the asset to the target as yield (the target's share price rises). */
export async function addYield(f: VaultFixture, amount: bigint, target?: MockERC4626Target) {
  await f.asset.mint(await (target ?? f.target).getAddress(), amount);
}

/** Deposits `amount` for `user` and returns the shares minted. */
export async function depositFor(f: VaultFixture, user: HardhatEthersSigner, amount: bigint): Promise<bigint> {
  const shares = await f.vault.previewDeposit(amount);
  await f.vault.connect(user).deposit(amount, user.address);
  return shares;
}

/** Price of 1 share (10^18 share units) in asset units, floored. */
export async function sharePrice(f: VaultFixture): Promise<bigint> {
  return f.vault.convertToAssets(10n ** 18n);
}

/** Turns on a timelock of `delay` seconds (immediate: raising the timelock lowers risk). */
export async function setTimelock(f: VaultFixture, delay: bigint) {
  await f.vault.connect(f.owner).setTimelock(delay);
}

export async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

let current: VaultFixture | undefined;

/** Loads `fixture` and remembers it so that the stray-balance check of `checkStrayBalancesAfterEach` can run. */
export async function load(fixture: () => Promise<VaultFixture>): Promise<VaultFixture> {
  const { loadFixture } = await import("@nomicfoundation/hardhat-network-helpers");
  current = await loadFixture(fixture);
  return current;
}

/** Adds an afterEach to the calling describe block: the last fixture loaded holds no stray balances. */
export function checkStrayBalancesAfterEach() {
  afterEach(async function () {
    const f = current;
    current = undefined;
    if (f && this.currentTest?.state === "passed") await expectNoStrayBalances(f);
  });
}
