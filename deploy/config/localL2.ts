import { testSupportSuite } from "./parts";
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
  ...testSupportSuite("100000000"),
});
