import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deploySuiteInProcess } from "../../deploy/inProcess";
import type { VaultStatus } from "../../tasks/status";

/** The suite through the Ignition modules, with every role held by a different account. */
async function suiteFixture() {
  const [deployer, curator, allocator, guardian, keeper, feeRecipient, alice, bob] = await ethers.getSigners();
  const suite = await deploySuiteInProcess(hre, {
    roles: {
      curator: curator.address,
      allocator: allocator.address,
      guardian: guardian.address,
      keeper: keeper.address,
      feeRecipient: feeRecipient.address,
    },
  });
  const units = (n: number) => ethers.parseUnits(String(n), 6);
  await suite.asset.mint(alice.address, units(10_000));
  return {
    ...suite,
    vaultAddress: await suite.vault.getAddress(),
    adapterAddress: await suite.adapter.getAddress(),
    deployer,
    curator,
    allocator,
    guardian,
    keeper,
    alice,
    bob,
    units,
  };
}

/** A fixture with alice's 1,000 deposited and 600 allocated. */
async function fundedFixture() {
  const f = await suiteFixture();
  await hre.run("vault:deposit", { vault: f.vaultAddress, from: f.alice.address, amount: "1000" });
  await hre.run("vault:allocate", {
    vault: f.vaultAddress,
    from: f.allocator.address,
    adapter: f.adapterAddress,
    amount: "600",
  });
  return f;
}

