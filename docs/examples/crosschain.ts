/**
 * The code of docs/integration.md's router and cross-chain sections. Each `#region` below appears in the guide
 * verbatim, and test/docs/crosschain-examples.test.ts runs every function here (the cross-chain ones against the
 * real Stargate V2 contracts on two local LayerZero endpoint ids) and checks that the guide still contains each region.
 */
// #region router-imports
import { AbiCoder, ethers, type Signer } from "ethers";
import {
  IERC20__factory,
  IOFT__factory,
  IRollupVault__factory,
  IRollupVaultComposer__factory,
  IVaultComposerSync__factory,
  IVaultRouter__factory,
} from "../../typechain-types";
import { signPermit } from "./integration";
// #endregion

// #region router-deposit
/**
 * One transaction, no approval: a permit for the router and a deposit that reverts (MinSharesNotMet) unless at
 * least `minShares` arrive. The router pulls only from the caller and keeps nothing, no allowance either.
 */
export async function depositThroughRouter(router: string, vault: string, user: Signer, assets: bigint) {
  const r = IVaultRouter__factory.connect(router, user);
  const v = new ethers.Contract(
    vault,
    ["function asset() view returns (address)", "function previewDeposit(uint256) view returns (uint256)"],
    user,
  );
  const asset: string = await v.asset();
  const minShares = (((await v.previewDeposit(assets)) as bigint) * 9_950n) / 10_000n; // 0.5% slippage allowed
  const deadline = BigInt((await user.provider!.getBlock("latest"))!.timestamp) + 3_600n; // chain time, not wall time
  const { v: sv, r: sr, s: ss } = await signPermit(asset, user, router, assets, deadline);
  const receiver = await user.getAddress();
  return r.multicall([
    r.interface.encodeFunctionData("selfPermit", [asset, assets, deadline, sv, sr, ss]),
    r.interface.encodeFunctionData("depositMin", [vault, assets, receiver, minShares]),
  ]);
}

/** Redeems every share with a floor on the assets received (MinAssetsNotMet below it), with a share permit. */
export async function redeemThroughRouter(router: string, vault: string, user: Signer, minAssets: bigint) {
  const r = IVaultRouter__factory.connect(router, user);
  const owner = await user.getAddress();
  const shares: bigint = await IERC20__factory.connect(vault, user).balanceOf(owner);
  const deadline = BigInt((await user.provider!.getBlock("latest"))!.timestamp) + 3_600n; // chain time, not wall time
  const { v, r: sr, s } = await signPermit(vault, user, router, shares, deadline);
  return r.multicall([
    r.interface.encodeFunctionData("selfPermit", [vault, shares, deadline, v, sr, s]),
    r.interface.encodeFunctionData("redeemMin", [vault, shares, owner, minAssets]),
  ]);
}

/**
 * No custody (vaults of the suite): make the router your operator on the vault once (ERC-7540's `setOperator`) and
 * approve the vault, not the router. Every `depositMin` through the router then has the vault pull from you directly
 * (`depositMinFrom`): 1.19x a direct deposit instead of 1.41x, and the router never holds your tokens. An operator
 * can deposit whatever you approved to the vault, for any receiver: make only the suite's router (which only ever
 * names its caller as the payer) or contracts of your own operators; `setOperator(router, false)` revokes.
 */
export async function depositThroughRouterAsOperator(router: string, vault: string, user: Signer, assets: bigint) {
  const v = IRollupVault__factory.connect(vault, user);
  const owner = await user.getAddress();
  if (!(await v.isOperator(owner, router))) await (await v.setOperator(router, true)).wait();
  const asset = IERC20__factory.connect(await v.asset(), user);
  if ((await asset.allowance(owner, vault)) < assets) await (await asset.approve(vault, assets)).wait();
  const minShares = ((await v.previewDeposit(assets)) * 9_950n) / 10_000n; // 0.5% slippage allowed
  return IVaultRouter__factory.connect(router, user).depositMin(vault, assets, owner, minShares);
}
// #endregion

// #region crosschain-deposit
const SEND_PARAM =
  "tuple(uint32 dstEid, bytes32 to, uint256 amountLD, uint256 minAmountLD, bytes extraOptions, bytes composeMsg, bytes oftCmd)";

