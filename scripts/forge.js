#!/usr/bin/env node
/*
 * Runs the native forge binary from the npm install and exits with its exit code.
 * Never use the npm wrapper (`npx forge`, node_modules/.bin/forge) in scripts or CI: it exits 0 even when tests
 * fail. The binary comes from the platform package @foundry-rs/forge-<os>-<arch>, an optional dependency of
 * @foundry-rs/forge. Usage: node scripts/forge.js <forge arguments>, run from anywhere; forge runs in the repo root.
 */
"use strict";

const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const arch = { x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch;
const pkg = `@foundry-rs/forge-${process.platform}-${arch}`;

let binary;
try {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] }));
  binary = path.join(dir, "bin", process.platform === "win32" ? "forge.exe" : "forge");
} catch {
  process.stderr.write(`forge.js: ${pkg} is not installed (an optional dependency of @foundry-rs/forge)\n`);
  process.exit(1);
}

const result = spawnSync(binary, process.argv.slice(2), { cwd: root, stdio: "inherit" });
if (result.error) {
  process.stderr.write(`forge.js: cannot run ${binary}: ${result.error.message}\n`);
  process.exit(1);
}
// A signal-killed forge has no status: that is a failure too.
process.exit(result.status ?? 1);
