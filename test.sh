#!/usr/bin/env bash
# Every check, as CI runs it, on a fresh machine: installs buf locally (npm), checks the contract (lint, format),
# builds the solution with warnings as errors, and runs all tests. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== tools (buf) =="
(cd tools && npm ci --no-audit --no-fund --loglevel=error)
buf=tools/node_modules/.bin/buf

echo "== contract: buf lint, buf format =="
"$buf" lint
"$buf" format --diff --exit-code

echo "== build =="
dotnet build KrakenGrpc.sln -c Release

echo "== tests =="
log=$(mktemp)
set +e
dotnet test KrakenGrpc.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed"
exit "$status"
