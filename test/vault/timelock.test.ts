import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ERC4626Adapter__factory, MockERC4626Target__factory, VaultAdmin__factory } from "../../typechain-types";
import { deploy6, type VaultFixture } from "../helpers/fixtures";
import {
  DAY,
  checkStrayBalancesAfterEach,
  core,
  deployDistributor,
  expectUnchanged,
  latest,
  load,
} from "../helpers/vault";

const DELAY = 2n * DAY;

/** A vault whose timelock is DELAY, with a lowered cap and fees so that raising them is risk-raising. */
async function timelocked(): Promise<VaultFixture> {
  const f = await load(deploy6);
  await f.vault.connect(f.curator).setAbsoluteCap(f.adapter.target, f.units(1_000));
  await f.vault.connect(f.curator).setRelativeCap(f.adapter.target, 5_000);
  await f.vault.connect(f.curator).setDepositLimit(f.units(1_000_000));
  await f.vault.connect(f.curator).setPerformanceFee(1_000);
  await f.vault.connect(f.curator).setManagementFee(100);
  await f.vault.connect(f.owner).setTimelock(DELAY);
  return f;
}

type RiskCase = {
  name: string;
  by: "owner" | "curator";
  data: (f: VaultFixture) => Promise<string> | string;
  check: (f: VaultFixture) => Promise<unknown>;
};

const iface = VaultAdmin__factory.createInterface();

async function freshAdapter(f: VaultFixture): Promise<string> {
  const target = await new MockERC4626Target__factory(f.owner).deploy(f.asset.target);
  return (await new ERC4626Adapter__factory(f.owner).deploy(f.vault.target, target.target)).target as string;
}

let added = "";
const RISK_RAISING: RiskCase[] = [
  {
    name: "addAdapter",
    by: "curator",
    data: async (f) => {
      added = await freshAdapter(f);
      return iface.encodeFunctionData("addAdapter", [added, 100n, 100n]);
    },
    check: async (f) => expect((await f.vault.adapterConfig(added)).enabled).to.equal(true),
  },
  {
    name: "setAbsoluteCap (raise)",
    by: "curator",
    data: (f) => iface.encodeFunctionData("setAbsoluteCap", [f.adapter.target as string, f.units(2_000)]),
    check: async (f) => expect((await f.vault.adapterConfig(f.adapter.target)).absoluteCap).to.equal(f.units(2_000)),
  },
  {
    name: "setRelativeCap (raise)",
    by: "curator",
    data: (f) => iface.encodeFunctionData("setRelativeCap", [f.adapter.target as string, 6_000n]),
    check: async (f) => expect((await f.vault.adapterConfig(f.adapter.target)).relativeCapBps).to.equal(6_000n),
  },
  {
    name: "setPerformanceFee (raise)",
    by: "curator",
    data: () => iface.encodeFunctionData("setPerformanceFee", [2_000n]),
    check: async (f) => expect(await f.vault.performanceFee()).to.equal(2_000n),
  },
  {
    name: "setManagementFee (raise)",
    by: "curator",
    data: () => iface.encodeFunctionData("setManagementFee", [200n]),
    check: async (f) => expect(await f.vault.managementFee()).to.equal(200n),
  },
  {
    name: "setDepositLimit (raise)",
    by: "curator",
    data: (f) => iface.encodeFunctionData("setDepositLimit", [f.units(2_000_000)]),
    check: async (f) => expect(await f.vault.depositLimit()).to.equal(f.units(2_000_000)),
  },
  {
    name: "setMaxGain (raise)",
    by: "curator",
    data: () => iface.encodeFunctionData("setMaxGain", [2_000n]),
    check: async (f) => expect(await f.vault.maxGainBps()).to.equal(2_000n),
  },
  {
    name: "setAllocator (grant)",
    by: "owner",
    data: (f) => iface.encodeFunctionData("setAllocator", [f.bob.address, true]),
    check: async (f) => expect(await f.vault.isAllocator(f.bob.address)).to.equal(true),
  },
  {
    name: "setKeeper (grant)",
    by: "owner",
    data: (f) => iface.encodeFunctionData("setKeeper", [f.bob.address, true]),
    check: async (f) => expect(await f.vault.isKeeper(f.bob.address)).to.equal(true),
  },
  {
    name: "setCurator (appoint)",
    by: "owner",
    data: (f) => iface.encodeFunctionData("setCurator", [f.bob.address]),
    check: async (f) => expect(await f.vault.curator()).to.equal(f.bob.address),
  },
  {
    name: "setGuardian",
    by: "owner",
    data: (f) => iface.encodeFunctionData("setGuardian", [f.bob.address]),
    check: async (f) => expect(await f.vault.guardian()).to.equal(f.bob.address),
  },
  {
    name: "setOwner",
    by: "owner",
    data: (f) => iface.encodeFunctionData("setOwner", [f.bob.address]),
    check: async (f) => expect(await f.vault.owner()).to.equal(f.bob.address),
  },
  {
    name: "setRewardsDistributor (set)",
    by: "owner",
    data: (f) => iface.encodeFunctionData("setRewardsDistributor", [f.carol.address]),
    check: async (f) => expect(await f.vault.rewardsDistributor()).to.equal(f.carol.address),
  },
  {
    name: "setRewardsDistributor (remove, issue 8.6)",
    by: "owner",
    data: async (f) => {
      // Installs a distributor through the timelock first, then returns the removal.
      const distributor = await deployDistributor(f);
      const set = iface.encodeFunctionData("setRewardsDistributor", [distributor.target as string]);
      await f.vault.connect(f.owner).submit(set);
      await time.increase(DELAY);
      await send(f, f.owner, set);
      return iface.encodeFunctionData("setRewardsDistributor", [ethers.ZeroAddress]);
    },
    check: async (f) => expect(await f.vault.rewardsDistributor()).to.equal(ethers.ZeroAddress),
  },
  {
    name: "setSkimRecipient (issue 8.6)",
    by: "owner",
    data: (f) => iface.encodeFunctionData("setSkimRecipient", [f.bob.address]),
    check: async (f) => expect(await f.vault.skimRecipient()).to.equal(f.bob.address),
  },
  {
    name: "setProfitUnlockTime (shorten, issue 8.11)",
    by: "curator",
    data: () => iface.encodeFunctionData("setProfitUnlockTime", [DAY]),
    check: async (f) => expect(await f.vault.profitUnlockTime()).to.equal(DAY),
  },
  {
    name: "setTimelock (lower)",
    by: "owner",
    data: () => iface.encodeFunctionData("setTimelock", [DAY]),
    check: async (f) => expect(await f.vault.timelock()).to.equal(DAY),
  },
];

