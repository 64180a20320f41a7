#!/usr/bin/env bash
# Starts PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL are given), migrates, makes
# sure an admin exists, seeds a demo catalogue on first start, and serves the API on port
# 8000 in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
scripts/services.sh start dev
eval "$(scripts/services.sh env dev)"
export PORT=${PORT:-8000}
# The demo may send webhooks to a receiver on this machine (CONTRACT §13: tests and local
# set-ups only; production keeps the default, false).
export WEBHOOK_ALLOW_PRIVATE=${WEBHOOK_ALLOW_PRIVATE:-true}
cargo build -q -p krika-api -p krika-cli
bin=${CARGO_TARGET_DIR:-target}/debug
"$bin/krika-cli" migrate
if [ -z "${ADMIN_EMAIL:-}" ]; then
  ADMIN_EMAIL=admin@2krika.local
  if [ ! -s .dev/admin-password ]; then
    head -c 12 /dev/urandom | base64 | tr -d '/+=' > .dev/admin-password
  fi
  ADMIN_PASSWORD=$(cat .dev/admin-password)
  echo "Demo admin: $ADMIN_EMAIL / $ADMIN_PASSWORD"
fi
if [ -n "${ADMIN_PASSWORD:-}" ]; then
  "$bin/krika-cli" create-admin --email "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD"
fi
# A small living catalogue on first start (nothing happens once services exist).
"$bin/krika-cli" seed --sellers "${SEED_SELLERS:-40}" --services "${SEED_SERVICES:-240}" \
  --clients "${SEED_CLIENTS:-30}" --orders "${SEED_ORDERS:-80}" --if-empty
echo "Swagger UI: http://${HOST:-127.0.0.1}:$PORT/docs/"
AUTO_MIGRATE=false exec "$bin/krika-api"
