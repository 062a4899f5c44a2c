/**
 * Gas benchmark (`npm run bench:gas`): the vault's main operations against OpenZeppelin's plain ERC4626 over the
 * same asset, deployed in the same run. Prints a table and writes it to reports/gas-benchmark.json, with every
 * product contract's runtime size.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import {
  MockStargateLP__factory,
  MockStargateMultiRewarder__factory,
  MockStargatePool__factory,
  MockStargateStaking__factory,
  MockWETH__factory,
  RewardsDistributor__factory,
  StargateV2Adapter__factory,
  ERC4626Adapter__factory,
  IRollupVault__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  MockRewardAdapter__factory,
  MockStakingRewards__factory,
  StakingAdapter__factory,
  PlainERC4626__factory,
  RollupVault__factory,
  VaultAdmin__factory,
} from "../typechain-types";

const OUTPUT = "reports/gas-benchmark.json";
const SIZE_TARGET = 22_000;
const EIP170 = 24_576;

type Row = { operation: string; vault: number; baseline?: number; ratio?: number; target?: string };

async function gas(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

function contractSizes(): { contract: string; bytes: number }[] {
  const out: { contract: string; bytes: number }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json") && !name.endsWith(".dbg.json")) {
        const artifact = JSON.parse(readFileSync(path, "utf8")) as { contractName: string; deployedBytecode: string };
        const bytes = (artifact.deployedBytecode.length - 2) / 2;
        if (bytes > 0) out.push({ contract: artifact.contractName, bytes });
      }
    }
  };
  for (const top of readdirSync("artifacts/contracts")) {
    if (top === "test-support") continue;
    walk(join("artifacts/contracts", top));
  }
  return out.sort((a, b) => b.bytes - a.bytes);
}

async function main() {
  const [owner, alice, bob, carol, dave] = await ethers.getSigners();
  const decimals = 6;
  const units = (n: number) => ethers.parseUnits(n.toString(), decimals);
  const asset = await new MockERC20__factory(owner).deploy("USD Coin", "USDC", decimals);
  const admin = await new VaultAdmin__factory(owner).deploy();
  const core = await new RollupVault__factory(owner).deploy(
    await asset.getAddress(),
    "Rollup USDC",
    "rvUSDC",
    owner.address,
    await admin.getAddress(),
  );
  const vault = IRollupVault__factory.connect(await core.getAddress(), owner);
  const target = await new MockERC4626Target__factory(owner).deploy(await asset.getAddress());
  const adapter = await new ERC4626Adapter__factory(owner).deploy(await vault.getAddress(), await target.getAddress());
  await vault.addAdapter(await adapter.getAddress(), 2n ** 128n - 1n, 10_000);
  await vault.setFeeRecipient(owner.address);
  await vault.setPerformanceFee(1_000);
  const plain = await new PlainERC4626__factory(owner).deploy(await asset.getAddress());

  for (const user of [alice, bob, carol, dave]) {
    await asset.mint(user.address, units(10_000_000));
    await asset.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
    await asset.connect(user).approve(await plain.getAddress(), ethers.MaxUint256);
  }

  const rows: Row[] = [];
  const both = async (
    operation: string,
    onVault: () => Promise<ContractTransactionResponse>,
    onPlain: () => Promise<ContractTransactionResponse>,
    target?: string,
  ) => {
    const v = await gas(onVault());
    const b = await gas(onPlain());
    rows.push({ operation, vault: v, baseline: b, ratio: Number((v / b).toFixed(3)), target });
  };
  const only = async (operation: string, run: () => Promise<ContractTransactionResponse>, target?: string) => {
    rows.push({ operation, vault: await gas(run()), target });
  };

  await both(
    "deposit (first)",
    () => vault.connect(alice).deposit(units(1_000), alice.address),
    () => plain.connect(alice).deposit(units(1_000), alice.address),
  );
  await both(
    "deposit (new user)",
    () => vault.connect(bob).deposit(units(1_000), bob.address),
    () => plain.connect(bob).deposit(units(1_000), bob.address),
    "<= 1.25x baseline",
  );
  await both(
    "deposit (top-up)",
    () => vault.connect(alice).deposit(units(500), alice.address),
    () => plain.connect(alice).deposit(units(500), alice.address),
  );
  await both(
    "mint",
    () => vault.connect(bob).mint(ethers.parseUnits("100", 18), bob.address),
    () => plain.connect(bob).mint(units(100), bob.address),
  );
  await both(
    "withdraw (from idle)",
    () => vault.connect(alice).withdraw(units(100), alice.address, alice.address),
    () => plain.connect(alice).withdraw(units(100), alice.address, alice.address),
    "<= 1.25x baseline",
  );
  await both(
    "redeem",
    () => vault.connect(bob).redeem(ethers.parseUnits("50", 18), bob.address, bob.address),
    () => plain.connect(bob).redeem(units(50), bob.address, bob.address),
  );
  await both(
    "share transfer (new holder)",
    () => vault.connect(alice).transfer(carol.address, ethers.parseUnits("10", 18)),
    () => plain.connect(alice).transfer(carol.address, units(10)),
  );
  await both(
    "share transfer (existing holder)",
    () => vault.connect(alice).transfer(carol.address, ethers.parseUnits("10", 18)),
    () => plain.connect(alice).transfer(carol.address, units(10)),
  );

  // Vault-only operations.
  await vault.connect(dave).deposit(units(5_000), dave.address);
  await only("allocate (one adapter)", () => vault.allocate(adapter.getAddress(), units(6_000)));
  await asset.mint(await target.getAddress(), units(30)); // the target earns
  await only("report (one adapter, gain)", () => vault.report(adapter.getAddress()));
  const idle = await vault.totalIdle();
  await vault.allocate(adapter.getAddress(), idle);
  await only(
    "withdraw (pulls from one adapter)",
    () => vault.connect(dave).withdraw(units(1_000), dave.address, dave.address),
    "< 140,000 gas",
  );

  // Issue 8: deposits and exits with 0, 1 and 3 enabled adapters holding debt. Every price counts each adapter that
  // may lose at its real value when visibly below its books, so a deposit reads the ERC-4626 adapter's totalAssets;
  // adapters that declared they cannot lose (Stargate LP, a staking balance) are skipped without a call.
  const signers = await ethers.getSigners();
  let nextUser = 5;
  const freshUser = async (onto: string[]) => {
    const user = signers[nextUser++];
    await asset.mint(user.address, units(1_000_000));
    for (const spender of onto) await asset.connect(user).approve(spender, ethers.MaxUint256);
    return user;
  };
  const plainAddress = await plain.getAddress();
  for (const count of [0, 1, 3]) {
    const c = await new RollupVault__factory(owner).deploy(
      await asset.getAddress(),
      `Rollup USDC ${count}`,
      `rv${count}USDC`,
      owner.address,
      await admin.getAddress(),
    );
    const v = IRollupVault__factory.connect(await c.getAddress(), owner);
    const vAddress = await v.getAddress();
    const adapters: string[] = [];
    let stargatePool: Awaited<ReturnType<MockStargatePool__factory["deploy"]>> | undefined;
    if (count >= 3) {
      // First in the queue: a Stargate adapter (declares it cannot lose: never read to price shares).
      stargatePool = await new MockStargatePool__factory(owner).deploy(await asset.getAddress(), decimals, 6);
      const lpToken = MockStargateLP__factory.connect(await stargatePool.lpToken(), owner);
      const farm = await new MockStargateStaking__factory(owner).deploy();
      const farmRewarder = await new MockStargateMultiRewarder__factory(owner).deploy(await farm.getAddress());
      await farm.setPool(await lpToken.getAddress(), await farmRewarder.getAddress());
      const weth2 = await new MockWETH__factory(owner).deploy();
      const sg = await new StargateV2Adapter__factory(owner).deploy(
        vAddress,
        await stargatePool.getAddress(),
        await farm.getAddress(),
        await weth2.getAddress(),
      );
      adapters.push(await sg.getAddress());
    }
    if (count >= 1) {
      // A plain OpenZeppelin ERC-4626 target: the mock's test switches (broken, liquidity) would add their reads.
      const erc4626Target = await new PlainERC4626__factory(owner).deploy(await asset.getAddress());
      const a = await new ERC4626Adapter__factory(owner).deploy(vAddress, await erc4626Target.getAddress());
      adapters.push(await a.getAddress());
    }
    if (count >= 3) {
      // Third: a staking adapter (a staking balance cannot lose either).
      const stg = await new MockERC20__factory(owner).deploy("STG", "STG", 18);
      const program = await new MockStakingRewards__factory(owner).deploy(
        await asset.getAddress(),
        await stg.getAddress(),
        7 * 86_400,
        0,
        0,
      );
      const st = await new StakingAdapter__factory(owner).deploy(vAddress, await program.getAddress(), false);
      adapters.push(await st.getAddress());
    }
    for (const a of adapters) await v.addAdapter(a, 2n ** 128n - 1n, 10_000);
    const first = await freshUser([vAddress]);
    await v.connect(first).deposit(units(30_000), first.address);
    for (const a of adapters) await v.allocate(a, units(5_000));
    const label =
      count === 0 ? "no adapter" : count === 1 ? "1 adapter (ERC-4626)" : "3 adapters (Stargate, ERC-4626, staking)";
    const user = await freshUser([vAddress, plainAddress]);
    await both(
      `deposit (new user), ${label}`,
      () => v.connect(user).deposit(units(1_000), user.address),
      () => plain.connect(user).deposit(units(1_000), user.address),
      count === 0 ? "<= 1.20x baseline" : count === 3 ? "<= 1.50x baseline" : undefined,
    );
    await both(
      `withdraw (from idle), ${label}`,
      () => v.connect(user).withdraw(units(100), user.address, user.address),
      () => plain.connect(user).withdraw(units(100), user.address, user.address),
    );
    if (count === 1) {
      await v.allocate(adapters[0], await v.totalIdle());
      await only(
        `withdraw (pulls from one adapter), ${label}`,
        () => v.connect(first).withdraw(units(1_000), first.address, first.address),
        "< 140,000 gas",
      );
    }
    if (count === 3) {
      // The exit walks past the first adapter (Stargate) and pulls from the second (ERC-4626): first with the
      // Stargate adapter emptied (no debt: one storage read), then holding debt in a paused pool (a releasable call).
      await v.deallocate(adapters[0], units(5_000));
      await v.allocate(adapters[1], await v.totalIdle());
      await only(
        `withdraw (pulls from the second adapter in the queue, the first empty), ${label}`,
        () => v.connect(first).withdraw(units(1_000), first.address, first.address),
        "< 140,000 gas",
      );
      await v.deallocate(adapters[1], units(5_000));
      await v.allocate(adapters[0], await v.totalIdle());
      await stargatePool!.setPaused(true);
      await only(`withdraw (pulls from the second adapter in the queue, the first illiquid), ${label}`, () =>
        v.connect(first).withdraw(units(1_000), first.address, first.address),
      );
    }
  }

  // Bridge liquidity with rewards: a second vault over the same asset, a Stargate-like pool and farm streaming two
  // reward tokens (STG and OP), and the real RewardsDistributor.
  const core2 = await new RollupVault__factory(owner).deploy(
    await asset.getAddress(),
    "Rollup USDC Bridge",
    "rvbUSDC",
    owner.address,
    await admin.getAddress(),
  );
  const bridgeVault = IRollupVault__factory.connect(await core2.getAddress(), owner);
  const pool = await new MockStargatePool__factory(owner).deploy(await asset.getAddress(), decimals, 6);
  const lp = MockStargateLP__factory.connect(await pool.lpToken(), owner);
  const staking = await new MockStargateStaking__factory(owner).deploy();
  const rewarder = await new MockStargateMultiRewarder__factory(owner).deploy(await staking.getAddress());
  await staking.setPool(await lp.getAddress(), await rewarder.getAddress());
  const weth = await new MockWETH__factory(owner).deploy();
  const stargate = await new StargateV2Adapter__factory(owner).deploy(
    await bridgeVault.getAddress(),
    await pool.getAddress(),
    await staking.getAddress(),
    await weth.getAddress(),
  );
  await bridgeVault.addAdapter(await stargate.getAddress(), 2n ** 128n - 1n, 10_000);
  const distributor = await new RewardsDistributor__factory(owner).deploy(await bridgeVault.getAddress(), 7 * 86_400);
  await bridgeVault.setRewardsDistributor(await distributor.getAddress());
  const period = 30 * 86_400;
  for (const symbol of ["STG", "OP"]) {
    const token = await new MockERC20__factory(owner).deploy(symbol, symbol, 18);
    const amount = ethers.parseEther("1") * BigInt(period);
    await token.mint(owner.address, amount);
    await token.approve(await rewarder.getAddress(), amount);
    await rewarder.setReward(await token.getAddress(), amount, period);
  }
  for (const user of [alice, bob, carol]) {
    await asset.connect(user).approve(await bridgeVault.getAddress(), ethers.MaxUint256);
  }
  await bridgeVault.connect(alice).deposit(units(10_000), alice.address);
  await only("deposit (new user), distributor set, no reward token", () =>
    bridgeVault.connect(bob).deposit(units(10_000), bob.address),
  );
  await bridgeVault.connect(carol).deposit(units(10_000), carol.address);
  await bridgeVault.allocate(await stargate.getAddress(), units(25_000));
  await ethers.provider.send("evm_increaseTime", [86_400]);
  await only("harvest (one adapter, two reward tokens)", () => bridgeVault.harvest(stargate.getAddress()));
  await ethers.provider.send("evm_increaseTime", [3 * 86_400]);
  // Settle both holders once so the transfer below is the steady-state case (not a first settlement).
  await bridgeVault.connect(alice).transfer(bob.address, 1n);
  await ethers.provider.send("evm_increaseTime", [3_600]);
  const plainTransfer = rows.find((r) => r.operation === "share transfer (existing holder)");
  const withRewards = await gas(bridgeVault.connect(alice).transfer(bob.address, ethers.parseUnits("10", 18)));
  rows.push({
    operation: "share transfer, 2 reward tokens streaming",
    vault: withRewards,
    ratio: plainTransfer ? Number((withRewards / plainTransfer.vault).toFixed(3)) : undefined,
    target: "vs plain share transfer; target 2x",
  });
  const rewardTokens = await distributor.rewardTokens();
  await only("claim (two reward tokens)", () => distributor.connect(carol).claim([...rewardTokens], carol.address));
  await ethers.provider.send("evm_increaseTime", [86_400]);
  await only("harvest (one adapter, two reward tokens already listed)", () =>
    bridgeVault.harvest(stargate.getAddress()),
  );

  // One streaming reward token: a third vault whose adapter pays a single token.
  const core3 = await new RollupVault__factory(owner).deploy(
    await asset.getAddress(),
    "Rollup USDC One Reward",
    "rv1USDC",
    owner.address,
    await admin.getAddress(),
  );
  const oneVault = IRollupVault__factory.connect(await core3.getAddress(), owner);
  const target3 = await new MockERC4626Target__factory(owner).deploy(await asset.getAddress());
  const rewardAdapter = await new MockRewardAdapter__factory(owner).deploy(
    await oneVault.getAddress(),
    await target3.getAddress(),
  );
  await oneVault.addAdapter(await rewardAdapter.getAddress(), 2n ** 128n - 1n, 10_000);
  const oneDistributor = await new RewardsDistributor__factory(owner).deploy(await oneVault.getAddress(), 7 * 86_400);
  await oneVault.setRewardsDistributor(await oneDistributor.getAddress());
  const op = await new MockERC20__factory(owner).deploy("OP", "OP", 18);
  await rewardAdapter.setRewardTokens([await op.getAddress()]);
  for (const user of [alice, bob]) {
    await asset.connect(user).approve(await oneVault.getAddress(), ethers.MaxUint256);
    await oneVault.connect(user).deposit(units(10_000), user.address);
  }
  await oneVault.allocate(await rewardAdapter.getAddress(), units(10_000));
  await op.mint(await rewardAdapter.getAddress(), ethers.parseEther("604800"));
  await ethers.provider.send("evm_increaseTime", [86_400]);
  await oneVault.harvest(rewardAdapter.getAddress());
  await ethers.provider.send("evm_increaseTime", [86_400]);
  await oneVault.connect(alice).transfer(bob.address, 1n);
  await ethers.provider.send("evm_increaseTime", [3_600]);
  const oneToken = await gas(oneVault.connect(alice).transfer(bob.address, ethers.parseUnits("10", 18)));
  rows.push({
    operation: "share transfer, 1 reward token streaming",
    vault: oneToken,
    ratio: plainTransfer ? Number((oneToken / plainTransfer.vault).toFixed(3)) : undefined,
    target: "vs plain share transfer; target 2x",
  });

  const sizes = contractSizes();
  console.log("\nGas per operation (6-decimal asset; baseline: OpenZeppelin ERC4626 over the same asset)\n");
  console.table(
    rows.map((r) => ({
      operation: r.operation,
      vault: r.vault,
      baseline: r.baseline ?? "-",
      ratio: r.ratio ?? "-",
      target: r.target ?? "",
    })),
  );
  console.log(`\nRuntime size of product contracts (target < ${SIZE_TARGET} bytes, EIP-170 limit ${EIP170})\n`);
  console.table(sizes.map((s) => ({ ...s, margin: SIZE_TARGET - s.bytes })));
  mkdirSync("reports", { recursive: true });
  writeFileSync(OUTPUT, JSON.stringify({ network: "hardhat (in-process)", rows, sizes }, null, 2) + "\n");
  console.log(`\nwritten to ${OUTPUT}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
