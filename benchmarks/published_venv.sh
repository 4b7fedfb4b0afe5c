#!/usr/bin/env bash
# Build (idempotently) the Python 3.12 venv holding the *published* aiodynamodb package with its
# `testing` extra (aiomoto + moto), used only as the benchmark baseline by benchmarks/client_bench.py.
# The published package needs Python >= 3.12; we look for an interpreter that really runs (a pyenv shim
# for a version that is not selected exits non-zero), so set PYTHON312=/path/to/python3.12 to override.
# Prints the venv's python path on its last line.
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv-published
SPEC="${AIODYNAMODB_PUBLISHED_SPEC:-aiodynamodb[testing]==0.0.16}"
find_python() {
    local candidate
    for candidate in "${PYTHON312:-}" python3.12 "$(command -v pyenv >/dev/null 2>&1 && pyenv root 2>/dev/null)/versions/3.12"*/bin/python3.12; do
        [ -n "$candidate" ] || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; then
            echo "$candidate"; return 0
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        for version in $(pyenv versions --bare 2>/dev/null | grep '^3\.12'); do
            candidate="$(pyenv root)/versions/$version/bin/python3.12"
            if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
        done
    fi
    echo "python3.12 not found (set PYTHON312)" >&2; return 1
}
stamp="$VENV/.installed"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$SPEC" ]; then
    if [ ! -x "$VENV/bin/python" ]; then
        "$(find_python)" -m venv "$VENV"
        # keeps the generated venv out of git without touching the shared .gitignore
        echo "*" > "$VENV/.gitignore"
    fi
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet "$SPEC" >&2
    echo "$SPEC" > "$stamp"
fi
echo "$(pwd)/$VENV/bin/python"
