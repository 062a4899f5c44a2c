/**
 * Issue 11.10: the installable package. Builds it (scripts/build-package.ts), packs it with `npm pack`, installs
 * the tarball into a scratch TypeScript project in a temporary directory outside the repository (ethers and a pinned
 * TypeScript from the registry), compiles the integration guide's examples there against the package (the file
 * docs/examples/integration.ts, its import switched to the package) and runs them against this in-process network,
 * served over HTTP. Skipped, saying so, when the npm registry cannot be reached.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { ERC4626Adapter__factory, MockERC20__factory, MockERC4626Target__factory } from "../../typechain-types";
import { deployVault, getRoles } from "../helpers/fixtures";
import { buildPackage, PACKAGE_NAME } from "../../scripts/build-package";

const ROOT = path.join(__dirname, "..", "..");
/** TypeScript pinned for the scratch project: a fresh `npm install typescript` may bring a major ts-node cannot run. */
const TYPESCRIPT = "5.9.3";

function run(cmd: string, args: string[], cwd: string) {
  const out = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_fund: "false" } });
  if (out.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${out.stdout}\n${out.stderr}`);
  return out.stdout;
}

/** This in-process network as an HTTP JSON-RPC endpoint, for a process outside Hardhat. */
function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      const calls = JSON.parse(body) as
        { id: number; method: string; params?: unknown[] } | { id: number; method: string; params?: unknown[] }[];
      const answer = async (c: { id: number; method: string; params?: unknown[] }) => {
        try {
          return {
            jsonrpc: "2.0",
            id: c.id,
            result: await hre.network.provider.request({ method: c.method, params: c.params ?? [] }),
          };
        } catch (error) {
          const e = error as { code?: number; message: string; data?: unknown };
          return { jsonrpc: "2.0", id: c.id, error: { code: e.code ?? -32000, message: e.message, data: e.data } };
        }
      };
      const result = Array.isArray(calls) ? await Promise.all(calls.map(answer)) : await answer(calls);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(result));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}` });
    }),
  );
}

const MAIN = `import { ethers } from "ethers";
import { addressBook, DEPLOYED_CHAIN_IDS, IRollupVault__factory } from "${PACKAGE_NAME}";
import vaultAbi from "${PACKAGE_NAME}/abi/IRollupVault.json";
import { connectVault, depositWithPermit, readLimits, vaultError } from "./integration";

async function main(): Promise<void> {
  const [url, vaultAddress, aliceAddress] = process.argv.slice(2);
  const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 1 });
  const alice = await provider.getSigner(aliceAddress);
  const vault = connectVault(vaultAddress, alice);
  const shares = await depositWithPermit(vault, alice, 1_000_000_000n);
  const limits = await readLimits(vault, aliceAddress);
  const failed = await vault.transfer.staticCall(ethers.ZeroAddress, 1n).catch((e: unknown) => e);
  const names = (vaultAbi as { type: string; name?: string }[]).filter((e) => e.type === "error").map((e) => e.name);
  const book = addressBook(10) as { usdc: string } | undefined;
  console.log(
    JSON.stringify({
      shares: shares.toString(),
      maxWithdraw: limits.maxWithdraw.toString(),
      decoded: vaultError(vault, failed)?.name,
      abiErrors: names.length,
      hasOzErrors: names.includes("ERC4626ExceededMaxRedeem"),
      factoryErrors: IRollupVault__factory.createInterface().getError("ERC20InsufficientBalance") !== null,
      optimismUsdc: book?.usdc,
      deployedChains: DEPLOYED_CHAIN_IDS.length,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

describe("the installable package (issue 11.10)", function () {
  this.timeout(900_000);
  let scratch: string;
  let server: Server | undefined;

  before(function () {
    const ping = spawnSync("npm", ["ping"], { encoding: "utf8", timeout: 30_000 });
    if (ping.status !== 0) {
      console.log("    (skipped: the npm registry cannot be reached, and the scratch project installs from it)");
      this.skip();
    }
    scratch = mkdtempSync(path.join(tmpdir(), "vault-sdk-"));
  });

  after(function () {
    server?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("packs, installs into a scratch TypeScript project, compiles and runs the guide's examples", async function () {
    const out = await buildPackage(path.join(scratch, "package"));
    const pkg = JSON.parse(readFileSync(path.join(out, "package.json"), "utf8"));
    expect(pkg.name).to.equal(PACKAGE_NAME);
    expect(Object.keys(pkg.exports)).to.include.members([".", "./abi/*", "./addresses.json", "./deployments/*"]);
    run("npm", ["pack", "--pack-destination", scratch], out);
    const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
    expect(tarball, "npm pack wrote a tarball").to.not.equal(undefined);

    const project = path.join(scratch, "project");
    mkdirSync(path.join(project, "src"), { recursive: true });
    const devDeps = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).devDependencies;
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({
        name: "scratch-integrator",
        private: true,
        dependencies: {
          [PACKAGE_NAME]: `file:${path.join(scratch, tarball!)}`,
          ethers: devDeps.ethers,
          typescript: TYPESCRIPT,
          "@types/node": devDeps["@types/node"],
        },
      }),
    );
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          esModuleInterop: true,
          resolveJsonModule: true,
          outDir: "dist",
        },
        include: ["src"],
      }),
    );
    const examples = readFileSync(path.join(ROOT, "docs", "examples", "integration.ts"), "utf8");
    expect(examples).to.include('from "../../typechain-types"');
    writeFileSync(
      path.join(project, "src", "integration.ts"),
      examples.replace('from "../../typechain-types"', `from "${PACKAGE_NAME}"`),
    );
    writeFileSync(path.join(project, "src", "main.ts"), MAIN);
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], project);
    run(process.execPath, [path.join(project, "node_modules", "typescript", "bin", "tsc"), "-p", project], project);

    // The guide's setting on this network: a 6-decimal permit asset, a vault with an ERC-4626 adapter.
    const roles = await getRoles();
    const asset = await new MockERC20__factory(roles.owner).deploy("USD Coin", "USDC", 6);
    const vault = await deployVault(asset, roles);
    const target = await new MockERC4626Target__factory(roles.owner).deploy(await asset.getAddress());
    const adapter = await new ERC4626Adapter__factory(roles.owner).deploy(
      await vault.getAddress(),
      await target.getAddress(),
    );
    await vault.connect(roles.curator).addAdapter(await adapter.getAddress(), 10n ** 30n, 10_000);
    await asset.mint(roles.alice.address, 10_000_000_000n);

    const served = await serve();
    server = served.server;
    // Asynchronously: this process must stay free to answer the scratch project's RPC calls.
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["dist/main.js", served.url, vault.target.toString(), roles.alice.address],
        { cwd: project },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => (stdout += c));
      child.stderr.on("data", (c) => (stderr += c));
      child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`examples failed:\n${stderr}`))));
    });
    const result = JSON.parse(output.trim().split("\n").pop()!);
    expect(result.shares).to.equal(ethers.parseUnits("1000", 18).toString());
    expect(await vault.balanceOf(roles.alice.address)).to.equal(ethers.parseUnits("1000", 18));
    expect(result.maxWithdraw).to.equal("1000000000");
    expect(result.decoded).to.equal("ERC20InvalidReceiver"); // the guide's vaultError over the package's types
    expect(result.hasOzErrors).to.equal(true);
    expect(result.factoryErrors).to.equal(true); // the factory's interface is the vault-address ABI
    expect(result.optimismUsdc).to.equal("0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85");
  });
});
