#!/usr/bin/env bash
# Open311 against a real client: installs the PyPI `georeport` client (0.3.1) into a venv under
# target/, starts a fresh `fengqiao demo` on a free loopback port with a throw-away data directory,
# runs scripts/open311_client_test.py against it (JSON and XML), and stops the server by its pid.
#
#   scripts/open311-client-test.sh                       # builds the debug binary when needed
#   FQ_SERVER_BIN=path/to/fengqiao scripts/open311-client-test.sh   # use an already built binary
#
# Prints `open311 client: N passed, M failed`; exits non-zero on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO="${CARGO:-cargo}"
VENV="$ROOT/target/open311-venv"
GEOREPORT_VERSION="0.3.1"

if [[ ! -x "$VENV/bin/python" ]]; then
  mkdir -p "$ROOT/target"
  if ! python3 -m venv "$VENV"; then
    echo "open311-client-test: python3 -m venv failed; run scripts/install-system-deps.sh (installs python3-venv)" >&2
    rm -rf "$VENV"
    exit 1
  fi
fi
if ! "$VENV/bin/python" -c "import georeport, sys; sys.exit(georeport.__version__ != '$GEOREPORT_VERSION')" 2>/dev/null; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "georeport==$GEOREPORT_VERSION"
fi

if [[ -z "${FQ_SERVER_BIN:-}" ]]; then
  "$CARGO" build -p fengqiao --manifest-path "$ROOT/Cargo.toml"
  TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
  FQ_SERVER_BIN="$TARGET_DIR/debug/fengqiao"
fi

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
DATA="$(mktemp -d "${TMPDIR:-/tmp}/fengqiao-open311-test.XXXXXX")"
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
for _ in $(seq 1 240); do
  if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "open311-client-test: the server exited early:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.5
done
if ! curl -fsS "$BASE/healthz" >/dev/null 2>&1; then
  echo "open311-client-test: the server did not answer /healthz within 120 s:" >&2
  tail -n 40 "$LOG" >&2
  exit 1
fi
echo "open311-client-test: fengqiao demo on $BASE (pid $SERVER_PID, data in $DATA)"

status=0
"$VENV/bin/python" "$ROOT/scripts/open311_client_test.py" "$BASE" || status=$?
if [[ $status -ne 0 ]]; then
  echo "open311-client-test: server log (last 40 lines):" >&2
  tail -n 40 "$LOG" >&2 || true
fi
exit $status
