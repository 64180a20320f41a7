# The two commands: `make run` (API with demo data on :8000, Swagger UI at /docs/) and
# `make test` (starts PostgreSQL, Redis, S3 and SMTP, runs every test and the spec checks,
# stops them).
.PHONY: run test bench openapi clients spec-check lint fmt check-hexagon deny cluster cluster-stop chaos soak

run:
	@scripts/run.sh

test:
	@scripts/test.sh

# Two release instances behind nginx on :8000 (scripts/cluster.sh), and their end.
cluster:
	@scripts/cluster.sh start

cluster-stop:
	@scripts/cluster.sh stop

# The cluster under faults (scripts/cluster/chaos.py) on the test services; prints its table.
chaos:
	@trap 'scripts/services.sh stop test' EXIT; scripts/services.sh start test && \
	  eval "$$(scripts/services.sh env test)" && scripts/cluster.sh chaos

# Ten minutes of mixed reads over the cluster: RSS and p99 per minute into BENCHMARKS.md.
soak:
	@scripts/soak.sh

# Seeds krika_bench_<size> databases and measures the catalogue with wrk (BENCHMARKS.md).
bench:
	bash scripts/bench.sh

openapi:
	cargo run -q -p krika-cli -- openapi > openapi/openapi.json
	@echo "openapi/openapi.json written"

# Regenerates the TypeScript client (clients/typescript/src/gen) from openapi/openapi.json.
clients:
	cd clients/typescript && npm ci --silent --no-audit --no-fund && npx openapi-ts
	@echo "clients/typescript/src/gen written"

# Linters, client freshness and smoke test, and the fuzzer (also the end of `make test`).
spec-check:
	@scripts/spec-check.sh

lint: check-hexagon
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:
	cargo fmt --all

check-hexagon:
	@scripts/check-hexagon.sh

# Licences, duplicate versions, sources and (where github.com answers) advisories: deny.toml.
deny:
	@scripts/deny.sh
