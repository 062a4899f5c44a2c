/**
 * Issue 11.11: the keeper (scripts/keeper.ts) over simulated days on the in-process network: each tick's decisions
 * are checked (report beyond the threshold, a loss at once, harvest on the interval, allocation toward the target
 * weights within the buffer, queue service and the release it needs), and what it must not do: send while the base
 * fee is above the ceiling, send from a key without the role, send in a dry run.
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  MockAsyncAdapter__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  MockRewardAdapter__factory,
  MockStakingRewards__factory,
  RedemptionQueue__factory,
  StakingAdapter__factory,
} from "../../typechain-types";
import { deploy6 } from "../helpers/fixtures";
import { keeperTick, retry, type Decision } from "../../scripts/keeper";
import { checkPolicy, loadPolicy, type KeeperPolicy } from "../../scripts/keeper/policy";

const DAY = 24 * 3600;

async function suite() {
  const f = await deploy6();
  const vault = await f.vault.getAddress();
  const stg = await new MockERC20__factory(f.owner).deploy("Stargate", "STG", 18);
  const target2 = await new MockERC4626Target__factory(f.owner).deploy(await f.asset.getAddress());
  const rewardAdapter = await new MockRewardAdapter__factory(f.owner).deploy(vault, await target2.getAddress());
  await rewardAdapter.setRewardTokens([await stg.getAddress()]);
  await f.vault.connect(f.curator).addAdapter(await rewardAdapter.getAddress(), f.units(1_000_000), 10_000);
  const queue = await new RedemptionQueue__factory(f.owner).deploy(vault);
  await f.vault.setRedemptionQueue(await queue.getAddress());
  // The keeper's key holds both roles it needs: keeper (reports, harvests) and allocator (allocation, releases).
  await f.vault.setAllocator(f.keeper.address, true);
  const adapter = await f.adapter.getAddress();
  const reward = await rewardAdapter.getAddress();
  const policy: KeeperPolicy = checkPolicy({
    baseFeeCeilingGwei: 50,
    pollSeconds: 60,
    vaults: [
      {
        vault,
        queue: await queue.getAddress(),
        reportThresholdBps: 50,
        harvestIntervals: { [reward]: DAY },
        targetWeightsBps: { [adapter]: 6000, [reward]: 3000 },
        idleBufferBps: 1000,
        minAllocate: "1",
      },
    ],
  });
  await f.vault.connect(f.alice).deposit(f.units(10_000), f.alice.address);
  return { ...f, stg, target2, rewardAdapter, queue, adapterAddress: adapter, reward, policy };
}

const quiet = { log: () => undefined };
const acted = (ds: Decision[]) => ds.filter((d) => d.action !== "none");

describe("keeper (issue 11.11)", function () {
  it("day 0: allocates idle toward the target weights, keeping the idle buffer, then harvests", async function () {
    const f = await loadFixture(suite);
    const ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    const allocations = ds.filter((d) => d.action === "allocate");
    expect(allocations.map((d) => [d.adapter, d.amount, d.outcome])).to.deep.equal([
      [f.adapterAddress, f.units(6_000), "sent"],
      [f.reward, f.units(3_000), "sent"],
    ]);
    expect(await f.vault.totalIdle()).to.equal(f.units(1_000)); // the 10% buffer
    // Harvests come before allocation in a tick: an adapter with nothing allocated is not harvested yet.
    expect(ds.find((d) => d.adapter === f.reward && /harvest/.test(d.reason))?.reason).to.equal(
      "no harvest: nothing allocated to it",
    );
    const next = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    const harvest = next.find((d) => d.action === "harvest");
    expect(harvest?.outcome).to.equal("sent");
    expect(harvest?.reason).to.equal("never harvested; interval 1d");
  });

  it("over days: no report below the threshold, a report beyond it, a loss at once, harvests on the interval", async function () {
    const f = await loadFixture(suite);
    await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });

    // Day 1: +6 on 6,000 (10 bps) is below the 50 bps threshold; the harvest interval has passed again.
    await time.increase(DAY);
    await f.asset.mint(await f.target.getAddress(), f.units(6));
    let ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    expect(ds.some((d) => d.action === "report")).to.equal(false);
    expect(ds.find((d) => d.adapter === f.adapterAddress && d.action === "none")?.reason).to.match(/no report/);
    expect(ds.find((d) => d.action === "harvest")?.outcome).to.equal("sent");

    // Day 1 + 1 h: the harvest interval has not passed; the gain reaches 110 bps: reported.
    await time.increase(3600);
    await f.asset.mint(await f.target.getAddress(), f.units(60));
    ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    expect(ds.some((d) => d.action === "harvest")).to.equal(false);
    const report = ds.find((d) => d.action === "report");
    expect(report?.adapter).to.equal(f.adapterAddress);
    expect(report?.reason).to.match(/^gain of ~?6[56]\.\d* TKN \(10\d bps >= 50 bps\)$/);
    expect(report?.outcome).to.equal("sent");
    const [, debt] = await f.vault.adapterConfig(f.adapterAddress);
    expect(debt).to.be.greaterThan(f.units(6_065));

    // Day 2: a loss of 1 on 3,000 (3 bps) is reported at once, threshold or not.
    await time.increase(DAY);
    await f.target2.simulateLoss(f.units(1));
    ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    const loss = ds.find((d) => d.action === "report");
    expect(loss?.adapter).to.equal(f.reward);
    expect(loss?.reason).to.match(/^loss of .* TKN: reported at once$/);
  });

  it("serves the queue: keeps idle for queued demand, settles a closed window pro rata with what the vault can pay, then the rest", async function () {
    const f = await loadFixture(suite);
    await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    // Both targets lend everything out: only the 1,000 idle is liquid, and alice queues 2,500.
    await f.target.setLiquidity(0);
    await f.target2.setLiquidity(0);
    await f.vault.connect(f.alice).approve(await f.queue.getAddress(), ethers.MaxUint256);
    const requested = ethers.parseUnits("2500", 18);
    await f.queue.connect(f.alice).requestRedeem(requested, f.alice.address, f.alice.address);
    await f.vault.connect(f.bob).deposit(f.units(500), f.bob.address); // new idle the keeper must not allocate

    // The request's window is still open: nothing can be settled yet, and its demand is kept idle.
    let ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    expect(ds.some((d) => d.action === "settle")).to.equal(false, "the request's window is open");
    expect(ds.some((d) => /wait in the open window, settleable in /.test(d.reason))).to.equal(true);
    expect(ds.some((d) => d.action === "allocate")).to.equal(false, "queued demand is not allocated away");
    expect(await f.vault.totalIdle()).to.equal(f.units(1_500));

    // The window closes: the keeper settles what the vault can pay (the 1,500 idle), the rest keeps waiting.
    await time.increaseTo(await f.queue.windowClosesAt());
    ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    const partial = ds.find((d) => d.action === "settle");
    expect([partial?.amount, partial?.outcome]).to.deep.equal([f.units(1_500), "sent"]);
    expect(await f.queue.claimableRedeemRequest(0, f.alice.address)).to.equal(ethers.parseUnits("1500", 18));
    expect(await f.queue.pendingShares()).to.equal(ethers.parseUnits("1000", 18));
    expect(ds.some((d) => d.action === "allocate")).to.equal(false);

    // Nothing more is payable: no settlement is sent, the keeper says why.
    ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    expect(ds.some((d) => d.action === "settle")).to.equal(false);
    expect(ds.some((d) => /can pay none of the 1,000 shares waiting in closed windows/.test(d.reason))).to.equal(true);

    // The borrowers repay: the keeper settles the rest.
    await f.target.setLiquidity(ethers.MaxUint256);
    ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    expect(ds.find((d) => d.action === "settle")?.outcome).to.equal("sent");
    expect(await f.queue.pendingShares()).to.equal(0n);
    expect(await f.queue.claimableRedeemRequest(0, f.alice.address)).to.equal(requested);
  });

  it("starts a release on an asynchronous adapter for queued demand the vault cannot pay", async function () {
    const f = await loadFixture(suite);
    const lockedTarget = await new MockERC4626Target__factory(f.owner).deploy(await f.asset.getAddress());
    const asyncAdapter = await new MockAsyncAdapter__factory(f.owner).deploy(
      await f.vault.getAddress(),
      await lockedTarget.getAddress(),
    );
    const asyncAddress = await asyncAdapter.getAddress();
    await f.vault.connect(f.curator).addAdapter(asyncAddress, f.units(1_000_000), 10_000);
    await f.vault.connect(f.allocator).allocate(asyncAddress, f.units(9_000));
    await lockedTarget.setLiquidity(0); // locked: nothing releasable until a release is prepared
    await f.vault.connect(f.alice).approve(await f.queue.getAddress(), ethers.MaxUint256);
    await f.queue.connect(f.alice).requestRedeem(ethers.parseUnits("4000", 18), f.alice.address, f.alice.address);

    const ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    const release = ds.find((d) => d.action === "prepareRelease");
    expect(release?.adapter).to.equal(asyncAddress);
    expect(release?.amount).to.equal(f.units(3_000)); // 4,000 queued, 1,000 idle
    expect(release?.outcome).to.equal("sent");
    expect(await asyncAdapter.lastPrepared()).to.equal(f.units(3_000));
    // What the release frees is reserved for the queue, on top of the 1,000 idle the request reserved (issue 13.3).
    expect(await f.vault.queueReserve()).to.equal(f.units(4_000));

    // Under way: the next tick does not start it again.
    await asyncAdapter.setPendingRelease(f.units(3_000), BigInt(await time.latest()) + BigInt(DAY));
    const next = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    expect(next.some((d) => d.action === "prepareRelease")).to.equal(false);
    const notes = next.filter((d) => d.adapter === asyncAddress && d.action === "none").map((d) => d.reason);
    expect(notes).to.include("release of 3,000 TKN already under way");
  });

  it("deallocates from a synchronous adapter whose target has liquidity for queued demand the vault cannot pay", async function () {
    const f = await loadFixture(suite);
    await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet }); // 6,000 / 3,000 allocated, 1,000 idle
    // No idle buffer here: only the queue's demand moves assets.
    const policy = checkPolicy({ ...f.policy, vaults: [{ ...f.policy.vaults[0], idleBufferBps: 0 }] });
    await f.vault.connect(f.alice).approve(await f.queue.getAddress(), ethers.MaxUint256);
    await f.queue.connect(f.alice).requestRedeem(ethers.parseUnits("2500", 18), f.alice.address, f.alice.address);

    const ds = await keeperTick(hre, policy, { from: f.keeper.address, ...quiet });
    const deallocations = ds.filter((d) => d.action === "deallocate");
    expect(deallocations.map((d) => [d.adapter, d.amount, d.reason, d.outcome])).to.deep.equal([
      [f.adapterAddress, f.units(1_500), "queued demand of 2,500 TKN the vault cannot pay", "sent"],
    ]);
    expect(ds.some((d) => d.action === "prepareRelease")).to.equal(false, "an ERC-4626 adapter is synchronous");
    expect((await f.vault.adapterConfig(f.adapterAddress))[1]).to.equal(f.units(4_500));
    expect(await f.vault.totalIdle()).to.equal(f.units(2_500));

    // The window closes: the queue is paid in full from what was freed, with nothing more deallocated.
    await time.increaseTo(await f.queue.windowClosesAt());
    const next = await keeperTick(hre, policy, { from: f.keeper.address, ...quiet });
    expect(next.find((d) => d.action === "settle")?.amount).to.equal(f.units(2_500));
    expect(next.some((d) => d.action === "deallocate")).to.equal(false);
    expect(await f.queue.pendingShares()).to.equal(0n);
  });

  it("restores the idle buffer after withdrawals from synchronous adapters, loss-free first", async function () {
    const f = await loadFixture(suite);
    await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet }); // 6,000 / 3,000 allocated, 1,000 idle
    // A staking adapter (cannot lose, synchronous: no cooldown) holding 500 moved from the ERC-4626 adapter.
    const staking = await new MockStakingRewards__factory(f.owner).deploy(
      f.owner.address,
      f.owner.address,
      await f.stg.getAddress(),
      await f.asset.getAddress(),
    );
    const stakingAdapter = await new StakingAdapter__factory(f.owner).deploy(
      await f.vault.getAddress(),
      await staking.getAddress(),
      false,
    );
    const stakingAddress = await stakingAdapter.getAddress();
    await f.vault.connect(f.curator).addAdapter(stakingAddress, f.units(1_000_000), 10_000);
    await f.vault.connect(f.allocator).deallocate(f.adapterAddress, f.units(500));
    await f.vault.connect(f.allocator).allocate(stakingAddress, f.units(500));

    // Alice withdraws 800: idle 200 of 9,200, below the 10% buffer (920) by 720.
    await f.vault.connect(f.alice).withdraw(f.units(800), f.alice.address, f.alice.address);
    expect(await f.vault.totalIdle()).to.equal(f.units(200));
    const lines: string[] = [];
    const ds = await keeperTick(hre, f.policy, { from: f.keeper.address, log: (l) => lines.push(l) });
    const why = "idle 200 TKN is below the buffer of 920 TKN (1000 bps of 9,200 TKN)";
    expect(
      ds.filter((d) => d.action === "deallocate").map((d) => [d.adapter, d.amount, d.reason, d.outcome]),
    ).to.deep.equal([
      [stakingAddress, f.units(500), `${why}: restore it (loss-free adapter first)`, "sent"],
      [f.adapterAddress, f.units(220), `${why}: restore it`, "sent"],
    ]);
    expect(
      lines.some((l) => l.startsWith("[sent]") && l.includes(`deallocate ${stakingAddress} 500 TKN: ${why}`)),
    ).to.equal(true);
    expect(await f.vault.totalIdle()).to.equal(f.units(920));
    expect((await f.vault.adapterConfig(stakingAddress))[1]).to.equal(0n);
    expect((await f.vault.adapterConfig(f.adapterAddress))[1]).to.equal(f.units(5_280));
    expect(ds.some((d) => d.action === "allocate")).to.equal(false, "the restored buffer is not allocated again");

    // At the buffer: the next tick moves nothing.
    const next = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    expect(acted(next).filter((d) => d.action === "deallocate" || d.action === "allocate")).to.deep.equal([]);
  });

  it("sends no release below minRelease (issue 11.11: dust releases)", async function () {
    const f = await loadFixture(suite);
    const policy = checkPolicy({ ...f.policy, vaults: [{ ...f.policy.vaults[0], minRelease: "100" }] });
    await keeperTick(hre, policy, { from: f.keeper.address, ...quiet }); // 6,000 / 3,000 allocated, 1,000 idle

    // Idle 950 of 9,950: 45 below the buffer (995), under minRelease: nothing sent, the keeper says why.
    await f.vault.connect(f.alice).withdraw(f.units(50), f.alice.address, f.alice.address);
    let ds = await keeperTick(hre, policy, { from: f.keeper.address, ...quiet });
    expect(ds.some((d) => d.action === "deallocate")).to.equal(false);
    expect(ds.find((d) => /minRelease/.test(d.reason))).to.deep.include({
      action: "none",
      adapter: f.adapterAddress,
      reason: "no deallocate of 45 TKN: below minRelease 100 TKN",
    });
    expect((await f.vault.adapterConfig(f.adapterAddress))[1]).to.equal(f.units(6_000));

    // 150 more: 180 below the buffer (980), above minRelease: deallocated.
    await f.vault.connect(f.alice).withdraw(f.units(150), f.alice.address, f.alice.address);
    ds = await keeperTick(hre, policy, { from: f.keeper.address, ...quiet });
    expect(ds.filter((d) => d.action === "deallocate").map((d) => [d.adapter, d.amount, d.outcome])).to.deep.equal([
      [f.adapterAddress, f.units(180), "sent"],
    ]);
    expect(await f.vault.totalIdle()).to.equal(f.units(980));

    // A prepareRelease for queued demand below minRelease is not sent either.
    const lockedTarget = await new MockERC4626Target__factory(f.owner).deploy(await f.asset.getAddress());
    const asyncAdapter = await new MockAsyncAdapter__factory(f.owner).deploy(
      await f.vault.getAddress(),
      await lockedTarget.getAddress(),
    );
    const asyncAddress = await asyncAdapter.getAddress();
    await f.vault.connect(f.curator).addAdapter(asyncAddress, f.units(1_000_000), 10_000);
    await f.vault.connect(f.allocator).allocate(asyncAddress, f.units(900)); // idle 80
    await lockedTarget.setLiquidity(0);
    await f.target.setLiquidity(0);
    await f.target2.setLiquidity(0);
    await f.vault.connect(f.alice).approve(await f.queue.getAddress(), ethers.MaxUint256);
    await f.queue.connect(f.alice).requestRedeem(ethers.parseUnits("130", 18), f.alice.address, f.alice.address);
    ds = await keeperTick(hre, policy, { from: f.keeper.address, ...quiet });
    expect(ds.some((d) => d.action === "prepareRelease")).to.equal(false);
    expect(ds.map((d) => d.reason)).to.include("no prepareRelease of 50 TKN: below minRelease 100 TKN");
    expect(await asyncAdapter.lastPrepared()).to.equal(0n);
  });

  it("sends nothing while the base fee is above the ceiling", async function () {
    const f = await loadFixture(suite);
    await hre.network.provider.send("hardhat_setNextBlockBaseFeePerGas", ["0x" + (100n * 10n ** 9n).toString(16)]);
    await hre.network.provider.send("evm_mine", []);
    const ds = await keeperTick(hre, f.policy, { from: f.keeper.address, ...quiet });
    expect(acted(ds).length).to.be.greaterThan(0);
    for (const d of acted(ds)) {
      expect(d.outcome).to.equal("skipped");
      expect(d.reason).to.match(/base fee 100 gwei above the ceiling 50 gwei/);
    }
    expect(await f.vault.totalIdle()).to.equal(f.units(10_000));
  });

  it("never sends from a key without the role", async function () {
    const f = await loadFixture(suite);
    const ds = await keeperTick(hre, f.policy, { from: f.bob.address, ...quiet });
    for (const d of acted(ds)) {
      expect(d.outcome).to.equal("skipped");
      expect(d.reason).to.include(`${f.bob.address} lacks the`);
    }
    expect(await f.vault.totalIdle()).to.equal(f.units(10_000));
    expect(await f.vault.lastHarvest(f.reward)).to.equal(0n);
  });

  it("--dry-run decides and logs, and sends nothing", async function () {
    const f = await loadFixture(suite);
    const lines: string[] = [];
    const ds = await keeperTick(hre, f.policy, { from: f.keeper.address, dryRun: true, log: (l) => lines.push(l) });
    expect(acted(ds).map((d) => [d.action, d.outcome])).to.deep.equal([
      ["allocate", "dry-run"],
      ["allocate", "dry-run"],
    ]);
    expect(lines.some((l) => l.startsWith("[dry-run]") && l.includes("allocate"))).to.equal(true);
    expect(await f.vault.totalIdle()).to.equal(f.units(10_000));
  });

  it("retries transient RPC errors but not reverts", async function () {
    let calls = 0;
    expect(
      await retry(async () => {
        if (++calls < 3) throw new Error("read ECONNRESET");
        return "ok";
      }),
    ).to.equal("ok");
    expect(calls).to.equal(3);
    calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw new Error("execution reverted");
      }),
    ).to.be.rejectedWith("execution reverted");
    expect(calls).to.equal(1);
  });

  it("ships a valid policy for the local node", function () {
    const policy = loadPolicy("keeper/policies/localL2.json");
    expect(policy.vaults.length).to.be.greaterThan(0);
    expect(() => checkPolicy({ ...policy, vaults: [{ ...policy.vaults[0], idleBufferBps: 20_000 }] })).to.throw(
      "idleBufferBps must be an integer within 0..10000 bps",
    );
    expect(policy.vaults.every((v) => v.minRelease !== undefined)).to.equal(true);
    expect(() => checkPolicy({ ...policy, vaults: [{ ...policy.vaults[0], minRelease: "ten" }] })).to.throw(
      'vaults[0].minRelease must be an amount in asset units, e.g. "10".',
    );
  });
});
