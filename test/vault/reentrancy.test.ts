import { expect } from "chai";
import { ethers } from "hardhat";
import { ReentrantAdapter__factory, type ReentrantAdapter } from "../../typechain-types";
import { deploy6, type VaultFixture } from "../helpers/fixtures";
import {
  BPS,
  MAX_UINT128,
  checkStrayBalancesAfterEach,
  core,
  depositFor,
  deployDistributor,
  expectUnchanged,
  load,
} from "../helpers/vault";

/** Alice holds 100 idle; a ReentrantAdapter is enabled next to the ERC-4626 adapter, which holds 10. */
async function withReentrant(): Promise<VaultFixture & { evil: ReentrantAdapter }> {
  const f = await load(deploy6);
  const evil = await new ReentrantAdapter__factory(f.owner).deploy(f.vault.target, f.asset.target);
  await f.vault.connect(f.curator).addAdapter(evil.target, MAX_UINT128, BPS);
  await depositFor(f, f.alice, f.units(100));
  await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(10));
  await f.vault.connect(f.alice).approve(evil.target, ethers.MaxUint256);
  await f.asset.connect(f.alice).transfer(evil.target, f.units(5));
  // Issue 10 (operators): Alice makes the adapter her operator, so a re-entered depositMinFrom passes the operator
  // check and only the core's guard refuses it.
  await f.vault.connect(f.alice).setOperator(evil.target, true);
  return { ...f, evil };
}

const ENTRY_POINTS: [string, (f: VaultFixture) => unknown[]][] = [
  ["deposit", (f) => [1n, f.alice.address]],
  ["mint", (f) => [10n ** 12n, f.alice.address]],
  ["withdraw", (f) => [1n, f.alice.address, f.alice.address]],
  ["redeem", (f) => [10n ** 12n, f.alice.address, f.alice.address]],
  ["withdrawWithMaxLoss", (f) => [1n, f.alice.address, f.alice.address, 0n]],
  ["redeemWithMaxLoss", (f) => [10n ** 12n, f.alice.address, f.alice.address, 0n]],
  // Issue 10: the bounded entry points run the core's functions, behind the same guard.
  ["depositMin", (f) => [1n, f.alice.address, 0n]],
  ["mintMax", (f) => [10n ** 12n, f.alice.address, ethers.MaxUint256]],
  ["withdrawMax", (f) => [1n, f.alice.address, f.alice.address, ethers.MaxUint256]],
  ["redeemMin", (f) => [10n ** 12n, f.alice.address, f.alice.address, 0n]],
  // Issue 10 (router gas bar): the operator's deposit runs the core's guarded deposit with the transient payer set.
  ["depositMinFrom", (f) => [f.alice.address, 1n, f.alice.address, 0n]],
  ["mintMaxFrom", (f) => [f.alice.address, 10n ** 12n, f.alice.address, ethers.MaxUint256]],
  ["allocate", (f) => [f.adapter.target, 1n]],
  ["deallocate", (f) => [f.adapter.target, 1n]],
  ["report", (f) => [f.adapter.target]],
  ["harvest", (f) => [f.adapter.target]],
  ["shutdown", () => []],
  // Lives in VaultAdmin since issue 13.5: its guard is the vault's own transient slot, shared with the core.
  ["skim", (f) => [f.alice.address]],
  ["redeemInKind", (f) => [f.adapter.target, 10n ** 12n, f.alice.address, f.alice.address, 0n]],
];

describe("Reentrancy", function () {
  checkStrayBalancesAfterEach();

  for (const [fn, args] of ENTRY_POINTS) {
    it(`refuses ${fn} re-entered from an adapter's allocate`, async function () {
      const f = await withReentrant();
      await f.evil.setReenter(f.vault.interface.encodeFunctionData(fn as never, args(f) as never));
      await expectUnchanged(
        f,
        () =>
          expect(f.vault.connect(f.allocator).allocate(f.evil.target, f.units(1))).to.be.revertedWithCustomError(
            core(f),
            "ReentrancyGuardReentrantCall",
          ),
        [f.evil.target as string],
      );
    });
  }

  it("refuses a re-entry from an adapter's deallocate during a withdrawal", async function () {
    const f = await withReentrant();
    await f.vault.connect(f.allocator).allocate(f.evil.target, f.units(90));
    await f.vault.connect(f.allocator).setWithdrawQueue([f.evil.target, f.adapter.target]);
    await f.evil.setReenter(f.vault.interface.encodeFunctionData("deposit", [1n, f.alice.address]));
    // The re-entered deposit reverts, so the adapter's deallocate does: the exit skips the adapter (issue 8.2(a))
    // and, with nothing else liquid, reverts with the shortfall, changing nothing.
    await expectUnchanged(
      f,
      () =>
        expect(f.vault.connect(f.alice).withdraw(f.units(50), f.alice.address, f.alice.address))
          .to.be.revertedWithCustomError(core(f), "InsufficientLiquidity")
          .withArgs(f.units(40)),
      [f.evil.target as string],
    );
  });

  it("refuses a re-entry from an adapter's harvest", async function () {
    const f = await withReentrant();
    const distributor = await deployDistributor(f);
    await f.vault.connect(f.owner).setRewardsDistributor(distributor.target);
    await f.evil.setReenter(f.vault.interface.encodeFunctionData("report", [f.adapter.target]));
    await expectUnchanged(
      f,
      () =>
        expect(f.vault.connect(f.keeper).harvest(f.evil.target)).to.be.revertedWithCustomError(
          core(f),
          "ReentrancyGuardReentrantCall",
        ),
      [f.evil.target as string],
    );
  });

  it("a re-entering adapter cannot block shutdown", async function () {
    const f = await withReentrant();
    await f.vault.connect(f.allocator).allocate(f.evil.target, f.units(20));
    await f.evil.setReenter(f.vault.interface.encodeFunctionData("deposit", [1n, f.alice.address]));
    await f.vault.connect(f.guardian).shutdown();
    expect(await f.vault.isShutdown()).to.equal(true);
    // The healthy adapter was emptied; the re-entering one kept its debt.
    expect((await f.vault.adapterConfig(f.adapter.target)).debt).to.equal(0n);
    expect((await f.vault.adapterConfig(f.evil.target)).debt).to.equal(f.units(20));
    await f.evil.setReenter("0x");
    await f.vault.connect(f.allocator).deallocate(f.evil.target, f.units(20));
    // The 5 loose units sent to the adapter in the fixture are its own, outside the books.
    expect(await f.asset.balanceOf(f.evil.target)).to.equal(f.units(5));
  });
});
