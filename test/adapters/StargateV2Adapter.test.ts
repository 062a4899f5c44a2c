import { expect } from "chai";
import { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import {
  IERC20__factory,
  MockERC20__factory,
  RecordingRewardsDistributor__factory,
  MockStargateLP__factory,
  MockStargateMultiRewarder__factory,
  MockStargatePool__factory,
  MockStargateStaking__factory,
  MockWETH__factory,
  StargateV2Adapter__factory,
  type IERC20,
  type IRollupVault,
  type MockERC20,
  type RecordingRewardsDistributor,
  type MockStargateLP,
  type MockStargateMultiRewarder,
  type MockStargatePool,
  type MockStargateStaking,
  type MockWETH,
  type StargateV2Adapter,
} from "../../typechain-types";
import { deployVault, getRoles, type Roles } from "../helpers/fixtures";

const DAY = 86_400;
const REWARD_PERIOD = 100 * DAY;
const MAX_CAP = 2n ** 128n - 1n;
const SINK = "0x000000000000000000000000000000000000dEaD";

type StargateFixture = Roles & {
  vault: IRollupVault;
  asset: IERC20;
  weth: MockWETH;
  pool: MockStargatePool;
  lp: MockStargateLP;
  staking: MockStargateStaking;
  rewarder: MockStargateMultiRewarder;
  adapter: StargateV2Adapter;
  distributor: RecordingRewardsDistributor;
  stg: MockERC20;
  op: MockERC20;
  units: (n: number | string) => bigint;
  /** Gives `amount` of the underlying to `to` (mint for USDC, wrap for WETH) and returns nothing. */
  fund: (to: string, amount: bigint) => Promise<void>;
};

/** Deploys the farm around `pool`: staking, rewarder, STG and OP streams, and a native ETH stream. */
async function deployFarm(roles: Roles, pool: MockStargatePool) {
  const lp = MockStargateLP__factory.connect(await pool.lpToken(), roles.owner);
  const staking = await new MockStargateStaking__factory(roles.owner).deploy();
  const rewarder = await new MockStargateMultiRewarder__factory(roles.owner).deploy(await staking.getAddress());
  await staking.setPool(await lp.getAddress(), await rewarder.getAddress());
  const stg = await new MockERC20__factory(roles.owner).deploy("Stargate", "STG", 18);
  const op = await new MockERC20__factory(roles.owner).deploy("Optimism", "OP", 18);
  return { lp, staking, rewarder, stg, op };
}

async function streamReward(rewarder: MockStargateMultiRewarder, token: MockERC20, perSecond: bigint) {
  const amount = perSecond * BigInt(REWARD_PERIOD);
  const [owner] = await ethers.getSigners();
  await token.connect(owner).mint(owner.address, amount);
  await token.connect(owner).approve(await rewarder.getAddress(), amount);
  await rewarder.connect(owner).setReward(await token.getAddress(), amount, REWARD_PERIOD);
}

async function finishFixture(
  roles: Roles,
  vault: IRollupVault,
  pool: MockStargatePool,
  farm: Awaited<ReturnType<typeof deployFarm>>,
  weth: MockWETH,
) {
  const adapter = await new StargateV2Adapter__factory(roles.owner).deploy(
    await vault.getAddress(),
    await pool.getAddress(),
    await farm.staking.getAddress(),
    await weth.getAddress(),
  );
  await vault.connect(roles.curator).addAdapter(await adapter.getAddress(), MAX_CAP, 10_000);
  const distributor = await new RecordingRewardsDistributor__factory(roles.owner).deploy();
  await vault.setRewardsDistributor(await distributor.getAddress());
  return { adapter, distributor };
}

/** A 6-decimal USDC vault over an ERC-20 pool; the farm pays STG, OP and native ETH. */
async function deployUsdc(): Promise<StargateFixture> {
  const roles = await getRoles();
  const usdc = await new MockERC20__factory(roles.owner).deploy("USD Coin", "USDC", 6);
  const weth = await new MockWETH__factory(roles.owner).deploy();
  const vault = await deployVault(usdc, roles);
  const pool = await new MockStargatePool__factory(roles.owner).deploy(await usdc.getAddress(), 6, 6);
  const farm = await deployFarm(roles, pool);
  await streamReward(farm.rewarder, farm.stg, ethers.parseEther("1"));
  await streamReward(farm.rewarder, farm.op, ethers.parseEther("0.5"));
  const ethPerSecond = ethers.parseEther("0.00001");
  await farm.rewarder.setReward(ethers.ZeroAddress, ethPerSecond * BigInt(REWARD_PERIOD), REWARD_PERIOD, {
    value: ethPerSecond * BigInt(REWARD_PERIOD),
  });
  const { adapter, distributor } = await finishFixture(roles, vault, pool, farm, weth);
  const units = (n: number | string) => ethers.parseUnits(n.toString(), 6);
  const fund = async (to: string, amount: bigint) => {
    await usdc.mint(to, amount);
  };
  for (const user of [roles.alice, roles.bob, roles.carol]) {
    await fund(user.address, units(1_000_000));
    await usdc.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
  }
  await usdc.approve(await pool.getAddress(), ethers.MaxUint256);
  const asset = IERC20__factory.connect(await usdc.getAddress(), roles.owner);
  return { ...roles, ...farm, vault, asset, weth, pool, adapter, distributor, units, fund };
}

/** An 18-decimal WETH vault over the native ETH pool (6 shared decimals); the farm pays STG and native ETH. */
async function deployWeth(): Promise<StargateFixture> {
  const roles = await getRoles();
  const weth = await new MockWETH__factory(roles.owner).deploy();
  const vault = await deployVault(weth as unknown as MockERC20, roles);
  const pool = await new MockStargatePool__factory(roles.owner).deploy(ethers.ZeroAddress, 18, 6);
  const farm = await deployFarm(roles, pool);
  await streamReward(farm.rewarder, farm.stg, ethers.parseEther("1"));
  const ethPerSecond = ethers.parseEther("0.00001");
  await farm.rewarder.setReward(ethers.ZeroAddress, ethPerSecond * BigInt(REWARD_PERIOD), REWARD_PERIOD, {
    value: ethPerSecond * BigInt(REWARD_PERIOD),
  });
  const { adapter, distributor } = await finishFixture(roles, vault, pool, farm, weth);
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
  return { ...roles, ...farm, vault, asset, weth, pool, adapter, distributor, units, fund };
}

/** Rewards the rewarder pushed to `user` in the transaction, by token (native ETH under address(0)). */
async function pushedIn(
  tx: ContractTransactionResponse,
  rewarder: MockStargateMultiRewarder,
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
    it("records the pool, farm, LP token and WETH of an ERC-20 pool, with WETH tracked as a reward token", async function () {
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
      expect(await f.adapter.rewardTokens()).to.deep.equal([await f.weth.getAddress()]);
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
      const usdt = await new MockERC20__factory(f.owner).deploy("Tether", "USDT", 6);
      const otherPool = await new MockStargatePool__factory(f.owner).deploy(await usdt.getAddress(), 6, 6);
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(f.vault, otherPool, f.staking, f.weth))
        .to.be.revertedWithCustomError(factory, "AssetMismatch")
        .withArgs(await f.asset.getAddress(), await usdt.getAddress());
    });

    it("reverts with AssetMismatch when a native ETH pool is given to a vault whose asset is not WETH", async function () {
      const f = await loadFixture(deployUsdc);
      const nativePool = await new MockStargatePool__factory(f.owner).deploy(ethers.ZeroAddress, 18, 6);
      const factory = new StargateV2Adapter__factory(f.owner);
      await expect(factory.deploy(f.vault, nativePool, f.staking, f.weth))
        .to.be.revertedWithCustomError(factory, "AssetMismatch")
        .withArgs(await f.asset.getAddress(), await f.weth.getAddress());
    });

    it("reverts with LpNotStakable when the farm has no staking pool for the LP token", async function () {
      const f = await loadFixture(deployUsdc);
      const unstakable = await new MockStargatePool__factory(f.owner).deploy(await f.asset.getAddress(), 6, 6);
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
      expect(await f.pool.credit()).to.equal(f.units(800));
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

    it("a bridge outflow shrinks releasable to the local credit and the vault's maxWithdraw to what is liquid", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(800));
      await f.pool.drainCredit(f.units(600), SINK);
      expect(await f.adapter.totalAssets()).to.equal(f.units(800));
      expect(await f.adapter.releasable()).to.equal(f.units(200));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(400));
      expect(await f.vault.liquidAssets()).to.equal(f.units(400));
    });

    it("withdrawals pay what is liquid during an outflow and the rest once credit returns", async function () {
      const f = await loadFixture(deployUsdc);
      await f.vault.connect(f.bob).deposit(f.units(500), f.bob.address);
      await depositAndAllocate(f, f.units(500), f.units(800));
      await f.pool.drainCredit(f.units(700), SINK);
      // idle 200 + credit 100 are liquid; each holder can take at most that.
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(300));
      const before = await f.asset.balanceOf(f.alice.address);
      await f.vault.connect(f.alice).withdraw(f.units(300), f.alice.address, f.alice.address);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(300));
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(0n);
      await expect(f.vault.connect(f.bob).withdraw(f.units(1), f.bob.address, f.bob.address))
        .to.be.revertedWithCustomError(f.vault, "InsufficientLiquidity")
        .withArgs(f.units(1));

      await f.fund(f.owner.address, f.units(700));
      await f.pool.refillCredit(f.units(700));
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
      await f.pool.drainCredit(f.units(1_000), SINK);
      expect(await f.adapter.releasable()).to.equal(0n);
      await expect(f.vault.connect(f.allocator).deallocate(f.adapter, f.units(100)))
        .to.emit(f.vault, "Deallocated")
        .withArgs(await f.adapter.getAddress(), f.units(100), 0);
      expect(await staked(f)).to.equal(f.units(1_000));
      expect(await f.vault.totalDebt()).to.equal(f.units(1_000));
    });

    it("a paused pool leaves only loose assets releasable and a deallocation returns them without reverting", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await f.fund(await f.adapter.getAddress(), f.units(5));
      await f.pool.setPaused(true);
      expect(await f.adapter.releasable()).to.equal(f.units(5));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(5));
      await expect(f.vault.connect(f.allocator).deallocate(f.adapter, f.units(100)))
        .to.emit(f.vault, "Deallocated")
        .withArgs(await f.adapter.getAddress(), f.units(100), f.units(5));
      expect(await staked(f)).to.equal(f.units(1_000));
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

    it("forwards ETH sent to an adapter over a non-WETH vault as WETH", async function () {
      const f = await loadFixture(deployUsdc);
      await f.alice.sendTransaction({ to: await f.adapter.getAddress(), value: ethers.parseEther("0.5") });
      expect(await f.adapter.totalAssets()).to.equal(0n);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.weth.balanceOf(f.distributor)).to.equal(ethers.parseEther("0.5"));
      const [tokens, amounts] = await f.distributor.lastNotified();
      expect(tokens).to.deep.equal([await f.weth.getAddress()]);
      expect(amounts).to.deep.equal([ethers.parseEther("0.5")]);
    });

    it("forwards a reward token the rewarder has stopped since it was pushed", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(500));
      await f.vault.connect(f.keeper).harvest(f.adapter); // learns STG, OP
      await time.increase(1_000);
      await f.vault.connect(f.allocator).allocate(f.adapter, f.units(500)); // pushes OP
      const held = await f.op.balanceOf(f.adapter);
      expect(held).to.be.gt(0n);
      await f.rewarder.stopReward(await f.op.getAddress());
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.op.balanceOf(f.distributor)).to.be.gte(held);
      expect(await f.op.balanceOf(f.adapter)).to.equal(0n);
    });

    it("keeps an asset-denominated reward for the share price: a report realises it as gain", async function () {
      const f = await loadFixture(deployUsdc);
      const usdc = MockERC20__factory.connect(await f.asset.getAddress(), f.owner);
      await streamReward(f.rewarder, usdc, 1_000n); // 0.001 USDC per second
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      await time.increase(1_000);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      expect(await f.asset.balanceOf(f.distributor)).to.equal(0n);
      const loose = await f.asset.balanceOf(f.adapter);
      expect(loose).to.be.closeTo(f.units(1), f.units("0.01"));
      expect(await f.adapter.totalAssets()).to.equal(f.units(1_000) + loose);
      const [tokens] = await f.distributor.lastNotified();
      expect(tokens).to.not.include(await f.asset.getAddress());
      await expect(f.vault.connect(f.keeper).report(f.adapter)).to.emit(f.vault, "Reported");
      expect(await f.vault.totalDebt()).to.equal(f.units(1_000) + loose);
    });

    it("notifies empty lists when there is nothing to forward", async function () {
      const f = await loadFixture(deployUsdc);
      await f.vault.connect(f.keeper).harvest(f.adapter);
      const [tokens, amounts] = await f.distributor.lastNotified();
      expect(tokens).to.deep.equal([]);
      expect(amounts).to.deep.equal([]);
      expect(await f.adapter.rewardTokens()).to.have.length(3); // WETH, STG, OP learnt
    });

    it("reverts with TooManyRewardTokens when the rewarder lists more than MAX_REWARD_TOKENS, forwarding nothing", async function () {
      const f = await loadFixture(deployUsdc);
      await depositAndAllocate(f, f.units(1_000), f.units(1_000));
      const max = await f.adapter.MAX_REWARD_TOKENS();
      // The fixture streams 3 tokens; add enough to exceed the bound by one.
      for (let i = 3n; i <= max; i++) {
        const token = await new MockERC20__factory(f.owner).deploy(`R${i}`, `R${i}`, 18);
        await streamReward(f.rewarder, token, 1n);
      }
      await time.increase(100);
      await expect(f.vault.connect(f.keeper).harvest(f.adapter))
        .to.be.revertedWithCustomError(f.adapter, "TooManyRewardTokens")
        .withArgs(max + 1n, max);
      expect(await f.distributor.notifications()).to.equal(0n);
      expect(await f.adapter.rewardTokens()).to.have.length(1);
    });

    it("reverts with TooManyRewardTokens when remembered and new tokens together exceed the bound", async function () {
      const f = await loadFixture(deployUsdc);
      const max = await f.adapter.MAX_REWARD_TOKENS();
      const extra = [];
      for (let i = 3n; i < max; i++) {
        const token = await new MockERC20__factory(f.owner).deploy(`R${i}`, `R${i}`, 18);
        await streamReward(f.rewarder, token, 1n);
        extra.push(token);
      }
      await f.vault.connect(f.keeper).harvest(f.adapter); // remembers all `max` tokens (WETH, STG, OP, extras)
      expect(await f.adapter.rewardTokens()).to.have.length(Number(max));
      await f.rewarder.stopReward(await extra[0].getAddress());
      const newcomer = await new MockERC20__factory(f.owner).deploy("New", "NEW", 18);
      await streamReward(f.rewarder, newcomer, 1n);
      await expect(f.vault.connect(f.keeper).harvest(f.adapter))
        .to.be.revertedWithCustomError(f.adapter, "TooManyRewardTokens")
        .withArgs(max + 1n, max);
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
      await f.pool.drainCredit(f.units(7), SINK);
      expect(await f.adapter.releasable()).to.be.gte(f.units(1));
      const liquid = await f.vault.liquidAssets();
      expect(liquid).to.equal(f.units(3));
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(3));
      const tx = await f.vault.connect(f.alice).withdraw(f.units(3), f.alice.address, f.alice.address);
      // Unstaking pushed a day of ETH rewards: loose asset in the adapter, so it is liquid too.
      const ethReward = (await pushedIn(tx, f.rewarder, await f.adapter.getAddress())).get(ethers.ZeroAddress)!;
      expect(ethReward).to.be.gt(0n);
      expect(await f.vault.maxWithdraw(f.bob.address)).to.equal(ethReward);

      await f.pool.refillCredit(f.units(7), { value: f.units(7) });
      await f.vault.connect(f.bob).redeem(await f.vault.balanceOf(f.bob.address), f.bob.address, f.bob.address);
      await f.vault.connect(f.alice).redeem(await f.vault.balanceOf(f.alice.address), f.alice.address, f.alice.address);
      expect(await f.weth.balanceOf(f.alice.address)).to.equal(f.units(100));
      expect(await f.weth.balanceOf(f.bob.address)).to.equal(f.units(100));
      expect(await f.vault.totalAssets()).to.equal(0n);
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
