/**
 * The code of docs/integration.md. Each `#region` below appears in the guide verbatim, and
 * test/docs/integration-examples.test.ts runs every function here against the in-process network and checks that
 * the guide still contains each region: the guide cannot drift from the contracts.
 *
 * Types come from typechain (this repository's typechain-types, or `typechain --target ethers-v6 abi/*.json`).
 */
// #region imports
import { ethers, type Signer } from "ethers";
import {
  IERC20Metadata__factory,
  IERC20Permit__factory,
  IRedemptionQueue__factory,
  IRollupVault__factory,
  IStreamingRewardsDistributor__factory,
  type IRedemptionQueue,
  type IRollupVault,
} from "../../typechain-types";
// #endregion

// #region connect
/** The whole vault surface (ERC-4626 + permit, the vault's own functions, its configuration) at one address. */
export function connectVault(vaultAddress: string, runner: Signer): IRollupVault {
  return IRollupVault__factory.connect(vaultAddress, runner);
}

/** The redemption queue of a vault (its address comes from the deployment record or the vault's operator). */
export function connectQueue(queueAddress: string, runner: Signer): IRedemptionQueue {
  return IRedemptionQueue__factory.connect(queueAddress, runner);
}
// #endregion

// #region limits
/** What `account` can do right now. The max* views are truthful: pause, deposit limit and liquidity included. */
export async function readLimits(vault: IRollupVault, account: string) {
  const [maxDeposit, maxWithdraw, maxRedeem, liquidAssets, totalAssets, shares] = await Promise.all([
    vault.maxDeposit(account), // 0 while paused or shut down; 2^256 - 1 without a deposit limit
    vault.maxWithdraw(account), // min(my assets, idle + what adapters can release now)
    vault.maxRedeem(account), // the same in shares
    vault.liquidAssets(), // idle + releasable now, for everyone
    vault.totalAssets(), // idle + debt - locked profit
    vault.balanceOf(account),
  ]);
  const position = await vault.convertToAssets(shares);
  // When part of the position is locked in adapters, the redemption queue is the way out for the rest.
  const lockedNow = position > maxWithdraw ? position - maxWithdraw : 0n;
  return { maxDeposit, maxWithdraw, maxRedeem, liquidAssets, totalAssets, shares, position, lockedNow };
}
// #endregion

// #region permit
/**
 * Signs an EIP-2612 permit for `spender` on `token`: the vault's asset (native USDC supports it) or the vault's
 * own shares. The EIP-712 domain is read from the token (ERC-5267 `eip712Domain()`) when it has it.
 */
