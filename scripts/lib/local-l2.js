#!/usr/bin/env node
/*
 * Where the local OP-Stack node (anvil, chain 901) lives, decided by ONE setting, and which anvil binary runs it.
 * Plain CommonJS so that bash (scripts/l2-up.sh, package.json's test:fork) and TypeScript (hardhat.config.ts,
 * scripts/lib/anvil.ts, scripts/deploy.ts) read the same answer.
 *
 * The setting: L2_PORT (and L2_HOST, default 127.0.0.1), default port 8545. LOCAL_L2_RPC_URL may be given instead:
 * its host and port are then where anvil binds. Both given and disagreeing is an error (never "anvil here, seeding
 * there"). Everything follows the answer: the node, the seeding, the `localL2` network, test:fork's FORK_URL default
 * and the printed hints.
 *
 *   node scripts/lib/local-l2.js          prints L2_HOST=..., L2_PORT=..., LOCAL_L2_RPC_URL=..., ANVIL=... (for eval)
 *   node scripts/lib/local-l2.js url      prints the URL alone
 */
"use strict";

const path = require("path");

const L2_CHAIN_ID = 901;
const DEFAULT_L2_HOST = "127.0.0.1";
const DEFAULT_L2_PORT = 8545;

/** @param {NodeJS.ProcessEnv} env @returns {{ host: string, port: number, url: string }} */
function localL2Endpoint(env = process.env) {
  const givenPort = env.L2_PORT ? Number(env.L2_PORT) : undefined;
  if (givenPort !== undefined && !(Number.isInteger(givenPort) && givenPort > 0 && givenPort < 65536)) {
    throw new Error(`L2_PORT=${env.L2_PORT} is not a port number.`);
  }
  const givenHost = env.L2_HOST || undefined;
  if (env.LOCAL_L2_RPC_URL) {
    let parsed;
    try {
      parsed = new URL(env.LOCAL_L2_RPC_URL);
    } catch {
      throw new Error(`LOCAL_L2_RPC_URL=${env.LOCAL_L2_RPC_URL} is not a URL.`);
    }
    const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
    const host = parsed.hostname;
    if (givenPort !== undefined && givenPort !== port) {
      throw new Error(
        `LOCAL_L2_RPC_URL=${env.LOCAL_L2_RPC_URL} and L2_PORT=${env.L2_PORT} disagree: set only one of them.`,
      );
    }
    if (givenHost !== undefined && givenHost !== host) {
      throw new Error(
        `LOCAL_L2_RPC_URL=${env.LOCAL_L2_RPC_URL} and L2_HOST=${env.L2_HOST} disagree: set only one of them.`,
      );
    }
    return { host, port, url: env.LOCAL_L2_RPC_URL.replace(/\/$/, "") };
  }
  const host = givenHost ?? DEFAULT_L2_HOST;
  const port = givenPort ?? DEFAULT_L2_PORT;
  return { host, port, url: `http://${host}:${port}` };
}

/**
 * The platform's anvil binary from @foundry-rs/anvil-<os>-<arch> (an optional dependency of @foundry-rs/anvil),
 * resolved like scripts/forge.js resolves forge. The binary itself, not the npm wrapper: stopping `npx anvil` leaves
 * anvil running, while the binary's PID stops the node.
 * @returns {string}
 */
function anvilBinary() {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [path.resolve(__dirname, "..", "..")] }));
  } catch {
    throw new Error(`${pkg} is not installed (an optional dependency of @foundry-rs/anvil): run npm install.`);
  }
  return path.join(dir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
}

module.exports = { L2_CHAIN_ID, DEFAULT_L2_HOST, DEFAULT_L2_PORT, localL2Endpoint, anvilBinary };

if (require.main === module) {
  try {
    const { host, port, url } = localL2Endpoint();
    if (process.argv[2] === "url") {
      process.stdout.write(`${url}\n`);
    } else {
      const quote = (s) => `'${String(s).replace(/'/g, "'\\''")}'`;
      process.stdout.write(
        `L2_HOST=${quote(host)}\nL2_PORT=${quote(port)}\nLOCAL_L2_RPC_URL=${quote(url)}\nANVIL=${quote(anvilBinary())}\n`,
      );
    }
  } catch (error) {
    process.stderr.write(`local-l2: ${error.message}\n`);
    process.exit(1);
  }
}
