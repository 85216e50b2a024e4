"""The fast SHACL engine (rudof + Oxigraph) agrees with pyshacl, the reference.

On the shipped graph and on every fixture, both engines must give the same results: the
same keys (focus node, path, constraint component, source shape) with the same severities,
rendered the same way. The small graphs below cover what the fast engine does on its own:
blank focus nodes, SPARQL targets and ill-typed literals.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

import roscosmos_graph
from context import shapes, with_context
from roscosmos_graph.cli import main
from roscosmos_graph.namespaces import PREFIXES as NAMESPACES
from roscosmos_graph.resources import ontology_files
from roscosmos_graph.shacl_fast import BlankTargetError, ox_triples, slices, validate_fast
from roscosmos_graph.validation import (
    ShaclEngineError,
    ValidationReport,
    ValidationResult,
    validate_graph,
)

DATA = Path(__file__).parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.ttl"))
VALID = sorted((DATA / "valid").glob("*.ttl"))
SHIPPED = Path("shipped")
CONTEXT = Path("context")

PREFIXES = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(NAMESPACES.items()))

# Small graphs validated with the ontology only (no shipped data), so pyshacl stays quick.
SMALL = {
    "blank-nodes": """
        [] a rsg:Person ; rdfs:label "Blank Person"@en ; rsg:country id:russia ;
            prov:wasDerivedFrom [ a rsg:Source ; schema:url <https://example.org/x> ] .
        id:russia a rsg:Country ; rdfs:label "Russia"@en, "Россия"@ru ;
            prov:wasDerivedFrom id:src-seed .
        """,
    "ontology-terms": """
        rsg:Person skos:definition "Eine Person"@de ; rdfs:label "Human"@en, "plain" .
        """,
    "ill-typed-literals": """
        id:test-person a rsg:Person ; rdfs:label "Test Person"@en ;
            schema:birthDate "1970-02-30"^^xsd:date, "soon"^^xsd:date ;
            prov:wasDerivedFrom id:src-seed .
        id:test-cosmodrome a rsg:Cosmodrome ; rdfs:label "Test Cosmodrome"@en ;
            pos:lat "north"^^xsd:decimal ; pos:long "-200"^^xsd:decimal ;
            prov:wasDerivedFrom id:src-seed .
        """,
    "ill-typed-crew-dates": """
        id:f1 a rsg:Spaceflight ; rdfs:label "F1"@en ; rsg:launchDate "2020-01-01"^^xsd:date ;
            rsg:launchCrewMember id:p1, id:p2, id:p3, id:p4, id:p5, id:p6 ;
            prov:wasDerivedFrom id:src-seed .
        id:f2 a rsg:Spaceflight ; rdfs:label "F2"@en ; rsg:launchDate "soon"^^xsd:date ;
            rsg:launchCrewMember id:p1, id:p5 ; prov:wasDerivedFrom id:src-seed .
        id:f3 a rsg:Spaceflight ; rdfs:label "F3"@en ;
            rsg:launchDate "2020-01-01T10:00:00"^^xsd:dateTime ;
            rsg:launchCrewMember id:p6 ; prov:wasDerivedFrom id:src-seed .
        id:p1 a rsg:Person ; rdfs:label "P1"@en ; schema:birthDate "soon"^^xsd:date .
        id:p2 a rsg:Person ; rdfs:label "P2"@en ; schema:deathDate "1970-02-30"^^xsd:date .
        id:p3 a rsg:Person ; rdfs:label "P3"@en ; schema:birthDate "2030-01-01"^^xsd:date .
        id:p4 a rsg:Person ; rdfs:label "P4"@en ; schema:deathDate "2010-01-01"^^xsd:date ;
            schema:birthDate "late"^^xsd:date .
        id:p5 a rsg:Person ; rdfs:label "P5"@en ; schema:birthDate "1950"^^xsd:gYear .
        id:p6 a rsg:Person ; rdfs:label "P6"@en ; schema:deathDate "2019-12-31"^^xsd:date ;
            schema:birthDate 1950 .
        """,
}


@cache
def asserted(case: Path) -> Graph:
    """The shipped ontology and data, or a fixture ``case`` with its context (tests/context.py)."""
    if case == SHIPPED:
        return roscosmos_graph.load(reason=False).asserted
    return with_context(None if case == CONTEXT else case)


@cache
def report(case: Path, engine: str = "rudof") -> ValidationReport:
    """The report of one case by one engine, computed once per session."""
    return validate_graph(asserted(case), shapes(), engine)  # type: ignore[arg-type]


def reports(case: Path) -> tuple[ValidationReport, ValidationReport]:
    """(fast, reference) reports of one case."""
    return report(case), report(case, "pyshacl")


def keyed(report: ValidationReport) -> set[tuple[str, ...]]:
    return {(*r.key, r.severity) for r in report.results}


def expected_keys(case: Path) -> set[tuple[str, ...]]:
    lines = case.with_suffix(".expected.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {tuple(line.split("\t")) for line in lines if line.strip()}


def assert_agree(fast: ValidationReport, reference: ValidationReport) -> None:
    assert keyed(fast) == keyed(reference)
    assert fast.conforms == reference.conforms
    # beyond the keys: labels, values and messages are rendered alike, in the same order
    assert fast.results == reference.results


def test_fixtures_are_found():
    assert len(INVALID) >= 13 and len(VALID) >= 1


@pytest.mark.slow  # pyshacl takes 10-20 s on each fixture with its context
@pytest.mark.parametrize("case", [CONTEXT, *INVALID, *VALID],
                         ids=["context", *(c.stem for c in INVALID), *(c.stem for c in VALID)])
def test_engines_agree(case: Path):
    fast, reference = reports(case)
    assert reference.results, "the reference found nothing to compare"
    assert_agree(fast, reference)


@pytest.mark.slow
def test_engines_agree_on_the_shipped_graph():
    fast, reference = reports(SHIPPED)
    assert reference.results, "the reference found nothing to compare"
    assert_agree(fast, reference)


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_fast_engine_gives_exactly_the_expected_results(case: Path):
    context = {r.key for r in report(CONTEXT).results}
    fast = report(case)
    assert not fast.conforms
    assert {r.key for r in fast.results} - context == expected_keys(case)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_engines_agree_on_small_graphs(name: str, tmp_path: Path):
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    graph.parse(data=PREFIXES + SMALL[name], format="turtle")
    fast = validate_graph(graph, shapes(), "rudof")
    reference = validate_graph(graph, shapes(), "pyshacl")
    assert not reference.conforms
    assert_agree(fast, reference)
    if name == "blank-nodes":
        # a completeness target selects the blank person: the default engine falls back
        with pytest.raises(BlankTargetError):
            validate_fast(ox_triples(graph), shapes())
        focus = {r.focus_node for r in fast.results}
        assert "[a rsg:Person]" in focus
        assert "[a rsg:Source, object of [a rsg:Person] prov:wasDerivedFrom]" in focus
        assert not any(f.startswith(("_:", "N")) for f in focus)
    if name == "ontology-terms":
        assert {r.source_shape for r in fast.violations} >= {
            "rsgsh:OntologyTermShape-definition", "rsgsh:OntologyTermShape-label"}
    if name == "ill-typed-literals":
        datatype = {(r.focus_node, r.value) for r in fast.violations
                    if r.component == "sh:DatatypeConstraintComponent"}
        assert datatype == {
            ("id:test-person", '"1970-02-30"^^<http://www.w3.org/2001/XMLSchema#date>'),
            ("id:test-person", '"soon"^^<http://www.w3.org/2001/XMLSchema#date>'),
            ("id:test-cosmodrome", '"north"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        }
    if name == "ill-typed-crew-dates":
        # before the rule compared YYYY-MM-DD text, rudof found 4 and pyshacl 8 of these
        crew = sorted((r.focus_node, r.value) for r in fast.violations
                      if r.source_shape.startswith("rsgsh:CrewAliveShape"))
        assert crew == [("id:f1", "id:p2"), ("id:f1", "id:p3"), ("id:f1", "id:p4"),
                        ("id:f1", "id:p6")]


@cache
def everything() -> Graph:
    """The shipped graph with every invalid fixture: one graph with all kinds of results."""
    graph = Graph()
    graph += asserted(SHIPPED)
    for case in INVALID:
        graph.parse(case, format="turtle")
    return graph


def test_slices_give_the_report_of_one_run():
    whole = validate_graph(everything(), shapes(), "rudof")
    assert len(whole.violations) > 50
    triples = ox_triples(everything())
    assert len(list(slices(triples, 4000))) > 10
    # pyoxigraph triples, in slices of about 4000 triples: the same results, labels and all
    sliced = validate_graph(triples, shapes(), "rudof", slice_triples=4000)
    assert sliced.results == whole.results
    assert sliced.conforms is whole.conforms is False


def test_an_undescribed_object_target_is_reported_by_the_slices():
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    graph.parse(data=PREFIXES + """
        id:test-person a rsg:Person ; rdfs:label "Test Person"@en ;
            schema:birthDate "1970-01-01"^^xsd:date ;
            prov:qualifiedDerivation id:bare-derivation ;
            prov:wasDerivedFrom id:src-seed .
        """, format="turtle")
    whole = validate_graph(graph, shapes(), "rudof")
    sliced = validate_graph(ox_triples(graph), shapes(), "rudof", slice_triples=200)
    assert sliced.results == whole.results
    assert "id:bare-derivation" in {r.focus_node for r in whole.violations}


def test_each_node_is_a_member_of_one_slice_with_its_whole_description():
    triples = ox_triples(everything())
    parts = list(slices(triples, 4000, targeted=["<https://example.org/described-nowhere>"]))
    owners: dict[str, int] = {}
    for number, part in enumerate(parts):
        assert part.members is not None
        for member in part.members:
            assert member not in owners, f"{member} is in slices {owners[member]} and {number}"
            owners[member] = number

    def key(node: ox.NamedNode | ox.BlankNode) -> str:
        return f"<{node.value}>" if isinstance(node, ox.NamedNode) else f"_:{node.value}"

    subjects = {key(t.subject) for t in triples}
    assert subjects | {"<https://example.org/described-nowhere>"} == set(owners)
    held = [set(part.triples) for part in parts]
    assert all(triple in held[owners[key(triple.subject)]] for triple in triples)
    assert owners["<https://example.org/described-nowhere>"] == len(parts) - 1


def test_results_are_sorted_and_stable():
    first = report(SHIPPED)
    again = validate_graph(asserted(SHIPPED), shapes(), "rudof")
    assert first.results == tuple(sorted(first.results))
    assert again.results == first.results
    assert all(isinstance(r, ValidationResult) for r in first.results)


def test_unknown_engine_is_refused():
    with pytest.raises(ShaclEngineError, match="unknown SHACL engine"):
        validate_graph(Graph(), shapes(), "jena")  # type: ignore[arg-type]


def test_cli_engine_option(capsys):
    bad = DATA / "invalid" / "end-before-start.ttl"
    assert main(["validate", str(bad), "--shacl-engine", "rudof"]) == 1
    assert "rsgsh:TenureDatesShape" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["validate", "--shacl-engine", "jena"])
    assert refused.value.code == 2
