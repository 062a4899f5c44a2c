import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Interface } from "ethers";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  ERC4626Adapter__factory,
  IRedemptionQueue__factory,
  IStreamingRewardsDistributor__factory,
  IVaultEvents__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  MockRewardAdapter__factory,
  RedemptionQueue__factory,
  RewardsDistributor__factory,
} from "../../typechain-types";
import { deployVault, getRoles } from "../helpers/fixtures";
import {
  cancelRedeem,
  claimAllRewards,
  claimRedeemed,
  connectQueue,
  connectVault,
  depositWithPermit,
  holderHistory,
  readLimits,
  redeemRequestStatus,
  redeemWithMinOut,
  requestRedeem,
  vaultError,
  withdrawWithMinOut,
} from "../../docs/examples/integration";

const ROOT = path.join(__dirname, "..", "..");
const GUIDE = readFileSync(path.join(ROOT, "docs", "integration.md"), "utf8");
const EXAMPLES = readFileSync(path.join(ROOT, "docs", "examples", "integration.ts"), "utf8");
const WEEK = 7 * 24 * 3600;

/** The `// #region name` ... `// #endregion` blocks of the examples file. */
function regions(): Map<string, string> {
  const found = new Map<string, string>();
  const pattern = /\/\/ #region ([\w-]+)\n([\s\S]*?)\/\/ #endregion/g;
  for (const match of EXAMPLES.matchAll(pattern)) found.set(match[1], match[2].trimEnd());
  return found;
}

/**
 * The guide's setting: a 6-decimal asset with EIP-2612 permit (as native USDC), a vault with an ERC-4626 adapter
 * and an adapter paying STG, a rewards distributor streaming over a week, and a redemption queue. Alice holds
 * 10,000 of the asset and has approved nothing.
 */
async function guideFixture() {
  const roles = await getRoles();
  const { owner, curator, alice, bob } = roles;
  const units = (n: number | string) => ethers.parseUnits(String(n), 6);
  const asset = await new MockERC20__factory(owner).deploy("USD Coin", "USDC", 6);
  const core = await deployVault(asset, roles);
  const vaultAddress = await core.getAddress();
  const target = await new MockERC4626Target__factory(owner).deploy(await asset.getAddress());
  const adapter = await new ERC4626Adapter__factory(owner).deploy(vaultAddress, await target.getAddress());
  const rewardTarget = await new MockERC4626Target__factory(owner).deploy(await asset.getAddress());
  const rewardAdapter = await new MockRewardAdapter__factory(owner).deploy(
    vaultAddress,
    await rewardTarget.getAddress(),
  );
  const stg = await new MockERC20__factory(owner).deploy("Stargate", "STG", 18);
  await rewardAdapter.setRewardTokens([await stg.getAddress()]);
  await core.connect(curator).addAdapter(await adapter.getAddress(), ethers.MaxUint256 >> 128n, 10_000);
  await core.connect(curator).addAdapter(await rewardAdapter.getAddress(), ethers.MaxUint256 >> 128n, 10_000);
  const distributor = await new RewardsDistributor__factory(owner).deploy(vaultAddress, WEEK);
  await core.setRewardsDistributor(await distributor.getAddress());
  await distributor.connect(curator).setAllowed(await stg.getAddress(), true);
  const queueContract = await new RedemptionQueue__factory(owner).deploy(vaultAddress);
  await asset.mint(alice.address, units(10_000));
  await asset.mint(bob.address, units(10_000));
  // What an integrator holds: the vault and queue connected through the guide's own helpers.
  const vault = connectVault(vaultAddress, alice);
  const queue = connectQueue(await queueContract.getAddress(), alice);
  return {
    ...roles,
    units,
    asset,
    vault,
    queue,
    target,
    adapter,
    rewardAdapter: await rewardAdapter.getAddress(),
    stg,
  };
}

/** Alice deposited 1,000 with a permit; 600 allocated to the ERC-4626 adapter. */
async function depositedFixture() {
  const f = await guideFixture();
  await depositWithPermit(f.vault, f.alice, f.units(1_000));
  await f.vault.connect(f.allocator).allocate(await f.adapter.getAddress(), f.units(600));
  return f;
}

