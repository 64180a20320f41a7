#!/usr/bin/env bash
# cargo deny (deny.toml): licences, bans (duplicate versions, wildcards) and sources always;
# advisories whenever the RustSec database (github.com) can be fetched or is already on
# this machine. CI's network reaches crates.io but not github.com, so there the advisories
# part says plainly that it could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.20.2
say() { printf '\033[1m[deny]\033[0m %s\n' "$*" >&2; }

if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $version" ]; then
  say "installing cargo-deny $version from crates.io"
  cargo install --quiet --locked cargo-deny --version "$version"
fi

cargo deny --log-level error check bans licenses sources

# `fetch` refreshes the database when github.com answers and keeps a local copy otherwise.
cargo deny --log-level error fetch db >/dev/null 2>&1 || true
db=$(ls -d "$HOME"/.cargo/advisory-dbs/*/crates 2>/dev/null | head -1 || true)
if [ -n "$db" ]; then
  cargo deny --offline --log-level error check advisories
  say "advisories checked against the RustSec database of $(git -C "$db/.." log -1 --format=%cs 2>/dev/null || echo '?')"
else
  say "advisories NOT checked: the RustSec database (github.com) is unreachable from here"
fi
