"""Queries cannot update, reach outside, or be reshaped by parameter values."""

from __future__ import annotations

import pytest
from rdflib import Graph

from context import isomorphic
from roscosmos_graph import ParameterError, QueryRefusedError, UnknownQueryError, get_query
from roscosmos_graph.cli import main

REFUSED = {
    "insert": "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
    "delete": "DELETE WHERE { ?s ?p ?o }",
    "load": "LOAD <http://example.org/data.ttl>",
    "clear": "CLEAR ALL",
    "drop": "DROP ALL",
    "create": "CREATE GRAPH <http://example.org/g>",
    "service": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "service-silent": "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
    "service-in-optional": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://x.org/> { ?s ?q ?r } } }",
    "service-in-subselect": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x.org/> { ?s ?p ?o } } } }",
    "from-http": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "from-file": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "from-named": "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_refused_queries_leave_the_graph_unchanged(kg, text):
    before = kg.store.graph.__len__(), set(kg.store.graph)
    with pytest.raises(QueryRefusedError):
        kg.sparql(text)
    assert (len(kg.store.graph), set(kg.store.graph)) == before


@pytest.mark.parametrize("text", [REFUSED["drop"], REFUSED["service"]], ids=["update", "service"])
def test_refused_query_exits_2(text, capsys):
    assert main(["sparql", "--no-reason", text]) == 2
    assert "roscosmos-graph: error:" in capsys.readouterr().err


def test_unknown_query_lists_the_known_ones():
    with pytest.raises(UnknownQueryError) as caught:
        get_query("no-such-query")
    assert "heads-on-date" in str(caught.value) and "lineage" in str(caught.value)


@pytest.mark.parametrize(("params", "parameter"), [
    ({}, "date"),
    ({"date": "2020-13-45"}, "date"),
    ({"date": "yesterday"}, "date"),
    ({"date": "2020-01-01", "extra": "1"}, "extra"),
])
def test_bad_parameters_name_the_parameter(kg, params, parameter):
    with pytest.raises(ParameterError) as caught:
        kg.query("heads-on-date", **params)
    assert caught.value.parameter == parameter
    assert f"parameter {parameter!r}" in str(caught.value)


def test_cli_bad_parameter_exits_2_and_names_type(capsys):
    assert main(["query", "heads-on-date", "--no-reason", "--param", "date=soon"]) == 2
    err = capsys.readouterr().err
    assert "parameter 'date'" in err and "YYYY-MM-DD" in err


@pytest.mark.parametrize("value", ['x" || true || "', 'a"} ; DROP ALL ; { "', "}{", '") } #'])
def test_literal_parameters_are_bound_as_literals(kg, value):
    size = len(kg.store.graph)
    assert len(kg.query("search", text=value)) == 0
    assert len(kg.store.graph) == size


@pytest.mark.parametrize("value", ["http://x> } ; DROP ALL ; <http://y", "http://a b", "<x>",
                                   "{}"])
def test_bad_iri_parameters_are_refused(kg, value):
    with pytest.raises(ParameterError) as caught:
        kg.query("news-about", entity=value)
    assert caught.value.parameter == "entity"


def test_binding_adds_only_a_values_clause():
    query = get_query("heads-on-date")
    bound = query.bind({"date": "2020-01-01"})
    clause = '\n  VALUES (?date) { ("2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }\n'
    assert bound.count(clause) == 1
    assert bound.replace(clause, "") == query.text


def test_unbound_optional_parameter_is_undef():
    assert "VALUES (?from ?to) { (UNDEF UNDEF) }" in get_query("command-changes").bind({})


def test_graph_is_isomorphic_after_refusals(kg):
    snapshot = Graph()
    snapshot += kg.store.graph
    for text in REFUSED.values():
        with pytest.raises(QueryRefusedError):
            kg.sparql(text)
    assert isomorphic(snapshot, kg.store.graph)


def test_missing_query_file_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "missing.rq"
    assert main(["sparql", "--no-reason", "--file", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"{missing}: no such query file" in err
    assert "Traceback" not in err
