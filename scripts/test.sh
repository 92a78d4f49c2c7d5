#!/usr/bin/env bash
# Set up (first run only) and run every check: lint, format, types, import contracts, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

step() { printf '\n== %s\n' "$1"; }

step "ruff (lint)";         .venv/bin/ruff check .
step "ruff (format)";       .venv/bin/ruff format --check .
step "mypy";                .venv/bin/mypy
step "import contracts";    .venv/bin/lint-imports
step "tests";               .venv/bin/pytest "$@"
