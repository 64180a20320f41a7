#!/usr/bin/env bash
# Starts the services the tests need, runs the whole suite, stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh start test
trap 'scripts/services.sh stop test' EXIT
eval "$(scripts/services.sh env test)"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi
# The spec against the server: linters, the TypeScript client, the fuzzer.
scripts/spec-check.sh
# Two instances behind nginx: tokens, limits, idempotency, sockets and events across them.
scripts/cluster.sh check
# Faults, with nothing lost: an instance killed, PostgreSQL, Redis, SMTP stopped (about 90 s).
scripts/cluster.sh chaos
