/**
 * A RollupVault on the LOCAL side of the real Stargate V2 test network (test/helpers/stargate.ts) with its
 * omnichain share (LayerZero's OFTAdapter here, an OFT on the REMOTE side) and the RollupVaultComposer, deployed and
 * composed by scripts/lib/localCrossChain.ts (shared with the demo): LayerZero's EndpointV2Mock never runs a compose,
 * so `executeCompose` plays EndpointV2's permissionless `lzCompose` (see there).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionReceipt } from "ethers";
import {
  IRollupVault__factory,
  MockWETH__factory,
  RollupVault__factory,
  VaultAdmin__factory,
  type IRollupVault,
  type MockWETH,
  type RollupVaultComposer,
  type StargateWETHOFT,
  type VaultShareOFT,
  type VaultShareOFTAdapter,
} from "../../typechain-types";
import {
  LOCAL_EID,
  REMOTE_EID,
  deployStargateNetwork,
  moveCredit,
  poolOf,
  provideLiquidity,
  type PoolKind,
  type StargateNetwork,
} from "./stargate";
import * as local from "../../scripts/lib/localCrossChain";
import {
  encodeComposeMsg,
  lzReceiveOption,
  quoteDepositFrom,
  quoteExitTo,
  sendDepositFrom,
  toBytes32,
  type DepositFromQuote,
  type ExitToQuote,
  type SendParam,
} from "../../scripts/lib/crosschain";

export { MIN_COMPOSE_GAS, RECOVERY_GAS, type Delivered } from "../../scripts/lib/localCrossChain";

export type CrossChainVault = {
  vault: IRollupVault;
  shareAdapter: VaultShareOFTAdapter;
  remoteShare: VaultShareOFT;
  composer: RollupVaultComposer;
  /** For the native kind: the vault's asset and the composer's asset OFT (the native pool as the OFT of WETH). */
  weth?: MockWETH;
  wethOFT?: StargateWETHOFT;
};

/**
 * Deploys the vault, its share OFTs (peered both ways) and the composer: over the local USDC and its pool, or (kind
 * "native") over a WETH, fed by ETH through the local native pool (RollupVaultComposerNative over a StargateWETHOFT).
 */
export async function deployCrossChainVault(
  net: StargateNetwork,
  owner: HardhatEthersSigner,
  kind: PoolKind = "usdc",
): Promise<CrossChainVault> {
  const weth = kind === "native" ? await new MockWETH__factory(owner).deploy() : undefined;
  const asset = weth ? await weth.getAddress() : await net.local.usdc.getAddress();
  const admin = await new VaultAdmin__factory(owner).deploy();
  const core = await new RollupVault__factory(owner).deploy(
    asset,
    weth ? "Rollup WETH" : "Rollup USDC",
    weth ? "rvWETH" : "rvUSDC",
    owner.address,
    await admin.getAddress(),
  );
  const vault = IRollupVault__factory.connect(await core.getAddress(), owner);
  await vault.setGuardian(owner.address);
  await vault.setCurator(owner.address);
  const x = await local.deployLocalCrossChain(owner, {
    vault: await vault.getAddress(),
    assetOFT: await poolOf(net.local, kind).getAddress(),
    vaultEndpoint: await net.local.endpoint.getAddress(),
    farEndpoint: await net.remote.endpoint.getAddress(),
    vaultEid: LOCAL_EID,
    farEid: REMOTE_EID,
    name: weth ? "Rollup WETH (omnichain)" : "Rollup USDC (omnichain)",
    symbol: weth ? "rvWETH" : "rvUSDC",
    weth: weth ? asset : undefined,
  });
  return { vault, weth, ...x };
}

/**
 * Liquidity both ways: `lp` deposits into both pools of `kind`, the planner gives the REMOTE pool credit to send
 * into LOCAL (deposits from chain B) and the LOCAL pool credit to send into REMOTE (refunds and exits).
 */
export async function fundPaths(
  net: StargateNetwork,
  lp: HardhatEthersSigner,
  amount: bigint,
  kind: PoolKind = "usdc",
) {
  await provideLiquidity(net, net.local, kind, lp, amount);
  await provideLiquidity(net, net.remote, kind, lp, amount);
  await moveCredit(net, "local", kind, LOCAL_EID, amount / 2n);
  await moveCredit(net, "remote", kind, REMOTE_EID, amount / 2n);
}

