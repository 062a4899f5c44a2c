/**
 * A real Stargate V2 deployment on one local chain, for tests, the demo and the local node.
 *
 * Every contract is the official bytecode of `@stargatefinance/stg-evm-v2` (BUSL-1.1: used here for tests, the demo
 * and the local node only, never in what is deployed) or LayerZero's `EndpointV2Mock`
 * (`@layerzerolabs/test-devtools-evm-hardhat`); the typed factories come from typechain's `externalArtifacts`
 * (hardhat.config.ts). Two LayerZero endpoint ids live side by side on the same chain: the LOCAL side (the chain
 * the vault lives on: its pools are staked in StargateStaking, whose ONE StargateMultiRewarder pays every local LP)
 * and the REMOTE side (the far chain bridgers come from). Each side has Circle's real USDC (FiatTokenV2_2 behind
 * FiatTokenProxy, with its blacklist and pause), a USDC pool (6 decimals, StargatePoolUSDC) and a native ETH pool
 * (StargatePoolNative), each with its FeeLibV1 (zero fees), TokenMessaging and CreditMessaging wired to the other
 * side, a Treasurer, and one planner account. The endpoint mock delivers a message inside the sending transaction.
 *
 * The credit model is the real one: a pool's local credit (`paths(localEid)`) rises with deposits and with sends
 * from its chain, falls with redeems and with the planner's `sendCredits`; a bridge payout into a chain cuts only
 * its pool balance (the source side spent credit it had received from the planner). `redeemable(address(0))` is
 * the local credit.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";

import {
  CreditMessaging__factory,
  EndpointV2Mock__factory,
  FeeLibV1__factory,
  FiatTokenProxy__factory,
  FiatTokenV2_2__factory,
  LPToken__factory,
  MockERC20__factory,
  SignatureChecker__factory,
  StargateMultiRewarder__factory,
  StargatePoolNative__factory,
  StargatePoolUSDC__factory,
  StargateStaking__factory,
  TokenMessaging__factory,
  Treasurer__factory,
  type CreditMessaging,
  type EndpointV2Mock,
  type FeeLibV1,
  type FiatTokenV2_2,
  type LPToken,
  type MockERC20,
  type StargateMultiRewarder,
  type StargatePoolNative,
  type StargatePoolUSDC,
  type StargateStaking,
  type TokenMessaging,
  type Treasurer,
} from "../../typechain-types";
import {
  DELIVERY_GAS,
  ETH_ASSET_ID,
  LOCAL_EID,
  REMOTE_EID,
  USDC_ASSET_ID,
  lzReceiveOption,
} from "../../scripts/lib/stargateArtifacts";

export { DELIVERY_GAS, ETH_ASSET_ID, LOCAL_EID, REMOTE_EID, USDC_ASSET_ID, lzReceiveOption };
/** StargateBase.status of a pool paused by its planner. */
export const POOL_PAUSED = 3n;

export type PoolKind = "usdc" | "native";
export type SideName = "local" | "remote";

/** One endpoint id's worth of Stargate: its USDC, its two pools and their messaging. */
export type StargateSide = {
  eid: number;
  endpoint: EndpointV2Mock;
  tokenMessaging: TokenMessaging;
  creditMessaging: CreditMessaging;
  treasurer: Treasurer;
  /** Circle's FiatTokenV2_2 through its FiatTokenProxy (6 decimals). */
  usdc: FiatTokenV2_2;
  usdcPool: StargatePoolUSDC;
  usdcLp: LPToken;
  usdcFeeLib: FeeLibV1;
  nativePool: StargatePoolNative;
  nativeLp: LPToken;
  nativeFeeLib: FeeLibV1;
};

export type StargateNetwork = {
  local: StargateSide;
  remote: StargateSide;
  /** Owner of every Stargate contract (pools, messaging, fee libs, staking, rewarder). */
  owner: HardhatEthersSigner;
  /** The planner of every pool and messaging contract: moves credit, pauses pools. */
  planner: HardhatEthersSigner;
  /** USDC's owner, master minter, minter, pauser and blacklister on both sides. */
  usdcAuthority: HardhatEthersSigner;
  /** The local chain's farm: StargateStaking and its ONE MultiRewarder shared by the local USDC and ETH LPs. */
  staking: StargateStaking;
  rewarder: StargateMultiRewarder;
  /** Farm reward tokens (plain ERC-20s; native ETH is `ethers.ZeroAddress` in the rewarder). */
  stg: MockERC20;
  op: MockERC20;
};