/** Executor options (type 3): lzReceive gas on the destination, and lzCompose gas and value for the composer. */
const receiveOption = (gas: bigint) =>
  ethers.solidityPacked(["uint16", "uint8", "uint16", "uint8", "uint128"], [3, 1, 17, 1, gas]);
const composeOption = (gas: bigint, value: bigint) =>
  ethers.solidityPacked(
    ["uint16", "uint8", "uint16", "uint8", "uint16", "uint128", "uint128"],
    [3, 1, 35, 3, 0, gas, value],
  );

/**
 * Deposit from chain B in one transaction. `pool` is the asset's Stargate V2 pool on chain B (signer `user`);
 * `composer` is the vault chain's RollupVaultComposer, read through `vaultChain`. The shares go to `user` on the
 * vault's chain (`sharesHome` = the vault's eid) or back to chain B as the vault's omnichain share (chain B's eid).
 * `composeGas` null leaves the compose option out (someone then executes the compose, as anyone may).
 */
export async function depositFromChainB(
  user: Signer,
  pool: string,
  composer: string,
  vaultChain: ethers.ContractRunner,
  vaultEid: number,
  sharesHome: number,
  assets: bigint,
  composeGas: bigint | null = 2_000_000n,
) {
  const to = ethers.zeroPadValue(await user.getAddress(), 32);
  const hopOptions = sharesHome === vaultEid ? "0x" : receiveOption(200_000n);
  // 1. On the vault's chain: the shares to expect and the fee of sending them on (0 if they stay there).
  const c = IRollupVaultComposer__factory.connect(composer, vaultChain);
  const [shares, shareFee] = await c.quoteDeposit(assets, sharesHome, to, hopOptions);
  const minShares = (shares * 9_950n) / 10_000n; // 0.5% slippage allowed
  // 2. The compose message: where the shares go, the floor, and the fee the compose must bring.
  const hop = {
    dstEid: sharesHome,
    to,
    amountLD: 0n,
    minAmountLD: minShares,
    extraOptions: hopOptions,
    composeMsg: "0x",
    oftCmd: "0x",
  };
  const composeMsg = AbiCoder.defaultAbiCoder().encode([SEND_PARAM, "uint256"], [hop, shareFee.nativeFee]);
  // 3. On chain B: the Stargate send (taxi) to the composer, its fee, and the send itself.
  const sendParam = {
    dstEid: vaultEid,
    to: ethers.zeroPadValue(composer, 32),
    amountLD: assets,
    minAmountLD: assets,
    extraOptions: composeGas === null ? "0x" : composeOption(composeGas, shareFee.nativeFee),
    composeMsg,
    oftCmd: "0x",
  };
  const stargate = IOFT__factory.connect(pool, user);
  const fee = await stargate.quoteSend(sendParam, false);
  await (await IERC20__factory.connect(await stargate.token(), user).approve(pool, assets)).wait();
  const tx = await stargate.send(sendParam, { nativeFee: fee.nativeFee, lzTokenFee: 0n }, await user.getAddress(), {
    value: fee.nativeFee,
  });
  return { tx, shares, minShares, bridgeFee: fee.nativeFee, shareFee: shareFee.nativeFee, composeMsg };
}
// #endregion

// #region crosschain-exit
/**
 * Exit to chain B in one transaction, on the vault's chain: redeem `shares` and receive the asset on `farEid`.
 * The Stargate fee is quoted on chain; if the send cannot go (no Stargate credit on the path), the call reverts
 * and the holder keeps the shares.
 */
export async function exitToChainB(holder: Signer, composer: string, vault: string, shares: bigint, farEid: number) {
  const to = ethers.zeroPadValue(await holder.getAddress(), 32);
  const c = IRollupVaultComposer__factory.connect(composer, holder);
  const [assets, fee] = await c.quoteRedeem(shares, farEid, to, "0x");
  const minAssets = (assets * 9_950n) / 10_000n;
  await (await IERC20__factory.connect(vault, holder).approve(composer, shares)).wait();
  const sendParam = {
    dstEid: farEid,
    to,
    amountLD: 0n,
    minAmountLD: minAssets,
    extraOptions: "0x",
    composeMsg: "0x",
    oftCmd: "0x",
  };
  const tx = await IVaultComposerSync__factory.connect(composer, holder).redeemAndSend(
    shares,
    sendParam,
    await holder.getAddress(),
    {
      value: fee.nativeFee,
    },
  );
  return { tx, assets, fee: fee.nativeFee };
}
// #endregion
