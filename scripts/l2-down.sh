#!/usr/bin/env bash
# CI: stop the anvil started by scripts/l2-up.sh, by the PID in its PID file (never by name).
set -euo pipefail
cd "$(dirname "$0")/.."
PID_FILE=.l2/anvil.pid
if [[ ! -f $PID_FILE ]]; then
  echo "l2-down: no $PID_FILE, nothing to stop"
  exit 0
fi
PID=$(cat "$PID_FILE")
if kill -0 "$PID" 2>/dev/null; then
  kill "$PID"
  for _ in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$PID" 2>/dev/null; then kill -9 "$PID"; fi
  echo "l2-down: stopped anvil (pid $PID)"
else
  echo "l2-down: anvil (pid $PID) was not running"
fi
rm -f "$PID_FILE"