export type DeployOptions = {
  owner?: HardhatEthersSigner;
  planner?: HardhatEthersSigner;
  usdcAuthority?: HardhatEthersSigner;
  /** FiatTokenProxy's admin, which may not call the token itself (transparent proxy). */
  usdcProxyAdmin?: HardhatEthersSigner;
};

/** What a pool of `kind` on `side` is, with its LP token. */
export function poolOf(side: StargateSide, kind: PoolKind): StargatePoolUSDC | StargatePoolNative {
  return kind === "usdc" ? side.usdcPool : side.nativePool;
}

export function lpOf(side: StargateSide, kind: PoolKind): LPToken {
  return kind === "usdc" ? side.usdcLp : side.nativeLp;
}

function otherSide(net: StargateNetwork, name: SideName): StargateSide {
  return name === "local" ? net.remote : net.local;
}

async function deployUsdc(
  authority: HardhatEthersSigner,
  proxyAdmin: HardhatEthersSigner,
  checker: string,
  label: string,
): Promise<FiatTokenV2_2> {
  const impl = await new FiatTokenV2_2__factory(
    { "src/usdc/impl/util/SignatureChecker.sol:SignatureChecker": checker },
    authority,
  ).deploy();
  const proxy = await new FiatTokenProxy__factory(proxyAdmin).deploy(await impl.getAddress());
  const usdc = FiatTokenV2_2__factory.connect(await proxy.getAddress(), authority);
  const a = authority.address;
  await usdc.initialize(`USD Coin (${label})`, "USDC", "USD", 6, a, a, a, a);
  await usdc.initializeV2(`USD Coin (${label})`);
  await usdc.initializeV2_1(a);
  await usdc.initializeV2_2([], "USDC");
  await usdc.configureMinter(a, ethers.MaxUint256);
  return usdc;
}

async function deploySide(
  eid: number,
  owner: HardhatEthersSigner,
  planner: HardhatEthersSigner,
  authority: HardhatEthersSigner,
  proxyAdmin: HardhatEthersSigner,
  checker: string,
): Promise<StargateSide> {
  const endpoint = await new EndpointV2Mock__factory(owner).deploy(eid);
  const ep = await endpoint.getAddress();
  const tokenMessaging = await new TokenMessaging__factory(owner).deploy(ep, owner.address, 128);
  const creditMessaging = await new CreditMessaging__factory(owner).deploy(ep, owner.address);
  const treasurer = await new Treasurer__factory(owner).deploy(owner.address, owner.address);
  const usdc = await deployUsdc(authority, proxyAdmin, checker, `eid ${eid}`);
  const usdcPool = await new StargatePoolUSDC__factory(owner).deploy(
    "USDC-LP",
    "S*USDC",
    await usdc.getAddress(),
    6,
    6,
    ep,
    owner.address,
  );
  const nativePool = await new StargatePoolNative__factory(owner).deploy("ETH-LP", "S*ETH", 18, 6, ep, owner.address);
  const usdcFeeLib = await new FeeLibV1__factory(owner).deploy(await usdcPool.getAddress());
  const nativeFeeLib = await new FeeLibV1__factory(owner).deploy(await nativePool.getAddress());
  for (const [pool, feeLib, assetId] of [
    [usdcPool, usdcFeeLib, USDC_ASSET_ID],
    [nativePool, nativeFeeLib, ETH_ASSET_ID],
  ] as const) {
    await pool.setAddressConfig({
      feeLib: await feeLib.getAddress(),
      planner: planner.address,
      treasurer: await treasurer.getAddress(),
      tokenMessaging: await tokenMessaging.getAddress(),
      creditMessaging: await creditMessaging.getAddress(),
      lzToken: ethers.ZeroAddress,
    });
    await tokenMessaging.setAssetId(await pool.getAddress(), assetId);
    await creditMessaging.setAssetId(await pool.getAddress(), assetId);
  }
  await tokenMessaging.setPlanner(planner.address);
  await creditMessaging.setPlanner(planner.address);
  return {
    eid,
    endpoint,
    tokenMessaging,
    creditMessaging,
    treasurer,
    usdc,
    usdcPool,
    usdcLp: LPToken__factory.connect(await usdcPool.lpToken(), owner),
    usdcFeeLib,
    nativePool,
    nativeLp: LPToken__factory.connect(await nativePool.lpToken(), owner),
    nativeFeeLib,
  };
}

