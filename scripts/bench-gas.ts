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
  MockWETH__factory,
  RewardsDistributor__factory,
  StargateV2Adapter__factory,
  ERC4626Adapter__factory,
  IRollupVault__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  MockRewardAdapter__factory,
  PlainERC4626__factory,
  RollupVault__factory,
  VaultAdmin__factory,
  VaultRouter__factory,
} from "../typechain-types";
import { deploySinglePoolFarm, startCampaign } from "../test/helpers/stargate";

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
    "< 150,000 gas",
  );

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
  // The real Stargate V2 pool, staking and MultiRewarder (official bytecode, test/helpers/stargate.ts).
  const { pool, lp, staking, rewarder } = await deploySinglePoolFarm(owner, await asset.getAddress(), decimals);
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
    await startCampaign(rewarder, owner, token, await lp.getAddress(), ethers.parseEther("1") * BigInt(period), period);
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

  await benchRouter(rows);

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

// ================================================================== VaultRouter (issue 10 §1)

/**
 * depositMin through the VaultRouter against a direct deposit into the same vault, each for a new holder (bar:
 * <= 1.25x). Its own vault and users, so the rows above are unaffected.
 */
async function benchRouter(rows: Row[]) {
  const signers = await ethers.getSigners();
  const [owner, seed, direct, routed, mintUser] = signers.slice(10, 15);
  const units = (n: number) => ethers.parseUnits(n.toString(), 6);
  const asset = await new MockERC20__factory(owner).deploy("USD Coin", "USDC", 6);
  const admin = await new VaultAdmin__factory(owner).deploy();
  const core = await new RollupVault__factory(owner).deploy(
    await asset.getAddress(),
    "Rollup USDC Router",
    "rvrUSDC",
    owner.address,
    await admin.getAddress(),
  );
  const vault = IRollupVault__factory.connect(await core.getAddress(), owner);
  const weth = await new MockWETH__factory(owner).deploy();
  const router = await new VaultRouter__factory(owner).deploy(await weth.getAddress());
  for (const user of [seed, direct, routed, mintUser]) {
    await asset.mint(user.address, units(1_000_000));
    await asset.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
    await asset.connect(user).approve(await router.getAddress(), ethers.MaxUint256);
  }
  await vault.connect(seed).deposit(units(1_000), seed.address);
  const plain = await gas(vault.connect(direct).deposit(units(1_000), direct.address));
  const viaRouter = await gas(
    router.connect(routed).depositMin(vault.getAddress(), units(1_000), routed.address, units(1_000) * 10n ** 12n),
  );
  rows.push({
    operation: "router depositMin (new user)",
    vault: viaRouter,
    baseline: plain,
    ratio: Number((viaRouter / plain).toFixed(3)),
    target: "<= 1.25x direct deposit",
  });
  const mintShares = ethers.parseUnits("1000", 18);
  const mintCost = await vault.previewMint(mintShares);
  rows.push({
    operation: "router mintMax (new user)",
    vault: await gas(router.connect(mintUser).mintMax(vault.getAddress(), mintShares, mintUser.address, mintCost)),
    baseline: plain,
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
