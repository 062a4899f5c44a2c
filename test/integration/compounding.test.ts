import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { DAY, WEEK, deployCompoundingSuite, expectNoStrayBalances, fundStakingRewards } from "../helpers/suite";

/**
 * Reward routing end to end: the USDC bridge vault's distributor deposits the STG its farm pays into an STG
 * governance-staking vault and streams that vault's shares; the STG vault's staking rewards, paid in STG, reach its
 * share price through its own harvest and report, so the shares holders claimed appreciate.
 */
describe("Integration: STG rewards compounding into a governance-staking vault", function () {
  /** Holders' USDC deposits: 60%, 30%, 10%. */
  const DEPOSITS = [60_000, 30_000, 10_000];

  async function routedFixture() {
    const s = await deployCompoundingSuite();
    const { vault, adapter, allocator, keeper, usdcUnits: u } = s;
    const [h0, h1, h2] = s.holders;
    for (const [i, holder] of [h0, h1, h2].entries())
      await vault.connect(holder).deposit(u(DEPOSITS[i]), holder.address);
    await vault.connect(allocator).allocate(await adapter.getAddress(), u(100_000));
    await time.increase(3 * DAY);
    const tx = await vault.connect(keeper).harvest(await adapter.getAddress());
    return { ...s, harvestTx: tx };
  }

  it("routes the harvested STG into the STG vault and streams its shares, while OP streams as it is", async function () {
    const s = await loadFixture(routedFixture);
    const { distributor, stgVault, harvestTx } = s;
    const stg = await s.stg.getAddress();
    const op = await s.op.getAddress();
    const stgVaultAddress = await stgVault.vault.getAddress();
    const distributorAddress = await distributor.getAddress();

    // All the STG the farm streamed since the allocation (1 STG a second) went into the STG vault, 1:1 in shares
    // (empty vault, 18-decimal asset, no offset); nothing STG stays in the distributor or the adapter.
    const routed = await stgVault.vault.totalIdle();
    expect(routed).to.be.gt(3n * BigInt(DAY) * 10n ** 18n);
    await expect(harvestTx).to.emit(distributor, "RewardsRouted").withArgs(stg, stgVaultAddress, routed, routed);
    await expect(harvestTx).to.emit(distributor, "RewardsNotified").withArgs(stgVaultAddress, routed, routed, anyValue);
    expect(await stgVault.vault.balanceOf(distributorAddress)).to.equal(routed);
    expect(await stgVault.vault.totalSupply()).to.equal(routed);
    expect(await s.stg.balanceOf(distributorAddress)).to.equal(0n);
    expect(await s.stg.balanceOf(await s.adapter.getAddress())).to.equal(0n);
    expect(await distributor.rewardTokens()).to.deep.equal([stgVaultAddress, op]);
    expect(await distributor.isRewardToken(stg)).to.equal(false);
    const [streaming, end] = await distributor.streamOf(stgVaultAddress);
    expect(streaming).to.equal(routed);
    expect(end).to.equal(BigInt(await time.latest()) + BigInt(WEEK));
  });

  it("lets holders claim STG-vault shares pro rata, which appreciate when the STG vault reports its staking rewards", async function () {
    const s = await loadFixture(routedFixture);
    const { distributor, stgVault, keeper, allocator, holders } = s;
    const [h0, h1, h2] = holders;
    const stgVaultAddress = await stgVault.vault.getAddress();
    const stakingAdapter = await stgVault.adapter.getAddress();
    const op = await s.op.getAddress();
    const routed = await stgVault.vault.totalIdle();

    // The STG vault stakes what was routed; its program pays 5% of that in STG over a week.
    await stgVault.vault.connect(allocator).allocate(stakingAdapter, routed);
    const reward = routed / 20n;
    await fundStakingRewards(stgVault.staking, s.stg, reward);

    // After the distributor's week and the program's week, every routed share has streamed.
    await time.increase(WEEK + DAY);
    expect((await distributor.streamOf(stgVaultAddress))[0]).to.equal(0n);
    const supply = await s.vault.totalSupply();
    const owed = await Promise.all(holders.slice(0, 3).map((h) => distributor.earned(h.address, stgVaultAddress)));
    for (const [i, holder] of [h0, h1, h2].entries()) {
      // Constant balances since before the harvest: exactly pro rata, rounded down by at most a unit or two.
      const exact = (routed * (await s.vault.balanceOf(holder.address))) / supply;
      expect(owed[i]).to.be.lte(exact);
      expect(exact - owed[i]).to.be.lte(2n);
      expect((owed[i] * 100n + routed / 2n) / routed).to.equal(BigInt(DEPOSITS[i] / 1_000)); // 60%, 30%, 10%
    }

    await distributor.connect(h0).claim([stgVaultAddress, op], h0.address);
    await distributor.connect(h1).claim([stgVaultAddress], h1.address);
    const shares0 = await stgVault.vault.balanceOf(h0.address);
    const shares1 = await stgVault.vault.balanceOf(h1.address);
    expect(shares0).to.equal(owed[0]);
    expect(shares1).to.equal(owed[1]);
    expect(shares0 + shares1 + (await stgVault.vault.balanceOf(await distributor.getAddress()))).to.equal(routed);
    // At price 1 the claimed shares are worth their number in STG.
    expect(await stgVault.vault.convertToAssets(shares0)).to.equal(shares0);

    // The STG vault's keeper harvests (the STG reward stays in the adapter: it is the asset) and reports.
    const earned = await stgVault.staking.earned(stakingAdapter);
    expect(earned).to.be.gt(reward - 10n ** 6n);
    expect(earned).to.be.lte(reward);
    await expect(stgVault.vault.connect(keeper).harvest(stakingAdapter))
      .to.emit(stgVault.vault, "Harvested")
      .withArgs(stakingAdapter, keeper.address, [], []);
    expect(await s.stg.balanceOf(stakingAdapter)).to.equal(earned);
    await expect(stgVault.vault.connect(keeper).report(stakingAdapter))
      .to.emit(stgVault.vault, "Reported")
      .withArgs(stakingAdapter, routed + earned, earned, 0n, 0n, 0n, 0n);
    // Locked at first, then unlocked over the profit-unlock time.
    expect(await stgVault.vault.totalAssets()).to.equal(routed);
    await time.increase(WEEK);
    expect(await stgVault.vault.totalAssets()).to.equal(routed + earned);

    // Each claimed share is now worth (routed + earned + 1) / (routed + 1) STG (one virtual share and asset).
    const worth = (shares: bigint) => (shares * (routed + earned + 1n)) / (routed + 1n);
    expect(await stgVault.vault.convertToAssets(shares0)).to.equal(worth(shares0));
    expect(worth(shares0) - shares0).to.be.gte((earned * 59n) / 100n);
    const before = await s.stg.balanceOf(h0.address);
    await stgVault.vault.connect(h0).redeem(shares0, h0.address, h0.address);
    expect((await s.stg.balanceOf(h0.address)) - before).to.equal(worth(shares0));

    // Bob's shares, still held, and carol's, still in the distributor, carry the same price.
    expect(await stgVault.vault.convertToAssets(shares1)).to.be.gte(worth(shares1) - 1n);
    const carolOwed = await distributor.earned(h2.address, stgVaultAddress);
    expect(await stgVault.vault.convertToAssets(carolOwed)).to.be.gte(worth(carolOwed) - 1n);

    // Nothing stray: the USDC vault and the STG vault, their adapters and both distributors.
    await s.vault.connect(keeper).harvest(await s.adapter.getAddress());
    await expectNoStrayBalances({
      vault: s.vault,
      adapters: [{ address: await s.adapter.getAddress() }],
      rewardTokens: [await s.stg.getAddress(), op],
      distributor,
      holders: holders.map((h) => h.address),
    });
    await expectNoStrayBalances({
      vault: stgVault.vault,
      adapters: [{ address: stakingAdapter }],
      distributor: stgVault.distributor,
      holders: [h0.address, h1.address, await distributor.getAddress()],
    });
  });

  it("holds the STG while the STG vault is paused and routes all of it at the next harvest", async function () {
    const s = await loadFixture(deployCompoundingSuite);
    const { vault, adapter, allocator, keeper, guardian, distributor, stgVault, usdcUnits: u } = s;
    const [h0] = s.holders;
    const stg = await s.stg.getAddress();
    const stgVaultAddress = await stgVault.vault.getAddress();
    const distributorAddress = await distributor.getAddress();
    await vault.connect(h0).deposit(u(10_000), h0.address);
    await vault.connect(allocator).allocate(await adapter.getAddress(), u(10_000));
    await stgVault.vault.connect(guardian).setPaused(true);
    await time.increase(DAY);

    const first = await vault.connect(keeper).harvest(await adapter.getAddress());
    const held = await s.stg.balanceOf(distributorAddress);
    expect(held).to.be.gt(0n);
    await expect(first).to.emit(distributor, "RewardsSkipped").withArgs(stg, held, 3); // SkipReason.RouteFailed
    expect(await stgVault.vault.totalSupply()).to.equal(0n);
    expect(await distributor.isRewardToken(stg)).to.equal(false);
    expect(await distributor.isRewardToken(stgVaultAddress)).to.equal(false);

    await stgVault.vault.connect(guardian).setPaused(false);
    await time.increase(DAY);
    const second = await vault.connect(keeper).harvest(await adapter.getAddress());
    const routed = await stgVault.vault.totalIdle();
    expect(routed).to.be.gt(held);
    await expect(second).to.emit(distributor, "RewardsRouted").withArgs(stg, stgVaultAddress, routed, routed);
    expect(await s.stg.balanceOf(distributorAddress)).to.equal(0n);
    expect(await stgVault.vault.balanceOf(distributorAddress)).to.equal(routed);
    await expectNoStrayBalances({
      vault,
      adapters: [{ address: await adapter.getAddress() }],
      rewardTokens: [stg, await s.op.getAddress()],
      distributor,
      holders: [h0.address],
    });
  });
});
