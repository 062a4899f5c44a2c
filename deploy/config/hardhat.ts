import { testSupportSuite } from "./parts";
import { defineNetwork } from "./types";

/** The in-process Hardhat network (chain 31337): tests, the demo and task tests. Test-support protocols only. */
export default defineNetwork({
  network: "hardhat",
  chainId: 31337,
  kind: "inProcess",
  ...testSupportSuite("100000000"),
});
