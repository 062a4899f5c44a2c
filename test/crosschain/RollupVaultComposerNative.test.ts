import { expect } from "chai";
import { ethers } from "hardhat";
import { RollupVaultComposerNative__factory, RollupVaultComposer__factory } from "../../typechain-types";
import { LOCAL_EID, REMOTE_EID, moveCredit } from "../helpers/stargate";
import * as xc from "../helpers/crosschain";
import { quoteExitTo, sendExitTo, toBytes32, type SendParam } from "../../scripts/lib/crosschain";

/**
 * Issue 10 §2 "USDC (or ETH)": ETH from chain B into a WETH vault through Stargate V2's REAL native pool
 * (StargatePoolNative) on both endpoint ids, and out again as ETH. RollupVaultComposerNative accepts the compose of
 * the native pool, wraps the ether and deposits; its asset OFT is StargateWETHOFT (the native pool presented as the
 * OFT of WETH), so every outgoing path (share send, refund to B, exit to B) is RollupVaultComposer's. Every failure
 * ends with the user's money back on B as ETH or delivered on the vault's chain as WETH, never in the composer.
 */
const eth = (n: string) => ethers.parseEther(n);

async function fixture() {
  const f = await xc.crossChainFixture("native", eth("1000"));
  return { ...f, weth: f.weth!, wethOFT: f.wethOFT! };
}
type F = Awaited<ReturnType<typeof fixture>>;

