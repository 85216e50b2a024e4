#!/usr/bin/env bash
# Set up with the test extras and run the linter and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/system-deps.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
