import { expect } from "chai";
import { readFileSync, rmSync } from "node:fs";
import hre, { ethers } from "hardhat";
import { stargateDeployment } from "../../deploy/config/stargateDeployments";
import {
  ADDRESSES,
  isSkipped,
  NETWORKS,
  networkConfig,
  parametersPath,
  planSuite,
  writeIgnitionParameters,
  testSupportNeeds,
  type NetworkConfig,
  type ProtocolRef,
  type TestSupportContract,
} from "../../deploy/config";

const DEPLOYER = "0x00000000000000000000000000000000000000D1";
const MOCK_IDS: TestSupportContract[] = [
  "Asset6",
  "Target6",
  "Stg",
  "Velo",
  "Weth",
  "StargatePoolUSDC",
  "StargateStaking",
  "StgStaking",
  "VotingEscrow",
  "Voter",
  "RebaseDistributor",
];
/** A distinct fake address per test-support contract (0x...0A00, 0x...0A01, ...). */
const MOCKS = Object.fromEntries(
  MOCK_IDS.map((id, i) => [id, ethers.getAddress(`0x${(0xa00 + i).toString(16).padStart(40, "0")}`)]),
) as Record<TestSupportContract, string>;

/** Runs `fn` with every mainnet's ERC-4626 target variable set. */
function withTargets<T>(fn: () => T): T {
  const names = ["ERC4626_TARGET_OPTIMISM", "ERC4626_TARGET_BASE", "ERC4626_TARGET_ARBITRUM"];
  for (const name of names) process.env[name] = MOCKS.Target6;
  try {
    return fn();
  } finally {
    for (const name of names) delete process.env[name];
  }
}

