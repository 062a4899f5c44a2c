import { testSupportSuite } from "./parts";
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
  ...testSupportSuite("1000000"),
});
