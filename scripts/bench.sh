#!/usr/bin/env bash
# `make bench`: seeds one database per catalogue size, serves it with the release build of
# the API and measures the public catalogue with wrk; writes BENCHMARKS.md.
#
#   scripts/bench.sh [--fresh]     --fresh drops and re-seeds the bench databases
#
# Each size gets its own database, krika_bench_<size>, kept between runs and re-seeded only
# when --fresh is given or its seller/service counts differ from the ones wanted.
#
# Settings (environment):
#   BENCH_SIZES="10000 100000"  services per database; p99 is compared between the first
#                                and the last size
#   BENCH_SELLERS=2000          sellers in every database
#   BENCH_DURATION=20s          each measured wrk run (after a BENCH_WARMUP=3s warm-up)
#   BENCH_THREADS=2 BENCH_CONNECTIONS=32
#   BENCH_PORT=8090             where the API listens during the run
#   BENCH_CATEGORY=graphisme-design   category of the "category page" request
#   BENCH_OUTPUT=BENCHMARKS.md  the report
#   BENCH_PROFILE=release       `debug` to measure a debug build (never for real numbers)
#   BENCH_SKIP_BUILD=1          use the binaries already in target/
#   BENCH_PARTS="catalogue realtime"   what to measure; `realtime` alone rewrites only the
#                                real-time section of the report
#   BENCH_SOCKETS=1000 BENCH_RATE=200 BENCH_RT_SECONDS=20   the real-time part: sockets
#                                over two API instances, messages/s posted over HTTP
#   BENCH_RT_RUNS=3             real-time runs (the report gives each and the median p99)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fresh=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