describe("Integration guide examples (docs/integration.md)", function () {
  describe("the guide itself", function () {
    it("contains every region of docs/examples/integration.ts verbatim, in a TypeScript block", function () {
      const found = regions();
      expect([...found.keys()]).to.deep.equal([
        "imports",
        "connect",
        "limits",
        "permit",
        "deposit",
        "withdraw",
        "rewards",
        "async-redeem",
        "events",
      ]);
      for (const [name, code] of found) {
        expect(GUIDE.includes("```ts\n" + code + "\n```"), `region ${name} is not in the guide verbatim`).to.equal(
          true,
        );
      }
    });

    it("points only at ABI files that npm run abi:export produces", function () {
      const named = [...GUIDE.matchAll(/`abi\/(\w+)\.json`/g)].map((m) => m[1]);
      expect(named).to.include.members(["IRollupVault", "IStreamingRewardsDistributor", "IRedemptionQueue"]);
      for (const name of named)
        expect(existsSync(path.join(ROOT, "abi", `${name}.json`)), `abi/${name}.json`).to.equal(true);
    });

    it("lists exactly the events of IVaultEvents, IStreamingRewardsDistributor and IRedemptionQueue", function () {
      const section = GUIDE.slice(GUIDE.indexOf("## Events to index"));
      /** Event names (capitalised, in backticks) under `### <contract>`, up to the next heading. */
      const listed = (contract: string) => {
        const start = section.indexOf(`### ${contract}\n`);
        expect(start, `no "### ${contract}" in the events section`).to.be.greaterThan(-1);
        const body = section.slice(start + 5 + contract.length).split("\n#")[0];
        return [...new Set([...body.matchAll(/`([A-Z]\w*)(?:\(|`)/g)].map((m) => m[1]))].sort();
      };
      const events = (iface: Interface) => {
        const names: string[] = [];
        iface.forEachEvent((e) => names.push(e.name));
        return [...new Set(names)].sort();
      };
      expect(listed("vault")).to.deep.equal(
        [...events(IVaultEvents__factory.createInterface()), "Deposit", "Withdraw", "Transfer", "Approval"].sort(),
      );
      expect(listed("rewards distributor")).to.deep.equal(
        events(IStreamingRewardsDistributor__factory.createInterface()),
      );
      expect(listed("redemption queue")).to.deep.equal(events(IRedemptionQueue__factory.createInterface()));
    });
  });

  describe("deposit with permit", function () {
    it("deposits with one signature and no approval transaction", async function () {
      const f = await loadFixture(guideFixture);
      const vaultAddress = await f.vault.getAddress();
      expect(await f.asset.allowance(f.alice.address, vaultAddress)).to.equal(0n);
      const shares = await depositWithPermit(f.vault, f.alice, f.units(1_000));
      expect(shares).to.equal(ethers.parseUnits("1000", 18));
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(shares);
      expect(await f.asset.allowance(f.alice.address, vaultAddress)).to.equal(0n);
    });
  });

  describe("limits and withdrawals", function () {
    it("reads what is liquid and what is locked in adapters", async function () {
      const f = await loadFixture(depositedFixture);
      await f.target.setLiquidity(f.units(100));
      const limits = await readLimits(f.vault, f.alice.address);
      expect(limits.maxDeposit).to.equal(ethers.MaxUint256);
      expect(limits.position).to.equal(f.units(1_000));
      expect(limits.liquidAssets).to.equal(f.units(500));
      expect(limits.maxWithdraw).to.equal(f.units(500));
      expect(limits.lockedNow).to.equal(f.units(500));
    });

    it("withdraws exactly the amount while it is liquid", async function () {
      const f = await loadFixture(depositedFixture);
      expect(await withdrawWithMinOut(f.vault, f.alice, f.units(700), 0n)).to.equal(f.units(700));
    });

    it("prices a visible loss at once and pays from the losing adapter at its real value (issue 8.1)", async function () {
      const f = await loadFixture(depositedFixture);
      await f.target.simulateLoss(f.units(6)); // 1% of the adapter's 600
      expect(await f.vault.maxWithdraw(f.alice.address)).to.be.closeTo(f.units(994), 1n);
      const received = await withdrawWithMinOut(f.vault, f.alice, f.units(500), 100n);
      expect(received).to.equal(f.units(500));
    });

    it("names the vault's error when the liquid part is not enough", async function () {
      const f = await loadFixture(depositedFixture);
      await f.target.setLiquidity(0);
      const error = await f.vault
        .connect(f.alice)
        .withdraw.staticCall(f.units(500), f.alice.address, f.alice.address)
        .catch((e: unknown) => e);
      const decoded = vaultError(f.vault, error);
      expect(decoded?.name).to.equal("InsufficientLiquidity");
      expect(decoded?.args.missing).to.equal(f.units(100));
    });

    it("names OpenZeppelin's errors too (issue 11.4: the commonest mistakes, which the interface lacks)", async function () {
      const f = await loadFixture(depositedFixture);
      const shares = await f.vault.balanceOf(f.alice.address);
      const error = await f.vault
        .connect(f.alice)
        .transfer.staticCall(f.bob.address, shares + 1n)
        .catch((e: unknown) => e);
      const decoded = vaultError(f.vault, error);
      expect(decoded?.name).to.equal("ERC20InsufficientBalance");
      expect(decoded?.args.needed).to.equal(shares + 1n);
      const noAllowance = await f.vault
        .connect(f.bob)
        .redeem.staticCall(ethers.parseUnits("1", 18), f.bob.address, f.alice.address)
        .catch((e: unknown) => e);
      expect(vaultError(f.vault, noAllowance)?.name).to.equal("ERC20InsufficientAllowance");
    });

    it("redeems with a minimum out, and refuses when the priced-in loss would breach the bound", async function () {
      const f = await loadFixture(depositedFixture);
      await f.target.simulateLoss(f.units(60)); // 10% of the adapter's 600: 6% of alice's whole position
      const shares = await f.vault.balanceOf(f.alice.address);
      const error = await redeemWithMinOut(f.vault, f.alice, shares, 50n, 100n).catch((e: unknown) => e);
      expect(vaultError(f.vault, error)?.name).to.equal("MaxLossExceeded");
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(shares);
      const out = await redeemWithMinOut(f.vault, f.alice, shares, 50n, 10_000n);
      expect(out).to.be.closeTo(f.units(940), 1n);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(0n);
    });
  });

  describe("rewards", function () {
    it("claims every reward token earned, and nothing when nothing is owed", async function () {
      const f = await loadFixture(depositedFixture);
      expect(await claimAllRewards(f.vault, f.alice)).to.deep.equal([]);
      await f.stg.mint(f.rewardAdapter, ethers.parseEther("700"));
      await f.vault.connect(f.keeper).harvest(f.rewardAdapter);
      await time.increase(WEEK);
      const paid = await claimAllRewards(f.vault, f.alice);
      expect(paid).to.have.length(1);
      expect(paid[0].token).to.equal(await f.stg.getAddress());
      expect(paid[0].amount).to.be.closeTo(ethers.parseEther("700"), ethers.parseEther("0.000001"));
      expect(await f.stg.balanceOf(f.alice.address)).to.equal(paid[0].amount);
    });
  });

  describe("asynchronous redemption", function () {
    it("requests with a share permit, waits for fulfilment, claims, and reads the history", async function () {
      const f = await loadFixture(depositedFixture);
      await f.target.setLiquidity(0); // 400 idle is all the vault can pay now
      const shares = ethers.parseUnits("700", 18);
      const id = await requestRedeem(f.queue, f.vault, f.alice, shares);
      expect(await redeemRequestStatus(f.queue, id, f.alice.address)).to.deep.equal({
        pendingShares: shares,
        claimableShares: 0n,
        claimableAssets: 0n,
      });
      await f.target.setLiquidity(ethers.MaxUint256);
      await time.increaseTo(await f.queue.windowClosesAt()); // the request's window closes
      await f.queue.connect(f.keeper).settle();
      expect(await redeemRequestStatus(f.queue, id, f.alice.address)).to.deep.equal({
        pendingShares: 0n,
        claimableShares: shares,
        claimableAssets: f.units(700),
      });
      const before = await f.asset.balanceOf(f.alice.address);
      expect(await claimRedeemed(f.queue, f.alice)).to.equal(f.units(700));
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(700));
      expect(await claimRedeemed(f.queue, f.alice)).to.equal(0n);

      const history = await holderHistory(f.vault, f.queue, f.alice.address);
      expect(history).to.deep.include({
        deposited: f.units(1_000),
        withdrawn: 0n,
        requestIds: [id],
        claimedFromQueue: f.units(700),
      });
    });

    it("cancels a pending request and gets the shares back", async function () {
      const f = await loadFixture(depositedFixture);
      await f.target.setLiquidity(0);
      const shares = ethers.parseUnits("700", 18);
      const id = await requestRedeem(f.queue, f.vault, f.alice, shares);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("300", 18));
      await cancelRedeem(f.queue, f.alice, shares);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("1000", 18));
      expect((await redeemRequestStatus(f.queue, id, f.alice.address)).pendingShares).to.equal(0n);
    });
  });
});
