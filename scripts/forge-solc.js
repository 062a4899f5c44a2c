#!/usr/bin/env node
/*
 * A stand-in for a native solc 0.8.30, for forge only (forge cannot download a compiler on this machine).
 * It speaks the two parts of solc's command line that forge uses:
 *   --version                 prints what native solc prints, which forge parses for the version;
 *   --standard-json [flags]   compiles the standard-JSON input read from stdin with the npm `solc` package
 *                             (the same compiler Hardhat uses) and prints the standard-JSON output.
 * Forge puts every source's content in the input; an import it left out is read from disk, resolved against
 * --base-path and each --include-path, and only inside those or the --allow-paths forge passes.
 * It never calls process.exit after writing: stdout is a pipe, and exiting before it drains cuts the JSON.
 */
"use strict";

const fs = require("fs");
const path = require("path");

const solc = require("solc");

const args = process.argv.slice(2);

/** Values of a repeatable flag given as `--flag value` or `--flag=value`, comma-separated lists split. */
function flagValues(name) {
  const values = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name && i + 1 < args.length) values.push(args[++i]);
    else if (args[i].startsWith(`${name}=`)) values.push(args[i].slice(name.length + 1));
  }
  return values.flatMap((v) => v.split(",")).filter((v) => v.length > 0);
}

function compileStandardJson() {
  const basePath = path.resolve(flagValues("--base-path")[0] ?? process.cwd());
  const roots = [basePath, ...flagValues("--include-path").map((p) => path.resolve(basePath, p))];
  const allowed = [...roots, ...flagValues("--allow-paths").map((p) => path.resolve(basePath, p))];
  const findImports = (importPath) => {
    for (const root of path.isAbsolute(importPath) ? [""] : roots) {
      const file = path.resolve(root, importPath);
      if (!allowed.some((dir) => file === dir || file.startsWith(dir + path.sep))) continue;
      if (fs.existsSync(file)) return { contents: fs.readFileSync(file, "utf8") };
    }
    return { error: `File not found: ${importPath}` };
  };
  const chunks = [];
  process.stdin.on("data", (chunk) => chunks.push(chunk));
  process.stdin.on("end", () => {
    process.stdout.write(solc.compile(Buffer.concat(chunks).toString("utf8"), { import: findImports }));
  });
}

if (args.includes("--version")) {
  // Native solc prints "<long version>.Linux.g++"; npm solc reports "<long version>.Emscripten.clang".
  const longVersion = solc.version().replace(/\.Emscripten\.clang$/, "");
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${longVersion}.Linux.g++\n`);
} else if (args.includes("--standard-json")) {
  compileStandardJson();
} else {
  process.stderr.write("forge-solc.js answers only --version and --standard-json\n");
  process.exitCode = 2;
}
