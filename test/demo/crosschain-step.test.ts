import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { DemoContext } from "../../scripts/demo/context";
import {
  XC_DEPOSIT,
  XC_DEPOSIT_DAY,
  XC_EXIT_DAY,
  crossChainOf,
  crossChainStep,
} from "../../scripts/demo/steps/crosschain";
import { demoStepContext, demoSuiteWithDepositors, printedBy } from "../helpers/demo";

/**
 * The demo's cross-chain step (issue 10 "Done when": the demo shows one cross-chain deposit and one cross-chain exit
 * with their fees), run on the suite the demo deploys: what it prints is what happened on chain.
 */
async function demoFixture() {
  const base = await demoSuiteWithDepositors(["xc-step-depositor"], 10_000);
  const [wallet] = base.wallets;
  const ctx = demoStepContext(base, [{ wallet, joinDay: 0, pendingExit: 0n }]);
  await crossChainStep.setup!(ctx);
  return { ctx, suite: base.suite, wallet, decimals: base.decimals };
}

/** Runs the step's day `day` and returns what it printed. */
async function runDay(ctx: DemoContext, day: number): Promise<string[]> {
  ctx.day = day;
  return printedBy(() => crossChainStep.daily(ctx));
}

describe("demo: cross-chain step (issue 10)", function () {
  it("a user on the far chain quotes, sends with a compose message and gets the shares back there as the OFT", async function () {
    const { ctx, suite } = await loadFixture(demoFixture);
    const x = crossChainOf(ctx);
    const supplyBefore = await suite.vault.totalSupply();
    const lines = await runDay(ctx, XC_DEPOSIT_DAY);
    const d = x.deposit!;
    expect(d.amount).to.equal(ctx.units(XC_DEPOSIT));
    // Nothing else moved the price: the quote is the vault's own preview, and what arrived is what was quoted.
    expect(d.expectedShares).to.equal(await suite.vault.previewDeposit(d.amount));
    expect(d.sharesOnFarChain).to.equal(d.expectedShares);
    expect(await x.remoteShare.balanceOf(x.user.address)).to.equal(d.expectedShares);
    expect(await suite.vault.balanceOf(await x.shareAdapter.getAddress())).to.equal(d.expectedShares);
    expect(await suite.vault.totalSupply()).to.equal(supplyBefore + d.expectedShares);
    expect(d.bridgeFee).to.be.gt(0n);
    expect(d.shareSendFee).to.be.gt(0n);
    expect(d.stargateFee).to.equal(0n); // the local set's FeeLibs are configured to zero
    // The composer keeps nothing.
    const composer = await x.composer.getAddress();
    expect(await suite.asset.balanceOf(composer)).to.equal(0n);
    expect(await suite.vault.balanceOf(composer)).to.equal(0n);
    expect(await ethers.provider.getBalance(composer)).to.equal(0n);
    // What it printed: the quote with both LayerZero fees and the Stargate fee, then where the shares went.
    expect(lines).to.have.length(2);
    expect(lines[0]).to.include(`quotes ${ctx.fmt(d.amount)}`);
    expect(lines[0]).to.include(`LayerZero fee ${ethers.formatEther(d.bridgeFee)} ETH`);
    expect(lines[0]).to.include(`${ethers.formatEther(d.shareSendFee)} ETH (share OFT send`);
    expect(lines[0]).to.include(`Stargate fee ${ctx.fmt(0n)}`);
    expect(lines[1]).to.include("arrived on the FAR chain as the omnichain share");
    expect(ctx.gas.get("xc compose")).to.have.length(1);
  });

  it("a depositor exits to the far chain with redeemAndSend: quoted, fee paid, the asset arrives there", async function () {
    const { ctx, suite, wallet } = await loadFixture(demoFixture);
    const x = crossChainOf(ctx);
    await runDay(ctx, XC_DEPOSIT_DAY);
    const owned = await suite.vault.balanceOf(wallet.address);
    const ethBefore = await ethers.provider.getBalance(wallet.address);
    const remoteToken = ctx.suite.mocks!.stargateLanes.remote.token;
    const lines = await runDay(ctx, XC_EXIT_DAY);
    const e = x.exit!;
    expect(e.holder).to.equal(wallet.address);
    expect(e.shares).to.equal(owned / 4n);
    expect(await suite.vault.balanceOf(wallet.address)).to.equal(owned - e.shares);
    expect(e.arrivedOnFarChain).to.equal(e.quotedAssets);
    expect(await remoteToken.balanceOf(wallet.address)).to.equal(e.quotedAssets);
    expect(e.fee).to.be.gt(0n);
    // The holder paid the LayerZero fee (and gas) in ether.
    expect(ethBefore - (await ethers.provider.getBalance(wallet.address))).to.be.gt(e.fee);
    expect(lines).to.have.length(3);
    expect(lines[0]).to.include(`redeemAndSend of`);
    expect(lines[0]).to.include(`${ctx.fmt(e.quotedAssets)}`);
    expect(lines[0]).to.include(`LayerZero fee ${ethers.formatEther(e.fee)} ETH`);
    expect(lines[1]).to.include(`${ctx.fmt(e.arrivedOnFarChain)} arrived on the far chain`);
    // No harvest ran in this fixture: the distributor lists no token yet, and the step says so.
    expect(x.restreamed).to.deep.equal([]);
    expect(lines[2]).to.include("(none yet) go back to the distributor");
    const summary = await crossChainStep.summary!(ctx);
    expect(summary).to.have.length(3);
    expect(summary[0]).to.include("deposit from the far chain");
    expect(summary[1]).to.include("exit to the far chain (redeemAndSend)");
  });
});
