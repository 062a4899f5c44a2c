/**
 * The fork suite runs only when the in-process Hardhat network forks FORK_URL (see scripts/lib/forking.ts):
 *   - the local L2 node (chain 901, `npm run node:l2` or scripts/l2-up.sh): local-l2.test.ts;
 *   - a real Optimism / Base / Arbitrum RPC (chain 10 / 8453 / 42161): real-chain.test.ts.
 * Without FORK_URL the whole suite is one pending line saying how to run it, and `npm test` stays green.
 */
import { spawnSync } from "node:child_process";

export const FORK_URL = process.env.FORK_URL;

/** The chain id FORK_URL answers (asked once, synchronously, so that `describe` blocks can be chosen). */
function detectChainId(url: string): number | undefined {
  const script =
    "fetch(process.argv[1],{method:'POST',headers:{'content-type':'application/json'}," +
    "body:JSON.stringify({jsonrpc:'2.0',id:1,method:'eth_chainId',params:[]})})" +
    ".then(r=>r.json()).then(j=>console.log(Number(j.result))).catch(()=>console.log(''))";
  const out = spawnSync(process.execPath, ["-e", script, url], { encoding: "utf8", timeout: 15_000 });
  const id = Number(out.stdout.trim());
  return Number.isFinite(id) && id > 0 ? id : undefined;
}

export const FORK_CHAIN_ID = FORK_URL ? detectChainId(FORK_URL) : undefined;

export const LOCAL_L2_CHAIN_ID = 901;
export const REAL_CHAIN_IDS = [10, 8453, 42161];

if (!FORK_URL) {
  describe("Fork suite", function () {
    it.skip(
      "is skipped: FORK_URL is not set. Run `npm run node:l2` (or scripts/l2-up.sh) then `npm run test:fork`, " +
        "or FORK_URL=<optimism|base|arbitrum rpc> npm run test:fork",
    );
  });
} else if (FORK_CHAIN_ID === undefined) {
  describe("Fork suite", function () {
    it(`cannot reach FORK_URL=${FORK_URL}`, function () {
      throw new Error(`No node answers at ${FORK_URL}: start one with \`npm run node:l2\` or unset FORK_URL.`);
    });
  });
}

/** `describe` when `condition` holds; otherwise nothing is registered (the reason is one pending line elsewhere). */
export function describeWhen(condition: boolean): (title: string, fn: (this: Mocha.Suite) => void) => void {
  return condition ? (title, fn) => describe(title, fn) : () => undefined;
}
