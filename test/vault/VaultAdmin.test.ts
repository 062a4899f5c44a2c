import { expect } from "chai";
import { anyUint } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  ERC4626Adapter__factory,
  IRollupVault__factory,
  MisbehavingAdapter__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  ReentrantAdapter__factory,
  RollupVault__factory,
  VaultAdmin__factory,
} from "../../typechain-types";
import { deploy6, type VaultFixture } from "../helpers/fixtures";
import {
  BPS,
  DAY,
  MAX_UINT128,
  addMisbehaving,
  addSecondAdapter,
  checkStrayBalancesAfterEach,
  core,
  depositFor,
  deployDistributor,
  expectUnchanged,
  load,
} from "../helpers/vault";

type RoleName = "owner" | "curator" | "allocator" | "guardian" | "keeper";

/** A role-gated admin call: who may make it, a valid call, the event it emits and how to read it back. */
type AdminCase = {
  fn: string;
  role: RoleName;
  args: (f: VaultFixture) => Promise<unknown[]> | unknown[];
  event: string;
  eventArgs: (f: VaultFixture, args: unknown[]) => Promise<unknown[]> | unknown[];
  readBack: (f: VaultFixture, args: unknown[]) => Promise<unknown>;
  expected: (f: VaultFixture, args: unknown[]) => Promise<unknown> | unknown;
};