export async function signPermit(token: string, owner: Signer, spender: string, value: bigint, deadline: bigint) {
  const contract = new ethers.Contract(
    token,
    [
      "function eip712Domain() view returns (bytes1, string name, string version, uint256 chainId, address verifyingContract, bytes32, uint256[])",
      "function name() view returns (string)",
      "function version() view returns (string)",
      "function nonces(address) view returns (uint256)",
    ],
    owner,
  );
  let domain: ethers.TypedDataDomain;
  try {
    const { name, version, chainId, verifyingContract } = await contract.eip712Domain();
    domain = { name, version, chainId, verifyingContract };
  } catch {
    // No ERC-5267 (native USDC): name(), version() ("2" for USDC) and the chain id.
    const version = await contract.version().catch(() => "1");
    const { chainId } = await owner.provider!.getNetwork();
    domain = { name: await contract.name(), version, chainId, verifyingContract: token };
  }
  const types = {
    Permit: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const ownerAddress = await owner.getAddress();
  const nonce: bigint = await contract.nonces(ownerAddress);
  const message = { owner: ownerAddress, spender, value, nonce, deadline };
  return ethers.Signature.from(await owner.signTypedData(domain, types, message));
}

/** A deadline `seconds` after the latest block (the chain's clock, not the computer's). */
export async function deadlineIn(runner: Signer, seconds: number): Promise<bigint> {
  const block = await runner.provider!.getBlock("latest");
  return BigInt(block!.timestamp + seconds);
}
// #endregion

// #region deposit
/**
 * Deposits `assets` without an approval transaction: the asset's permit (which anyone may submit, e.g. a relayer),
 * then `deposit`, refusing to go on if the vault would mint fewer shares than previewed minus `slippageBps`.
 */
export async function depositWithPermit(vault: IRollupVault, signer: Signer, assets: bigint, slippageBps = 10n) {
  const me = await signer.getAddress();
  const vaultAddress = await vault.getAddress();
  const asset = IERC20Permit__factory.connect(await vault.asset(), signer);
  const deadline = await deadlineIn(signer, 3600);
  const { v, r, s } = await signPermit(await asset.getAddress(), signer, vaultAddress, assets, deadline);
  await (await asset.permit(me, vaultAddress, assets, deadline, v, r, s)).wait();

  // The price can move between preview and inclusion (a report, a loss): bound the shares received.
  const minShares = ((await vault.previewDeposit(assets)) * (10_000n - slippageBps)) / 10_000n;
  const shares = await vault.deposit.staticCall(assets, me);
  if (shares < minShares) throw new Error(`deposit would mint ${shares} shares, below the minimum ${minShares}`);
  await (await vault.connect(signer).deposit(assets, me)).wait();
  return shares;
}
// #endregion

// #region withdraw
/**
 * Withdraws exactly `assets`: with `withdraw` when nothing is at a loss, else with `withdrawWithMaxLoss`, bearing
 * at most `maxLossBps` of the book value of the shares burned as the priced-in loss.
 * Returns what the receiver got.
 */
export async function withdrawWithMinOut(vault: IRollupVault, signer: Signer, assets: bigint, maxLossBps: bigint) {
  const me = await signer.getAddress();
  const asset = IERC20Metadata__factory.connect(await vault.asset(), signer);
  const before = await asset.balanceOf(me);
  if ((await vault.unrealizedLoss()) == 0n) {
    await (await vault.connect(signer).withdraw(assets, me, me)).wait();
  } else {
    await (await vault.connect(signer).withdrawWithMaxLoss(assets, me, me, maxLossBps)).wait();
  }
  return (await asset.balanceOf(me)) - before;
}

/**
 * Redeems `shares` with a minimum out: the preview minus `slippageBps`, checked by a static call of
 * `redeemWithMaxLoss` (which may take a loss of up to `maxLossBps`) before sending.
 */
export async function redeemWithMinOut(
  vault: IRollupVault,
  signer: Signer,
  shares: bigint,
  slippageBps: bigint,
  maxLossBps: bigint,
) {
  const me = await signer.getAddress();
  const minOut = ((await vault.previewRedeem(shares)) * (10_000n - slippageBps)) / 10_000n;
  const out = await vault.connect(signer).redeemWithMaxLoss.staticCall(shares, me, me, maxLossBps);
  if (out < minOut) throw new Error(`redeem would pay ${out}, below the minimum ${minOut}`);
  await (await vault.connect(signer).redeemWithMaxLoss(shares, me, me, maxLossBps)).wait();
  return out;
}

/**
 * OpenZeppelin's errors a vault call can raise (its ERC-20 and ERC-4626 code) that the IRollupVault interface does
 * not declare; `abi/IRollupVault.json`, the ABI of everything at the vault's address, holds them all.
 */
const OZ_ERRORS = new ethers.Interface([
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidSender(address sender)",
  "error ERC20InvalidReceiver(address receiver)",
  "error ERC20InvalidSpender(address spender)",
  "error ERC4626ExceededMaxDeposit(address receiver, uint256 assets, uint256 max)",
  "error ERC4626ExceededMaxMint(address receiver, uint256 shares, uint256 max)",
  "error ERC4626ExceededMaxWithdraw(address owner, uint256 assets, uint256 max)",
  "error ERC4626ExceededMaxRedeem(address owner, uint256 shares, uint256 max)",
  "error ERC2612ExpiredSignature(uint256 deadline)",
  "error ERC2612InvalidSigner(address signer, address owner)",
]);

/**
 * The custom error inside a failed vault call, e.g. `InsufficientLiquidity(missing)` or OpenZeppelin's
 * `ERC20InsufficientAllowance(spender, allowance, needed)`; null when there is none.
 */
export function vaultError(vault: IRollupVault, error: unknown): ethers.ErrorDescription | null {
  const data = (error as { data?: string }).data;
  if (!data) return null;
  return vault.interface.parseError(data) ?? OZ_ERRORS.parseError(data);
}
// #endregion

// #region rewards
/** Claims every reward token `signer` has earned from the vault's rewards distributor; what was paid, per token. */
export async function claimAllRewards(vault: IRollupVault, signer: Signer, receiver?: string) {
  const distributorAddress = await vault.rewardsDistributor();
  if (distributorAddress === ethers.ZeroAddress) return [];
  const distributor = IStreamingRewardsDistributor__factory.connect(distributorAddress, signer);
  const me = await signer.getAddress();
  const tokens = [...(await distributor.rewardTokens())]; // a plain array: ethers results are read-only
  const earned = await Promise.all(tokens.map((token) => distributor.earned(me, token)));
  const owed = tokens.filter((_, i) => earned[i] > 0n);
  if (owed.length === 0) return [];
  const receipt = await (await distributor.claim(owed, receiver ?? me)).wait();
  const paid: { token: string; amount: bigint }[] = [];
  for (const log of receipt!.logs) {
    const event = distributor.interface.parseLog(log);
    if (event?.name === "RewardPaid") paid.push({ token: event.args.token, amount: event.args.amount });
  }
  return paid;
}
// #endregion

// #region async-redeem
/**
 * Queues `shares` for redemption when the vault cannot pay them now. The queue escrows the shares: the vault's
 * share permit allows it without an approval transaction. Returns the request id.
 */
export async function requestRedeem(queue: IRedemptionQueue, vault: IRollupVault, signer: Signer, shares: bigint) {
  const me = await signer.getAddress();
  const queueAddress = await queue.getAddress();
  const deadline = await deadlineIn(signer, 3600);
  const { v, r, s } = await signPermit(await vault.getAddress(), signer, queueAddress, shares, deadline);
  await (await vault.connect(signer).permit(me, queueAddress, shares, deadline, v, r, s)).wait();
  const receipt = await (await queue.connect(signer).requestRedeem(shares, me, me)).wait();
  for (const log of receipt!.logs) {
    const event = queue.interface.parseLog(log);
    if (event?.name === "RedeemRequest") return event.args.requestId as bigint;
  }
  throw new Error("no RedeemRequest event");
}

/** Where a controller stands (requests are aggregated: id 0): shares still waiting, shares filled and claimable, and their assets. */
export async function redeemRequestStatus(queue: IRedemptionQueue, requestId: bigint, controller: string) {
  const [pendingShares, claimableShares, claimableAssets] = await Promise.all([
    queue.pendingRedeemRequest(requestId, controller),
    queue.claimableRedeemRequest(requestId, controller),
    queue.maxWithdraw(controller), // every fill of the controller, each at the price of its settlement
  ]);
  return { pendingShares, claimableShares, claimableAssets };
}

/** Claims everything filled for `signer`; the assets paid. */
export async function claimRedeemed(queue: IRedemptionQueue, signer: Signer, receiver?: string) {
  const me = await signer.getAddress();
  const shares = await queue.maxRedeem(me);
  if (shares === 0n) return 0n;
  const assets = await queue.connect(signer).redeem.staticCall(shares, receiver ?? me, me);
  await (await queue.connect(signer).redeem(shares, receiver ?? me, me)).wait();
  return assets;
}

/** Takes back `shares` still pending (never filled ones): the escrowed shares return to the controller. */
export async function cancelRedeem(queue: IRedemptionQueue, signer: Signer, shares: bigint) {
  await (await queue.connect(signer).cancelRedeemRequest(shares, await signer.getAddress())).wait();
}
// #endregion

// #region events
/** A holder's recent history from the events an indexer would store (see the table below). */
export async function holderHistory(vault: IRollupVault, queue: IRedemptionQueue, holder: string, fromBlock = 0) {
  const distributor = IStreamingRewardsDistributor__factory.connect(await vault.rewardsDistributor(), vault.runner);
  const [deposits, withdrawals, requests, claims, rewards] = await Promise.all([
    vault.queryFilter(vault.filters.Deposit(undefined, holder), fromBlock),
    vault.queryFilter(vault.filters.Withdraw(undefined, undefined, holder), fromBlock),
    queue.queryFilter(queue.filters.RedeemRequest(holder), fromBlock),
    queue.queryFilter(queue.filters.Withdraw(undefined, undefined, holder), fromBlock),
    distributor.queryFilter(distributor.filters.RewardPaid(holder), fromBlock),
  ]);
  return {
    deposited: deposits.reduce((sum, e) => sum + e.args.assets, 0n),
    withdrawn: withdrawals.reduce((sum, e) => sum + e.args.assets, 0n),
    requestIds: requests.map((e) => e.args.requestId),
    claimedFromQueue: claims.reduce((sum, e) => sum + e.args.assets, 0n),
    rewards: rewards.map((e) => ({ token: e.args.token, amount: e.args.amount })),
  };
}
// #endregion
