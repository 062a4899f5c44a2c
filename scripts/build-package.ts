/**
 * npm run package:build — the installable package for integrators, built into dist/package (PACKAGE_OUT moves it):
 *
 *   abi/<Name>.json         the product ABIs; abi/IRollupVault.json is everything at a vault's address (functions
 *                           of the core and the admin module, every event and error, OpenZeppelin's included),
 *                           plus IERC20Metadata and IERC20Permit for the asset
 *   dist/                   typechain factories for ethers v6 over those ABIs (IRollupVault__factory, ...), compiled
 *                           to CommonJS with declarations
 *   addresses.json          the address book of real protocols by chain id (deploy/config/addresses.ts)
 *   deployments/<id>.json   the committed Ignition records (deploy/deployments/chain-<id>/deployed_addresses.json)
 *
 * `exports` names each: `import { IRollupVault__factory, addressBook, deployment } from "<name>"`,
 * `require("<name>/abi/IRollupVault.json")`, `require("<name>/deployments/10.json")`. ethers is a peer dependency.
 * The root package.json stays private; this one is generated and published from its own directory (`npm pack`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { runTypeChain } from "typechain";
import { ADDRESSES } from "../deploy/config/addresses";
import { productArtifacts, vaultAddressAbi } from "./lib/product";
import { ROOT } from "./lib/paths";

export const PACKAGE_NAME = "rollup-yield-vaults-sdk";
/** Chains whose records are local and never published. */
const LOCAL_CHAINS = new Set([31337, 901]);

export async function buildPackage(
  out = process.env.PACKAGE_OUT ?? path.join(ROOT, "dist", "package"),
): Promise<string> {
  const root = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
    license: string;
    description: string;
    devDependencies: Record<string, string>;
  };
  rmSync(out, { recursive: true, force: true });
  for (const dir of ["abi", "src", "deployments"]) mkdirSync(path.join(out, dir), { recursive: true });

  // ABIs: the product's, the vault's address ABI, and the asset's interfaces.
  const abis: Record<string, unknown[]> = {};
  for (const artifact of await productArtifacts(hre)) abis[artifact.name] = artifact.abi;
  abis.IRollupVault = await vaultAddressAbi(hre);
  for (const name of ["IERC20Metadata", "IERC20Permit"]) abis[name] = (await hre.artifacts.readArtifact(name)).abi;
  const abiFiles: string[] = [];
  for (const [name, abi] of Object.entries(abis)) {
    const file = path.join(out, "abi", `${name}.json`);
    writeFileSync(file, `${JSON.stringify(abi, null, 2)}\n`);
    abiFiles.push(file);
  }

  // Typed factories for ethers v6.
  await runTypeChain({
    cwd: out,
    filesToProcess: abiFiles,
    allFiles: abiFiles,
    outDir: path.join(out, "src", "types"),
    target: "ethers-v6",
  });

  // Address book and deployment records.
  writeFileSync(path.join(out, "addresses.json"), `${JSON.stringify(ADDRESSES, null, 2)}\n`);
  const deployments: number[] = [];
  const recordDir = path.join(ROOT, "deploy", "deployments");
  for (const entry of existsSync(recordDir) ? readdirSync(recordDir) : []) {
    const chainId = Number(entry.replace(/^chain-/, ""));
    const file = path.join(recordDir, entry, "deployed_addresses.json");
    if (!Number.isInteger(chainId) || LOCAL_CHAINS.has(chainId) || !existsSync(file)) continue;
    writeFileSync(path.join(out, "deployments", `${chainId}.json`), readFileSync(file));
    deployments.push(chainId);
  }

  writeFileSync(
    path.join(out, "src", "index.ts"),
    `/** ${PACKAGE_NAME}: typed factories (ethers v6), ABIs, the address book and the deployment records. */
export * from "./types";
import addresses from "../addresses.json";
${deployments.map((id) => `import d${id} from "../deployments/${id}.json";`).join("\n")}

/** Real protocol addresses (USDC, Stargate V2, Velodrome/Aerodrome, ...) by chain id. */
export const ADDRESS_BOOK = addresses as Record<string, unknown>;
export function addressBook(chainId: number | bigint): unknown {
  return ADDRESS_BOOK[String(chainId)];
}

/** Chains with a published deployment record. */
export const DEPLOYED_CHAIN_IDS: readonly number[] = ${JSON.stringify(deployments)};

/** The Ignition record of a chain (\`Vault#RollupVault\` -> address), or undefined. */
const DEPLOYMENTS: Record<number, Record<string, string>> = {${deployments.map((id) => `\n  ${id}: d${id},`).join("")}
};
export function deployment(chainId: number | bigint): Record<string, string> | undefined {
  return DEPLOYMENTS[Number(chainId)];
}
`,
  );
  writeFileSync(
    path.join(out, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "es2020",
          module: "commonjs",
          moduleResolution: "node",
          declaration: true,
          strict: true,
          esModuleInterop: true,
          resolveJsonModule: true,
          skipLibCheck: true,
          outDir: "dist",
          rootDir: ".",
          types: [],
          // Built anywhere (a temporary directory too): ethers' types come from this repository's install.
          baseUrl: ".",
          paths: { ethers: [path.join(ROOT, "node_modules", "ethers")] },
        },
        include: ["src", "addresses.json", "deployments"],
      },
      null,
      2,
    ),
  );
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", out], {
    cwd: out,
    encoding: "utf8",
  });
  if (tsc.status !== 0) throw new Error(`compiling the package failed:\n${tsc.stdout}${tsc.stderr}`);

  const ethersVersion = root.devDependencies.ethers;
  const pkg = {
    name: PACKAGE_NAME,
    version: root.version,
    description: `${root.description}: ABIs, typed ethers v6 factories, address book and deployments`,
    license: root.license,
    main: "dist/src/index.js",
    types: "dist/src/index.d.ts",
    exports: {
      ".": { types: "./dist/src/index.d.ts", default: "./dist/src/index.js" },
      "./abi/*": "./abi/*",
      "./addresses.json": "./addresses.json",
      "./deployments/*": "./deployments/*",
      "./package.json": "./package.json",
    },
    files: ["abi", "dist", "addresses.json", "deployments", "README.md"],
    peerDependencies: { ethers: `^${ethersVersion}` },
    sideEffects: false,
  };
  writeFileSync(path.join(out, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(
    path.join(out, "README.md"),
    `# ${PACKAGE_NAME}\n\nABIs, typed ethers v6 factories, the address book and the deployment records of the rollup ` +
      "yield vaults. See docs/integration.md of the repository.\n\n```ts\n" +
      `import { IRollupVault__factory, addressBook, deployment } from "${PACKAGE_NAME}";\n` +
      "```\n",
  );
  rmSync(path.join(out, "tsconfig.json"));
  return out;
}

if (require.main === module) {
  buildPackage()
    .then((out) => console.log(`package built in ${path.relative(process.cwd(), out)} (npm pack it there)`))
    .catch((error: Error) => {
      console.error(`package:build failed: ${error.message}`);
      process.exitCode = 1;
    });
}