const CASES: AdminCase[] = [
  {
    fn: "setOwner",
    role: "owner",
    args: (f) => [f.bob.address],
    event: "OwnerSet",
    eventArgs: (f) => [f.bob.address],
    readBack: (f) => f.vault.owner(),
    expected: (f) => f.bob.address,
  },
  {
    fn: "setCurator",
    role: "owner",
    args: (f) => [f.bob.address],
    event: "CuratorSet",
    eventArgs: (f) => [f.bob.address],
    readBack: (f) => f.vault.curator(),
    expected: (f) => f.bob.address,
  },
  {
    fn: "setGuardian",
    role: "owner",
    args: (f) => [f.bob.address],
    event: "GuardianSet",
    eventArgs: (f) => [f.bob.address],
    readBack: (f) => f.vault.guardian(),
    expected: (f) => f.bob.address,
  },
  {
    fn: "setAllocator",
    role: "owner",
    args: (f) => [f.bob.address, true],
    event: "AllocatorSet",
    eventArgs: (f) => [f.bob.address, true],
    readBack: (f) => f.vault.isAllocator(f.bob.address),
    expected: () => true,
  },
  {
    fn: "setKeeper",
    role: "owner",
    args: (f) => [f.bob.address, true],
    event: "KeeperSet",
    eventArgs: (f) => [f.bob.address, true],
    readBack: (f) => f.vault.isKeeper(f.bob.address),
    expected: () => true,
  },
  {
    fn: "setTimelock",
    role: "owner",
    args: () => [DAY],
    event: "TimelockSet",
    eventArgs: () => [DAY],
    readBack: (f) => f.vault.timelock(),
    expected: () => DAY,
  },
  {
    fn: "setFeeRecipient",
    role: "owner",
    args: (f) => [f.bob.address],
    event: "FeeRecipientSet",
    eventArgs: (f) => [f.bob.address],
    readBack: (f) => f.vault.feeRecipient(),
    expected: (f) => f.bob.address,
  },
  {
    fn: "setSkimRecipient",
    role: "owner",
    args: (f) => [f.bob.address],
    event: "SkimRecipientSet",
    eventArgs: (f) => [f.bob.address],
    readBack: (f) => f.vault.skimRecipient(),
    expected: (f) => f.bob.address,
  },
  {
    fn: "setRewardsDistributor",
    role: "owner",
    args: (f) => [f.carol.address],
    event: "RewardsDistributorSet",
    eventArgs: (f) => [f.carol.address],
    readBack: (f) => f.vault.rewardsDistributor(),
    expected: (f) => f.carol.address,
  },
  {
    fn: "addAdapter",
    role: "curator",
    args: async (f) => [await newAdapter(f), 1000n, 5000n],
    event: "AdapterAdded",
    eventArgs: (_f, args) => args,
    readBack: async (f, args) => f.vault.adapterConfig(args[0] as string),
    expected: () => [true, 0n, 1000n, 5000n],
  },
  {
    fn: "removeAdapter",
    role: "curator",
    args: (f) => [f.adapter.target],
    event: "AdapterRemoved",
    eventArgs: (f) => [f.adapter.target],
    readBack: async (f) => (await f.vault.adapterConfig(f.adapter.target)).enabled,
    expected: () => false,
  },
  {
    fn: "setAbsoluteCap",
    role: "curator",
    args: (f) => [f.adapter.target, 1234n],
    event: "AbsoluteCapSet",
    eventArgs: (f) => [f.adapter.target, 1234n],
    readBack: async (f) => (await f.vault.adapterConfig(f.adapter.target)).absoluteCap,
    expected: () => 1234n,
  },
  {
    fn: "setRelativeCap",
    role: "curator",
    args: (f) => [f.adapter.target, 4321n],
    event: "RelativeCapSet",
    eventArgs: (f) => [f.adapter.target, 4321n],
    readBack: async (f) => (await f.vault.adapterConfig(f.adapter.target)).relativeCapBps,
    expected: () => 4321n,
  },
  {
    fn: "setDepositLimit",
    role: "curator",
    args: () => [10n ** 12n],
    event: "DepositLimitSet",
    eventArgs: () => [10n ** 12n],
    readBack: (f) => f.vault.depositLimit(),
    expected: () => 10n ** 12n,
  },
  {
    fn: "setMinIdle",
    role: "curator",
    args: () => [777n],
    event: "MinIdleSet",
    eventArgs: () => [777n],
    readBack: (f) => f.vault.minIdle(),
    expected: () => 777n,
  },
  {
    fn: "setPerformanceFee",
    role: "curator",
    args: () => [1_000n],
    event: "PerformanceFeeSet",
    eventArgs: () => [1_000n],
    readBack: (f) => f.vault.performanceFee(),
    expected: () => 1_000n,
  },
  {
    fn: "setManagementFee",
    role: "curator",
    args: () => [200n],
    event: "ManagementFeeSet",
    eventArgs: () => [200n],
    readBack: (f) => f.vault.managementFee(),
    expected: () => 200n,
  },
  {
    fn: "setProfitUnlockTime",
    role: "curator",
    args: () => [3n * DAY],
    event: "ProfitUnlockTimeSet",
    eventArgs: () => [3n * DAY],
    readBack: (f) => f.vault.profitUnlockTime(),
    expected: () => 3n * DAY,
  },
  {
    fn: "setMaxGain",
    role: "curator",
    args: () => [2_000n],
    event: "MaxGainSet",
    eventArgs: () => [2_000n],
    readBack: (f) => f.vault.maxGainBps(),
    expected: () => 2_000n,
  },
  {
    fn: "setHarvestInterval",
    role: "curator",
    args: () => [DAY],
    event: "HarvestIntervalSet",
    eventArgs: () => [DAY],
    readBack: (f) => f.vault.harvestInterval(),
    expected: () => DAY,
  },
  {
    fn: "setWithdrawQueue",
    role: "allocator",
    args: (f) => [[f.adapter.target]],
    event: "WithdrawQueueSet",
    eventArgs: (f) => [[f.adapter.target]],
    readBack: async (f) => (await f.vault.withdrawQueue()).join(),
    expected: (f) => f.adapter.target,
  },
  {
    fn: "setPaused",
    role: "guardian",
    args: () => [true],
    event: "PausedSet",
    eventArgs: (f) => [f.guardian.address, true],
    readBack: (f) => f.vault.paused(),
    expected: () => true,
  },
  {
    fn: "submit",
    role: "curator",
    args: () => ["0x12345678"],
    event: "Submitted",
    eventArgs: () => ["0x12345678", "0x12345678", anyUint],
    readBack: (f) => f.vault.executableAt("0x12345678"),
    expected: async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp),
  },
];

/** Deploys an ERC-4626 adapter (over a fresh target) bound to the fixture's vault, not yet enabled. */
async function newAdapter(f: VaultFixture): Promise<string> {
  const target = await new MockERC4626Target__factory(f.owner).deploy(f.asset.target);
  const adapter = await new ERC4626Adapter__factory(f.owner).deploy(f.vault.target, target.target);
  return adapter.target as string;
}

