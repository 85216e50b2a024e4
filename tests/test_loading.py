"""Strict parsing: every malformed file is reported as path:line:column, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph

from context import isomorphic
from roscosmos_graph.cli import main
from roscosmos_graph.errors import InputNotFoundError, TurtleSyntaxError
from roscosmos_graph.loading import MAX_NESTING, expand_paths, parse_turtle
from roscosmos_graph.terms import from_oxigraph

REPO = Path(__file__).resolve().parents[1]
MALFORMED = Path(__file__).parent / "data" / "malformed"
CASES = sorted(MALFORMED.glob("*.ttl"))
TURTLE_FOLDERS = ("ontology", "data", "shapes", "tests/data/valid", "tests/data/invalid")
WELL_FORMED = sorted(
    path for folder in TURTLE_FOLDERS
    for path in (REPO / folder).glob("**/*.ttl" if folder == "data" else "*.ttl")
)


def _expected(case: Path) -> str:
    return case.with_suffix(".expected").read_text(encoding="utf-8").strip()


def test_malformed_fixtures_are_found():
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_malformed_turtle_names_file_line_and_column(case: Path):
    with pytest.raises(TurtleSyntaxError) as caught:
        parse_turtle(case)
    assert str(caught.value) == f"{case}:{_expected(case)}"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_validate_exits_2_with_position_and_no_traceback(case: Path, capsys):
    assert main(["validate", str(case)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"roscosmos-graph: error: {case}:{_expected(case)}\n"


def test_missing_path_is_a_clear_error(tmp_path: Path, capsys):
    missing = tmp_path / "nothing.ttl"
    assert main(["validate", str(missing)]) == 2
    assert capsys.readouterr().err == f"roscosmos-graph: error: {missing}: no such file or folder\n"


def test_empty_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputNotFoundError, match=r"holds no \.ttl file"):
        expand_paths([tmp_path])


def test_nesting_up_to_the_limit_parses(tmp_path: Path):
    path = tmp_path / "nested.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b "
                    + "[ ex:c " * MAX_NESTING + "1" + " ]" * MAX_NESTING + " .\n")
    assert len(parse_turtle(path)) == MAX_NESTING + 1


def test_blank_node_labels_stay_apart_across_files(tmp_path: Path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text("<http://example.org/a> <http://example.org/p> _:x .\n")
    second.write_text("<http://example.org/b> <http://example.org/p> _:x .\n")
    graph = parse_turtle(first)
    parse_turtle(second, graph)
    assert len(set(graph.objects())) == 2


def test_every_turtle_folder_is_cross_checked():
    for folder in TURTLE_FOLDERS:
        assert any(path.is_relative_to(REPO / folder) for path in WELL_FORMED), folder
    assert any(path.parent != REPO / "data" and path.is_relative_to(REPO / "data")
               for path in WELL_FORMED), "data/ sub-folders are not read"


@pytest.mark.parametrize("path", WELL_FORMED, ids=lambda p: str(p.relative_to(REPO)))
def test_every_turtle_file_parses_alike_with_rdflib_and_pyoxigraph(path: Path):
    with_rdflib = Graph().parse(path, format="turtle")
    bnodes: dict = {}
    with_oxigraph = Graph()
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
        with_oxigraph.add(tuple(from_oxigraph(t, bnodes) for t in
                                (quad.subject, quad.predicate, quad.object)))
    assert len(with_rdflib) > 0
    assert len(with_rdflib) == len(with_oxigraph)
    assert isomorphic(with_rdflib, with_oxigraph)
