import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, WEEK, deployStargateSuite } from "../helpers/suite";
import { LOCAL_EID, REMOTE_EID } from "../helpers/stargate";
import { crossChainFixture } from "../helpers/crosschain";
import { deployLocalCrossChain } from "../../scripts/lib/localCrossChain";
import { lzReceiveOption, toBytes32 } from "../../scripts/lib/crosschain";

/**
 * Shares bridged to another chain are locked in the VaultShareOFTAdapter, which earns the vault's streamed rewards
 * in its own name: nobody could claim them (README, Known limits). `restreamRewards` hands them back to the
 * distributor, which streams them again to the vault's holders at the next harvest. The distributor's transfer
 * hook is untouched (its gas bar holds).
 */
async function fixture() {
  const s = await deployStargateSuite();
  const x = await deployLocalCrossChain(s.owner, {
    vault: await s.vault.getAddress(),
    assetOFT: await s.pool.getAddress(),
    vaultEndpoint: await s.net.local.endpoint.getAddress(),
    farEndpoint: await s.net.remote.endpoint.getAddress(),
    vaultEid: LOCAL_EID,
    farEid: REMOTE_EID,
    name: "Rollup USDC (omnichain)",
    symbol: "rvUSDC",
  });
  const [h0, h1] = s.holders;
  await s.vault.connect(h0).deposit(s.usdcUnits(100_000), h0.address);
  await s.vault.connect(h1).deposit(s.usdcUnits(100_000), h1.address);
  await s.vault.connect(s.allocator).allocate(await s.adapter.getAddress(), s.usdcUnits(180_000));
  // h1 bridges all its shares to the far chain: they are locked in the adapter.
  const shares = await s.vault.balanceOf(h1.address);
  const adapter = await x.shareAdapter.getAddress();
  await s.vault.connect(h1).approve(adapter, shares);
  const param = {
    dstEid: REMOTE_EID,
    to: toBytes32(h1.address),
    amountLD: shares,
    minAmountLD: shares,
    extraOptions: lzReceiveOption(200_000n),
    composeMsg: "0x",
    oftCmd: "0x",
  };
  const fee = await x.shareAdapter.quoteSend(param, false);
  const paid = { nativeFee: fee.nativeFee, lzTokenFee: 0n };
  await x.shareAdapter.connect(h1).send(param, paid, h1.address, { value: fee.nativeFee });
  // Rewards accrue and stream for a while: the adapter earns half.
  await time.increase(2 * DAY);
  await s.vault.connect(s.keeper).harvest(await s.adapter.getAddress());
  await time.increase(WEEK);
  return { s, x, h0, h1, shares };
}

describe("VaultShareOFTAdapter.restreamRewards (rewards of bridged shares)", function () {
  it("the shares are locked in the adapter, which earns rewards no holder can claim", async function () {
    const { s, x, h1, shares } = await loadFixture(fixture);
    expect(await x.remoteShare.balanceOf(h1.address)).to.equal(shares);
    expect(await s.vault.balanceOf(await x.shareAdapter.getAddress())).to.equal(shares);
    expect(await s.distributor.earned(await x.shareAdapter.getAddress(), await s.op.getAddress())).to.be.gt(0n);
  });

  it("anyone hands the adapter's rewards back to the distributor; the next harvest streams them to the holders", async function () {
    const { s, x, h0 } = await loadFixture(fixture);
    const [stranger] = s.holders.slice(5);
    const adapter = await x.shareAdapter.getAddress();
    const distributor = await s.distributor.getAddress();
    const op = await s.op.getAddress();
    const stg = await s.stg.getAddress();
    const owedOp = await s.distributor.earned(adapter, op);
    const owedStg = await s.distributor.earned(adapter, stg);
    const held = await s.op.balanceOf(distributor);
    await expect(x.shareAdapter.connect(stranger).restreamRewards([op, stg]))
      .to.emit(x.shareAdapter, "RewardsRestreamed")
      .withArgs(distributor, [op, stg], [owedOp, owedStg])
      .and.to.emit(s.distributor, "RewardPaid")
      .withArgs(adapter, distributor, op, owedOp);
    expect(await s.distributor.earned(adapter, op)).to.equal(0n);
    expect(await s.op.balanceOf(distributor)).to.equal(held); // nothing left the distributor

    // The next harvest streams what the farm paid plus what came back.
    const before = await s.op.balanceOf(distributor);
    const harvest = s.vault.connect(s.keeper).harvest(await s.adapter.getAddress());
    const receipt = (await (await harvest).wait())!;
    const harvested = (await s.op.balanceOf(distributor)) - before;
    const notified = receipt.logs
      .map((log) => {
        try {
          return s.distributor.interface.parseLog(log);
        } catch {
          return null;
        }
      })
      .find((e) => e?.name === "RewardsNotified" && e.args.token === op);
    expect(notified, "the harvest notified OP").to.not.equal(undefined);
    expect(notified!.args.amount).to.equal(harvested + owedOp);

    // Over the period, the L2 holder earns half of it (the adapter's half comes back to the adapter).
    const earnedBefore = await s.distributor.earned(h0.address, op);
    await time.increase(WEEK);
    const gained = (await s.distributor.earned(h0.address, op)) - earnedBefore;
    expect(gained).to.be.gte((harvested + owedOp) / 2n - 10n ** 12n);
  });

  it("a second call restreams nothing more; a token the distributor does not list is refused", async function () {
    const { s, x } = await loadFixture(fixture);
    const op = await s.op.getAddress();
    await x.shareAdapter.restreamRewards([op]);
    await expect(x.shareAdapter.restreamRewards([op]))
      .to.emit(x.shareAdapter, "RewardsRestreamed")
      .withArgs(await s.distributor.getAddress(), [op], [0n]);
    const usdc = await s.usdc.getAddress();
    await expect(x.shareAdapter.restreamRewards([usdc]))
      .to.be.revertedWithCustomError(s.distributor, "NotRewardToken")
      .withArgs(usdc);
  });

  it("a vault without a distributor: NoRewardsDistributor", async function () {
    const f = await crossChainFixture("usdc", ethers.parseUnits("1000", 6));
    await expect(f.shareAdapter.restreamRewards([])).to.be.revertedWithCustomError(
      f.shareAdapter,
      "NoRewardsDistributor",
    );
  });
});
