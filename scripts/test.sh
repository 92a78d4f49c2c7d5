#!/usr/bin/env bash
# Set up (first run only) and run every check: lint, format, types, import contracts, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

step() { printf '\n== %s\n' "$1"; }

# The browser tests drive Debian's chromium (never a browser downloaded by a test tool).
if [ -z "${XENTRI_TEST_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  step "installing Debian's chromium for the browser tests"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

step "ruff (lint)";         .venv/bin/ruff check .
step "ruff (format)";       .venv/bin/ruff format --check .
step "mypy";                .venv/bin/mypy
step "import contracts";    .venv/bin/lint-imports
step "i18n catalogs";       .venv/bin/python -m xentri.kernel.i18n.check
step "tests";               .venv/bin/pytest "$@"
