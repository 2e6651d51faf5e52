SHELL := /bin/bash
# Fengqiao — the two set-up commands are `make demo` and `make test`.
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: demo test fmt-check clippy unit purity-check build web web-test open311-client-test

## Run the platform with the demo city on the embedded SQLite database (http://127.0.0.1:8080).
demo: web
	$(CARGO) run --release -p fengqiao -- demo

## The web console: npm packages exactly as package-lock.json pins them, then web/dist/ (embedded by fengqiao-http).
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web: web/node_modules/.package-lock.json
	cd web && npm run build

## Browser tests: a fresh demo server, Playwright in Debian's Chromium, screenshots in target/screenshots/.
web-test: web
	scripts/install-system-deps.sh
	scripts/web-test.sh

## Open311: the PyPI georeport client (0.3.1) against a fresh demo server, in JSON and XML.
open311-client-test:
	scripts/install-system-deps.sh
	scripts/open311-client-test.sh

build:
	$(CARGO) build --release -p fengqiao

## The whole suite: formatting, lints, the domain-purity guard, every test (PostgreSQL from FENGQIAO_TEST_PG_URL).
test: fmt-check clippy purity-check unit web-test open311-client-test

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## The pure crates must not depend on I/O, async runtimes or randomness.
purity-check:
	@bad=$$($(CARGO) tree -e normal --prefix none -p fengqiao-domain -p fengqiao-calc -p fengqiao-proto 2>/dev/null \
	  | grep -E '^(tokio|sqlx|axum|hyper|reqwest|rand|getrandom|mio) ' | sort -u); \
	if [ -n "$$bad" ]; then echo "pure crates depend on: $$bad"; exit 1; else echo "purity check: domain, calc and proto are pure"; fi

unit:
	@mkdir -p target
	$(CARGO) test --workspace --no-fail-fast 2>&1 | tee target/test-output.log; \
	status=$${PIPESTATUS[0]}; \
	grep -E '^test result:' target/test-output.log | awk '{p+=$$4; f+=$$6; i+=$$8} END {printf "%d passed, %d failed, %d skipped\n", p, f, i}'; \
	exit $$status
