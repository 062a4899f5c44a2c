/**
 * Real-chain fork cases: FORK_URL=<optimism|base|arbitrum rpc> [FORK_BLOCK=<n>] npm run test:fork.
 *
 * Against the address book (deploy/config/addresses.ts, keyed by chain id) this deploys, with typechain factories
 * (independent of the deploy modules), a USDC vault with a StargateV2Adapter over the REAL Stargate USDC pool and
 * StargateStaking, and on Optimism / Base a VELO / AERO vault with a VoteEscrowAdapter over the REAL VotingEscrow
 * and Voter; then deposits, allocates, travels in time, harvests and withdraws.
 *
 * FUNDING. The test accounts are funded by impersonation, never by writing storage slots (slot layouts differ
 * between token implementations and versions):
 *   1. FORK_USDC_HOLDER / FORK_VE_TOKEN_HOLDER, when set: that account transfers.
 *   2. Otherwise the first of a few well-known large holders (below) whose balance at the fork block suffices.
 *      They are candidates, not facts: each is checked by reading its balance, and a wrong or emptied one is
 *      passed over.
 *   3. Otherwise the token's own minting role: native USDC (Circle's FiatToken) lets its masterMinter() configure
 *      a minter, and VELO / AERO let their minter() mint. The fork impersonates that role and mints.
 * The Stargate pool's own USDC is never used: taking it would distort the pool's credit the test relies on.
 *
 * Without FORK_URL, or when FORK_URL is the local L2 node (chain 901) or another chain, these cases are not
 * registered and one pending line says how to run them (see ./helpers.ts).
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { impersonateAccount, loadFixture, mine, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { addressBook, BASE, OPTIMISM, type AddressBook } from "../../deploy/config/addresses";
import {
  IERC20Metadata__factory,
  IRollupVault__factory,
  IStargateMultiRewarder__factory,
  IStargatePool__factory,
  IStargateStaking__factory,
  IVotingEscrow__factory,
  RewardsDistributor__factory,
  RollupVault__factory,
  StargateV2Adapter__factory,
  VaultAdmin__factory,
  VoteEscrowAdapter__factory,
  type IERC20Metadata,
  type IRollupVault,
} from "../../typechain-types";
import type { VaultStatus } from "../../tasks/status";
import { describeWhen, FORK_CHAIN_ID, FORK_URL, REAL_CHAIN_IDS } from "./helpers";

const onRealChain = FORK_CHAIN_ID !== undefined && REAL_CHAIN_IDS.includes(FORK_CHAIN_ID);

if (FORK_URL && !onRealChain) {
  describe("Real-chain fork", function () {
    it.skip(
      `is skipped: FORK_URL answers chain ${FORK_CHAIN_ID} (not Optimism 10, Base 8453 or Arbitrum 42161). ` +
        "Set FORK_URL=<optimism|base|arbitrum rpc> to run against real USDC, Stargate and Velodrome/Aerodrome",
    );
  });
}

const DAY = 24 * 3600;
const WEEK = 7 * DAY;

/** Wrapped ether per chain (the StargateV2Adapter wraps native ETH rewards with it). */
const WETH: Record<number, string> = {
  10: "0x4200000000000000000000000000000000000006",
  8453: "0x4200000000000000000000000000000000000006",
  42161: "0x82af49447d8a07e3bd95bd0d56f35241523fbab1",
};

/** Candidate large USDC holders per chain (Aave V3 native-USDC aTokens, exchange hot wallets); checked at run time. */
const USDC_HOLDER_CANDIDATES: Record<number, string[]> = {
  10: ["0x38d693ce1df5aadf7bc62595a37d667ad57922e5", "0xacd03d601e5bb1b275bb94076ff46ed9d753435a"],
  8453: ["0x4e65fe4dba92790696d040ac24aa414708f5c0ab", "0xbbbbbbbbbb9cc5e90e3b3af64bdaf62c37eeffcb"],
  42161: ["0x724dc807b04555b71ed48a6896b6f41593b8c637", "0xb38e8c17e38363af6ebdcb3dae12e0243582891d"],
};

const MINT_ROLE_ABI = [
  "function masterMinter() view returns (address)",
  "function configureMinter(address minter, uint256 minterAllowedAmount) returns (bool)",
  "function minter() view returns (address)",
  "function mint(address to, uint256 amount) returns (bool)",
];

async function impersonate(address: string): Promise<HardhatEthersSigner> {
  await impersonateAccount(address);
  await setBalance(address, ethers.parseEther("10"));
  return ethers.getSigner(address);
}

/**
 * Gives `to` `amount` of `token`: from `envHolder` if set, else from the first candidate holding enough, else by
 * minting through the token's minting role (see the file note).
 */
