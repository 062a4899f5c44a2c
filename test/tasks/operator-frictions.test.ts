/** Issue 11 items 1-3, 5, 7, 8: what a newcomer operator tripped over, each held by a test. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deploy6 } from "../helpers/fixtures";
import { formatAmount } from "../../tasks/format";
import { context, describeError, queueOfVault } from "../../tasks/lib";
import type { WithdrawResult } from "../../tasks/operations";
import { localL2Endpoint } from "../../scripts/lib/local-l2";
import { plainLog } from "../../scripts/lib/plain-progress";

const ROOT = path.join(__dirname, "..", "..");

/** Runs `fn` and returns what it printed with console.log. */
async function printed(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.log = original;
  }
  return lines.join("\n");
}

describe("Operator frictions (issue 11)", function () {
  describe("11.1 one setting moves the local node", function () {
    it("defaults to 127.0.0.1:8545", function () {
      expect(localL2Endpoint({})).to.deep.equal({ host: "127.0.0.1", port: 8545, url: "http://127.0.0.1:8545" });
    });

    it("L2_PORT alone moves the URL the node binds, seeds and the localL2 network use", function () {
      expect(localL2Endpoint({ L2_PORT: "18545" }).url).to.equal("http://127.0.0.1:18545");
    });

    it("LOCAL_L2_RPC_URL alone moves where anvil binds", function () {
      expect(localL2Endpoint({ LOCAL_L2_RPC_URL: "http://127.0.0.1:28545" })).to.deep.equal({
        host: "127.0.0.1",
        port: 28545,
        url: "http://127.0.0.1:28545",
      });
    });

    it("refuses the two settings when they disagree", function () {
      expect(() => localL2Endpoint({ LOCAL_L2_RPC_URL: "http://127.0.0.1:28545", L2_PORT: "8545" })).to.throw(
        "disagree: set only one of them",
      );
      expect(() => localL2Endpoint({ L2_PORT: "eighty" })).to.throw("L2_PORT=eighty is not a port number");
    });

    it("test:fork and scripts/l2-up.sh read the same answer (node scripts/lib/local-l2.js)", function () {
      const out = spawnSync("node", ["scripts/lib/local-l2.js", "url"], {
        cwd: ROOT,
        env: { ...process.env, L2_PORT: "18545", LOCAL_L2_RPC_URL: "", L2_HOST: "" },
        encoding: "utf8",
      });
      expect(out.stdout.trim()).to.equal("http://127.0.0.1:18545");
      expect(require(path.join(ROOT, "package.json")).scripts["test:fork"]).to.include("scripts/lib/local-l2.js url");
    });
  });

  describe("11.2 dev:fund", function () {
    it("mints the vault's test-support asset to an account, which can then deposit", async function () {
      const f = await loadFixture(deploy6);
      const stranger = (await ethers.getSigners())[12];
      const result = (await hre.run("dev:fund", {
        vault: await f.vault.getAddress(),
        from: stranger.address,
        amount: "1000",
      })) as { balance: bigint };
      expect(result.balance).to.equal(f.units(1000));
      const vault = await f.vault.getAddress();
      const out = await printed(() => hre.run("vault:deposit", { vault, from: stranger.address, amount: "1000" }));
      expect(out).to.include(`${stranger.address} received 1,000 shares`);
    });

    it("refuses a token without an open mint", async function () {
      const f = await loadFixture(deploy6);
      await expect(
        hre.run("dev:fund", { vault: await f.vault.getAddress(), amount: "1", token: await f.vault.getAddress() }),
      ).to.be.rejectedWith("did not mint");
    });
  });

  describe("11.3 a contract that is not a vault", function () {
    for (const what of ["asset", "target", "adapter"] as const) {
      it(`says the ${what} is not a vault of this suite`, async function () {
        const f = await loadFixture(deploy6);
        const address = await f[what].getAddress();
        await expect(hre.run("vault:status", { vault: address })).to.be.rejectedWith(
          `${address} is not a vault of this suite`,
        );
      });
    }
  });

  describe("11.5 one clean line", function () {
    it("a remote network without its RPC variable names the variable, in one line, without DISPLAY", function () {
      const env: NodeJS.ProcessEnv = { ...process.env, OP_SEPOLIA_RPC_URL: "" };
      delete env.DISPLAY;
      delete env.WAYLAND_DISPLAY;
      const out = spawnSync("npx", ["hardhat", "vault:status", "--network", "opSepolia"], {
        cwd: ROOT,
        env,
        encoding: "utf8",
      });
      expect(out.status).to.equal(1);
      expect(out.stderr.trim()).to.equal("Error: Network opSepolia has no RPC URL: set OP_SEPOLIA_RPC_URL.");
      expect(out.stdout.trim()).to.equal("");
    });
  });

  describe("11.7 numbers for people", function () {
    it("formats amounts with decimals applied and thousands separators", function () {
      expect(formatAmount(350_000_000n, 6)).to.equal("350");
      expect(formatAmount(1_234_567_500_000n, 6)).to.equal("1,234,567.5");
      expect(formatAmount(2000_138888888888876088n, 18)).to.equal("~2,000.138888");
      expect(formatAmount(-5n, 0)).to.equal("-5");
    });

    it("decodes OpenZeppelin's errors with their amounts in asset units (not `custom error 0xe450d38c`)", async function () {
      const f = await loadFixture(deploy6);
      const ctx = await context(hre, { vault: await f.vault.getAddress() });
      const data = ctx.vault.interface
        .getAbiCoder()
        .encode(["address", "uint256", "uint256"], [f.alice.address, f.units(1), f.units(350_000)]);
      const error = { data: `0xe450d38c${data.slice(2)}` }; // ERC20InsufficientBalance(address,uint256,uint256)
      expect(describeError(ctx, error)).to.equal(
        `ERC20InsufficientBalance(sender: ${f.alice.address}, balance: 1 TKN, needed: 350,000 TKN)`,
      );
      const cap = ctx.vault.interface.encodeErrorResult("CapExceeded", [f.alice.address, f.units(350), f.units(310)]);
      expect(describeError(ctx, { data: cap })).to.equal(
        `CapExceeded(adapter: ${f.alice.address}, assets: 350 TKN, cap: 310 TKN)`,
      );
    });

    it("vault:withdraw prints and returns the assets received, the shares burnt and the loss", async function () {
      const f = await loadFixture(deploy6);
      const vault = await f.vault.getAddress();
      await f.vault.connect(f.alice).deposit(f.units(1_000), f.alice.address);
      let result: WithdrawResult | undefined;
      const out = await printed(async () => {
        result = await hre.run("vault:withdraw", { vault, from: f.alice.address, amount: "250", all: false });
      });
      expect(result?.assets).to.equal(f.units(250));
      expect(result?.shares).to.equal(ethers.parseUnits("250", 18));
      expect(result?.loss).to.equal(0n);
      expect(out).to.include("received 250 TKN for 250 shares; loss 0 TKN");
    });

    it("vault:report prints the gain and the fees", async function () {
      const f = await loadFixture(deploy6);
      const vault = await f.vault.getAddress();
      await f.vault.connect(f.alice).deposit(f.units(1_000), f.alice.address);
      await f.vault.connect(f.allocator).allocate(await f.adapter.getAddress(), f.units(1_000));
      await f.asset.mint(await f.target.getAddress(), f.units(10)); // the target's assets grow: a gain
      const out = await printed(() => hre.run("vault:report", { vault, from: f.keeper.address }));
      expect(out).to.match(/gain ~?9\.99\d* TKN|gain 10 TKN/);
      expect(out).to.include("performance +");
    });
  });

  describe("11.8 small ones", function () {
    it("reads the queue from the vault's redemptionQueue() where it has one, and falls back without it", async function () {
      const f = await loadFixture(deploy6);
      const has = (f.vault.interface as unknown as { hasFunction(n: string): boolean }).hasFunction("redemptionQueue");
      const found = await queueOfVault(hre, await f.vault.getAddress());
      if (!has)
        expect(found).to.equal(undefined); // this vault has no getter: the record decides
      else expect(found === undefined || ethers.isAddress(found)).to.equal(true);
    });

    it("harvest of an adapter paying no other token does not claim it has no reward token", async function () {
      const f = await loadFixture(deploy6);
      const vault = await f.vault.getAddress();
      await f.vault.connect(f.alice).deposit(f.units(100), f.alice.address);
      await f.vault.connect(f.allocator).allocate(await f.adapter.getAddress(), f.units(100));
      const out = await printed(() =>
        hre.run("vault:harvest", { vault, from: f.keeper.address, adapter: f.adapter.target.toString() }),
      );
      expect(out).to.include("nothing harvested: no reward token other than the asset was owed");
      expect(out).to.not.include("has no reward token");
    });

    it("rewards:claim --help says what the task does: the vault's distributor first, then the record", async function () {
      const definition = hre.tasks["rewards:claim"];
      expect(definition.paramDefinitions.distributor.description).to.equal(
        "The rewards distributor (default: the vault's rewardsDistributor(), else the deployment record's)",
      );
    });

    it("the deploy log has no cursor codes off a terminal (Ignition's redrawn batches become plain lines)", function () {
      const raw =
        "Hardhat Ignition starting...\x1b[2K\x1b[1GHardhat Ignition 🚀\n\nBatch #1\n  Executing A#X...\n\n" +
        "\x1b[10A\x1b[0JBatch #1\n  Executed A#X\n\n";
      const log = plainLog(raw);
      expect(log).to.not.match(/\x1b/); // eslint-disable-line no-control-regex
      expect(log.split("\n").filter((l) => l === "Batch #1")).to.have.length(1);
      expect(log).to.include("  Executed A#X");
    });
  });
});
