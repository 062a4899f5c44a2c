/**
 * Paths of the official Stargate V2 artifacts (npm `@stargatefinance/stg-evm-v2`, BUSL-1.1) and of LayerZero's
 * EndpointV2Mock (`@layerzerolabs/test-devtools-evm-hardhat`). Neither package exports its artifact JSON, so they
 * are read by file path. They are used by tests, the demo and the local node only, never in what is deployed.
 */
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const STG = "node_modules/@stargatefinance/stg-evm-v2/artifacts/src";
const LZ = "node_modules/@layerzerolabs/test-devtools-evm-hardhat/artifacts/contracts";

/** LayerZero endpoint ids of the two sides of the local Stargate set (Optimism's and Ethereum's V2 eids). */
export const LOCAL_EID = 30111;
export const REMOTE_EID = 30101;
/** Stargate asset ids (the same on every chain, as on the real network). */
export const USDC_ASSET_ID = 1;
export const ETH_ASSET_ID = 13;
/** Gas the executor gives a delivery (taxi or credit message) on the destination. */
export const DELIVERY_GAS = 500_000n;

/** Type-3 executor options giving lzReceive `gas` (what TokenMessaging enforces for taxis here), as hex. */
export function lzReceiveOption(gas: bigint): string {
  // option type 3 | worker 1 (executor) | size 17 | lzReceive (1) | uint128 gas
  return `0x000301001101${gas.toString(16).padStart(32, "0")}`;
}

/** Reads a Hardhat artifact (for Ignition's `m.contract(name, artifact, ...)`). */
export function readStargateArtifact(name: StargateArtifactName) {
  return JSON.parse(fs.readFileSync(stargateArtifactPath(name), "utf8")) as {
    _format: string;
    contractName: string;
    sourceName: string;
    abi: unknown[];
    bytecode: string;
    deployedBytecode: string;
    linkReferences: Record<string, Record<string, Array<{ length: number; start: number }>>>;
    deployedLinkReferences: Record<string, Record<string, Array<{ length: number; start: number }>>>;
  };
}

/** Artifact path of each contract, relative to the repository root. */
export const STARGATE_ARTIFACT_PATHS = {
  StargatePoolUSDC: `${STG}/usdc/StargatePoolUSDC.sol/StargatePoolUSDC.json`,
  StargatePoolNative: `${STG}/StargatePoolNative.sol/StargatePoolNative.json`,
  StargatePool: `${STG}/StargatePool.sol/StargatePool.json`,
  TokenMessaging: `${STG}/messaging/TokenMessaging.sol/TokenMessaging.json`,
  CreditMessaging: `${STG}/messaging/CreditMessaging.sol/CreditMessaging.json`,
  FeeLibV1: `${STG}/feelibs/FeeLibV1.sol/FeeLibV1.json`,
  Treasurer: `${STG}/peripheral/Treasurer.sol/Treasurer.json`,
  StargateStaking: `${STG}/peripheral/rewarder/StargateStaking.sol/StargateStaking.json`,
  StargateMultiRewarder: `${STG}/peripheral/rewarder/StargateMultiRewarder.sol/StargateMultiRewarder.json`,
  LPToken: `${STG}/utils/LPToken.sol/LPToken.json`,
  FiatTokenV2_2: `${STG}/usdc/impl/v2/FiatTokenV2_2.sol/FiatTokenV2_2.json`,
  FiatTokenProxy: `${STG}/usdc/impl/v1/FiatTokenProxy.sol/FiatTokenProxy.json`,
  SignatureChecker: `${STG}/usdc/impl/util/SignatureChecker.sol/SignatureChecker.json`,
  EndpointV2Mock: `${LZ}/mocks/EndpointV2Mock.sol/EndpointV2Mock.json`,
} as const;

export type StargateArtifactName = keyof typeof STARGATE_ARTIFACT_PATHS;

/** Absolute path of an artifact. */
export function stargateArtifactPath(name: StargateArtifactName): string {
  return path.join(ROOT, STARGATE_ARTIFACT_PATHS[name]);
}

/** Where the artifacts are staged for typechain (gitignored, rebuilt on every Hardhat start). */
const STAGE = "cache/external-artifacts";

/**
 * Copies the artifacts to cache/external-artifacts/ and returns their paths for typechain's `externalArtifacts`.
 * Typed from there because ts-node never compiles a file whose path contains `node_modules/`, which is where
 * typechain would otherwise write their types (typechain-types/node_modules/...).
 */
export function stageStargateArtifacts(): string[] {
  fs.mkdirSync(path.join(ROOT, STAGE), { recursive: true });
  return (Object.keys(STARGATE_ARTIFACT_PATHS) as StargateArtifactName[]).map((name) => {
    const target = `${STAGE}/${name}.json`;
    const source = stargateArtifactPath(name);
    const dest = path.join(ROOT, target);
    if (!fs.existsSync(dest) || fs.statSync(dest).mtimeMs < fs.statSync(source).mtimeMs) fs.copyFileSync(source, dest);
    return target;
  });
}
