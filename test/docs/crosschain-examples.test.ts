import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MockERC20__factory, MockWETH__factory, VaultRouter__factory } from "../../typechain-types";
import { deployVault, getRoles } from "../helpers/fixtures";
import { LOCAL_EID, REMOTE_EID, deployStargateNetwork, mintUsdc } from "../helpers/stargate";
import { deliveredCompose, deployCrossChainVault, executeCompose, fundPaths } from "../helpers/crosschain";
import {
  depositFromChainB,
  depositThroughRouter,
  depositThroughRouterAsOperator,
  exitToChainB,
  redeemThroughRouter,
} from "../../docs/examples/crosschain";

const ROOT = path.join(__dirname, "..", "..");
const GUIDE = readFileSync(path.join(ROOT, "docs", "integration.md"), "utf8");
const EXAMPLES = readFileSync(path.join(ROOT, "docs", "examples", "crosschain.ts"), "utf8");

/** Router and cross-chain sections of docs/integration.md (issue 10): the guide's code, run. */
describe("Integration guide examples: router and cross-chain (docs/integration.md)", function () {
  it("contains every region of docs/examples/crosschain.ts verbatim, in a TypeScript block", function () {
    const found = new Map<string, string>();
    for (const m of EXAMPLES.matchAll(/\/\/ #region ([\w-]+)\n([\s\S]*?)\/\/ #endregion/g)) {
      found.set(m[1], m[2].trimEnd());
    }
    expect([...found.keys()]).to.deep.equal([
      "router-imports",
      "router-deposit",
      "crosschain-deposit",
      "crosschain-exit",
    ]);
    for (const [name, code] of found) {
      expect(GUIDE.includes("```ts\n" + code + "\n```"), `region ${name} is not in the guide verbatim`).to.equal(true);
    }
  });

  describe("router", function () {
    async function fixture() {
      const roles = await getRoles();
      const asset = await new MockERC20__factory(roles.owner).deploy("USD Coin", "USDC", 6);
      const vault = await deployVault(asset, roles);
      const weth = await new MockWETH__factory(roles.owner).deploy();
      const router = await new VaultRouter__factory(roles.owner).deploy(await weth.getAddress());
      await asset.mint(roles.alice.address, ethers.parseUnits("1000", 6));
      return { ...roles, asset, vault, router };
    }

    it("deposits with a permit and a share floor in one transaction, then redeems with an asset floor", async function () {
      const f = await loadFixture(fixture);
      const [router, vault] = [await f.router.getAddress(), await f.vault.getAddress()];
      await depositThroughRouter(router, vault, f.alice, ethers.parseUnits("400", 6));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(ethers.parseUnits("400", 6));
      expect(await f.asset.allowance(router, vault)).to.equal(0n);
      await redeemThroughRouter(router, vault, f.alice, ethers.parseUnits("400", 6));
      expect(await f.asset.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("1000", 6));
      expect(await f.vault.balanceOf(router)).to.equal(0n);
    });

    it("deposits without custody once the router is the caller's operator on the vault", async function () {
      const f = await loadFixture(fixture);
      const [router, vault] = [await f.router.getAddress(), await f.vault.getAddress()];
      const assets = ethers.parseUnits("250", 6);
      const shares = await f.vault.previewDeposit(assets);
      // The vault pulls from Alice (the Deposit's sender); Alice never approved the router.
      await expect(depositThroughRouterAsOperator(router, vault, f.alice, assets))
        .to.emit(f.vault, "Deposit")
        .withArgs(f.alice.address, f.alice.address, assets, shares);
      expect(await f.vault.isOperator(f.alice.address, router)).to.equal(true);
      expect(await f.asset.allowance(f.alice.address, router)).to.equal(0n);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(shares);
      // The second deposit reuses the approval: one transaction.
      await depositThroughRouterAsOperator(router, vault, f.alice, assets);
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(2n * assets);
      expect(await f.asset.balanceOf(router)).to.equal(0n);
    });
  });

  describe("cross-chain", function () {
    async function fixture() {
      const net = await deployStargateNetwork();
      const signers = await ethers.getSigners();
      const [owner, alice, executor, lp] = [signers[0], signers[6], signers[8], signers[9]];
      const x = await deployCrossChainVault(net, owner);
      await fundPaths(net, lp, ethers.parseUnits("1000000", 6));
      await mintUsdc(net, net.remote, alice.address, ethers.parseUnits("2000", 6));
      return { net, alice, executor, ...x };
    }

    it("deposits from chain B (shares on the vault's chain), then exits to chain B in one transaction", async function () {
      const f = await loadFixture(fixture);
      const composer = await f.composer.getAddress();
      const amount = ethers.parseUnits("2000", 6);
      // Shares home on the vault's chain, so that the exit below starts there.
      const sent = await depositFromChainB(
        f.alice,
        await f.net.remote.usdcPool.getAddress(),
        composer,
        ethers.provider,
        LOCAL_EID,
        LOCAL_EID,
        amount,
        null, // the local endpoint mock refuses compose options: the compose is executed below
      );
      const receipt = (await sent.tx.wait())!;
      const delivered = await deliveredCompose(
        f.net,
        receipt,
        f.net.local.usdcPool,
        await f.net.remote.tokenMessaging.getAddress(),
        await f.net.local.tokenMessaging.getAddress(),
        f.alice.address,
        sent.composeMsg,
      );
      await executeCompose(f.net, f.composer, delivered, f.executor.address, { value: sent.shareFee });
      const shares = await f.vault.balanceOf(f.alice.address);
      expect(shares).to.equal(sent.shares);
      expect(shares).to.be.gte(sent.minShares);
      expect(sent.bridgeFee).to.be.gt(0n);

      const exit = await exitToChainB(f.alice, composer, await f.vault.getAddress(), shares, REMOTE_EID);
      await exit.tx;
      expect(exit.fee).to.be.gt(0n);
      expect(await f.net.remote.usdc.balanceOf(f.alice.address)).to.equal(amount);
      expect(await f.vault.totalSupply()).to.equal(0n);
    });
  });
});