/**
 * The compose message the endpoint would hold after `receipt`'s delivery by `oft` (Stargate pool or share OFT) on
 * the LOCAL side, sent by `sender` (the composeFrom) with `composeMsg`. Throws if nothing was delivered.
 */
export async function deliveredCompose(
  net: StargateNetwork,
  receipt: ContractTransactionReceipt,
  oft: { getAddress(): Promise<string>; interface: import("ethers").Interface },
  srcOApp: string,
  dstOApp: string,
  sender: string,
  composeMsg: string,
): Promise<local.Delivered> {
  const route = {
    farEndpoint: await net.remote.endpoint.getAddress(),
    farEid: REMOTE_EID,
    vaultEid: LOCAL_EID,
    srcOApp,
    dstOApp,
  };
  return local.deliveredCompose(ethers.provider, route, receipt, oft, sender, composeMsg);
}

/** Runs the compose as EndpointV2.lzCompose does: from the endpoint, `executor` being whoever executes it. */
export async function executeCompose(
  net: StargateNetwork,
  composer: RollupVaultComposer,
  delivered: local.Delivered,
  executor: string,
  options: { value?: bigint; gasLimit?: bigint } = {},
) {
  const endpoint = await net.local.endpoint.getAddress();
  return local.executeCompose(ethers.provider, endpoint, composer, delivered, executor, options);
}

/**
 * `holder` on REMOTE sends `shares` of the omnichain share to the composer with a compose message asking for the
 * quoted `exit` (redeem, then the asset to REMOTE); returns the compose delivered on LOCAL.
 */
export async function sendSharesToRedeem(
  net: StargateNetwork,
  x: CrossChainVault,
  holder: HardhatEthersSigner,
  shares: bigint,
  exit: ExitToQuote,
): Promise<local.Delivered> {
  const composeMsg = encodeComposeMsg(exit.sendParam, exit.fee);
  const sendParam: SendParam = {
    dstEid: LOCAL_EID,
    to: toBytes32(await x.composer.getAddress()),
    amountLD: shares,
    minAmountLD: shares,
    extraOptions: lzReceiveOption(300_000n),
    composeMsg,
    oftCmd: "0x",
  };
  const fee = await x.remoteShare.quoteSend(sendParam, false);
  const sent = await x.remoteShare
    .connect(holder)
    .send(sendParam, { nativeFee: fee.nativeFee, lzTokenFee: 0n }, holder.address, { value: fee.nativeFee });
  return deliveredCompose(
    net,
    (await sent.wait())!,
    x.shareAdapter,
    await x.remoteShare.getAddress(),
    await x.shareAdapter.getAddress(),
    holder.address,
    composeMsg,
  );
}

/** The compose delivered on LOCAL by a Stargate send of `kind` from REMOTE (`receipt`), from `sender`. */
export async function deliveredThroughStargate(
  net: StargateNetwork,
  kind: PoolKind,
  receipt: ContractTransactionReceipt,
  sender: string,
  composeMsg: string,
): Promise<local.Delivered> {
  return deliveredCompose(
    net,
    receipt,
    poolOf(net.local, kind),
    await net.remote.tokenMessaging.getAddress(),
    await net.local.tokenMessaging.getAddress(),
    sender,
    composeMsg,
  );
}

/** The fee of a refund (or any send) of `amount` from LOCAL's pool of `kind` to `to` on REMOTE. */
export async function refundFeeOf(net: StargateNetwork, kind: PoolKind, to: string, amount: bigint): Promise<bigint> {
  const param = { dstEid: REMOTE_EID, to: toBytes32(to), amountLD: amount, minAmountLD: 0n };
  const quoted = await poolOf(net.local, kind).quoteSend(
    { ...param, extraOptions: "0x", composeMsg: "0x", oftCmd: "0x" },
    false,
  );
  return quoted.nativeFee;
}

export type HopTweak = (hop: SendParam) => { hop: SendParam; minMsgValue?: bigint };

/**
 * `user` quotes with the composer and sends `amount` from REMOTE through its Stargate pool of `kind` with the compose
 * message (shares to LOCAL, or back to REMOTE); `tweak` may change the compose's hop (e.g. an unreachable floor)
 * before the send. Returns the quote and the compose delivered on LOCAL.
 */
