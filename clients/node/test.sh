#!/usr/bin/env bash
# CI entry point of the Node client: installs the pinned packages, generates the TypeScript client from protos/
# with buf, compiles it, and runs the tests against a sandbox gateway that the test runner starts and stops.
# Assumes the gateway is built: `dotnet build KrakenGrpc.sln -c Release` (or src/KrakenGrpc.Server) beforehand;
# KRAKEN_GRPC_SERVER_DLL overrides the path to KrakenGrpc.Server.dll. Ends with "node-client: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

echo "== node client: npm ci =="
npm ci --no-audit --no-fund --loglevel=error

echo "== node client: buf generate (protos/ -> src/gen/) =="
npm run --silent generate

echo "== node client: tsc =="
rm -rf dist # no stale compiled tests from renamed or deleted files
npm run --silent build

echo "== node client: tests =="
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
node dist/test/run.js 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# The spec reporter's closing lines: "ℹ pass N", "ℹ fail N".
passed=$({ grep -aoE '^ℹ pass [0-9]+' "$log" || true; } | awk '{s+=$3} END {print s+0}')
failed=$({ grep -aoE '^ℹ fail [0-9]+' "$log" || true; } | awk '{s+=$3} END {print s+0}')
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "node client: no test ran"
  status=1
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "node client: FAILED outside the tests (exit $status), e.g. the gateway did not start: see above"
  failed=1
fi
echo "node-client: $passed passed, $failed failed"
exit "$status"
