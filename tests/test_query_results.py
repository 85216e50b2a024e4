"""Canned queries whose answers are long: each case's exact rows live in a TSV file beside it.

``tests/data/expected/CASE.tsv`` starts with ``# query: NAME`` and one ``# param: NAME=VALUE``
line per parameter, then the column names and every row, IRIs as CURIEs and missing values
empty, as the W3C test suites pair a query with its expected results. The rows were checked
against the sources the graph cites for them; a change to the data that changes an answer
changes the file in the same commit, where a reviewer sees it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from roscosmos_graph import KnowledgeGraph
from roscosmos_graph.namespaces import curie

EXPECTED = Path(__file__).parent / "data" / "expected"
CASES = sorted(EXPECTED.glob("*.tsv"))


def read_case(path: Path) -> tuple[str, dict[str, str], list[str]]:
    """The query name, its parameters and the expected lines (header first)."""
    name, params, lines = "", {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# query: "):
            name = line.removeprefix("# query: ")
        elif line.startswith("# param: "):
            key, _, value = line.removeprefix("# param: ").partition("=")
            params[key] = value
        else:
            lines.append(line)
    return name, params, lines


def rendered(kg: KnowledgeGraph, name: str, params: dict[str, str]) -> list[str]:
    result = kg.query(name, **params)
    cells = [[("" if term is None else curie(str(term)) if isinstance(term, URIRef)
               else str(term)) for term in row] for row in result.rows]
    return ["\t".join(result.variables), *("\t".join(row) for row in cells)]


def test_cases_are_found():
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_query_returns_exactly_the_rows_of_its_file(kg, case: Path):
    name, params, expected = read_case(case)
    got = rendered(kg, name, params)
    # rows that tie on the query's ORDER BY may come in any order: compare them as a multiset
    assert got[0] == expected[0]
    assert sorted(got[1:]) == sorted(expected[1:])