/** Wires `from`'s messaging to `to`'s: peers, endpoint routes, gas, zero fees towards `to`. */
async function wire(from: StargateSide, to: StargateSide, owner: HardhatEthersSigner) {
  for (const [mine, theirs] of [
    [from.tokenMessaging, to.tokenMessaging],
    [from.creditMessaging, to.creditMessaging],
  ] as const) {
    const peer = await theirs.getAddress();
    await mine.connect(owner).setPeer(to.eid, ethers.zeroPadValue(peer, 32));
    await from.endpoint.setDestLzEndpoint(peer, await to.endpoint.getAddress());
  }
  await from.tokenMessaging.connect(owner).setGasLimit(to.eid, DELIVERY_GAS, DELIVERY_GAS);
  await from.tokenMessaging
    .connect(owner)
    .setEnforcedOptions([{ eid: to.eid, msgType: 1, options: lzReceiveOption(DELIVERY_GAS) }]);
  await from.creditMessaging.connect(owner).setGasLimit(to.eid, DELIVERY_GAS);
  for (const feeLib of [from.usdcFeeLib, from.nativeFeeLib]) {
    await feeLib.connect(owner).setFeeConfig(to.eid, 0, 0, 0, 0, 0, 0);
  }
}

/**
 * Deploys and wires the whole set. Signers default to the last ones of the chain (19: owner, 18: planner,
 * 17: USDC authority, 16: USDC proxy admin), which the tests' roles and holders never use.
 */
export async function deployStargateNetwork(options: DeployOptions = {}): Promise<StargateNetwork> {
  const signers = await ethers.getSigners();
  const last = (i: number) => signers[signers.length - 1 - i];
  const owner = options.owner ?? last(0);
  const planner = options.planner ?? last(1);
  const usdcAuthority = options.usdcAuthority ?? last(2);
  const usdcProxyAdmin = options.usdcProxyAdmin ?? last(3);
  const checker = await (await new SignatureChecker__factory(owner).deploy()).getAddress();
  const local = await deploySide(LOCAL_EID, owner, planner, usdcAuthority, usdcProxyAdmin, checker);
  const remote = await deploySide(REMOTE_EID, owner, planner, usdcAuthority, usdcProxyAdmin, checker);
  await wire(local, remote, owner);
  await wire(remote, local, owner);

  const staking = await new StargateStaking__factory(owner).deploy();
  const rewarder = await new StargateMultiRewarder__factory(owner).deploy(await staking.getAddress());
  await staking.setPool(await local.usdcLp.getAddress(), await rewarder.getAddress());
  await staking.setPool(await local.nativeLp.getAddress(), await rewarder.getAddress());
  const stg = await new MockERC20__factory(owner).deploy("Stargate", "STG", 18);
  const op = await new MockERC20__factory(owner).deploy("Optimism", "OP", 18);
  return { local, remote, owner, planner, usdcAuthority, staking, rewarder, stg, op };
}

// ====================================================================== tokens and liquidity

/** Mints real USDC of `side` to `to` (the authority is its minter). */
export async function mintUsdc(net: StargateNetwork, side: StargateSide, to: string, amount: bigint) {
  await side.usdc.connect(net.usdcAuthority).mint(to, amount);
}

/**
 * `provider` deposits `amount` into the pool of `kind` on `side` (LP to the provider): the pool's local credit rises
 * by the amount. USDC is minted to the provider first; ETH comes from its balance.
 */
