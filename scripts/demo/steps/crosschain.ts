/**
 * Cross-chain step (issue 10): one deposit from the far chain in one transaction and one exit to it, through the
 * RollupVaultComposer over the main (USDC) vault and the REAL Stargate V2 pools of the demo's two LayerZero endpoint
 * ids (StargateTestSupport):
 * - setup: the vault's omnichain share (LayerZero's OFTAdapter on the vault's side, an OFT on the far side, peered)
 *   and the composer, deployed by scripts/lib/localCrossChain.ts (the same code as the tests');
 * - deposit day: a user on the far chain quotes (shares, LayerZero fee, Stargate fee) and sends tUSDC.far through the
 *   far pool with a compose message asking for the shares back on the far chain; the compose executes on the vault's
 *   chain (EndpointV2Mock never runs one: the demo executes it from the endpoint's address, as EndpointV2's
 *   permissionless `lzCompose` would) and the shares arrive on the far chain as the OFT;
 * - exit day: a depositor of the vault redeems a quarter of its shares with `redeemAndSend` (quoted, fee paid) and
 *   the asset arrives on the far chain.
 * The planner gives each flow the Stargate credit it needs just before it (deterministic, whatever the bridge step
 * did with the pool's credit), from liquidity the operator adds, so the vault's own credit does not move.
 */
import type { Wallet } from "ethers";
import { quoteDepositFrom, quoteExitTo, sendDepositFrom, sendExitTo } from "../../lib/crosschain";
import {
  deliveredCompose,
  deployLocalCrossChain,
  executeCompose,
  type LocalCrossChain,
} from "../../lib/localCrossChain";
import { moveCredit, pathCredit, type StargateLane } from "../../lib/stargateFlows";
import { addTotal, track, type DemoContext, type DemoStep } from "../context";
import { symbolOf } from "./suite";

export const XC_DEPOSIT_DAY = Number(process.env.DEMO_XC_DEPOSIT_DAY ?? 4);
export const XC_EXIT_DAY = Number(process.env.DEMO_XC_EXIT_DAY ?? 8);
/** What the far-chain user sends, in the asset's units. */
export const XC_DEPOSIT = 5_000;
/** Slippage the user allows on the shares and the exit allows on the asset, in basis points. */
const SLIPPAGE_BPS = 50n;

export type CrossChainDemo = LocalCrossChain & {
  /** The far-chain user who deposits. */
  user: Wallet;
  /** Results, for the summary and the demo's test. */
  deposit?: {
    amount: bigint;
    expectedShares: bigint;
    minShares: bigint;
    bridgeFee: bigint;
    shareSendFee: bigint;
    stargateFee: bigint;
    sharesOnFarChain: bigint;
  };
  /** Rewards the share adapter (shares bridged away) earned, handed back to the distributor: symbol, amount. */
  restreamed?: [string, bigint][];
  exit?: {
    holder: string;
    shares: bigint;
    quotedAssets: bigint;
    fee: bigint;
    arrivedOnFarChain: bigint;
  };
};

const states = new WeakMap<DemoContext, CrossChainDemo>();

/** The step's contracts and results in `ctx` (after its setup). */
export function crossChainOf(ctx: DemoContext): CrossChainDemo {
  const state = states.get(ctx);
  if (state === undefined) throw new Error("the cross-chain step is not set up");
  return state;
}

function support(
  ctx: DemoContext,
  id: "StargateEndpoint" | "StargateRemoteEndpoint" | "StargateTokenMessaging" | "StargateRemoteTokenMessaging",
) {
  const address = ctx.suite.testSupport[id];
  if (address === undefined) throw new Error(`the demo needs StargateTestSupport#${id}`);
  return address;
}

function lanes(ctx: DemoContext) {
  const m = ctx.suite.mocks;
  if (m === undefined) throw new Error("the demo runs over the test-support protocols");
  return m.stargateLanes;
}

/**
 * The operator adds `amount` of liquidity to `from`'s pool (its local credit rises by as much) and the planner sends
 * that credit to `to`, so that `to`'s pool may send `amount` into `from`'s chain; nothing else's credit moves.
 */
async function giveCredit(ctx: DemoContext, from: StargateLane, to: StargateLane, amount: bigint) {
  const { operator } = ctx;
  const pool = await from.pool.getAddress();
  await (await from.token.connect(operator).mint(operator.address, amount)).wait();
  await (await from.token.connect(operator).approve(pool, amount)).wait();
  await (await from.pool.connect(operator).deposit(operator.address, amount)).wait();
  const moved = await moveCredit(from, to, operator, from.eid, amount);
  if (moved < amount) throw new Error(`cross-chain step: only ${moved} of ${amount} credit arrived`);
}

const eth = (ctx: DemoContext, wei: bigint) => `${ctx.hre.ethers.formatEther(wei)} ETH`;
const tokens18 = (ctx: DemoContext, value: bigint) =>
  Number(ctx.hre.ethers.formatUnits(value, 18)).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