/** Roles that may not make a call gated to `role` (the owner may act in every role). */
const OUTSIDERS: Record<RoleName, RoleName[]> = {
  owner: ["curator", "guardian", "allocator"],
  curator: ["allocator", "guardian", "keeper"],
  allocator: ["curator", "guardian", "keeper"],
  guardian: ["curator", "allocator", "keeper"],
  keeper: ["curator", "allocator", "guardian"],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function call(f: VaultFixture, who: HardhatEthersSigner, fn: string, args: unknown[]): Promise<any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (f.vault.connect(who) as any)[fn](...args);
}

describe("VaultAdmin (through the vault)", function () {
  checkStrayBalancesAfterEach();

  describe("role-gated setters", function () {
    for (const c of CASES) {
      describe(c.fn, function () {
        it(`lets the ${c.role} call it, emitting ${c.event}`, async function () {
          const f = await load(deploy6);
          const args = await c.args(f);
          const eventArgs = await c.eventArgs(f, args);
          await expect(call(f, f[c.role], c.fn, args))
            .to.emit(f.vault, c.event)
            .withArgs(...eventArgs);
          expect(await c.readBack(f, args)).to.deep.equal(await c.expected(f, args));
        });

        if (c.role !== "owner") {
          it("lets the owner act in that role", async function () {
            const f = await load(deploy6);
            const args = await c.args(f);
            await call(f, f.owner, c.fn, args);
            expect(await c.readBack(f, args)).to.deep.equal(await c.expected(f, args));
          });
        }

        for (const outsider of [...OUTSIDERS[c.role], "alice" as const]) {
          it(`refuses it from the ${outsider}`, async function () {
            const f = await load(deploy6);
            const args = await c.args(f);
            await expectUnchanged(f, () =>
              expect(call(f, f[outsider], c.fn, args))
                .to.be.revertedWithCustomError(f.vault, "Unauthorized")
                .withArgs(f[outsider].address),
            );
          });
        }

        it("is refused when called on the admin module directly", async function () {
          const f = await load(deploy6);
          const admin = VaultAdmin__factory.connect(await core(f).ADMIN(), f[c.role]);
          const args = await c.args(f);
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          await expect((admin as any)[c.fn](...args))
            .to.be.revertedWithCustomError(admin, "Unauthorized")
            .withArgs(f[c.role].address);
        });
      });
    }

    it("refuses revoke on the admin module directly", async function () {
      const f = await load(deploy6);
      const admin = VaultAdmin__factory.connect(await core(f).ADMIN(), f.guardian);
      await expect(admin.revoke("0x12345678"))
        .to.be.revertedWithCustomError(admin, "Unauthorized")
        .withArgs(f.guardian.address);
    });

    it("refuses revoke from a curator", async function () {
      const f = await load(deploy6);
      await f.vault.connect(f.curator).submit("0x12345678");
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).revoke("0x12345678"))
          .to.be.revertedWithCustomError(f.vault, "Unauthorized")
          .withArgs(f.curator.address),
      );
    });
  });

  describe("AlreadySet", function () {
    const same: [string, RoleName, (f: VaultFixture) => unknown[]][] = [
      ["setOwner", "owner", (f) => [f.owner.address]],
      ["setCurator", "owner", (f) => [f.curator.address]],
      ["setGuardian", "owner", (f) => [f.guardian.address]],
      ["setAllocator", "owner", (f) => [f.allocator.address, true]],
      ["setAllocator", "owner", (f) => [f.bob.address, false]],
      ["setKeeper", "owner", (f) => [f.keeper.address, true]],
      ["setKeeper", "owner", (f) => [f.bob.address, false]],
      ["setTimelock", "owner", () => [0n]],
      ["setFeeRecipient", "owner", (f) => [f.feeRecipient.address]],
      ["setSkimRecipient", "owner", (f) => [f.owner.address]],
      ["setRewardsDistributor", "owner", () => [ethers.ZeroAddress]],
      ["setAbsoluteCap", "curator", (f) => [f.adapter.target, MAX_UINT128]],
      ["setRelativeCap", "curator", (f) => [f.adapter.target, BPS]],
      ["setDepositLimit", "curator", () => [MAX_UINT128]],
      ["setMinIdle", "curator", () => [0n]],
      ["setPerformanceFee", "curator", () => [0n]],
      ["setManagementFee", "curator", () => [0n]],
      ["setProfitUnlockTime", "curator", () => [7n * DAY]],
      ["setMaxGain", "curator", () => [1_000n]],
      ["setHarvestInterval", "curator", () => [0n]],
      ["setPaused", "guardian", () => [false]],
    ];
    for (const [fn, role, args] of same) {
      it(`${fn} reverts when the value is already set`, async function () {
        const f = await load(deploy6);
        await expectUnchanged(f, () =>
          expect(call(f, f[role], fn, args(f))).to.be.revertedWithCustomError(f.vault, "AlreadySet"),
        );
      });
    }
  });

  describe("AboveMax", function () {
    const above: [string, (f: VaultFixture) => unknown[], bigint, bigint][] = [
      ["setTimelock", () => [30n * DAY + 1n], 30n * DAY + 1n, 30n * DAY],
      ["setDepositLimit", () => [MAX_UINT128 + 1n], MAX_UINT128 + 1n, MAX_UINT128],
      ["setPerformanceFee", () => [5_001n], 5_001n, 5_000n],
      ["setManagementFee", () => [501n], 501n, 500n],
      ["setProfitUnlockTime", () => [30n * DAY + 1n], 30n * DAY + 1n, 30n * DAY],
      ["setMaxGain", () => [BPS + 1n], BPS + 1n, BPS],
      ["setHarvestInterval", () => [2n ** 32n], 2n ** 32n, 2n ** 32n - 1n],
      ["setAbsoluteCap", (f) => [f.adapter.target, MAX_UINT128 + 1n], MAX_UINT128 + 1n, MAX_UINT128],
      ["setRelativeCap", (f) => [f.adapter.target, BPS + 1n], BPS + 1n, BPS],
    ];
    for (const [fn, args, value, max] of above) {
      it(`${fn} reverts above its bound`, async function () {
        const f = await load(deploy6);
        await expectUnchanged(f, () =>
          expect(call(f, f.owner, fn, args(f)))
            .to.be.revertedWithCustomError(f.vault, "AboveMax")
            .withArgs(value, max),
        );
      });
    }

    it("addAdapter reverts above the absolute cap bound", async function () {
      const f = await load(deploy6);
      const a = await newAdapter(f);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).addAdapter(a, MAX_UINT128 + 1n, 0))
          .to.be.revertedWithCustomError(f.vault, "AboveMax")
          .withArgs(MAX_UINT128 + 1n, MAX_UINT128),
      );
    });

    it("addAdapter reverts above the relative cap bound", async function () {
      const f = await load(deploy6);
      const a = await newAdapter(f);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).addAdapter(a, 0, BPS + 1n))
          .to.be.revertedWithCustomError(f.vault, "AboveMax")
          .withArgs(BPS + 1n, BPS),
      );
    });
  });

  describe("ZeroAddress", function () {
    const zero: [string, (f: VaultFixture) => unknown[]][] = [
      ["setOwner", () => [ethers.ZeroAddress]],
      ["setAllocator", () => [ethers.ZeroAddress, true]],
      ["setKeeper", () => [ethers.ZeroAddress, true]],
      ["setFeeRecipient", () => [ethers.ZeroAddress]],
      ["setSkimRecipient", () => [ethers.ZeroAddress]],
      ["addAdapter", () => [ethers.ZeroAddress, 0n, 0n]],
    ];
    for (const [fn, args] of zero) {
      it(`${fn} refuses the zero address`, async function () {
        const f = await load(deploy6);
        await expectUnchanged(f, () =>
          expect(call(f, f.owner, fn, args(f))).to.be.revertedWithCustomError(f.vault, "ZeroAddress"),
        );
      });
    }

    for (const fn of ["setPerformanceFee", "setManagementFee"]) {
      it(`${fn} refuses a non-zero fee without a fee recipient`, async function () {
        const [deployer] = await ethers.getSigners();
        const asset = await new MockERC20__factory(deployer).deploy("A", "A", 6);
        const admin = await new VaultAdmin__factory(deployer).deploy();
        const raw = await new RollupVault__factory(deployer).deploy(
          asset.target,
          "V",
          "V",
          deployer.address,
          admin.target,
        );
        const vault = IRollupVault__factory.connect(raw.target as string, deployer);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await expect((vault as any)[fn](100n)).to.be.revertedWithCustomError(vault, "ZeroAddress");
        expect(await vault.performanceFee()).to.equal(0n);
        expect(await vault.managementFee()).to.equal(0n);
      });
    }
  });

  describe("adapters", function () {
    it("addAdapter appends to the withdraw queue with its caps", async function () {
      const f = await load(deploy6);
      const { adapter2 } = await addSecondAdapter(f);
      expect(await f.vault.withdrawQueue()).to.deep.equal([f.adapter.target, adapter2.target]);
      expect(await f.vault.adapterConfig(adapter2.target)).to.deep.equal([true, 0n, MAX_UINT128, BPS]);
    });

    it("addAdapter refuses an adapter already enabled", async function () {
      const f = await load(deploy6);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).addAdapter(f.adapter.target, 1, 1))
          .to.be.revertedWithCustomError(f.vault, "AdapterAlreadyEnabled")
          .withArgs(f.adapter.target),
      );
    });

    it("addAdapter refuses an adapter bound to another vault", async function () {
      const f = await load(deploy6);
      // An adapter of another vault over the same asset: deploy a second vault and bind to it.
      const admin = await new VaultAdmin__factory(f.owner).deploy();
      const vault2 = await new RollupVault__factory(f.owner).deploy(
        f.asset.target,
        "W",
        "W",
        f.owner.address,
        admin.target,
      );
      const foreign = await new MisbehavingAdapter__factory(f.owner).deploy(vault2.target);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).addAdapter(foreign.target, 1, 1))
          .to.be.revertedWithCustomError(f.vault, "AdapterMismatch")
          .withArgs(foreign.target),
      );
    });

    it("addAdapter refuses an adapter of another vault over another asset", async function () {
      const f = await load(deploy6);
      const otherAsset = await new MockERC20__factory(f.owner).deploy("B", "B", 6);
      const admin = await new VaultAdmin__factory(f.owner).deploy();
      const vault2 = await new RollupVault__factory(f.owner).deploy(
        otherAsset.target,
        "W",
        "W",
        f.owner.address,
        admin.target,
      );
      // Bound to a vault over another asset: both the vault and the asset differ.
      const wrongAsset = await new MisbehavingAdapter__factory(f.owner).deploy(vault2.target);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).addAdapter(wrongAsset.target, 1, 1))
          .to.be.revertedWithCustomError(f.vault, "AdapterMismatch")
          .withArgs(wrongAsset.target),
      );
    });

    it("addAdapter refuses an adapter bound to this vault but reporting another asset", async function () {
      const f = await load(deploy6);
      const otherAsset = await new MockERC20__factory(f.owner).deploy("B", "B", 6);
      const wrong = await new ReentrantAdapter__factory(f.owner).deploy(f.vault.target, otherAsset.target);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).addAdapter(wrong.target, 1, 1))
          .to.be.revertedWithCustomError(f.vault, "AdapterMismatch")
          .withArgs(wrong.target),
      );
    });

    it("addAdapter refuses an eleventh adapter", async function () {
      const f = await load(deploy6);
      for (let i = 0; i < 9; i++) await addMisbehaving(f);
      expect((await f.vault.withdrawQueue()).length).to.equal(10);
      const extra = await new MisbehavingAdapter__factory(f.owner).deploy(f.vault.target);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).addAdapter(extra.target, 1, 1)).to.be.revertedWithCustomError(
          f.vault,
          "TooManyAdapters",
        ),
      );
    });

    it("removeAdapter keeps the others in order", async function () {
      const f = await load(deploy6);
      const a = await addMisbehaving(f);
      const b = await addMisbehaving(f);
      await f.vault.connect(f.curator).removeAdapter(a.target);
      expect(await f.vault.withdrawQueue()).to.deep.equal([f.adapter.target, b.target]);
      expect(await f.vault.adapterConfig(a.target)).to.deep.equal([false, 0n, 0n, 0n]);
      await f.vault.connect(f.curator).removeAdapter(b.target);
      expect(await f.vault.withdrawQueue()).to.deep.equal([f.adapter.target]);
    });

    it("removeAdapter refuses an adapter that is not enabled", async function () {
      const f = await load(deploy6);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).removeAdapter(f.bob.address))
          .to.be.revertedWithCustomError(f.vault, "AdapterNotEnabled")
          .withArgs(f.bob.address),
      );
    });

    it("removeAdapter refuses an adapter with debt", async function () {
      const f = await load(deploy6);
      await depositFor(f, f.alice, f.units(10));
      await f.vault.connect(f.allocator).allocate(f.adapter.target, f.units(4));
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).removeAdapter(f.adapter.target))
          .to.be.revertedWithCustomError(f.vault, "AdapterHasDebt")
          .withArgs(f.adapter.target, f.units(4)),
      );
    });

    for (const fn of ["setAbsoluteCap", "setRelativeCap"]) {
      it(`${fn} refuses an adapter that is not enabled`, async function () {
        const f = await load(deploy6);
        await expectUnchanged(f, () =>
          expect(call(f, f.curator, fn, [f.bob.address, 1n]))
            .to.be.revertedWithCustomError(f.vault, "AdapterNotEnabled")
            .withArgs(f.bob.address),
        );
      });
    }

    it("setWithdrawQueue reorders the enabled adapters", async function () {
      const f = await load(deploy6);
      const b = await addMisbehaving(f);
      await f.vault.connect(f.allocator).setWithdrawQueue([b.target, f.adapter.target]);
      expect(await f.vault.withdrawQueue()).to.deep.equal([b.target, f.adapter.target]);
    });

    it("setWithdrawQueue refuses a queue of another length", async function () {
      const f = await load(deploy6);
      const b = await addMisbehaving(f);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.allocator).setWithdrawQueue([b.target])).to.be.revertedWithCustomError(
          f.vault,
          "InvalidQueue",
        ),
      );
    });

    it("setWithdrawQueue refuses an adapter that is not enabled", async function () {
      const f = await load(deploy6);
      await addMisbehaving(f);
      await expectUnchanged(f, () =>
        expect(
          f.vault.connect(f.allocator).setWithdrawQueue([f.adapter.target, f.bob.address]),
        ).to.be.revertedWithCustomError(f.vault, "InvalidQueue"),
      );
    });

    it("setWithdrawQueue refuses a duplicate", async function () {
      const f = await load(deploy6);
      await addMisbehaving(f);
      await expectUnchanged(f, () =>
        expect(
          f.vault.connect(f.allocator).setWithdrawQueue([f.adapter.target, f.adapter.target]),
        ).to.be.revertedWithCustomError(f.vault, "InvalidQueue"),
      );
    });
  });

  describe("views", function () {
    it("read the configuration the fixture set", async function () {
      const f = await load(deploy6);
      const distributor = await deployDistributor(f);
      await f.vault.setRewardsDistributor(distributor.target);
      expect(await f.vault.owner()).to.equal(f.owner.address);
      expect(await f.vault.curator()).to.equal(f.curator.address);
      expect(await f.vault.guardian()).to.equal(f.guardian.address);
      expect(await f.vault.isAllocator(f.allocator.address)).to.equal(true);
      expect(await f.vault.isAllocator(f.alice.address)).to.equal(false);
      expect(await f.vault.isKeeper(f.keeper.address)).to.equal(true);
      expect(await f.vault.feeRecipient()).to.equal(f.feeRecipient.address);
      expect(await f.vault.skimRecipient()).to.equal(f.owner.address);
      expect(await f.vault.rewardsDistributor()).to.equal(distributor.target);
      expect(await f.vault.paused()).to.equal(false);
      expect(await f.vault.isShutdown()).to.equal(false);
      expect(await f.vault.lastHarvest(f.adapter.target)).to.equal(0n);
      expect(await f.vault.executableAt("0x")).to.equal(0n);
    });

    it("the module read directly holds no state of its own", async function () {
      const f = await load(deploy6);
      const admin = VaultAdmin__factory.connect(await core(f).ADMIN(), f.owner);
      expect(await admin.owner()).to.equal(ethers.ZeroAddress);
      expect(await admin.withdrawQueue()).to.deep.equal([]);
    });

    it("revoking roles and removing the curator or distributor take effect at once", async function () {
      const f = await load(deploy6);
      await f.vault.setTimelock(DAY);
      await f.vault.setAllocator(f.allocator.address, false);
      await f.vault.setKeeper(f.keeper.address, false);
      await f.vault.setCurator(ethers.ZeroAddress);
      expect(await f.vault.isAllocator(f.allocator.address)).to.equal(false);
      expect(await f.vault.isKeeper(f.keeper.address)).to.equal(false);
      expect(await f.vault.curator()).to.equal(ethers.ZeroAddress);
      await expect(f.vault.connect(f.keeper).report(f.adapter.target))
        .to.be.revertedWithCustomError(f.vault, "Unauthorized")
        .withArgs(f.keeper.address);
    });
  });
});
