import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { RollupVaultComposer__factory } from "../../typechain-types";
import { LOCAL_EID, REMOTE_EID, mintUsdc, moveCredit } from "../helpers/stargate";
import {
  MIN_COMPOSE_GAS,
  RECOVERY_GAS,
  depositFromRemote,
  executeCompose,
  crossChainFixture,
  loadCheckingLeftovers,
  refundFeeOf,
  omnichainSharesToRedeem,
  type HopTweak,
} from "../helpers/crosschain";
import { quoteExitTo, sendExitTo, toBytes32 } from "../../scripts/lib/crosschain";

/**
 * Issue 10 §2 and §3 end to end on the real Stargate V2 contracts across two LayerZero endpoint ids: a user on the
 * far chain (REMOTE) sends USDC through Stargate with a compose message; on the vault's chain (LOCAL) the
 * RollupVaultComposer deposits it and the shares arrive (there, or back on REMOTE as the omnichain share). Every
 * failure ends with the user's money back on REMOTE or delivered on LOCAL, never held by the composer.
 */
const usdc = (n: number) => ethers.parseUnits(n.toString(), 6);

async function fixture() {
  const f = await crossChainFixture("usdc", usdc(1_000_000));
  await mintUsdc(f.net, f.net.remote, f.alice.address, usdc(10_000));
  return f;
}
type F = Awaited<ReturnType<typeof fixture>>;