async function fund(token: IERC20Metadata, to: string, amount: bigint, envHolder: string, candidates: string[]) {
  const given = process.env[envHolder];
  const holders = given ? [given] : candidates;
  for (const raw of holders) {
    const holder = ethers.getAddress(raw.toLowerCase());
    if ((await token.balanceOf(holder)) < amount) continue;
    await token.connect(await impersonate(holder)).transfer(to, amount);
    return `transfer from ${holder}`;
  }
  if (given) throw new Error(`${envHolder}=${given} holds less than ${amount} of ${await token.symbol()}.`);
  const address = await token.getAddress();
  const as = async (who: string) => new ethers.Contract(address, MINT_ROLE_ABI, await impersonate(who));
  const roles = new ethers.Contract(address, MINT_ROLE_ABI, ethers.provider);
  const masterMinter = (await roles.masterMinter().catch(() => undefined)) as string | undefined;
  if (masterMinter) {
    // Circle's FiatToken (native USDC): the masterMinter configures a minter (itself here), which mints.
    await (await as(masterMinter)).configureMinter(masterMinter, amount);
    await (await as(masterMinter)).mint(to, amount);
    return `mint through masterMinter ${masterMinter}`;
  }
  // VELO / AERO mint through their minter().
  const minter = (await roles.minter().catch(() => undefined)) as string | undefined;
  if (!minter) throw new Error(`Cannot fund ${to} with ${await token.symbol()}: set ${envHolder}=<a large holder>.`);
  await (await as(minter)).mint(to, amount);
  return `mint through minter ${minter}`;
}

/** A vault over `asset` with every role held by the deployer (the owner acts as all roles) and a one-week distributor. */
async function deployVault(asset: string, name: string, symbol: string): Promise<IRollupVault> {
  const [deployer] = await ethers.getSigners();
  const admin = await new VaultAdmin__factory(deployer).deploy();
  const core = await new RollupVault__factory(deployer).deploy(
    asset,
    name,
    symbol,
    deployer.address,
    await admin.getAddress(),
  );
  const vault = IRollupVault__factory.connect(await core.getAddress(), deployer);
  const distributor = await new RewardsDistributor__factory(deployer).deploy(await vault.getAddress(), WEEK);
  await vault.setRewardsDistributor(await distributor.getAddress());
  await vault.setSkimRecipient(deployer.address);
  return vault;
}

