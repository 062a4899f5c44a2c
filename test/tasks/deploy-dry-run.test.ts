/**
 * Issue 11.6: `npm run deploy -- --network localL2 --dry-run` prints the plan (deployer, vaults, roles, caps in asset
 * units, the protocol address of every part) and sends nothing. Run in-process against this network, served over
 * HTTP as the local node (chain id 901) would be.
 */
import { createServer, type Server } from "node:http";
import { expect } from "chai";
import hre from "hardhat";
import { deploySuite } from "../../scripts/deploy";

/** This network as an HTTP JSON-RPC endpoint answering chain id 901, like the local L2 node. */
function serveAsLocalL2(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      type Call = { id: number; method: string; params?: unknown[] };
      const parsed = JSON.parse(body) as Call | Call[];
      const answer = async (c: Call) => {
        if (c.method === "eth_chainId") return { jsonrpc: "2.0", id: c.id, result: "0x385" };
        try {
          const result = await hre.network.provider.request({ method: c.method, params: c.params ?? [] });
          return { jsonrpc: "2.0", id: c.id, result };
        } catch (error) {
          return { jsonrpc: "2.0", id: c.id, error: { code: -32000, message: (error as Error).message } };
        }
      };
      const result = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(result));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
    }),
  );
}

describe("deploy --dry-run (issue 11.6)", function () {
  let server: Server;
  const saved = { ...process.env };

  before(async function () {
    const served = await serveAsLocalL2();
    server = served.server;
    delete process.env.L2_PORT;
    delete process.env.L2_HOST;
    process.env.LOCAL_L2_RPC_URL = served.url;
  });

  after(function () {
    server.close();
    process.env = saved;
  });

  it("prints the plan with roles, caps in asset units and stand-ins to deploy, and sends nothing", async function () {
    const [deployer] = await hre.ethers.getSigners();
    const block = await hre.ethers.provider.getBlockNumber();
    const nonce = await hre.ethers.provider.getTransactionCount(deployer.address);
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    let result: Record<string, string>;
    try {
      result = await deploySuite("localL2", { dryRun: true });
    } finally {
      console.log = original;
    }
    const out = lines.join("\n");
    expect(result).to.deep.equal({});
    expect(out).to.include(`network localL2 (chain 901, local), deployer ${deployer.address.toLowerCase()}, DRY RUN`);
    expect(out).to.match(/would deploy the TEST-SUPPORT stand-ins first for Asset6/);
    expect(out).to.match(/ {4}asset {16}<TestSupport#Asset6>/);
    expect(out).to.match(/ {4}absoluteCap {10}100,000,000\n/);
    expect(out).to.match(/ {4}keeper {15}0x[0-9a-f]{40}/);
    expect(out).to.include("dry run: nothing was sent.");
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(block);
    expect(await hre.ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
  });
});