function send(f: VaultFixture, who: HardhatEthersSigner, data: string) {
  return who.sendTransaction({ to: f.vault.target, data });
}

describe("Timelock", function () {
  checkStrayBalancesAfterEach();

  for (const c of RISK_RAISING) {
    describe(c.name, function () {
      it("reverts with NotSubmitted when called directly", async function () {
        const f = await timelocked();
        const data = await c.data(f);
        await expectUnchanged(f, () =>
          expect(send(f, f[c.by], data)).to.be.revertedWithCustomError(f.vault, "NotSubmitted"),
        );
      });

      it("reverts with TimelockNotElapsed before the delay", async function () {
        const f = await timelocked();
        const data = await c.data(f);
        await f.vault.connect(f.curator).submit(data);
        const at = await f.vault.executableAt(data);
        expect(at).to.equal((await latest()) + DELAY);
        await time.increaseTo(at - 2n);
        await expectUnchanged(f, () =>
          expect(send(f, f[c.by], data))
            .to.be.revertedWithCustomError(f.vault, "TimelockNotElapsed")
            .withArgs(at),
        );
      });

      it("executes once after the delay, consuming the submission", async function () {
        const f = await timelocked();
        const data = await c.data(f);
        const at = (await latest()) + 1n + DELAY;
        await expect(f.vault.connect(f.curator).submit(data))
          .to.emit(f.vault, "Submitted")
          .withArgs(data.slice(0, 10), data, at);
        await time.increase(DELAY);
        await expect(send(f, f[c.by], data))
          .to.emit(f.vault, "Accepted")
          .withArgs(data.slice(0, 10), data);
        await c.check(f);
        expect(await f.vault.executableAt(data)).to.equal(0n);
      });

      it("cannot execute after the guardian revoked it", async function () {
        const f = await timelocked();
        const data = await c.data(f);
        await f.vault.connect(f.curator).submit(data);
        // Only the owner may revoke the guardian's replacement (issue 8.9).
        const revoker = c.name === "setGuardian" ? f.owner : f.guardian;
        await expect(f.vault.connect(revoker).revoke(data))
          .to.emit(f.vault, "Revoked")
          .withArgs(data.slice(0, 10), data, revoker.address);
        expect(await f.vault.executableAt(data)).to.equal(0n);
        await time.increase(DELAY);
        await expectUnchanged(f, () =>
          expect(send(f, f[c.by], data)).to.be.revertedWithCustomError(f.vault, "NotSubmitted"),
        );
      });
    });
  }

  describe("submit and revoke", function () {
    it("refuses a second submission of a pending call", async function () {
      const f = await timelocked();
      await f.vault.connect(f.curator).submit("0xabcdef01");
      const at = await f.vault.executableAt("0xabcdef01");
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.owner).submit("0xabcdef01")).to.be.revertedWithCustomError(f.vault, "AlreadyPending"),
      );
      expect(await f.vault.executableAt("0xabcdef01")).to.equal(at);
    });

    it("refuses to revoke a call that is not pending", async function () {
      const f = await timelocked();
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.guardian).revoke("0xabcdef01")).to.be.revertedWithCustomError(f.vault, "NotSubmitted"),
      );
    });

    it("lets the owner revoke as well", async function () {
      const f = await timelocked();
      await f.vault.connect(f.curator).submit("0xabcdef01");
      await f.vault.connect(f.owner).revoke("0xabcdef01");
      expect(await f.vault.executableAt("0xabcdef01")).to.equal(0n);
    });

    it("binds the submission to the exact calldata", async function () {
      const f = await timelocked();
      await f.vault.connect(f.curator).submit(iface.encodeFunctionData("setPerformanceFee", [2_000n]));
      await time.increase(DELAY);
      await expectUnchanged(f, () =>
        expect(f.vault.connect(f.curator).setPerformanceFee(2_001n)).to.be.revertedWithCustomError(
          f.vault,
          "NotSubmitted",
        ),
      );
    });

    it("a consumed submission must be submitted again to run again", async function () {
      const f = await timelocked();
      const up = iface.encodeFunctionData("setPerformanceFee", [2_000n]);
      await f.vault.connect(f.curator).submit(up);
      await time.increase(DELAY);
      await f.vault.connect(f.curator).setPerformanceFee(2_000n);
      await f.vault.connect(f.curator).setPerformanceFee(1_000n); // lowering: immediate
      await expect(f.vault.connect(f.curator).setPerformanceFee(2_000n)).to.be.revertedWithCustomError(
        f.vault,
        "NotSubmitted",
      );
    });

    it("a submission made while the timelock is zero is consumed by the call", async function () {
      const f = await load(deploy6);
      const data = iface.encodeFunctionData("setMaxGain", [3_000n]);
      await f.vault.connect(f.curator).submit(data);
      await expect(f.vault.connect(f.curator).setMaxGain(3_000n)).to.emit(f.vault, "Accepted");
      expect(await f.vault.executableAt(data)).to.equal(0n);
    });

    it("the module refuses submit when called directly", async function () {
      const f = await load(deploy6);
      const admin = VaultAdmin__factory.connect(await core(f).ADMIN(), f.curator);
      await expect(admin.submit("0x12"))
        .to.be.revertedWithCustomError(admin, "Unauthorized")
        .withArgs(f.curator.address);
    });
  });

  describe("risk-reducing changes take effect at once", function () {
    it("lowering caps, fees, the deposit limit and maxGain, and raising the timelock", async function () {
      const f = await timelocked();
      const { vault, curator, owner, adapter, units } = f;
      await vault.connect(curator).setAbsoluteCap(adapter.target, units(500));
      await vault.connect(curator).setRelativeCap(adapter.target, 1_000);
      await vault.connect(curator).setPerformanceFee(500);
      await vault.connect(curator).setManagementFee(50);
      await vault.connect(curator).setDepositLimit(units(10));
      await vault.connect(curator).setMaxGain(500);
      await vault.connect(owner).setTimelock(3n * DAY);
      expect(await vault.adapterConfig(adapter.target)).to.deep.equal([true, 0n, units(500), 1_000n]);
      expect(await vault.performanceFee()).to.equal(500n);
      expect(await vault.managementFee()).to.equal(50n);
      expect(await vault.depositLimit()).to.equal(units(10));
      expect(await vault.maxGainBps()).to.equal(500n);
      expect(await vault.timelock()).to.equal(3n * DAY);
    });

    it("revoking roles, removing the curator, lengthening the profit unlock, and the unlocked setters", async function () {
      const f = await timelocked();
      const { vault, owner, curator, guardian } = f;
      await vault.connect(owner).setAllocator(f.allocator.address, false);
      await vault.connect(owner).setKeeper(f.keeper.address, false);
      await vault.connect(owner).setFeeRecipient(f.bob.address);
      await vault.connect(curator).setMinIdle(5n);
      await vault.connect(curator).setProfitUnlockTime(8n * DAY);
      await vault.connect(curator).setHarvestInterval(DAY);
      await vault.connect(guardian).setPaused(true);
      await vault.connect(owner).setCurator(ethers.ZeroAddress);
      expect(await vault.curator()).to.equal(ethers.ZeroAddress);
      expect(await vault.isAllocator(f.allocator.address)).to.equal(false);
      expect(await vault.paused()).to.equal(true);
      expect(await vault.profitUnlockTime()).to.equal(8n * DAY);
    });
  });
});
