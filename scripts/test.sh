#!/usr/bin/env bash
# Set up with the test extras and run the linter and the quick test suite (every test not
# marked slow) on two worker processes (PYTEST_WORKERS=N for more, 0 for one process).
# Extra arguments go to pytest: `scripts/test.sh -m slow` runs the slow tier.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/system-deps.sh
.venv/bin/ruff check .
workers=(-n "${PYTEST_WORKERS:-2}")
if [[ " $* " == *" -m "* ]]; then
  .venv/bin/python -m pytest "${workers[@]}" "$@"
else
  .venv/bin/python -m pytest "${workers[@]}" -m "not slow" "$@"
fi
