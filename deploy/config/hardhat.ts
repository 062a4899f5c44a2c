import { testSupportParts } from "./parts";
import { defineNetwork } from "./types";

/** The in-process Hardhat network (chain 31337): tests, the demo and task tests. Test-support protocols only. */
export default defineNetwork({
  network: "hardhat",
  chainId: 31337,
  kind: "inProcess",
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
