import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { networkConfig, planSuite, toInProcessParameters } from "../../deploy/config";
import { deploySuiteInProcess } from "../../deploy/inProcess";
import SuiteHandoverModule from "../../deploy/modules/SuiteHandover";
import TestSupportModule from "../../deploy/modules/TestSupport";
import { IRollupVault__factory, RollupVault__factory } from "../../typechain-types";

const config = networkConfig("hardhat");

async function suiteWithRoles() {
  const [, curator, allocator, guardian, keeper, feeRecipient, skim] = await ethers.getSigners();
  const roles = {
    curator: curator.address,
    allocator: allocator.address,
    guardian: guardian.address,
    keeper: keeper.address,
    feeRecipient: feeRecipient.address,
    skimRecipient: skim.address,
  };
  return { ...(await deploySuiteInProcess(hre, { roles })), roles };
}

describe("Ignition modules", function () {
  describe("Suite", function () {
    it("deploys the vault over the test-support 6-decimal asset with the shared admin", async function () {
      const { vault, admin, testSupport } = await loadFixture(suiteWithRoles);
      expect(await vault.asset()).to.equal(testSupport.Asset6);
      expect(await RollupVault__factory.connect(await vault.getAddress(), ethers.provider).ADMIN()).to.equal(admin);
      expect(await vault.decimals()).to.equal(18n);
      expect(await vault.name()).to.equal(config.vault.name);
    });

    it("appoints every role and fee from the parameters and keeps the deployer as owner", async function () {
      const { vault, roles, deployer } = await loadFixture(suiteWithRoles);
      expect(await vault.owner()).to.equal(deployer);
      expect(await vault.curator()).to.equal(roles.curator);
      expect(await vault.guardian()).to.equal(roles.guardian);
      expect(await vault.isAllocator(roles.allocator)).to.equal(true);
      expect(await vault.isKeeper(roles.keeper)).to.equal(true);
      expect(await vault.feeRecipient()).to.equal(roles.feeRecipient);
      expect(await vault.skimRecipient()).to.equal(roles.skimRecipient);
      expect(await vault.performanceFee()).to.equal(config.vault.performanceFeeBps);
      expect(await vault.managementFee()).to.equal(config.vault.managementFeeBps);
    });

    it("adds the ERC-4626 adapter over the test-support target with the configured caps", async function () {
      const { vault, adapter, testSupport } = await loadFixture(suiteWithRoles);
      const address = await adapter.getAddress();
      expect(await vault.withdrawQueue()).to.deep.equal([address]);
      const [enabled, debt, absoluteCap, relativeCapBps] = await vault.adapterConfig(address);
      expect([enabled, debt, relativeCapBps]).to.deep.equal([true, 0n, BigInt(config.erc4626Adapter.relativeCapBps)]);
      expect(absoluteCap).to.equal(ethers.parseUnits(config.erc4626Adapter.absoluteCap, config.vault.decimals));
      expect(await adapter.TARGET()).to.equal(testSupport.Target6);
    });

    it("raises the timelock last, so a cap raise now needs a submission", async function () {
      const { vault, adapter, roles } = await loadFixture(suiteWithRoles);
      expect(await vault.timelock()).to.equal(config.vault.timelock);
      const curator = await ethers.getSigner(roles.curator);
      await expect(
        vault.connect(curator).setAbsoluteCap(await adapter.getAddress(), 2n ** 127n),
      ).to.be.revertedWithCustomError(vault, "NotSubmitted");
    });
  });

  describe("SuiteHandover", function () {
    it("hands ownership to the configured owner while the timelock is still zero", async function () {
      const [deployer, , , , , , , newOwner] = await ethers.getSigners();
      const ts = await hre.ignition.deploy(TestSupportModule);
      const plan = planSuite(
        config,
        deployer.address,
        {
          Asset6: await ts.asset6.getAddress(),
          Target6: await ts.target6.getAddress(),
        },
        { owner: newOwner.address },
      );
      expect(plan.handOver).to.equal(true);
      expect(plan.warnings.join("\n")).to.contain("the timelock stays ZERO until that owner calls");
      const suite = await hre.ignition.deploy(SuiteHandoverModule, {
        parameters: toInProcessParameters(plan.parameters),
      });
      const vault = IRollupVault__factory.connect(await suite.vault.getAddress(), newOwner);
      expect(await vault.owner()).to.equal(newOwner.address);
      expect(await vault.timelock()).to.equal(0n);
      await vault.setTimelock(config.vault.timelock);
      expect(await vault.timelock()).to.equal(config.vault.timelock);
    });
  });
});
