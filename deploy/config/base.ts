import { ADDRESSES, BASE } from "./addresses";
import { mainnetParts } from "./parts";
import { defineNetwork } from "./types";

/**
 * Base mainnet (8453): real USDC from the address book. Every role must be set (a multisig each) before a deploy:
 * the deploy script refuses a live network with a role left to the deployer. The ERC-4626 target is not in the
 * address book: give the audited target in ERC4626_TARGET_BASE.
 * The suite here: the USDC vault over the real Stargate V2 pool and farm (STG) and the vote-escrow vault over
 * Aerodrome (rvAERO); the STG staking vault is skipped (no real STG staking program in the book).
 */
export default defineNetwork({
  network: "base",
  chainId: 8453,
  kind: "mainnet",
  rpc: { env: "BASE_RPC_URL" },
  roles: {
    owner: process.env.BASE_OWNER,
    curator: process.env.BASE_CURATOR,
    allocator: process.env.BASE_ALLOCATOR,
    guardian: process.env.BASE_GUARDIAN,
    keeper: process.env.BASE_KEEPER,
    feeRecipient: process.env.BASE_FEE_RECIPIENT,
    skimRecipient: process.env.BASE_SKIM_RECIPIENT,
  },
  vault: {
    asset: { kind: "real", address: ADDRESSES[BASE].usdc },
    name: "Rollup Vault USDC",
    symbol: "rvUSDC",
    decimals: 6,
    timelock: 3 * 24 * 3600,
    performanceFeeBps: 1_000,
    managementFeeBps: 50,
  },
  erc4626Adapter: {
    target: { kind: "fromEnv", env: "ERC4626_TARGET_BASE", why: "no ERC-4626 target is in the address book" },
    absoluteCap: "1000000",
    relativeCapBps: 5_000,
  },
  ...mainnetParts(BASE, 3 * 24 * 3600, "AERO"),
});
