#!/usr/bin/env bash
# make soak: a bounded soak over the local cluster (make cluster: two release instances behind
# nginx on the dev database). wrk runs a steady mixed read load (service pages by random id,
# listings, category pages, searches for random words) for SOAK_MINUTES one-minute segments;
# after each segment the script reads each instance's resident memory (VmRSS) and the
# segment's p99. The table goes to the "Soak" section of BENCHMARKS.md. Not in CI.
#   SOAK_MINUTES=10 SOAK_CONNECTIONS=16
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${SOAK_MINUTES:-10}
connections=${SOAK_CONNECTIONS:-16}
dir=.dev/cluster
logs=.dev/soak
mkdir -p "$logs"
log() { printf '\033[1m[soak]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null
fi

# One client address (127.0.0.1) makes the whole load: limits are tested elsewhere.
export RATE_LIMIT_DEFAULT_PER_MIN=1000000000 RATE_LIMIT_AUTH_PER_MIN=1000000000
scripts/cluster.sh start
trap 'scripts/cluster.sh stop' EXIT
base=http://127.0.0.1:${CLUSTER_PORT:-8000}

# The paths a visitor takes: half service pages, a quarter listings, a quarter searches.
paths="$logs/paths.txt"
: >"$paths"
for page in 1 2 3; do
  curl -sf "$base/api/v1/services?limit=100&page=$page" |
    python3 -c 'import json,sys; [print("/api/v1/services/" + s["id"]) for s in json.load(sys.stdin)["data"]["items"]]' >>"$paths" || true
done
services=$(wc -l <"$paths")
[ "$services" -gt 0 ] || { echo "no services to visit: run make run once to seed the demo" >&2; exit 1; }
curl -sf "$base/api/v1/categories" |
  python3 -c 'import json,sys; [print("/api/v1/categories/" + c["slug"] + "/services") for c in json.load(sys.stdin)["data"]]' >>"$paths"
for word in logo site traduction video montage application affiche marketing redaction photo; do
  for page in 1 2; do
    echo "/api/v1/services?search=$word&page=$page" >>"$paths"
    echo "/api/v1/services?search=$word&sortBy=price&sortOrder=asc" >>"$paths"
  done
done
for page in 1 2 3 4 5; do echo "/api/v1/services?page=$page" >>"$paths"; done
log "$(wc -l <"$paths") paths ($services service pages), $minutes × 1 min at $connections connections"

rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$(cat "$dir/api-$1.pid")/status"; }
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.1f", n }'
}

rows=()
for minute in $(seq "$minutes"); do
  out="$logs/wrk-$minute.txt"
  BENCH_PATHS="$paths" wrk -t2 -c"$connections" -d60s --latency \
    -s scripts/bench/random_path.lua "$base" >"$out" 2>&1 || true
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  row="| $minute | ${rps:-0} | $p99 ms | ${errors:-0} | $(rss a) MB | $(rss b) MB |"
  rows+=("$row")
  log "$row"
done

table=$(printf '%s\n' "| minute | req/s | p99 | non-2xx | RSS A | RSS B |" "|---:|---:|---:|---:|---:|---:|" "${rows[@]}")
section=$(
  cat <<EOF
## Soak

\`make soak\` ($(date -u +%Y-%m-%d), $(git rev-parse --short HEAD)): two release instances behind nginx
(\`make cluster\`, dev database), wrk \`-t2 -c$connections\`, a mixed read load over $services service pages,
category pages, listings and searches, $minutes one-minute segments; RSS of each instance after each
segment (VmRSS).

$table
EOF
)
python3 - "$section" <<'PY'
import re, sys
section = sys.argv[1].rstrip() + "\n"
text = open("BENCHMARKS.md").read()
if "\n## Soak\n" in text:
    text = re.sub(r"\n## Soak\n.*?(?=\n## |\Z)", "\n" + section, text, flags=re.S)
else:
    text = text.rstrip() + "\n\n" + section
open("BENCHMARKS.md", "w").write(text)
PY
printf '%s\n' "$table"
