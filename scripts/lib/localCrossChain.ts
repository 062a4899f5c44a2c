/**
 * The cross-chain pieces of a RollupVault on the LOCAL Stargate set (two LayerZero EndpointV2Mock endpoint ids on one
 * chain: the tests' `test/helpers/stargate.ts` and the demo's `StargateTestSupport` module): deploying the share
 * OFTs and the RollupVaultComposer over a vault, and executing a compose as LayerZero's endpoint would. No `hardhat`
 * import: the tests and the demo pass their own signer and provider.
 *
 * LayerZero's EndpointV2Mock (test-devtools-evm-hardhat 0.5.3) delivers messages inside the sending transaction but
 * implements `sendCompose` and `lzCompose` as no-ops, so a compose is never run by it. `executeCompose` plays the
 * part of EndpointV2's permissionless `lzCompose`: `deliveredCompose` rebuilds the compose message exactly as the
 * OFT (Stargate's pool, or the share adapter) hands it to the endpoint, `OFTComposeMsgCodec.encode(nonce, srcEid,
 * amountLD, composeFrom ++ composeMsg)`, from the delivered packet, and `executeCompose` calls the composer from the
 * endpoint's address with the caller as `executor`. What a real endpoint adds (the message stays queued until a
 * call succeeds) is why a reverted compose can simply be executed again, by anyone.
 */
import { ethers, type ContractTransactionReceipt, type Interface, type Signer } from "ethers";
import {
  EndpointV2Mock__factory,
  RollupVaultComposerNative__factory,
  RollupVaultComposer__factory,
  StargateWETHOFT__factory,
  VaultShareOFTAdapter__factory,
  VaultShareOFT__factory,
  type RollupVaultComposer,
  type StargateWETHOFT,
  type VaultShareOFT,
  type VaultShareOFTAdapter,
} from "../../typechain-types";
import { toBytes32 } from "./crosschain";

/** The composer's gas floor and the gas it holds back for the failure path, as the tests and the demo deploy it. */
export const MIN_COMPOSE_GAS = 1_500_000n;
export const RECOVERY_GAS = 600_000n;

export type LocalCrossChainArgs = {
  /** The vault (its share is the share adapter's token). */
  vault: string;
  /** The vault asset's Stargate pool on the vault's side (the composer's asset OFT). */
  assetOFT: string;
  /** EndpointV2Mock of the vault's side and of the far side, with the far side's eid. */
  vaultEndpoint: string;
  farEndpoint: string;
  farEid: number;
  vaultEid: number;
  /** Name and symbol of the omnichain share on the far side. */
  name: string;
  symbol: string;
  /**
   * For a WETH vault fed by ETH: `assetOFT` is then Stargate's native pool, and the composer is the native variant
   * over a StargateWETHOFT (the pool presented as the OFT of this WETH).
   */
  weth?: string;
};

export type LocalCrossChain = {
  shareAdapter: VaultShareOFTAdapter;
  remoteShare: VaultShareOFT;
  composer: RollupVaultComposer;
  /** The composer's asset OFT when `weth` was given (else undefined: the pool itself is the asset OFT). */
  wethOFT?: StargateWETHOFT;
};

/**
 * Deploys the vault's share OFTs (LayerZero's OFTAdapter on the vault's side, an OFT on the far side), peers them
 * both ways, routes the endpoint mocks between them, and deploys the composer over the vault, `assetOFT` and the
 * share adapter. `owner` owns the OFTs (their OApp delegate).
 */
