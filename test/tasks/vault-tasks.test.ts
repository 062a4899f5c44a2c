import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  ERC4626Adapter__factory,
  MockAsyncAdapter__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  MockRewardAdapter__factory,
  RedemptionQueue__factory,
  RewardsDistributor__factory,
} from "../../typechain-types";
import { deployVault, getRoles } from "../helpers/fixtures";
import type { HarvestResult } from "../../tasks/operations";
import type { ClaimResult, FulfillResult } from "../../tasks/parts";
import type { VaultStatus } from "../../tasks/status";

const DAY = 24 * 3600;
const WEEK = 7 * DAY;

/**
 * A 6-decimal vault with one ERC-4626 adapter (cap 100,000,000), every role held by a different account, alice
 * holding 10,000 of the asset, and a one-day timelock raised last. With `parts`, also a rewards distributor
 * (one-week streams), an adapter paying STG rewards, an asynchronous adapter and a redemption queue, all wired in
 * before the timelock. Built from typechain factories, independent of the deploy modules.
 */
async function build(parts: boolean) {
  const roles = await getRoles();
  const { owner: deployer, curator, allocator, guardian, keeper, alice, bob } = roles;
  const units = (n: number | string) => ethers.parseUnits(String(n), 6);
  const asset = await new MockERC20__factory(deployer).deploy("USD Coin", "USDC", 6);
  const vault = await deployVault(asset, roles);
  const vaultAddress = await vault.getAddress();
  const target = await new MockERC4626Target__factory(deployer).deploy(await asset.getAddress());
  const adapter = await new ERC4626Adapter__factory(deployer).deploy(vaultAddress, await target.getAddress());
  const adapterAddress = await adapter.getAddress();
  await vault.connect(curator).addAdapter(adapterAddress, units(100_000_000), 10_000);
  await asset.mint(alice.address, units(10_000));

  const stg = await new MockERC20__factory(deployer).deploy("Stargate", "STG", 18);
  const target2 = await new MockERC4626Target__factory(deployer).deploy(await asset.getAddress());
  const rewardAdapter = await new MockRewardAdapter__factory(deployer).deploy(vaultAddress, await target2.getAddress());
  const asyncAdapter = await new MockAsyncAdapter__factory(deployer).deploy(vaultAddress, await target2.getAddress());
  const distributor = await new RewardsDistributor__factory(deployer).deploy(vaultAddress, WEEK);
  const queue = await new RedemptionQueue__factory(deployer).deploy(vaultAddress);
  if (parts) {
    await vault.connect(curator).addAdapter(await rewardAdapter.getAddress(), units(100_000_000), 10_000);
    await vault.connect(curator).addAdapter(await asyncAdapter.getAddress(), units(100_000_000), 10_000);
    await rewardAdapter.setRewardTokens([await stg.getAddress()]);
    await vault.setRewardsDistributor(await distributor.getAddress());
    await distributor.connect(curator).setAllowed(await stg.getAddress(), true);
  }
  await vault.setTimelock(DAY);
  return {
    ...roles,
    deployer,
    curator,
    allocator,
    guardian,
    keeper,
    alice,
    bob,
    units,
    asset,
    vault,
    vaultAddress,
    target,
    adapter,
    adapterAddress,
    stg,
    rewardAdapter,
    rewardAdapterAddress: await rewardAdapter.getAddress(),
    asyncAdapter,
    asyncAdapterAddress: await asyncAdapter.getAddress(),
    distributor,
    distributorAddress: await distributor.getAddress(),
    queue,
    queueAddress: await queue.getAddress(),
  };
}

const suiteFixture = () => build(false);

/** A fixture with alice's 1,000 deposited and 600 allocated. */
async function fundedFixture() {
  const f = await suiteFixture();
  await hre.run("vault:deposit", { vault: f.vaultAddress, from: f.alice.address, amount: "1000" });
  await hre.run("vault:allocate", {
    vault: f.vaultAddress,
    from: f.allocator.address,
    adapter: f.adapterAddress,
    amount: "600",
  });
  return f;
}

/** The parts wired in; alice's 1,000 deposited and 600 allocated to the ERC-4626 adapter. */
async function partsFixture() {
  const f = await build(true);
  await f.asset.connect(f.alice).approve(f.vaultAddress, ethers.MaxUint256);
  await f.vault.connect(f.alice).deposit(f.units(1_000), f.alice.address);
  await f.vault.connect(f.allocator).allocate(f.adapterAddress, f.units(600));
  return f;
}

/** 1,000 STG harvested by the keeper into a one-week stream. */
async function harvestedFixture() {
  const f = await partsFixture();
  await f.stg.mint(f.rewardAdapterAddress, ethers.parseEther("1000"));
  await f.vault.connect(f.keeper).harvest(f.rewardAdapterAddress);
  return f;
}

