#!/usr/bin/env bash
# Domain crates must not depend on infrastructure (ARCHITECTURE.md rule 1).
set -euo pipefail
infra='^(actix|actix-web|diesel|diesel-async|deadpool|deadpool-redis|redis|rust-s3|lettre|tokio-postgres|reqwest|hyper) '
status=0
for crate in krika-kernel krika-identity krika-catalog krika-payments krika-ordering krika-messaging krika-webhooks krika-content; do
  found=$(cargo tree -q -p "$crate" -e normal --prefix none | grep -E "$infra" | sort -u || true)
  if [ -n "$found" ]; then
    echo "$crate depends on infrastructure:"; echo "$found"; status=1
  fi
done
[ $status = 0 ] && echo "hexagon: domain crates are free of infrastructure"
exit $status
