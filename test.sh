#!/usr/bin/env bash
# Every check, as CI runs it, on a fresh machine: installs buf locally (npm) and redis-server (apt) when missing,
# checks the contract (lint, format, breaking), builds the solution with warnings as errors, and runs all tests (.NET,
# then the Node client against a sandbox gateway). Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== tools (buf) =="
(cd tools && npm ci --no-audit --no-fund --loglevel=error)
buf=tools/node_modules/.bin/buf

echo "== tools (redis-server, for the scale-out tests) =="
# The scale-out tests (replicas sharing nonces, budgets and stream pollers) run a real redis-server of their own on a
# free loopback port (tests/KrakenGrpc.Tests/Support/RedisServer.cs); a missing one fails them. Installed from
# Debian's packages when absent: sudo only when not root; "apt-get update" only when the install fails on a stale or
# empty package index. If the package starts the system's Redis service (port 6379), that is harmless: the tests
# never use it.
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  fi
  install_redis() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server; }
  if ! install_redis && ! { "${as_root[@]}" apt-get update && install_redis; }; then
    echo "redis-server is missing and could not be installed; install it (apt-get install -y redis-server) and rerun" >&2
    exit 1
  fi
fi
redis-server --version 2>/dev/null || /usr/bin/redis-server --version

echo "== contract: buf lint, buf format =="
"$buf" lint
"$buf" format --diff --exit-code
# buf breaking: the contract must stay wire- and source-compatible with the previous one. The baseline is where this
# branch left main (its merge-base with origin/main) or, on main itself (CI's fresh clone), the previous commit; a
# shallow clone is deepened by one commit to reach it.
baseline=""
fork=$(git merge-base HEAD origin/main 2>/dev/null || true)
if [ -n "$fork" ] && [ "$fork" != "$(git rev-parse HEAD)" ]; then
  baseline=$fork
else
  if ! git rev-parse -q --verify 'HEAD~1^{commit}' >/dev/null && [ "$(git rev-parse --is-shallow-repository)" = true ]; then
    git fetch --quiet --deepen=1 origin || true
  fi
  baseline=$(git rev-parse -q --verify 'HEAD~1^{commit}' || true)
fi
if [ -n "$baseline" ]; then
  echo "buf breaking against $(git log -1 --format='%h %s' "$baseline" | cut -c1-80)"
  "$buf" breaking --against ".git#ref=$baseline"
else
  echo "buf breaking skipped: there is no previous commit to compare the contract with"
fi

echo "== build =="
dotnet build KrakenGrpc.sln -c Release

echo "== publish (the Dockerfile's command) =="
# CI has no Docker engine, so the image is not built here. Instead this runs the Dockerfile's publish command (into
# a temporary folder instead of /app) and checks that the Dockerfile still says exactly that, so the two cannot
# drift. --no-restore as in the image; the Release build above is reused, which keeps this step short.
grep -qxF 'RUN dotnet publish src/KrakenGrpc.Server -c Release -o /app --no-restore' Dockerfile \
  || { echo "Dockerfile: its publish line differs from the command test.sh checks; change both together" >&2; exit 1; }
publish_dir=$(mktemp -d)
dotnet publish src/KrakenGrpc.Server -c Release -o "$publish_dir" --no-restore
[ -f "$publish_dir/KrakenGrpc.Server.dll" ] \
  || { echo "dotnet publish left no KrakenGrpc.Server.dll in its output" >&2; rm -rf "$publish_dir"; exit 1; }
rm -rf "$publish_dir"

echo "== tests (.NET) =="
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test KrakenGrpc.sln -c Release --no-build 2>&1 | tee "$log"
dotnet_status=${PIPESTATUS[0]}
set -e
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')

echo "== tests (Node client against a sandbox gateway) =="
set +e
clients/node/test.sh 2>&1 | tee "$log"
node_status=${PIPESTATUS[0]}
set -e
summary=$(grep -oE '^node-client: [0-9]+ passed, [0-9]+ failed' "$log" || echo "node-client: 0 passed, 1 failed")
passed=$((passed + $(awk '{print $2}' <<<"$summary")))
failed=$((failed + $(awk '{print $4}' <<<"$summary")))

echo "$passed passed, $failed failed"
[ "$dotnet_status" -eq 0 ] && [ "$node_status" -eq 0 ]
