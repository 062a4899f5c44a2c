import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import hre, { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { networkConfig, planSuite } from "../../deploy/config";
import { deploySuiteInProcess } from "../../deploy/inProcess";
import { deployedAddressesFile } from "../../scripts/lib/paths";
import {
  ERC4626Adapter__factory,
  IRollupVault__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  RollupVault__factory,
} from "../../typechain-types";
import { describeWhen, FORK_CHAIN_ID, FORK_URL, LOCAL_L2_CHAIN_ID } from "./helpers";

const config = networkConfig("localL2");

/** An impersonated account with gas money: works for any address on the fork (roles, depositors). */
async function actAs(account: string) {
  const address = ethers.getAddress(account.toLowerCase());
  await impersonateAccount(address);
  await setBalance(address, ethers.parseEther("100"));
  return ethers.getSigner(address);
}

/**
 * The suite the node was seeded with, read from Ignition's record deploy/deployments/chain-901/; if the record is
 * missing or stale (no code at its addresses), the same modules re-deploy it inside the fork.
 */
async function seededSuite() {
  const file = deployedAddressesFile(LOCAL_L2_CHAIN_ID);
  const record = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const recorded = record["Vault#RollupVault"];
  let source = "the Ignition record of the node";
  if (recorded === undefined || (await ethers.provider.getCode(recorded)) === "0x") {
    const suite = await deploySuiteInProcess(hre, { config });
    for (const [key, address] of Object.entries(suite.testSupport)) record[`TestSupport#${key}`] = address;
    record["Vault#RollupVault"] = await suite.vault.getAddress();
    record["ERC4626Adapter#ERC4626Adapter"] = await suite.adapter.getAddress();
    record["VaultAdmin#VaultAdmin"] = suite.admin;
    source = "a re-deployment inside the fork";
  }
  const vault = IRollupVault__factory.connect(record["Vault#RollupVault"], ethers.provider);
  const owner = await vault.owner();
  const testSupport = {
    Asset6: record["TestSupport#Asset6"],
    Asset18: record["TestSupport#Asset18"],
    Target6: record["TestSupport#Target6"],
    Target18: record["TestSupport#Target18"],
  };
  return {
    source,
    vault,
    owner,
    adapter: ERC4626Adapter__factory.connect(record["ERC4626Adapter#ERC4626Adapter"], ethers.provider),
    admin: record["VaultAdmin#VaultAdmin"],
    asset: MockERC20__factory.connect(testSupport.Asset6, ethers.provider),
    target: MockERC4626Target__factory.connect(testSupport.Target6, ethers.provider),
    // What deploy/config/localL2.ts says the chain should hold, the deployer being the first owner.
    plan: planSuite(config, owner, testSupport),
  };
}

if (FORK_URL && FORK_CHAIN_ID !== LOCAL_L2_CHAIN_ID) {
  describe("Local L2 fork", function () {
    it.skip(`needs FORK_URL at the local L2 node (chain 901); ${FORK_URL} is chain ${FORK_CHAIN_ID}`);
  });
}

describeWhen(FORK_CHAIN_ID === LOCAL_L2_CHAIN_ID)("Local L2 fork: the seeded suite", function () {
  before(async function () {
    const { source } = await loadFixture(seededSuite);
    console.log(`      (suite from ${source})`);
  });

  it("holds the vault over the configured asset with the shared admin", async function () {
    const { vault, admin, plan } = await loadFixture(seededSuite);
    expect(await vault.asset()).to.equal(plan.parameters.Vault.asset);
    expect(await vault.name()).to.equal(config.vault.name);
    expect(await vault.symbol()).to.equal(config.vault.symbol);
    expect(await RollupVault__factory.connect(await vault.getAddress(), ethers.provider).ADMIN()).to.equal(admin);
  });

  it("appoints every configured role and fee", async function () {
    const { vault, plan } = await loadFixture(seededSuite);
    const p = plan.parameters.Suite;
    expect(await vault.curator()).to.equal(p.curator);
    expect(await vault.guardian()).to.equal(p.guardian);
    expect(await vault.isAllocator(String(p.allocator))).to.equal(true);
    expect(await vault.isKeeper(String(p.keeper))).to.equal(true);
    expect(await vault.feeRecipient()).to.equal(p.feeRecipient);
    expect(await vault.skimRecipient()).to.equal(p.skimRecipient);
    expect(await vault.performanceFee()).to.equal(config.vault.performanceFeeBps);
    expect(await vault.managementFee()).to.equal(config.vault.managementFeeBps);
  });

  it("raised the timelock last, so risk-raising calls now need a submission", async function () {
    const { vault } = await loadFixture(seededSuite);
    expect(await vault.timelock()).to.equal(config.vault.timelock);
  });

  it("wires the ERC-4626 adapter to the vault and the target with the configured caps", async function () {
    const { vault, adapter, plan } = await loadFixture(seededSuite);
    const adapterAddress = await adapter.getAddress();
    expect(await vault.withdrawQueue()).to.deep.equal([adapterAddress]);
    const [enabled, debt, absoluteCap, relativeCapBps] = await vault.adapterConfig(adapterAddress);
    expect(enabled).to.equal(true);
    expect(debt).to.equal(0n);
    expect(absoluteCap).to.equal(ethers.parseUnits(config.erc4626Adapter.absoluteCap, config.vault.decimals));
    expect(relativeCapBps).to.equal(config.erc4626Adapter.relativeCapBps);
    expect(await adapter.vault()).to.equal(await vault.getAddress());
    expect(await adapter.TARGET()).to.equal(plan.parameters.ERC4626Adapter.target);
  });

  it("runs deposit, allocate, yield, report, unlock and withdraw through the deployed contracts", async function () {
    const { vault, adapter, asset, target, plan } = await loadFixture(seededSuite);
    const p = plan.parameters.Suite;
    const units = (n: number) => ethers.parseUnits(String(n), config.vault.decimals);
    const depositor = await actAs("0x00000000000000000000000000000000000D3905");
    const allocator = await actAs(String(p.allocator));
    const keeper = await actAs(String(p.keeper));
    const adapterAddress = await adapter.getAddress();

    await asset.connect(depositor).mint(depositor.address, units(10_000));
    await asset.connect(depositor).approve(await vault.getAddress(), units(10_000));
    await vault.connect(depositor).deposit(units(10_000), depositor.address);
    await vault.connect(allocator).allocate(adapterAddress, units(8_000));
    expect(await vault.totalIdle()).to.equal(units(2_000));
    expect(await vault.totalDebt()).to.equal(units(8_000));

    // The target earns 1% on what it holds; the keeper realises it; it unlocks over the profit-unlock time.
    await asset.connect(depositor).mint(await target.getAddress(), units(80));
    await expect(vault.connect(keeper).report(adapterAddress)).to.emit(vault, "Reported");
    const unlockTime = await vault.profitUnlockTime();
    await time.increase(unlockTime + 1n);
    expect(await vault.lockedProfit()).to.equal(0n);

    const shares = await vault.balanceOf(depositor.address);
    const expected = await vault.previewRedeem(shares);
    expect(expected).to.be.greaterThan(units(10_000)); // yield minus the 10% performance fee
    const before = await asset.balanceOf(depositor.address);
    await vault.connect(depositor).redeem(shares, depositor.address, depositor.address);
    expect((await asset.balanceOf(depositor.address)) - before).to.equal(expected);
    expect(await vault.balanceOf(depositor.address)).to.equal(0n);
  });

  it("lets a cap raise through only after submission and the timelock", async function () {
    const { vault, adapter, plan } = await loadFixture(seededSuite);
    const curator = await actAs(String(plan.parameters.Suite.curator));
    const adapterAddress = await adapter.getAddress();
    const [, , cap] = await vault.adapterConfig(adapterAddress);
    const raise = vault.interface.encodeFunctionData("setAbsoluteCap", [adapterAddress, cap + 1n]);

    await expect(vault.connect(curator).setAbsoluteCap(adapterAddress, cap + 1n)).to.be.revertedWithCustomError(
      vault,
      "NotSubmitted",
    );
    await vault.connect(curator).submit(raise);
    const at = await vault.executableAt(raise);
    await expect(vault.connect(curator).setAbsoluteCap(adapterAddress, cap + 1n))
      .to.be.revertedWithCustomError(vault, "TimelockNotElapsed")
      .withArgs(at);
    await time.increaseTo(at);
    await vault.connect(curator).setAbsoluteCap(adapterAddress, cap + 1n);
    expect((await vault.adapterConfig(adapterAddress))[2]).to.equal(cap + 1n);
  });

  it("keeps withdrawals within what the target can release during a liquidity crunch", async function () {
    const { vault, adapter, asset, target, plan } = await loadFixture(seededSuite);
    const units = (n: number) => ethers.parseUnits(String(n), config.vault.decimals);
    const depositor = await actAs("0x00000000000000000000000000000000000D3906");
    const allocator = await actAs(String(plan.parameters.Suite.allocator));
    await asset.connect(depositor).mint(depositor.address, units(1_000));
    await asset.connect(depositor).approve(await vault.getAddress(), units(1_000));
    await vault.connect(depositor).deposit(units(1_000), depositor.address);
    await vault.connect(allocator).allocate(await adapter.getAddress(), units(900));
    await target.connect(depositor).setLiquidity(units(300));
    expect(await vault.maxWithdraw(depositor.address)).to.equal(units(400));
    await expect(vault.connect(depositor).withdraw(units(500), depositor.address, depositor.address))
      .to.be.revertedWithCustomError(vault, "InsufficientLiquidity")
      .withArgs(units(100));
    await target.connect(depositor).setLiquidity(ethers.MaxUint256);
    expect(await vault.maxWithdraw(depositor.address)).to.equal(units(1_000));
  });

  it("lets the guardian pause deposits while withdrawals stay open", async function () {
    const { vault, asset, plan } = await loadFixture(seededSuite);
    const units = (n: number) => ethers.parseUnits(String(n), config.vault.decimals);
    const guardian = await actAs(String(plan.parameters.Suite.guardian));
    const depositor = await actAs("0x00000000000000000000000000000000000D3907");
    await asset.connect(depositor).mint(depositor.address, units(100));
    await asset.connect(depositor).approve(await vault.getAddress(), units(100));
    await vault.connect(depositor).deposit(units(50), depositor.address);
    await vault.connect(guardian).setPaused(true);
    await expect(vault.connect(depositor).deposit(units(50), depositor.address)).to.be.revertedWithCustomError(
      vault,
      "Paused",
    );
    await vault.connect(depositor).withdraw(units(50), depositor.address, depositor.address);
    expect(await vault.balanceOf(depositor.address)).to.equal(0n);
  });
});
