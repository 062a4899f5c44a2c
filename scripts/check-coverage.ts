/**
 * Fails unless the coverage of contracts/ (test-support excluded by .solcover.js) meets the thresholds.
 * Reads coverage/coverage-summary.json, written by `npx hardhat coverage`.
 */
import { readFileSync } from "node:fs";

const LINES_MIN = Number(process.env.COVERAGE_LINES_MIN ?? 95);
const BRANCHES_MIN = Number(process.env.COVERAGE_BRANCHES_MIN ?? 90);

type Totals = Record<"lines" | "branches" | "functions" | "statements", { pct: number }>;
const summary = JSON.parse(readFileSync("coverage/coverage-summary.json", "utf8")) as { total: Totals };
const { lines, branches, functions, statements } = summary.total;
console.log(
  `coverage: lines ${lines.pct}% (min ${LINES_MIN}%), branches ${branches.pct}% (min ${BRANCHES_MIN}%), ` +
    `functions ${functions.pct}%, statements ${statements.pct}%`,
);
if (lines.pct < LINES_MIN || branches.pct < BRANCHES_MIN) {
  console.error("coverage below threshold");
  process.exit(1);
}
