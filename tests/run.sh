#!/usr/bin/env bash
# The whole test suite on a fresh machine: a virtual environment of the project's own (.venv, so it
# works where the system Python refuses global installs, PEP 668) with the packages from
# pyproject.toml, Debian's Chromium for the browser tests (never a browser download of
# Playwright's own), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv; then
    # Debian and Ubuntu ship venv separately from Python.
    rm -rf .venv
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
# The Chinese fonts too: a PDF printed without them has no text to import (tests/test_import.py).
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
# Pyodide for the 填报 page, pinned by package-lock.json, into node_modules/ (ignored by git; the
# site build copies it into tianbao/engine/). npm from Debian where the machine has none.
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock.json
fi
exec .venv/bin/python -m pytest "$@"
