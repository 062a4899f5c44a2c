/**
 * The suite's parts beyond the main vault's core, per kind of network: test-support stand-ins (local, in-process,
 * testnets) or the real protocols from the address book (mainnets), with the vaults a mainnet cannot have skipped.
 */
import { ADDRESSES } from "./addresses";
import type { NetworkConfig } from "./types";

type Parts = Pick<NetworkConfig, "stargate" | "rewards" | "stgVault" | "veVault">;

const DAY = 24 * 3600;

/** Every part over the TestSupport module (deploy/modules/TestSupport.ts). */
export function testSupportParts(timelock: number): Parts {
  return {
    stargate: {
      pool: { kind: "testSupport", contract: "StargatePoolUSDC" },
      staking: { kind: "testSupport", contract: "StargateStaking" },
      weth: { kind: "testSupport", contract: "Weth" },
      absoluteCap: "100000000",
      relativeCapBps: 10_000,
    },
    rewards: { rewardPeriod: 7 * DAY },
    stgVault: {
      asset: { kind: "testSupport", contract: "Stg" },
      name: "Rollup Vault tSTG",
      symbol: "rvSTG",
      decimals: 18,
      timelock,
      performanceFeeBps: 1_000,
      managementFeeBps: 50,
      adapter: {
        staking: { kind: "testSupport", contract: "StgStaking" },
        hasCooldown: true,
        absoluteCap: "100000000",
        relativeCapBps: 10_000,
      },
      rewards: { rewardPeriod: 7 * DAY },
    },
    veVault: {
      asset: { kind: "testSupport", contract: "Velo" },
      name: "Rollup Vault tVELO",
      symbol: "rvVELO",
      decimals: 18,
      timelock,
      performanceFeeBps: 1_000,
      managementFeeBps: 50,
      adapter: {
        escrow: { kind: "testSupport", contract: "VotingEscrow" },
        voter: { kind: "testSupport", contract: "Voter" },
        rebaseDistributor: { kind: "testSupport", contract: "RebaseDistributor" },
        permanent: false,
        absoluteCap: "100000000",
        relativeCapBps: 10_000,
      },
      rewards: { rewardPeriod: 7 * DAY },
    },
  };
}

/** No STG staking program of either adapter shape is in the address book of any mainnet. */
export const NO_STG_PROGRAM =
  "no STG staking program (StakingRewards or stkAAVE-shaped) is in the address book for this chain (mocks never go to a mainnet)";

/**
 * The real protocols of mainnet `chainId`: Stargate V2 USDC pool and farm; the vote-escrow vault where the book
 * has Velodrome (Optimism) or Aerodrome (Base), skipped elsewhere; the STG vault skipped (no real program).
 */
export function mainnetParts(chainId: number, timelock: number, veSymbol?: string): Parts {
  const book = ADDRESSES[chainId];
  const ve = book.voteEscrow;
  return {
    stargate: {
      pool: { kind: "real", address: book.stargate.poolUSDC },
      staking: { kind: "real", address: book.stargate.staking },
      weth: { kind: "real", address: book.weth },
      absoluteCap: "1000000",
      relativeCapBps: 5_000,
    },
    rewards: { rewardPeriod: 7 * DAY },
    stgVault: { skip: NO_STG_PROGRAM },
    veVault:
      ve === undefined
        ? { skip: "no Velodrome/Aerodrome vote-escrow is in the address book for this chain" }
        : {
            asset: { kind: "real", address: ve.token },
            name: `Rollup Vault ${veSymbol}`,
            symbol: `rv${veSymbol}`,
            decimals: 18,
            timelock,
            performanceFeeBps: 1_000,
            managementFeeBps: 50,
            adapter: {
              escrow: { kind: "real", address: ve.votingEscrow },
              voter: { kind: "real", address: ve.voter },
              rebaseDistributor: { kind: "real", address: ve.rewardsDistributor },
              permanent: false,
              absoluteCap: "1000000",
              relativeCapBps: 10_000,
            },
            rewards: { rewardPeriod: 7 * DAY },
          },
  };
}

/**
 * Everything a network over the TestSupport protocols shares (in-process, the local L2 node, the testnets): roles
 * left to the deployer, a 6-decimal test USDC vault, its ERC-4626 adapter capped at `absoluteCap`, and every part.
 * A network file adds only its identity (name, chain id, kind, RPC variable).
 */
export function testSupportSuite(absoluteCap: string): Omit<NetworkConfig, "network" | "chainId" | "kind" | "rpc"> {
  const timelock = 3600;
  return {
    roles: {},
    vault: {
      asset: { kind: "testSupport", contract: "Asset6" },
      name: "Rollup Vault tUSDC",
      symbol: "rvUSDC",
      decimals: 6,
      timelock,
      performanceFeeBps: 1_000,
      managementFeeBps: 50,
    },
    erc4626Adapter: {
      target: { kind: "testSupport", contract: "Target6" },
      absoluteCap,
      relativeCapBps: 10_000,
    },
    ...testSupportParts(timelock),
  };
}
