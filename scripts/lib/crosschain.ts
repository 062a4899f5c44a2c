/**
 * Cross-chain deposits and exits through the RollupVaultComposer (issue 10 §2, §3): how a front end on the far chain
 * (chain B) quotes and sends a Stargate V2 transfer whose compose message makes the vault's chain deposit it, and
 * how a holder on the vault's chain redeems and receives the asset on chain B. Used by the `vault:deposit-from`
 * task, the integration guide's example and the tests.
 */
import { AbiCoder, ethers, type BigNumberish, type ContractRunner, type Signer } from "ethers";
import {
  IERC20__factory,
  IOFT__factory,
  IRollupVaultComposer__factory,
  IVaultComposerSync__factory,
} from "../../typechain-types";

/** The OFT `SendParam` struct. */
export type SendParam = {
  dstEid: number;
  to: string;
  amountLD: bigint;
  minAmountLD: bigint;
  extraOptions: string;
  composeMsg: string;
  oftCmd: string;
};

const SEND_PARAM_TUPLE =
  "tuple(uint32 dstEid, bytes32 to, uint256 amountLD, uint256 minAmountLD, bytes extraOptions, bytes composeMsg, bytes oftCmd)";
const BPS = 10_000n;

/** `address` as the bytes32 an OFT `to` takes. */
export function toBytes32(address: string): string {
  return ethers.zeroPadValue(address, 32);
}

/** Type-3 executor options: lzReceive with `gas` (and `value`) on the destination. */
export function lzReceiveOption(gas: bigint, value = 0n): string {
  if (value === 0n) return ethers.solidityPacked(["uint16", "uint8", "uint16", "uint8", "uint128"], [3, 1, 17, 1, gas]);
  return ethers.solidityPacked(["uint16", "uint8", "uint16", "uint8", "uint128", "uint128"], [3, 1, 33, 1, gas, value]);
}

/** Type-3 executor options: lzCompose (index 0) with `gas` and `value` for the composer on the destination. */
export function lzComposeOption(gas: bigint, value: bigint): string {
  return ethers.solidityPacked(
    ["uint16", "uint8", "uint16", "uint8", "uint16", "uint128", "uint128"],
    [3, 1, 35, 3, 0, gas, value],
  );
}

/** The composer's compose message: where the shares (or assets) go next, and the fee the executor must bring. */
export function encodeComposeMsg(hop: SendParam, minMsgValue: bigint): string {
  return AbiCoder.defaultAbiCoder().encode([SEND_PARAM_TUPLE, "uint256"], [hop, minMsgValue]);
}

export type DepositFromQuote = {
  /** Assets the vault's chain receives after the bridge's own fees. */
  assetsArriving: bigint;
  /** Shares the vault would mint for them now. */
  expectedShares: bigint;
  /** The floor written into the compose message (expected shares less the slippage allowance). */
  minShares: bigint;
  /** Fee of the share OFT's send back to chain B (0 when the shares stay on the vault's chain). */
  shareSendFee: bigint;
  /** Native fee of the Stargate send on chain B, to pay as `msg.value` there. */
  bridgeFee: bigint;
  /** Ready-to-send Stargate `SendParam` on chain B. */
  sendParam: SendParam;
};

export type DepositFromArgs = {
  /** The asset's Stargate pool on chain B (an OFT). */
  pool: string;
  /** The RollupVaultComposer on the vault's chain, read through a runner connected to that chain. */
  composer: string;
  composerRunner: ContractRunner;
  /** The vault chain's endpoint id and chain B's. */
  vaultEid: number;
  farEid: number;
  /** Asset amount to send from chain B, in its decimals. */
  amount: bigint;
  /** Who gets the shares. */
  receiver: string;
  /** true: shares are sent back to chain B as the omnichain share token; false: they stay on the vault's chain. */
  sharesToFarChain: boolean;
  /** Slippage allowed on the shares, in basis points (default 50 = 0.5%). */
  slippageBps?: bigint;
  /** Gas of the share OFT's lzReceive on chain B (default 200,000). */
  shareReceiveGas?: bigint;
  /**
   * Gas (and value) of the compose on the vault's chain, written into the Stargate options so that the executor
   * runs it (default 2,000,000). null: no compose option (LayerZero's EndpointV2Mock refuses it; the compose is
   * then executed by hand, as anyone may).
   */
  composeGas?: bigint | null;
};

