import "@nomicfoundation/hardhat-toolbox";
import { subtask } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_CHECK_ERRORS,
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
} from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/types";

/** The compiler is pinned and comes from the npm package `solc` (no compiler download happens here). */
const SOLC_VERSION = "0.8.30";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version().replace(/\.Emscripten\.clang$/, "");
  return { compilerPath: require.resolve("solc/soljson.js"), isSolcJs: true, version: SOLC_VERSION, longVersion };
});

type SolcMessage = { severity: string; formattedMessage?: string; message: string };

/**
 * Warnings are errors: a compile that prints a warning fails (coverage instrumentation excepted). One notice is
 * allowed: solc's general caution on `tstore`, raised by OpenZeppelin's ReentrancyGuardTransient, whose slot is
 * cleared at the end of every guarded call (the safe use the notice itself names).
 */
const ALLOWED_WARNINGS = [/^Transient storage as defined by EIP-1153/];
subtask(TASK_COMPILE_SOLIDITY_CHECK_ERRORS, async (args: { output: { errors?: SolcMessage[] } }, hre, runSuper) => {
  const messages = (args.output.errors ?? []).filter(
    (e) => !(e.severity === "warning" && ALLOWED_WARNINGS.some((allowed) => allowed.test(e.message))),
  );
  await runSuper({ ...args, output: { ...args.output, errors: messages } });
  const coverage = (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING;
  const warnings = messages.filter((e) => e.severity === "warning");
  if (warnings.length > 0 && !coverage) {
    throw new Error(`Compilation produced ${warnings.length} warning(s); warnings are errors in this project.`);
  }
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  paths: {
    sources: "contracts",
    tests: "test",
    ignition: "deploy",
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "1",
    offline: true,
    outputFile: process.env.REPORT_GAS === "1" ? "reports/gas-reporter.txt" : undefined,
    noColors: true,
  },
  mocha: { timeout: 120_000 },
};

export default config;