describe("Operator tasks", function () {
  let log: typeof console.log;
  beforeEach(function () {
    log = console.log;
    console.log = () => undefined;
  });
  afterEach(function () {
    console.log = log;
  });

  describe("vault:status", function () {
    it("reports the books, the adapter and its caps", async function () {
      const f = await loadFixture(fundedFixture);
      const status = (await hre.run("vault:status", { vault: f.vaultAddress })) as VaultStatus;
      expect(status.totalAssets).to.equal(f.units(1_000));
      expect(status.idle).to.equal(f.units(400));
      expect(status.debt).to.equal(f.units(600));
      expect(status.liquidNow).to.equal(f.units(1_000));
      expect(status.sharePrice).to.equal(f.units(1));
      expect(status.paused).to.equal(false);
      // The main vault of the suite: the ERC-4626 adapter first, then the (empty) Stargate adapter.
      expect(status.adapters).to.have.length(2);
      expect(status.adapters[0]).to.include({
        adapter: f.adapterAddress,
        debt: f.units(600),
        releasable: f.units(600),
      });
      expect(status.adapters[0].absoluteCap).to.equal(f.units(100_000_000));
      expect(status.pending).to.deep.equal([]);
    });

    it("fails without --vault when the chain has no deployment record", async function () {
      await loadFixture(suiteFixture);
      await expect(hre.run("vault:status", {})).to.be.rejectedWith(/No --vault given and no Vault#RollupVault/);
    });

    it("fails on a --vault that is not an address", async function () {
      await expect(hre.run("vault:status", { vault: "0x1234" })).to.be.rejectedWith("--vault 0x1234 is not an address");
    });
  });

  describe("vault:deposit", function () {
    it("approves the vault and deposits", async function () {
      const f = await loadFixture(suiteFixture);
      await hre.run("vault:deposit", { vault: f.vaultAddress, from: f.alice.address, amount: "250.5" });
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("250.5", 18));
      expect(await f.vault.totalIdle()).to.equal(ethers.parseUnits("250.5", 6));
    });

    it("refuses more than the sender holds, sending nothing", async function () {
      const f = await loadFixture(suiteFixture);
      await expect(
        hre.run("vault:deposit", { vault: f.vaultAddress, from: f.bob.address, amount: "1" }),
      ).to.be.rejectedWith(`${f.bob.address} holds only 0.0 of the asset`);
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("refuses an amount with more decimals than the asset", async function () {
      const f = await loadFixture(suiteFixture);
      await expect(
        hre.run("vault:deposit", { vault: f.vaultAddress, from: f.alice.address, amount: "1.0000001" }),
      ).to.be.rejectedWith("--amount 1.0000001 is not an amount with at most 6 decimals");
    });

    it("refuses while the vault is paused", async function () {
      const f = await loadFixture(suiteFixture);
      await hre.run("vault:pause", { vault: f.vaultAddress, from: f.guardian.address });
      await expect(
        hre.run("vault:deposit", { vault: f.vaultAddress, from: f.alice.address, amount: "1" }),
      ).to.be.rejectedWith("The vault takes at most 0 (paused or shut down) now");
    });

    it("refuses a --from the network cannot sign for", async function () {
      const f = await loadFixture(suiteFixture);
      const stranger = ethers.Wallet.createRandom().address;
      await expect(hre.run("vault:deposit", { vault: f.vaultAddress, from: stranger, amount: "1" })).to.be.rejectedWith(
        `--from ${stranger} is not an account this network can sign for`,
      );
    });
  });

  describe("vault:allocate and vault:deallocate", function () {
    it("moves idle assets into the adapter and back", async function () {
      const f = await loadFixture(fundedFixture);
      expect(await f.vault.totalDebt()).to.equal(f.units(600));
      await hre.run("vault:deallocate", {
        vault: f.vaultAddress,
        from: f.allocator.address,
        adapter: f.adapterAddress,
        amount: "100",
      });
      expect(await f.vault.totalIdle()).to.equal(f.units(500));
    });

    it("refuses a sender without the allocator role, sending nothing", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(
        hre.run("vault:allocate", {
          vault: f.vaultAddress,
          from: f.alice.address,
          adapter: f.adapterAddress,
          amount: "1",
        }),
      ).to.be.rejectedWith(`${f.alice.address} cannot allocate: it is not the allocator (or owner)`);
      expect(await f.vault.totalIdle()).to.equal(f.units(400));
    });

    it("refuses more than is idle", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(
        hre.run("vault:allocate", {
          vault: f.vaultAddress,
          from: f.allocator.address,
          adapter: f.adapterAddress,
          amount: "401",
        }),
      ).to.be.rejectedWith("Only 400.0 is idle; cannot allocate 401");
    });

    it("refuses an adapter the vault has not enabled", async function () {
      const f = await loadFixture(fundedFixture);
      const other = ethers.Wallet.createRandom().address;
      await expect(
        hre.run("vault:allocate", { vault: f.vaultAddress, from: f.allocator.address, adapter: other, amount: "1" }),
      ).to.be.rejectedWith(`Adapter ${other} is not enabled`);
    });

    it("names the vault's custom error when the vault reverts", async function () {
      const f = await loadFixture(fundedFixture);
      await f.vault.connect(f.curator).setMinIdle(f.units(350));
      await expect(
        hre.run("vault:allocate", {
          vault: f.vaultAddress,
          from: f.allocator.address,
          adapter: f.adapterAddress,
          amount: "100",
        }),
      ).to.be.rejectedWith(`MinIdleBreached(${f.units(300)}, ${f.units(350)})`);
      expect(await f.vault.totalIdle()).to.equal(f.units(400));
    });
  });

  describe("vault:report", function () {
    it("realises the adapter's gain for a keeper", async function () {
      const f = await loadFixture(fundedFixture);
      await f.asset.mint(await f.target.getAddress(), f.units(60));
      await hre.run("vault:report", { vault: f.vaultAddress, from: f.keeper.address });
      // The target's share rounding leaves the position a unit short of 660.
      expect(await f.vault.totalDebt()).to.equal(await f.adapter.totalAssets());
      expect(await f.vault.totalDebt()).to.be.closeTo(f.units(660), 1n);
      expect(await f.vault.lockedProfit()).to.be.greaterThan(0n);
    });

    it("refuses a sender without the keeper role, sending nothing", async function () {
      const f = await loadFixture(fundedFixture);
      await f.asset.mint(await f.target.getAddress(), f.units(60));
      await expect(hre.run("vault:report", { vault: f.vaultAddress, from: f.alice.address })).to.be.rejectedWith(
        `${f.alice.address} cannot report: it is not the keeper (or owner)`,
      );
      expect(await f.vault.totalDebt()).to.equal(f.units(600));
    });
  });

  describe("vault:harvest", function () {
    it("refuses while no rewards distributor is set", async function () {
      const f = await loadFixture(fundedFixture);
      // The suite sets one: remove it (removal is not timelocked).
      await f.vault.setRewardsDistributor(ethers.ZeroAddress);
      await expect(
        hre.run("vault:harvest", { vault: f.vaultAddress, from: f.keeper.address, adapter: f.adapterAddress }),
      ).to.be.rejectedWith("The vault has no rewards distributor");
    });
  });

  describe("vault:cap", function () {
    it("lowers a cap at once", async function () {
      const f = await loadFixture(fundedFixture);
      const result = await hre.run("vault:cap", {
        vault: f.vaultAddress,
        from: f.curator.address,
        adapter: f.adapterAddress,
        absolute: "5000",
      });
      expect(result.action).to.equal("set");
      expect((await f.vault.adapterConfig(f.adapterAddress))[2]).to.equal(f.units(5_000));
    });

    it("submits a raise, refuses to accept it early, and accepts it after the timelock", async function () {
      const f = await loadFixture(fundedFixture);
      const args = { vault: f.vaultAddress, from: f.curator.address, adapter: f.adapterAddress, absolute: "200000000" };
      const submitted = await hre.run("vault:cap", args);
      expect(submitted.action).to.equal("submitted");
      const status = (await hre.run("vault:status", { vault: f.vaultAddress })) as VaultStatus;
      expect(status.pending).to.have.length(1);
      expect(status.pending[0].call).to.equal(`setAbsoluteCap(${f.adapterAddress}, ${f.units(200_000_000)})`);
      expect(status.pending[0].ready).to.equal(false);

      await expect(hre.run("vault:cap", args)).to.be.rejectedWith(/The cap raise is pending until .* \(\d+s left\)/);
      expect((await f.vault.adapterConfig(f.adapterAddress))[2]).to.equal(f.units(100_000_000));

      await time.increaseTo(submitted.executableAt);
      const accepted = await hre.run("vault:cap", args);
      expect(accepted.action).to.equal("accepted");
      expect((await f.vault.adapterConfig(f.adapterAddress))[2]).to.equal(f.units(200_000_000));
      const after = (await hre.run("vault:status", { vault: f.vaultAddress })) as VaultStatus;
      expect(after.pending).to.deep.equal([]);
    });

    it("refuses a sender who is not the curator", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(
        hre.run("vault:cap", {
          vault: f.vaultAddress,
          from: f.alice.address,
          adapter: f.adapterAddress,
          relative: 5000,
        }),
      ).to.be.rejectedWith(`${f.alice.address} cannot change caps: it is not the curator (or owner)`);
      expect((await f.vault.adapterConfig(f.adapterAddress))[3]).to.equal(10_000n);
    });

    it("refuses both or neither of --absolute and --relative", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(
        hre.run("vault:cap", { vault: f.vaultAddress, from: f.curator.address, adapter: f.adapterAddress }),
      ).to.be.rejectedWith("Give exactly one of --absolute <assets> or --relative <bps>");
    });
  });

  describe("vault:pause", function () {
    it("pauses and unpauses for the guardian", async function () {
      const f = await loadFixture(suiteFixture);
      await hre.run("vault:pause", { vault: f.vaultAddress, from: f.guardian.address });
      expect(await f.vault.paused()).to.equal(true);
      await hre.run("vault:pause", { vault: f.vaultAddress, from: f.guardian.address, unpause: true });
      expect(await f.vault.paused()).to.equal(false);
    });

    it("refuses a sender who is not the guardian", async function () {
      const f = await loadFixture(suiteFixture);
      await expect(hre.run("vault:pause", { vault: f.vaultAddress, from: f.alice.address })).to.be.rejectedWith(
        `${f.alice.address} cannot pause: it is not the guardian (or owner)`,
      );
      expect(await f.vault.paused()).to.equal(false);
    });
  });

  describe("vault:withdraw", function () {
    it("withdraws an amount, then everything with --all", async function () {
      const f = await loadFixture(fundedFixture);
      const before = await f.asset.balanceOf(f.alice.address);
      await hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address, amount: "100" });
      await hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address, all: true });
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(1_000));
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(0n);
    });

    it("refuses more than is liquid during a liquidity crunch, sending nothing", async function () {
      const f = await loadFixture(fundedFixture);
      await f.target.setLiquidity(f.units(100));
      await expect(
        hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address, amount: "600" }),
      ).to.be.rejectedWith("Only 500.0 can be withdrawn now (liquidity)");
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(ethers.parseUnits("1000", 18));
    });

    it("takes a bounded loss from an adapter carrying one with --max-loss-bps", async function () {
      const f = await loadFixture(fundedFixture);
      await f.target.simulateLoss(f.units(6)); // 1% of the adapter's 600
      await hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address, amount: "500", maxLossBps: 100 });
      expect(await f.vault.totalIdle()).to.equal(0n);
    });

    it("refuses both or neither of --amount and --all", async function () {
      const f = await loadFixture(fundedFixture);
      await expect(hre.run("vault:withdraw", { vault: f.vaultAddress, from: f.alice.address })).to.be.rejectedWith(
        "Give exactly one of --amount <assets> or --all",
      );
    });
  });
});
