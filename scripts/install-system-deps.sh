#!/usr/bin/env bash
# Installs the Debian packages Fengqiao needs at run and test time, and only those missing.
# Idempotent: a second run with everything present installs nothing and skips `apt-get update`.
#
#   fonts-noto-cjk  Noto Serif/Sans CJK (.ttc) — PDF documents embed subsets of them
#                   (fengqiao-docs looks in /usr/share/fonts/opentype/noto, or FENGQIAO_FONT_PATH).
#
# To add a package: one `need` line below, naming a file the package provides.
set -euo pipefail

missing=()

# need PACKAGE FILE — queue PACKAGE when FILE is not on the machine.
need() {
  local package="$1" file="$2"
  if [[ -e "$file" ]]; then
    echo "install-system-deps: $package present ($file)"
  else
    missing+=("$package")
  fi
}

need fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc
# --- chromium: Debian's headless browser for the web console's Playwright tests (scripts/web-test.sh);
# --- fonts-noto-cjk above also gives its screenshots their Chinese glyphs.
need chromium /usr/bin/chromium
# --- end chromium ---
# --- python3-venv: the venv under target/ holding the PyPI georeport client that
# --- scripts/open311-client-test.sh runs against a live server (Debian splits venv out of python3).
need python3-venv /usr/share/doc/python3-venv/copyright
# --- end python3-venv ---

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-system-deps: nothing to install"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-system-deps: need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
