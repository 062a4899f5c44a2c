/**
 * Real Stargate V2 flows between the two endpoint ids of the local Stargate set deployed by
 * deploy/modules/TestSupport.ts (official bytecode, EndpointV2Mock delivering inside the sending transaction), for
 * the demo and the local-L2 fork tests. No `hardhat` import: usable from tasks, scripts and tests alike.
 *
 * The credit model is the real one: a pool's local credit rises with deposits and with sends from its chain, falls
 * with redeems and with its planner's `sendCredits`; a payout to a bridger arriving on a chain cuts only that pool's
 * balance (the sending side spent credit the planner had moved there).
 */
import type { Signer } from "ethers";
import type { CreditMessaging, MockERC20, StargatePoolUSDC } from "../../typechain-types";
import { USDC_ASSET_ID } from "./stargateArtifacts";

/** One side of the set: its USDC pool, the pool's token (open-mint tUSDC here), its CreditMessaging and eid. */
export type StargateLane = {
  eid: number;
  pool: StargatePoolUSDC;
  token: MockERC20;
  creditMessaging: CreditMessaging;
};

/** The credit `lane`'s pool holds for the path of `eid` (its own eid: its local credit, what LPs can redeem). */
export async function pathCredit(lane: StargateLane, eid: number): Promise<bigint> {
  return lane.pool.paths(eid);
}

/**
 * The planner of `from` sends up to `amount` of the credit of `creditEid`'s path to `to` (CreditMessaging
 * `sendCredits`; the pool keeps at least nothing and sends at most what it has). Returns what arrived.
 */
export async function moveCredit(
  from: StargateLane,
  to: StargateLane,
  planner: Signer,
  creditEid: number,
  amount: bigint,
): Promise<bigint> {
  if (amount <= 0n) return 0n;
  const batch = [{ assetId: USDC_ASSET_ID, credits: [{ srcEid: creditEid, amount, minAmount: 0 }] }];
  const before = await pathCredit(to, creditEid);
  const fee = await from.creditMessaging.quoteSendCredits(to.eid, batch);
  await (await from.creditMessaging.connect(planner).sendCredits(to.eid, batch, { value: fee.nativeFee })).wait();
  return (await pathCredit(to, creditEid)) - before;
}

/** A taxi (no compose, no bus) of exactly `amount` to `receiver` on `to`'s chain. */
function taxiParam(to: StargateLane, receiver: string, amount: bigint) {
  return {
    dstEid: to.eid,
    to: `0x${receiver.slice(2).toLowerCase().padStart(64, "0")}`,
    amountLD: amount,
    minAmountLD: amount,
    extraOptions: "0x",
    composeMsg: "0x",
    oftCmd: "0x",
  };
}

/**
 * A bridger on `from` sends `amount` of tUSDC to `receiver` on `to` by taxi: minted to the bridger on `from`, paid to
 * `receiver` out of `to`'s pool. Needs `from`'s credit for `to`'s path. Returns what `receiver` got (0 if the
 * delivery failed, which the endpoint mock swallows).
 */
export async function taxi(
  from: StargateLane,
  to: StargateLane,
  bridger: Signer,
  receiver: string,
  amount: bigint,
): Promise<bigint> {
  const bridgerAddress = await bridger.getAddress();
  const sendParam = taxiParam(to, receiver, amount);
  const pool = from.pool.connect(bridger);
  const quoted = await pool.quoteSend(sendParam, false);
  const fee = { nativeFee: quoted.nativeFee, lzTokenFee: quoted.lzTokenFee };
  await (await from.token.connect(bridger).mint(bridgerAddress, amount)).wait();
  await (await from.token.connect(bridger).approve(await pool.getAddress(), amount)).wait();
  const before = await to.token.balanceOf(receiver);
  await (await pool.send(sendParam, fee, bridgerAddress, { value: fee.nativeFee })).wait();
  return (await to.token.balanceOf(receiver)) - before;
}

/**
 * An LP of `from`'s pool leaves to `to` without local credit: `redeemSend` burns `amount` of its LP on `from` and
 * pays `receiver` on `to` by taxi, spending `from`'s credit for `to`'s path (not its local credit). Returns what
 * `receiver` got and the LayerZero fee paid.
 */
export async function redeemSend(
  from: StargateLane,
  to: StargateLane,
  holder: Signer,
  receiver: string,
  amount: bigint,
): Promise<{ received: bigint; fee: bigint }> {
  const sendParam = taxiParam(to, receiver, amount);
  const pool = from.pool.connect(holder);
  const quoted = await pool.quoteRedeemSend(sendParam, false);
  const fee = { nativeFee: quoted.nativeFee, lzTokenFee: quoted.lzTokenFee };
  const before = await to.token.balanceOf(receiver);
  await (await pool.redeemSend(sendParam, fee, await holder.getAddress(), { value: fee.nativeFee })).wait();
  return { received: (await to.token.balanceOf(receiver)) - before, fee: quoted.nativeFee };
}
