#!/usr/bin/env bash
# Set up (first run only) and start Xentri on its embedded PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/xentri serve "$@"
