#!/usr/bin/env bash
# The main job: set up, validate the graph, print its statistics and a sample query result.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
rg=.venv/bin/roscosmos-graph
echo "== roscosmos-graph validate"
"$rg" validate
echo "== roscosmos-graph stats"
"$rg" stats
echo "== roscosmos-graph query heads"
"$rg" query heads
echo "== roscosmos-graph query heads-on-date --param date=2020-01-01"
"$rg" query heads-on-date --param date=2020-01-01