describe("RollupVaultComposerNative (ETH from chain B into a WETH vault over Stargate's native pool)", function () {
  // The composer and the WETH OFT hold nothing after any test: no ether, no WETH, no shares.
  const load = xc.loadCheckingLeftovers(fixture, async (f) => ({
    asset: f.weth,
    addresses: [await f.composer.getAddress(), await f.wethOFT.getAddress()],
  }));

  /** Alice quotes with the composer and sends ETH from REMOTE (the ether reaches the composer); the compose. */
  async function depositFrom(f: F, amount: bigint, sharesToFarChain: boolean, minShares?: bigint) {
    const composer = await f.composer.getAddress();
    const before = await ethers.provider.getBalance(composer);
    const tweak: xc.HopTweak | undefined =
      minShares === undefined ? undefined : (hop) => ({ hop: { ...hop, minAmountLD: minShares } });
    const sent = await xc.depositFromRemote(f.net, f, "native", f.alice, amount, sharesToFarChain, tweak);
    expect((await ethers.provider.getBalance(composer)) - before).to.equal(amount);
    return sent;
  }

  describe("construction", function () {
    it("LayerZero's reference composer cannot be built over the native pool for a WETH vault (why a variant)", async function () {
      const f = await load();
      // VaultComposerSync requires its asset OFT's token() to be the vault's asset; the native pool's is zero.
      const factory = new RollupVaultComposer__factory(f.owner);
      await expect(factory.deploy(f.vault, f.net.local.nativePool, f.shareAdapter, 1_500_000n, 600_000n))
        .to.be.revertedWithCustomError(factory, "AssetTokenNotVaultAsset")
        .withArgs(ethers.ZeroAddress, await f.weth.getAddress());
    });

    it("is bound to the vault, the WETH OFT over the native pool, and the share adapter", async function () {
      const f = await load();
      const native = RollupVaultComposerNative__factory.connect(await f.composer.getAddress(), f.owner);
      expect(await native.NATIVE_POOL()).to.equal(await f.net.local.nativePool.getAddress());
      expect(await native.ASSET_OFT()).to.equal(await f.wethOFT.getAddress());
      expect(await native.ASSET_ERC20()).to.equal(await f.weth.getAddress());
      expect(await native.VAULT_EID()).to.equal(LOCAL_EID);
      expect(await f.wethOFT.token()).to.equal(await f.weth.getAddress());
      expect(await f.wethOFT.endpoint()).to.equal(await f.net.local.endpoint.getAddress());
      expect(await f.wethOFT.sharedDecimals()).to.equal(6n);
      expect(await f.wethOFT.approvalRequired()).to.equal(true);
    });
  });

  describe("deposit ETH from chain B in one transaction", function () {
    it("the ether is wrapped and deposited; shares arrive on the vault's chain, as quoted", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, eth("1.5"), false);
      expect(delivered.amount).to.equal(eth("1.5"));
      await expect(xc.executeCompose(f.net, f.composer, delivered, f.executor.address))
        .to.emit(f.composer, "Sent")
        .withArgs(delivered.guid)
        .and.to.emit(f.composer, "Deposited");
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
      expect(await f.vault.totalAssets()).to.equal(eth("1.5"));
      expect(await f.weth.balanceOf(await f.vault.getAddress())).to.equal(eth("1.5"));
    });

    it("shares are sent back to chain B as the omnichain share token, the fee paid by the executor", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, eth("2"), true);
      expect(quote.shareSendFee).to.be.gt(0n);
      await xc.executeCompose(f.net, f.composer, delivered, f.executor.address, { value: quote.shareSendFee });
      expect(await f.remoteShare.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
      expect(await f.vault.balanceOf(await f.shareAdapter.getAddress())).to.equal(quote.expectedShares);
    });

    it("slippage missed: the ether is refunded on chain B through the native pool when the executor pays", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, eth("1"), false, eth("5"));
      expect(quote.expectedShares).to.be.lt(eth("5"));
      const fee = await xc.refundFeeOf(f.net, "native", f.alice.address, delivered.amount);
      const tx = xc.executeCompose(f.net, f.composer, delivered, f.executor.address, { value: fee });
      await expect(tx).to.emit(f.composer, "Refunded").withArgs(delivered.guid);
      // The remote native pool pays alice on B (the two endpoint ids share this chain's ether).
      await expect(tx).to.changeEtherBalance(f.alice, eth("1"));
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("slippage missed and no refund fee: WETH is delivered to the sender on the vault's chain", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, eth("1"), false, eth("5"));
      await expect(xc.executeCompose(f.net, f.composer, delivered, f.executor.address))
        .to.emit(f.composer, "DeliveredOnVaultChain")
        .withArgs(delivered.guid, await f.weth.getAddress(), f.alice.address, eth("1"));
      expect(await f.weth.balanceOf(f.alice.address)).to.equal(eth("1"));
    });

    it("vault paused: the ether is refunded on chain B", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, eth("0.5"), false);
      await f.vault.setPaused(true);
      const fee = await xc.refundFeeOf(f.net, "native", f.alice.address, delivered.amount);
      const tx = xc.executeCompose(f.net, f.composer, delivered, f.executor.address, { value: fee });
      await expect(tx).to.emit(f.composer, "Refunded");
      await expect(tx).to.changeEtherBalance(f.alice, eth("0.5"));
    });

    it("vault at its deposit limit and no Stargate credit back to B: WETH is delivered on the vault's chain", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, eth("0.5"), false);
      await f.vault.setDepositLimit(eth("0.1"));
      await moveCredit(
        f.net,
        "local",
        "native",
        REMOTE_EID,
        (await f.net.local.nativePool.paths(REMOTE_EID)) * 10n ** 12n,
      );
      const fee = await xc.refundFeeOf(f.net, "native", f.alice.address, delivered.amount);
      const tx = xc.executeCompose(f.net, f.composer, delivered, f.executor.address, { value: fee });
      await expect(tx).to.emit(f.composer, "DeliveredOnVaultChain");
      await expect(tx).to.changeEtherBalance(f.executor, fee); // the unused refund fee went back to the executor
      expect(await f.weth.balanceOf(f.alice.address)).to.equal(eth("0.5"));
    });

    it("a compose started at the gas floor still wraps, deposits and sends the shares", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, eth("0.3"), true);
      const tx = xc.executeCompose(f.net, f.composer, delivered, f.executor.address, {
        value: quote.shareSendFee,
        gasLimit: xc.MIN_COMPOSE_GAS + 60_000n,
      });
      await expect(tx).to.emit(f.composer, "Sent");
      const used = (await (await tx).wait())!.gasUsed;
      expect(used).to.be.lt(xc.MIN_COMPOSE_GAS - xc.RECOVERY_GAS, "wrap + deposit + share send must fit the floor");
      expect(await f.remoteShare.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
    });

    it("too little gas: the compose reverts whole, the ether waits, and the user executes it again", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, eth("0.2"), false);
      await expect(
        xc.executeCompose(f.net, f.composer, delivered, f.executor.address, { gasLimit: 1_000_000n }),
      ).to.be.revertedWithCustomError(f.composer, "InsufficientComposeGas");
      expect(await ethers.provider.getBalance(await f.composer.getAddress())).to.equal(eth("0.2"));
      await xc.executeCompose(f.net, f.composer, delivered, f.alice.address);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
    });

    it("only the native pool and the share adapter may compose: a compose from the WETH OFT is refused", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, eth("0.1"), false);
      const fromWethOFT = { ...delivered, from: await f.wethOFT.getAddress() };
      await expect(xc.executeCompose(f.net, f.composer, fromWethOFT, f.executor.address))
        .to.be.revertedWithCustomError(f.composer, "OnlyValidComposeCaller")
        .withArgs(await f.wethOFT.getAddress());
      await xc.executeCompose(f.net, f.composer, delivered, f.executor.address); // settle what arrived
    });
  });

  describe("exit to chain B as ETH", function () {
    async function holder(f: F, amount: bigint) {
      await f.weth.connect(f.bob).deposit({ value: amount });
      await f.weth.connect(f.bob).approve(await f.vault.getAddress(), amount);
      await f.vault.connect(f.bob).deposit(amount, f.bob.address);
      return f.vault.balanceOf(f.bob.address);
    }

    it("redeemAndSend: redeems WETH, unwraps it and delivers ETH on chain B in one transaction, fee quoted", async function () {
      const f = await load();
      const shares = await holder(f, eth("3"));
      const receiver = ethers.Wallet.createRandom().address;
      const composer = await f.composer.getAddress();
      const quote = await quoteExitTo(ethers.provider, composer, shares, REMOTE_EID, receiver);
      expect(quote.assets).to.equal(eth("3"));
      expect(quote.fee).to.be.gt(0n);
      await sendExitTo(f.bob, composer, await f.vault.getAddress(), shares, quote);
      expect(await ethers.provider.getBalance(receiver)).to.equal(eth("3"));
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("assets below the pool's shared decimals: whole units arrive on B, the dust goes back with the fee's excess", async function () {
      const f = await load();
      const dust = 123_456n; // wei, below 10^12
      const shares = await holder(f, eth("1") + dust);
      const receiver = ethers.Wallet.createRandom().address;
      const refund = ethers.Wallet.createRandom().address;
      const composer = await f.composer.getAddress();
      const quote = await quoteExitTo(ethers.provider, composer, shares, REMOTE_EID, receiver);
      await f.vault.connect(f.bob).approve(composer, shares);
      await f.composer.connect(f.bob).redeemAndSend(shares, quote.sendParam, refund, { value: quote.fee });
      expect(await ethers.provider.getBalance(receiver)).to.equal(eth("1"));
      expect(await ethers.provider.getBalance(refund)).to.equal(dust);
    });

    it("composed from chain B: omnichain shares sent to the composer come back as ETH on B", async function () {
      const f = await load();
      const { exit, delivered } = await xc.omnichainSharesToRedeem(
        f.net,
        f,
        "native",
        f.alice,
        eth("1"),
        f.executor.address,
      );
      const tx = xc.executeCompose(f.net, f.composer, delivered, f.executor.address, { value: exit.fee });
      await expect(tx).to.emit(f.composer, "Redeemed");
      await expect(tx).to.changeEtherBalance(f.alice, eth("1"));
      expect(await f.vault.totalSupply()).to.equal(0n);
    });
  });

  describe("StargateWETHOFT", function () {
    it("takes ether from WETH only", async function () {
      const f = await load();
      await expect(f.bob.sendTransaction({ to: await f.wethOFT.getAddress(), value: 1n }))
        .to.be.revertedWithCustomError(f.wethOFT, "OnlyWETH")
        .withArgs(f.bob.address);
    });

    /** One ether to `to` on REMOTE. */
    const oneEtherTo = (to: string): SendParam => ({
      dstEid: REMOTE_EID,
      to: toBytes32(to),
      amountLD: eth("1"),
      minAmountLD: 0n,
      extraOptions: "0x",
      composeMsg: "0x",
      oftCmd: "0x",
    });

    it("refuses a LayerZero-token fee and a native fee that is not the ether sent", async function () {
      const f = await load();
      const param = oneEtherTo(f.bob.address);
      await expect(f.wethOFT.connect(f.bob).send(param, { nativeFee: 0n, lzTokenFee: 1n }, f.bob.address))
        .to.be.revertedWithCustomError(f.wethOFT, "LzTokenFeeUnsupported")
        .withArgs(1n);
      await expect(
        f.wethOFT.connect(f.bob).send(param, { nativeFee: 5n, lzTokenFee: 0n }, f.bob.address, { value: 4n }),
      )
        .to.be.revertedWithCustomError(f.wethOFT, "NativeFeeNotMsgValue")
        .withArgs(5n, 4n);
    });

    it("sends WETH of its caller as ETH through the native pool, and nothing of anyone else's", async function () {
      const f = await load();
      await f.weth.connect(f.bob).deposit({ value: eth("1") });
      const param = oneEtherTo(f.bob.address);
      const fee = await f.wethOFT.quoteSend(param, false);
      const oft = await f.wethOFT.getAddress();
      // No allowance: nothing moves.
      await expect(
        f.wethOFT
          .connect(f.bob)
          .send(param, { nativeFee: fee.nativeFee, lzTokenFee: 0n }, f.bob.address, { value: fee.nativeFee }),
      ).to.be.reverted;
      await f.weth.connect(f.bob).approve(oft, eth("1"));
      const tx = f.wethOFT
        .connect(f.bob)
        .send(param, { nativeFee: fee.nativeFee, lzTokenFee: 0n }, f.bob.address, { value: fee.nativeFee });
      // Bob's WETH left and the remote native pool paid him the ether on B (the pool's balance fell by as much).
      await expect(tx).to.changeTokenBalance(f.weth, f.bob, -eth("1"));
      await expect(tx).to.changeEtherBalance(f.net.remote.nativePool, -eth("1"));
    });
  });
});
