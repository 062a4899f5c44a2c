import { ADDRESSES, ARBITRUM } from "./addresses";
import { mainnetParts } from "./parts";
import { defineNetwork } from "./types";

/**
 * Arbitrum mainnet (42161): real USDC from the address book. Every role must be set (a multisig each) before a deploy:
 * the deploy script refuses a live network with a role left to the deployer. The ERC-4626 target is not in the
 * address book: give the audited target in ERC4626_TARGET_ARBITRUM.
 * The suite here: the USDC vault over the real Stargate V2 pool and farm (STG + ARB) only: the STG staking vault and
 * the vote-escrow vault are skipped (neither protocol is in the address book for Arbitrum).
 */
export default defineNetwork({
  network: "arbitrum",
  chainId: 42161,
  kind: "mainnet",
  rpc: { env: "ARBITRUM_RPC_URL" },
  roles: {
    owner: process.env.ARBITRUM_OWNER,
    curator: process.env.ARBITRUM_CURATOR,
    allocator: process.env.ARBITRUM_ALLOCATOR,
    guardian: process.env.ARBITRUM_GUARDIAN,
    keeper: process.env.ARBITRUM_KEEPER,
    feeRecipient: process.env.ARBITRUM_FEE_RECIPIENT,
    skimRecipient: process.env.ARBITRUM_SKIM_RECIPIENT,
  },
  vault: {
    asset: { kind: "real", address: ADDRESSES[ARBITRUM].usdc },
    name: "Rollup Vault USDC",
    symbol: "rvUSDC",
    decimals: 6,
    timelock: 3 * 24 * 3600,
    performanceFeeBps: 1_000,
    managementFeeBps: 50,
  },
  erc4626Adapter: {
    target: { kind: "fromEnv", env: "ERC4626_TARGET_ARBITRUM", why: "no ERC-4626 target is in the address book" },
    absoluteCap: "1000000",
    relativeCapBps: 5_000,
  },
  ...mainnetParts(ARBITRUM, 3 * 24 * 3600),
});
