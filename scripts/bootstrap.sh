#!/usr/bin/env bash
# Create .venv and install the locked dependencies; a no-op when the lock has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "xentri: Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi

stamp=".venv/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  uv_version="$(sed -n 's/^uv==\([0-9.]*\).*/\1/p' requirements.lock)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==${uv_version}"
  # The platform store holds any CA a proxy or mirror on this network is signed by.
  export UV_SYSTEM_CERTS=1
  .venv/bin/uv pip install --quiet --python .venv/bin/python -r requirements.lock
  .venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps --editable .
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# Browser libraries of the web shell (htmx and its preload extension; axe-core for the browser
# tests) come from the npm registry, pinned by package-lock.json; node_modules is never in git.
node_stamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$node_stamp" ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error
    touch "$node_stamp"
  else
    # Pages still work as plain forms and links without htmx; say so rather than fail.
    echo "xentri: npm not found; the web shell runs without htmx until 'npm ci' is run" >&2
  fi
fi
