#!/usr/bin/env bash
# `npm test`: every test suite of the project, in order, and one closing line "N passed, N failed".
#  1. the Hardhat suite in-process (unit, integration, deploy, tasks; the fork suite skips itself here),
#  2. the Foundry invariant suite (native forge binary: its exit code is real),
#  3. the fork suite on Hardhat's network forked from a local OP Stack node (anvil, chain 901) that this script
#     starts, seeds with the deploy modules, and stops by PID, also when a test fails.
set -uo pipefail
cd "$(dirname "$0")/.."

LOG_DIR=$(mktemp -d)
passed=0
failed=0
status=0

count_mocha() { # log file -> adds "N passing" / "N failing" to the totals
  local p f
  p=$(grep -Eo '^ *[0-9]+ passing' "$1" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  f=$(grep -Eo '^ *[0-9]+ failing' "$1" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + p))
  failed=$((failed + f))
}

# The forge campaign (its own compiler output in out/, several threads) runs beside the Hardhat suite (one Node
# thread): on a two-core machine the two together take about the time of the campaign alone. Its log is printed
# once the Hardhat suite is done.
forge_pid=""
if [[ -f scripts/forge.js ]]; then
  FOUNDRY_PROFILE=ci node scripts/forge.js test >"$LOG_DIR/forge.log" 2>&1 &
  forge_pid=$!
fi

echo "==> hardhat tests (in-process)"
npx hardhat test 2>&1 | tee "$LOG_DIR/unit.log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
count_mocha "$LOG_DIR/unit.log"

if [[ -n "$forge_pid" ]]; then
  echo "==> forge invariant tests (ran beside the Hardhat suite)"
  wait "$forge_pid" || status=1
  cat "$LOG_DIR/forge.log"
  p=$(grep -Eo '[0-9]+ tests passed' "$LOG_DIR/forge.log" | tail -1 | grep -Eo '^[0-9]+' || echo 0)
  f=$(grep -Eo '[0-9]+ failed' "$LOG_DIR/forge.log" | tail -1 | grep -Eo '^[0-9]+' || echo 0)
  passed=$((passed + p))
  failed=$((failed + f))
fi

echo "==> fork tests on a local L2 node"
if scripts/l2-up.sh; then
  trap 'scripts/l2-down.sh' EXIT
  npm run --silent test:fork 2>&1 | tee "$LOG_DIR/fork.log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  count_mocha "$LOG_DIR/fork.log"
  scripts/l2-down.sh
  trap - EXIT
else
  echo "could not start and seed the local L2 node"
  status=1
  failed=$((failed + 1))
fi

echo
echo "tests: $passed passed, $failed failed"
exit $status