describeWhen(onRealChain)(`Real-chain fork (chain ${FORK_CHAIN_ID})`, function () {
  const chainId = FORK_CHAIN_ID ?? 0;
  const book = (): AddressBook => {
    const b = addressBook(chainId);
    if (b === undefined) throw new Error(`No address book for chain ${chainId}`);
    return b;
  };

  describe("the address book", function () {
    it("finds native USDC with 6 decimals", async function () {
      const usdc = IERC20Metadata__factory.connect(book().usdc, ethers.provider);
      expect(await usdc.decimals()).to.equal(6n);
    });

    it("finds the Stargate USDC pool over USDC, with an LP token staked in StargateStaking and STG among the rewards", async function () {
      const { stargate, usdc } = book();
      const pool = IStargatePool__factory.connect(stargate.poolUSDC, ethers.provider);
      expect((await pool.token()).toLowerCase()).to.equal(usdc.toLowerCase());
      const lp = await pool.lpToken();
      expect(await ethers.provider.getCode(lp)).to.not.equal("0x");
      expect(await pool.tvl()).to.be.greaterThan(0n);
      // redeemable(owner) = min(LP balance, local credit): zero for an account without LP.
      expect(await pool.redeemable(ethers.Wallet.createRandom().address)).to.equal(0n);
      const staking = IStargateStaking__factory.connect(stargate.staking, ethers.provider);
      expect((await staking.rewarder(lp)).toLowerCase()).to.equal(stargate.multiRewarder.toLowerCase());
      const rewarder = IStargateMultiRewarder__factory.connect(stargate.multiRewarder, ethers.provider);
      const rewards = (await rewarder.rewardTokens()).map((t) => t.toLowerCase());
      expect(rewards).to.include(stargate.stg.toLowerCase());
      for (const extra of stargate.extraRewardTokens) expect(rewards).to.include(extra.toLowerCase());
    });
  });

  /** A USDC vault with a StargateV2Adapter over the real pool and farm; alice holds 10,000 USDC (10^6 units). */
  async function stargateFixture() {
    const [deployer, alice] = await ethers.getSigners();
    const { usdc, stargate } = book();
    const vault = await deployVault(usdc, "Rollup USDC", "rvUSDC");
    const adapter = await new StargateV2Adapter__factory(deployer).deploy(
      await vault.getAddress(),
      stargate.poolUSDC,
      stargate.staking,
      WETH[chainId],
    );
    await vault.addAdapter(await adapter.getAddress(), 1_000_000n * 10n ** 6n, 10_000);
    const asset = IERC20Metadata__factory.connect(usdc, alice);
    const funding = await fund(
      asset,
      alice.address,
      10_000n * 10n ** 6n,
      "FORK_USDC_HOLDER",
      USDC_HOLDER_CANDIDATES[chainId],
    );
    console.log(`      funded alice with USDC by ${funding}`);
    await asset.approve(await vault.getAddress(), ethers.MaxUint256);
    const pool = IStargatePool__factory.connect(stargate.poolUSDC, ethers.provider);
    const staking = IStargateStaking__factory.connect(stargate.staking, ethers.provider);
    const lp = await pool.lpToken();
    return { vault, adapter, asset, alice, deployer, pool, staking, lp };
  }

  describe("USDC vault with a StargateV2Adapter over the real pool and farm", function () {
    const units = (n: number) => BigInt(n) * 10n ** 6n;

    it("deposits, allocates into the pool and stakes the LP 1:1", async function () {
      const { vault, adapter, alice, staking, lp } = await loadFixture(stargateFixture);
      await vault.connect(alice).deposit(units(10_000), alice.address);
      await vault.allocate(await adapter.getAddress(), units(8_000));
      expect(await staking.balanceOf(lp, await adapter.getAddress())).to.equal(units(8_000));
      expect(await adapter.totalAssets()).to.equal(units(8_000));
      expect(await vault.totalAssets()).to.equal(units(10_000));
    });

    it("harvests the farm's rewards (STG, and OP or ARB) into the rewards distributor after a week", async function () {
      const { vault, adapter, alice, lp } = await loadFixture(stargateFixture);
      await vault.connect(alice).deposit(units(10_000), alice.address);
      await vault.allocate(await adapter.getAddress(), units(8_000));
      await time.increase(WEEK);
      const rewarder = IStargateMultiRewarder__factory.connect(book().stargate.multiRewarder, ethers.provider);
      const [tokens, pending] = await rewarder.getRewards(lp, await adapter.getAddress());
      expect(
        pending.some((p) => p > 0n),
        "the farm pays nothing at this block: choose a FORK_BLOCK while its reward programs run",
      ).to.equal(true);
      const distributor = await vault.rewardsDistributor();
      // ERC-20 rewards only: a native reward (address zero) arrives as WETH, which the adapter lists itself.
      const erc20 = (i: number) => pending[i] > 0n && tokens[i] !== ethers.ZeroAddress;
      const before = await Promise.all(
        tokens.map((t) =>
          t === ethers.ZeroAddress ? 0n : IERC20Metadata__factory.connect(t, ethers.provider).balanceOf(distributor),
        ),
      );
      await vault.harvest(await adapter.getAddress());
      for (let i = 0; i < tokens.length; i++) {
        if (!erc20(i)) continue;
        const after = await IERC20Metadata__factory.connect(tokens[i], ethers.provider).balanceOf(distributor);
        // At least what was pending a block earlier: the farm keeps accruing until the claim.
        expect(after - before[i], `reward token ${tokens[i]}`).to.be.greaterThanOrEqual(pending[i]);
        const token = IERC20Metadata__factory.connect(tokens[i], ethers.provider);
        console.log(
          `      harvested ${ethers.formatUnits(after - before[i], await token.decimals())} ${await token.symbol()}`,
        );
      }
      // The LP does not grow: the adapter still holds exactly what was allocated.
      expect(await adapter.totalAssets()).to.equal(units(8_000));
      // The operator's view of the same: the distributor now streams what arrived.
      const status = (await hre.run("vault:status", { vault: await vault.getAddress() })) as VaultStatus;
      const streamed = status.rewards!.tokens.filter((t) => t.streaming > 0n).map((t) => t.token.toLowerCase());
      for (let i = 0; i < tokens.length; i++) if (erc20(i)) expect(streamed).to.include(tokens[i].toLowerCase());
    });

    it("withdraws everything back through the pool after time has passed", async function () {
      const { vault, adapter, alice, asset } = await loadFixture(stargateFixture);
      await vault.connect(alice).deposit(units(10_000), alice.address);
      await vault.allocate(await adapter.getAddress(), units(8_000));
      await time.increase(WEEK);
      await vault.report(await adapter.getAddress());
      expect(await vault.maxWithdraw(alice.address)).to.equal(units(10_000));
      const before = await asset.balanceOf(alice.address);
      await vault.connect(alice).redeem(await vault.balanceOf(alice.address), alice.address, alice.address);
      expect((await asset.balanceOf(alice.address)) - before).to.equal(units(10_000));
      expect(await adapter.totalAssets()).to.equal(0n);
    });
  });

  const hasVoteEscrow = chainId === OPTIMISM || chainId === BASE;

  /** A VELO (Optimism) / AERO (Base) vault with a max-length VoteEscrowAdapter; alice holds 1,000 tokens. */
  async function voteEscrowFixture() {
    const [deployer, alice] = await ethers.getSigners();
    const ve = book().voteEscrow!;
    const vault = await deployVault(ve.token, "Rollup ve", "rvVE");
    const adapter = await new VoteEscrowAdapter__factory(deployer).deploy(
      await vault.getAddress(),
      ve.votingEscrow,
      ve.voter,
      ve.rewardsDistributor,
      false,
    );
    await vault.addAdapter(await adapter.getAddress(), ethers.parseEther("1000000"), 10_000);
    const asset = IERC20Metadata__factory.connect(ve.token, alice);
    const funding = await fund(asset, alice.address, ethers.parseEther("1000"), "FORK_VE_TOKEN_HOLDER", []);
    console.log(`      funded alice with ${await asset.symbol()} by ${funding}`);
    await asset.approve(await vault.getAddress(), ethers.MaxUint256);
    await vault.connect(alice).deposit(ethers.parseEther("1000"), alice.address);
    await vault.allocate(await adapter.getAddress(), ethers.parseEther("800"));
    const escrow = IVotingEscrow__factory.connect(ve.votingEscrow, ethers.provider);
    return { vault, adapter, asset, alice, escrow };
  }

  (hasVoteEscrow ? describe : describe.skip)(
    `${chainId === BASE ? "AERO" : "VELO"} vault with a VoteEscrowAdapter over the real VotingEscrow and Voter`,
    function () {
      it("locks the allocation in one veNFT for four years with voting power close to the amount", async function () {
        const { adapter, escrow } = await loadFixture(voteEscrowFixture);
        const id = await adapter.tokenId();
        expect(id).to.not.equal(0n);
        expect(await escrow.ownerOf(id)).to.equal(await adapter.getAddress());
        const lock = await escrow.locked(id);
        expect(lock.amount).to.equal(ethers.parseEther("800"));
        expect(lock.isPermanent).to.equal(false);
        // A block after the lock's own: VotingEscrow reads no voting power in the block a token changes hands.
        await mine();
        const now = BigInt(await time.latest());
        // Four years, rounded down to a week.
        expect(lock.end).to.be.greaterThan(now + BigInt(4 * 365 * DAY - 2 * WEEK));
        const power = await escrow.balanceOfNFT(id);
        expect(power).to.be.greaterThan(ethers.parseEther("790"));
        expect(power).to.be.lessThanOrEqual(ethers.parseEther("800"));
        expect(await adapter.totalAssets()).to.equal(ethers.parseEther("800"));
      });

      it("is illiquid: only idle can leave, and the pending release names the lock end", async function () {
        const { vault, adapter, alice, escrow } = await loadFixture(voteEscrowFixture);
        expect(await adapter.releasable()).to.equal(0n);
        expect(await vault.liquidAssets()).to.equal(ethers.parseEther("200"));
        expect(await vault.maxWithdraw(alice.address)).to.equal(ethers.parseEther("200"));
        const [assets, readyAt] = await adapter.pendingRelease();
        expect(assets).to.equal(ethers.parseEther("800"));
        expect(readyAt).to.equal((await escrow.locked(await adapter.tokenId())).end);
        await expect(
          vault.connect(alice).withdraw(ethers.parseEther("300"), alice.address, alice.address),
        ).to.be.revertedWithCustomError(vault, "InsufficientLiquidity");
        expect(await vault.balanceOf(alice.address)).to.equal(ethers.parseEther("1000"));
      });

      it("stops deepening the lock once a release is prepared: new allocations stay loose and releasable", async function () {
        const { vault, adapter, escrow } = await loadFixture(voteEscrowFixture);
        const id = await adapter.tokenId();
        const endBefore = (await escrow.locked(id)).end;
        await vault.prepareRelease(await adapter.getAddress(), ethers.parseEther("800"));
        expect(await adapter.releasing()).to.equal(true);
        await expect(adapter.extendLock()).to.be.revertedWithCustomError(adapter, "ReleaseInProgress");
        await vault.allocate(await adapter.getAddress(), ethers.parseEther("100"));
        expect((await escrow.locked(id)).amount).to.equal(ethers.parseEther("800"));
        expect((await escrow.locked(id)).end).to.equal(endBefore);
        expect(await adapter.releasable()).to.equal(ethers.parseEther("100"));
        const [assets, readyAt] = await adapter.pendingRelease();
        expect(assets).to.equal(ethers.parseEther("800"));
        expect(readyAt).to.equal(endBefore);
      });
    },
  );
});
