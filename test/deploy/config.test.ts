import { expect } from "chai";
import { readFileSync, rmSync } from "node:fs";
import hre, { ethers } from "hardhat";
import {
  ADDRESSES,
  NETWORKS,
  networkConfig,
  parametersPath,
  planSuite,
  writeIgnitionParameters,
  type NetworkConfig,
} from "../../deploy/config";

const DEPLOYER = "0x00000000000000000000000000000000000000D1";
const MOCKS = {
  Asset6: "0x0000000000000000000000000000000000000A06",
  Target6: "0x0000000000000000000000000000000000000B06",
};
const withRoles = (config: NetworkConfig): NetworkConfig => ({
  ...config,
  roles: {
    owner: "0x00000000000000000000000000000000000000E1",
    curator: "0x00000000000000000000000000000000000000E2",
    allocator: "0x00000000000000000000000000000000000000E3",
    guardian: "0x00000000000000000000000000000000000000E4",
    keeper: "0x00000000000000000000000000000000000000E5",
    feeRecipient: "0x00000000000000000000000000000000000000E6",
    skimRecipient: "0x00000000000000000000000000000000000000E7",
  },
});

describe("Deploy config", function () {
  it("has one config per Hardhat network, with the chain id hardhat.config.ts gives it", function () {
    for (const [name, config] of Object.entries(NETWORKS)) {
      expect(config.network).to.equal(name);
      const hh = hre.config.networks[name];
      expect(hh, `network ${name} in hardhat.config.ts`).to.not.equal(undefined);
      if (name !== "hardhat") expect(hh.chainId).to.equal(config.chainId);
    }
  });

  it("keeps every address-book address checksummed", function () {
    const walk = (value: unknown): string[] =>
      typeof value === "string" ? [value] : Object.values(value as object).flatMap(walk);
    for (const book of Object.values(ADDRESSES)) {
      for (const address of walk(book)) expect(ethers.getAddress(address)).to.equal(address);
    }
  });

  it("uses real USDC on the mainnets and test-support stand-ins everywhere else", function () {
    for (const config of Object.values(NETWORKS)) {
      if (config.kind === "mainnet") {
        expect(config.vault.asset).to.deep.equal({ kind: "real", address: ADDRESSES[config.chainId].usdc });
      } else {
        expect(config.vault.asset.kind).to.equal("testSupport");
      }
    }
  });

  it("plans a testnet over test-support contracts with a loud warning and roles left to the deployer", function () {
    const plan = planSuite(networkConfig("opSepolia"), DEPLOYER, MOCKS);
    expect(plan.parameters.Vault.asset).to.equal(MOCKS.Asset6);
    expect(plan.parameters.ERC4626Adapter.target).to.equal(MOCKS.Target6);
    expect(plan.parameters.ERC4626Adapter.absoluteCap).to.equal(`${10n ** 12n}n`); // 1,000,000 of 6 decimals
    expect(plan.parameters.Suite.curator).to.equal(DEPLOYER);
    expect(plan.handOver).to.equal(false);
    expect(plan.warnings[0]).to.contain("TEST-SUPPORT stand-ins");
  });

  it("refuses a mainnet with a role left to the deployer", function () {
    process.env.ERC4626_TARGET_OPTIMISM = MOCKS.Target6;
    try {
      expect(() => planSuite({ ...networkConfig("optimism"), roles: {} }, DEPLOYER)).to.throw(
        "Set every role for a live network",
      );
    } finally {
      delete process.env.ERC4626_TARGET_OPTIMISM;
    }
  });

  it("refuses a mainnet whose ERC-4626 target is not given, naming the variable", function () {
    expect(() => planSuite(withRoles(networkConfig("base")), DEPLOYER)).to.throw("set ERC4626_TARGET_BASE");
  });

  it("refuses test-support contracts on a mainnet", function () {
    const config = { ...withRoles(networkConfig("arbitrum")), vault: { ...networkConfig("opSepolia").vault } };
    expect(() => planSuite(config, DEPLOYER, MOCKS)).to.throw("test-support contracts on a mainnet");
  });

  it("refuses a zero fee or timelock, which the vault would reject as already set", function () {
    const base = networkConfig("localL2");
    expect(() => planSuite({ ...base, vault: { ...base.vault, timelock: 0 } }, DEPLOYER, MOCKS)).to.throw(
      "timelock must be nonzero",
    );
    expect(() => planSuite({ ...base, vault: { ...base.vault, performanceFeeBps: 0 } }, DEPLOYER, MOCKS)).to.throw(
      "fees must be nonzero",
    );
  });

  it("plans a handover on a mainnet whose owner is not the deployer", function () {
    process.env.ERC4626_TARGET_ARBITRUM = MOCKS.Target6;
    try {
      const plan = planSuite(withRoles(networkConfig("arbitrum")), DEPLOYER);
      expect(plan.handOver).to.equal(true);
      expect(plan.parameters.Suite.owner).to.equal("0x00000000000000000000000000000000000000E1");
      expect(plan.parameters.Vault.asset).to.equal(ADDRESSES[42161].usdc);
    } finally {
      delete process.env.ERC4626_TARGET_ARBITRUM;
    }
  });

  it("writes the Ignition parameters file with bigints in Ignition's notation", function () {
    const plan = planSuite(networkConfig("localL2"), DEPLOYER, MOCKS);
    // A name of its own, so that the test never overwrites a real network's file.
    const file = writeIgnitionParameters("config-test", plan);
    try {
      expect(file).to.equal(parametersPath("config-test"));
      const written = JSON.parse(readFileSync(file, "utf8"));
      expect(written.Suite.timelock).to.equal("3600n");
      expect(written).to.deep.equal(plan.parameters);
    } finally {
      rmSync(file);
    }
  });
});
