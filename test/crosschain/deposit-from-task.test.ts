import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionReceipt } from "ethers";
import { LOCAL_EID, REMOTE_EID, deployStargateNetwork, mintUsdc } from "../helpers/stargate";
import { deliveredCompose, deployCrossChainVault, executeCompose, fundPaths } from "../helpers/crosschain";
import type { DepositFromQuote } from "../../scripts/lib/crosschain";

/** `vault:deposit-from` quotes and sends from the far chain of the local setup (issue 10 §2). */
describe("task vault:deposit-from", function () {
  async function fixture() {
    const net = await deployStargateNetwork();
    const signers = await ethers.getSigners();
    const [owner, alice, executor, lp] = [signers[0], signers[6], signers[8], signers[9]];
    const x = await deployCrossChainVault(net, owner);
    await fundPaths(net, lp, ethers.parseUnits("1000000", 6));
    await mintUsdc(net, net.remote, alice.address, ethers.parseUnits("5000", 6));
    return { net, alice, executor, ...x };
  }

  async function args(f: Awaited<ReturnType<typeof fixture>>, extra: Record<string, unknown> = {}) {
    return {
      composer: await f.composer.getAddress(),
      pool: await f.net.remote.usdcPool.getAddress(),
      amount: "1500",
      from: f.alice.address,
      vaultEid: LOCAL_EID,
      farEid: REMOTE_EID,
      composeGas: 0,
      ...extra,
    };
  }

  it("quotes only with --quote-only and sends nothing", async function () {
    const f = await loadFixture(fixture);
    const result = (await hre.run("vault:deposit-from", await args(f, { quoteOnly: true }))) as {
      quote: DepositFromQuote;
      receipt: null;
    };
    expect(result.receipt).to.equal(null);
    expect(result.quote.expectedShares).to.equal(await f.vault.previewDeposit(ethers.parseUnits("1500", 6)));
    expect(await f.net.remote.usdc.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("5000", 6));
  });

  it("sends from the far chain; once composed, the shares arrive back on the far chain", async function () {
    const f = await loadFixture(fixture);
    const { quote, receipt } = (await hre.run("vault:deposit-from", await args(f, { sharesTo: "far" }))) as {
      quote: DepositFromQuote;
      receipt: ContractTransactionReceipt;
    };
    expect(await f.net.remote.usdc.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("3500", 6));
    const delivered = await deliveredCompose(
      f.net,
      receipt,
      f.net.local.usdcPool,
      await f.net.remote.tokenMessaging.getAddress(),
      await f.net.local.tokenMessaging.getAddress(),
      f.alice.address,
      quote.sendParam.composeMsg,
    );
    await executeCompose(f.net, f.composer, delivered, f.executor.address, { value: quote.shareSendFee });
    expect(await f.remoteShare.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
  });

  it("refuses bad input with a clear message", async function () {
    const f = await loadFixture(fixture);
    await expect(hre.run("vault:deposit-from", await args(f, { amount: "999999" }))).to.be.rejectedWith(
      /holds only 5000\.0 of the asset/,
    );
    await expect(hre.run("vault:deposit-from", await args(f, { sharesTo: "moon" }))).to.be.rejectedWith(
      /--shares-to is 'vault' or 'far'/,
    );
    await expect(hre.run("vault:deposit-from", await args(f, { composer: f.alice.address }))).to.be.rejectedWith(
      /No composer at/,
    );
    await f.vault.setPaused(true);
    await expect(hre.run("vault:deposit-from", await args(f))).to.be.rejectedWith(/Quote failed/);
  });
});
