import { expect } from "chai";
import { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import {
  IERC20__factory,
  MockERC20__factory,
  RecordingRewardsDistributor__factory,
  RevertingStargateRewarder__factory,
  MockWETH__factory,
  StargatePoolUSDC__factory,
  StargateV2Adapter__factory,
  type IERC20,
  type IRollupVault,
  type LPToken,
  type MockERC20,
  type RecordingRewardsDistributor,
  type MockWETH,
  type StargateMultiRewarder,
  type StargatePoolNative,
  type StargatePoolUSDC,
  type StargateStaking,
  type StargateV2Adapter,
} from "../../typechain-types";
import { deployVault, getRoles, type Roles } from "../helpers/fixtures";
import {
  LOCAL_EID,
  POOL_PAUSED,
  REMOTE_EID,
  creditOf,
  deployStargateNetwork,
  mintUsdc,
  moveCredit,
  provideLiquidity,
  setPoolPaused,
  startFarmReward,
  stopFarmReward,
  taxi,
  type PoolKind,
  type StargateNetwork,
} from "../helpers/stargate";

/**
 * The adapter over the REAL Stargate V2 contracts (official bytecode of @stargatefinance/stg-evm-v2, Circle's
 * FiatTokenV2_2 as the USDC, LayerZero's EndpointV2Mock between two endpoint ids of this chain): see
 * test/helpers/stargate.ts. Liquidity moves only as on a real chain: the planner's sendCredits takes local credit away
 * and brings it back, bridgers from the far side are paid out of the local pool, other LPs deposit and redeem.
 */

const DAY = 86_400;
const REWARD_PERIOD = 100 * DAY;
const MAX_CAP = 2n ** 128n - 1n;

type StargateFixture = Roles & {
  net: StargateNetwork;
  kind: PoolKind;
  vault: IRollupVault;
  asset: IERC20;
  weth: MockWETH;
  pool: StargatePoolUSDC | StargatePoolNative;
  lp: LPToken;
  staking: StargateStaking;
  rewarder: StargateMultiRewarder;
  adapter: StargateV2Adapter;
  distributor: RecordingRewardsDistributor;
  stg: MockERC20;
  op: MockERC20;
  units: (n: number | string) => bigint;
  /** Gives `amount` of the vault's asset to `to` (mint real USDC, or wrap ETH for WETH). */
  fund: (to: string, amount: bigint) => Promise<void>;
};

async function finishFixture(roles: Roles, vault: IRollupVault, pool: string, net: StargateNetwork, weth: MockWETH) {
  const adapter = await new StargateV2Adapter__factory(roles.owner).deploy(
    await vault.getAddress(),
    pool,
    await net.staking.getAddress(),
    await weth.getAddress(),
  );
  await vault.connect(roles.curator).addAdapter(await adapter.getAddress(), MAX_CAP, 10_000);
  const distributor = await new RecordingRewardsDistributor__factory(roles.owner).deploy();
  await vault.setRewardsDistributor(await distributor.getAddress());
  return { adapter, distributor };
}

/**
 * A 6-decimal vault over the real USDC of the local side and its StargatePoolUSDC. The ONE MultiRewarder pays the
 * USDC LP STG (2/s shared half and half with the ETH LP: 1/s here), OP (0.5/s) and native ETH (0.00001/s).
 */
async function deployUsdc(): Promise<StargateFixture> {
  const roles = await getRoles();
  const net = await deployStargateNetwork();
  const usdc = net.local.usdc;
  const weth = await new MockWETH__factory(roles.owner).deploy();
  const vault = await deployVault(usdc as unknown as MockERC20, roles);
  const usdcLp = await net.local.usdcLp.getAddress();
  const ethLp = await net.local.nativeLp.getAddress();
  const period = BigInt(REWARD_PERIOD);
  await startFarmReward(net, net.stg, [usdcLp, ethLp], [1, 1], ethers.parseEther("2") * period, REWARD_PERIOD);
  await startFarmReward(net, net.op, [usdcLp], [1], ethers.parseEther("0.5") * period, REWARD_PERIOD);
  const ethPerSecond = ethers.parseEther("0.00001");
  await startFarmReward(net, ethers.ZeroAddress, [usdcLp], [1], ethPerSecond * period, REWARD_PERIOD);
  const { adapter, distributor } = await finishFixture(roles, vault, await net.local.usdcPool.getAddress(), net, weth);
  const units = (n: number | string) => ethers.parseUnits(n.toString(), 6);
  const fund = (to: string, amount: bigint) => mintUsdc(net, net.local, to, amount);
  for (const user of [roles.alice, roles.bob, roles.carol]) {
    await fund(user.address, units(1_000_000));
    await usdc.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
  }
  const asset = IERC20__factory.connect(await usdc.getAddress(), roles.owner);
  return {
    ...roles,
    net,
    kind: "usdc",
    vault,
    asset,
    weth,
    pool: net.local.usdcPool,
    lp: net.local.usdcLp,
    staking: net.staking,
    rewarder: net.rewarder,
    stg: net.stg,
    op: net.op,
    adapter,
    distributor,
    units,
    fund,
  };
}

/** An 18-decimal WETH vault over the real native ETH pool (6 shared decimals); the farm pays STG and native ETH. */
async function deployWeth(): Promise<StargateFixture> {
  const roles = await getRoles();
  const net = await deployStargateNetwork();
  const weth = await new MockWETH__factory(roles.owner).deploy();
  const vault = await deployVault(weth as unknown as MockERC20, roles);
  const ethLp = await net.local.nativeLp.getAddress();
  const period = BigInt(REWARD_PERIOD);
  await startFarmReward(net, net.stg, [ethLp], [1], ethers.parseEther("1") * period, REWARD_PERIOD);
  const ethPerSecond = ethers.parseEther("0.00001");
  await startFarmReward(net, ethers.ZeroAddress, [ethLp], [1], ethPerSecond * period, REWARD_PERIOD);
  const { adapter, distributor } = await finishFixture(
    roles,
    vault,
    await net.local.nativePool.getAddress(),
    net,
    weth,
  );
  const units = (n: number | string) => ethers.parseEther(n.toString());
  const fund = async (to: string, amount: bigint) => {
    const signer = await ethers.getSigner(to);
    await weth.connect(signer).deposit({ value: amount });
  };
  for (const user of [roles.alice, roles.bob, roles.carol]) {
    await fund(user.address, units(100));
    await weth.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
  }
  const asset = IERC20__factory.connect(await weth.getAddress(), roles.owner);
  return {
    ...roles,
    net,
    kind: "native",
    vault,
    asset,
    weth,
    pool: net.local.nativePool,
    lp: net.local.nativeLp,
    staking: net.staking,
    rewarder: net.rewarder,
    stg: net.stg,
    op: net.op,
    adapter,
    distributor,
    units,
    fund,
  };
}

/** The planner moves `amount` of the local pool's credit to the far side: local LPs can redeem that much less. */
async function creditAway(f: StargateFixture, amount: bigint) {
  await moveCredit(f.net, "local", f.kind, LOCAL_EID, amount);
}

/** The planner brings `amount` of the local pool's credit back from the far side. */
async function creditBack(f: StargateFixture, amount: bigint) {
  await moveCredit(f.net, "remote", f.kind, LOCAL_EID, amount);
}

/** Rewards the rewarder pushed to `user` in the transaction, by token (native ETH under address(0)). */
async function pushedIn(
  tx: ContractTransactionResponse,
  rewarder: StargateMultiRewarder,
  user: string,
): Promise<Map<string, bigint>> {
  const receipt = await tx.wait();
  const pushed = new Map<string, bigint>();
  for (const log of receipt!.logs) {
    if (log.address !== (await rewarder.getAddress())) continue;
    const parsed = rewarder.interface.parseLog(log);
    if (parsed?.name !== "RewardsClaimed" || parsed.args.user !== user) continue;
    parsed.args.rewardTokens.forEach((token: string, i: number) => {
      pushed.set(token, (pushed.get(token) ?? 0n) + parsed.args.amounts[i]);
    });
  }
  return pushed;
}

function addInto(total: Map<string, bigint>, more: Map<string, bigint>) {
  for (const [token, amount] of more) total.set(token, (total.get(token) ?? 0n) + amount);
}

async function depositAndAllocate(f: StargateFixture, deposit: bigint, allocate: bigint) {
  await f.vault.connect(f.alice).deposit(deposit, f.alice.address);
  return f.vault.connect(f.allocator).allocate(await f.adapter.getAddress(), allocate);
}

async function staked(f: StargateFixture) {
  return f.staking.balanceOf(await f.lp.getAddress(), await f.adapter.getAddress());
}

describe("StargateV2Adapter", function () {
  // ================================================================== construction

  describe("construction", function () {
    it("records the pool, farm, LP token and WETH of an ERC-20 pool, with no reward token listed yet", async function () {
      const f = await loadFixture(deployUsdc);
      expect(await f.adapter.POOL()).to.equal(await f.pool.getAddress());
      expect(await f.adapter.STAKING()).to.equal(await f.staking.getAddress());
      expect(await f.adapter.LP_TOKEN()).to.equal(await f.lp.getAddress());
      expect(await f.adapter.WETH()).to.equal(await f.weth.getAddress());
      expect(await f.adapter.NATIVE()).to.equal(false);
      expect(await f.adapter.CONVERT_RATE()).to.equal(1n);
      expect(await f.adapter.vault()).to.equal(await f.vault.getAddress());
      expect(await f.adapter.asset()).to.equal(await f.asset.getAddress());
      expect(await f.adapter.exited()).to.equal(false);
      // issue 9.3: WETH is no longer pre-listed over a USDC vault.
      expect(await f.adapter.rewardTokens()).to.deep.equal([]);
    });

    it("records native mode and a 10^12 convert rate for the native ETH pool behind a WETH vault", async function () {
      const f = await loadFixture(deployWeth);
      expect(await f.adapter.NATIVE()).to.equal(true);
      expect(await f.adapter.CONVERT_RATE()).to.equal(10n ** 12n);
      expect(await f.adapter.rewardTokens()).to.deep.equal([]);
    });

    it("reverts with ZeroAddress for a zero vault", async function () {
      const f = await loadFixture(deployUsdc);
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(ethers.ZeroAddress, f.pool, f.staking, f.weth)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("reverts with ZeroAddress for a zero pool", async function () {
      const f = await loadFixture(deployUsdc);
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(f.vault, ethers.ZeroAddress, f.staking, f.weth)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("reverts with ZeroAddress for a zero staking farm", async function () {
      const f = await loadFixture(deployUsdc);
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(f.vault, f.pool, ethers.ZeroAddress, f.weth)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("reverts with ZeroAddress for a zero WETH", async function () {
      const f = await loadFixture(deployUsdc);
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(f.vault, f.pool, f.staking, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("reverts with AssetMismatch when the ERC-20 pool holds another token than the vault's asset", async function () {
      const f = await loadFixture(deployUsdc);
      // The far side's pool holds the far side's USDC, another token.
      const otherPool = f.net.remote.usdcPool;
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(f.vault, otherPool, f.staking, f.weth))
        .to.be.revertedWithCustomError(factory, "AssetMismatch")
        .withArgs(await f.asset.getAddress(), await f.net.remote.usdc.getAddress());
    });

    it("reverts with AssetMismatch when a native ETH pool is given to a vault whose asset is not WETH", async function () {
      const f = await loadFixture(deployUsdc);
      const nativePool = f.net.local.nativePool;
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(f.vault, nativePool, f.staking, f.weth))
        .to.be.revertedWithCustomError(factory, "AssetMismatch")
        .withArgs(await f.asset.getAddress(), await f.weth.getAddress());
    });

    it("reverts with LpNotStakable when the farm has no staking pool for the LP token", async function () {
      const f = await loadFixture(deployUsdc);
      const unstakable = await new StargatePoolUSDC__factory(f.owner).deploy(
        "USDC-LP",
        "S*USDC",
        await f.asset.getAddress(),
        6,
        6,
        await f.net.local.endpoint.getAddress(),
        f.owner.address,
      );
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(f.vault, unstakable, f.staking, f.weth))
        .to.be.revertedWithCustomError(factory, "LpNotStakable")
        .withArgs(await unstakable.lpToken());
    });
  });

  // ================================================================== access control

  describe("access control", function () {
    it("reverts with NotVault when anyone but the vault calls allocate", async function () {
      const f = await loadFixture(deployUsdc);
      await expect(f.adapter.connect(f.attacker).allocate(1))
        .to.be.revertedWithCustomError(f.adapter, "NotVault")
        .withArgs(f.attacker.address);
    });

    it("reverts with NotVault when anyone but the vault calls deallocate, leaving the position untouched", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(100));
      await expect(f.adapter.connect(f.attacker).deallocate(f.units(100)))
        .to.be.revertedWithCustomError(f.adapter, "NotVault")
        .withArgs(f.attacker.address);
      expect(await staked(f)).to.equal(f.units(100));
    });

    it("reverts with NotVault when anyone but the vault calls harvest, leaving held rewards in place", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(50));
      await time.increase(100);
      await f.vault.connect(f.allocator).allocate(f.adapter, f.units(50)); // pushes STG
      const held = await f.stg.balanceOf(f.adapter);
      expect(held).to.be.gt(0n);
      await expect(f.adapter.connect(f.attacker).harvest(f.attacker.address))
        .to.be.revertedWithCustomError(f.adapter, "NotVault")
        .withArgs(f.attacker.address);
      expect(await f.stg.balanceOf(f.adapter)).to.equal(held);
    });

    it("reverts with Unauthorized when an outsider calls emergencyExit, leaving the LP staked", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(100));
      await expect(f.adapter.connect(f.attacker).emergencyExit())
        .to.be.revertedWithCustomError(f.adapter, "Unauthorized")
        .withArgs(f.attacker.address);
      expect(await f.adapter.exited()).to.equal(false);
      expect(await staked(f)).to.equal(f.units(100));
    });

    it("reverts with Unauthorized when the allocator calls emergencyExit", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(100));
      await expect(f.adapter.connect(f.allocator).emergencyExit())
        .to.be.revertedWithCustomError(f.adapter, "Unauthorized")
        .withArgs(f.allocator.address);
      expect(await f.adapter.exited()).to.equal(false);
    });

    it("lets the guardian exit: LP leaves the farm, stays in the adapter and still counts", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(100));
      await expect(f.adapter.connect(f.guardian).emergencyExit())
        .to.emit(f.adapter, "EmergencyExited")
        .withArgs(f.guardian.address, f.units(100));
      expect(await f.adapter.exited()).to.equal(true);
      expect(await staked(f)).to.equal(0n);
      expect(await f.lp.balanceOf(f.adapter)).to.equal(f.units(100));
      expect(await f.adapter.totalAssets()).to.equal(f.units(100));
      expect(await f.adapter.releasable()).to.equal(f.units(100));
    });

    it("lets the owner exit", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(100));
      await f.adapter.connect(f.owner).emergencyExit();
      expect(await f.adapter.exited()).to.equal(true);
    });

    it("lets the vault itself exit", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(100));
      const vaultAddress = await f.vault.getAddress();
      await impersonateAccount(vaultAddress);
      await setBalance(vaultAddress, ethers.parseEther("1"));
      await f.adapter.connect(await ethers.getSigner(vaultAddress)).emergencyExit();
      expect(await f.adapter.exited()).to.equal(true);
    });

    it("an emergency exit with nothing staked only marks the adapter exited", async function () {
      const f = await loadFixture(deployUsdc);
      await expect(f.adapter.connect(f.guardian).emergencyExit())
        .to.emit(f.adapter, "EmergencyExited")
        .withArgs(f.guardian.address, 0);
      expect(await f.adapter.exited()).to.equal(true);
      expect(await f.adapter.totalAssets()).to.equal(0n);
    });

    it("reverts with AlreadyExited on a second emergency exit", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(100));
      await f.adapter.connect(f.guardian).emergencyExit();
      await expect(f.adapter.connect(f.guardian).emergencyExit()).to.be.revertedWithCustomError(
        f.adapter,
        "AlreadyExited",
      );
      expect(await f.lp.balanceOf(f.adapter)).to.equal(f.units(100));
    });

    it("reverts with AdapterExited when the vault allocates after the exit, leaving the vault's books as they were", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(50));
      await f.adapter.connect(f.guardian).emergencyExit();
      await expect(f.vault.connect(f.allocator).allocate(f.adapter, f.units(50))).to.be.revertedWithCustomError(
        f.adapter,
        "AdapterExited",
      );
      expect(await f.vault.totalIdle()).to.equal(f.units(50));
      expect(await f.vault.totalDebt()).to.equal(f.units(50));
    });
  });

  // ================================================================== ERC-20 pool

  describe("ERC-20 pool with a 6-decimal USDC vault", function () {
    it("allocate deposits into the pool and stakes all the LP", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(800));
      expect(await staked(f)).to.equal(f.units(800));
      expect(await f.lp.balanceOf(f.adapter)).to.equal(0n);
      expect(await f.asset.balanceOf(f.adapter)).to.equal(0n);
      expect(await creditOf(f.net.local, "usdc", LOCAL_EID)).to.equal(f.units(800));
      expect(await f.pool.redeemable(ethers.ZeroAddress)).to.equal(f.units(800));
      expect(await f.adapter.totalAssets()).to.equal(f.units(800));
      expect(await f.adapter.releasable()).to.equal(f.units(800));
    });

    it("keeps the rewards the farm pushes during a second allocation", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(500));
      await time.increase(1_000);
      const tx = await f.vault.connect(f.allocator).allocate(f.adapter, f.units(500));
      const pushed = await pushedIn(tx, f.rewarder, await f.adapter.getAddress());
      expect(pushed.get(await f.stg.getAddress())).to.be.gt(0n);
      expect(await f.stg.balanceOf(f.adapter)).to.equal(pushed.get(await f.stg.getAddress()));
      expect(await f.op.balanceOf(f.adapter)).to.equal(pushed.get(await f.op.getAddress()));
      expect(await ethers.provider.getBalance(f.adapter)).to.equal(pushed.get(ethers.ZeroAddress));
      // Rewards are not the asset: they do not count in totalAssets.
      expect(await f.adapter.totalAssets()).to.equal(f.units(1_000));
    });

    it("deallocate unstakes only what is needed and sends it to the vault", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await f.vault.connect(f.allocator).deallocate(f.adapter, f.units(300));
      expect(await staked(f)).to.equal(f.units(700));
      expect(await f.vault.totalIdle()).to.equal(f.units(300));
      expect(await f.asset.balanceOf(f.vault)).to.equal(f.units(300));
      expect(await f.asset.balanceOf(f.adapter)).to.equal(0n);
      expect(await f.adapter.totalAssets()).to.equal(f.units(700));
    });

    it("deallocate pays from loose assets first without touching the stake", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await f.fund(await f.adapter.getAddress(), f.units(50));
      await f.vault.connect(f.allocator).deallocate(f.adapter, f.units(30));
      expect(await staked(f)).to.equal(f.units(1_000));
      expect(await f.asset.balanceOf(f.adapter)).to.equal(f.units(20));
      expect(await f.vault.totalIdle()).to.equal(f.units(30));
    });

    it("a report finds no gain: LP does not grow in value", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await time.increase(DAY);
      await expect(f.vault.connect(f.keeper).report(f.adapter))
        .to.emit(f.vault, "Reported")
        .withArgs(await f.adapter.getAddress(), f.units(1_000), 0, 0, 0, 0, 0);
    });

    it("the planner's sendCredits shrinks releasable to the local credit and maxWithdraw to what is liquid", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(800));
      await creditAway(f, f.units(600));
      // Only credit moved: the pool still holds every token.
      expect(await f.pool.poolBalance()).to.equal(f.units(800));
      expect(await f.adapter.totalAssets()).to.equal(f.units(800));
      expect(await f.adapter.releasable()).to.equal(f.units(200));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(400));
      expect(await f.vault.liquidAssets()).to.equal(f.units(400));
    });

    it("a bridger from the far side is paid out of the local pool; releasable follows the credit, not the balance", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(800));
      await creditAway(f, f.units(600));
      // A bridger on the far side spends the path credit the planner moved there: the local pool pays 500 out.
      const got = await taxi(f.net, "remote", "usdc", f.carol, f.carol.address, f.units(500));
      expect(got).to.equal(f.units(500));
      expect(await f.pool.poolBalance()).to.equal(f.units(300));
      expect(await f.adapter.releasable()).to.equal(f.units(200));
      expect(await f.adapter.totalAssets()).to.equal(f.units(800));
      // Another LP's deposit adds local credit, and with it what the adapter can take out.
      await provideLiquidity(f.net, f.net.local, "usdc", f.bob, f.units(150));
      expect(await f.adapter.releasable()).to.equal(f.units(350));
      // So does a send from this chain (credit for the far path first comes back from the far planner).
      await moveCredit(f.net, "remote", "usdc", REMOTE_EID, f.units(100));
      await taxi(f.net, "local", "usdc", f.carol, f.carol.address, f.units(100));
      expect(await f.adapter.releasable()).to.equal(f.units(450));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(650));
      await f.vault.connect(f.alice).withdraw(f.units(650), f.alice.address, f.alice.address);
      expect(await f.adapter.releasable()).to.equal(0n);
      expect(await f.adapter.totalAssets()).to.equal(f.units(350));
    });

    it("releasable never exceeds the adapter's own LP, however much credit other LPs bring", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(100), f.units(100));
      await provideLiquidity(f.net, f.net.local, "usdc", f.bob, f.units(10_000));
      expect(await f.pool.redeemable(ethers.ZeroAddress)).to.equal(f.units(10_100));
      expect(await f.adapter.releasable()).to.equal(f.units(100));
    });

    it("withdrawals pay what is liquid while credit is away and the rest once the planner brings it back", async function () {
      const f = await loadFixture(deployUsdc);
      await f.vault.connect(f.bob).deposit(f.units(500), f.bob.address);
      await depositAndAllocate(f, f.units(500), f.units(800));
      await creditAway(f, f.units(700));
      // idle 200 + credit 100 are liquid; each holder can take at most that.
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(300));
      const before = await f.asset.balanceOf(f.alice.address);
      await f.vault.connect(f.alice).withdraw(f.units(300), f.alice.address, f.alice.address);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(300));
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(0n);
      await expect(f.vault.connect(f.bob).withdraw(f.units(1), f.bob.address, f.bob.address))
        .to.be.revertedWithCustomError(f.vault, "InsufficientLiquidity")
        .withArgs(f.units(1));

      await creditBack(f, f.units(700));
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(500));
      await f.vault.connect(f.bob).redeem(await f.vault.balanceOf(f.bob.address), f.bob.address, f.bob.address);
      await f.vault.connect(f.alice).redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
      expect(await f.asset.balanceOf(f.bob.address)).to.equal(f.units(1_000_000));
      expect(await f.asset.balanceOf(f.alice.address)).to.equal(f.units(1_000_000));
      expect(await f.adapter.totalAssets()).to.equal(0n);
    });

    it("a deallocation while the pool has no local credit returns nothing and does not revert", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await creditAway(f, f.units(1_000));
      expect(await f.adapter.releasable()).to.equal(0n);
      await expect(f.vault.connect(f.allocator).deallocate(f.adapter, f.units(100)))
        .to.emit(f.vault, "Deallocated")
        .withArgs(await f.adapter.getAddress(), f.units(100), 0);
      expect(await staked(f)).to.equal(f.units(1_000));
      expect(await f.vault.totalDebt()).to.equal(f.units(1_000));
    });

    it("a pool paused by its planner leaves only loose assets releasable and a deallocation returns them without reverting", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await f.fund(await f.adapter.getAddress(), f.units(5));
      await setPoolPaused(f.net, f.net.local, "usdc", true);
      expect(await f.pool.status()).to.equal(POOL_PAUSED);
      expect(await f.adapter.releasable()).to.equal(f.units(5));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(5));
      await expect(f.vault.connect(f.allocator).deallocate(f.adapter, f.units(100)))
        .to.emit(f.vault, "Deallocated")
        .withArgs(await f.adapter.getAddress(), f.units(100), f.units(5));
      expect(await staked(f)).to.equal(f.units(1_000));
    });
  });

  // ================================================================== emergency exit on real bridge states

  describe("emergency exit while the planner has the credit away", function () {
    it("keeps the LP counted, pays what the credit allows, and the rest once the planner brings it back", async function () {
      const f = await loadFixture(deployUsdc);
      await f.vault.connect(f.bob).deposit(f.units(400), f.bob.address);
      await depositAndAllocate(f, f.units(600), f.units(1_000));
      await creditAway(f, f.units(900));
      await taxi(f.net, "remote", "usdc", f.carol, f.carol.address, f.units(300)); // a bridger paid out of the pool
      await time.increase(DAY);
      await f.adapter.connect(f.guardian).emergencyExit();
      expect(await staked(f)).to.equal(0n);
      expect(await f.adapter.totalAssets()).to.equal(f.units(1_000));
      expect(await f.adapter.releasable()).to.equal(f.units(100));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(100));
      await f.vault.connect(f.alice).withdraw(f.units(100), f.alice.address, f.alice.address);
      expect(await f.adapter.releasable()).to.equal(0n);
      await creditBack(f, f.units(600));
      expect(await f.adapter.releasable()).to.equal(f.units(600));
      await f.vault.connect(f.alice).redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
      expect(await f.asset.balanceOf(f.alice.address)).to.equal(f.units(1_000_000));
      // Bob's 400 waits for the last 300 of credit, which bridgers leaving from here would add back.
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(f.units(100));
      expect(await f.adapter.totalAssets()).to.equal(f.units(400));
    });
  });

  // ================================================================== Circle's blacklist and pause

  describe("the real USDC's blacklist and pause", function () {
    it("an adapter blacklisted by USDC reports nothing releasable and a deallocation frees nothing, without reverting", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(800));
      await f.net.local.usdc.connect(f.net.usdcAuthority).blacklist(await f.adapter.getAddress());
      expect(await f.adapter.releasable()).to.equal(0n);
      expect(await f.adapter.totalAssets()).to.equal(f.units(800));
      // Only the idle 200 is liquid for holders.
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(200));
      await expect(f.vault.connect(f.allocator).deallocate(f.adapter, f.units(100)))
        .to.emit(f.vault, "Deallocated")
        .withArgs(await f.adapter.getAddress(), f.units(100), 0);
      await f.vault.connect(f.alice).withdraw(f.units(200), f.alice.address, f.alice.address);
      // Circle lifts the blacklist: everything is paid.
      await f.net.local.usdc.connect(f.net.usdcAuthority).unBlacklist(await f.adapter.getAddress());
      expect(await f.adapter.releasable()).to.equal(f.units(800));
      await f.vault.connect(f.alice).redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
      expect(await f.asset.balanceOf(f.alice.address)).to.equal(f.units(1_000_000));
    });

    it("a pool blacklisted by USDC cannot pay out: releasable is only what the adapter holds", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(800));
      await f.fund(await f.adapter.getAddress(), f.units(3));
      await f.net.local.usdc.connect(f.net.usdcAuthority).blacklist(await f.pool.getAddress());
      expect(await f.adapter.releasable()).to.equal(f.units(3));
      await expect(f.vault.connect(f.allocator).deallocate(f.adapter, f.units(100)))
        .to.emit(f.vault, "Deallocated")
        .withArgs(await f.adapter.getAddress(), f.units(100), f.units(3));
    });

    it("USDC paused by Circle: nothing is releasable and a deallocation frees nothing, without reverting", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(800));
      await f.net.local.usdc.connect(f.net.usdcAuthority).pause();
      expect(await f.adapter.releasable()).to.equal(0n);
      await expect(f.vault.connect(f.allocator).deallocate(f.adapter, f.units(100)))
        .to.emit(f.vault, "Deallocated")
        .withArgs(await f.adapter.getAddress(), f.units(100), 0);
      await f.net.local.usdc.connect(f.net.usdcAuthority).unpause();
      expect(await f.adapter.releasable()).to.equal(f.units(800));
    });

    it("a vault blacklisted by USDC: its own transfers revert (Circle's rule), the books stay whole and pay after", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(800));
      await f.net.local.usdc.connect(f.net.usdcAuthority).blacklist(await f.vault.getAddress());
      await expect(
        f.vault.connect(f.alice).withdraw(f.units(100), f.alice.address, f.alice.address),
      ).to.be.revertedWith("Blacklistable: account is blacklisted");
      expect(await f.vault.totalAssets()).to.equal(f.units(1_000));
      await f.net.local.usdc.connect(f.net.usdcAuthority).unBlacklist(await f.vault.getAddress());
      await f.vault.connect(f.alice).redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
      expect(await f.asset.balanceOf(f.alice.address)).to.equal(f.units(1_000_000));
    });
  });

  // ================================================================== rewards

  describe("rewards", function () {
    it("harvest forwards every reward token, native ETH as WETH, to the distributor and notifies it", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await time.increase(1_000);
      const tx = await f.vault.connect(f.keeper).harvest(f.adapter);
      const pushed = await pushedIn(tx, f.rewarder, await f.adapter.getAddress());
      const [tokens, amounts] = await f.distributor.lastNotified();
      const got = new Map(tokens.map((t, i) => [t, amounts[i]]));
      expect(got.get(await f.stg.getAddress())).to.equal(pushed.get(await f.stg.getAddress()));
      expect(got.get(await f.op.getAddress())).to.equal(pushed.get(await f.op.getAddress()));
      expect(got.get(await f.weth.getAddress())).to.equal(pushed.get(ethers.ZeroAddress));
      expect(await f.stg.balanceOf(f.distributor)).to.equal(got.get(await f.stg.getAddress()));
      expect(await f.weth.balanceOf(f.distributor)).to.equal(got.get(await f.weth.getAddress()));
      // About 1000 s of 1 STG/s (the adapter is the only staker).
      expect(got.get(await f.stg.getAddress())).to.be.closeTo(ethers.parseEther("1000"), ethers.parseEther("5"));
      expect(await f.stg.balanceOf(f.adapter)).to.equal(0n);
      expect(await f.op.balanceOf(f.adapter)).to.equal(0n);
      expect(await ethers.provider.getBalance(f.adapter)).to.equal(0n);
      expect(await f.distributor.notifications()).to.equal(1n);
      await expect(tx).to.emit(f.adapter, "RewardsHarvested");
    });

    it("rewards pushed during allocate and deallocate are not lost: the next harvest forwards them", async function () {
      const f = await loadFixture(deployUsdc);
      const total = new Map<string, bigint>();
      const adapter = await f.adapter.getAddress();
      await depositAndAllocate(f, f.units(1_000), f.units(500));
      await time.increase(500);
      addInto(
        total,
        await pushedIn(await f.vault.connect(f.allocator).allocate(f.adapter, f.units(500)), f.rewarder, adapter),
      );
      await time.increase(500);
      addInto(
        total,
        await pushedIn(await f.vault.connect(f.allocator).deallocate(f.adapter, f.units(200)), f.rewarder, adapter),
      );
      await time.increase(500);
      // A withdrawal beyond idle pulls from the adapter, which unstakes: another push.
      const exit = await f.vault.connect(f.alice).withdraw(f.units(300), f.alice.address, f.alice.address);
      addInto(total, await pushedIn(exit, f.rewarder, adapter));
      await time.increase(500);
      addInto(total, await pushedIn(await f.vault.connect(f.keeper).harvest(f.adapter), f.rewarder, adapter));

      // Everything the farm ever pushed to the adapter reached the distributor, and nothing is left behind.
      expect(await f.stg.balanceOf(f.distributor)).to.equal(total.get(await f.stg.getAddress()));
      expect(await f.op.balanceOf(f.distributor)).to.equal(total.get(await f.op.getAddress()));
      expect(await f.weth.balanceOf(f.distributor)).to.equal(total.get(ethers.ZeroAddress));
      const streamed = ethers.parseEther("1") * 2_000n;
      expect(await f.stg.balanceOf(f.distributor)).to.be.closeTo(streamed, ethers.parseEther("10"));
      expect(await f.stg.balanceOf(f.adapter)).to.equal(0n);
      expect(await f.op.balanceOf(f.adapter)).to.equal(0n);
      expect(await f.weth.balanceOf(f.adapter)).to.equal(0n);
      expect(await ethers.provider.getBalance(f.adapter)).to.equal(0n);
    });

    it("issue 9.3: 1 wei of ETH sent by a stranger does not put WETH on a USDC vault's reward list", async function () {
      const f = await loadFixture(deployUsdc);
      // No native campaign pays this LP here: stop the fixture's.
      await stopFarmReward(f.net, ethers.ZeroAddress);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await f.attacker.sendTransaction({ to: await f.adapter.getAddress(), value: 1n });
      await time.increase(100);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.adapter.rewardTokens()).to.not.include(await f.weth.getAddress());
      const [tokens] = await f.distributor.lastNotified();
      expect(tokens).to.not.include(await f.weth.getAddress());
      expect(await ethers.provider.getBalance(f.adapter)).to.equal(1n);
      expect(await f.adapter.totalAssets()).to.equal(f.units(1_000));
    });

    it("issue 9.3: ETH stuck in a USDC vault's adapter reaches the holders once the curator lists WETH", async function () {
      const f = await loadFixture(deployUsdc);
      await stopFarmReward(f.net, ethers.ZeroAddress);
      await f.alice.sendTransaction({ to: await f.adapter.getAddress(), value: ethers.parseEther("0.5") });
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.weth.balanceOf(f.distributor)).to.equal(0n);
      await expect(f.adapter.connect(f.curator).addRewardToken(f.weth))
        .to.emit(f.adapter, "RewardTokenAdded")
        .withArgs(await f.weth.getAddress());
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.weth.balanceOf(f.distributor)).to.equal(ethers.parseEther("0.5"));
      const [tokens, amounts] = await f.distributor.lastNotified();
      expect(tokens).to.deep.equal([await f.weth.getAddress()]);
      expect(amounts).to.deep.equal([ethers.parseEther("0.5")]);
    });

    it("native ETH rewards of a USDC vault's LP list WETH and leave as WETH", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await time.increase(100);
      const tx = await f.vault.connect(f.keeper).harvest(f.adapter);
      const pushed = await pushedIn(tx, f.rewarder, await f.adapter.getAddress());
      expect(await f.adapter.rewardTokens()).to.include(await f.weth.getAddress());
      expect(await f.weth.balanceOf(f.distributor)).to.equal(pushed.get(ethers.ZeroAddress));
    });

    it("forwards a reward token whose campaign the rewarder has stopped (stopReward) since it was pushed", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(500));
      await time.increase(1_000);
      await f.vault.connect(f.allocator).allocate(f.adapter, f.units(500)); // lists and pushes OP
      const held = await f.op.balanceOf(f.adapter);
      expect(held).to.be.gt(0n);
      await stopFarmReward(f.net, f.op);
      const [paying] = await f.rewarder.getRewards(f.lp, f.adapter);
      expect(paying).to.not.include(await f.op.getAddress());
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.op.balanceOf(f.distributor)).to.equal(held);
      expect(await f.op.balanceOf(f.adapter)).to.equal(0n);
    });

    it("keeps an asset-denominated reward for the share price: a report realises it as gain", async function () {
      const f = await loadFixture(deployUsdc);
      // Circle's USDC as a farm reward: minted to the rewarder's owner, which starts a campaign in it.
      const usdcAddress = await f.asset.getAddress();
      const amount = 1_000n * BigInt(REWARD_PERIOD); // 0.001 USDC per second
      await mintUsdc(f.net, f.net.local, f.net.owner.address, amount);
      await f.net.local.usdc.connect(f.net.owner).approve(f.rewarder, amount);
      await f.rewarder.connect(f.net.owner).setAllocPoints(usdcAddress, [await f.lp.getAddress()], [1]);
      const start = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(start);
      await f.rewarder.connect(f.net.owner).setReward(usdcAddress, amount, start, REWARD_PERIOD);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await time.increase(1_000);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.asset.balanceOf(f.distributor)).to.equal(0n);
      const loose = await f.asset.balanceOf(f.adapter);
      expect(loose).to.be.closeTo(f.units(1), f.units("0.01"));
      expect(await f.adapter.totalAssets()).to.equal(f.units(1_000) + loose);
      const [tokens] = await f.distributor.lastNotified();
      expect(tokens).to.not.include(usdcAddress);
      expect(await f.adapter.rewardTokens()).to.not.include(usdcAddress);
      await expect(f.vault.connect(f.keeper).report(f.adapter)).to.emit(f.vault, "Reported");
      expect(await f.vault.totalDebt()).to.equal(f.units(1_000) + loose);
    });

    it("notifies empty lists when there is nothing to forward, and lists nothing that pays nothing", async function () {
      const f = await loadFixture(deployUsdc);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      const [tokens, amounts] = await f.distributor.lastNotified();
      expect(tokens).to.deep.equal([]);
      expect(amounts).to.deep.equal([]);
      expect(await f.adapter.rewardTokens()).to.deep.equal([]);
    });

    /** Starts a campaign of a fresh token for this LP only; returns the token. */
    async function newCampaign(f: StargateFixture, name: string, duration = REWARD_PERIOD) {
      const token = await new MockERC20__factory(f.owner).deploy(name, name, 18);
      await startFarmReward(
        f.net,
        token,
        [await f.lp.getAddress()],
        [1],
        ethers.parseEther("1") * BigInt(duration),
        duration,
      );
      return token;
    }

    it("issue 9.3: rotating campaigns past MAX_REWARD_TOKENS never brick harvest; the rewarder's list is the chain's", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      const max = Number(await f.adapter.MAX_REWARD_TOKENS());
      // Fill the chain-wide list with campaigns of OTHER LPs: they pay this LP nothing and take no slot here.
      for (let i = 0; i < 4; i++) {
        const other = await new MockERC20__factory(f.owner).deploy(`X${i}`, `X${i}`, 18);
        await startFarmReward(
          f.net,
          other,
          [await f.net.local.nativeLp.getAddress()],
          [1],
          ethers.parseEther("10"),
          10,
        );
      }
      // Short campaigns for this LP, one after the other; each ends and stays listed on the rewarder.
      const rotated: MockERC20[] = [];
      for (let i = 0; rotated.length + 3 < max + 2; i++) {
        const token = await newCampaign(f, `R${i}`, 50);
        rotated.push(token);
        await time.increase(60);
        await f.vault.connect(f.keeper).harvest(f.adapter);
      }
      expect((await f.rewarder.rewardTokens()).length).to.be.gt(max);
      const listed = await f.adapter.rewardTokens();
      expect(listed).to.have.length(max);
      // The token that found the list full was skipped, not reverted: its rewards wait in the adapter.
      const last = rotated[rotated.length - 1];
      expect(listed).to.not.include(await last.getAddress());
      const stuck = await last.balanceOf(f.adapter);
      expect(stuck).to.be.gt(0n);
      // The curator prunes an ended campaign and lists the stuck token: the next harvest pays it to the holders.
      await expect(f.adapter.connect(f.curator).removeRewardToken(rotated[0]))
        .to.emit(f.adapter, "RewardTokenRemoved")
        .withArgs(await rotated[0].getAddress());
      await f.adapter.connect(f.curator).addRewardToken(last);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await last.balanceOf(f.distributor)).to.equal(stuck);
      expect(await last.balanceOf(f.adapter)).to.equal(0n);
    });

    it("issue 9.3: a token the rewarder pays while the list is full is skipped with an event", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      const max = Number(await f.adapter.MAX_REWARD_TOKENS());
      await time.increase(10);
      await f.vault.connect(f.keeper).harvest(f.adapter); // STG, OP, WETH
      for (let i = 3; i < max; i++) await f.adapter.connect(f.curator).addRewardToken(await newCampaign(f, `F${i}`));
      expect(await f.adapter.rewardTokens()).to.have.length(max);
      const newcomer = await newCampaign(f, "NEW");
      await time.increase(10);
      await expect(f.vault.connect(f.keeper).harvest(f.adapter))
        .to.emit(f.adapter, "RewardTokenSkipped")
        .withArgs(await newcomer.getAddress());
      expect(await newcomer.balanceOf(f.adapter)).to.be.gt(0n);
    });

    it("addRewardToken / removeRewardToken: curator only, clear errors, nothing changes on a refusal", async function () {
      const f = await loadFixture(deployUsdc);
      const stg = await f.stg.getAddress();
      await expect(f.adapter.connect(f.attacker).addRewardToken(stg))
        .to.be.revertedWithCustomError(f.adapter, "Unauthorized")
        .withArgs(f.attacker.address);
      await expect(f.adapter.connect(f.owner).addRewardToken(stg))
        .to.be.revertedWithCustomError(f.adapter, "Unauthorized")
        .withArgs(f.owner.address);
      for (const bad of [ethers.ZeroAddress, await f.asset.getAddress(), await f.lp.getAddress()]) {
        await expect(f.adapter.connect(f.curator).addRewardToken(bad))
          .to.be.revertedWithCustomError(f.adapter, "InvalidRewardToken")
          .withArgs(bad);
      }
      await f.adapter.connect(f.curator).addRewardToken(stg);
      await expect(f.adapter.connect(f.curator).addRewardToken(stg))
        .to.be.revertedWithCustomError(f.adapter, "RewardTokenListed")
        .withArgs(stg);
      await expect(f.adapter.connect(f.attacker).removeRewardToken(stg))
        .to.be.revertedWithCustomError(f.adapter, "Unauthorized")
        .withArgs(f.attacker.address);
      const op = await f.op.getAddress();
      await expect(f.adapter.connect(f.curator).removeRewardToken(op))
        .to.be.revertedWithCustomError(f.adapter, "RewardTokenNotListed")
        .withArgs(op);
      expect(await f.adapter.rewardTokens()).to.deep.equal([stg]);
      const max = Number(await f.adapter.MAX_REWARD_TOKENS());
      for (let i = 1; i < max; i++) {
        await f.adapter.connect(f.curator).addRewardToken(ethers.Wallet.createRandom().address);
      }
      const extra = ethers.Wallet.createRandom().address;
      await expect(f.adapter.connect(f.curator).addRewardToken(extra))
        .to.be.revertedWithCustomError(f.adapter, "TooManyRewardTokens")
        .withArgs(max + 1, max);
      await f.adapter.connect(f.curator).removeRewardToken(stg);
      expect(await f.adapter.rewardTokens()).to.have.length(max - 1);
      expect(await f.adapter.rewardTokens()).to.not.include(stg);
    });

    it("a rewarder the farm's owner replaces with a broken one blocks no exit: emergency exit, redeem, harvest of what is held", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(500));
      await time.increase(100);
      await f.vault.connect(f.allocator).allocate(f.adapter, f.units(500)); // pushes STG
      const held = await f.stg.balanceOf(f.adapter);
      expect(held).to.be.gt(0n);
      const broken = await new RevertingStargateRewarder__factory(f.owner).deploy();
      await f.staking.connect(f.net.owner).setPool(f.lp, broken);
      // The farm itself now refuses every stake, unstake and claim (its onUpdate reverts): the adapter's deallocate
      // reverts, which the vault's gas-capped call (issue 8.2) turns into nothing received, the books untouched...
      await expect(
        f.adapter.connect(ethers.provider).deallocate.staticCall(f.units(100), { from: await f.vault.getAddress() }),
      ).to.be.revertedWithCustomError(broken, "RewarderBroken");
      const debt = (await f.vault.adapterConfig(f.adapter)).debt;
      await expect(f.vault.connect(f.allocator).deallocate(f.adapter, f.units(100)))
        .to.emit(f.vault, "Deallocated")
        .withArgs(await f.adapter.getAddress(), f.units(100), 0n);
      expect((await f.vault.adapterConfig(f.adapter)).debt).to.equal(debt);
      // ...but the guardian's exit needs no rewarder, and everything after it works.
      await f.adapter.connect(f.guardian).emergencyExit();
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.stg.balanceOf(f.distributor)).to.equal(held);
      await f.vault.connect(f.alice).redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
      expect(await f.asset.balanceOf(f.alice.address)).to.equal(f.units(1_000_000));
    });

    it("a listed token that cannot report its balance is skipped; the others are still forwarded", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      // Not a contract: balanceOf cannot be decoded. Listed first so that it is met before the real rewards.
      await f.adapter.connect(f.curator).addRewardToken(ethers.Wallet.createRandom().address);
      await time.increase(100);
      const tx = await f.vault.connect(f.keeper).harvest(f.adapter);
      const pushed = await pushedIn(tx, f.rewarder, await f.adapter.getAddress());
      expect(await f.stg.balanceOf(f.distributor)).to.equal(pushed.get(await f.stg.getAddress()));
      expect(pushed.get(await f.stg.getAddress())).to.be.gt(0n);
    });

    it("after an emergency exit, harvest forwards the rewards already held and claims nothing more", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(500));
      await time.increase(1_000);
      await f.vault.connect(f.allocator).allocate(f.adapter, f.units(500)); // pushes rewards
      const held = await f.stg.balanceOf(f.adapter);
      await time.increase(1_000);
      await f.adapter.connect(f.guardian).emergencyExit(); // forfeits the last 1000 s
      await time.increase(1_000);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.stg.balanceOf(f.distributor)).to.equal(held);
    });
  });

  // ================================================================== native pool, WETH vault

  describe("native ETH pool with an 18-decimal WETH vault", function () {
    it("allocate unwraps WETH, deposits the de-dusted ETH and keeps the dust counted", async function () {
      const f = await loadFixture(deployWeth);
      const amount = f.units(10) + 123_456n;
      await depositAndAllocate(f, amount, amount);
      expect(await staked(f)).to.equal(f.units(10));
      expect(await ethers.provider.getBalance(f.adapter)).to.equal(123_456n);
      expect(await f.weth.balanceOf(f.adapter)).to.equal(0n);
      expect(await f.adapter.totalAssets()).to.equal(amount);
      expect(await f.adapter.releasable()).to.equal(amount);
    });

    it("an allocation below one shared-decimal unit stays loose ETH, counted and releasable", async function () {
      const f = await loadFixture(deployWeth);
      const tiny = 10n ** 12n - 1n;
      await depositAndAllocate(f, tiny, tiny);
      expect(await staked(f)).to.equal(0n);
      expect(await f.lp.balanceOf(f.adapter)).to.equal(0n);
      expect(await ethers.provider.getBalance(f.adapter)).to.equal(tiny);
      expect(await f.adapter.totalAssets()).to.equal(tiny);
      expect(await f.adapter.releasable()).to.equal(tiny);
      await f.vault.connect(f.allocator).deallocate(f.adapter, tiny);
      expect(await f.weth.balanceOf(f.vault)).to.equal(tiny);
      expect(await f.adapter.totalAssets()).to.equal(0n);
    });

    it("deallocate redeems whole shared-decimal units, wraps back and sends exactly what was asked", async function () {
      const f = await loadFixture(deployWeth);
      const amount = f.units(10) + 123_456n;
      await depositAndAllocate(f, amount, amount);
      const ask = f.units(3) + 5n;
      const tx = await f.vault.connect(f.allocator).deallocate(f.adapter, ask);
      // Unstaking pushed the ETH rewards of the block in between: for a WETH vault they are asset and stay.
      const ethReward = (await pushedIn(tx, f.rewarder, await f.adapter.getAddress())).get(ethers.ZeroAddress)!;
      expect(await f.weth.balanceOf(f.vault)).to.equal(ask);
      expect(await f.vault.totalIdle()).to.equal(ask);
      expect(await staked(f)).to.equal(f.units(7));
      // 123_456 wei of dust covered the 5 wei beyond whole units: the rest stays, counted, as WETH.
      expect(await f.weth.balanceOf(f.adapter)).to.equal(123_451n + ethReward);
      expect(await ethers.provider.getBalance(f.adapter)).to.equal(0n);
      expect(await f.adapter.totalAssets()).to.equal(amount - ask + ethReward);
    });

    it("rounds a redemption up to a whole unit and keeps the surplus rather than overpaying the vault", async function () {
      const f = await loadFixture(deployWeth);
      await depositAndAllocate(f, f.units(10), f.units(10));
      const ask = f.units(1) + 1n;
      const tx = await f.vault.connect(f.allocator).deallocate(f.adapter, ask);
      const ethReward = (await pushedIn(tx, f.rewarder, await f.adapter.getAddress())).get(ethers.ZeroAddress)!;
      expect(await f.weth.balanceOf(f.vault)).to.equal(ask);
      expect(await staked(f)).to.equal(f.units(9) - 10n ** 12n);
      expect(await f.weth.balanceOf(f.adapter)).to.equal(10n ** 12n - 1n + ethReward);
      expect(await f.adapter.totalAssets()).to.equal(f.units(10) - ask + ethReward);
    });

    it("keeps native ETH rewards for the share price and forwards only the other tokens", async function () {
      const f = await loadFixture(deployWeth);
      await depositAndAllocate(f, f.units(10), f.units(10));
      await time.increase(1_000);
      const tx = await f.vault.connect(f.keeper).harvest(f.adapter);
      const pushed = await pushedIn(tx, f.rewarder, await f.adapter.getAddress());
      const ethReward = pushed.get(ethers.ZeroAddress)!;
      expect(ethReward).to.be.gt(0n);
      const [tokens, amounts] = await f.distributor.lastNotified();
      expect(tokens).to.deep.equal([await f.stg.getAddress()]);
      expect(amounts[0]).to.equal(pushed.get(await f.stg.getAddress()));
      expect(await f.weth.balanceOf(f.distributor)).to.equal(0n);
      expect(await f.weth.balanceOf(f.adapter)).to.equal(ethReward);
      expect(await f.adapter.totalAssets()).to.equal(f.units(10) + ethReward);
      await f.vault.connect(f.keeper).report(f.adapter);
      expect(await f.vault.totalDebt()).to.equal(f.units(10) + ethReward);
      // Once the gain has unlocked, the next allocation redeploys the wrapped reward (de-dusted) into the pool.
      await time.increase(8 * DAY);
      await f.vault.connect(f.alice).deposit(f.units(1), f.alice.address);
      await f.vault.connect(f.allocator).allocate(f.adapter, f.units(1));
      expect(await f.adapter.totalAssets()).to.be.gte(f.units(11) + ethReward);
    });

    it("runs end to end: deposits, bridge outflow, partial withdrawals in WETH, credit back, full exit", async function () {
      const f = await loadFixture(deployWeth);
      await f.vault.connect(f.bob).deposit(f.units(5), f.bob.address);
      await depositAndAllocate(f, f.units(5), f.units(8));
      await time.increase(DAY);
      await creditAway(f, f.units(7));
      expect(await f.adapter.releasable()).to.be.gte(f.units(1));
      const liquid = await f.vault.liquidAssets();
      expect(liquid).to.equal(f.units(3));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(3));
      const tx = await f.vault.connect(f.alice).withdraw(f.units(3), f.alice.address, f.alice.address);
      // Unstaking pushed a day of ETH rewards: loose asset in the adapter, so it is liquid too.
      const ethReward = (await pushedIn(tx, f.rewarder, await f.adapter.getAddress())).get(ethers.ZeroAddress)!;
      expect(ethReward).to.be.gt(0n);
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(ethReward);

      await creditBack(f, f.units(7));
      await f.vault.connect(f.bob).redeem(await f.vault.balanceOf(f.bob.address), f.bob.address, f.bob.address);
      await f.vault.connect(f.alice).redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
      expect(await f.weth.balanceOf(f.alice.address)).to.equal(f.units(100));
      expect(await f.weth.balanceOf(f.bob.address)).to.equal(f.units(100));
      expect(await f.vault.totalAssets()).to.equal(0n);
    });
  });

  // ================================================================== in kind (issue 13.5), both decimals

  for (const [name, fixture] of [
    ["6-decimal USDC", deployUsdc],
    ["18-decimal WETH over native ETH", deployWeth],
  ] as const) {
    describe(`in-kind exit with a ${name} vault (issue 13.5)`, function () {
      it("names the LP as its in-kind token and counts staked plus held LP as available", async function () {
        const f = await loadFixture(fixture);
        await depositAndAllocate(f, f.units(60), f.units(50));
        expect(await f.adapter.inKindToken()).to.equal(await f.lp.getAddress());
        expect(await f.adapter.inKindAvailable()).to.equal(f.units(50));
        // Local credit is what `redeem` spends; the far path holds none yet.
        expect(await f.adapter.inKindBridgeable(LOCAL_EID)).to.equal(await f.pool.redeemable(ethers.ZeroAddress));
        expect(await f.adapter.inKindBridgeable(REMOTE_EID)).to.equal(0n);
      });

      it("with the credit away, the holder takes LP unstaked from the farm and redeems it at the pool when it returns", async function () {
        const f = await loadFixture(fixture);
        await depositAndAllocate(f, f.units(60), f.units(60));
        await creditAway(f, await f.pool.redeemable(ethers.ZeroAddress));
        expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(0n);
        const shares = await f.vault.balanceOf(f.alice.address);
        const [, , out] = await f.vault.previewRedeemInKind(shares);
        await expect(
          f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out),
        ).to.emit(f.adapter, "InKindReleased");
        expect(await f.lp.balanceOf(f.alice.address)).to.equal(out);
        expect(await staked(f)).to.equal(f.units(60) - out);
        // The farm's push on the unstake stays (for a WETH vault its native ETH is loose asset, for the next report).
        expect(await f.adapter.inKindAvailable()).to.equal(f.units(60) - out);
        expect(await f.adapter.totalAssets()).to.be.gte(f.units(60) - out);
        await creditBack(f, f.units(60));
        // The pool pays whole shared-decimal units (a native pool in ETH); below one unit, LP dust stays LP.
        const unit = await f.adapter.CONVERT_RATE();
        const redeemed = out - (out % unit);
        const balance = () =>
          f.kind === "usdc" ? f.asset.balanceOf(f.alice.address) : ethers.provider.getBalance(f.alice.address);
        const before = await balance();
        const receipt = await (await f.pool.connect(f.alice).redeem(out, f.alice.address)).wait();
        const gas = f.kind === "usdc" ? 0n : receipt!.gasUsed * receipt!.gasPrice;
        expect((await balance()) + gas - before).to.equal(redeemed);
      });

      it("after an emergency exit hands out the LP the adapter holds, unstaking nothing", async function () {
        const f = await loadFixture(fixture);
        await depositAndAllocate(f, f.units(60), f.units(60));
        await f.adapter.connect(f.guardian).emergencyExit();
        const shares = (await f.vault.balanceOf(f.alice.address)) / 2n;
        const [, , out] = await f.vault.previewRedeemInKind(shares);
        await f.vault.connect(f.alice).redeemInKind(f.adapter, shares, f.alice.address, f.alice.address, out);
        expect(await f.lp.balanceOf(f.alice.address)).to.equal(out);
        expect(await f.lp.balanceOf(f.adapter)).to.equal(f.units(60) - out);
        expect(await staked(f)).to.equal(0n);
      });
    });
  }

  describe("LP dust (found by the forge invariant once in-kind exits ran, issue 13.5)", function () {
    it("LP below one shared-decimal unit is not releasable, so deallocate(releasable) pays in full", async function () {
      const f = await loadFixture(deployWeth);
      await depositAndAllocate(f, f.units(60), f.units(60));
      // An in-kind exit of 1 ETH + 123 wei leaves the adapter 59 ETH - 123 wei of LP: dust the pool will not redeem.
      await f.vault.connect(f.alice).redeemInKind(f.adapter, 10n ** 18n + 123n, f.alice.address, f.alice.address, 0n);
      const lpHeld = await f.adapter.inKindAvailable();
      expect(lpHeld).to.equal(f.units(59) - 123n);
      const unit = await f.adapter.CONVERT_RATE();
      const releasable = await f.adapter.releasable();
      // Loose ETH (native farm rewards pushed on the unstake) is releasable too; the LP counts in whole units only.
      const adapterAddress = await f.adapter.getAddress();
      const loose = (await ethers.provider.getBalance(adapterAddress)) + (await f.weth.balanceOf(adapterAddress));
      expect(releasable - loose).to.equal(lpHeld - (lpHeld % unit));
      // Before the fix releasable counted the dust, and this deallocation came back one unit short.
      const vaultAddress = await f.vault.getAddress();
      await impersonateAccount(vaultAddress);
      await setBalance(vaultAddress, ethers.parseEther("1"));
      const before = await f.weth.balanceOf(vaultAddress);
      await f.adapter.connect(await ethers.getSigner(vaultAddress)).deallocate(releasable);
      expect((await f.weth.balanceOf(vaultAddress)) - before).to.equal(releasable);
    });

    it("LP dust anyone sends the adapter changes nothing releasable", async function () {
      const f = await loadFixture(deployWeth);
      await depositAndAllocate(f, f.units(60), f.units(60));
      const releasable = await f.adapter.releasable();
      await f.pool.connect(f.bob).deposit(f.bob.address, f.units(1), { value: f.units(1) });
      await f.lp.connect(f.bob).transfer(await f.adapter.getAddress(), 1n);
      expect(await f.adapter.releasable()).to.equal(releasable);
    });
  });

  // ================================================================== emergency exit, both decimals

  for (const [name, fixture] of [
    ["6-decimal USDC", deployUsdc],
    ["18-decimal WETH over native ETH", deployWeth],
  ] as const) {
    describe(`emergency exit with a ${name} vault`, function () {
      it("depositors withdraw everything after the guardian's exit, the LP redeemed without unstaking", async function () {
        const f = await loadFixture(fixture);
        const start = await f.asset.balanceOf(f.alice.address);
        await f.vault.connect(f.bob).deposit(f.units(40), f.bob.address);
        await depositAndAllocate(f, f.units(60), f.units(90));
        await time.increase(DAY);
        await f.adapter.connect(f.guardian).emergencyExit();
        expect(await f.adapter.totalAssets()).to.equal(f.units(90));
        expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(60));

        await f.vault
          .connect(f.alice)
          .redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
        await f.vault.connect(f.bob).redeem(await f.vault.balanceOf(f.bob.address), f.bob.address, f.bob.address);
        expect(await f.asset.balanceOf(f.alice.address)).to.equal(start);
        expect(await f.asset.balanceOf(f.bob.address)).to.equal(start);
        expect(await f.vault.totalAssets()).to.equal(0n);
        expect(await f.adapter.totalAssets()).to.equal(0n);
        expect(await f.lp.balanceOf(f.adapter)).to.equal(0n);
      });
    });
  }
});
