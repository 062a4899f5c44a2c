import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { IN_KIND_PENALTY_BPS, inKindExit } from "../../scripts/demo/steps/suite";
import { moveCredit, pathCredit } from "../../scripts/lib/stargateFlows";
import { IERC20__factory } from "../../typechain-types";
import { demoStepContext, demoSuiteWithDepositors, printedBy } from "../helpers/demo";

/**
 * The demo's in-kind exit (issue 13.5, day 21 of the demo): with the Stargate pool's local credit drained, a depositor
 * takes their part of the LP (penalty kept by the vault) and bridges it out with `redeemSend`; run on the suite the
 * demo deploys, against what happened on chain.
 */
async function demoFixture() {
  const base = await demoSuiteWithDepositors(["ik-leaver", "ik-stayer"], 50_000);
  const { suite, operator, roles, units: u } = base;
  const { vault, stargateAdapter } = suite.usdc;
  await vault.connect(roles.allocator).allocate(await stargateAdapter.getAddress(), u(80_000));
  const data = vault.interface.encodeFunctionData("setInKindPenalty", [IN_KIND_PENALTY_BPS]);
  await vault.connect(roles.curator).submit(data);
  await time.increase(await vault.timelock());
  await vault.connect(roles.curator).setInKindPenalty(IN_KIND_PENALTY_BPS);
  // The planner sends every unit of the pool's local credit to the far chain: local LPs cannot redeem.
  const { local, remote } = suite.mocks!.stargateLanes;
  await moveCredit(local, remote, operator, local.eid, await pathCredit(local, local.eid));
  const [leaver, stayer] = base.wallets;
  const ctx = demoStepContext(base, [
    { wallet: leaver, joinDay: 0, pendingExit: u(20_000) },
    { wallet: stayer, joinDay: 0, pendingExit: 0n },
  ]);
  ctx.day = 21;
  return { ctx, suite, leaver, stayer, u, local, remote };
}

describe("demo: in-kind exit during the drain (issue 13.5)", function () {
  it("the depositor with a deferred exit leaves with LP at the vault's price less the penalty and bridges it out", async function () {
    const { ctx, suite, leaver, stayer, u, local, remote } = await loadFixture(demoFixture);
    const { vault, stargateAdapter } = suite.usdc;
    expect(await pathCredit(local, local.eid)).to.equal(0n);
    const lp = IERC20__factory.connect(await stargateAdapter.inKindToken(), ethers.provider);
    const shares = await vault.convertToShares(u(20_000));
    const [assets, penalty, out] = await vault.previewRedeemInKind(shares);
    expect(penalty).to.equal((assets * IN_KIND_PENALTY_BPS + 9_999n) / 10_000n);
    const sharesBefore = await vault.balanceOf(leaver.address);
    const stayerBefore = await vault.convertToAssets(await vault.balanceOf(stayer.address));
    const farBefore = await remote.token.balanceOf(leaver.address);

    const printed = await printedBy(() => inKindExit(ctx));

    expect(await vault.balanceOf(leaver.address)).to.equal(sharesBefore - shares);
    // The LP went straight on to the far chain: nothing left with the holder, all of it paid there.
    expect(await lp.balanceOf(leaver.address)).to.equal(0n);
    expect((await remote.token.balanceOf(leaver.address)) - farBefore).to.equal(out);
    expect(ctx.totals.get("inKindOut")).to.equal(out);
    expect(ctx.totals.get("inKindBridged")).to.equal(out);
    expect(ctx.totals.get("inKindPenalty")).to.equal(penalty);
    // The penalty stays with the holder who remains; the deferred exit is served.
    expect(await vault.convertToAssets(await vault.balanceOf(stayer.address))).to.be.gt(stayerBefore);
    expect(ctx.depositors[0].pendingExit).to.equal(u(20_000) > assets ? u(20_000) - assets : 0n);
    expect(printed.join("\n")).to.contain("exits in kind").and.to.contain("redeemSend");
  });
});
