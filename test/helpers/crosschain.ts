/**
 * A RollupVault on the LOCAL side of the real Stargate V2 test network (test/helpers/stargate.ts) with its
 * omnichain share (LayerZero's OFTAdapter here, an OFT on the REMOTE side) and the RollupVaultComposer.
 *
 * LayerZero's EndpointV2Mock (test-devtools-evm-hardhat 0.5.3) delivers messages inside the sending transaction but
 * implements `sendCompose` and `lzCompose` as no-ops, so a compose is never run by it. `executeCompose` plays the
 * part of EndpointV2's permissionless `lzCompose`: it rebuilds the compose message exactly as the OFT (Stargate's
 * pool, or the share adapter) hands it to the endpoint, `OFTComposeMsgCodec.encode(nonce, srcEid, amountLD,
 * composeFrom ++ composeMsg)`, from the delivered packet, and calls the composer from the endpoint's address with the
 * caller as `executor`. What a real endpoint adds (the message stays queued until a call succeeds) is why a
 * reverted compose can simply be executed again, by anyone, in these tests.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { impersonateAccount, setBalance } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import type { ContractTransactionReceipt } from "ethers";
import {
  IRollupVault__factory,
  RollupVaultComposer__factory,
  RollupVault__factory,
  VaultAdmin__factory,
  VaultShareOFTAdapter__factory,
  VaultShareOFT__factory,
  type IRollupVault,
  type RollupVaultComposer,
  type VaultShareOFT,
  type VaultShareOFTAdapter,
} from "../../typechain-types";
import { LOCAL_EID, REMOTE_EID, moveCredit, provideLiquidity, type StargateNetwork } from "./stargate";
import { toBytes32 } from "../../scripts/lib/crosschain";

export const MIN_COMPOSE_GAS = 1_500_000n;
export const RECOVERY_GAS = 600_000n;

export type CrossChainVault = {
  vault: IRollupVault;
  shareAdapter: VaultShareOFTAdapter;
  remoteShare: VaultShareOFT;
  composer: RollupVaultComposer;
};

/** Deploys the vault over the local USDC, its share OFTs (peered both ways) and the composer. */
export async function deployCrossChainVault(
  net: StargateNetwork,
  owner: HardhatEthersSigner,
): Promise<CrossChainVault> {
  const admin = await new VaultAdmin__factory(owner).deploy();
  const core = await new RollupVault__factory(owner).deploy(
    await net.local.usdc.getAddress(),
    "Rollup USDC",
    "rvUSDC",
    owner.address,
    await admin.getAddress(),
  );
  const vault = IRollupVault__factory.connect(await core.getAddress(), owner);
  await vault.setGuardian(owner.address);
  await vault.setCurator(owner.address);
  const shareAdapter = await new VaultShareOFTAdapter__factory(owner).deploy(
    await vault.getAddress(),
    await net.local.endpoint.getAddress(),
    owner.address,
  );
  const remoteShare = await new VaultShareOFT__factory(owner).deploy(
    "Rollup USDC (omnichain)",
    "rvUSDC",
    await net.remote.endpoint.getAddress(),
    owner.address,
  );
  const adapterAddress = await shareAdapter.getAddress();
  const remoteAddress = await remoteShare.getAddress();
  await shareAdapter.setPeer(REMOTE_EID, toBytes32(remoteAddress));
  await remoteShare.setPeer(LOCAL_EID, toBytes32(adapterAddress));
  await net.local.endpoint.setDestLzEndpoint(remoteAddress, await net.remote.endpoint.getAddress());
  await net.remote.endpoint.setDestLzEndpoint(adapterAddress, await net.local.endpoint.getAddress());
  const composer = await new RollupVaultComposer__factory(owner).deploy(
    await vault.getAddress(),
    await net.local.usdcPool.getAddress(),
    adapterAddress,
    MIN_COMPOSE_GAS,
    RECOVERY_GAS,
  );
  return { vault, shareAdapter, remoteShare, composer };
}

/**
 * Liquidity both ways: `lp` deposits into both USDC pools, the planner gives the REMOTE pool credit to send into
 * LOCAL (deposits from chain B) and the LOCAL pool credit to send into REMOTE (refunds and exits).
 */
export async function fundPaths(net: StargateNetwork, lp: HardhatEthersSigner, amount: bigint) {
  await provideLiquidity(net, net.local, "usdc", lp, amount);
  await provideLiquidity(net, net.remote, "usdc", lp, amount);
  await moveCredit(net, "local", "usdc", LOCAL_EID, amount / 2n);
  await moveCredit(net, "remote", "usdc", REMOTE_EID, amount / 2n);
}

export type Delivered = { guid: string; amount: bigint; message: string; from: string };

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
): Promise<Delivered> {
  const from = await oft.getAddress();
  let delivered: { guid: string; amount: bigint } | undefined;
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== from.toLowerCase()) continue;
    const parsed = oft.interface.parseLog(log);
    if (parsed?.name === "OFTReceived") delivered = { guid: parsed.args[0], amount: parsed.args[3] };
  }
  if (!delivered) throw new Error("nothing was delivered on the vault's chain");
  const nonce = await net.remote.endpoint.outboundNonce(srcOApp, LOCAL_EID, toBytes32(dstOApp));
  const message = ethers.solidityPacked(
    ["uint64", "uint32", "uint256", "bytes32", "bytes"],
    [nonce, REMOTE_EID, delivered.amount, toBytes32(sender), composeMsg],
  );
  return { ...delivered, message, from };
}

/** Runs the compose as EndpointV2.lzCompose does: from the endpoint, `executor` being whoever executes it. */
export async function executeCompose(
  net: StargateNetwork,
  composer: RollupVaultComposer,
  delivered: Delivered,
  executor: string,
  options: { value?: bigint; gasLimit?: bigint } = {},
) {
  const endpoint = await net.local.endpoint.getAddress();
  await impersonateAccount(endpoint);
  await setBalance(endpoint, ethers.parseEther("100"));
  const signer = await ethers.getSigner(endpoint);
  return composer.connect(signer).lzCompose(delivered.from, delivered.guid, delivered.message, executor, "0x", {
    value: options.value ?? 0n,
    gasLimit: options.gasLimit ?? 5_000_000n,
  });
}