const shares = (ctx: DemoContext, value: bigint) =>
  `${Number(ctx.hre.ethers.formatUnits(value, 18)).toLocaleString("en-US", { maximumFractionDigits: 4 })} shares`;

async function crossChainDeposit(ctx: DemoContext, x: CrossChainDemo) {
  const { ethers } = ctx.hre;
  const { local, remote } = lanes(ctx);
  const amount = ctx.units(XC_DEPOSIT);
  await (await remote.token.connect(ctx.operator).mint(x.user.address, amount)).wait();
  await giveCredit(ctx, local, remote, amount);
  const quote = await quoteDepositFrom(x.user, {
    pool: await remote.pool.getAddress(),
    composer: await x.composer.getAddress(),
    composerRunner: ethers.provider,
    vaultEid: local.eid,
    farEid: remote.eid,
    amount,
    receiver: x.user.address,
    sharesToFarChain: true,
    slippageBps: SLIPPAGE_BPS,
    composeGas: null, // EndpointV2Mock refuses compose options: the compose is executed below, as anyone may
  });
  const stargateFee = amount - quote.assetsArriving;
  console.log(
    `  xc day ${ctx.day}: a user on the far chain (eid ${remote.eid}) quotes ${ctx.fmt(amount)} into rvUSDC with the ` +
      `shares back there: ${shares(ctx, quote.expectedShares)} expected (floor ${shares(ctx, quote.minShares)}), ` +
      `LayerZero fee ${eth(ctx, quote.bridgeFee)} (Stargate send, paid there) + ${eth(ctx, quote.shareSendFee)} ` +
      `(share OFT send, paid by the compose's executor), Stargate fee ${ctx.fmt(stargateFee)}`,
  );
  const receipt = await track(ctx, "xc deposit send", sendDepositFrom(x.user, await remote.pool.getAddress(), quote));
  const delivered = await deliveredCompose(
    ethers.provider,
    {
      farEndpoint: support(ctx, "StargateRemoteEndpoint"),
      farEid: remote.eid,
      vaultEid: local.eid,
      srcOApp: support(ctx, "StargateRemoteTokenMessaging"),
      dstOApp: support(ctx, "StargateTokenMessaging"),
    },
    receipt,
    local.pool,
    x.user.address,
    quote.sendParam.composeMsg,
  );
  const before = await x.remoteShare.balanceOf(x.user.address);
  await track(
    ctx,
    "xc compose",
    executeCompose(ethers.provider, support(ctx, "StargateEndpoint"), x.composer, delivered, ctx.operator.address, {
      value: quote.shareSendFee,
    }),
  );
  const arrived = (await x.remoteShare.balanceOf(x.user.address)) - before;
  if (arrived === 0n) throw new Error("cross-chain deposit: no shares arrived on the far chain");
  x.deposit = {
    amount,
    expectedShares: quote.expectedShares,
    minShares: quote.minShares,
    bridgeFee: quote.bridgeFee,
    shareSendFee: quote.shareSendFee,
    stargateFee,
    sharesOnFarChain: arrived,
  };
  addTotal(ctx, "xcDeposited", delivered.amount);
  console.log(
    `  xc day ${ctx.day}: ${ctx.fmt(delivered.amount)} arrived on the vault's chain, the compose deposited it and ` +
      `${shares(ctx, arrived)} arrived on the FAR chain as the omnichain share (rvUSDC OFT; ` +
      `${shares(ctx, await ctx.suite.vault.balanceOf(await x.shareAdapter.getAddress()))} locked in the adapter here)`,
  );
}

async function crossChainExit(ctx: DemoContext, x: CrossChainDemo) {
  const { ethers } = ctx.hre;
  const { vault } = ctx.suite;
  const { local, remote } = lanes(ctx);
  let holder: Wallet | undefined;
  let owned = 0n;
  for (const d of ctx.depositors) {
    owned = await vault.balanceOf(d.wallet.address);
    if (owned > 0n && d.pendingExit === 0n) {
      holder = d.wallet;
      break;
    }
  }
  if (holder === undefined) {
    console.log(`  xc day ${ctx.day}: no depositor holds shares, no cross-chain exit`);
    return;
  }
  const max = await vault.maxRedeem(holder.address);
  const redeeming = owned / 4n < max ? owned / 4n : max;
  // The price rises a little each second while a report's profit unlocks: credit for the preview plus 1%.
  const assets = ((await vault.previewRedeem(redeeming)) * 101n) / 100n;
  const credit = await pathCredit(local, remote.eid);
  if (credit < assets) await giveCredit(ctx, remote, local, assets - credit);
  const quote = await quoteExitTo(
    ethers.provider,
    await x.composer.getAddress(),
    redeeming,
    remote.eid,
    holder.address,
    SLIPPAGE_BPS,
  );
  console.log(
    `  xc day ${ctx.day}: depositor ${holder.address.slice(0, 10)} quotes redeemAndSend of ${shares(ctx, redeeming)} ` +
      `to the far chain: ${ctx.fmt(quote.assets)} (floor ${ctx.fmt(quote.minAssets)}), LayerZero fee ` +
      `${eth(ctx, quote.fee)} (Stargate send, paid here)`,
  );
  const before = await remote.token.balanceOf(holder.address);
  await track(
    ctx,
    "xc redeemAndSend",
    sendExitTo(holder, await x.composer.getAddress(), await vault.getAddress(), redeeming, quote),
  );
  const arrived = (await remote.token.balanceOf(holder.address)) - before;
  if (arrived === 0n) throw new Error("cross-chain exit: nothing arrived on the far chain");
  x.exit = {
    holder: holder.address,
    shares: redeeming,
    quotedAssets: quote.assets,
    fee: quote.fee,
    arrivedOnFarChain: arrived,
  };
  addTotal(ctx, "xcExited", arrived);
  console.log(
    `  xc day ${ctx.day}: ${ctx.fmt(arrived)} arrived on the far chain for the depositor (tUSDC.far, eid ${remote.eid})`,
  );
}

