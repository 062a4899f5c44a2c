/**
 * Real protocol addresses keyed by chain id (facts from /work/shared/reference/protocols.md: stg-evm-v2
 * deployments, Velodrome/Aerodrome deployments, Circle's native USDC). The same address can be a different
 * contract on another chain: always look up by chain id. Stargate LP token addresses are not stored: read
 * `lpToken()` from the pool.
 */
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

export const ADDRESSES: Readonly<Record<number, AddressBook>> = {
  [OPTIMISM]: {
    usdc: "0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85",
    weth: "0x4200000000000000000000000000000000000006",
    op: "0x4200000000000000000000000000000000000042",
    stargate: {
      poolUSDC: "0xcE8CcA271Ebc0533920C83d39F417ED6A0abB7D0",
      poolNative: "0xe8CDF27AcD73a434D661C84887215F7598e7d0d3",
      poolUSDT: "0x19cFCE47eD54a88614648DC3f19A5980097007dD",
      staking: "0xFBb5A71025BEf1A8166C9BCb904a120AA17d6443",
      multiRewarder: "0x146c8e409C113ED87C6183f4d25c50251DFfbb3a",
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
    usdc: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
    weth: "0x4200000000000000000000000000000000000006",
    stargate: {
      poolUSDC: "0x27a16dc786820B16E5c9028b75B99F6f604b5d26",
      poolNative: "0xdc181Bd607330aeeBEF6ea62e03e5e1Fb4B6F7C7",
      staking: "0xDFc47DCeF7e8f9Ab19a1b8Af3eeCF000C7ea0B80",
      multiRewarder: "0x9Aa02D4Fae7F58b8E8f34c66E756cC734DAc7fe4",
      stg: "0xE3B53AF74a4BF62Ae5511055290838050bf764Df",
      extraRewardTokens: [],
    },
    voteEscrow: {
      votingEscrow: "0xeBf418Fe2512e7E6bd9b87a8F0f294aCDC67e6B4",
      voter: "0x16613524e02ad97eDfeF371bC883F2F5d6C480A5",
      rewardsDistributor: "0x227f65131A261548b057215bB1D5Ab2997964C7d",
      token: "0x940181a94A35A4569E4529A3CDfB74e38FD98631",
    },
  },
  [ARBITRUM]: {
    usdc: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831",
    weth: "0x82aF49447D8a07e3bd95BD0d56f35241523fBab1",
    arb: "0x912CE59144191C1204E64559FE8253a0e49E6548",
    stargate: {
      poolUSDC: "0xe8CDF27AcD73a434D661C84887215F7598e7d0d3",
      poolNative: "0xA45B5130f36CDcA45667738e2a258AB09f4A5f7F",
      poolUSDT: "0xcE8CcA271Ebc0533920C83d39F417ED6A0abB7D0",
      staking: "0x3da4f8E456AC648c489c286B99Ca37B666be7C4C",
      multiRewarder: "0x957b12606690C7692eF92bb5c34a0E63baED99C7",
      stg: "0x6694340fc020c5E6B96567843da2df01b2CE1eb6",
      extraRewardTokens: ["0x912CE59144191C1204E64559FE8253a0e49E6548"],
    },
  },
};

/** The address book of `chainId`, or undefined where the real protocols are not deployed (testnets, local). */
export function addressBook(chainId: number): AddressBook | undefined {
  return ADDRESSES[chainId];
}
