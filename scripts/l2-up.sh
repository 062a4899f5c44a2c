#!/usr/bin/env bash
# CI: start the local OP-Stack node (anvil, chain 901) in the background, write its PID file, seed it with the
# suite through the Ignition modules. On any failure the node is stopped by its PID (trap), so no anvil is left.
#   scripts/l2-up.sh            -> .l2/anvil.pid, .l2/anvil.log, deploy/deployments/chain-901/
#   scripts/l2-down.sh          -> stops it
set -euo pipefail
cd "$(dirname "$0")/.."

PID_FILE=.l2/anvil.pid
LOG_FILE=.l2/anvil.log
HOST=${L2_HOST:-127.0.0.1}
PORT=${L2_PORT:-8545}
URL=${LOCAL_L2_RPC_URL:-http://$HOST:$PORT}
export LOCAL_L2_RPC_URL=$URL # the localL2 network and scripts/deploy.ts use it
ANVIL=$(node -p 'require("path").join(require("path").dirname(require.resolve("@foundry-rs/anvil-linux-amd64/package.json")), "bin", "anvil")')

mkdir -p .l2
if [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  echo "l2-up: anvil already running (pid $(cat "$PID_FILE")); run scripts/l2-down.sh first" >&2
  exit 1
fi
if curl -s -m 2 -X POST -H 'content-type: application/json' \
  --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$URL" >/dev/null 2>&1; then
  echo "l2-up: something already answers at $URL" >&2
  exit 1
fi

# --disable-code-size-limit: LayerZero's EndpointV2Mock (test-support Stargate V2 set) is over 24,576 bytes.
"$ANVIL" --network optimism --chain-id 901 --host "$HOST" --port "$PORT" --disable-code-size-limit >"$LOG_FILE" 2>&1 &
echo $! >"$PID_FILE"
echo "l2-up: anvil pid $(cat "$PID_FILE"), log $LOG_FILE"

cleanup_on_failure() {
  echo "l2-up: failed, stopping anvil" >&2
  scripts/l2-down.sh || true
}
trap cleanup_on_failure ERR

for _ in $(seq 1 120); do
  if curl -s -m 2 -X POST -H 'content-type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$URL" | grep -q '"0x385"'; then
    break
  fi
  kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { echo "l2-up: anvil died" >&2; cat "$LOG_FILE" >&2; false; }
  sleep 0.25
done

# A fresh node holds none of the recorded contracts: drop the stale record, then seed.
rm -rf deploy/deployments/chain-901
npx ts-node scripts/deploy.ts --network localL2
trap - ERR
echo "l2-up: ready at $URL"
