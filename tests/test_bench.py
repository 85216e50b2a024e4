"""The benchmark can run every canned query: each required parameter has a value for the
shipped graph and for the generated ones; and the generated graphs conform to the shapes, so
that validating them measures the work on valid data."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import roscosmos_graph
from context import shapes
from roscosmos_graph.loading import parse_turtle
from roscosmos_graph.resources import ontology_files
from roscosmos_graph.validation import validate_graph

BENCH = Path(__file__).parent.parent / "bench"
RUN = BENCH / "run.py"


@functools.cache
def _bench_params() -> dict[str, dict[str, dict[str, str]]]:
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.PARAMS


@pytest.mark.parametrize("query", roscosmos_graph.queries(), ids=lambda q: q.name)
def test_every_required_parameter_has_a_bench_value(query):
    required = {p.name for p in query.parameters if p.required}
    params = _bench_params().get(query.name, {})
    for kind in ("shipped", "generated"):
        assert required <= set(params.get(kind, {})), (query.name, kind)


def test_a_generated_graph_conforms_with_the_ontology_alone(tmp_path: Path):
    out = tmp_path / "g.ttl"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--triples", "10000",
                    "--seed", "1", "-o", str(out)], check=True)
    graph = parse_turtle(out)
    for path in ontology_files():
        graph += parse_turtle(path)
    report = validate_graph(graph, shapes())
    assert report.violations == (), report.render("text")