sizes=${BENCH_SIZES:-10000 100000}
sellers=${BENCH_SELLERS:-2000}
duration=${BENCH_DURATION:-20s}
warmup=${BENCH_WARMUP:-3s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
port=${BENCH_PORT:-8090}
category=${BENCH_CATEGORY:-graphisme-design}
output=${BENCH_OUTPUT:-BENCHMARKS.md}
profile=${BENCH_PROFILE:-release}
logs="$root/.dev/bench"

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v psql >/dev/null || die "psql is not installed (apt-get install postgresql-client)"
command -v curl >/dev/null || die "curl is not installed"
command -v pgbench >/dev/null || die "pgbench is not installed (apt-get install postgresql-contrib)"
command -v redis-cli >/dev/null || die "redis-cli is not installed (apt-get install redis-tools)"
for size in $sizes; do
  [[ "$size" =~ ^[0-9]+$ ]] || die "BENCH_SIZES must be numbers of services, got '$size'"
done
mkdir -p "$logs"

# --- services and binaries --------------------------------------------------------------
scripts/services.sh start dev
eval "$(scripts/services.sh env dev)"
# DATABASE_URL names the dev database; the bench databases live next to it.
url_base=${DATABASE_URL%%\?*}
url_query=${DATABASE_URL#"$url_base"}
server_url=${url_base%/*}
db_url() { echo "$server_url/$1$url_query"; }
admin_url=$DATABASE_URL

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  if [ "$profile" = release ]; then
    log "building the release binaries (a few minutes on 2 cores)"
    cargo build --release -p krika-api -p krika-cli
  else
    cargo build -p krika-api -p krika-cli
  fi
fi
target_dir=${CARGO_TARGET_DIR:-$root/target}
api_bin="$target_dir/$profile/krika-api"
cli_bin="$target_dir/$profile/krika-cli"
[ -x "$api_bin" ] && [ -x "$cli_bin" ] || die "missing $api_bin or $cli_bin"

api_pid=
stop_api() {
  if [ -n "$api_pid" ]; then
    kill "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
    api_pid=
  fi
}
trap stop_api EXIT
trap 'exit 130' INT TERM

# --- databases ----------------------------------------------------------------------------
sql() { PGOPTIONS="-c client_min_messages=warning" psql "$1" -X -q -t -A -v ON_ERROR_STOP=1 -c "$2"; }

declare -A seeded_line
prepare_db() {
  local size=$1 db="krika_bench_$1" url
  url=$(db_url "$db")
  local exists
  exists=$(sql "$admin_url" "SELECT 1 FROM pg_database WHERE datname = '$db'")
  if [ -n "$exists" ] && [ "$fresh" = 0 ]; then
    local counts
    counts=$(sql "$url" "SELECT (SELECT count(*) FROM services) || ' ' ||
                                (SELECT count(*) FROM users WHERE role = 'seller')" 2>/dev/null || true)
    if [ "$counts" != "$size $sellers" ]; then
      log "$db holds '${counts:-no catalogue}' (services sellers), wanted '$size $sellers': re-seeding"
      exists=
    fi
  fi
  if [ -z "$exists" ] || [ "$fresh" = 1 ]; then
    log "creating $db"
    sql "$admin_url" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    sql "$admin_url" "CREATE DATABASE $db"
  fi
  DATABASE_URL=$url "$cli_bin" migrate >&2
  local out
  out=$(DATABASE_URL=$url "$cli_bin" seed --sellers "$sellers" --services "$size" --if-empty)
  echo "$out" >&2
  case "$out" in seeded*) seeded_line[$size]=$out ;; esac
}

# --- the API --------------------------------------------------------------------------------
start_api() {
  local size=$1 url
  url=$(db_url "krika_bench_$size")
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "something already listens on port $port (set BENCH_PORT)"
  fi
  local extra=()
  # The schema is migrated above; skip the start-up check when the API knows the switch.
  if grep -q AUTO_MIGRATE apps/api/src/config.rs 2>/dev/null; then extra+=(AUTO_MIGRATE=false); fi
  redis_prefix="krika-bench:$size:$$:"
  log "starting the API on :$port against krika_bench_$size"
  env DATABASE_URL="$url" REDIS_URL="$REDIS_URL" HOST=127.0.0.1 PORT="$port" \
    PUBLIC_BASE_URL="http://127.0.0.1:$port" \
    RATE_LIMIT_DEFAULT_PER_MIN=1000000000 RATE_LIMIT_AUTH_PER_MIN=1000000000 BCRYPT_COST=4 \
    RUST_LOG=warn REDIS_PREFIX="$redis_prefix" "${extra[@]}" \
    "$api_bin" >"$logs/api-$size.log" 2>&1 &
  api_pid=$!
  local deadline=$((SECONDS + 30))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; do
    if ! kill -0 "$api_pid" 2>/dev/null; then
      tail -n 20 "$logs/api-$size.log" >&2 || true
      api_pid=
      die "the API exited during start-up (log: $logs/api-$size.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$logs/api-$size.log" >&2 || true
      die "GET /health did not answer within 30 s (log: $logs/api-$size.log)"
    fi
    sleep 0.2
  done
}

# --- measuring --------------------------------------------------------------------------------
# wrk prints latencies as 812.00us, 1.23ms, 2.01s or 1.10m: in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# wrk's figures from its output file: rps, p50, p99 (as wrk prints them), non2xx.
read_wrk() {
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$1")
  p50=$(awk '$1 == "50%" {print $2}' "$1")
  p99=$(awk '$1 == "99%" {print $2}' "$1")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$1")
}

declare -A result p99_ms
names=("search + price filter" "search, accent folded" "category page" "service detail")

measure() {
  local size=$1 i=$2 path=$3 url="http://127.0.0.1:$port$3"
  local name=${names[$i]} raw="$logs/wrk-$size-$i.txt"
  local status
  status=$(curl -s -o "$logs/sample-$size-$i.json" -w '%{http_code}' "$url" || echo 000)
  case "$status" in
    2*) ;;
    *) log "warning: GET $path answered $status (body in $logs/sample-$size-$i.json)" ;;
  esac
  log "$size services, $name: warm-up $warmup, then $duration"
  wrk -t"$threads" -c"$connections" -d"$warmup" "$url" >/dev/null 2>&1 || true
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" >"$raw" 2>&1 || true
  local rps p50 p99 non2xx errors
  read_wrk "$raw"
  errors=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$raw")
  if [ -z "$rps" ] || [ -z "$p99" ]; then
    log "warning: could not read wrk's output for $path (see $raw)"
    result[$size,$i]="| $name | \`GET $path\` | n/a | n/a | n/a | n/a | n/a |"
    return
  fi
  p99_ms[$size,$i]=$(to_ms "$p99")
  result[$size,$i]="| $name | \`GET $path\` | $(printf '%.0f' "$rps") | $(to_ms "$p50") ms | ${p99_ms[$size,$i]} ms | ${non2xx:-0} | ${errors:-0} |"
  log "  $(printf '%.0f' "$rps") req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}"
}

# Order placement: card payment into escrow, a new Idempotency-Key per request, on the
# first database's most reviewed service.
order_result=""
measure_orders() {
  local size=$1 url service package token body raw="$logs/wrk-$size-orders.txt"
  url=$(db_url "krika_bench_$size")
  read -r service package < <(sql "$url" "SELECT s.id || ' ' || (s.packages->0->>'id') FROM services s
      WHERE s.status = 'approved' AND s.is_available AND s.deleted_at IS NULL
      ORDER BY s.reviews_count DESC, s.id LIMIT 1")
  local email="bench-buyer-$$-$RANDOM@2krika.test"
  token=$(curl -fsS -H 'Content-Type: application/json' \
    -d "{\"email\": \"$email\", \"password\": \"bench-password\", \"name\": \"Bench Buyer\", \"username\": \"bench$$$RANDOM\"}" \
    "http://127.0.0.1:$port/api/v1/auth/register" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["accessToken"])')
  body="{\"serviceId\": \"$service\", \"packageId\": \"$package\", \"requirements\": \"bench\", \"payment\": {\"method\": \"card\", \"token\": \"tok_visa\"}}"
  log "$size services, order placement: $duration"
  BENCH_TOKEN=$token BENCH_ORDER_BODY=$body \
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -s scripts/bench/order.lua \
    "http://127.0.0.1:$port" >"$raw" 2>&1 || true
  local rps p50 p99 non2xx placed
  read_wrk "$raw"
  placed=$(sql "$url" "SELECT count(*) FROM orders o JOIN users u ON u.id = o.buyer_id WHERE u.email = '$email'")
  if [ -z "$rps" ] || [ -z "$p99" ]; then
    order_result="| order placement | \`POST /api/v1/orders\` | n/a | n/a | n/a | n/a | n/a |"
    return
  fi
  order_result="| order placement | \`POST /api/v1/orders\` | $(printf '%.0f' "$rps") | $(to_ms "$p50") ms | $(to_ms "$p99") ms | ${non2xx:-0} | $placed |"
  log "  $(printf '%.0f' "$rps") req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}, orders placed $placed"
}

# --- what users do: random ids and words, the cache flushed first, pgbench beside -------------
# Each workload spreads its requests over many URLs (wrk picks one at random per request,
# scripts/bench/random_path.lua) after the API's read cache is emptied, and pgbench runs the
# statements the API sends for one such request, with the same connections and duration:
# its rate is the database's own limit, and the ratio says what the API keeps of it.
declare -A users_result
users_names=("service page, random id" "search, random word and page")

flush_cache() {
  redis-cli -u "$REDIS_URL" --scan --pattern "${redis_prefix}cache:*" \
    | xargs -r -n 500 redis-cli -u "$REDIS_URL" DEL >/dev/null
}

# The URLs and the pgbench lookup tables (bench_service_ids, bench_words) of one database.
prepare_workloads() {
  local size=$1 url
  url=$(db_url "krika_bench_$size")
  local public="status = 'approved' AND is_available AND deleted_at IS NULL"
  sql "$url" "DROP TABLE IF EXISTS bench_service_ids, bench_words;
    CREATE UNLOGGED TABLE bench_service_ids AS
      SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM services WHERE $public;
    ALTER TABLE bench_service_ids ADD PRIMARY KEY (n);
    CREATE UNLOGGED TABLE bench_words AS
      SELECT row_number() OVER (ORDER BY ndoc DESC, word)::int AS n, word
      FROM ts_stat('SELECT to_tsvector(''simple'', krika_fold(title)) FROM services')
      WHERE length(word) >= 4 AND word ~ '^[a-z]+\$'
        AND websearch_to_tsquery('french', word)::text <> ''
        -- What buyers type (logo, traduction, wordpress): words in 0.5 % to 5 % of the
        -- titles, not the words of the titles' template that match nearly every service.
        AND ndoc BETWEEN (SELECT count(*) / 200 FROM services) AND (SELECT count(*) / 20 FROM services)
      ORDER BY ndoc DESC, word LIMIT 50;
    ALTER TABLE bench_words ADD PRIMARY KEY (n);
    ANALYZE bench_service_ids; ANALYZE bench_words;"
  sql "$url" "SELECT '/api/v1/services/' || id FROM bench_service_ids" >"$logs/paths-$size-0.txt"
  sql "$url" "SELECT '/api/v1/services?search=' || word || '&page=' || p
              FROM bench_words, generate_series(1, 3) p" >"$logs/paths-$size-1.txt"
  workload_ids=$(sql "$url" "SELECT count(*) FROM bench_service_ids")
}

# pgbench's rate for one workload's statements (scripts/bench/<name>.sql).
pgbench_tps() {
  local size=$1 script=$2 url out mode
  shift 2
  url=$(db_url "krika_bench_$size")
  # Each script says how the API sends its statements (prepared once, or planned each time).
  mode=$(grep -q -- '-M extended' "$script" && echo extended || echo prepared)
  out=$(pgbench -n -M "$mode" -c "$connections" -j "$threads" -T "${duration%s}" \
    -D ids="$workload_ids" -D words=50 "$@" -f "$script" "$url" 2>&1) || { echo "n/a"; return; }
  echo "$out" >"$logs/pgbench-$size-$(basename "$script" .sql).txt"
  echo "$out" | awk '/^tps = / { printf "%.0f", $3; exit }'
}

measure_users() {
  local size=$1 i=$2 script=$3 name=${users_names[$2]} raw="$logs/wrk-$size-users-$2.txt"
  flush_cache
  log "$size services, $name: cache flushed, $duration"
  BENCH_PATHS="$logs/paths-$size-$i.txt" wrk -t"$threads" -c"$connections" -d"$duration" \
    --latency -s scripts/bench/random_path.lua "http://127.0.0.1:$port" >"$raw" 2>&1 || true
  local rps p50 p99 non2xx tps ratio
  read_wrk "$raw"
  tps=$(pgbench_tps "$size" "$script")
  ratio=$(awk -v a="$rps" -v b="$tps" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }')
  users_result[$size,$i]="| $name | $(printf '%.0f' "${rps:-0}") | $(to_ms "${p50:-0}") ms | $(to_ms "${p99:-0}") ms | ${non2xx:-0} | $tps | $ratio |"
  log "  $(printf '%.0f' "${rps:-0}") req/s, p99 $p99; pgbench $tps tps ($ratio)"
}

# Order placement by many buyers over many services: 64 buyers, 500 services picked at
# random, each request a random pair (scripts/bench/orders_many.lua).
orders_many_result=""
measure_orders_many() {
  local size=$1 url raw="$logs/wrk-$size-orders-many.txt" i token run="m$$$RANDOM"
  url=$(db_url "krika_bench_$size")
  sql "$url" "SELECT s.id || ' ' || (s.packages->0->>'id') FROM services s JOIN users u ON u.id = s.seller_id
      WHERE s.status = 'approved' AND s.is_available AND s.deleted_at IS NULL AND u.status = 'active'
      ORDER BY md5(s.id::text) LIMIT 500" >"$logs/order-services-$size.txt"
  : >"$logs/order-tokens-$size.txt"
  for i in $(seq 1 64); do
    token=$(curl -fsS -H 'Content-Type: application/json' \
      -d "{\"email\": \"bench-$run-$i@2krika.test\", \"password\": \"bench-password\", \"name\": \"Bench Buyer $i\", \"username\": \"b$run$i\"}" \
      "http://127.0.0.1:$port/api/v1/auth/register" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["accessToken"])') \
      || { log "warning: could not register bench buyer $i"; continue; }
    echo "$token" >>"$logs/order-tokens-$size.txt"
  done
  log "$size services, order placement by 64 buyers over 500 services: $duration"
  BENCH_TOKENS="$logs/order-tokens-$size.txt" BENCH_SERVICES="$logs/order-services-$size.txt" \
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -s scripts/bench/orders_many.lua \
    "http://127.0.0.1:$port" >"$raw" 2>&1 || true
  local rps p50 p99 non2xx placed tps ratio
  read_wrk "$raw"
  placed=$(sql "$url" "SELECT count(*) FROM orders o JOIN users u ON u.id = o.buyer_id WHERE u.email LIKE 'bench-$run-%'")
  # The outbox subscribers are still working through the run's events: pgbench waits for
  # them (at most a minute; events waiting for a retry do not count), so it runs alone.
  local waited=0
  while [ "$waited" -lt 60 ] && [ "$(sql "$url" "SELECT count(*) FROM outbox_events
      WHERE published_at IS NULL AND next_attempt_at <= now()")" != 0 ]; do
    sleep 1
    waited=$((waited + 1))
  done
  # The same buyers and services for pgbench (scripts/bench/order_place.sql).
  sql "$url" "DROP TABLE IF EXISTS bench_order_buyers, bench_order_services;
    CREATE UNLOGGED TABLE bench_order_buyers AS
      SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM users WHERE email LIKE 'bench-$run-%';
    CREATE UNLOGGED TABLE bench_order_services AS
      SELECT row_number() OVER (ORDER BY md5(s.id::text))::int AS n, s.id, s.seller_id, s.title, s.slug,
             s.packages->0 AS package, (s.packages->0->>'price')::bigint AS price,
             (s.packages->0->>'deliveryDays')::int AS days
      FROM services s JOIN users u ON u.id = s.seller_id
      WHERE s.status = 'approved' AND s.is_available AND s.deleted_at IS NULL AND u.status = 'active'
      ORDER BY md5(s.id::text) LIMIT 500"
  tps=$(pgbench_tps "$size" scripts/bench/order_place.sql \
    -D buyers="$(sql "$url" "SELECT count(*) FROM bench_order_buyers")" -D services=500)
  ratio=$(awk -v a="$rps" -v b="$tps" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }')
  [ -z "$orders_many_result" ] || orders_many_result+=$'\n'
  orders_many_result+="| order placement, 64 buyers × 500 services ($size) | \`POST /api/v1/orders\` | $(printf '%.0f' "${rps:-0}") | $(to_ms "${p50:-0}") ms | $(to_ms "${p99:-0}") ms | ${non2xx:-0} | $placed | $tps | $ratio |"
  log "  $(printf '%.0f' "${rps:-0}") req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}, orders placed $placed; pgbench $tps tps ($ratio)"
}

parts=${BENCH_PARTS:-catalogue realtime}
has_part() { [[ " $parts " == *" $1 "* ]]; }

# --- real time: two instances, sockets, messages posted over HTTP ----------------------------
realtime_md="$logs/realtime.md"
measure_realtime() {
  local size=$1 url sockets=${BENCH_SOCKETS:-1000} rate=${BENCH_RATE:-200} secs=${BENCH_RT_SECONDS:-20}
  url=$(db_url "krika_bench_$size")
  local -a pids=() ports=($((port + 1)) $((port + 2)))
  local p
  for p in "${ports[@]}"; do
    # Registration is part of the set-up, not of the measure: a cheap bcrypt cost.
    env DATABASE_URL="$url" REDIS_URL="$REDIS_URL" HOST=127.0.0.1 PORT="$p" \
      PUBLIC_BASE_URL="http://127.0.0.1:$p" AUTO_MIGRATE=false BCRYPT_COST=4 \
      RATE_LIMIT_DEFAULT_PER_MIN=1000000000 RATE_LIMIT_AUTH_PER_MIN=1000000000 RUST_LOG=warn \
      REDIS_PREFIX="krika-bench:rt:$$:" \
      "$api_bin" >"$logs/api-rt-$p.log" 2>&1 &
    pids+=($!)
  done
  for p in "${ports[@]}"; do
    local deadline=$((SECONDS + 30))
    until curl -fsS -o /dev/null "http://127.0.0.1:$p/health" 2>/dev/null; do
      [ "$SECONDS" -lt "$deadline" ] || { kill "${pids[@]}" 2>/dev/null; die "instance :$p did not start"; }
      sleep 0.2
    done
  done
  local runs=${BENCH_RT_RUNS:-3} run line rows="" p99s=""
  # A bulk load before (seeding) leaves a checkpoint's worth of writes that would slow
  # every commit measured here.
  scripts/services.sh checkpoint dev || log "warning: CHECKPOINT failed; measuring anyway"
  field() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
  for run in $(seq 1 "$runs"); do
    log "real time, run $run/$runs: $sockets sockets over :${ports[0]} and :${ports[1]}, $rate messages/s for ${secs}s"
    line=$("$cli_bin" bench-realtime --api "http://127.0.0.1:${ports[0]}" --api "http://127.0.0.1:${ports[1]}" \
      --sockets "$sockets" --rate "$rate" --duration "$secs" --pid "${pids[0]}" --pid "${pids[1]}" \
      2>"$logs/bench-realtime-$run.log" | tail -n 1) || { kill "${pids[@]}" 2>/dev/null; die "bench-realtime failed (log: $logs/bench-realtime-$run.log)"; }
    log "  $line"
    rows+="| $run | $(field sockets) | $(field sent) | $(field delivered) | $(field failed_posts) | $(field rate) | $(field p50) | $(field p99) | $(field max) | $(field post_p50) / $(field post_p99) | $( [ "$run" = 1 ] && field rss_per_idle_socket || echo "— (run 1 only)") |"$'\n'
    p99s+="$(field p99) "
  done
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  local median
  median=$(echo "$p99s" | tr ' ' '\n' | sed 's/ms$//' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] "ms" }')
  {
    echo "<!-- realtime -->"
    echo "## Real time"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- Command: \`make bench\` (real-time part: \`BENCH_PARTS=realtime make bench\`), i.e."
    echo "  \`krika-cli bench-realtime --sockets $sockets --rate $rate --duration $secs\` against two"
    echo "  $profile instances of the API sharing PostgreSQL and Redis, all on this machine"
    echo "- Each message is posted over HTTP to the instance the recipient is *not* connected to, so"
    echo "  its frame crosses Redis: POST → transaction with \`message.created\` in the outbox →"
    echo "  \`NOTIFY\` wakes a dispatcher → subscribers (notification row, frames) → Redis pub/sub →"
    echo "  the recipient's socket. Latency is from the start of the POST to that frame."
    echo "- Memory per idle socket: RSS of both instances after opening the sockets, minus before,"
    echo "  divided by the sockets."
    echo
    echo "- $runs runs one after the other on the same two instances (sockets opened anew each"
    echo "  run); the machine runs near saturation (client, two instances, PostgreSQL and Redis on"
    echo "  2 cores), so the tail moves from run to run: the median p99 is the figure to compare."
    echo
    echo "| run | sockets | messages sent | delivered | failed POSTs | messages/s | p50 | p99 | max | POST alone p50 / p99 | memory per idle socket |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s' "$rows"
    echo
    echo "Median p99 over the runs: $median."
    echo
    echo "Targets (issue 10): p99 ≤ 50 ms at 200 messages/s with 1 000 sockets, ≤ 30 KB per idle socket."
    echo "<!-- /realtime -->"
  } >"$realtime_md"
}

if ! has_part catalogue; then
  read -r -a size_list <<<"$sizes"
  prepare_db "${size_list[0]}"
  measure_realtime "${size_list[0]}"
  python3 - "$output" "$realtime_md" <<'PY'
import re, sys
report, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
try:
    text = open(report).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
pattern = re.compile(r"<!-- realtime -->.*?<!-- /realtime -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(report, "w").write(text)
PY
  log "updated the real-time section of $output"
  exit 0
fi

declare -A paths
for size in $sizes; do
  prepare_db "$size"
  url=$(db_url "krika_bench_$size")
  service_id=$(sql "$url" "SELECT id FROM services
                           WHERE status = 'approved' AND is_available AND deleted_at IS NULL
                           ORDER BY reviews_count DESC, id LIMIT 1")
  [ -n "$service_id" ] || die "krika_bench_$size has no approved service"
  [ -n "$(sql "$url" "SELECT 1 FROM categories WHERE slug = '$category'")" ] \
    || die "no category '$category' (set BENCH_CATEGORY)"
  paths[0]="/api/v1/services?search=logo&maxPrice=50000"
  paths[1]="/api/v1/services?search=developpeur"
  paths[2]="/api/v1/categories/$category/services"
  paths[3]="/api/v1/services/$service_id"
  start_api "$size"
  for i in 0 1 2 3; do
    measure "$size" "$i" "${paths[$i]}"
  done
  prepare_workloads "$size"
  scripts/services.sh checkpoint dev || log "warning: CHECKPOINT failed; measuring anyway"
  measure_users "$size" 0 scripts/bench/service_page.sql
  measure_users "$size" 1 scripts/bench/search_page.sql
  [ -n "$order_result" ] || measure_orders "$size"
  measure_orders_many "$size"
  stop_api
done

has_part realtime && measure_realtime "${sizes%% *}"

# --- report ----------------------------------------------------------------------------------
read -r -a size_list <<<"$sizes"
first=${size_list[0]}
last=${size_list[${#size_list[@]} - 1]}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
cpu=$(lscpu 2>/dev/null | awk -F: '/Model name/ {gsub(/^[ \t]+/, "", $2); print $2; exit}')
ram=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
pg_version=$(sql "$admin_url" "SHOW server_version" 2>/dev/null || echo unknown)
command_line="make bench  # BENCH_SIZES=\"$sizes\" BENCH_SELLERS=$sellers BENCH_DURATION=$duration"
[ "$fresh" = 1 ] && command_line="scripts/bench.sh --fresh  # BENCH_SIZES=\"$sizes\" BENCH_SELLERS=$sellers BENCH_DURATION=$duration"
[ "$profile" = release ] || command_line="$command_line BENCH_PROFILE=$profile"

# EXPLAIN ANALYZE of the SQL behind the listing requests, on the largest database, warm:
# the database's share of an uncached page (count + page; images and ratings are extra).
uncached_report() {
  local size db
  size=${sizes##* }
  db=$(db_url "krika_bench_$size")
  local public="s.deleted_at IS NULL AND s.status = 'approved' AND s.is_available AND u.deleted_at IS NULL AND u.status = 'active'"
  local from="services s JOIN categories c ON c.id = s.category_id JOIN users u ON u.id = s.seller_id"
  local fts="s.search_document @@ websearch_to_tsquery('french', krika_fold('logo'))"
  local rank="ts_rank(s.search_document, websearch_to_tsquery('french', krika_fold('logo')))"
  # The adapter binds the category and its descendants as one array: ARRAY(...) is that.
  local cats="s.category_id = ANY(ARRAY(SELECT id FROM categories WHERE slug = '$category' OR parent_id = (SELECT id FROM categories WHERE slug = '$category')))"
  local -a labels=(
    "search + price: count"
    "search + price: page of 20 by relevance"
    "category page: count"
    "category page: page of 20, newest first"
  )
  local -a queries=(
    "SELECT count(*) FROM $from WHERE $public AND $fts AND s.starting_price <= 50000"
    "SELECT s.id FROM $from WHERE $public AND $fts AND s.starting_price <= 50000 ORDER BY $rank DESC, s.created_at DESC, s.id DESC LIMIT 20"
    "SELECT count(*) FROM $from WHERE $public AND $cats"
    "SELECT s.id FROM $from WHERE $public AND $cats ORDER BY s.created_at DESC, s.id DESC LIMIT 20"
  )
  echo "## Uncached: PostgreSQL time per query at $size services"
  echo
  echo "\`EXPLAIN ANALYZE\` on a warm database (best of 3), the same SQL the adapter sends."
  echo
  echo "| Query | execution time |"
  echo "|---|---:|"
  local i best t
  for i in "${!queries[@]}"; do
    best=""
    for _ in 1 2 3; do
      t=$(psql "$db" -Atc "EXPLAIN (ANALYZE, FORMAT JSON) ${queries[$i]}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])')
      if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    printf '| %s | %.1f ms |\n' "${labels[$i]}" "$best"
  done
}

previous_realtime=""
if [ -f "$output" ]; then
  previous_realtime=$(python3 -c 'import re, sys
m = re.search(r"<!-- realtime -->.*?<!-- /realtime -->", open(sys.argv[1]).read(), re.S)
print(m.group(0) if m else "")' "$output")
fi

{
  echo "# Benchmarks"
  echo
  echo "Public catalogue reads, measured by \`scripts/bench.sh\` (\`make bench\`). Do not edit by"
  echo "hand: re-run the script."
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Commit: $commit"
  echo "- Command: \`$command_line\`"
  echo "- Machine: $(nproc) CPU(s), ${cpu:-unknown CPU}, $ram RAM; PostgreSQL $pg_version, Redis and"
  echo "  wrk on the same machine as the API"
  echo "- Load: \`wrk -t$threads -c$connections -d$duration --latency\` per request, after a $warmup warm-up;"
  echo "  $profile build, \`RUST_LOG=warn\`, rate limit lifted"
  echo "- Data: \`krika-cli seed --sellers $sellers --services <size>\` (demo marketplace: ~90 % of"
  echo "  services approved, spread over every leaf category)"
  echo
  for size in $sizes; do
    echo "## $size services"
    echo
    if [ -n "${seeded_line[$size]:-}" ]; then
      echo "Seeded in this run: \`${seeded_line[$size]%%;*}\`"
      echo
    fi
    echo "| Request | Path | req/s | p50 | p99 | non-2xx | socket errors |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    for i in 0 1 2 3; do echo "${result[$size,$i]}"; done
    echo
  done
  if [ "$first" != "$last" ]; then
    echo "## p99 growth, $first → $last services"
    echo
    echo "| Request | p99 at $first | p99 at $last | ratio |"
    echo "|---|---:|---:|---:|"
    for i in 0 1 2 3; do
      a=${p99_ms[$first,$i]:-} b=${p99_ms[$last,$i]:-}
      if [ -n "$a" ] && [ -n "$b" ]; then
        ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.2f×", b / a; else print "n/a" }')
        echo "| ${names[$i]} | $a ms | $b ms | $ratio |"
      else
        echo "| ${names[$i]} | ${a:-n/a} | ${b:-n/a} | n/a |"
      fi
    done
    echo
  fi
  echo "## What users do: many URLs, the cache cold"
  echo
  echo "Each request picks its URL at random (wrk with \`scripts/bench/random_path.lua\`) after"
  echo "the API's read cache was emptied: a random public service by id, or a search for one of"
  echo "50 title words found in 0.5 % to 5 % of the services (the commonest such; each such word"
  echo "matches hundreds to thousands of services) with a page from 1 to 3. Beside it, pgbench runs the"
  echo "statements the API sends for one such request (\`scripts/bench/*.sql\`, sent as the API sends"
  echo "them: prepared, or planned each time), with the same $connections connections and duration, on the"
  echo "same database: the database's own limit. The cache refills during a run (every URL missed"
  echo "once is then served from it), so a ratio above 100 % means hits, not a faster database."
  echo
  for size in $sizes; do
    echo "### $size services"
    echo
    echo "| Workload | req/s | p50 | p99 | non-2xx | pgbench, same SQL (tps) | API / pgbench |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for i in 0 1; do echo "${users_result[$size,$i]:-| ${users_names[$i]} | n/a | | | | | |}"; done
    echo
  done
  echo "## Order placement"
  echo
  echo "\`POST /api/v1/orders\` by card (sandbox gateway), a new \`Idempotency-Key\` per request:"
  echo "each request claims its key (one statement), then in one transaction inserts the order"
  echo "and its history, posts the payment into escrow (ledger entries, escrow account), writes"
  echo "\`order.created\` to the outbox and stores the key's answer. First row: one buyer on one"
  echo "popular service of the ${first}-service database (kept between runs, so its orders pile"
  echo "up); then 64 new buyers over 500 services, on each database."
  echo
  echo "Beside the many-buyer rows, pgbench runs the statements the API sends for one order"
  echo "(\`scripts/bench/order_place.sql\`: the caller, the key's claim, the service, then the"
  echo "order's transaction; not the outbox subscribers that follow) with the same buyers,"
  echo "services and connections."
  echo
  echo "| Request | Path | req/s | p50 | p99 | non-2xx | orders placed | pgbench, same SQL (tps) | API / pgbench |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  echo "${order_result% |} | — | — |"
  echo "$orders_many_result"
  echo
  echo "The per-size tables repeat one URL, so after the first request the API answers from its"
  echo "Redis read cache: listing pages are cached per catalogue generation (any catalogue write"
  echo "retires them all) and service details by id. They are the cost of a popular page; the"
  echo "workloads above are the cost of the long tail. What a listing costs PostgreSQL alone:"
  echo
  uncached_report
  echo
  if has_part realtime; then
    cat "$realtime_md"
    echo
  elif [ -n "$previous_realtime" ]; then
    # Not measured this time: the last real-time section stays, with its own date.
    echo "$previous_realtime"
    echo
  fi
  echo "Raw wrk output and API logs: \`.dev/bench/\`."
} >"$output"
log "wrote $output"
