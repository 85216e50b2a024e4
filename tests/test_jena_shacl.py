"""Apache Jena's SHACL engine, run as a real Java process, gives exactly our results: on the
shipped graph and on every invalid fixture at once (each fixture with its context).

Blank nodes are skolemised first, so that both engines name every focus node alike.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

import jena
from context import shapes, with_context
from roscosmos_graph.loading import parse_turtle
from roscosmos_graph.validation import ValidationReport, report_from_graph, validate_graph

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not jena.available(), reason="Java or Apache Jena is missing")]

INVALID = sorted((Path(__file__).parent / "data" / "invalid").glob("*.ttl"))


def _jena(folder: Path, data: Graph) -> ValidationReport:
    data.serialize(folder / "data.nt", format="nt", encoding="utf-8")
    shapes().serialize(folder / "shapes.ttl", format="turtle", encoding="utf-8")
    done = jena.run(folder, "shacl.shacl", "validate", "--shapes", str(folder / "shapes.ttl"),
                    "--data", str(folder / "data.nt"))
    assert done.returncode == 0, done.stderr
    return report_from_graph(Graph().parse(data=done.stdout, format="turtle"), data)


def _results(report: ValidationReport) -> Counter:
    return Counter((r.severity, *r.key) for r in report.results)


def test_jena_agrees_on_the_shipped_graph(kg, tmp_path):
    data = kg.asserted.skolemize()
    ours = validate_graph(data, shapes())
    assert ours.results, "the shipped graph has warnings for the engines to agree on"
    assert _results(_jena(tmp_path, data)) == _results(ours)


def test_jena_agrees_on_every_invalid_fixture(tmp_path):
    graph = with_context(None)
    for case in INVALID:
        parse_turtle(case, graph)
    data = graph.skolemize()
    ours = validate_graph(data, shapes())
    assert len(INVALID) >= 30, "the invalid fixtures are found"
    assert len(ours.violations) >= len(INVALID) - 5, "most fixtures add a violation"
    assert _results(_jena(tmp_path, data)) == _results(ours)
