#!/usr/bin/env bash
# Two API instances behind nginx, the way production runs them (README, "Several instances").
#
#   scripts/cluster.sh start   dev services (as `make run`), release build, instances A and B
#                              on :8001 and :8002, nginx on :8000 (round-robin, WebSocket
#                              upgrade, X-Request-Id and the client address forwarded)
#   scripts/cluster.sh stop
#   scripts/cluster.sh check   the cross-instance checks (scripts/cluster/check.py) against a
#                              cluster of debug builds on the test services, on its own
#                              database; run by `make test`
#   scripts/cluster.sh chaos   the same cluster under faults (scripts/cluster/chaos.py): an
#                              instance killed, PostgreSQL and Redis restarted, SMTP and a
#                              webhook receiver away; `make chaos`
#
# nginx comes from Debian's packages and runs as a local process, like PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
action=${1:?start|stop|check}
log() { printf '\033[1m[cluster]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "$action" = check ] || [ "$action" = chaos ]; then
  dir="$root/.dev/test/cluster"; port=18100; port_a=18101; port_b=18102; profile=debug
else
  dir="$root/.dev/cluster"; port=${CLUSTER_PORT:-8000}; port_a=${CLUSTER_PORT_A:-8001}
  port_b=${CLUSTER_PORT_B:-8002}; profile=${CLUSTER_PROFILE:-release}
fi

stop_cluster() {
  for pidfile in "$dir"/api-*.pid "$dir"/nginx.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

nginx_bin() {
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    log "installing nginx"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx-light >/dev/null 2>&1 ||
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx >/dev/null
  fi
  command -v nginx || echo /usr/sbin/nginx
}

wait_http() {
  for _ in $(seq 150); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

# One instance: `start_instance a 8001`.
start_instance() {
  local name=$1 listen=$2
  PORT=$listen HOST=127.0.0.1 AUTO_MIGRATE=false TRUSTED_PROXIES=127.0.0.1 \
    nohup "$bin/krika-api" >>"$dir/api-$name.log" 2>&1 &
  echo $! >"$dir/api-$name.pid"
  disown  # make chaos kills it: no job notice from this shell
}

start_nginx() {
  mkdir -p "$dir/nginx-tmp"
  cat >"$dir/nginx.conf" <<CONF
# Written by scripts/cluster.sh.
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx-tmp/body;
  proxy_temp_path $dir/nginx-tmp/proxy;
  fastcgi_temp_path $dir/nginx-tmp/fastcgi;
  uwsgi_temp_path $dir/nginx-tmp/uwsgi;
  scgi_temp_path $dir/nginx-tmp/scgi;
  # Uploads go up to 25 MB (attachments, deliveries); the API sends its own 413 below that.
  client_max_body_size 30m;
  upstream krika {
    server 127.0.0.1:$port_a max_fails=1 fail_timeout=2s;
    server 127.0.0.1:$port_b max_fails=1 fail_timeout=2s;
    keepalive 64;
  }
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  # The client's X-Request-Id when it sent one, else nginx's own: the same id in both logs.
  map \$http_x_request_id \$krika_request_id { default \$http_x_request_id; '' \$request_id; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://krika;
      proxy_http_version 1.1;
      proxy_set_header Host \$host;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      # nginx is the edge: what a client claims in X-Forwarded-For is replaced, not extended.
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-Id \$krika_request_id;
      # Sockets are pinged every 30 s; a request never waits this long.
      proxy_read_timeout 120s;
      # Only a connection refused moves a request to the other instance: a request that
      # reached one (an order, a payout) is never sent twice by the balancer.
      proxy_next_upstream error;
    }
  }
}
CONF
  "$(nginx_bin)" -c "$dir/nginx.conf" -p "$dir" -e "$dir/nginx-error.log"
}

case "$action" in
  stop) stop_cluster; log "stopped" ;;
  start | check | chaos)
    stop_cluster
    mkdir -p "$dir"
    rm -f "$dir"/api-*.log
    if [ "$action" != start ]; then
      # The test services are up (make test); a database, Redis prefix and bucket of its own.
      [ -n "${TEST_DATABASE_URL:-}" ] || { echo "start the test services first" >&2; exit 2; }
      export DATABASE_URL="${TEST_DATABASE_URL%/*}/krika_cluster"
      psql -q "$TEST_DATABASE_URL" -c 'DROP DATABASE IF EXISTS krika_cluster' -c 'CREATE DATABASE krika_cluster'
      export REDIS_URL=$TEST_REDIS_URL REDIS_PREFIX="cluster-$$:"
      export STORAGE=s3 S3_ENDPOINT=$TEST_S3_ENDPOINT S3_REGION=$TEST_S3_REGION S3_BUCKET=krika-cluster
      export S3_ACCESS_KEY=$TEST_S3_ACCESS_KEY S3_SECRET_KEY=$TEST_S3_SECRET_KEY SMTP_URL=$TEST_SMTP_URL
      export APP_ENV=test JWT_SECRET=cluster-check-secret-of-at-least-32-bytes BCRYPT_COST=4
      export RATE_LIMIT_AUTH_PER_MIN=${RATE_LIMIT_AUTH_PER_MIN:-10} RATE_LIMIT_DEFAULT_PER_MIN=1000000
      export WEBHOOK_ALLOW_PRIVATE=true LOG_FORMAT=json RUST_LOG=warn
      export ADMIN_EMAIL=admin@cluster.local ADMIN_PASSWORD=admin-password
      # chaos: payouts of 1 000 from the demo seller's earnings, and the sandbox's charges
      # in the logs to count them against the orders.
      export MIN_PAYOUT=1000 RUST_LOG=warn,krika_payments=info
    else
      [ -f .env ] && set -a && . ./.env && set +a
      scripts/services.sh start dev
      eval "$(scripts/services.sh env dev)"
      export WEBHOOK_ALLOW_PRIVATE=${WEBHOOK_ALLOW_PRIVATE:-true}
      export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$port}
      # Shared files: both instances write and serve the same directory.
      export STORAGE_DIR=${STORAGE_DIR:-$root/.data/files}
      if [ -z "${ADMIN_EMAIL:-}" ]; then
        ADMIN_EMAIL=admin@2krika.local
        [ -s .dev/admin-password ] || head -c 12 /dev/urandom | base64 | tr -d '/+=' >.dev/admin-password
        ADMIN_PASSWORD=$(cat .dev/admin-password)
      fi
    fi
    if [ "$profile" = release ]; then
      log "building the release binaries"
      cargo build -q --release -p krika-api -p krika-cli
    else
      cargo build -q -p krika-api -p krika-cli
    fi
    bin=${CARGO_TARGET_DIR:-target}/$profile
    "$bin/krika-cli" migrate >/dev/null
    "$bin/krika-cli" create-admin --email "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD" >/dev/null
    if [ "$action" = start ]; then
      # The demo of `make run`, on first start only.
      "$bin/krika-cli" seed --sellers "${SEED_SELLERS:-40}" --services "${SEED_SERVICES:-240}" \
        --clients "${SEED_CLIENTS:-30}" --orders "${SEED_ORDERS:-80}" --if-empty >/dev/null
    else
      "$bin/krika-cli" seed --sellers 4 --services 16 --clients 4 --orders 12 --if-empty >/dev/null
    fi
    start_instance a "$port_a"
    start_instance b "$port_b"
    for p in "$port_a" "$port_b"; do
      wait_http "http://127.0.0.1:$p/health" || { tail -20 "$dir"/api-*.log; stop_cluster; exit 1; }
    done
    start_nginx
    wait_http "http://127.0.0.1:$port/health" || { cat "$dir/nginx-error.log"; stop_cluster; exit 1; }
    if [ "$action" = start ]; then
      log "nginx on http://127.0.0.1:$port → A :$port_a, B :$port_b (logs in $dir)"
      log "admin: $ADMIN_EMAIL / $ADMIN_PASSWORD; stop with make cluster-stop"
    elif [ "$action" = check ]; then
      trap stop_cluster EXIT
      python3 scripts/cluster/check.py --edge "http://127.0.0.1:$port" \
        --a "http://127.0.0.1:$port_a" --b "http://127.0.0.1:$port_b" \
        --admin "$ADMIN_EMAIL:$ADMIN_PASSWORD" --auth-limit "$RATE_LIMIT_AUTH_PER_MIN"
    else
      trap stop_cluster EXIT
      CHAOS_ADMIN="$ADMIN_EMAIL:$ADMIN_PASSWORD" python3 scripts/cluster/chaos.py \
        --edge "http://127.0.0.1:$port" --a "http://127.0.0.1:$port_a" \
        --b "http://127.0.0.1:$port_b" --dir "$dir" --api-bin "$bin/krika-api" \
        --cli-bin "$bin/krika-cli" --maildir "$root/.dev/test/maildir"
    fi ;;
  *) echo "usage: $0 start|stop|check|chaos" >&2; exit 2 ;;
esac
