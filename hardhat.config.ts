import "@nomicfoundation/hardhat-toolbox";
import { subtask } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_CHECK_ERRORS,
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
} from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig, HttpNetworkUserConfig } from "hardhat/types";
import { hardhatNetworkConfig } from "./scripts/lib/forking";
import { stageStargateArtifacts } from "./scripts/lib/stargateArtifacts";
import "./tasks";

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

/**
 * A remote network: its RPC URL from `rpcEnv` (a placeholder naming the variable when unset, so a command that
 * needs it fails saying what to set), and the deployer key from PRIVATE_KEY when set. Secrets come only from env.
 */
function remote(chainId: number, rpcEnv: string): HttpNetworkUserConfig {
  const key = process.env.PRIVATE_KEY;
  return {
    chainId,
    url: process.env[rpcEnv] || `http://set-${rpcEnv}.invalid`,
    accounts: key ? [key.startsWith("0x") ? key : `0x${key}`] : [],
  };
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
    },
  },
  networks: {
    // FORK_URL set: the in-process network forks it (see scripts/lib/forking.ts for the hardfork-history fix).
    // EndpointV2Mock (LayerZero's local endpoint, used with the real Stargate V2 contracts in tests) is over EIP-170's
    // 24,576 bytes: the in-process network lifts the limit. Product contracts keep their own < 22,000-byte bar.
    hardhat: { ...hardhatNetworkConfig(), allowUnlimitedContractSize: true },
    // The local OP-Stack node of `npm run node:l2`: no accounts, so anvil's unlocked accounts sign.
    localL2: { url: process.env.LOCAL_L2_RPC_URL || "http://127.0.0.1:8545", chainId: 901 },
    opSepolia: remote(11155420, "OP_SEPOLIA_RPC_URL"),
    baseSepolia: remote(84532, "BASE_SEPOLIA_RPC_URL"),
    arbitrumSepolia: remote(421614, "ARBITRUM_SEPOLIA_RPC_URL"),
    optimism: remote(10, "OPTIMISM_RPC_URL"),
    base: remote(8453, "BASE_RPC_URL"),
    arbitrum: remote(42161, "ARBITRUM_RPC_URL"),
  },
  // One Etherscan V2 key for every chain. Base Sepolia and Arbitrum Sepolia are built into hardhat-verify;
  // OP Sepolia goes through the V2 endpoint as a custom chain.
  etherscan: {
    apiKey: process.env.ETHERSCAN_API_KEY ?? "",
    customChains: [
      {
        network: "opSepolia",
        chainId: 11155420,
        urls: { apiURL: "https://api.etherscan.io/v2/api", browserURL: "https://sepolia-optimism.etherscan.io" },
      },
    ],
  },
  sourcify: { enabled: false },
  paths: {
    sources: "contracts",
    tests: "test",
    ignition: "deploy",
  },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
    // Typed factories for the official Stargate V2 artifacts (BUSL-1.1: tests, demo and local node only) and
    // LayerZero's EndpointV2Mock, deployed by test/helpers/stargate.ts.
    externalArtifacts: stageStargateArtifacts(),
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "1",
    offline: true,
    outputFile: process.env.REPORT_GAS === "1" ? "reports/gas-reporter.txt" : undefined,
    noColors: true,
  },
  mocha: { timeout: 120_000 },
};

export default config;
