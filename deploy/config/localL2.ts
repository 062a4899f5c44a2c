import { testSupportParts } from "./parts";
import { defineNetwork } from "./types";

/**
 * The local OP-Stack node (anvil --network optimism --chain-id 901, started by `npm run node:l2`). No real
 * protocol exists there: the test-support protocols stand in. Roles default to anvil's first unlocked account.
 */
export default defineNetwork({
  network: "localL2",
  chainId: 901,
  kind: "local",
  rpc: { env: "LOCAL_L2_RPC_URL", default: "http://127.0.0.1:8545" },
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
    absoluteCap: "100000000",
    relativeCapBps: 10_000,
  },
  ...testSupportParts(3600),
});