export async function provideLiquidity(
  net: StargateNetwork,
  side: StargateSide,
  kind: PoolKind,
  provider: HardhatEthersSigner,
  amount: bigint,
) {
  if (kind === "usdc") {
    await mintUsdc(net, side, provider.address, amount);
    await side.usdc.connect(provider).approve(await side.usdcPool.getAddress(), amount);
    await side.usdcPool.connect(provider).deposit(provider.address, amount);
  } else {
    await side.nativePool.connect(provider).deposit(provider.address, amount, { value: amount });
  }
}

/** The pool's credit for the path of `eid` (`eid` = its own eid: its local credit, what `redeemable` caps at). */
export async function creditOf(side: StargateSide, kind: PoolKind, eid: number): Promise<bigint> {
  const pool = poolOf(side, kind);
  const sd = await pool.paths(eid);
  const rate = kind === "usdc" ? 1n : 10n ** 12n;
  return sd * rate;
}

/**
 * The planner moves `amount` of credit for `creditEid`'s path from the pool of `kind` on side `from` to the same
 * pool on the other side, with the real CreditMessaging (delivered in the same transaction by the endpoint mock).
 * creditEid = from's eid: from's local credit goes away (its `redeemable` falls). creditEid = the other side's eid:
 * credit the other side had sent over comes back to it (its local credit rises). Returns what arrived.
 */
export async function moveCredit(
  net: StargateNetwork,
  from: SideName,
  kind: PoolKind,
  creditEid: number,
  amount: bigint,
): Promise<bigint> {
  const src = net[from];
  const dst = otherSide(net, from);
  const rate = kind === "usdc" ? 1n : 10n ** 12n;
  const assetId = kind === "usdc" ? USDC_ASSET_ID : ETH_ASSET_ID;
  const batch = [{ assetId, credits: [{ srcEid: creditEid, amount: amount / rate, minAmount: 0 }] }];
  const before = await creditOf(dst, kind, creditEid);
  const fee = await src.creditMessaging.quoteSendCredits(dst.eid, batch);
  await src.creditMessaging.connect(net.planner).sendCredits(dst.eid, batch, { value: fee.nativeFee });
  const arrived = (await creditOf(dst, kind, creditEid)) - before;
  if (arrived === 0n) throw new Error(`moveCredit: no ${kind} credit for eid ${creditEid} arrived on ${dst.eid}`);
  return arrived;
}

/**
 * A bridger on side `from` sends `amount` to `receiver` on the other side by taxi (the real TokenMessaging; the
 * endpoint mock delivers it in the same transaction and the destination pool pays `receiver` out of its balance).
 * The source pool must hold credit for the destination's path (moved there by the destination's planner). USDC is
 * minted to the bridger; ETH comes from its balance. Returns what `receiver` got; throws if nothing arrived (a
 * delivery the mock swallowed, e.g. a paused destination pool or a blacklisted receiver).
 */
export async function taxi(
  net: StargateNetwork,
  from: SideName,
  kind: PoolKind,
  bridger: HardhatEthersSigner,
  receiver: string,
  amount: bigint,
): Promise<bigint> {
  const src = net[from];
  const dst = otherSide(net, from);
  const pool = poolOf(src, kind);
  const sendParam = {
    dstEid: dst.eid,
    to: ethers.zeroPadValue(receiver, 32),
    amountLD: amount,
    minAmountLD: amount,
    extraOptions: "0x",
    composeMsg: "0x",
    oftCmd: "0x",
  };
  const quoted = await pool.connect(bridger).quoteSend(sendParam, false);
  const fee = { nativeFee: quoted.nativeFee, lzTokenFee: quoted.lzTokenFee };
  let value = fee.nativeFee;
  if (kind === "usdc") {
    await mintUsdc(net, src, bridger.address, amount);
    await src.usdc.connect(bridger).approve(await pool.getAddress(), amount);
  } else {
    value += amount;
  }
  const balance = () => (kind === "usdc" ? dst.usdc.balanceOf(receiver) : ethers.provider.getBalance(receiver));
  const before = await balance();
  await pool.connect(bridger).send(sendParam, fee, bridger.address, { value });
  const received = (await balance()) - before;
  if (received === 0n) throw new Error(`taxi: nothing arrived for ${receiver} on eid ${dst.eid}`);
  return received;
}