/** Every protocol reference of a config (all parts, skipped vaults left out). */
function refsOf(config: NetworkConfig): ProtocolRef[] {
  const { stargate, stgVault, veVault } = config;
  const refs = [config.vault.asset, config.erc4626Adapter.target, stargate.pool, stargate.staking, stargate.weth];
  if (!isSkipped(stgVault)) refs.push(stgVault.asset, stgVault.adapter.staking);
  if (!isSkipped(veVault)) {
    refs.push(veVault.asset, veVault.adapter.escrow, veVault.adapter.voter, veVault.adapter.rebaseDistributor);
  }
  return refs;
}
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
      value === undefined ? [] : typeof value === "string" ? [value] : Object.values(value as object).flatMap(walk);
    for (const book of Object.values(ADDRESSES)) {
      for (const address of walk(book)) expect(ethers.getAddress(address)).to.equal(address);
    }
  });

  it("uses real USDC on the mainnets, Stargate's test USDC where its testnet pools run, test-support elsewhere", function () {
    for (const config of Object.values(NETWORKS)) {
      if (config.kind === "mainnet") {
        expect(config.vault.asset).to.deep.equal({ kind: "real", address: ADDRESSES[config.chainId].usdc });
      } else if (stargateDeployment(config.chainId) !== undefined) {
        // OP Sepolia and Arbitrum Sepolia (issue 12.4): the real Stargate testnet pool and its own USDC.
        const stargate = stargateDeployment(config.chainId)!;
        expect(config.vault.asset).to.deep.equal({ kind: "real", address: stargate.usdc });
        expect(config.stargate.pool).to.deep.equal({ kind: "real", address: stargate.poolUSDC });
        expect(config.stargate.staking).to.deep.equal({ kind: "real", address: stargate.staking });
      } else {
        expect(config.vault.asset.kind).to.equal("testSupport");
      }
    }
  });

  it("plans a testnet over test-support contracts with a loud warning and roles left to the deployer", function () {
    const plan = planSuite(networkConfig("baseSepolia"), DEPLOYER, MOCKS);
    expect(plan.parameters.Vault.asset).to.equal(MOCKS.Asset6);
    expect(plan.parameters.ERC4626Adapter.target).to.equal(MOCKS.Target6);
    expect(plan.parameters.ERC4626Adapter.absoluteCap).to.equal(`${10n ** 12n}n`); // 1,000,000 of 6 decimals
    expect(plan.parameters.Suite.curator).to.equal(DEPLOYER);
    expect(plan.handOver).to.equal(false);
    expect(plan.warnings[0]).to.contain("TEST-SUPPORT stand-ins");
  });

  it("plans OP Sepolia over Stargate's real testnet pool, staking and test USDC, with no Stargate mock", function () {
    process.env.ERC4626_TARGET_OP_SEPOLIA = MOCKS.Target6;
    try {
      const plan = planSuite(networkConfig("opSepolia"), DEPLOYER, MOCKS);
      const stargate = stargateDeployment(11155420)!;
      expect(plan.parameters.Vault.asset).to.equal(stargate.usdc);
      expect(plan.parameters.StargateV2Adapter.pool).to.equal(stargate.poolUSDC);
      expect(plan.parameters.StargateV2Adapter.staking).to.equal(stargate.staking);
      expect(plan.parameters.StargateV2Adapter.weth).to.equal("0x4200000000000000000000000000000000000006");
    } finally {
      delete process.env.ERC4626_TARGET_OP_SEPOLIA;
    }
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
    const config = { ...withRoles(networkConfig("arbitrum")), vault: { ...networkConfig("baseSepolia").vault } };
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

  it("never plans a test-support contract on a mainnet, for any part", function () {
    for (const config of Object.values(NETWORKS)) {
      if (config.kind !== "mainnet") continue;
      expect(testSupportNeeds(config), config.network).to.deep.equal([]);
      for (const ref of refsOf(config)) expect(ref.kind, config.network).to.not.equal("testSupport");
    }
  });

  it("skips the STG vault on every mainnet, for want of a real STG staking program in the book", function () {
    for (const name of ["optimism", "base", "arbitrum"]) {
      const plan = withTargets(() => planSuite(withRoles(networkConfig(name)), DEPLOYER));
      expect(plan.vaults, name).to.not.include("stg");
      expect(plan.skipped.join("\n")).to.contain("STG staking vault skipped");
      expect(plan.parameters.StgSuite).to.equal(undefined);
    }
  });

  it("plans the vote-escrow vault over Velodrome on Optimism and Aerodrome on Base, and skips it on Arbitrum", function () {
    const [op, base, arb] = withTargets(() =>
      ["optimism", "base", "arbitrum"].map((name) => planSuite(withRoles(networkConfig(name)), DEPLOYER)),
    );
    expect(op.vaults).to.deep.equal(["usdc", "ve"]);
    expect(op.parameters.VeVault.asset).to.equal(ADDRESSES[10].voteEscrow!.token);
    expect(op.parameters.VeVoteEscrowAdapter.escrow).to.equal(ADDRESSES[10].voteEscrow!.votingEscrow);
    expect(base.parameters.VeVault.symbol).to.equal("rvAERO");
    expect(base.parameters.VeVoteEscrowAdapter.voter).to.equal(ADDRESSES[8453].voteEscrow!.voter);
    expect(arb.vaults).to.deep.equal(["usdc"]);
    expect(arb.skipped.join("\n")).to.contain("vote-escrow vault skipped");
  });

  it("plans the main vault's Stargate leg over the real pool, farm and WETH of each mainnet", function () {
    process.env.ERC4626_TARGET_OPTIMISM = MOCKS.Target6;
    try {
      const plan = planSuite(withRoles(networkConfig("optimism")), DEPLOYER);
      expect(plan.parameters.StargateV2Adapter.pool).to.equal(ADDRESSES[10].stargate.poolUSDC);
      expect(plan.parameters.StargateV2Adapter.staking).to.equal(ADDRESSES[10].stargate.staking);
      expect(plan.parameters.StargateV2Adapter.weth).to.equal(ADDRESSES[10].weth);
      expect(plan.parameters.StargateV2Adapter.absoluteCap).to.equal(`${10n ** 12n}n`);
    } finally {
      delete process.env.ERC4626_TARGET_OPTIMISM;
    }
  });

  it("plans every vault on a test network, each with the shared roles and its own fees and timelock", function () {
    const plan = planSuite(networkConfig("localL2"), DEPLOYER, MOCKS);
    expect(plan.vaults).to.deep.equal(["usdc", "stg", "ve"]);
    expect(plan.skipped).to.deep.equal([]);
    expect(plan.parameters.StgVault.asset).to.equal(MOCKS.Stg);
    expect(plan.parameters.StgStakingAdapter).to.deep.include({ staking: MOCKS.StgStaking, hasCooldown: true });
    expect(plan.parameters.VeVoteEscrowAdapter).to.deep.include({
      escrow: MOCKS.VotingEscrow,
      voter: MOCKS.Voter,
      rebaseDistributor: MOCKS.RebaseDistributor,
    });
    for (const suite of ["Suite", "StgSuite", "VeSuite"]) {
      expect(plan.parameters[suite].curator, suite).to.equal(DEPLOYER);
      expect(plan.parameters[suite].timelock, suite).to.equal("3600n");
    }
    expect(plan.parameters.RewardsDistributor.rewardPeriod).to.equal(`${7 * 24 * 3600}n`);
  });

  it("names the missing test-support contract when a test network's protocol is not deployed yet", function () {
    const { StgStaking: _missing, ...partial } = MOCKS;
    void _missing;
    expect(() => planSuite(networkConfig("localL2"), DEPLOYER, partial)).to.throw(
      "stgVault.adapter.staking: TestSupport#StgStaking is not deployed yet",
    );
  });
});
