#!/usr/bin/env bash
# The whole test suite on a fresh machine: Python packages from pyproject.toml, Debian's Chromium
# for the browser tests (never a browser download of Playwright's own), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
python3 -m pytest "$@"