describe("RollupVaultComposer (cross-chain deposits and exits over real Stargate V2)", function () {
  // The composer holds nothing after any test: no asset, no shares, no ether.
  const load = loadCheckingLeftovers(fixture, async (f) => ({
    asset: f.net.local.usdc,
    addresses: [await f.composer.getAddress()],
  }));

  /** Alice quotes with the composer and sends USDC from REMOTE; returns the delivered compose. */
  async function depositFrom(f: F, amount: bigint, sharesToFarChain: boolean, tweak?: HopTweak) {
    return depositFromRemote(f.net, f, "usdc", f.alice, amount, sharesToFarChain, tweak);
  }

  async function refundFee(f: F, amount: bigint): Promise<bigint> {
    return refundFeeOf(f.net, "usdc", f.alice.address, amount);
  }

  describe("construction", function () {
    it("refuses gas settings that leave no room for the failure path (InvalidGasConfig)", async function () {
      const f = await load();
      const factory = new RollupVaultComposer__factory(f.owner);
      const args = [f.vault, f.net.local.usdcPool, f.shareAdapter] as const;
      await expect(factory.deploy(...args, RECOVERY_GAS, RECOVERY_GAS))
        .to.be.revertedWithCustomError(factory, "InvalidGasConfig")
        .withArgs(RECOVERY_GAS, RECOVERY_GAS);
      await expect(factory.deploy(...args, MIN_COMPOSE_GAS, 100_000n))
        .to.be.revertedWithCustomError(factory, "InvalidGasConfig")
        .withArgs(MIN_COMPOSE_GAS, 100_000n);
    });

    it("is bound to the vault, the Stargate pool as the asset OFT and the share adapter", async function () {
      const f = await load();
      expect(await f.composer.VAULT()).to.equal(await f.vault.getAddress());
      expect(await f.composer.ASSET_ERC20()).to.equal(await f.net.local.usdc.getAddress());
      expect(await f.composer.SHARE_ERC20()).to.equal(await f.vault.getAddress());
      expect(await f.composer.VAULT_EID()).to.equal(LOCAL_EID);
    });
  });

  describe("deposit from chain B in one transaction", function () {
    it("shares arrive on the vault's chain, as quoted", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, usdc(1_000), false);
      expect(quote.shareSendFee).to.equal(0n);
      expect(delivered.amount).to.equal(usdc(1_000));
      await expect(executeCompose(f.net, f.composer, delivered, f.executor.address))
        .to.emit(f.composer, "Sent")
        .withArgs(delivered.guid)
        .and.to.emit(f.composer, "Deposited");
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
      expect(await f.vault.totalAssets()).to.equal(usdc(1_000));
    });

    it("shares are sent back to chain B as the omnichain share token, the fee paid by the executor", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, usdc(1_000), true);
      expect(quote.shareSendFee).to.be.gt(0n);
      await executeCompose(f.net, f.composer, delivered, f.executor.address, { value: quote.shareSendFee });
      expect(await f.remoteShare.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
      // Locked in the adapter on the vault's chain: the vault's supply did not move with the bridge.
      expect(await f.vault.balanceOf(await f.shareAdapter.getAddress())).to.equal(quote.expectedShares);
      expect(await f.vault.totalSupply()).to.equal(quote.expectedShares);
    });

    it("an executor attaching ether to a compose delivering on the vault's chain cannot turn it into a refund", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, usdc(1_000), false);
      const value = ethers.parseEther("0.05"); // enough for a refund to chain B, were it to fail
      const tx = executeCompose(f.net, f.composer, delivered, f.executor.address, { value });
      await expect(tx).to.emit(f.composer, "Sent");
      await expect(tx).to.changeEtherBalance(f.executor, value); // the reference composer reverted and refunded
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
    });

    it("slippage missed: the asset is refunded on chain B when the executor pays the refund", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, usdc(1_000), false, (hop) => ({
        hop: { ...hop, minAmountLD: hop.minAmountLD * 2n },
      }));
      const before = await f.net.remote.usdc.balanceOf(f.alice.address);
      const fee = await refundFee(f, delivered.amount);
      await expect(executeCompose(f.net, f.composer, delivered, f.executor.address, { value: fee }))
        .to.emit(f.composer, "Refunded")
        .withArgs(delivered.guid);
      expect((await f.net.remote.usdc.balanceOf(f.alice.address)) - before).to.equal(usdc(1_000));
      expect(await f.vault.totalSupply()).to.equal(0n);
      expect(quote.minShares).to.be.gt(0n);
    });

    it("slippage missed and no refund fee: the asset is delivered to the sender on the vault's chain", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, usdc(1_000), false, (hop) => ({
        hop: { ...hop, minAmountLD: hop.minAmountLD * 2n },
      }));
      await expect(executeCompose(f.net, f.composer, delivered, f.executor.address))
        .to.emit(f.composer, "DeliveredOnVaultChain")
        .withArgs(delivered.guid, await f.net.local.usdc.getAddress(), f.alice.address, usdc(1_000));
      expect(await f.net.local.usdc.balanceOf(f.alice.address)).to.equal(usdc(1_000));
    });

    it("vault paused: refunded on chain B", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, usdc(500), false);
      await f.vault.setPaused(true);
      const before = await f.net.remote.usdc.balanceOf(f.alice.address);
      const fee = await refundFee(f, delivered.amount);
      await expect(executeCompose(f.net, f.composer, delivered, f.executor.address, { value: fee })).to.emit(
        f.composer,
        "Refunded",
      );
      expect((await f.net.remote.usdc.balanceOf(f.alice.address)) - before).to.equal(usdc(500));
    });

    it("vault at its deposit limit: the asset is delivered on the vault's chain", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, usdc(500), false);
      await f.vault.setDepositLimit(usdc(100));
      await expect(executeCompose(f.net, f.composer, delivered, f.executor.address)).to.emit(
        f.composer,
        "DeliveredOnVaultChain",
      );
      expect(await f.net.local.usdc.balanceOf(f.alice.address)).to.equal(usdc(500));
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("share OFT send failing (no peer for chain B): the deposit is undone and the asset refunded on B", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, usdc(300), true);
      await f.shareAdapter.setPeer(REMOTE_EID, ethers.ZeroHash);
      const before = await f.net.remote.usdc.balanceOf(f.alice.address);
      const fee = await refundFee(f, delivered.amount);
      const paid = quote.shareSendFee + fee;
      const tx = executeCompose(f.net, f.composer, delivered, f.executor.address, { value: paid });
      // The executor paid for the share send and the refund; what the refund did not use comes back to it.
      await expect(tx).to.emit(f.composer, "Refunded");
      await expect(tx).to.changeEtherBalance(f.executor, quote.shareSendFee);
      expect((await f.net.remote.usdc.balanceOf(f.alice.address)) - before).to.equal(usdc(300));
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("too little gas: the compose reverts whole and anyone (here the user) executes it again", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, usdc(200), false);
      await expect(
        executeCompose(f.net, f.composer, delivered, f.executor.address, { gasLimit: 1_000_000n }),
      ).to.be.revertedWithCustomError(f.composer, "InsufficientComposeGas");
      // Nothing moved: the asset waits in the composer for the message to be executed.
      expect(await f.net.local.usdc.balanceOf(await f.composer.getAddress())).to.equal(usdc(200));
      await executeCompose(f.net, f.composer, delivered, f.alice.address);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
    });

    it("a compose started at the gas floor still deposits and sends the shares (nobody can starve it into failing)", async function () {
      const f = await load();
      const { quote, delivered } = await depositFrom(f, usdc(200), true);
      // gasLimit just above the floor: intrinsic gas and calldata (~40k) leave lzCompose about MIN_COMPOSE_GAS.
      const tx = executeCompose(f.net, f.composer, delivered, f.executor.address, {
        value: quote.shareSendFee,
        gasLimit: MIN_COMPOSE_GAS + 60_000n,
      });
      await expect(tx).to.emit(f.composer, "Sent");
      const used = (await (await tx).wait())!.gasUsed;
      expect(used).to.be.lt(MIN_COMPOSE_GAS - RECOVERY_GAS, "deposit + share send must fit what the floor leaves");
      expect(await f.remoteShare.balanceOf(f.alice.address)).to.equal(quote.expectedShares);
    });

    it("a compose that runs out of gas inside the deposit still ends with the asset safe", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, usdc(200), false);
      // A composer whose floor lets the deposit start with too little gas to finish it.
      const tight = await new RollupVaultComposer__factory(f.owner).deploy(
        f.vault,
        f.net.local.usdcPool,
        f.shareAdapter,
        RECOVERY_GAS + 20_000n,
        RECOVERY_GAS,
      );
      // Move the delivered asset to the tight composer, as if the pool had delivered there.
      await impersonateComposerTransfer(f, await tight.getAddress(), usdc(200));
      await expect(
        executeCompose(f.net, tight, delivered, f.executor.address, { gasLimit: RECOVERY_GAS + 60_000n }),
      ).to.emit(tight, "DeliveredOnVaultChain");
      expect(await f.net.local.usdc.balanceOf(f.alice.address)).to.equal(usdc(200));
      expect(await f.net.local.usdc.balanceOf(await tight.getAddress())).to.equal(0n);
    });

    it("an executor paying less than the message asks cannot force a refund; the user can take the asset", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, usdc(100), true, (hop) => ({
        hop,
        minMsgValue: ethers.parseEther("1000"),
      }));
      await expect(executeCompose(f.net, f.composer, delivered, f.executor.address)).to.be.revertedWithCustomError(
        f.composer,
        "InsufficientMsgValue",
      );
      // Nobody will pay 1000 ETH: the sender executes the message itself and gets the asset on the vault's chain.
      await expect(executeCompose(f.net, f.composer, delivered, f.alice.address)).to.emit(
        f.composer,
        "DeliveredOnVaultChain",
      );
      expect(await f.net.local.usdc.balanceOf(f.alice.address)).to.equal(usdc(100));
    });

    it("a malformed compose message takes the failure path", async function () {
      const f = await load();
      const { delivered } = await depositFrom(f, usdc(100), false);
      const broken = { ...delivered, message: delivered.message.slice(0, 2 + 2 * (8 + 4 + 32 + 32)) + "deadbeef" };
      await expect(executeCompose(f.net, f.composer, broken, f.executor.address)).to.emit(
        f.composer,
        "DeliveredOnVaultChain",
      );
      expect(await f.net.local.usdc.balanceOf(f.alice.address)).to.equal(usdc(100));
    });

    it("only the endpoint may compose, only for the asset or share OFT; internal entry points are self-only", async function () {
      const f = await load();
      await expect(f.composer.connect(f.bob).lzCompose(f.net.local.usdcPool, ethers.ZeroHash, "0x", f.bob, "0x"))
        .to.be.revertedWithCustomError(f.composer, "OnlyEndpoint")
        .withArgs(f.bob.address);
      const { delivered } = await depositFrom(f, usdc(10), false);
      await expect(executeCompose(f.net, f.composer, { ...delivered, from: f.bob.address }, f.bob.address))
        .to.be.revertedWithCustomError(f.composer, "OnlyValidComposeCaller")
        .withArgs(f.bob.address);
      await expect(f.composer.connect(f.bob).handleCompose(f.net.local.usdcPool, ethers.ZeroHash, "0x", 1n))
        .to.be.revertedWithCustomError(f.composer, "OnlySelf")
        .withArgs(f.bob.address);
      await expect(f.composer.connect(f.bob).refundToSource(f.net.local.usdcPool, REMOTE_EID, ethers.ZeroHash, 1n))
        .to.be.revertedWithCustomError(f.composer, "OnlySelf")
        .withArgs(f.bob.address);
      await executeCompose(f.net, f.composer, delivered, f.executor.address); // settle what arrived
    });

    it("quoteDeposit reverts above the vault's maxDeposit", async function () {
      const f = await load();
      await f.vault.setDepositLimit(usdc(100));
      await expect(f.composer.quoteDeposit(usdc(101), LOCAL_EID, toBytes32(f.alice.address), "0x"))
        .to.be.revertedWithCustomError(f.composer, "ERC4626ExceededMaxDeposit")
        .withArgs(await f.composer.getAddress(), usdc(101), usdc(100));
    });
  });

  describe("exit to chain B", function () {
    async function holder(f: F, amount: bigint) {
      await mintUsdc(f.net, f.net.local, f.bob.address, amount);
      await f.net.local.usdc.connect(f.bob).approve(await f.vault.getAddress(), amount);
      await f.vault.connect(f.bob).deposit(amount, f.bob.address);
      return f.vault.balanceOf(f.bob.address);
    }

    it("redeems on the vault's chain and delivers the asset on chain B in one transaction, fee quoted", async function () {
      const f = await load();
      const shares = await holder(f, usdc(1_000));
      const quote = await quoteExitTo(
        ethers.provider,
        await f.composer.getAddress(),
        shares,
        REMOTE_EID,
        f.bob.address,
      );
      expect(quote.assets).to.equal(usdc(1_000));
      expect(quote.fee).to.be.gt(0n);
      const before = await f.net.remote.usdc.balanceOf(f.bob.address);
      await sendExitTo(f.bob, await f.composer.getAddress(), await f.vault.getAddress(), shares, quote);
      expect((await f.net.remote.usdc.balanceOf(f.bob.address)) - before).to.equal(usdc(1_000));
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("no Stargate credit towards chain B: the direct exit reverts and the holder keeps the shares", async function () {
      const f = await load();
      const shares = await holder(f, usdc(1_000));
      const quote = await quoteExitTo(
        ethers.provider,
        await f.composer.getAddress(),
        shares,
        REMOTE_EID,
        f.bob.address,
      );
      const credit = await f.net.local.usdcPool.paths(REMOTE_EID);
      await moveCredit(f.net, "local", "usdc", REMOTE_EID, credit); // the planner takes the path's credit back
      await expect(sendExitTo(f.bob, await f.composer.getAddress(), await f.vault.getAddress(), shares, quote)).to.be
        .reverted;
      expect(await f.vault.balanceOf(f.bob.address)).to.equal(shares);
    });

    async function composedExit(f: F, withCredit: boolean) {
      // Alice deposits from B and gets omnichain shares on B first, then sends them to be redeemed.
      const sent = await omnichainSharesToRedeem(f.net, f, "usdc", f.alice, usdc(1_000), f.executor.address);
      if (!withCredit) {
        await moveCredit(f.net, "local", "usdc", REMOTE_EID, await f.net.local.usdcPool.paths(REMOTE_EID));
      }
      return sent;
    }

    it("composed from chain B: omnichain shares sent to the composer come back as the asset on B", async function () {
      const f = await load();
      const { exit, delivered } = await composedExit(f, true);
      const before = await f.net.remote.usdc.balanceOf(f.alice.address);
      await expect(executeCompose(f.net, f.composer, delivered, f.executor.address, { value: exit.fee }))
        .to.emit(f.composer, "Redeemed")
        .and.to.emit(f.composer, "Sent");
      expect((await f.net.remote.usdc.balanceOf(f.alice.address)) - before).to.equal(usdc(1_000));
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("composed from chain B with no credit towards B: the redeemed asset is kept for the user on the vault's chain", async function () {
      const f = await load();
      const { exit, delivered } = await composedExit(f, false);
      await expect(executeCompose(f.net, f.composer, delivered, f.executor.address, { value: exit.fee }))
        .to.emit(f.composer, "AssetKeptOnVaultChain")
        .withArgs(f.alice.address, usdc(1_000));
      expect(await f.net.local.usdc.balanceOf(f.alice.address)).to.equal(usdc(1_000));
      expect(await f.vault.totalSupply()).to.equal(0n);
    });
  });

  /** Test-only: moves USDC the composer received into another composer (the pool paid the first one). */
  async function impersonateComposerTransfer(f: F, to: string, amount: bigint) {
    const { impersonateAccount, setBalance } = await import("@nomicfoundation/hardhat-network-helpers");
    const from = await f.composer.getAddress();
    await impersonateAccount(from);
    await setBalance(from, ethers.parseEther("1"));
    const signer: HardhatEthersSigner = await ethers.getSigner(from);
    await f.net.local.usdc.connect(signer).transfer(to, amount);
    await setBalance(from, 0n);
  }
});
