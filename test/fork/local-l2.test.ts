import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import hre, { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { networkConfig, planSuite } from "../../deploy/config";
import { connectSuite, deploySuiteInProcess, suiteAddressesFromRecord } from "../../deploy/inProcess";
import { deployedAddressesFile } from "../../scripts/lib/paths";
import { moveCredit, taxi } from "../../scripts/lib/stargateFlows";
import { MockERC20__factory, MockERC4626Target__factory, RollupVault__factory } from "../../typechain-types";
import { describeWhen, FORK_CHAIN_ID, FORK_URL, LOCAL_L2_CHAIN_ID } from "./helpers";

const config = networkConfig("localL2");
const DAY = 24 * 3600;
const HOUR = 3600;
const WEEK = 7 * DAY;

/** An impersonated account with gas money: works for any address on the fork (roles, depositors). */
async function actAs(account: string) {
  const address = ethers.getAddress(account.toLowerCase());
  await impersonateAccount(address);
  await setBalance(address, ethers.parseEther("100"));
  return ethers.getSigner(address);
}

/**
 * The suite the node was seeded with, read from Ignition's record deploy/deployments/chain-901/; if the record is
 * missing or stale (no code at its addresses, or a record from before the whole suite), the same modules
 * re-deploy it inside the fork.
 */
async function seededSuite() {
  const file = deployedAddressesFile(LOCAL_L2_CHAIN_ID);
  const record = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  let addresses = suiteAddressesFromRecord(record);
  let source = "the Ignition record of the node";
  const complete = addresses?.stg?.rewardsDistributor !== undefined && addresses?.ve !== undefined;
  if (addresses === undefined || !complete || (await ethers.provider.getCode(addresses.usdc.vault)) === "0x") {
    addresses = (await deploySuiteInProcess(hre, { config })).addresses;
    source = "a re-deployment inside the fork";
  }
  const suite = connectSuite(addresses, ethers.provider);
  const vault = suite.usdc.vault;
  const owner = await vault.owner();
  const testSupport = addresses.testSupport;
  return {
    ...suite,
    source,
    vault,
    owner,
    adapter: suite.usdc.erc4626Adapter,
    asset: MockERC20__factory.connect(testSupport.Asset6!, ethers.provider),
    target: MockERC4626Target__factory.connect(testSupport.Target6!, ethers.provider),
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
    expect((await vault.withdrawQueue())[0]).to.equal(adapterAddress);
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

  it("seeds every vault of the suite: the USDC bridge vault, the STG staking vault and the vote-escrow vault", async function () {
    const { usdc, stg, ve, mocks, plan } = await loadFixture(seededSuite);
    expect(plan.vaults).to.deep.equal(["usdc", "stg", "ve"]);
    expect(await usdc.vault.withdrawQueue()).to.deep.equal([
      await usdc.erc4626Adapter.getAddress(),
      await usdc.stargateAdapter.getAddress(),
    ]);
    expect(await usdc.distributor.routeOf(await mocks!.stg.getAddress())).to.equal(await stg!.vault.getAddress());
    expect(await stg!.vault.asset()).to.equal(await mocks!.stg.getAddress());
    expect(await ve!.vault.asset()).to.equal(await mocks!.velo.getAddress());
    for (const v of [usdc, stg!, ve!]) {
      expect(await v.vault.timelock()).to.equal(config.vault.timelock);
      expect(await v.queue.vault()).to.equal(await v.vault.getAddress());
    }
  });

  it("runs the full cycle: Stargate bridge flows, harvest, STG routed and staked, async exit, withdraw", async function () {
    const { usdc, stg, mocks, plan, owner } = await loadFixture(seededSuite);
    const p = plan.parameters.Suite;
    const m = mocks!;
    const stgVault = stg!.vault;
    const usdcUnits = (n: number) => ethers.parseUnits(String(n), 6);
    const stgUnits = (n: number) => ethers.parseUnits(String(n), 18);
    const allocator = await actAs(String(p.allocator));
    const keeper = await actAs(String(p.keeper));
    const deployer = await actAs(owner); // the test-support programs' operator (rewards distribution)
    const whales = await Promise.all(
      [
        "0x00000000000000000000000000000000000A1101",
        "0x00000000000000000000000000000000000A1102",
        "0x00000000000000000000000000000000000A1103",
      ].map(actAs),
    );
    const stakers = await Promise.all(
      ["0x00000000000000000000000000000000000A5701", "0x00000000000000000000000000000000000A5702"].map(actAs),
    );
    const asset = MockERC20__factory.connect(String(plan.parameters.Vault.asset), ethers.provider);
    const usdcVaultAddress = await usdc.vault.getAddress();
    const stargateAdapter = await usdc.stargateAdapter.getAddress();
    const stgAdapter = await stg!.adapter.getAddress();

    // 1. Deposits: three USDC whales, two STG holders.
    const usdcDeposits = [usdcUnits(150_000), usdcUnits(100_000), usdcUnits(50_000)];
    for (const [i, whale] of whales.entries()) {
      await asset.connect(whale).mint(whale.address, usdcDeposits[i]);
      await asset.connect(whale).approve(usdcVaultAddress, usdcDeposits[i]);
      await usdc.vault.connect(whale).deposit(usdcDeposits[i], whale.address);
    }
    for (const staker of stakers) {
      await m.stg.connect(staker).mint(staker.address, stgUnits(50_000));
      await m.stg.connect(staker).approve(await stgVault.getAddress(), stgUnits(50_000));
      await stgVault.connect(staker).deposit(stgUnits(50_000), staker.address);
    }

    // 2. Allocation: 90% of the USDC into the Stargate pool (LP staked in the farm), all the STG into staking.
    await usdc.vault.connect(allocator).allocate(stargateAdapter, usdcUnits(270_000));
    expect(await m.stargateStaking.balanceOf(await m.stargateLp.getAddress(), stargateAdapter)).to.equal(
      usdcUnits(270_000),
    );
    await stgVault.connect(allocator).allocate(stgAdapter, stgUnits(100_000));
    expect(await stg!.adapter.staked()).to.equal(stgUnits(100_000));

    // 3. The planner sends 200,000 of the pool's local credit to the far chain (real CreditMessaging between two
    // endpoint ids): what the vault can pay out shrinks with it. A bridger there spends some of it and is paid out
    // of this pool; the planner brings the rest back, and a bridger leaving from here adds the credit spent.
    const whale = whales[0];
    const { local, remote } = m.stargateLanes;
    expect(await usdc.vault.maxWithdraw(whale.address)).to.equal(usdcDeposits[0]);
    expect(await moveCredit(local, remote, deployer, local.eid, usdcUnits(200_000))).to.equal(usdcUnits(200_000));
    expect(await usdc.vault.liquidAssets()).to.equal(usdcUnits(100_000)); // 30k idle + 70k credit
    expect(await usdc.vault.maxWithdraw(whale.address)).to.equal(usdcUnits(100_000));
    await expect(usdc.vault.connect(whale).withdraw(usdcUnits(120_000), whale.address, whale.address))
      .to.be.revertedWithCustomError(usdc.vault, "InsufficientLiquidity")
      .withArgs(usdcUnits(20_000));
    const poolBalance = await local.pool.poolBalance();
    expect(await taxi(remote, local, deployer, deployer.address, usdcUnits(50_000))).to.equal(usdcUnits(50_000));
    expect(await local.pool.poolBalance()).to.equal(poolBalance - usdcUnits(50_000));
    expect(await usdc.vault.maxWithdraw(whale.address)).to.equal(usdcUnits(100_000));
    expect(await moveCredit(remote, local, deployer, local.eid, usdcUnits(200_000))).to.equal(usdcUnits(150_000));
    expect(await moveCredit(remote, local, deployer, remote.eid, usdcUnits(50_000))).to.equal(usdcUnits(50_000));
    expect(await taxi(local, remote, deployer, deployer.address, usdcUnits(50_000))).to.equal(usdcUnits(50_000));
    expect(await usdc.vault.maxWithdraw(whale.address)).to.equal(usdcDeposits[0]);

    // 4. A week of farming and staking; the keeper harvests both vaults and reports the STG staking gain.
    await time.increase(WEEK);
    // Reward tokens stream to holders only once the curator allows them (issue 9.2); the deployment allowed the STG
    // it routes, and the curator allows the farm's OP.
    const curator = await actAs(String(p.curator));
    await usdc.distributor.connect(curator).setAllowed(await m.op.getAddress(), true);
    const harvest = await usdc.vault.connect(keeper).harvest(stargateAdapter);
    const receipt = (await harvest.wait())!;
    const harvested = receipt.logs
      .map((log) => usdc.vault.interface.parseLog(log))
      .find((event) => event?.name === "Harvested")!;
    const tokens = (harvested.args.tokens as string[]).map((t) => t.toLowerCase());
    expect(tokens).to.have.members([(await m.stg.getAddress()).toLowerCase(), (await m.op.getAddress()).toLowerCase()]);
    // STG was routed: deposited into the STG vault, whose shares now stream to the USDC vault's holders.
    expect(await m.stg.balanceOf(await usdc.distributor.getAddress())).to.equal(0n);
    expect(await stgVault.balanceOf(await usdc.distributor.getAddress())).to.be.greaterThan(0n);
    expect(await usdc.distributor.isRewardToken(await stgVault.getAddress())).to.equal(true);
    expect(await usdc.distributor.isRewardToken(await m.op.getAddress())).to.equal(true);

    const priceBefore = await stgVault.convertToAssets(10n ** 18n);
    await stgVault.connect(keeper).harvest(stgAdapter); // claims the STG the program paid: loose asset in the adapter
    await expect(stgVault.connect(keeper).report(stgAdapter)).to.emit(stgVault, "Reported");
    await time.increase(DAY);
    expect(await stgVault.convertToAssets(10n ** 18n)).to.be.greaterThan(priceBefore);

    // 5. After the reward period the whales claim: OP, and STG-vault shares (the routed STG, compounding there).
    await time.increase(Number(await usdc.distributor.rewardPeriod()));
    const claimTokens = [await m.op.getAddress(), await stgVault.getAddress()];
    for (const w of whales) {
      const opBefore = await m.op.balanceOf(w.address);
      await usdc.distributor.connect(w).claim(claimTokens, w.address);
      expect(await m.op.balanceOf(w.address)).to.be.greaterThan(opBefore);
      expect(await stgVault.balanceOf(w.address)).to.be.greaterThan(0n);
    }

    // 6. Async exit from the STG vault: all of it is staked behind a cooldown, so a holder queues a request.
    await stgVault.connect(allocator).allocate(stgAdapter, await stgVault.totalIdle());
    const exiting = stakers[1];
    const shares = await stgVault.balanceOf(exiting.address);
    expect(await stgVault.maxRedeem(exiting.address)).to.be.lessThan(shares);
    await stgVault.connect(exiting).approve(await stg!.queue.getAddress(), shares);
    await stg!.queue.connect(exiting).requestRedeem(shares, exiting.address, exiting.address);
    expect(await stg!.queue.pendingShares()).to.equal(shares);
    await time.increaseTo(await stg!.queue.windowClosesAt());
    await expect(stg!.queue.connect(keeper).settle()).to.be.revertedWithCustomError(stg!.queue, "NothingToSettle");
    expect(await stg!.queue.pendingShares()).to.equal(shares); // nothing can be paid yet

    await stgVault.connect(keeper).prepareRelease(stgAdapter, await stg!.queue.pendingAssets());
    const [release] = await stg!.queue.releaseSchedule();
    expect(release.adapter).to.equal(stgAdapter);
    await time.increaseTo(release.readyAt);
    await stg!.queue.connect(keeper).settle();
    expect(await stg!.queue.pendingShares()).to.equal(0n);
    const claimable = await stg!.queue.maxWithdraw(exiting.address);
    expect(claimable).to.be.greaterThan(stgUnits(50_000)); // the staking gain came with it
    const before = await m.stg.balanceOf(exiting.address);
    await stg!.queue
      .connect(exiting)
      .redeem(await stg!.queue.maxRedeem(exiting.address), exiting.address, exiting.address);
    expect((await m.stg.balanceOf(exiting.address)) - before).to.equal(claimable);

    // 7. Withdraw: every USDC whale redeems in full (the vault frees the Stargate liquidity on the way).
    for (const [i, w] of whales.entries()) {
      const all = await usdc.vault.balanceOf(w.address);
      const got = await usdc.vault.connect(w).redeem.staticCall(all, w.address, w.address);
      await usdc.vault.connect(w).redeem(all, w.address, w.address);
      expect(got).to.be.closeTo(usdcDeposits[i], usdcUnits(1)); // LP does not grow: the yield came as rewards
      expect(await usdc.vault.balanceOf(w.address)).to.equal(0n);
    }
  });

  it("runs the vote-escrow vault: lock, vote, rebase into the price, fees and incentives harvested", async function () {
    const { ve, mocks, plan, owner } = await loadFixture(seededSuite);
    const m = mocks!;
    const veUnits = (n: number) => ethers.parseUnits(String(n), 18);
    const allocator = await actAs(String(plan.parameters.Suite.allocator));
    const keeper = await actAs(String(plan.parameters.Suite.keeper));
    const deployer = await actAs(owner);
    const holder = await actAs("0x00000000000000000000000000000000000A7E01");
    const vault = ve!.vault;
    const adapter = await ve!.adapter.getAddress();
    await m.velo.connect(holder).mint(holder.address, veUnits(10_000));
    await m.velo.connect(holder).approve(await vault.getAddress(), veUnits(10_000));
    await vault.connect(holder).deposit(veUnits(10_000), holder.address);
    await vault.connect(allocator).allocate(adapter, veUnits(10_000));
    expect(await ve!.adapter.lockedAssets()).to.equal(veUnits(10_000));

    // Vote in the next epoch's voting window; fees and incentives arrive for that epoch.
    const now = await time.latest();
    await time.increaseTo(now - (now % WEEK) + WEEK + 2 * HOUR);
    await ve!.adapter.connect(allocator).vote([m.vePool], [10_000]);
    // The allocator chooses what harvests claim from the voted pool: its two fee tokens and the OP incentive
    // (issue 9.2: a dust incentive in any other token is never claimed).
    await ve!.adapter
      .connect(allocator)
      .setClaimTokens(
        m.vePool,
        [await m.weth.getAddress(), String(plan.parameters.Vault.asset)],
        [await m.op.getAddress()],
      );
    const asset6 = MockERC20__factory.connect(String(plan.parameters.Vault.asset), deployer);
    await asset6.mint(deployer.address, 500_000_000n);
    await asset6.approve(await m.feesReward.getAddress(), 500_000_000n);
    await m.feesReward.connect(deployer).notifyRewardAmount(await asset6.getAddress(), 500_000_000n);
    await m.op.connect(deployer).mint(deployer.address, veUnits(300));
    await m.op.connect(deployer).approve(await m.bribeReward.getAddress(), veUnits(300));
    await m.bribeReward.connect(deployer).notifyRewardAmount(await m.op.getAddress(), veUnits(300));
    // A rebase for the NFT.
    await m.velo.connect(deployer).mint(deployer.address, veUnits(100));
    await m.velo.connect(deployer).approve(await m.rebaseDistributor.getAddress(), veUnits(100));
    await m.rebaseDistributor.connect(deployer).notifyRebase(await ve!.adapter.tokenId(), veUnits(100));

    // The curator allows the fee and incentive tokens to stream to holders (issue 9.2: an allow-list).
    const curator = await actAs(String(plan.parameters.Suite.curator));
    for (const token of [await asset6.getAddress(), await m.op.getAddress()]) {
      await ve!.distributor.connect(curator).setAllowed(token, true);
    }
    await time.increase(WEEK);
    await vault.connect(keeper).harvest(adapter);
    const distributor = await ve!.distributor.getAddress();
    expect(await asset6.balanceOf(distributor)).to.equal(500_000_000n);
    expect(await m.op.balanceOf(distributor)).to.equal(veUnits(300));
    const [gain] = await vault.connect(keeper).report.staticCall(adapter);
    expect(gain).to.equal(veUnits(100));
    await vault.connect(keeper).report(adapter);
    await time.increase(Number(await ve!.distributor.rewardPeriod()));
    const opBefore = await m.op.balanceOf(holder.address);
    await ve!.distributor.connect(holder).claim([await m.op.getAddress()], holder.address);
    expect((await m.op.balanceOf(holder.address)) - opBefore).to.be.closeTo(veUnits(300), veUnits(1));
  });
});
