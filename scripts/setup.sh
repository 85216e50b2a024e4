#!/usr/bin/env bash
# Create .venv (once) and install roscosmos-graph with pinned dependencies, the oxigraph
# server for 'serve' and pandas for to_dataframe() included.
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv 2>/dev/null || { echo "python3 -m venv failed: install python3-venv" >&2; exit 2; }
.venv/bin/python -m pip install --quiet --upgrade pip
target=".[server,pandas${extras:+,$extras}]"
.venv/bin/python -m pip install --quiet -c constraints.txt -e "$target"