/** Quotes a deposit from chain B: shares to expect, the floor, the share-send fee and the bridge fee. */
export async function quoteDepositFrom(runnerB: ContractRunner, args: DepositFromArgs): Promise<DepositFromQuote> {
  const pool = IOFT__factory.connect(args.pool, runnerB);
  const composer = IRollupVaultComposer__factory.connect(args.composer, args.composerRunner);
  const slippage = args.slippageBps ?? 50n;
  const probe: SendParam = {
    dstEid: args.vaultEid,
    to: toBytes32(args.composer),
    amountLD: args.amount,
    minAmountLD: 0n,
    extraOptions: "0x",
    composeMsg: "0x",
    oftCmd: "0x",
  };
  const [, , receipt] = await pool.quoteOFT(probe);
  const assetsArriving = receipt.amountReceivedLD;
  const hopEid = args.sharesToFarChain ? args.farEid : args.vaultEid;
  const hopOptions = args.sharesToFarChain ? lzReceiveOption(args.shareReceiveGas ?? 200_000n) : "0x";
  const [expectedShares, fee] = await composer.quoteDeposit(
    assetsArriving,
    hopEid,
    toBytes32(args.receiver),
    hopOptions,
  );
  const minShares = (expectedShares * (BPS - slippage)) / BPS;
  const shareSendFee = fee.nativeFee;
  const hop: SendParam = {
    dstEid: hopEid,
    to: toBytes32(args.receiver),
    amountLD: 0n,
    minAmountLD: minShares,
    extraOptions: hopOptions,
    composeMsg: "0x",
    oftCmd: "0x",
  };
  const composeGas = args.composeGas === undefined ? 2_000_000n : args.composeGas;
  const sendParam: SendParam = {
    ...probe,
    minAmountLD: assetsArriving,
    extraOptions: composeGas === null ? "0x" : lzComposeOption(composeGas, shareSendFee),
    composeMsg: encodeComposeMsg(hop, shareSendFee),
  };
  const bridge = await pool.quoteSend(sendParam, false);
  return { assetsArriving, expectedShares, minShares, shareSendFee, bridgeFee: bridge.nativeFee, sendParam };
}

/**
 * Sends the quoted deposit from chain B: approves the pool for the asset if it needs it, then `send` with the
 * bridge fee. A native pool (Stargate's StargatePoolNative, `token()` zero) takes the ether sent as `msg.value`
 * with the fee. Returns the transaction.
 */
export async function sendDepositFrom(signerB: Signer, pool: string, quote: DepositFromQuote) {
  const oft = IOFT__factory.connect(pool, signerB);
  const asset = await oft.token();
  let value = quote.bridgeFee;
  if (asset === ethers.ZeroAddress) {
    value += quote.sendParam.amountLD;
  } else if (await oft.approvalRequired()) {
    const token = IERC20__factory.connect(asset, signerB);
    const owner = await signerB.getAddress();
    if ((await token.allowance(owner, pool)) < quote.sendParam.amountLD) {
      await (await token.approve(pool, quote.sendParam.amountLD)).wait();
    }
  }
  const fee = { nativeFee: quote.bridgeFee, lzTokenFee: 0n };
  return oft.send(quote.sendParam, fee, await signerB.getAddress(), { value });
}

export type ExitToQuote = { assets: bigint; minAssets: bigint; fee: bigint; sendParam: SendParam };

/** Quotes an exit: redeem `shares` on the vault's chain and receive the asset on `farEid` (Stargate fee included). */
export async function quoteExitTo(
  composerRunner: ContractRunner,
  composer: string,
  shares: bigint,
  farEid: number,
  receiver: string,
  slippageBps: BigNumberish = 50n,
): Promise<ExitToQuote> {
  const c = IRollupVaultComposer__factory.connect(composer, composerRunner);
  const [assets, fee] = await c.quoteRedeem(shares, farEid, toBytes32(receiver), "0x");
  const minAssets = (assets * (BPS - BigInt(slippageBps))) / BPS;
  const sendParam: SendParam = {
    dstEid: farEid,
    to: toBytes32(receiver),
    amountLD: 0n,
    minAmountLD: minAssets,
    extraOptions: "0x",
    composeMsg: "0x",
    oftCmd: "0x",
  };
  return { assets, minAssets, fee: fee.nativeFee, sendParam };
}

/** Redeems on the vault's chain and sends the asset to chain B in one transaction (the holder approves the shares). */
export async function sendExitTo(holder: Signer, composer: string, vault: string, shares: bigint, quote: ExitToQuote) {
  const share = IERC20__factory.connect(vault, holder);
  const owner = await holder.getAddress();
  if ((await share.allowance(owner, composer)) < shares) await (await share.approve(composer, shares)).wait();
  const c = IVaultComposerSync__factory.connect(composer, holder);
  return c.redeemAndSend(shares, quote.sendParam, owner, { value: quote.fee });
}