/** The planner pauses (or unpauses) a pool: deposit, redeem, send and receive all revert while paused. */
export async function setPoolPaused(net: StargateNetwork, side: StargateSide, kind: PoolKind, paused: boolean) {
  await poolOf(side, kind).connect(net.planner).setPause(paused);
}

// ====================================================================== the farm

/**
 * Lists `token` (ethers.ZeroAddress: native ETH) for the given LPs with their alloc points, and starts a campaign of
 * `amount` over `duration` seconds from the next block. The rewarder's token list is the chain's, shared by every
 * LP; alloc points decide which LP earns what.
 */
export async function startFarmReward(
  net: StargateNetwork,
  token: MockERC20 | string,
  lps: string[],
  allocPoints: number[],
  amount: bigint,
  duration: number,
) {
  const address = typeof token === "string" ? token : await token.getAddress();
  const rewarder = net.rewarder.connect(net.owner);
  await rewarder.setAllocPoints(address, lps, allocPoints);
  let value = 0n;
  if (address === ethers.ZeroAddress) {
    value = amount;
  } else {
    const erc20 = MockERC20__factory.connect(address, net.owner);
    await erc20.mint(net.owner.address, amount);
    await erc20.approve(await rewarder.getAddress(), amount);
  }
  // The campaign starts in the block that sets it (the rewarder refuses a start in the past).
  const start = (await time.latest()) + 1;
  await time.setNextBlockTimestamp(start);
  await rewarder.setReward(address, amount, start, duration, { value });
}

/** Ends a campaign for good (`stopReward`: pending rewards void, the rest pulled back to the owner). */
export async function stopFarmReward(net: StargateNetwork, token: MockERC20 | string) {
  const address = typeof token === "string" ? token : await token.getAddress();
  await net.rewarder.connect(net.owner).stopReward(address, net.owner.address, true);
}

// ====================================================================== one pool over any token

export type SinglePoolFarm = {
  endpoint: EndpointV2Mock;
  pool: StargatePoolUSDC;
  lp: LPToken;
  staking: StargateStaking;
  rewarder: StargateMultiRewarder;
};

/**
 * A real StargatePoolUSDC over `token` (any ERC-20 of `decimals`, 6 shared decimals) on its own EndpointV2Mock, with
 * a real StargateStaking and MultiRewarder for its LP, owned by `owner`. No messaging: deposits and redeems only,
 * bounded by the local credit as on a real chain. For benches and focused tests that need no bridge.
 */
export async function deploySinglePoolFarm(
  owner: HardhatEthersSigner,
  token: string,
  decimals: number,
): Promise<SinglePoolFarm> {
  const endpoint = await new EndpointV2Mock__factory(owner).deploy(LOCAL_EID);
  const pool = await new StargatePoolUSDC__factory(owner).deploy(
    "USDC-LP",
    "S*USDC",
    token,
    decimals,
    6,
    await endpoint.getAddress(),
    owner.address,
  );
  const lp = LPToken__factory.connect(await pool.lpToken(), owner);
  const staking = await new StargateStaking__factory(owner).deploy();
  const rewarder = await new StargateMultiRewarder__factory(owner).deploy(await staking.getAddress());
  await staking.setPool(await lp.getAddress(), await rewarder.getAddress());
  return { endpoint, pool, lp, staking, rewarder };
}

/** Starts a campaign of `amount` of an open-mint `token` over `duration` seconds for `lp` on `rewarder`. */
export async function startCampaign(
  rewarder: StargateMultiRewarder,
  owner: HardhatEthersSigner,
  token: MockERC20,
  lp: string,
  amount: bigint,
  duration: number,
) {
  await rewarder.connect(owner).setAllocPoints(await token.getAddress(), [lp], [1]);
  await token.connect(owner).mint(owner.address, amount);
  await token.connect(owner).approve(await rewarder.getAddress(), amount);
  const start = (await time.latest()) + 1;
  await time.setNextBlockTimestamp(start);
  await rewarder.connect(owner).setReward(await token.getAddress(), amount, start, duration);
}
