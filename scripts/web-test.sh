#!/usr/bin/env bash
# Browser tests of the web console: starts a fresh `fengqiao demo` on a free loopback port with a
# throw-away data directory, checks the committed API types against the server's OpenAPI document,
# runs the Playwright tests in Debian's Chromium, and stops the server by its pid.
#
#   scripts/web-test.sh            # builds web/ and the debug binary when needed
#   FQ_SERVER_BIN=path/to/fengqiao scripts/web-test.sh   # use an already built binary (not FENGQIAO_*:
#                                                        # the server reads every FENGQIAO_ variable as config)
#   scripts/web-test.sh tests/citizen.spec.ts            # extra arguments go to `playwright test`
#
# Screenshots land in target/screenshots/ (1366×768; the citizen page at 390×844).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/web"
CARGO="${CARGO:-cargo}"
CHROMIUM="${FQ_CHROMIUM:-/usr/bin/chromium}"

if [[ ! -x "$CHROMIUM" ]]; then
  echo "web-test: $CHROMIUM not found; run scripts/install-system-deps.sh (installs Debian's chromium)" >&2
  exit 1
fi

if [[ ! -d "$WEB/node_modules" ]]; then
  (cd "$WEB" && npm ci --no-audit --no-fund)
fi
if [[ ! -f "$WEB/dist/index.html" || -n "${FQ_WEB_REBUILD:-}" ]]; then
  (cd "$WEB" && npm run build)
fi

if [[ -z "${FQ_SERVER_BIN:-}" ]]; then
  "$CARGO" build -p fengqiao --manifest-path "$ROOT/Cargo.toml"
  TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
  FQ_SERVER_BIN="$TARGET_DIR/debug/fengqiao"
fi

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
DATA="$(mktemp -d "${TMPDIR:-/tmp}/fengqiao-web-test.XXXXXX")"
LOG="$DATA/server.log"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

# The server runs inside the temp dir so it finds no fengqiao.toml and writes nothing elsewhere.
(
  cd "$DATA"
  FENGQIAO_DATA_DIR="$DATA/data" FENGQIAO_LOG_FORMAT=json \
    exec "$FQ_SERVER_BIN" demo --listen "127.0.0.1:$PORT"
) >"$LOG" 2>&1 &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "web-test: the server exited early:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.5
done
if ! curl -fsS "$BASE/healthz" >/dev/null 2>&1; then
  echo "web-test: the server did not answer /healthz within 60 s:" >&2
  cat "$LOG" >&2
  exit 1
fi
echo "web-test: fengqiao demo on $BASE (pid $SERVER_PID, data in $DATA)"

mkdir -p "$ROOT/target/screenshots"
cd "$WEB"
FQ_API="$BASE" npm run --silent check:api

status=0
FQ_BASE_URL="$BASE" FQ_CHROMIUM="$CHROMIUM" npx --no-install playwright test "$@" || status=$?

# One plain summary line from Playwright's JSON report.
node -e '
  const fs = require("fs");
  try {
    const s = JSON.parse(fs.readFileSync("test-results/results.json", "utf8")).stats;
    console.log(`browser: ${s.expected} passed, ${s.unexpected + s.flaky} failed, ${s.skipped} skipped`);
  } catch (e) { console.log("browser: no report (" + e.message + ")"); }
'
if [[ $status -ne 0 ]]; then
  echo "web-test: server log (last 40 lines):" >&2
  tail -n 40 "$LOG" >&2 || true
fi
exit $status
