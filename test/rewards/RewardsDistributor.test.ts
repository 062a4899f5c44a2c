import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { ContractTransactionResponse } from "ethers";
import {
  MockERC20__factory,
  MockRewardAdapter__factory,
  ReentrantERC20__factory,
  RewardsDistributor__factory,
  RollupVault__factory,
  VaultAdmin__factory,
  type IRollupVault,
  type MockERC20,
} from "../../typechain-types";
import { deploy18, deploy6, deployVault, type VaultFixture } from "../helpers/fixtures";

const DAY = 24n * 60n * 60n;
const WEEK = 7n * DAY;
const MAX_UINT128 = 2n ** 128n - 1n;
const E18 = 10n ** 18n;

/** Skip reasons, in the order of the interface's enum. */
const Skip = { VaultToken: 0, TooManyTokens: 1, AmountTooLarge: 2, RouteFailed: 3, NotAllowed: 4, TokenCallFailed: 5 };
const MAX_UINT96 = 2n ** 96n - 1n;
/** A token's books are capped at 2^95 - 1 units (the top bit of a holder's first word is a flag). */
const MAX_BOOKS = 2n ** 95n - 1n;

async function timestampOf(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

/** The core vault with a reward-paying adapter, a distributor and two reward tokens (OP 18 and STG 6 decimals). */
async function buildRewardsFixture(base: VaultFixture) {
  const { vault, owner, curator, keeper, target } = base;
  const rewardAdapter = await new MockRewardAdapter__factory(owner).deploy(
    await vault.getAddress(),
    await target.getAddress(),
  );
  await vault.connect(curator).addAdapter(await rewardAdapter.getAddress(), MAX_UINT128, 10_000);
  const distributor = await new RewardsDistributor__factory(owner).deploy(await vault.getAddress(), WEEK);
  await vault.setRewardsDistributor(await distributor.getAddress());
  const op = await new MockERC20__factory(owner).deploy("Optimism", "OP", 18);
  const stg = await new MockERC20__factory(owner).deploy("Stargate", "STG", 6);
  await rewardAdapter.setRewardTokens([await op.getAddress(), await stg.getAddress()]);
  await distributor.setAllowed(await op.getAddress(), true);
  await distributor.setAllowed(await stg.getAddress(), true);

  /** Mints the given rewards to the adapter and has the keeper harvest them. */
  async function harvestTx(opAmount: bigint, stgAmount = 0n): Promise<ContractTransactionResponse> {
    if (opAmount !== 0n) await op.mint(await rewardAdapter.getAddress(), opAmount);
    if (stgAmount !== 0n) await stg.mint(await rewardAdapter.getAddress(), stgAmount);
    return vault.connect(keeper).harvest(await rewardAdapter.getAddress());
  }
  /** The same, returning the harvest's timestamp. */
  const harvest = async (opAmount: bigint, stgAmount = 0n) => timestampOf(await harvestTx(opAmount, stgAmount));

  return { ...base, rewardAdapter, distributor, op, stg, harvest, harvestTx };
}

/** Over a 6-decimal asset (USDC-like). */
const deployRewardsFixture = async () => buildRewardsFixture(await deploy6());
/** Over an 18-decimal asset (WETH-like). */
const deployRewards18 = async () => buildRewardsFixture(await deploy18());

/** The same, with a second RollupVault over OP (a governance-staking stand-in) to route OP into. */
async function deployRoutingFixture() {
  const fixture = await deployRewardsFixture();
  const opVault: IRollupVault = await deployVault(fixture.op, fixture);
  return { ...fixture, opVault };
}

describe("RewardsDistributor", function () {
  for (const [decimals, fixture] of [
    [6, deployRewardsFixture],
    [18, deployRewards18],
  ] as const) {
    describe(`with a ${decimals}-decimal asset`, function () {
      it("streams a harvest linearly over the reward period to a single holder", async function () {
        const { vault, distributor, op, alice, units, harvest } = await loadFixture(fixture);
        await vault.connect(alice).deposit(units(100), alice.address);
        const amount = 604_800n * E18; // 1 OP per second over a week
        const start = await harvest(amount);
        await expect(await distributor.rewardTokens()).to.deep.equal([await op.getAddress()]);
        const [streaming, end, accounted] = await distributor.streamOf(await op.getAddress());
        expect(streaming).to.equal(amount);
        expect(end).to.equal(start + WEEK);
        expect(accounted).to.equal(amount);

        await time.increaseTo(start + DAY);
        expect(await distributor.earned(alice.address, await op.getAddress())).to.equal(DAY * E18);
        // 1e27-scaled accumulator over 100 whole shares.
        expect(await distributor.rewardPerShare(await op.getAddress())).to.equal(
          (DAY * E18 * 10n ** 27n) / (100n * E18),
        );
        await time.increaseTo(start + 3n * DAY);
        expect(await distributor.earned(alice.address, await op.getAddress())).to.equal(3n * DAY * E18);
        await time.increaseTo(start + 2n * WEEK);
        expect(await distributor.earned(alice.address, await op.getAddress())).to.equal(amount);
        const [streamingAfter] = await distributor.streamOf(await op.getAddress());
        expect(streamingAfter).to.equal(0n);
      });

      it("pays each holder its share-time within rounding across transfers, mints and burns", async function () {
        const { vault, distributor, op, alice, bob, carol, units, harvest } = await loadFixture(fixture);
        await vault.connect(alice).deposit(units(100), alice.address);
        await vault.connect(bob).deposit(units(300), bob.address);
        const holders = [alice, bob, carol];
        const opAddress = await op.getAddress();
        const rate = E18; // OP per second
        const amount = WEEK * rate;
        const start = await harvest(amount);
        const end = start + WEEK;

        // A ghost ledger: what each holder should get, share-time over the stream.
        const expected = new Map<string, bigint>(holders.map((h) => [h.address, 0n]));
        let balances = await Promise.all(holders.map((h) => vault.balanceOf(h.address)));
        let supply = await vault.totalSupply();
        let last = start;
        const step = async (at: bigint, action: () => Promise<ContractTransactionResponse>) => {
          await time.setNextBlockTimestamp(at);
          const t = await timestampOf(await action());
          const streamed = ((t < end ? t : end) - last) * rate;
          holders.forEach((h, i) =>
            expected.set(h.address, expected.get(h.address)! + (streamed * balances[i]) / supply),
          );
          last = t < end ? t : end;
          balances = await Promise.all(holders.map((h) => vault.balanceOf(h.address)));
          supply = await vault.totalSupply();
        };

        await step(start + DAY, () => vault.connect(alice).transfer(carol.address, 50n * E18));
        await step(start + 2n * DAY, () => vault.connect(bob).deposit(units(100), bob.address));
        await step(start + 3n * DAY, () => vault.connect(carol).transfer(bob.address, 50n * E18));
        await step(start + 4n * DAY, () => vault.connect(alice).redeem(25n * E18, alice.address, alice.address));
        await step(start + 5n * DAY, () => distributor.connect(bob).claim([opAddress], bob.address));
        await step(start + 8n * DAY, () => distributor.connect(alice).claim([opAddress], alice.address));
        await distributor.connect(bob).claim([opAddress], bob.address);
        await distributor.connect(carol).claim([opAddress], carol.address);

        let totalClaimed = 0n;
        for (const h of holders) {
          const got = await op.balanceOf(h.address);
          totalClaimed += got;
          expect(got).to.be.closeTo(expected.get(h.address)!, 10n);
          expect(await distributor.earned(h.address, opAddress)).to.equal(0n);
        }
        expect(totalClaimed).to.be.lessThanOrEqual(amount);
        expect(amount - totalClaimed).to.be.lessThan(20n);
        expect(await op.balanceOf(await distributor.getAddress())).to.equal(amount - totalClaimed);
      });

      it("keeps claimed + claimable + undistributed == harvested, per token, through a busy history", async function () {
        const { vault, distributor, op, stg, alice, bob, carol, units, harvest } = await loadFixture(fixture);
        const holders = [alice, bob, carol];
        const tokens = [op, stg];
        const harvested = [0n, 0n];
        const claimed = [0n, 0n];
        const receiver = ethers.Wallet.createRandom().address;

        const check = async () => {
          for (const [i, token] of tokens.entries()) {
            const address = await token.getAddress();
            if (!(await distributor.isRewardToken(address))) continue;
            let claimable = 0n;
            for (const h of holders) claimable += await distributor.earned(h.address, address);
            const [streaming, , accounted] = await distributor.streamOf(address);
            const held = await token.balanceOf(await distributor.getAddress());
            // Undistributed: still streaming, or held for the next notify, or rounding dust kept in the books.
            const unaccounted = held - accounted;
            const dust = accounted - streaming - claimable;
            expect(dust).to.be.greaterThanOrEqual(0n); // never more claimable than harvested
            expect(dust).to.be.lessThan(64n); // a wei or so per settlement
            expect(claimed[i] + claimable + streaming + unaccounted + dust).to.equal(harvested[i]);
            expect(held + claimed[i]).to.equal(harvested[i]);
          }
        };
        const claimAll = async (who: (typeof holders)[number]) => {
          for (const [i, token] of tokens.entries()) {
            const before = await token.balanceOf(receiver);
            if (await distributor.isRewardToken(await token.getAddress())) {
              await distributor.connect(who).claim([await token.getAddress()], receiver);
            }
            claimed[i] += (await token.balanceOf(receiver)) - before;
          }
        };
        const doHarvest = async (a: bigint, b: bigint) => {
          await harvest(a, b);
          harvested[0] += a;
          harvested[1] += b;
        };

        await doHarvest(1_000n * E18 + 17n, 0n); // streams over an empty vault at first
        await time.increase(DAY);
        await vault.connect(alice).deposit(units(100), alice.address);
        await check();
        await vault.connect(bob).deposit(units(333), bob.address);
        await time.increase(DAY / 3n);
        await doHarvest(7n * E18, 5_000_001n);
        await check();
        await vault.connect(bob).transfer(carol.address, 111n * E18 + 1n);
        await time.increase(DAY);
        await claimAll(alice);
        await check();
        await vault.connect(carol).redeem(50n * E18, carol.address, carol.address);
        await time.increase(2n * DAY);
        await doHarvest(123n * E18, 999_999n);
        await check();
        await vault.connect(alice).redeem(await vault.balanceOf(alice.address), alice.address, alice.address);
        await vault.connect(bob).redeem(await vault.balanceOf(bob.address), bob.address, bob.address);
        await vault.connect(carol).redeem(await vault.balanceOf(carol.address), carol.address, carol.address);
        await time.increase(DAY); // empty vault: streams are held
        await check();
        await vault.connect(carol).deposit(units(10), carol.address);
        await doHarvest(0n, 0n);
        await time.increase(3n * WEEK);
        await check();
        for (const h of holders) await claimAll(h);
        await check();
      });
    });
  }

  describe("construction", function () {
    it("binds the vault, its asset and the reward period", async function () {
      const { distributor, vault, asset } = await loadFixture(deployRewardsFixture);
      expect(await distributor.vault()).to.equal(await vault.getAddress());
      expect(await distributor.VAULT()).to.equal(await vault.getAddress());
      expect(await distributor.asset()).to.equal(await asset.getAddress());
      expect(await distributor.rewardPeriod()).to.equal(WEEK);
      expect(await distributor.MAX_REWARD_TOKENS()).to.equal(8n);
      expect(await distributor.rewardTokens()).to.deep.equal([]);
    });

    it("reverts on a zero vault", async function () {
      const { owner } = await loadFixture(deployRewardsFixture);
      const factory = new RewardsDistributor__factory(owner);
      await expect(factory.deploy(ethers.ZeroAddress, WEEK)).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });

    it("reverts on a reward period below the minimum", async function () {
      const { owner, vault } = await loadFixture(deployRewardsFixture);
      const factory = new RewardsDistributor__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), 60))
        .to.be.revertedWithCustomError(factory, "PeriodOutOfBounds")
        .withArgs(60, 3600, 90n * DAY);
    });

    it("reverts on a reward period above the maximum", async function () {
      const { owner, vault } = await loadFixture(deployRewardsFixture);
      const factory = new RewardsDistributor__factory(owner);
      await expect(factory.deploy(await vault.getAddress(), 91n * DAY))
        .to.be.revertedWithCustomError(factory, "PeriodOutOfBounds")
        .withArgs(91n * DAY, 3600, 90n * DAY);
    });
  });

  describe("streaming", function () {
    it("gives a deposit made just before a harvest only what streams after it", async function () {
      const { vault, distributor, op, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await time.increase(DAY);
      // Bob sees the harvest coming and deposits as much as Alice in the block before it.
      await vault.connect(bob).deposit(units(100), bob.address);
      const amount = 604_800n * E18;
      const start = await harvest(amount);
      expect(await distributor.earned(bob.address, await op.getAddress())).to.equal(0n);
      await time.increaseTo(start + 10n);
      // Ten seconds at 1 OP/s, shared equally: no part of the harvest went to Bob at once.
      expect(await distributor.earned(bob.address, await op.getAddress())).to.equal(5n * E18);
      expect(await distributor.earned(alice.address, await op.getAddress())).to.equal(5n * E18);
    });

    it("shares a stream by share-time between holders who deposit at different times", async function () {
      const { vault, distributor, op, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      const amount = 604_800n * E18;
      const start = await harvest(amount);
      await time.setNextBlockTimestamp(start + WEEK / 2n);
      await vault.connect(bob).deposit(units(100), bob.address);
      await time.increaseTo(start + WEEK);
      const opAddress = await op.getAddress();
      // Alice alone for half the week, then half of the other half.
      expect(await distributor.earned(alice.address, opAddress)).to.be.closeTo((amount * 3n) / 4n, 2n);
      expect(await distributor.earned(bob.address, opAddress)).to.be.closeTo(amount / 4n, 2n);
    });

    it("merges a notify into an active stream with an amount-weighted end", async function () {
      const { vault, distributor, op, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      const amount = 604_800n * E18;
      const start = await harvest(amount);
      const opAddress = await op.getAddress();
      await time.setNextBlockTimestamp(start + WEEK / 2n);
      const second = amount / 2n;
      const at = await harvest(second);
      const [streaming, end, accounted] = await distributor.streamOf(opAddress);
      const remaining = amount - (at - start) * E18;
      expect(streaming).to.equal(remaining + second);
      const timeLeft = start + WEEK - at;
      expect(end).to.equal(at + (remaining * timeLeft + second * WEEK) / (remaining + second));
      expect(accounted).to.equal(amount + second);
      // A dust notify barely moves the end: it cannot stall a stream.
      const dustAt = await harvest(1n);
      const [, dustEnd] = await distributor.streamOf(opAddress);
      expect(dustEnd).to.be.closeTo(end, 1n);
      expect(dustEnd).to.be.greaterThan(dustAt);
    });

    it("accrues nothing for a token that is not listed", async function () {
      const { distributor, op, alice } = await loadFixture(deployRewardsFixture);
      expect(await distributor.earned(alice.address, await op.getAddress())).to.equal(0n);
      expect(await distributor.isRewardToken(await op.getAddress())).to.equal(false);
    });
  });

  describe("holders, transfers and claims", function () {
    it("claims any subset of tokens to another receiver", async function () {
      const { vault, distributor, op, stg, alice, bob, carol, units, harvest } =
        await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(700n * E18, 700_000_000n);
      await time.increase(2n * WEEK);
      const [opAddress, stgAddress] = [await op.getAddress(), await stg.getAddress()];
      const stgOwed = await distributor.earned(alice.address, stgAddress);

      await expect(distributor.connect(alice).claim([opAddress], carol.address))
        .to.emit(distributor, "RewardPaid")
        .withArgs(alice.address, carol.address, opAddress, 700n * E18);
      expect(await op.balanceOf(carol.address)).to.equal(700n * E18);
      expect(await op.balanceOf(alice.address)).to.equal(0n);
      expect(await distributor.earned(alice.address, opAddress)).to.equal(0n);
      expect(await distributor.earned(alice.address, stgAddress)).to.equal(stgOwed);

      await distributor.connect(alice).claim([stgAddress], bob.address);
      expect(await stg.balanceOf(bob.address)).to.equal(stgOwed);
      expect(stgOwed).to.be.closeTo(700_000_000n, 1n);
    });

    it("returns the amounts paid and pays nothing twice for a repeated token", async function () {
      const { vault, distributor, op, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(700n * E18);
      await time.increase(2n * WEEK);
      const opAddress = await op.getAddress();
      const amounts = await distributor.connect(alice).claim.staticCall([opAddress, opAddress], alice.address);
      expect(amounts).to.deep.equal([700n * E18, 0n]);
      await distributor.connect(alice).claim([opAddress, opAddress], alice.address);
      expect(await op.balanceOf(alice.address)).to.equal(700n * E18);
    });

    it("claims nothing and emits nothing for a holder with nothing owed", async function () {
      const { vault, distributor, op, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(700n * E18);
      await expect(distributor.connect(bob).claim([await op.getAddress()], bob.address)).not.to.emit(
        distributor,
        "RewardPaid",
      );
      expect(await op.balanceOf(bob.address)).to.equal(0n);
    });

    it("reports earned exactly: a claim in the next block pays what earned showed for it", async function () {
      const { vault, distributor, op, stg, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(123), alice.address);
      await vault.connect(bob).deposit(units(77), bob.address);
      const start = await harvest(1_234_567n * E18 + 89n, 987_654_321n);
      await vault.connect(alice).transfer(bob.address, 3n * E18 + 7n);
      for (const [token, at] of [
        [await op.getAddress(), start + 12_345n],
        [await stg.getAddress(), start + 98_765n],
      ] as const) {
        await time.setNextBlockTimestamp(at);
        await ethers.provider.send("evm_mine", []);
        // earned() at the state of block `at`, then a claim in block `at` + 1 against earned() read in that block.
        await time.setNextBlockTimestamp(at + 1n);
        const view = await distributor.earned(alice.address, token, { blockTag: "pending" });
        const before = await (token === (await op.getAddress()) ? op : stg).balanceOf(alice.address);
        await distributor.connect(alice).claim([token], alice.address);
        const paid = (await (token === (await op.getAddress()) ? op : stg).balanceOf(alice.address)) - before;
        expect(paid).to.equal(view);
        expect(paid).to.be.greaterThan(0n);
      }
    });
  });

  describe("several tokens", function () {
    it("streams two tokens of different decimals independently", async function () {
      const { vault, distributor, op, stg, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await vault.connect(bob).deposit(units(100), bob.address);
      const start = await harvest(1_400n * E18, 0n);
      await time.setNextBlockTimestamp(start + WEEK / 2n);
      const stgStart = await harvest(0n, 7_000_000n); // STG's stream starts half-way through OP's
      const [opAddress, stgAddress] = [await op.getAddress(), await stg.getAddress()];
      expect(await distributor.rewardTokens()).to.deep.equal([opAddress, stgAddress]);
      const [, opEnd] = await distributor.streamOf(opAddress);
      const [, stgEnd] = await distributor.streamOf(stgAddress);
      expect(opEnd).to.equal(start + WEEK);
      expect(stgEnd).to.equal(stgStart + WEEK);
      await time.increaseTo(start + WEEK);
      expect(await distributor.earned(alice.address, opAddress)).to.be.closeTo(700n * E18, 1n);
      const stgHalf = ((start + WEEK - stgStart) * 7_000_000n) / WEEK / 2n;
      expect(await distributor.earned(alice.address, stgAddress)).to.be.closeTo(stgHalf, 1n);
      await time.increaseTo(start + 2n * WEEK);
      expect(await distributor.earned(bob.address, stgAddress)).to.be.closeTo(3_500_000n, 1n);
    });

    it("skips a ninth token without reverting the harvest, and lets it be swept", async function () {
      const { vault, distributor, rewardAdapter, owner, alice, units, keeper } =
        await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      const tokens: MockERC20[] = [];
      for (let i = 0; i < 9; i++) {
        const token = await new MockERC20__factory(owner).deploy(`Reward ${i}`, `R${i}`, 18);
        await token.mint(await rewardAdapter.getAddress(), E18);
        await distributor.connect(owner).setAllowed(await token.getAddress(), true);
        tokens.push(token);
      }
      const addresses = await Promise.all(tokens.map((t) => t.getAddress()));
      await rewardAdapter.setRewardTokens(addresses);
      await expect(vault.connect(keeper).harvest(await rewardAdapter.getAddress()))
        .to.emit(distributor, "RewardsSkipped")
        .withArgs(addresses[8], E18, Skip.TooManyTokens);
      expect(await distributor.rewardTokens()).to.deep.equal(addresses.slice(0, 8));
      expect(await distributor.isRewardToken(addresses[8])).to.equal(false);
      // Holders' transfers stay cheap and working with a full list.
      await vault.connect(alice).transfer(owner.address, E18);
      await distributor.connect(owner).setAllowed(addresses[8], false);
      await expect(distributor.connect(owner).sweep(addresses[8]))
        .to.emit(distributor, "Swept")
        .withArgs(addresses[8], owner.address, E18);
      expect(await tokens[8].balanceOf(owner.address)).to.equal(E18);
    });

    it("skips an amount that would overflow a stream", async function () {
      const { vault, distributor, rewardAdapter, owner, alice, units, keeper } =
        await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      const junk = await new MockERC20__factory(owner).deploy("Junk", "JNK", 18);
      await junk.mint(await rewardAdapter.getAddress(), MAX_UINT96 + 1n);
      await rewardAdapter.setRewardTokens([await junk.getAddress()]);
      await distributor.connect(owner).setAllowed(await junk.getAddress(), true);
      await expect(vault.connect(keeper).harvest(await rewardAdapter.getAddress()))
        .to.emit(distributor, "RewardsSkipped")
        .withArgs(await junk.getAddress(), MAX_UINT96 + 1n, Skip.AmountTooLarge);
      expect(await distributor.rewardTokens()).to.deep.equal([]);
    });

    it("never streams the vault's asset or share, which a harvest may not bring", async function () {
      const { vault, distributor, rewardAdapter, asset, alice, keeper, units } =
        await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await asset.mint(await rewardAdapter.getAddress(), units(5));
      await rewardAdapter.setRewardTokens([await asset.getAddress(), await vault.getAddress()]);
      await expect(vault.connect(keeper).harvest(await rewardAdapter.getAddress()))
        .to.emit(distributor, "RewardsSkipped")
        .withArgs(await asset.getAddress(), units(5), Skip.VaultToken)
        .and.to.emit(distributor, "RewardsSkipped")
        .withArgs(await vault.getAddress(), 0n, Skip.VaultToken);
      expect(await distributor.rewardTokens()).to.deep.equal([]);
    });

    it("trusts only its balance, not the amounts the adapter reports", async function () {
      const { vault, distributor, rewardAdapter, op, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await rewardAdapter.setReportedBonus(1_000_000n * E18);
      await harvest(70n * E18);
      const [streaming, , accounted] = await distributor.streamOf(await op.getAddress());
      expect(streaming).to.equal(70n * E18);
      expect(accounted).to.equal(70n * E18);
      // A donation is not lost: it streams at the next notify.
      await op.mint(await distributor.getAddress(), 30n * E18);
      await time.increase(2n * WEEK);
      await harvest(0n);
      const [streamingAfter, , accountedAfter] = await distributor.streamOf(await op.getAddress());
      expect(streamingAfter).to.equal(30n * E18);
      expect(accountedAfter).to.equal(100n * E18);
    });
  });

  describe("an empty vault", function () {
    it("holds what streams while no shares exist and streams it again at the next notify", async function () {
      const { vault, distributor, op, alice, units, harvest, harvestTx } = await loadFixture(deployRewardsFixture);
      const opAddress = await op.getAddress();
      const amount = WEEK * E18;
      const start = await harvest(amount);
      await time.setNextBlockTimestamp(start + 2n * DAY);
      await expect(vault.connect(alice).deposit(units(100), alice.address))
        .to.emit(distributor, "RewardsHeld")
        .withArgs(opAddress, 2n * DAY * E18);
      const [streaming, , accounted] = await distributor.streamOf(opAddress);
      expect(streaming).to.equal(5n * DAY * E18);
      expect(accounted).to.equal(5n * DAY * E18);
      await time.increaseTo(start + WEEK);
      expect(await distributor.earned(alice.address, opAddress)).to.be.closeTo(5n * DAY * E18, 1n);
      // The next harvest (bringing nothing new) rolls the held part into a new stream.
      await expect(harvestTx(0n))
        .to.emit(distributor, "RewardsNotified")
        .withArgs(opAddress, 2n * DAY * E18, 2n * DAY * E18, anyValue);
      await time.increase(2n * WEEK);
      expect(await distributor.earned(alice.address, opAddress)).to.be.closeTo(amount, 2n);
    });

    it("holds what streams after every holder has left", async function () {
      const { vault, distributor, op, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      const opAddress = await op.getAddress();
      await vault.connect(alice).deposit(units(100), alice.address);
      const amount = WEEK * E18;
      const start = await harvest(amount);
      await time.setNextBlockTimestamp(start + DAY);
      await vault.connect(alice).redeem(await vault.balanceOf(alice.address), alice.address, alice.address);
      await time.increaseTo(start + 3n * DAY);
      // Over an empty vault the stream leaves the books as it goes.
      const [streaming, , accounted] = await distributor.streamOf(opAddress);
      expect(streaming).to.equal(4n * DAY * E18);
      expect(accounted).to.equal(DAY * E18 + 4n * DAY * E18);
      await distributor.connect(alice).claim([opAddress], alice.address);
      expect(await op.balanceOf(alice.address)).to.equal(DAY * E18);
    });
  });

  describe("a dust supply", function () {
    it("treats fewer than MIN_STREAM_SUPPLY shares as an empty vault: the stream is held, not wrapped away", async function () {
      const { vault, distributor, op, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      const opAddress = await op.getAddress();
      const dust = (await distributor.MIN_STREAM_SUPPLY()) - 1n;
      await vault.connect(alice).deposit(units(100), alice.address);
      await vault.connect(alice).transfer(bob.address, dust);
      const amount = WEEK * E18;
      const start = await harvest(amount);
      await time.setNextBlockTimestamp(start + DAY);
      await vault.connect(alice).redeem(await vault.balanceOf(alice.address), alice.address, alice.address);
      expect(await vault.totalSupply()).to.equal(dust);
      await time.increaseTo(start + 3n * DAY);
      const [streaming, , accounted] = await distributor.streamOf(opAddress);
      expect(streaming).to.equal(4n * DAY * E18);
      expect(accounted).to.be.closeTo(DAY * E18 + 4n * DAY * E18, 1_000_000n);
      // Bob earned his pro-rata part of the first day only: nothing since he was left alone with dust.
      const supplyBefore = 100n * E18; // alice's units(100) minted 100 shares of 18 decimals at a price of 1
      expect(await distributor.earned(bob.address, opAddress)).to.be.closeTo((DAY * E18 * dust) / supplyBefore, 1_000n);
    });
  });

  describe("routing", function () {
    it("deposits a routed token into its ERC-4626 vault and streams that vault's shares", async function () {
      const { vault, opVault, distributor, op, curator, alice, bob, units, harvestTx } =
        await loadFixture(deployRoutingFixture);
      const [opAddress, opVaultAddress] = [await op.getAddress(), await opVault.getAddress()];
      await expect(distributor.connect(curator).setRoute(opAddress, opVaultAddress))
        .to.emit(distributor, "RouteSet")
        .withArgs(opAddress, opVaultAddress);
      expect(await distributor.routeOf(opAddress)).to.equal(opVaultAddress);
      await vault.connect(alice).deposit(units(100), alice.address);
      await vault.connect(bob).deposit(units(300), bob.address);
      const amount = 400n * E18;
      await expect(harvestTx(amount))
        .to.emit(distributor, "RewardsRouted")
        .withArgs(opAddress, opVaultAddress, amount, amount)
        .and.to.emit(distributor, "RewardsNotified")
        .withArgs(opVaultAddress, amount, amount, anyValue);
      expect(await distributor.rewardTokens()).to.deep.equal([opVaultAddress]);
      expect(await op.balanceOf(await distributor.getAddress())).to.equal(0n);
      expect(await opVault.balanceOf(await distributor.getAddress())).to.equal(amount);

      await time.increase(2n * WEEK);
      await distributor.connect(alice).claim([opVaultAddress], alice.address);
      const aliceShares = await opVault.balanceOf(alice.address);
      expect(aliceShares).to.be.closeTo(100n * E18, 1n);
      // The holder owns governance-staking shares, redeemable for OP.
      await opVault.connect(alice).redeem(aliceShares, alice.address, alice.address);
      expect(await op.balanceOf(alice.address)).to.equal(aliceShares);
      expect(await distributor.earned(bob.address, opVaultAddress)).to.be.closeTo(300n * E18, 1n);
    });

    it("keeps a routed token here when the route refuses it, and routes it at a later harvest", async function () {
      const { vault, opVault, distributor, op, owner, guardian, alice, units, harvestTx } =
        await loadFixture(deployRoutingFixture);
      const [opAddress, opVaultAddress] = [await op.getAddress(), await opVault.getAddress()];
      await distributor.connect(owner).setRoute(opAddress, opVaultAddress);
      await vault.connect(alice).deposit(units(100), alice.address);
      await opVault.connect(guardian).setPaused(true);
      await expect(harvestTx(50n * E18))
        .to.emit(distributor, "RewardsSkipped")
        .withArgs(opAddress, 50n * E18, Skip.RouteFailed);
      expect(await op.balanceOf(await distributor.getAddress())).to.equal(50n * E18);
      expect(await op.allowance(await distributor.getAddress(), opVaultAddress)).to.equal(0n);
      expect(await distributor.rewardTokens()).to.deep.equal([]);
      await opVault.connect(guardian).setPaused(false);
      await expect(harvestTx(10n * E18))
        .to.emit(distributor, "RewardsRouted")
        .withArgs(opAddress, opVaultAddress, 60n * E18, 60n * E18);
      expect(await distributor.rewardTokens()).to.deep.equal([opVaultAddress]);
    });

    it("lets a stream of a token run on after the token gets routed, and after unrouting", async function () {
      const { vault, opVault, distributor, op, curator, alice, units, harvest } =
        await loadFixture(deployRoutingFixture);
      const [opAddress, opVaultAddress] = [await op.getAddress(), await opVault.getAddress()];
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(70n * E18);
      await distributor.connect(curator).setRoute(opAddress, opVaultAddress);
      await harvest(30n * E18);
      // The OP stream is untouched; only the new 30 OP went through the route.
      const [opStreaming, , opAccounted] = await distributor.streamOf(opAddress);
      expect(opAccounted).to.equal(70n * E18);
      expect(opStreaming).to.be.lessThan(70n * E18);
      expect(await opVault.balanceOf(await distributor.getAddress())).to.equal(30n * E18);
      await expect(distributor.connect(curator).setRoute(opAddress, ethers.ZeroAddress))
        .to.emit(distributor, "RouteSet")
        .withArgs(opAddress, ethers.ZeroAddress);
      await time.increase(2n * WEEK);
      await distributor.connect(alice).claim([opAddress, opVaultAddress], alice.address);
      expect(await op.balanceOf(alice.address)).to.be.closeTo(70n * E18, 1n);
      expect(await opVault.balanceOf(alice.address)).to.be.closeTo(30n * E18, 1n);
    });
  });

  describe("configuration", function () {
    it("lets the owner or the curator set the reward period for future notifies", async function () {
      const { distributor, owner, curator } = await loadFixture(deployRewardsFixture);
      await expect(distributor.connect(curator).setRewardPeriod(3n * DAY))
        .to.emit(distributor, "RewardPeriodSet")
        .withArgs(3n * DAY);
      await distributor.connect(owner).setRewardPeriod(DAY);
      expect(await distributor.rewardPeriod()).to.equal(DAY);
    });

    it("lets the owner or curator disallow a token, which notifies then skip uncalled and sweep may take", async function () {
      const { vault, distributor, op, stg, curator, owner, alice, units, harvestTx } =
        await loadFixture(deployRewardsFixture);
      const stgAddress = await stg.getAddress();
      await expect(distributor.connect(curator).setAllowed(stgAddress, false))
        .to.emit(distributor, "AllowedSet")
        .withArgs(stgAddress, false);
      expect(await distributor.isAllowed(stgAddress)).to.equal(false);
      await vault.connect(alice).deposit(units(100), alice.address);
      await expect(harvestTx(E18, 5_000_000n))
        .to.emit(distributor, "RewardsSkipped")
        .withArgs(stgAddress, 5_000_000n, Skip.NotAllowed);
      expect(await distributor.rewardTokens()).to.deep.equal([await op.getAddress()]);
      await distributor.connect(owner).sweep(stgAddress);
      expect(await stg.balanceOf(owner.address)).to.equal(5_000_000n);
      await distributor.connect(owner).setAllowed(stgAddress, true);
      expect(await distributor.isAllowed(stgAddress)).to.equal(true);
    });

    it("streams a route's shares although only the routed token is allowed", async function () {
      const { vault, opVault, distributor, op, curator, alice, units, harvestTx } =
        await loadFixture(deployRoutingFixture);
      const opVaultAddress = await opVault.getAddress();
      await distributor.connect(curator).setRoute(await op.getAddress(), opVaultAddress);
      expect(await distributor.isAllowed(opVaultAddress)).to.equal(false);
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvestTx(E18);
      expect(await distributor.rewardTokens()).to.deep.equal([opVaultAddress]);
    });

    it("streams a new notify over the new period", async function () {
      const { vault, distributor, op, curator, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      await distributor.connect(curator).setRewardPeriod(DAY);
      await vault.connect(alice).deposit(units(100), alice.address);
      const start = await harvest(E18);
      const [, end] = await distributor.streamOf(await op.getAddress());
      expect(end).to.equal(start + DAY);
    });
  });

  describe("failure paths", function () {
    it("reverts beforeBalanceChange from anyone but the vault", async function () {
      const { distributor, attacker, alice, bob } = await loadFixture(deployRewardsFixture);
      await expect(distributor.connect(attacker).beforeBalanceChange(alice.address, 1n, bob.address, 0n, 1n))
        .to.be.revertedWithCustomError(distributor, "NotVault")
        .withArgs(attacker.address);
    });

    it("reverts notifyRewards from anyone but the vault", async function () {
      const { distributor, op, attacker } = await loadFixture(deployRewardsFixture);
      await op.mint(await distributor.getAddress(), E18);
      await expect(distributor.connect(attacker).notifyRewards([await op.getAddress()], [E18]))
        .to.be.revertedWithCustomError(distributor, "NotVault")
        .withArgs(attacker.address);
      expect(await distributor.rewardTokens()).to.deep.equal([]);
    });

    it("reverts a claim to the zero address", async function () {
      const { vault, distributor, op, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(E18);
      await time.increase(WEEK);
      const owed = await distributor.earned(alice.address, await op.getAddress());
      await expect(
        distributor.connect(alice).claim([await op.getAddress()], ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(distributor, "ZeroAddress");
      expect(await distributor.earned(alice.address, await op.getAddress())).to.equal(owed);
    });

    it("reverts a claim of a token that is not a reward token", async function () {
      const { vault, distributor, op, stg, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(E18);
      await time.increase(WEEK);
      await expect(distributor.connect(alice).claim([await op.getAddress(), await stg.getAddress()], alice.address))
        .to.be.revertedWithCustomError(distributor, "NotRewardToken")
        .withArgs(await stg.getAddress());
      expect(await op.balanceOf(alice.address)).to.equal(0n);
    });

    it("reverts setRoute from anyone but the owner or curator", async function () {
      const { distributor, opVault, op, attacker } = await loadFixture(deployRoutingFixture);
      await expect(distributor.connect(attacker).setRoute(await op.getAddress(), await opVault.getAddress()))
        .to.be.revertedWithCustomError(distributor, "Unauthorized")
        .withArgs(attacker.address);
      expect(await distributor.routeOf(await op.getAddress())).to.equal(ethers.ZeroAddress);
    });

    it("reverts setRoute for the zero token", async function () {
      const { distributor, opVault, curator } = await loadFixture(deployRoutingFixture);
      await expect(
        distributor.connect(curator).setRoute(ethers.ZeroAddress, await opVault.getAddress()),
      ).to.be.revertedWithCustomError(distributor, "ZeroAddress");
      expect(await distributor.routeOf(ethers.ZeroAddress)).to.equal(ethers.ZeroAddress);
    });

    it("reverts setRoute for the vault's asset", async function () {
      const { distributor, opVault, asset, curator } = await loadFixture(deployRoutingFixture);
      await expect(distributor.connect(curator).setRoute(await asset.getAddress(), await opVault.getAddress()))
        .to.be.revertedWithCustomError(distributor, "VaultTokenNotAllowed")
        .withArgs(await asset.getAddress());
      expect(await distributor.routeOf(await asset.getAddress())).to.equal(ethers.ZeroAddress);
    });

    it("reverts setRoute for the vault's share", async function () {
      const { distributor, opVault, vault, curator } = await loadFixture(deployRoutingFixture);
      await expect(distributor.connect(curator).setRoute(await vault.getAddress(), await opVault.getAddress()))
        .to.be.revertedWithCustomError(distributor, "VaultTokenNotAllowed")
        .withArgs(await vault.getAddress());
      expect(await distributor.routeOf(await vault.getAddress())).to.equal(ethers.ZeroAddress);
    });

    it("reverts setRoute to the route already set", async function () {
      const { distributor, opVault, op, curator } = await loadFixture(deployRoutingFixture);
      await distributor.connect(curator).setRoute(await op.getAddress(), await opVault.getAddress());
      await expect(
        distributor.connect(curator).setRoute(await op.getAddress(), await opVault.getAddress()),
      ).to.be.revertedWithCustomError(distributor, "AlreadySet");
      expect(await distributor.routeOf(await op.getAddress())).to.equal(await opVault.getAddress());
    });

    it("reverts setRoute into the vault itself", async function () {
      const { distributor, vault, op, curator } = await loadFixture(deployRoutingFixture);
      await expect(distributor.connect(curator).setRoute(await op.getAddress(), await vault.getAddress()))
        .to.be.revertedWithCustomError(distributor, "InvalidRoute")
        .withArgs(await vault.getAddress());
      expect(await distributor.routeOf(await op.getAddress())).to.equal(ethers.ZeroAddress);
    });

    it("reverts setRoute into a vault over another token", async function () {
      const { distributor, vault, stg, target, asset, curator } = await loadFixture(deployRoutingFixture);
      void vault;
      await expect(distributor.connect(curator).setRoute(await stg.getAddress(), await target.getAddress()))
        .to.be.revertedWithCustomError(distributor, "RouteAssetMismatch")
        .withArgs(await stg.getAddress(), await target.getAddress(), await asset.getAddress());
      expect(await distributor.routeOf(await stg.getAddress())).to.equal(ethers.ZeroAddress);
    });

    it("reverts setRewardPeriod from anyone but the owner or curator", async function () {
      const { distributor, attacker } = await loadFixture(deployRewardsFixture);
      await expect(distributor.connect(attacker).setRewardPeriod(DAY))
        .to.be.revertedWithCustomError(distributor, "Unauthorized")
        .withArgs(attacker.address);
      expect(await distributor.rewardPeriod()).to.equal(WEEK);
    });

    it("reverts setRewardPeriod out of bounds", async function () {
      const { distributor, curator } = await loadFixture(deployRewardsFixture);
      await expect(distributor.connect(curator).setRewardPeriod(0))
        .to.be.revertedWithCustomError(distributor, "PeriodOutOfBounds")
        .withArgs(0, 3600, 90n * DAY);
      expect(await distributor.rewardPeriod()).to.equal(WEEK);
    });

    it("reverts setRewardPeriod to the period already set", async function () {
      const { distributor, curator } = await loadFixture(deployRewardsFixture);
      await expect(distributor.connect(curator).setRewardPeriod(WEEK)).to.be.revertedWithCustomError(
        distributor,
        "AlreadySet",
      );
      expect(await distributor.rewardPeriod()).to.equal(WEEK);
    });

    it("reverts setAllowed from anyone but the owner or curator", async function () {
      const { distributor, attacker } = await loadFixture(deployRewardsFixture);
      const junk = await new MockERC20__factory(attacker).deploy("Junk", "JNK", 18);
      await expect(distributor.connect(attacker).setAllowed(await junk.getAddress(), true))
        .to.be.revertedWithCustomError(distributor, "Unauthorized")
        .withArgs(attacker.address);
      expect(await distributor.isAllowed(await junk.getAddress())).to.equal(false);
    });

    it("reverts disallowing a listed token", async function () {
      const { vault, distributor, op, curator, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(E18);
      await expect(distributor.connect(curator).setAllowed(await op.getAddress(), false))
        .to.be.revertedWithCustomError(distributor, "AlreadyListed")
        .withArgs(await op.getAddress());
      expect(await distributor.isAllowed(await op.getAddress())).to.equal(true);
    });

    it("reverts setAllowed to the state already set", async function () {
      const { distributor, stg, curator } = await loadFixture(deployRewardsFixture);
      await expect(distributor.connect(curator).setAllowed(await stg.getAddress(), true)).to.be.revertedWithCustomError(
        distributor,
        "AlreadySet",
      );
      expect(await distributor.isAllowed(await stg.getAddress())).to.equal(true);
    });

    it("reverts setAllowed of the vault's asset", async function () {
      const { distributor, asset, curator } = await loadFixture(deployRewardsFixture);
      await expect(distributor.connect(curator).setAllowed(await asset.getAddress(), true))
        .to.be.revertedWithCustomError(distributor, "VaultTokenNotAllowed")
        .withArgs(await asset.getAddress());
    });

    it("reverts sweep from anyone but the owner or curator", async function () {
      const { distributor, attacker } = await loadFixture(deployRewardsFixture);
      const junk = await new MockERC20__factory(attacker).deploy("Junk", "JNK", 18);
      await junk.mint(await distributor.getAddress(), 5n);
      await expect(distributor.connect(attacker).sweep(await junk.getAddress()))
        .to.be.revertedWithCustomError(distributor, "Unauthorized")
        .withArgs(attacker.address);
      expect(await junk.balanceOf(await distributor.getAddress())).to.equal(5n);
    });

    it("reverts sweep of a reward token", async function () {
      const { vault, distributor, op, alice, curator, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(E18);
      await expect(distributor.connect(curator).sweep(await op.getAddress()))
        .to.be.revertedWithCustomError(distributor, "CannotSweepRewardToken")
        .withArgs(await op.getAddress());
      expect(await op.balanceOf(await distributor.getAddress())).to.equal(E18);
    });

    it("reverts sweep of a routed token", async function () {
      const { distributor, opVault, op, curator } = await loadFixture(deployRoutingFixture);
      await distributor.connect(curator).setRoute(await op.getAddress(), await opVault.getAddress());
      await op.mint(await distributor.getAddress(), E18);
      await expect(distributor.connect(curator).sweep(await op.getAddress()))
        .to.be.revertedWithCustomError(distributor, "CannotSweepRewardToken")
        .withArgs(await op.getAddress());
      expect(await op.balanceOf(await distributor.getAddress())).to.equal(E18);
    });

    it("reverts setRoute into the vault's asset", async function () {
      const { distributor, asset, op, curator } = await loadFixture(deployRoutingFixture);
      await expect(distributor.connect(curator).setRoute(await op.getAddress(), await asset.getAddress()))
        .to.be.revertedWithCustomError(distributor, "InvalidRoute")
        .withArgs(await asset.getAddress());
      expect(await distributor.routeOf(await op.getAddress())).to.equal(ethers.ZeroAddress);
    });

    it("reverts setRoute of a token into itself", async function () {
      const { distributor, op, curator } = await loadFixture(deployRoutingFixture);
      await expect(distributor.connect(curator).setRoute(await op.getAddress(), await op.getAddress()))
        .to.be.revertedWithCustomError(distributor, "InvalidRoute")
        .withArgs(await op.getAddress());
      expect(await distributor.routeOf(await op.getAddress())).to.equal(ethers.ZeroAddress);
    });

    it("reverts sweep while the vault has no skim recipient", async function () {
      const { owner, asset, stg } = await loadFixture(deployRewardsFixture);
      const admin = await new VaultAdmin__factory(owner).deploy();
      const bare = await new RollupVault__factory(owner).deploy(
        await asset.getAddress(),
        "Bare",
        "BARE",
        owner.address,
        await admin.getAddress(),
      );
      const distributor = await new RewardsDistributor__factory(owner).deploy(await bare.getAddress(), WEEK);
      await stg.mint(await distributor.getAddress(), 5n);
      await expect(distributor.connect(owner).sweep(await stg.getAddress())).to.be.revertedWithCustomError(
        distributor,
        "ZeroAddress",
      );
      expect(await stg.balanceOf(await distributor.getAddress())).to.equal(5n);
    });

    it("reverts sweep with nothing to sweep", async function () {
      const { distributor, curator } = await loadFixture(deployRewardsFixture);
      const junk = await new MockERC20__factory(curator).deploy("Junk", "JNK", 18);
      await expect(distributor.connect(curator).sweep(await junk.getAddress()))
        .to.be.revertedWithCustomError(distributor, "NothingToSweep")
        .withArgs(await junk.getAddress());
    });
  });

  describe("reentrancy", function () {
    /** A hostile reward token, listed and owed to Alice, that calls back into the distributor when it moves. */
    async function deployHostileFixture() {
      const f = await deployRewardsFixture();
      const hostile = await new ReentrantERC20__factory(f.owner).deploy();
      await f.rewardAdapter.setRewardTokens([await hostile.getAddress()]);
      await f.distributor.connect(f.owner).setAllowed(await hostile.getAddress(), true);
      await f.vault.connect(f.alice).deposit(f.units(100), f.alice.address);
      await hostile.mint(await f.rewardAdapter.getAddress(), 700n * E18);
      await f.vault.connect(f.keeper).harvest(await f.rewardAdapter.getAddress());
      await time.increase(2n * WEEK);
      return { ...f, hostile };
    }

    for (const [name, data] of [
      ["claim", (d: string, h: string, a: string) => [d, "claim", [[h], a]] as const],
      ["notifyRewards", (d: string, h: string) => [d, "notifyRewards", [[h], [0]]] as const],
      ["sweep", (d: string, h: string) => [d, "sweep", [h]] as const],
    ] as const) {
      it(`reverts a ${name} re-entered from a claim's token transfer`, async function () {
        const { distributor, hostile, alice } = await loadFixture(deployHostileFixture);
        const [d, h] = [await distributor.getAddress(), await hostile.getAddress()];
        const [, fn, args] = data(d, h, alice.address);
        const calldata = distributor.interface.encodeFunctionData(fn as "sweep", args as unknown as [string]);
        await hostile.arm(d, calldata);
        const owed = await distributor.earned(alice.address, h);
        await expect(distributor.connect(alice).claim([h], alice.address)).to.be.revertedWithCustomError(
          distributor,
          "ReentrancyGuardReentrantCall",
        );
        expect(await distributor.earned(alice.address, h)).to.equal(owed);
        expect(await hostile.balanceOf(alice.address)).to.equal(0n);
      });
    }

    it("pays a hostile token's claim once the callback is harmless", async function () {
      const { distributor, hostile, alice } = await loadFixture(deployHostileFixture);
      const h = await hostile.getAddress();
      await distributor.connect(alice).claim([h], alice.address);
      expect(await hostile.balanceOf(alice.address)).to.be.closeTo(700n * E18, 1n);
    });
  });

  describe("edge cases", function () {
    it("answers views for a token that was never listed", async function () {
      const { distributor, stg, alice } = await loadFixture(deployRewardsFixture);
      const stgAddress = await stg.getAddress();
      expect(await distributor.earned(alice.address, stgAddress)).to.equal(0n);
      expect(await distributor.rewardPerShare(stgAddress)).to.equal(0n);
      expect(await distributor.streamOf(stgAddress)).to.deep.equal([0n, 0n, 0n]);
    });

    it("settles twice in one block without streaming twice", async function () {
      const { vault, distributor, op, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await vault.connect(bob).deposit(units(100), bob.address);
      const amount = WEEK * E18;
      const start = await harvest(amount);
      const opAddress = await op.getAddress();
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        await vault.connect(alice).transfer(bob.address, 10n * E18);
        await vault.connect(bob).transfer(alice.address, 10n * E18);
        await distributor.connect(alice).claim([opAddress], alice.address);
        await time.setNextBlockTimestamp(start + DAY);
        await ethers.provider.send("evm_mine", []);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      // One day at 1 OP/s over two equal holders, whatever happened inside the block.
      expect(await op.balanceOf(alice.address)).to.equal((DAY * E18) / 2n);
      expect(await distributor.earned(bob.address, opAddress)).to.equal((DAY * E18) / 2n);
    });

    it("streams a dust amount without losing it", async function () {
      const { vault, distributor, op, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      const opAddress = await op.getAddress();
      await harvest(3n);
      await vault.connect(alice).transfer(bob.address, 50n * E18);
      expect(await distributor.earned(alice.address, opAddress)).to.equal(0n);
      const [streaming] = await distributor.streamOf(opAddress);
      expect(streaming).to.equal(3n);
      await time.increase(2n * WEEK);
      const total =
        (await distributor.earned(alice.address, opAddress)) + (await distributor.earned(bob.address, opAddress));
      expect(total).to.be.lessThanOrEqual(3n);
      expect(total).to.be.greaterThanOrEqual(2n);
    });

    it("keeps a dust stream whole and on time while another token's stream moves the shared clock", async function () {
      const { vault, distributor, op, stg, alice, bob, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      await vault.connect(bob).deposit(units(100), bob.address);
      const [opAddress, stgAddress] = [await op.getAddress(), await stg.getAddress()];
      const start = await harvest(WEEK * E18, 1n); // OP moves every second; one STG unit rounds to nothing streamed
      for (let day = 1n; day < 7n; ++day) {
        await time.setNextBlockTimestamp(start + day * DAY);
        await vault.connect(alice).transfer(bob.address, E18);
        const [stgStreaming, stgEnd] = await distributor.streamOf(stgAddress);
        expect(stgStreaming).to.equal(1n);
        expect(stgEnd).to.equal(start + WEEK);
      }
      await time.setNextBlockTimestamp(start + WEEK);
      await vault.connect(alice).transfer(bob.address, E18);
      // The dust streamed at the end, to holders too small to be owed a unit: it stays in the books as dust.
      expect(await distributor.streamOf(stgAddress)).to.deep.equal([0n, start + WEEK, 1n]);
      const [opStreaming, , opAccounted] = await distributor.streamOf(opAddress);
      expect(opStreaming).to.equal(0n);
      expect(opAccounted).to.equal(WEEK * E18);
      const paid =
        (await distributor.earned(alice.address, opAddress)) + (await distributor.earned(bob.address, opAddress));
      expect(paid).to.be.lessThanOrEqual(WEEK * E18);
      expect(paid).to.be.greaterThanOrEqual(WEEK * E18 - 8n);
    });

    it("settles every token of the claimer on a claim of one", async function () {
      const { vault, distributor, op, stg, alice, units, harvest } = await loadFixture(deployRewardsFixture);
      await vault.connect(alice).deposit(units(100), alice.address);
      const [opAddress, stgAddress] = [await op.getAddress(), await stg.getAddress()];
      const start = await harvest(WEEK * E18, WEEK * 1_000_000n);
      await time.setNextBlockTimestamp(start + DAY);
      await distributor.connect(alice).claim([opAddress], alice.address);
      expect(await op.balanceOf(alice.address)).to.equal(DAY * E18);
      expect(await distributor.earned(alice.address, stgAddress)).to.equal(DAY * 1_000_000n);
      await time.setNextBlockTimestamp(start + 2n * DAY);
      await distributor.connect(alice).claim([stgAddress], alice.address);
      expect(await stg.balanceOf(alice.address)).to.equal(2n * DAY * 1_000_000n);
      expect(await distributor.earned(alice.address, opAddress)).to.equal(DAY * E18);
    });

    it("issue 9.4: pays a holder of exactly MIN_STREAM_SUPPLY shares a million OP streamed unsettled, no wrap", async function () {
      const { vault, distributor, op, alice, harvest } = await loadFixture(deployRewardsFixture);
      const opAddress = await op.getAddress();
      const minSupply = await distributor.MIN_STREAM_SUPPLY();
      await vault.connect(alice).mint(minSupply, alice.address);
      expect(await vault.totalSupply()).to.equal(minSupply);
      const amount = 1_000_000n * E18;
      const start = await harvest(amount);
      await time.increaseTo(start + 2n * WEEK);
      // On the old 128-bit accumulator this wrapped after ~340k OP: 680,565 OP were locked for good.
      const owed = await distributor.earned(alice.address, opAddress);
      expect(owed).to.be.closeTo(amount, 10n ** 15n);
      await distributor.connect(alice).claim([opAddress], alice.address);
      expect(await op.balanceOf(alice.address)).to.equal(owed);
      const [, , accounted] = await distributor.streamOf(opAddress);
      expect(await op.balanceOf(await distributor.getAddress())).to.equal(accounted);
    });

    it("skips a notify that would take a token's books past 2^95 - 1 units, and holds nothing back", async function () {
      const { vault, distributor, op, alice, units, harvest, harvestTx } = await loadFixture(deployRewardsFixture);
      const opAddress = await op.getAddress();
      await vault.connect(alice).deposit(units(100), alice.address);
      await harvest(MAX_BOOKS - E18);
      await expect(harvestTx(2n * E18))
        .to.emit(distributor, "RewardsSkipped")
        .withArgs(opAddress, 2n * E18, Skip.AmountTooLarge);
      const [streaming] = await distributor.streamOf(opAddress);
      expect(streaming).to.be.lessThanOrEqual(MAX_BOOKS);
    });

    it("routes nothing and streams nothing when a harvest brings none of a routed token", async function () {
      const { vault, opVault, distributor, op, curator, alice, units, harvestTx } =
        await loadFixture(deployRoutingFixture);
      await distributor.connect(curator).setRoute(await op.getAddress(), await opVault.getAddress());
      await vault.connect(alice).deposit(units(100), alice.address);
      await expect(harvestTx(0n)).not.to.emit(distributor, "RewardsRouted");
      expect(await distributor.rewardTokens()).to.deep.equal([]);
    });

    it("settles the fee recipient when a report mints fee shares", async function () {
      const {
        vault,
        distributor,
        op,
        asset,
        curator,
        keeper,
        allocator,
        alice,
        feeRecipient,
        rewardAdapter,
        units,
        harvest,
      } = await loadFixture(deployRewardsFixture);
      await vault.connect(curator).setPerformanceFee(1_000);
      await vault.connect(alice).deposit(units(100), alice.address);
      await vault.connect(allocator).allocate(await rewardAdapter.getAddress(), units(50));
      await harvest(WEEK * E18);
      await time.increase(DAY);
      await asset.mint(await rewardAdapter.getAddress(), units(5));
      await vault.connect(keeper).report(await rewardAdapter.getAddress());
      const feeShares = await vault.balanceOf(feeRecipient.address);
      expect(feeShares).to.be.greaterThan(0n);
      // The fee recipient earns from its mint onwards only.
      expect(await distributor.earned(feeRecipient.address, await op.getAddress())).to.equal(0n);
      await time.increase(DAY);
      expect(await distributor.earned(feeRecipient.address, await op.getAddress())).to.be.greaterThan(0n);
    });
  });

  describe("conservation", function () {
    it("never owes more than it holds and pays out all but rounding dust of two streams", async function () {
      const { vault, distributor, op, stg, alice, bob, carol, units, harvest } =
        await loadFixture(deployRewardsFixture);
      const holders = [alice, bob, carol];
      const tokens = [op, stg];
      const amounts = [WEEK * E18 + 12_345n, 7_000_001n];
      await vault.connect(alice).deposit(units(100), alice.address);
      await vault.connect(bob).deposit(units(37), bob.address);
      const start = await harvest(amounts[0], amounts[1]);
      const check = async () => {
        for (const token of tokens) {
          const address = await token.getAddress();
          const [streaming, , accounted] = await distributor.streamOf(address);
          let owed = 0n;
          for (const h of holders) owed += await distributor.earned(h.address, address);
          expect(owed + streaming).to.be.lessThanOrEqual(accounted);
          expect(accounted).to.be.lessThanOrEqual(await token.balanceOf(await distributor.getAddress()));
        }
      };
      const steps: (() => Promise<ContractTransactionResponse>)[] = [
        () => vault.connect(alice).transfer(carol.address, 13n * E18 + 7n),
        () => vault.connect(carol).deposit(units(55), carol.address),
        () => vault.connect(bob).transfer(alice.address, 3n * E18),
        () => vault.connect(alice).redeem(20n * E18, alice.address, alice.address),
        () => distributor.connect(bob).claim([stg.getAddress()], bob.address),
        () => vault.connect(carol).transfer(bob.address, 11n * E18 + 1n),
        async () => vault.connect(bob).redeem(await vault.balanceOf(bob.address), bob.address, bob.address),
      ];
      for (const [i, step] of steps.entries()) {
        await time.setNextBlockTimestamp(start + BigInt(i + 1) * DAY - 1_234n);
        await step();
        await check();
      }
      await time.increaseTo(start + 2n * WEEK);
      await check();
      for (const [t, token] of tokens.entries()) {
        const address = await token.getAddress();
        let paid = 0n;
        for (const h of holders) {
          const owed = await distributor.earned(h.address, address);
          const before = await token.balanceOf(h.address);
          await distributor.connect(h).claim([address], h.address);
          paid += (await token.balanceOf(h.address)) - before;
          expect((await token.balanceOf(h.address)) - before).to.equal(owed);
        }
        const [streaming, , accounted] = await distributor.streamOf(address);
        expect(streaming).to.equal(0n);
        expect(await token.balanceOf(await distributor.getAddress())).to.equal(accounted);
        // Bob's earlier claim of STG is outside `paid`: only the dust bound is checked here.
        expect(accounted).to.be.lessThanOrEqual(20n);
        expect(paid).to.be.lessThanOrEqual(amounts[t]);
      }
    });
  });

  describe("gas", function () {
    it("keeps a share transfer with rewards active within twice a plain share transfer", async function () {
      // Baseline: the same vault without a distributor.
      const plain = await loadFixture(deploy6);
      await plain.vault.connect(plain.alice).deposit(plain.units(100), plain.alice.address);
      await plain.vault.connect(plain.bob).deposit(plain.units(100), plain.bob.address);
      await plain.vault.connect(plain.alice).transfer(plain.bob.address, E18);
      const gasOf = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!.gasUsed;
      const plainGas = await gasOf(plain.vault.connect(plain.alice).transfer(plain.bob.address, E18));
      const plainFresh = await gasOf(plain.vault.connect(plain.alice).transfer(plain.carol.address, E18));

      const f = await loadFixture(deployRewardsFixture);
      await f.vault.connect(f.alice).deposit(f.units(100), f.alice.address);
      await f.vault.connect(f.bob).deposit(f.units(100), f.bob.address);
      await f.vault.connect(f.alice).transfer(f.bob.address, E18);
      const idleGas = await gasOf(f.vault.connect(f.alice).transfer(f.bob.address, E18));

      await f.harvest(700n * E18);
      await time.increase(DAY);
      const firstGas = await gasOf(f.vault.connect(f.alice).transfer(f.bob.address, E18));
      await time.increase(DAY);
      const oneToken = await gasOf(f.vault.connect(f.alice).transfer(f.bob.address, E18));
      await time.increase(DAY);
      const oneTokenFresh = await gasOf(f.vault.connect(f.alice).transfer(f.carol.address, E18));

      await f.harvest(0n, 700_000_000n);
      await time.increase(DAY);
      await f.vault.connect(f.alice).transfer(f.bob.address, E18);
      await time.increase(DAY);
      const twoTokens = await gasOf(f.vault.connect(f.alice).transfer(f.bob.address, E18));

      const rows = {
        "plain share transfer (no distributor), existing recipient": plainGas,
        "plain share transfer (no distributor), fresh recipient": plainFresh,
        "distributor set, no reward token yet": idleGas,
        "1 active token, first settlement of both holders": firstGas,
        "1 active token, steady state": oneToken,
        "1 active token, fresh recipient": oneTokenFresh,
        "2 active tokens, steady state": twoTokens,
      };
      console.log("      gas used by vault share transfers:");
      for (const [name, gas] of Object.entries(rows)) {
        console.log(`        ${name}: ${gas} (${(Number(gas) / Number(plainGas)).toFixed(2)}x)`);
      }
      // Coverage instrumentation inflates the numbers: the bound holds for the real bytecode only.
      if (!(hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) {
        expect(oneToken).to.be.lessThanOrEqual(2n * plainGas);
        expect(oneTokenFresh).to.be.lessThanOrEqual(2n * plainFresh);
        // Two tokens: 2.24x measured (a cold slot per stream and per holder and token is the floor); guard 2.3x.
        expect(twoTokens).to.be.lessThanOrEqual((23n * plainGas) / 10n);
      }
    });
  });
});
