/**
 * Real protocol addresses keyed by chain id. Every Stargate V2 address (pools, staking, MultiRewarder) and the USDC
 * the pool holds come from Stargate's own deployment records in its npm package, read at run time
 * (stargateDeployments.ts); only what the package does not record is typed here (HAND_WRITTEN: WETH, STG, OP, ARB,
 * Velodrome/Aerodrome), and test/deploy/address-book.test.ts checks it against the package where they overlap.
 * The same address can be a different contract on another chain: always look up by chain id. Stargate LP token
 * addresses are not stored: read `lpToken()` from the pool.
 */
import { stargateDeployment } from "./stargateDeployments";

export type StargateBook = {
  poolUSDC: string;
  poolNative: string;
  poolUSDT?: string;
  staking: string;
  multiRewarder: string;
  stg: string;
  /** Farm reward tokens besides STG (OP on Optimism, ARB on Arbitrum). */
  extraRewardTokens: string[];
};

export type VoteEscrowBook = { votingEscrow: string; voter: string; rewardsDistributor: string; token: string };

export type AddressBook = {
  usdc: string;
  /** WETH9 of the chain (wraps native rewards of the Stargate farm). */
  weth: string;
  stargate: StargateBook;
  voteEscrow?: VoteEscrowBook;
  op?: string;
  arb?: string;
};

export const OPTIMISM = 10;
export const BASE = 8453;
export const ARBITRUM = 42161;

/** What is typed by hand: what Stargate's package does not record (WETH, farm tokens, Velodrome/Aerodrome). */
type HandWritten = Omit<AddressBook, "usdc" | "stargate"> & {
  stargate: Pick<StargateBook, "stg" | "extraRewardTokens">;
};

export const HAND_WRITTEN: Readonly<Record<number, HandWritten>> = {
  [OPTIMISM]: {
    weth: "0x4200000000000000000000000000000000000006",
    op: "0x4200000000000000000000000000000000000042",
    stargate: {
      stg: "0x296F55F8Fb28E498B858d0BcDA06D955B2Cb3f97",
      extraRewardTokens: ["0x4200000000000000000000000000000000000042"],
    },
    voteEscrow: {
      votingEscrow: "0xFAf8FD17D9840595845582fCB047DF13f006787d",
      voter: "0x41C914ee0c7E1A5edCD0295623e6dC557B5aBf3C",
      rewardsDistributor: "0x9D4736EC60715e71aFe72973f7885DCBC21EA99b",
      token: "0x9560e827aF36c94D2Ac33a39bCE1Fe78631088Db",
    },
  },
  [BASE]: {
    weth: "0x4200000000000000000000000000000000000006",
    stargate: { stg: "0xE3B53AF74a4BF62Ae5511055290838050bf764Df", extraRewardTokens: [] },
    voteEscrow: {
      votingEscrow: "0xeBf418Fe2512e7E6bd9b87a8F0f294aCDC67e6B4",
      voter: "0x16613524e02ad97eDfeF371bC883F2F5d6C480A5",
      rewardsDistributor: "0x227f65131A261548b057215bB1D5Ab2997964C7d",
      token: "0x940181a94A35A4569E4529A3CDfB74e38FD98631",
    },
  },
  [ARBITRUM]: {
    weth: "0x82aF49447D8a07e3bd95BD0d56f35241523fBab1",
    arb: "0x912CE59144191C1204E64559FE8253a0e49E6548",
    stargate: {
      stg: "0x6694340fc020c5E6B96567843da2df01b2CE1eb6",
      extraRewardTokens: ["0x912CE59144191C1204E64559FE8253a0e49E6548"],
    },
  },
};

/** The book of a mainnet: Stargate and USDC from Stargate's package (run time), the rest from HAND_WRITTEN. */
function bookOf(chainId: number): AddressBook {
  const stargate = stargateDeployment(chainId);
  if (stargate === undefined) throw new Error(`stg-evm-v2 has no deployment for chain ${chainId}.`);
  const hand = HAND_WRITTEN[chainId];
  return {
    ...hand,
    usdc: stargate.usdc,
    stargate: {
      poolUSDC: stargate.poolUSDC,
      poolNative: stargate.poolNative,
      poolUSDT: stargate.poolUSDT,
      staking: stargate.staking,
      multiRewarder: stargate.multiRewarder,
      ...hand.stargate,
    },
  };
}

export const ADDRESSES: Readonly<Record<number, AddressBook>> = {
  [OPTIMISM]: bookOf(OPTIMISM),
  [BASE]: bookOf(BASE),
  [ARBITRUM]: bookOf(ARBITRUM),
};

/** Stargate V2 on the testnets the suite rehearses on, from the package: OP Sepolia and Arbitrum Sepolia. */
export const OP_SEPOLIA = 11155420;
export const ARBITRUM_SEPOLIA = 421614;
/** OP Stack predeploy WETH9 (the same on every OP Stack chain, OP Sepolia included). */
export const OP_STACK_WETH = "0x4200000000000000000000000000000000000006";

/** The address book of `chainId`, or undefined where the real protocols are not deployed (testnets, local). */
export function addressBook(chainId: number): AddressBook | undefined {
  return ADDRESSES[chainId];
}
