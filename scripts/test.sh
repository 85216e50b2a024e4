#!/usr/bin/env bash
# Set up with the test extras and run the linter and the quick test suite (every test not
# marked slow). Extra arguments go to pytest: `scripts/test.sh -m slow` runs the slow tier.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/system-deps.sh
.venv/bin/ruff check .
if [[ " $* " == *" -m "* ]]; then
  .venv/bin/python -m pytest "$@"
else
  .venv/bin/python -m pytest -m "not slow" "$@"
fi