/**
 * The shares locked in the share adapter (bridged to the far chain) earn the vault's streamed rewards, which their
 * holders cannot claim there: anyone hands them back to the distributor, to stream again to the vault's holders.
 */
async function restreamBridgedRewards(ctx: DemoContext, x: CrossChainDemo) {
  const tokens = [...(await ctx.suite.usdc.distributor.rewardTokens())];
  const amounts = await x.shareAdapter.restreamRewards.staticCall(tokens);
  await track(ctx, "xc restream", x.shareAdapter.connect(ctx.operator).restreamRewards(tokens));
  x.restreamed = [];
  for (let i = 0; i < tokens.length; i++) x.restreamed.push([await symbolOf(ctx, tokens[i]), amounts[i]]);
  const what = x.restreamed.map(([symbol, amount]) => `${tokens18(ctx, amount)} ${symbol}`);
  console.log(
    `  xc day ${ctx.day}: the rewards the bridged shares earned in the share adapter (${what.join(", ") || "none yet"}) ` +
      `go back to the distributor (restreamRewards), to stream to the vault's holders from the next harvest`,
  );
}

export const crossChainStep: DemoStep = {
  name: "cross-chain deposit and exit",
  async setup(ctx) {
    const { ethers } = ctx.hre;
    const { local, remote } = lanes(ctx);
    const x = await deployLocalCrossChain(ctx.operator, {
      vault: await ctx.suite.vault.getAddress(),
      assetOFT: await local.pool.getAddress(),
      vaultEndpoint: support(ctx, "StargateEndpoint"),
      farEndpoint: support(ctx, "StargateRemoteEndpoint"),
      vaultEid: local.eid,
      farEid: remote.eid,
      name: "Rollup USDC (omnichain)",
      symbol: "rvUSDC",
    });
    const user = new ethers.Wallet(ethers.id(`demo-xc-user-${ctx.seed}`), ethers.provider);
    await ethers.provider.send("hardhat_setBalance", [user.address, ethers.toQuantity(ethers.parseEther("10"))]);
    states.set(ctx, { ...x, user });
  },
  async daily(ctx) {
    if (ctx.day === XC_DEPOSIT_DAY) await crossChainDeposit(ctx, crossChainOf(ctx));
    if (ctx.day === XC_EXIT_DAY) {
      await crossChainExit(ctx, crossChainOf(ctx));
      await restreamBridgedRewards(ctx, crossChainOf(ctx));
    }
  },
  async summary(ctx) {
    const x = crossChainOf(ctx);
    const lines: string[] = [];
    if (x.deposit !== undefined) {
      const d = x.deposit;
      lines.push(
        `cross-chain         deposit from the far chain: ${ctx.fmt(d.amount)} in one transaction there, ` +
          `${shares(ctx, d.sharesOnFarChain)} back there as the omnichain share (quoted ${shares(ctx, d.expectedShares)}); ` +
          `fees: LayerZero ${eth(ctx, d.bridgeFee + d.shareSendFee)}, Stargate ${ctx.fmt(d.stargateFee)}`,
      );
    }
    if (x.exit !== undefined) {
      const e = x.exit;
      lines.push(
        `                    exit to the far chain (redeemAndSend): ${shares(ctx, e.shares)} redeemed, ` +
          `${ctx.fmt(e.arrivedOnFarChain)} arrived there (quoted ${ctx.fmt(e.quotedAssets)}); fee: LayerZero ${eth(ctx, e.fee)}`,
      );
    }
    if (x.restreamed !== undefined) {
      const what = x.restreamed.map(([symbol, amount]) => `${tokens18(ctx, amount)} ${symbol}`);
      lines.push(
        `                    rewards of the bridged shares handed back to the distributor on day ${XC_EXIT_DAY}: ` +
          `${what.join(", ") || "none"}`,
      );
    }
    return lines;
  },
};
