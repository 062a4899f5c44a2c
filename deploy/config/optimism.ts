import { ADDRESSES, OPTIMISM } from "./addresses";
import { mainnetParts } from "./parts";
import { defineNetwork } from "./types";

/**
 * Optimism mainnet (10): real USDC from the address book. Every role must be set (a multisig each) before a deploy:
 * the deploy script refuses a live network with a role left to the deployer. The ERC-4626 target is not in the
 * address book: give the audited target in ERC4626_TARGET_OPTIMISM.
 * The suite here: the USDC vault over the real Stargate V2 pool and farm (STG + OP) and the vote-escrow vault over
 * Velodrome (rvVELO); the STG staking vault is skipped (no real STG staking program in the book).
 */
export default defineNetwork({
  network: "optimism",
  chainId: 10,
  kind: "mainnet",
  rpc: { env: "OPTIMISM_RPC_URL" },
  roles: {
    owner: process.env.OPTIMISM_OWNER,
    curator: process.env.OPTIMISM_CURATOR,
    allocator: process.env.OPTIMISM_ALLOCATOR,
    guardian: process.env.OPTIMISM_GUARDIAN,
    keeper: process.env.OPTIMISM_KEEPER,
    feeRecipient: process.env.OPTIMISM_FEE_RECIPIENT,
    skimRecipient: process.env.OPTIMISM_SKIM_RECIPIENT,
  },
  vault: {
    asset: { kind: "real", address: ADDRESSES[OPTIMISM].usdc },
    name: "Rollup Vault USDC",
    symbol: "rvUSDC",
    decimals: 6,
    timelock: 3 * 24 * 3600,
    performanceFeeBps: 1_000,
    managementFeeBps: 50,
  },
  erc4626Adapter: {
    target: { kind: "fromEnv", env: "ERC4626_TARGET_OPTIMISM", why: "no ERC-4626 target is in the address book" },
    absoluteCap: "1000000",
    relativeCapBps: 5_000,
  },
  ...mainnetParts(OPTIMISM, 3 * 24 * 3600, "VELO"),
});
