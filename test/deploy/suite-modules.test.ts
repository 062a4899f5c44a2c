import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { isSkipped, networkConfig, planSuite, toInProcessParameters } from "../../deploy/config";
import { deploySuiteInProcess, deployTestSupport } from "../../deploy/inProcess";
import { VAULTS } from "../../deploy/modules/Suite";
import SuiteHandoverModule from "../../deploy/modules/SuiteHandover";
import { IRollupVault__factory, RollupVault__factory } from "../../typechain-types";

const config = networkConfig("hardhat");
const stgConfig = config.stgVault;
const veConfig = config.veVault;
if (isSkipped(stgConfig) || isSkipped(veConfig)) throw new Error("the hardhat config has every vault");

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
    it("deploys the main vault over the test-support 6-decimal asset with the shared admin", async function () {
      const { vault, admin, testSupport } = await loadFixture(suiteWithRoles);
      expect(await vault.asset()).to.equal(testSupport.Asset6);
      expect(await RollupVault__factory.connect(await vault.getAddress(), ethers.provider).ADMIN()).to.equal(admin);
      expect(await vault.decimals()).to.equal(18n);
      expect(await vault.name()).to.equal(config.vault.name);
    });

    it("deploys the STG and vote-escrow vaults over their test-support assets with the same admin", async function () {
      const { stg, ve, admin, testSupport } = await loadFixture(suiteWithRoles);
      expect(await stg!.vault.asset()).to.equal(testSupport.Stg);
      expect(await stg!.vault.symbol()).to.equal(stgConfig.symbol);
      expect(await ve!.vault.asset()).to.equal(testSupport.Velo);
      expect(await ve!.vault.symbol()).to.equal(veConfig.symbol);
      for (const v of [stg!.vault, ve!.vault]) {
        expect(await RollupVault__factory.connect(await v.getAddress(), ethers.provider).ADMIN()).to.equal(admin);
      }
    });

    it("appoints every role and fee on every vault and keeps the deployer as owner", async function () {
      const { usdc, stg, ve, roles, deployer } = await loadFixture(suiteWithRoles);
      for (const vault of [usdc.vault, stg!.vault, ve!.vault]) {
        expect(await vault.owner()).to.equal(deployer);
        expect(await vault.curator()).to.equal(roles.curator);
        expect(await vault.guardian()).to.equal(roles.guardian);
        expect(await vault.isAllocator(roles.allocator)).to.equal(true);
        expect(await vault.isKeeper(roles.keeper)).to.equal(true);
        expect(await vault.feeRecipient()).to.equal(roles.feeRecipient);
        expect(await vault.skimRecipient()).to.equal(roles.skimRecipient);
        expect(await vault.performanceFee()).to.equal(config.vault.performanceFeeBps);
        expect(await vault.managementFee()).to.equal(config.vault.managementFeeBps);
      }
    });

    it("adds the ERC-4626 and Stargate adapters to the main vault with the configured caps", async function () {
      const { vault, adapter, usdc, testSupport } = await loadFixture(suiteWithRoles);
      const erc4626 = await adapter.getAddress();
      const stargate = await usdc.stargateAdapter.getAddress();
      expect(await vault.withdrawQueue()).to.deep.equal([erc4626, stargate]);
      const [enabled, debt, absoluteCap, relativeCapBps] = await vault.adapterConfig(erc4626);
      expect([enabled, debt, relativeCapBps]).to.deep.equal([true, 0n, BigInt(config.erc4626Adapter.relativeCapBps)]);
      expect(absoluteCap).to.equal(ethers.parseUnits(config.erc4626Adapter.absoluteCap, config.vault.decimals));
      expect(await adapter.TARGET()).to.equal(testSupport.Target6);
      const [sEnabled, , sCap, sRelative] = await vault.adapterConfig(stargate);
      expect([sEnabled, sRelative]).to.deep.equal([true, BigInt(config.stargate.relativeCapBps)]);
      expect(sCap).to.equal(ethers.parseUnits(config.stargate.absoluteCap, config.vault.decimals));
      expect(await usdc.stargateAdapter.POOL()).to.equal(testSupport.StargatePoolUSDC);
      expect(await usdc.stargateAdapter.STAKING()).to.equal(testSupport.StargateStaking);
      expect(await usdc.stargateAdapter.LP_TOKEN()).to.equal(testSupport.StargateLpUSDC);
    });

    it("sets the main vault's distributor and routes its STG rewards into the STG vault", async function () {
      const { usdc, stg, testSupport } = await loadFixture(suiteWithRoles);
      expect(await usdc.vault.rewardsDistributor()).to.equal(await usdc.distributor.getAddress());
      expect(await usdc.distributor.vault()).to.equal(await usdc.vault.getAddress());
      expect(await usdc.distributor.rewardPeriod()).to.equal(BigInt(config.rewards.rewardPeriod));
      expect(await usdc.distributor.routeOf(testSupport.Stg!)).to.equal(await stg!.vault.getAddress());
      expect(await usdc.distributor.routeOf(testSupport.Op!)).to.equal(ethers.ZeroAddress);
    });

    it("adds the cooldown staking adapter and a distributor (which harvests need) to the STG vault", async function () {
      const { stg, testSupport } = await loadFixture(suiteWithRoles);
      const adapter = await stg!.adapter.getAddress();
      expect(await stg!.vault.withdrawQueue()).to.deep.equal([adapter]);
      expect(await stg!.adapter.STAKING()).to.equal(testSupport.StgStaking);
      expect(await stg!.adapter.HAS_COOLDOWN()).to.equal(true);
      expect(await stg!.adapter.REWARD_TOKEN()).to.equal(testSupport.Stg);
      expect(await stg!.vault.rewardsDistributor()).to.equal(await stg!.distributor.getAddress());
      const [, , cap] = await stg!.vault.adapterConfig(adapter);
      expect(cap).to.equal(ethers.parseUnits(stgConfig.adapter.absoluteCap, stgConfig.decimals));
    });

    it("adds the vote-escrow adapter and a distributor to the vote-escrow vault", async function () {
      const { ve, testSupport } = await loadFixture(suiteWithRoles);
      expect(await ve!.vault.withdrawQueue()).to.deep.equal([await ve!.adapter.getAddress()]);
      expect(await ve!.adapter.ESCROW()).to.equal(testSupport.VotingEscrow);
      expect(await ve!.adapter.VOTER()).to.equal(testSupport.Voter);
      expect(await ve!.adapter.REBASE_DISTRIBUTOR()).to.equal(testSupport.RebaseDistributor);
      expect(await ve!.adapter.PERMANENT()).to.equal(veConfig.adapter.permanent);
      expect(await ve!.vault.rewardsDistributor()).to.equal(await ve!.distributor.getAddress());
    });

    it("binds one redemption queue to each vault", async function () {
      const { usdc, stg, ve } = await loadFixture(suiteWithRoles);
      for (const v of [usdc, stg!, ve!]) expect(await v.queue.vault()).to.equal(await v.vault.getAddress());
    });

    it("raises every vault's timelock last, so a cap raise now needs a submission", async function () {
      const { usdc, stg, ve, roles } = await loadFixture(suiteWithRoles);
      const curator = await ethers.getSigner(roles.curator);
      for (const [vault, adapter] of [
        [usdc.vault, usdc.stargateAdapter],
        [stg!.vault, stg!.adapter],
        [ve!.vault, ve!.adapter],
      ] as const) {
        expect(await vault.timelock()).to.equal(config.vault.timelock);
        await expect(
          vault.connect(curator).setAbsoluteCap(await adapter.getAddress(), 2n ** 127n),
        ).to.be.revertedWithCustomError(vault, "NotSubmitted");
      }
    });
  });

  describe("Suite without the vaults a network cannot have", function () {
    async function usdcOnly() {
      const skipped = { ...config, stgVault: { skip: "no program" }, veVault: { skip: "no escrow" } };
      return deploySuiteInProcess(hre, { config: skipped });
    }

    it("deploys the main vault alone, its distributor routing nothing, when the other vaults are skipped", async function () {
      const { plan, stg, ve, usdc, testSupport } = await loadFixture(usdcOnly);
      expect(plan.vaults).to.deep.equal(["usdc"]);
      expect(plan.skipped).to.have.length(2);
      expect(stg).to.equal(undefined);
      expect(ve).to.equal(undefined);
      expect(await usdc.distributor.routeOf(testSupport.Stg!)).to.equal(ethers.ZeroAddress);
      expect(await usdc.vault.timelock()).to.equal(config.vault.timelock);
    });
  });

  describe("TestSupport", function () {
    it("starts the Stargate farm streaming STG and OP to the pool's stakers", async function () {
      const { mocks } = await loadFixture(suiteWithRoles);
      expect([...(await mocks!.stargateRewarder.rewardTokens())]).to.have.members([
        await mocks!.stg.getAddress(),
        await mocks!.op.getAddress(),
      ]);
      expect(await mocks!.stargateStaking.rewarder(await mocks!.stargateLp.getAddress())).to.equal(
        await mocks!.stargateRewarder.getAddress(),
      );
    });

    it("starts the STG cooldown staking token (stkAAVE shape) with an emission its rewards vault can pay", async function () {
      const { mocks } = await loadFixture(suiteWithRoles);
      const staking = mocks!.stgStaking;
      expect(await staking.STAKED_TOKEN()).to.equal(await mocks!.stg.getAddress());
      expect(await staking.REWARD_TOKEN()).to.equal(await mocks!.stg.getAddress());
      expect(await staking.COOLDOWN_SECONDS()).to.be.greaterThan(0n);
      const emission = await staking.emissionPerSecond();
      expect(emission).to.be.greaterThan(0n);
      const vault = await staking.REWARDS_VAULT();
      expect(await mocks!.stg.allowance(vault, await staking.getAddress())).to.be.gte(emission * 90n * 24n * 3600n);
    });

    it("wires the vote-escrow set: voter, escrow, and a gauge with its fees and incentive contracts", async function () {
      const { mocks } = await loadFixture(suiteWithRoles);
      expect(await mocks!.voter.ve()).to.equal(await mocks!.votingEscrow.getAddress());
      expect(await mocks!.votingEscrow.voter()).to.equal(await mocks!.voter.getAddress());
      const gauge = await mocks!.voter.gauges(mocks!.vePool);
      expect(gauge).to.equal(await mocks!.gauge.getAddress());
      expect(await mocks!.voter.gaugeToFees(gauge)).to.equal(await mocks!.feesReward.getAddress());
      expect(await mocks!.voter.gaugeToBribe(gauge)).to.equal(await mocks!.bribeReward.getAddress());
    });
  });

  describe("SuiteHandover", function () {
    it("hands every vault to the configured owner while its timelock is still zero", async function () {
      const [deployer, , , , , , , newOwner] = await ethers.getSigners();
      const testSupport = await deployTestSupport(hre);
      const plan = planSuite(config, deployer.address, testSupport, { owner: newOwner.address });
      expect(plan.handOver).to.equal(true);
      expect(plan.warnings.join("\n")).to.contain("the timelock stays ZERO until that owner calls");
      const suite = (await hre.ignition.deploy(SuiteHandoverModule, {
        parameters: toInProcessParameters(plan.parameters),
      })) as Record<string, { getAddress(): Promise<string> }>;
      expect(Object.keys(VAULTS)).to.deep.equal(plan.vaults);
      for (const key of ["vault", "stgVault", "veVault"]) {
        const vault = IRollupVault__factory.connect(await suite[key].getAddress(), newOwner);
        expect(await vault.owner()).to.equal(newOwner.address);
        expect(await vault.timelock()).to.equal(0n);
        await vault.setTimelock(config.vault.timelock);
        expect(await vault.timelock()).to.equal(config.vault.timelock);
      }
    });
  });
});