/**
 * The ERC-4626 target locked (no liquidity: the vault can pay only its 400 idle) and alice's request to redeem
 * 700 assets' worth of shares in the queue; the async adapter announces 50 ready in two days.
 */
async function queuedFixture() {
  const f = await partsFixture();
  await f.target.setLiquidity(0);
  await f.vault.connect(f.alice).approve(f.queueAddress, ethers.MaxUint256);
  await f.queue.connect(f.alice).requestRedeem(ethers.parseUnits("700", 18), f.alice.address, f.alice.address);
  const readyAt = BigInt(await time.latest()) + BigInt(2 * DAY);
  await f.asyncAdapter.setPendingRelease(f.units(50), readyAt);
  return { ...f, readyAt };
}

/** Runs `fn` with a deployment record for this chain holding `record`, in a temporary ignition folder. */
async function withRecord<T>(record: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = hre.config.paths.ignition;
  const dir = mkdtempSync(path.join(tmpdir(), "ignition-"));
  const chain = path.join(dir, "deployments", "chain-31337");
  mkdirSync(chain, { recursive: true });
  writeFileSync(path.join(chain, "deployed_addresses.json"), JSON.stringify(record));
  hre.config.paths.ignition = dir;
  try {
    return await fn();
  } finally {
    hre.config.paths.ignition = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("Operator tasks", function () {
  let log: typeof console.log;
  // The tasks print for operators; SHOW_TASK_OUTPUT=1 shows what they print.
  beforeEach(function () {
    log = console.log;
    if (!process.env.SHOW_TASK_OUTPUT) console.log = () => undefined;
  });
  afterEach(function () {
    console.log = log;
  });

  describe("vault:status", function () {
    it("reports the books, the adapter and its caps", async function () {
      const f = await loadFixture(fundedFixture);
      const status = (await hre.run("vault:status", { vault: f.vaultAddress })) as VaultStatus;
      expect(status.totalAssets).to.equal(f.units(1_000));
      expect(status.idle).to.equal(f.units(400));
      expect(status.debt).to.equal(f.units(600));
      expect(status.liquidNow).to.equal(f.units(1_000));
      expect(status.sharePrice).to.equal(f.units(1));
      expect(status.paused).to.equal(false);
      expect(status.adapters).to.have.length(1);
      expect(status.adapters[0]).to.include({
        adapter: f.adapterAddress,
        debt: f.units(600),
        releasable: f.units(600),
      });
      expect(status.adapters[0].absoluteCap).to.equal(f.units(100_000_000));
      expect(status.pending).to.deep.equal([]);
    });

    it("shows no distributor, no queue and no pending release for a plain ERC-4626 adapter", async function () {
      const f = await loadFixture(fundedFixture);
      const status = (await hre.run("vault:status", { vault: f.vaultAddress })) as VaultStatus;
      expect(status.rewards).to.equal(undefined);
      expect(status.queue).to.equal(undefined);
      expect(status.adapters[0].pendingRelease).to.equal(undefined);
    });

    it("shows each reward token's stream: what is left, when it ends, and what is accounted", async function () {
      const f = await loadFixture(harvestedFixture);
      const harvestedAt = BigInt(await time.latest());
      await time.increase(DAY);
      const status = (await hre.run("vault:status", { vault: f.vaultAddress })) as VaultStatus;
      expect(status.rewards?.distributor).to.equal(f.distributorAddress);
      expect(status.rewards?.rewardPeriod).to.equal(BigInt(WEEK));
      expect(status.rewards?.tokens).to.have.length(1);
      const stream = status.rewards!.tokens[0];
      expect(stream).to.include({ token: await f.stg.getAddress(), symbol: "STG", decimals: 18 });
      expect(stream.end).to.equal(harvestedAt + BigInt(WEEK));
      expect(stream.secondsLeft).to.equal(BigInt(6 * DAY));
      expect(stream.streaming).to.be.closeTo((ethers.parseEther("1000") * 6n) / 7n, ethers.parseEther("0.001"));
      expect(stream.accounted).to.equal(ethers.parseEther("1000"));
    });

    it("shows an asynchronous adapter's pending release, and none for the others", async function () {
      const f = await loadFixture(queuedFixture);
      const status = (await hre.run("vault:status", { vault: f.vaultAddress, queue: f.queueAddress })) as VaultStatus;
      const byAddress = Object.fromEntries(status.adapters.map((a) => [a.adapter, a]));
      expect(byAddress[f.asyncAdapterAddress].pendingRelease).to.deep.equal({
        assets: f.units(50),
        readyAt: f.readyAt,
      });
      expect(byAddress[f.adapterAddress].pendingRelease).to.equal(undefined);
      expect(byAddress[f.rewardAdapterAddress].pendingRelease).to.equal(undefined);
    });

    it("shows the redemption queue: pending requests at the current price, claimable, liquidity, releases", async function () {
      const f = await loadFixture(queuedFixture);
      const status = (await hre.run("vault:status", { vault: f.vaultAddress, queue: f.queueAddress })) as VaultStatus;
      expect(status.queue).to.deep.equal({
        queue: f.queueAddress,
        pooledShares: 0n,
        openShares: ethers.parseUnits("700", 18),
        pendingShares: ethers.parseUnits("700", 18),
        pendingAssets: f.units(700),
        claimableAssets: 0n,
        // The request's window is still open: nothing can be settled yet.
        fulfillableShares: 0n,
        liquidNow: f.units(400),
        windowClosesAt: await f.queue.windowClosesAt(),
        livenessOpensAt: (await f.queue.waitingSince()) + 7n * BigInt(DAY),
        releases: [{ adapter: f.asyncAdapterAddress, assets: f.units(50), readyAt: f.readyAt }],
      });
    });

    it("finds the redemption queue in the deployment record under any key naming it", async function () {
      const f = await loadFixture(queuedFixture);
      const status = await withRecord(
        { "Vault#RollupVault": f.vaultAddress, "RedemptionQueueModule#RedemptionQueue": f.queueAddress },
        () => hre.run("vault:status", {}) as Promise<VaultStatus>,
      );
      expect(status.vault).to.equal(f.vaultAddress);
      expect(status.queue?.pendingShares).to.equal(ethers.parseUnits("700", 18));
    });

    it("ignores a recorded redemption queue that serves another vault", async function () {
      const f = await loadFixture(queuedFixture);
      const other = await new RedemptionQueue__factory(f.deployer).deploy(
        await (await build(false)).vault.getAddress(),
      );
      const status = await withRecord(
        { "Suite#RedemptionQueue": await other.getAddress() },
        () => hre.run("vault:status", { vault: f.vaultAddress }) as Promise<VaultStatus>,
      );
      expect(status.queue).to.equal(undefined);
    });

    it("refuses a --queue that serves another vault", async function () {
      const f = await loadFixture(queuedFixture);
      const fresh = await build(false);
      await expect(hre.run("vault:status", { vault: fresh.vaultAddress, queue: f.queueAddress })).to.be.rejectedWith(
        `--queue ${f.queueAddress} is not a redemption queue of vault ${fresh.vaultAddress}`,
      );
    });

    it("fails without --vault when the chain has no deployment record", async function () {
      await loadFixture(suiteFixture);
      await expect(hre.run("vault:status", {})).to.be.rejectedWith(/No --vault given and no Vault#RollupVault/);
    });

    it("fails on a --vault that is not an address", async function () {
      await expect(hre.run("vault:status", { vault: "0x1234" })).to.be.rejectedWith("--vault 0x1234 is not an address");
    });
  });

  describe("vault:deposit", function () {
    it("approves the vault and deposits", async function () {
      const f = await loadFixture(suiteFixture);
      await hre.run("vault:deposit", { vault: f.vaultAddress, from: f.alice.address, amount: "250.5" });
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("250.5", 18));
      expect(await f.vault.totalIdle()).to.equal(ethers.parseUnits("250.5", 6));
    });

    it("refuses more than the sender holds, sending nothing", async function () {
      const f = await loadFixture(suiteFixture);
      await expect(
        hre.run("vault:deposit", { vault: f.vaultAddress, from: f.bob.address, amount: "1" }),
      ).to.be.rejectedWith(
        `${f.bob.address} holds only 0 USDC. On a local or test network whose asset is a test-support token: ` +
          "npx hardhat dev:fund --network hardhat --amount 1.",
      );
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("refuses an amount with more decimals than the asset", async function () {
      const f = await loadFixture(suiteFixture);
      await expect(
        hre.run("vault:deposit", { vault: f.vaultAddress, from: f.alice.address, amount: "1.0000001" }),
      ).to.be.rejectedWith("--amount 1.0000001 is not an amount with at most 6 decimals");
    });

    it("refuses while the vault is paused", async function () {
      const f = await loadFixture(suiteFixture);
      await hre.run("vault:pause", { vault: f.vaultAddress, from: f.guardian.address });
      await expect(
        hre.run("vault:deposit", { vault: f.vaultAddress, from: f.alice.address, amount: "1" }),
      ).to.be.rejectedWith("The vault takes at most 0 (paused or shut down) now");
    });

    it("refuses a --from the network cannot sign for", async function () {
      const f = await loadFixture(suiteFixture);
      const stranger = ethers.Wallet.createRandom().address;
      await expect(hre.run("vault:deposit", { vault: f.vaultAddress, from: stranger, amount: "1" })).to.be.rejectedWith(
        `--from ${stranger} is not an account this network can sign for`,
      );
    });
  });

  describe("vault:allocate and vault:deallocate", function () {
    it("moves idle assets into the adapter and back", async function () {
      const f = await loadFixture(fundedFixture);
      expect(await f.vault.totalDebt()).to.equal(f.units(600));
      await hre.run("vault:deallocate", {
        vault: f.vaultAddress,
        from: f.allocator.address,
        adapter: f.adapterAddress,
        amount: "100",
      });
      expect(await f.vault.totalIdle()).to.equal(f.units(500));
    });

    it("refuses a sender without the allocator role, sending nothing", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(
        hre.run("vault:allocate", {
          vault: f.vaultAddress,
          from: f.alice.address,
          adapter: f.adapterAddress,
          amount: "1",
        }),
      ).to.be.rejectedWith(`${f.alice.address} cannot allocate: it is not the allocator (or owner)`);
      expect(await f.vault.totalIdle()).to.equal(f.units(400));
    });

    it("refuses more than is idle", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(
        hre.run("vault:allocate", {
          vault: f.vaultAddress,
          from: f.allocator.address,
          adapter: f.adapterAddress,
          amount: "401",
        }),
      ).to.be.rejectedWith("Only 400 USDC is idle; cannot allocate 401");
    });

    it("refuses an adapter the vault has not enabled", async function () {
      const f = await loadFixture(fundedFixture);
      const other = ethers.Wallet.createRandom().address;
      await expect(
        hre.run("vault:allocate", { vault: f.vaultAddress, from: f.allocator.address, adapter: other, amount: "1" }),
      ).to.be.rejectedWith(`Adapter ${other} is not enabled`);
    });

    it("names the vault's custom error when the vault reverts", async function () {
      const f = await loadFixture(fundedFixture);
      await f.vault.connect(f.curator).setMinIdle(f.units(350));
      await expect(
        hre.run("vault:allocate", {
          vault: f.vaultAddress,
          from: f.allocator.address,
          adapter: f.adapterAddress,
          amount: "100",
        }),
      ).to.be.rejectedWith("reverted: MinIdleBreached(idleAfter: 300 USDC, minIdle: 350 USDC)");
      expect(await f.vault.totalIdle()).to.equal(f.units(400));
    });
  });

  describe("vault:report", function () {
    it("realises the adapter's gain for a keeper", async function () {
      const f = await loadFixture(fundedFixture);
      await f.asset.mint(await f.target.getAddress(), f.units(60));
      await hre.run("vault:report", { vault: f.vaultAddress, from: f.keeper.address });
      // The target's share rounding leaves the position a unit short of 660.
      expect(await f.vault.totalDebt()).to.equal(await f.adapter.totalAssets());
      expect(await f.vault.totalDebt()).to.be.closeTo(f.units(660), 1n);
      expect(await f.vault.lockedProfit()).to.be.greaterThan(0n);
    });

    it("refuses a sender without the keeper role, sending nothing", async function () {
      const f = await loadFixture(fundedFixture);
      await f.asset.mint(await f.target.getAddress(), f.units(60));
      await expect(hre.run("vault:report", { vault: f.vaultAddress, from: f.alice.address })).to.be.rejectedWith(
        `${f.alice.address} cannot report: it is not the keeper (or owner)`,
      );
      expect(await f.vault.totalDebt()).to.equal(f.units(600));
    });
  });

  describe("vault:harvest", function () {
    it("harvests without a rewards distributor, reporting that nothing was streamed", async function () {
      const f = await loadFixture(fundedFixture);
      expect(await f.vault.rewardsDistributor()).to.equal(ethers.ZeroAddress);
      const result = (await hre.run("vault:harvest", {
        vault: f.vaultAddress,
        from: f.keeper.address,
        adapter: f.adapterAddress,
      })) as { harvested: unknown[]; streamed: unknown[] };
      expect(result.harvested).to.deep.equal([]);
      expect(result.streamed).to.deep.equal([]);
      expect(await f.vault.lastHarvest(f.adapterAddress)).to.be.gt(0n);
    });

    it("sends a keeper's harvest and reports each token harvested and streamed", async function () {
      const f = await loadFixture(partsFixture);
      const stg = await f.stg.getAddress();
      await f.stg.mint(f.rewardAdapterAddress, ethers.parseEther("250"));
      const result = (await hre.run("vault:harvest", {
        vault: f.vaultAddress,
        from: f.keeper.address,
        adapter: f.rewardAdapterAddress,
      })) as HarvestResult;
      expect(result.harvested).to.deep.equal([{ token: stg, symbol: "STG", amount: ethers.parseEther("250") }]);
      expect(result.streamed).to.have.length(1);
      expect(result.streamed[0]).to.include({ token: stg, amount: ethers.parseEther("250") });
      expect(result.skipped).to.deep.equal([]);
      expect(await f.stg.balanceOf(f.distributorAddress)).to.equal(ethers.parseEther("250"));
    });

    it("reports a token the distributor leaves aside, with the reason", async function () {
      const f = await loadFixture(partsFixture);
      const asset = await f.asset.getAddress();
      await f.rewardAdapter.setRewardTokens([await f.stg.getAddress(), asset]);
      await f.asset.mint(f.rewardAdapterAddress, f.units(5));
      const result = (await hre.run("vault:harvest", {
        vault: f.vaultAddress,
        from: f.keeper.address,
        adapter: f.rewardAdapterAddress,
      })) as HarvestResult;
      expect(result.harvested.map((h) => h.symbol)).to.deep.equal(["STG", "USDC"]);
      expect(result.streamed).to.deep.equal([]);
      expect(result.skipped).to.deep.equal([{ token: asset, amount: f.units(5), reason: "VaultToken" }]);
    });

    it("refuses a non-keeper before the harvest interval has passed, sending nothing", async function () {
      const f = await loadFixture(harvestedFixture);
      await f.vault.connect(f.curator).setHarvestInterval(DAY);
      const last = await f.vault.lastHarvest(f.rewardAdapterAddress);
      await expect(
        hre.run("vault:harvest", { vault: f.vaultAddress, from: f.bob.address, adapter: f.rewardAdapterAddress }),
      ).to.be.rejectedWith(
        new RegExp(
          `${f.bob.address} is not a keeper and harvesting ${f.rewardAdapterAddress} opens to everyone at .* left`,
        ),
      );
      expect(await f.vault.lastHarvest(f.rewardAdapterAddress)).to.equal(last);
    });

    it("refuses a non-keeper while no harvest interval is set", async function () {
      const f = await loadFixture(harvestedFixture);
      await expect(
        hre.run("vault:harvest", { vault: f.vaultAddress, from: f.bob.address, adapter: f.rewardAdapterAddress }),
      ).to.be.rejectedWith("is not a keeper and harvesting is not open to everyone (no harvest interval set)");
    });

    it("lets anyone harvest once the interval has passed", async function () {
      const f = await loadFixture(harvestedFixture);
      await f.vault.connect(f.curator).setHarvestInterval(DAY);
      await f.stg.mint(f.rewardAdapterAddress, ethers.parseEther("5"));
      await time.increase(DAY);
      const result = (await hre.run("vault:harvest", {
        vault: f.vaultAddress,
        from: f.bob.address,
        adapter: f.rewardAdapterAddress,
      })) as HarvestResult;
      expect(result.harvested[0].amount).to.equal(ethers.parseEther("5"));
      expect(await f.vault.lastHarvest(f.rewardAdapterAddress)).to.equal(BigInt(await time.latest()));
    });
  });

  describe("vault:prepare-release", function () {
    it("asks an asynchronous adapter to free assets for an allocator", async function () {
      const f = await loadFixture(partsFixture);
      await f.vault.connect(f.allocator).allocate(f.asyncAdapterAddress, f.units(200));
      await f.asyncAdapter.setPendingRelease(f.units(200), 1234n);
      const result = await hre.run("vault:prepare-release", {
        vault: f.vaultAddress,
        from: f.allocator.address,
        adapter: f.asyncAdapterAddress,
        amount: "150",
      });
      expect(await f.asyncAdapter.lastPrepared()).to.equal(f.units(150));
      expect(result.pendingRelease).to.deep.equal({ assets: f.units(200), readyAt: 1234n });
    });

    it("refuses a sender that is neither allocator, keeper nor owner, sending nothing", async function () {
      const f = await loadFixture(partsFixture);
      await f.vault.connect(f.allocator).allocate(f.asyncAdapterAddress, f.units(200));
      await expect(
        hre.run("vault:prepare-release", {
          vault: f.vaultAddress,
          from: f.alice.address,
          adapter: f.asyncAdapterAddress,
          amount: "1",
        }),
      ).to.be.rejectedWith(`${f.alice.address} cannot prepare a release: it is not the allocator or keeper (or owner)`);
      expect(await f.asyncAdapter.lastPrepared()).to.equal(0n);
    });

    it("refuses an adapter that is not asynchronous", async function () {
      const f = await loadFixture(partsFixture);
      await expect(
        hre.run("vault:prepare-release", {
          vault: f.vaultAddress,
          from: f.keeper.address,
          adapter: f.adapterAddress,
          amount: "1",
        }),
      ).to.be.rejectedWith(`Adapter ${f.adapterAddress} is not asynchronous`);
    });

    it("refuses more than the adapter holds on the books", async function () {
      const f = await loadFixture(partsFixture);
      await f.vault.connect(f.allocator).allocate(f.asyncAdapterAddress, f.units(200));
      await expect(
        hre.run("vault:prepare-release", {
          vault: f.vaultAddress,
          from: f.keeper.address,
          adapter: f.asyncAdapterAddress,
          amount: "201",
        }),
      ).to.be.rejectedWith(`Adapter ${f.asyncAdapterAddress} holds 200 USDC on the books; cannot release 201`);
      expect(await f.asyncAdapter.lastPrepared()).to.equal(0n);
    });
  });

  describe("queue:fulfill", function () {
    it("settles the pending request once its window has closed and the vault can pay it", async function () {
      const f = await loadFixture(queuedFixture);
      await f.target.setLiquidity(ethers.MaxUint256);
      await time.increase(DAY);
      const result = (await hre.run("queue:fulfill", { queue: f.queueAddress })) as FulfillResult;
      const shares = ethers.parseUnits("700", 18);
      expect(result).to.deep.equal({
        pooledShares: shares,
        filledShares: shares,
        assets: f.units(700),
        pendingLeft: 0n,
      });
      expect(await f.queue.claimableRedeemRequest(0, f.alice.address)).to.equal(shares);
    });

    it("fills part of the pool when the vault can pay only part of it", async function () {
      const f = await loadFixture(queuedFixture);
      await time.increase(DAY);
      const result = (await hre.run("queue:fulfill", { queue: f.queueAddress })) as FulfillResult;
      expect(result.filledShares).to.equal(ethers.parseUnits("400", 18));
      expect(result.pendingLeft).to.equal(ethers.parseUnits("300", 18));
    });

    it("finds the queue in the deployment record", async function () {
      const f = await loadFixture(queuedFixture);
      await f.target.setLiquidity(ethers.MaxUint256);
      await time.increase(DAY);
      const result = (await withRecord({ "RedemptionQueue#RedemptionQueue": f.queueAddress }, () =>
        hre.run("queue:fulfill", {}),
      )) as FulfillResult;
      expect(result.pendingLeft).to.equal(0n);
    });

    it("picks the recorded vault's queue when the record holds queues of several vaults", async function () {
      const f = await loadFixture(queuedFixture);
      await f.target.setLiquidity(ethers.MaxUint256);
      const other = await new RedemptionQueue__factory(f.deployer).deploy((await build(false)).vaultAddress);
      const record = {
        "Vault#RollupVault": f.vaultAddress,
        "OtherSuite#RedemptionQueue": await other.getAddress(),
        "Suite#RedemptionQueue": f.queueAddress,
      };
      await time.increase(DAY);
      const result = (await withRecord(record, () => hre.run("queue:fulfill", {}))) as FulfillResult;
      expect(result.pendingLeft).to.equal(0n);
    });

    it("refuses to guess between several recorded queues without a vault to match", async function () {
      const f = await loadFixture(queuedFixture);
      const other = await new RedemptionQueue__factory(f.deployer).deploy((await build(false)).vaultAddress);
      const record = { "A#RedemptionQueue": await other.getAddress(), "B#RedemptionQueue": f.queueAddress };
      await expect(withRecord(record, () => hre.run("queue:fulfill", {}))).to.be.rejectedWith(
        /names several RedemptionQueue contracts .*: pass --queue <address>/,
      );
      expect(await f.queue.pendingShares()).to.equal(ethers.parseUnits("700", 18));
    });

    it("refuses while every pending request is in the open window, sending nothing", async function () {
      const f = await loadFixture(queuedFixture);
      const closesAt = new Date(Number(await f.queue.windowClosesAt()) * 1000).toISOString();
      await expect(hre.run("queue:fulfill", { queue: f.queueAddress })).to.be.rejectedWith(
        `Every pending request of queue ${f.queueAddress} is in the open window; it can be settled from ${closesAt}`,
      );
      expect(await f.queue.pendingShares()).to.equal(ethers.parseUnits("700", 18));
    });

    it("refuses a queue without pending requests", async function () {
      const f = await loadFixture(partsFixture);
      await expect(hre.run("queue:fulfill", { queue: f.queueAddress })).to.be.rejectedWith(
        `Queue ${f.queueAddress} has no pending request`,
      );
    });

    it("refuses a --vault the queue does not serve", async function () {
      const f = await loadFixture(queuedFixture);
      const other = ethers.Wallet.createRandom().address;
      await expect(hre.run("queue:fulfill", { queue: f.queueAddress, vault: other })).to.be.rejectedWith(
        `redemption queue ${f.queueAddress} serves vault ${f.vaultAddress}, not --vault ${other}`,
      );
    });

    it("refuses without --queue when the deployment record names none", async function () {
      await loadFixture(queuedFixture);
      await expect(hre.run("queue:fulfill", {})).to.be.rejectedWith(
        "No --queue given and no RedemptionQueue found in this chain's deployment record",
      );
    });

    it("refuses a --queue without code", async function () {
      const other = ethers.Wallet.createRandom().address;
      await expect(hre.run("queue:fulfill", { queue: other })).to.be.rejectedWith(`No contract at --queue ${other}`);
    });
  });

  describe("rewards:claim", function () {
    it("pays the holder every token it earned, read from the vault's distributor", async function () {
      const f = await loadFixture(harvestedFixture);
      await time.increase(WEEK);
      const earned = await f.distributor.earned(f.alice.address, await f.stg.getAddress());
      expect(earned).to.be.closeTo(ethers.parseEther("1000"), ethers.parseEther("0.000001"));
      const result = (await hre.run("rewards:claim", { vault: f.vaultAddress, from: f.alice.address })) as ClaimResult;
      expect(result).to.deep.equal({
        receiver: f.alice.address,
        paid: [{ token: await f.stg.getAddress(), symbol: "STG", amount: earned }],
      });
      expect(await f.stg.balanceOf(f.alice.address)).to.equal(earned);
    });

    it("pays chosen tokens to another receiver with --distributor, --tokens and --receiver", async function () {
      const f = await loadFixture(harvestedFixture);
      await time.increase(WEEK);
      const stg = await f.stg.getAddress();
      const earned = await f.distributor.earned(f.alice.address, stg);
      await hre.run("rewards:claim", {
        distributor: f.distributorAddress,
        from: f.alice.address,
        tokens: stg.toLowerCase(),
        receiver: f.bob.address,
      });
      expect(await f.stg.balanceOf(f.bob.address)).to.equal(earned);
    });

    it("finds the distributor in the deployment record", async function () {
      const f = await loadFixture(harvestedFixture);
      await time.increase(DAY);
      const result = (await withRecord({ "RewardsDistributor#RewardsDistributor": f.distributorAddress }, () =>
        hre.run("rewards:claim", { from: f.alice.address }),
      )) as ClaimResult;
      expect(result.paid[0].amount).to.be.greaterThan(0n);
    });

    it("refuses without --distributor or --vault when the deployment record names neither", async function () {
      await loadFixture(harvestedFixture);
      await expect(hre.run("rewards:claim", {})).to.be.rejectedWith(
        "No --distributor or --vault given, and no vault or RewardsDistributor in this chain's deployment record",
      );
    });

    it("refuses a token that is not a reward token, sending nothing", async function () {
      const f = await loadFixture(harvestedFixture);
      await time.increase(DAY);
      const asset = await f.asset.getAddress();
      await expect(
        hre.run("rewards:claim", { distributor: f.distributorAddress, from: f.alice.address, tokens: asset }),
      ).to.be.rejectedWith(`--tokens: ${asset} is not a reward token of ${f.distributorAddress}`);
      expect(await f.stg.balanceOf(f.alice.address)).to.equal(0n);
    });

    it("refuses a holder with nothing earned", async function () {
      const f = await loadFixture(harvestedFixture);
      await time.increase(DAY);
      await expect(
        hre.run("rewards:claim", { distributor: f.distributorAddress, from: f.bob.address }),
      ).to.be.rejectedWith(`${f.bob.address} has nothing to claim from ${f.distributorAddress}`);
    });

    it("refuses a vault without a rewards distributor", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(hre.run("rewards:claim", { vault: f.vaultAddress, from: f.alice.address })).to.be.rejectedWith(
        `Vault ${f.vaultAddress} has no rewards distributor`,
      );
    });

    it("refuses a --receiver that is not an address", async function () {
      const f = await loadFixture(harvestedFixture);
      await expect(
        hre.run("rewards:claim", { distributor: f.distributorAddress, from: f.alice.address, receiver: "0xabc" }),
      ).to.be.rejectedWith("--receiver 0xabc is not an address");
    });

    it("refuses a --distributor that is not a distributor of a vault", async function () {
      const f = await loadFixture(harvestedFixture);
      await expect(
        hre.run("rewards:claim", { distributor: await f.stg.getAddress(), from: f.alice.address }),
      ).to.be.rejectedWith("does not answer vault(): it is not part of a vault suite");
    });
  });

  describe("vault:cap", function () {
    it("lowers a cap at once", async function () {
      const f = await loadFixture(fundedFixture);
      const result = await hre.run("vault:cap", {
        vault: f.vaultAddress,
        from: f.curator.address,
        adapter: f.adapterAddress,
        absolute: "5000",
      });
      expect(result.action).to.equal("set");
      expect((await f.vault.adapterConfig(f.adapterAddress))[2]).to.equal(f.units(5_000));
    });

    it("submits a raise, refuses to accept it early, and accepts it after the timelock", async function () {
      const f = await loadFixture(fundedFixture);
      const args = { vault: f.vaultAddress, from: f.curator.address, adapter: f.adapterAddress, absolute: "200000000" };
      const submitted = await hre.run("vault:cap", args);
      expect(submitted.action).to.equal("submitted");
      const status = (await hre.run("vault:status", { vault: f.vaultAddress })) as VaultStatus;
      expect(status.pending).to.have.length(1);
      expect(status.pending[0].call).to.equal(`setAbsoluteCap(${f.adapterAddress}, ${f.units(200_000_000)})`);
      expect(status.pending[0].ready).to.equal(false);
      expect(status.pending[0].name).to.equal("setAbsoluteCap");
      expect(status.pending[0].args).to.deep.equal([f.adapterAddress, String(f.units(200_000_000))]);
      expect(status.pending[0].secondsLeft).to.equal(submitted.executableAt - BigInt(await time.latest()));

      await expect(hre.run("vault:cap", args)).to.be.rejectedWith(/The cap raise is pending until .* \(\d+s left\)/);
      expect((await f.vault.adapterConfig(f.adapterAddress))[2]).to.equal(f.units(100_000_000));

      await time.increaseTo(submitted.executableAt);
      const accepted = await hre.run("vault:cap", args);
      expect(accepted.action).to.equal("accepted");
      expect((await f.vault.adapterConfig(f.adapterAddress))[2]).to.equal(f.units(200_000_000));
      const after = (await hre.run("vault:status", { vault: f.vaultAddress })) as VaultStatus;
      expect(after.pending).to.deep.equal([]);
    });

    it("refuses a sender who is not the curator", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(
        hre.run("vault:cap", {
          vault: f.vaultAddress,
          from: f.alice.address,
          adapter: f.adapterAddress,
          relative: 5000,
        }),
      ).to.be.rejectedWith(`${f.alice.address} cannot change caps: it is not the curator (or owner)`);
      expect((await f.vault.adapterConfig(f.adapterAddress))[3]).to.equal(10_000n);
    });

    it("refuses both or neither of --absolute and --relative", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(
        hre.run("vault:cap", { vault: f.vaultAddress, from: f.curator.address, adapter: f.adapterAddress }),
      ).to.be.rejectedWith("Give exactly one of --absolute <assets> or --relative <bps>");
    });
  });

  describe("vault:pause", function () {
    it("pauses and unpauses for the guardian", async function () {
      const f = await loadFixture(suiteFixture);
      await hre.run("vault:pause", { vault: f.vaultAddress, from: f.guardian.address });
      expect(await f.vault.paused()).to.equal(true);
      await hre.run("vault:pause", { vault: f.vaultAddress, from: f.guardian.address, unpause: true });
      expect(await f.vault.paused()).to.equal(false);
    });

    it("refuses a sender who is not the guardian", async function () {
      const f = await loadFixture(suiteFixture);
      await expect(hre.run("vault:pause", { vault: f.vaultAddress, from: f.alice.address })).to.be.rejectedWith(
        `${f.alice.address} cannot pause: it is not the guardian (or owner)`,
      );
      expect(await f.vault.paused()).to.equal(false);
    });
  });

  describe("vault:withdraw", function () {
    it("withdraws an amount, then everything with --all", async function () {
      const f = await loadFixture(fundedFixture);
      const before = await f.asset.balanceOf(f.alice.address);
      await hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address, amount: "100" });
      await hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address, all: true });
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(1_000));
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(0n);
    });

    it("refuses more than is liquid during a liquidity crunch, sending nothing", async function () {
      const f = await loadFixture(fundedFixture);
      await f.target.setLiquidity(f.units(100));
      await expect(
        hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address, amount: "600" }),
      ).to.be.rejectedWith("Only 500 USDC can be withdrawn now (liquidity)");
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("1000", 18));
    });

    it("takes a bounded loss from an adapter carrying one with --max-loss-bps", async function () {
      const f = await loadFixture(fundedFixture);
      await f.target.simulateLoss(f.units(6)); // 1% of the adapter's 600
      await hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address, amount: "500", maxLossBps: 100 });
      expect(await f.vault.totalIdle()).to.equal(0n);
    });

    it("refuses both or neither of --amount and --all", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address })).to.be.rejectedWith(
        "Give exactly one of --amount <assets> or --all",
      );
    });
  });
});