export async function depositFromRemote(
  net: StargateNetwork,
  x: CrossChainVault,
  kind: PoolKind,
  user: HardhatEthersSigner,
  amount: bigint,
  sharesToFarChain: boolean,
  tweak?: HopTweak,
): Promise<{ quote: DepositFromQuote; delivered: local.Delivered; receipt: ContractTransactionReceipt }> {
  const pool = poolOf(net.remote, kind);
  const quote = await quoteDepositFrom(user, {
    pool: await pool.getAddress(),
    composer: await x.composer.getAddress(),
    composerRunner: ethers.provider,
    vaultEid: LOCAL_EID,
    farEid: REMOTE_EID,
    amount,
    receiver: user.address,
    sharesToFarChain,
    composeGas: null, // the endpoint mock refuses compose options; the test executes the compose itself
  });
  if (tweak) {
    const [hop] = ethers.AbiCoder.defaultAbiCoder().decode(
      [
        "tuple(uint32 dstEid, bytes32 to, uint256 amountLD, uint256 minAmountLD, bytes extraOptions, bytes composeMsg, bytes oftCmd)",
        "uint256",
      ],
      quote.sendParam.composeMsg,
    );
    const changed = tweak({ ...hop.toObject(), dstEid: Number(hop.dstEid) } as SendParam);
    quote.sendParam.composeMsg = encodeComposeMsg(changed.hop, changed.minMsgValue ?? quote.shareSendFee);
    quote.bridgeFee = (await pool.quoteSend(quote.sendParam, false)).nativeFee;
  }
  const sent = await sendDepositFrom(user, await pool.getAddress(), quote);
  const receipt = (await sent.wait())!;
  const delivered = await deliveredThroughStargate(net, kind, receipt, user.address, quote.sendParam.composeMsg);
  return { quote, delivered, receipt };
}

/**
 * The fixture of the composer suites: the Stargate network, the cross-chain vault of `kind`, `liquidity` on both
 * sides' pools of `kind` with credit both ways, and the actors (signers 6 to 9: alice, bob, executor, lp).
 */
export async function crossChainFixture(kind: PoolKind, liquidity: bigint) {
  const net = await deployStargateNetwork();
  const signers = await ethers.getSigners();
  const [owner, alice, bob, executor, lp] = [signers[0], signers[6], signers[7], signers[8], signers[9]];
  const x = await deployCrossChainVault(net, owner, kind);
  await fundPaths(net, lp, liquidity, kind);
  return { net, owner, alice, bob, executor, lp, ...x };
}

/**
 * Loads `fixture` and, in the calling `describe`, checks after every passing test that none of `holders(f)` (the
 * composer and its helpers) keeps ether, the vault's asset or shares.
 */
export function loadCheckingLeftovers<F extends CrossChainVault>(
  fixture: () => Promise<F>,
  holders: (f: F) => Promise<{ asset: { balanceOf(a: string): Promise<bigint> }; addresses: string[] }>,
): () => Promise<F> {
  let current: F | undefined;
  afterEach(async function () {
    const f = current;
    current = undefined;
    if (!f || this.currentTest?.state !== "passed") return;
    const { asset, addresses } = await holders(f);
    for (const holder of addresses) {
      expect(await ethers.provider.getBalance(holder)).to.equal(0n, `${holder} holds ether`);
      expect(await asset.balanceOf(holder)).to.equal(0n, `${holder} holds the asset`);
      expect(await f.vault.balanceOf(holder)).to.equal(0n, `${holder} holds shares`);
    }
  });
  return async () => (current = await loadFixture(fixture));
}

/**
 * `user` deposits `amount` from REMOTE with the shares sent back there (the compose executed by `executor`), then
 * sends all its omnichain shares to the composer to be redeemed with the asset sent to REMOTE: the compose delivered
 * on LOCAL, with the quoted exit (its fee is what the executor must bring).
 */
export async function omnichainSharesToRedeem(
  net: StargateNetwork,
  x: CrossChainVault,
  kind: PoolKind,
  user: HardhatEthersSigner,
  amount: bigint,
  executor: string,
) {
  const deposit = await depositFromRemote(net, x, kind, user, amount, true);
  await executeCompose(net, x.composer, deposit.delivered, executor, { value: deposit.quote.shareSendFee });
  const shares = await x.remoteShare.balanceOf(user.address);
  const composer = await x.composer.getAddress();
  const exit = await quoteExitTo(ethers.provider, composer, shares, REMOTE_EID, user.address);
  const delivered = await sendSharesToRedeem(net, x, user, shares, exit);
  return { exit, delivered, shares };
}
