/**
 * `npx hardhat test <dir> [<dir> ...]`: Hardhat 2 hands each path to mocha as a file, so a directory fails with
 * "Cannot find module". This expands every directory given into its test files (recursively, sorted); files and the
 * default (no path: the whole test/ tree) are unchanged.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { subtask } from "hardhat/config";
import { TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";

function testFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFilesUnder(full));
    else if (/\.(ts|js|cjs|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) found.push(full);
  }
  return found.sort();
}

subtask(TASK_TEST_GET_TEST_FILES, async (args: { testFiles: string[] }, _hre, runSuper) => {
  const files = (await runSuper(args)) as string[];
  return files.flatMap((file) => {
    try {
      return statSync(file).isDirectory() ? testFilesUnder(file) : [file];
    } catch {
      return [file]; // missing: let mocha report it
    }
  });
});
