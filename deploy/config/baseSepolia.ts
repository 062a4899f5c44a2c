import { testSupportParts } from "./parts";
import { defineNetwork } from "./types";

/**
 * Base Sepolia (84532). Stargate V2 and the staking programs the suite targets are not deployed here, so the suite
 * runs over the TEST-SUPPORT protocols (open-mint tokens): for rehearsals only. Roles default to the deployer.
 */
export default defineNetwork({
  network: "baseSepolia",
  chainId: 84532,
  kind: "testnet",
  rpc: { env: "BASE_SEPOLIA_RPC_URL" },
  roles: {},
  vault: {
    asset: { kind: "testSupport", contract: "Asset6" },
    name: "Rollup Vault tUSDC",
    symbol: "rvUSDC",
    decimals: 6,
    timelock: 3600,
    performanceFeeBps: 1_000,
    managementFeeBps: 50,
  },
  erc4626Adapter: {
    target: { kind: "testSupport", contract: "Target6" },
    absoluteCap: "1000000",
    relativeCapBps: 10_000,
  },
  ...testSupportParts(3600),
});
