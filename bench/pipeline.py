"""The whole pipeline on one synthetic graph: load, reason, validate, every canned query.

Each step runs once, in order, in one child process, with the default (fast) engines and
no rdflib graph of the data: strict Turtle parsing into pyoxigraph triples, the
``reasonable`` OWL 2 RL reasoner, the ``rudof`` SHACL engine (in slices of the graph) and
the Oxigraph store. It prints each step's wall time and the peak memory so far (the child's
and its own children's peak RSS), then the total against the targets.

    .venv/bin/python bench/pipeline.py                    # 1M triples
    .venv/bin/python bench/pipeline.py --triples 100000   # the CI variant

The graph comes from ``bench/generate.py`` (same seed and generator, same graph) and is kept
between runs in the temporary folder; generating it is not timed. The Turtle size limit is
raised for the child (``ROSCOSMOS_GRAPH_MAX_TURTLE_MB``), as a user loading 1M triples would.
Exits 1 if a step fails or a canned query ends in an error, never because it is slow.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from run import PARAMS, generated_graph  # noqa: E402

TARGET_SECONDS = 120.0
TARGET_GIB = 8.0


def _peak_mib() -> float:
    """Peak RSS of this process or of any of its children so far, in MiB."""
    return max(resource.getrusage(who).ru_maxrss
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def _pipeline(graph_file: Path) -> list[dict]:
    """Run every step on ``graph_file``; one record per step."""
    steps: list[dict] = []
    started = time.perf_counter()

    def done(step: str, **extra: object) -> None:
        nonlocal started
        now = time.perf_counter()
        steps.append({"step": step, "seconds": now - started, "peak_mib": _peak_mib(), **extra})
        started = now

    from rdflib import Graph

    from roscosmos_graph import get_query, queries
    from roscosmos_graph.loading import parse_turtle, read_turtle
    from roscosmos_graph.queryable import StoreGraph
    from roscosmos_graph.reasoning import infer_triples
    from roscosmos_graph.resources import ontology_files, shape_files
    from roscosmos_graph.stores import OxigraphStore
    from roscosmos_graph.validation import validate_graph

    done("import")
    # the ontology with the graph: what is reasoned and validated
    asserted = [triple for path in ontology_files() for triple in read_turtle(path)]
    asserted += read_turtle(graph_file)
    shapes = Graph()
    for path in shape_files():
        parse_turtle(path, shapes)
    done("load", triples=len(asserted))
    inferred = infer_triples(asserted)
    done("reason", inferred=len(inferred))
    report = validate_graph(asserted, shapes, "rudof")
    done("validate", conforms=report.conforms, violations=len(report.violations))
    store = OxigraphStore()
    store.load_triples([*asserted, *inferred])
    kg = StoreGraph(store, timeout=120)
    done("store")
    for query in queries():
        params = PARAMS.get(query.name, {}).get("generated", {})
        try:
            rows = len(kg.run_canned(get_query(query.name), params))
        except Exception as error:  # reported, and the run fails
            rows = f"error: {type(error).__name__}: {error}"
        done(f"query {query.name}", rows=rows)
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_pipeline(args.child)))
        return 0

    work = Path(tempfile.gettempdir()) / "roscosmos-graph-bench"
    work.mkdir(exist_ok=True)
    graph_file = generated_graph(args.triples, args.seed, work)
    # a file past the default 10 MiB Turtle limit is read as a user would: by raising it
    env = {**os.environ, "ROSCOSMOS_GRAPH_MAX_TURTLE_MB": "4096"}
    child = subprocess.run([sys.executable, __file__, "--child", str(graph_file)],
                           capture_output=True, text=True, check=False, env=env)
    if child.returncode != 0:
        print(child.stderr, file=sys.stderr)
        return 1
    steps = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"pipeline on {graph_file.name} (default engines: reasonable, rudof, oxigraph)")
    print(f"{'step':<34} {'seconds':>8} {'peak MiB':>9}  result")
    failed = []
    for step in steps:
        result = ", ".join(f"{k}={v}" for k, v in step.items()
                           if k not in ("step", "seconds", "peak_mib"))
        print(f"{step['step']:<34} {step['seconds']:>8.2f} {step['peak_mib']:>9.0f}  {result}")
        if isinstance(step.get("rows"), str):
            failed.append(f"{step['step']}: {step['rows']}")
    total = sum(step["seconds"] for step in steps)
    peak = max(step["peak_mib"] for step in steps) / 1024
    print(f"total {total:.1f} s (target under {TARGET_SECONDS:.0f} s), peak {peak:.2f} GiB "
          f"(target under {TARGET_GIB:.0f} GiB): "
          f"{'met' if total < TARGET_SECONDS and peak < TARGET_GIB else 'NOT met'}")
    for name in failed:
        print(f"FAILED: {name}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