export async function deployLocalCrossChain(owner: Signer, args: LocalCrossChainArgs): Promise<LocalCrossChain> {
  const ownerAddress = await owner.getAddress();
  const shareAdapter = await new VaultShareOFTAdapter__factory(owner).deploy(
    args.vault,
    args.vaultEndpoint,
    ownerAddress,
  );
  const remoteShare = await new VaultShareOFT__factory(owner).deploy(
    args.name,
    args.symbol,
    args.farEndpoint,
    ownerAddress,
  );
  const adapterAddress = await shareAdapter.getAddress();
  const remoteAddress = await remoteShare.getAddress();
  await (await shareAdapter.setPeer(args.farEid, toBytes32(remoteAddress))).wait();
  await (await remoteShare.setPeer(args.vaultEid, toBytes32(adapterAddress))).wait();
  const vaultEndpoint = EndpointV2Mock__factory.connect(args.vaultEndpoint, owner);
  const farEndpoint = EndpointV2Mock__factory.connect(args.farEndpoint, owner);
  await (await vaultEndpoint.setDestLzEndpoint(remoteAddress, args.farEndpoint)).wait();
  await (await farEndpoint.setDestLzEndpoint(adapterAddress, args.vaultEndpoint)).wait();
  if (args.weth !== undefined) {
    const wethOFT = await new StargateWETHOFT__factory(owner).deploy(args.assetOFT, args.weth);
    const native = await new RollupVaultComposerNative__factory(owner).deploy(
      args.vault,
      await wethOFT.getAddress(),
      adapterAddress,
      MIN_COMPOSE_GAS,
      RECOVERY_GAS,
    );
    await native.waitForDeployment();
    const composer = RollupVaultComposer__factory.connect(await native.getAddress(), owner);
    return { shareAdapter, remoteShare, composer, wethOFT };
  }
  const composer = await new RollupVaultComposer__factory(owner).deploy(
    args.vault,
    args.assetOFT,
    adapterAddress,
    MIN_COMPOSE_GAS,
    RECOVERY_GAS,
  );
  await composer.waitForDeployment();
  return { shareAdapter, remoteShare, composer };
}

export type Delivered = { guid: string; amount: bigint; message: string; from: string };

/** Where a compose came from: the far side's endpoint and eid, and the OApps the packet went between. */
export type ComposeRoute = {
  farEndpoint: string;
  farEid: number;
  vaultEid: number;
  /** The sending OApp on the far side (Stargate's TokenMessaging, or the share OFT) and the receiving one here. */
  srcOApp: string;
  dstOApp: string;
};

/**
 * The compose message the endpoint would hold after `receipt`'s delivery by `oft` (Stargate pool or share OFT) on
 * the vault's side, sent by `sender` (the composeFrom) with `composeMsg`. Throws if nothing was delivered.
 */
export async function deliveredCompose(
  runner: Signer | ethers.Provider,
  route: ComposeRoute,
  receipt: ContractTransactionReceipt,
  oft: { getAddress(): Promise<string>; interface: Interface },
  sender: string,
  composeMsg: string,
): Promise<Delivered> {
  const from = await oft.getAddress();
  let delivered: { guid: string; amount: bigint } | undefined;
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== from.toLowerCase()) continue;
    const parsed = oft.interface.parseLog(log);
    if (parsed?.name === "OFTReceived") delivered = { guid: parsed.args[0], amount: parsed.args[3] };
  }
  if (!delivered) throw new Error("nothing was delivered on the vault's chain");
  const endpoint = EndpointV2Mock__factory.connect(route.farEndpoint, runner);
  const nonce = await endpoint.outboundNonce(route.srcOApp, route.vaultEid, toBytes32(route.dstOApp));
  const message = ethers.solidityPacked(
    ["uint64", "uint32", "uint256", "bytes32", "bytes"],
    [nonce, route.farEid, delivered.amount, toBytes32(sender), composeMsg],
  );
  return { ...delivered, message, from };
}

/** What `executeCompose` needs of Hardhat's provider: its RPC methods and a signer for any address. */
export type ImpersonatingProvider = {
  send(method: string, params: unknown[]): Promise<unknown>;
  getSigner(address: string): Promise<Signer>;
};

/**
 * Runs the compose as EndpointV2.lzCompose does: from the vault side's endpoint (impersonated on the in-process
 * network), `executor` being whoever executes it and `value` what it brings.
 */
export async function executeCompose(
  provider: ImpersonatingProvider,
  vaultEndpoint: string,
  composer: RollupVaultComposer,
  delivered: Delivered,
  executor: string,
  options: { value?: bigint; gasLimit?: bigint } = {},
) {
  await provider.send("hardhat_impersonateAccount", [vaultEndpoint]);
  await provider.send("hardhat_setBalance", [vaultEndpoint, ethers.toQuantity(ethers.parseEther("100"))]);
  const signer = await provider.getSigner(vaultEndpoint);
  return composer.connect(signer).lzCompose(delivered.from, delivered.guid, delivered.message, executor, "0x", {
    value: options.value ?? 0n,
    gasLimit: options.gasLimit ?? 5_000_000n,
  });
}
