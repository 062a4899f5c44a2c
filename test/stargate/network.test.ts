import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";

import {
  LOCAL_EID,
  POOL_PAUSED,
  REMOTE_EID,
  creditOf,
  deployStargateNetwork,
  moveCredit,
  provideLiquidity,
  setPoolPaused,
  startFarmReward,
  stopFarmReward,
  taxi,
} from "../helpers/stargate";

const usdc = (n: number) => ethers.parseUnits(n.toString(), 6);

/** The real Stargate V2 set of test/helpers/stargate.ts behaves as the deployed protocol does. */
describe("Stargate V2 test network (official bytecode)", function () {
  async function fixture() {
    const net = await deployStargateNetwork();
    const [, , , , , , alice, bob] = await ethers.getSigners();
    return { net, alice, bob };
  }

  it("deposits raise local credit; the planner's sendCredits moves it away and back", async function () {
    const { net, alice } = await loadFixture(fixture);
    await provideLiquidity(net, net.local, "usdc", alice, usdc(1_000));
    expect(await net.local.usdcPool.redeemable(ethers.ZeroAddress)).to.equal(usdc(1_000));
    expect(await creditOf(net.local, "usdc", LOCAL_EID)).to.equal(usdc(1_000));

    await moveCredit(net, "local", "usdc", LOCAL_EID, usdc(600));
    expect(await net.local.usdcPool.redeemable(ethers.ZeroAddress)).to.equal(usdc(400));
    expect(await creditOf(net.remote, "usdc", LOCAL_EID)).to.equal(usdc(600));
    // The pool still holds every token: only credit moved.
    expect(await net.local.usdcPool.poolBalance()).to.equal(usdc(1_000));

    await moveCredit(net, "remote", "usdc", LOCAL_EID, usdc(100));
    expect(await net.local.usdcPool.redeemable(ethers.ZeroAddress)).to.equal(usdc(500));
  });

  it("a taxi from the far side pays out of the local pool; local credit does not move", async function () {
    const { net, alice, bob } = await loadFixture(fixture);
    await provideLiquidity(net, net.local, "usdc", alice, usdc(1_000));
    await moveCredit(net, "local", "usdc", LOCAL_EID, usdc(600));
    const got = await taxi(net, "remote", "usdc", bob, bob.address, usdc(250));
    expect(got).to.equal(usdc(250));
    expect(await net.local.usdc.balanceOf(bob.address)).to.equal(usdc(250));
    expect(await net.local.usdcPool.poolBalance()).to.equal(usdc(750));
    expect(await net.local.usdcPool.redeemable(ethers.ZeroAddress)).to.equal(usdc(400));
    // The far side spent the path credit and gained its own local credit.
    expect(await creditOf(net.remote, "usdc", LOCAL_EID)).to.equal(usdc(350));
    expect(await creditOf(net.remote, "usdc", REMOTE_EID)).to.equal(usdc(250));
    // A send from the local chain adds local credit.
    await moveCredit(net, "remote", "usdc", REMOTE_EID, usdc(100));
    await taxi(net, "local", "usdc", alice, alice.address, usdc(100));
    expect(await net.local.usdcPool.redeemable(ethers.ZeroAddress)).to.equal(usdc(500));
  });

  it("native pool: ETH taxi and credit", async function () {
    const { net, alice, bob } = await loadFixture(fixture);
    await provideLiquidity(net, net.local, "native", alice, ethers.parseEther("10"));
    await moveCredit(net, "local", "native", LOCAL_EID, ethers.parseEther("4"));
    expect(await net.local.nativePool.redeemable(ethers.ZeroAddress)).to.equal(ethers.parseEther("6"));
    const got = await taxi(net, "remote", "native", bob, alice.address, ethers.parseEther("1"));
    expect(got).to.equal(ethers.parseEther("1"));
    expect(await net.local.nativePool.poolBalance()).to.equal(ethers.parseEther("9"));
  });

  it("the planner pauses a pool; the real USDC blacklists and pauses", async function () {
    const { net, alice } = await loadFixture(fixture);
    await setPoolPaused(net, net.local, "usdc", true);
    expect(await net.local.usdcPool.status()).to.equal(POOL_PAUSED);
    await setPoolPaused(net, net.local, "usdc", false);
    await net.local.usdc.connect(net.usdcAuthority).blacklist(alice.address);
    expect(await net.local.usdc.isBlacklisted(alice.address)).to.equal(true);
  });

  it("one MultiRewarder pays several LPs several tokens; stopReward ends a campaign, a new token lists later", async function () {
    const { net, alice, bob } = await loadFixture(fixture);
    const usdcLp = await net.local.usdcLp.getAddress();
    const ethLp = await net.local.nativeLp.getAddress();
    await startFarmReward(net, net.stg, [usdcLp, ethLp], [1, 1], ethers.parseEther("1000"), 1000);
    await startFarmReward(net, net.op, [usdcLp], [1], ethers.parseEther("500"), 1000);
    await provideLiquidity(net, net.local, "usdc", alice, usdc(100));
    await net.local.usdcLp.connect(alice).approve(await net.staking.getAddress(), usdc(100));
    await net.staking.connect(alice).deposit(usdcLp, usdc(100));
    await provideLiquidity(net, net.local, "native", bob, ethers.parseEther("1"));
    await net.local.nativeLp.connect(bob).approve(await net.staking.getAddress(), ethers.parseEther("1"));
    await net.staking.connect(bob).deposit(ethLp, ethers.parseEther("1"));
    await time.increase(100);
    const [tokens, amounts] = await net.rewarder.getRewards(usdcLp, alice.address);
    expect(tokens).to.deep.equal([await net.stg.getAddress(), await net.op.getAddress()]);
    expect(amounts[0]).to.be.gt(0n);
    const [ethTokens] = await net.rewarder.getRewards(ethLp, bob.address);
    expect(ethTokens).to.deep.equal([await net.stg.getAddress()]);

    await stopFarmReward(net, net.op);
    const [after] = await net.rewarder.getRewards(usdcLp, alice.address);
    expect(after).to.deep.equal([await net.stg.getAddress()]);
    await startFarmReward(net, ethers.ZeroAddress, [usdcLp], [1], ethers.parseEther("1"), 1000);
    expect(await net.rewarder.rewardTokens()).to.include(ethers.ZeroAddress);
  });
});
