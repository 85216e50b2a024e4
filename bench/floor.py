"""Warm answers against the interpreter's floor, side by side in one run.

The floor is ``python -c "import rdflib"``; each command is the whole ``roscosmos-graph``
process (interpreter start included) on a warm cache, and the cold first query runs with
an empty cache. Medians of ``--runs`` runs; prints a table and the ratio to the floor.

    .venv/bin/python bench/floor.py            # every canned query, sparql and search
    .venv/bin/python bench/floor.py --runs 9   # more runs per command
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV = Path(sys.executable).parent
COMMAND = [str(VENV / "roscosmos-graph")]
PARAMS = {
    "agreements-in-force": ["date=2020-01-01"], "crew": ["flight=id:soyuz-ms-21"],
    "flew-with": ["person=id:oleg-artemyev"], "flights-of": ["person=id:oleg-artemyev"],
    "heads-on-date": ["date=2020-01-01"], "modules": ["station=id:iss"],
    "news-about": ["entity=id:roscosmos"], "person": ["person=id:dmitry-rogozin"],
    "search": ["text=Artemyev"], "sources": ["entity=id:roscosmos"],
}


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from roscosmos_graph.catalog import queries

    cache = tempfile.mkdtemp(prefix="roscosmos-graph-bench-")
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": cache}
    cold = timed([*COMMAND, "query", "heads"], env)
    commands = {f"query {q.name}": [*COMMAND, "query", q.name,
                                    *[f"--param={p}" for p in PARAMS.get(q.name, [])]]
                for q in queries()}
    commands["sparql"] = [*COMMAND, "sparql", "SELECT ?s WHERE { ?s a rsg:SpaceStation }"]
    floor_argv = [sys.executable, "-c", "import rdflib"]
    for argv in commands.values():  # the first run of each text checks it with the guard
        timed(argv, env)
    floors: list[float] = []
    medians: dict[str, float] = {}
    for name, argv in commands.items():
        runs = []
        for _ in range(args.runs):  # alternate, so both see the same machine load
            floors.append(timed(floor_argv, env))
            runs.append(timed(argv, env))
        medians[name] = statistics.median(runs)
    floor = statistics.median(floors)
    print(f"floor: python -c 'import rdflib'  {floor:.3f} s (median of {len(floors)})")
    print(f"cold first query (empty cache)    {cold:.3f} s")
    print(f"{'command':<32} {'median s':>9} {'x floor':>8}")
    for name, seconds in medians.items():
        print(f"{name:<32} {seconds:>9.3f} {seconds / floor:>8.2f}")
    worst = max(medians, key=medians.__getitem__)
    print(f"slowest: {worst} {medians[worst]:.3f} s = {medians[worst] / floor:.2f} x the "
          "floor (target at most 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
