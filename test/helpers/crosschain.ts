/**
 * A RollupVault on the LOCAL side of the real Stargate V2 test network (test/helpers/stargate.ts) with its
 * omnichain share (LayerZero's OFTAdapter here, an OFT on the REMOTE side) and the RollupVaultComposer, deployed and
 * composed by scripts/lib/localCrossChain.ts (shared with the demo): LayerZero's EndpointV2Mock never runs a compose,
 * so `executeCompose` plays EndpointV2's permissionless `lzCompose` (see there).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ethers } from "hardhat";
import type { ContractTransactionReceipt } from "ethers";
import {
  IRollupVault__factory,
  RollupVault__factory,
  VaultAdmin__factory,
  type IRollupVault,
  type RollupVaultComposer,
  type VaultShareOFT,
  type VaultShareOFTAdapter,
} from "../../typechain-types";
import { LOCAL_EID, REMOTE_EID, moveCredit, provideLiquidity, type StargateNetwork } from "./stargate";
import * as local from "../../scripts/lib/localCrossChain";

export { MIN_COMPOSE_GAS, RECOVERY_GAS, type Delivered } from "../../scripts/lib/localCrossChain";

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
  const x = await local.deployLocalCrossChain(owner, {
    vault: await vault.getAddress(),
    assetOFT: await net.local.usdcPool.getAddress(),
    vaultEndpoint: await net.local.endpoint.getAddress(),
    farEndpoint: await net.remote.endpoint.getAddress(),
    vaultEid: LOCAL_EID,
    farEid: REMOTE_EID,
    name: "Rollup USDC (omnichain)",
    symbol: "rvUSDC",
  });
  return { vault, ...x };
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
