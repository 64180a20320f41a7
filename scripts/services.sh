#!/usr/bin/env bash
# Starts (or stops) the backing services as local processes, installing them from the
# distribution's packages when missing. No Docker needed.
#
#   scripts/services.sh start dev    PostgreSQL + Redis for `make run`, data kept in .dev/
#   scripts/services.sh start test   PostgreSQL + Redis + S3 (s3s-fs) + SMTP sink (aiosmtpd),
#                                    fresh and fast (fsync off) under .dev/test/
#   scripts/services.sh stop  dev|test
#   scripts/services.sh env   dev|test   prints the variables to export
#   scripts/services.sh checkpoint dev|test   CHECKPOINT (before a benchmark)
#   scripts/services.sh start|stop test pg|redis|s3|smtp   one of them (make chaos)
set -euo pipefail

action=${1:?start|stop|env}
profile=${2:-dev}
only=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)

case "$profile" in
  dev)  dir="$root/.dev"; pg_port=54329; redis_port=63799 ;;
  test) dir="$root/.dev/test"; pg_port=54339; redis_port=63809; s3_port=59010; smtp_port=2525 ;;
  *) echo "unknown profile $profile" >&2; exit 2 ;;
esac

log() { echo "[services] $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    log "installing PostgreSQL"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  fi
  echo "$bin"
}

# Runs a command as the database owner: initdb refuses root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_pg() {
  local bin data="$dir/pg/data" opts="-c listen_addresses=127.0.0.1"
  bin=$(pg_bin)
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir/pg"
  if [ "$profile" = test ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    # A stopped test server starts afresh, except when restarted on its own (make chaos).
    if [ -z "$only" ] && [ -d "$data" ] && ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      rm -rf "$data"
    fi
  fi
  if [ ! -d "$data" ]; then
    as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$data" -l "$dir/pg/server.log" -w -t 30 start \
      -o "-p $pg_port -k $dir/pg $opts" >/dev/null
  fi
  as_pg psql -q -h "$dir/pg" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT 'CREATE ROLE krika LOGIN PASSWORD ''krika'' CREATEDB'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'krika') \gexec
SELECT 'CREATE DATABASE krika OWNER krika'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'krika') \gexec
SQL
  # unaccent and pg_trgm need a superuser to create; install them in template1 so every
  # database (and every test database) has them.
  for db in template1 krika; do
    as_pg psql -q -h "$dir/pg" -p "$pg_port" -U postgres -d "$db" \
      -c "CREATE EXTENSION IF NOT EXISTS unaccent" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" >/dev/null
  done
  log "PostgreSQL on 127.0.0.1:$pg_port"
}

stop_pg() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [ -n "$bin" ] && [ -d "$dir/pg/data" ] && as_pg "$bin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
}

start_redis() {
  if ! command -v redis-server >/dev/null; then
    log "installing Redis"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server >/dev/null
  fi
  mkdir -p "$dir"
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  log "Redis on 127.0.0.1:$redis_port"
}

stop_redis() { redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; }

start_s3() {
  if ! command -v s3s-fs >/dev/null && [ ! -x "$HOME/.cargo/bin/s3s-fs" ]; then
    log "installing s3s-fs (S3-compatible server) from crates.io"
    cargo install s3s-fs@0.14.1 --features binary --locked >/dev/null 2>&1
  fi
  local bin; bin=$(command -v s3s-fs || echo "$HOME/.cargo/bin/s3s-fs")
  mkdir -p "$dir/s3"
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null; then
    nohup "$bin" --host 127.0.0.1 --port "$s3_port" --access-key test --secret-key testtesttest \
      "$dir/s3" >"$dir/s3.log" 2>&1 &
    echo $! >"$dir/s3.pid"
    wait_port "$s3_port"
  fi
  log "S3 (s3s-fs) on 127.0.0.1:$s3_port"
}

start_smtp() {
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    log "installing aiosmtpd (SMTP sink) from PyPI"
    python3 -m pip install -q aiosmtpd 2>/dev/null || python3 -m pip install -q --break-system-packages aiosmtpd
  fi
  mkdir -p "$dir/maildir/tmp" "$dir/maildir/new" "$dir/maildir/cur"
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; then
    nohup python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" \
      >"$dir/smtp.log" 2>&1 &
    echo $! >"$dir/smtp.pid"
    wait_port "$smtp_port"
  fi
  log "SMTP sink on 127.0.0.1:$smtp_port (Maildir $dir/maildir)"
}

wait_port() {
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  log "nothing listens on $1"; return 1
}

stop_pidfile() { [ -f "$1" ] && kill "$(cat "$1")" 2>/dev/null; rm -f "$1"; }

print_env() {
  if [ "$profile" = test ]; then
    cat <<ENV
export TEST_DATABASE_URL=postgres://krika:krika@127.0.0.1:$pg_port/postgres
export TEST_REDIS_URL=redis://127.0.0.1:$redis_port
export TEST_S3_ENDPOINT=http://127.0.0.1:$s3_port
export TEST_S3_REGION=us-east-1
export TEST_S3_ACCESS_KEY=test
export TEST_S3_SECRET_KEY=testtesttest
export TEST_SMTP_URL=smtp://127.0.0.1:$smtp_port
export TEST_MAILDIR=$dir/maildir
ENV
  else
    cat <<ENV
export DATABASE_URL=\${DATABASE_URL:-postgres://krika:krika@127.0.0.1:$pg_port/krika}
export REDIS_URL=\${REDIS_URL:-redis://127.0.0.1:$redis_port}
ENV
  fi
}

if [ -n "$only" ]; then
  case "$action:$only" in
    start:pg | start:redis | start:s3 | start:smtp) "start_$only" ;;
    stop:pg | stop:redis) "stop_$only" ;;
    stop:s3 | stop:smtp) stop_pidfile "$dir/$only.pid" ;;
    *) echo "usage: $0 start|stop test pg|redis|s3|smtp" >&2; exit 2 ;;
  esac
  exit 0
fi

case "$action" in
  start)
    if [ "$profile" = dev ]; then
      [ -n "${DATABASE_URL:-}" ] || start_pg
      [ -n "${REDIS_URL:-}" ] || start_redis
    else
      start_pg; start_redis; start_s3; start_smtp
    fi ;;
  stop)
    stop_pg; stop_redis
    if [ "$profile" = test ]; then stop_pidfile "$dir/s3.pid"; stop_pidfile "$dir/smtp.pid"; fi ;;
  env) print_env ;;
  # Writes out dirty buffers now, so a measurement that follows (make bench) does not
  # share the disk with the checkpoint of a bulk load done before it.
  checkpoint)
    as_pg psql -q -h "$dir/pg" -p "$pg_port" -U postgres -d postgres -c CHECKPOINT >/dev/null ;;
  *) echo "usage: $0 start|stop|env|checkpoint dev|test" >&2; exit 2 ;;
esac
