"""Property-based tests: random graphs survive every RDF export; random parameters are safe."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef

import roscosmos_graph
from context import isomorphic
from roscosmos_graph import ASSERTED_GRAPH, ID, RSG, ParameterError
from roscosmos_graph.export.rdf import RDF_FORMATS, write_rdf
from roscosmos_graph.terms import from_oxigraph

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])

RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                  "jsonld": "json-ld", "rdfxml": "xml"}
OXIGRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                    "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
                    "jsonld": ox.RdfFormat.JSON_LD,
                    "rdfxml": ox.RdfFormat.RDF_XML}

# Text that XML 1.0 can carry (RDF/XML refuses the rest, tested in test_security), with
# the awkward characters drawn often.
ODD = ['"', "'", "\\", "\n", "\r", "\t", "\r\n", "<", ">", "&", "{", "}", "]]>", "#", "@",
       "ё", "Й", "е\u0308", "\u0301", "\u200b", "\u2028", "\ufeff", "😀", "\U0010fffd", "  ",
       "\\u0041", '"""', "'''", "^^", "_:x"]
XML_CHAR = st.characters(codec="utf-8").filter(
    lambda c: c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"
    or c >= "\U00010000")
TEXT = st.lists(st.one_of(st.sampled_from(ODD), XML_CHAR), max_size=12).map("".join)
LOCAL = st.text(alphabet="abcxyz0189-_.~é", min_size=1, max_size=10)

IRIS = st.one_of(LOCAL.map(lambda s: URIRef(str(ID) + s)),
                 st.sampled_from([URIRef("https://example.org/a b".replace(" ", "%20")),
                                  URIRef("http://dbpedia.org/resource/Sergei_Korolev_(engineer)"),
                                  URIRef("urn:isbn:0451450523")]))
BNODES = st.integers(0, 5).map(lambda i: BNode(f"b{i}"))
PREDICATES = st.sampled_from([RDFS.label, RDFS.comment, RSG.launchDate, RSG.country,
                              URIRef("https://schema.org/birthDate"), RDF.first, RDF.rest,
                              URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
                              URIRef("http://example.org/vocab/p-1")])
LITERALS = st.one_of(
    TEXT.map(Literal),
    st.tuples(TEXT, st.sampled_from(["en", "ru", "en-gb"])).map(
        lambda t: Literal(t[0], lang=t[1])),
    st.dates().map(lambda d: Literal(d.isoformat(), datatype=XSD.date)),
    st.integers(-10**20, 10**20).map(lambda i: Literal(str(i), datatype=XSD.integer)),
    st.booleans().map(lambda b: Literal("true" if b else "false", datatype=XSD.boolean)),
    st.tuples(TEXT, LOCAL).map(lambda t: Literal(t[0], datatype=URIRef(str(ID) + "dt-" + t[1]))),
)
SUBJECTS = st.one_of(IRIS, BNODES)
OBJECTS = st.one_of(IRIS, BNODES, LITERALS)


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    graph = Graph()
    for s, p, o in draw(st.lists(st.tuples(SUBJECTS, PREDICATES, OBJECTS), min_size=1,
                                 max_size=25)):
        graph.add((s, p, o))
    return graph


def _read_rdflib(path: Path, fmt: str) -> Graph:
    if fmt in ("nquads", "trig"):
        dataset = Dataset()
        dataset.parse(path, format=fmt)
        return dataset.graph(ASSERTED_GRAPH)
    return Graph().parse(path, format=RDFLIB_FORMATS[fmt])


def _read_oxigraph(path: Path, fmt: str) -> Graph:
    graph, bnodes = Graph(), {}
    for quad in ox.parse(path.read_bytes(), format=OXIGRAPH_FORMATS[fmt]):
        graph.add((from_oxigraph(quad.subject, bnodes), from_oxigraph(quad.predicate),
                   from_oxigraph(quad.object, bnodes)))
    return graph


def _show(graph: Graph) -> str:
    return "\n".join(sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph))


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
@SETTINGS
@given(graph=graphs())
def test_random_graphs_round_trip_through_every_rdf_export(fmt: str, graph: Graph):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"out{RDF_FORMATS[fmt]}"
        write_rdf(fmt, path, graph)
        for read in (_read_rdflib, _read_oxigraph):
            back = read(path, fmt)
            assert isomorphic(back, graph), f"{read.__name__}:\n{_show(back)}\n---\n{_show(graph)}"


def _state(kg: roscosmos_graph.KnowledgeGraph) -> tuple[int, int]:
    graph: Graph = kg.store.graph  # type: ignore[attr-defined]
    return len(graph), hash(frozenset(graph))


SLOTS = [(q.name, p.name) for q in roscosmos_graph.queries() for p in q.parameters]
VALID = {"date": "2020-01-01", "entity": "id:roscosmos", "iri": "rdfs:label",
         "string": "Roscosmos"}


def _with_required(name: str, parameter: str, value: str) -> dict[str, str]:
    """``value`` for ``parameter``, and a valid value for every other required parameter."""
    query = roscosmos_graph.get_query(name)
    params = {p.name: VALID[p.type] for p in query.parameters
              if p.required and p.name != parameter}
    return {**params, parameter: value}
VALUES = st.one_of(
    TEXT,
    st.text(max_size=30),
    st.sampled_from(['x" || true || "', "id:roscosmos> } ; DROP ALL ; { <x", "}", "{", "'",
                     "http://a b", "<id:roscosmos>", "id:roscosmos", "2020-01-01",
                     "2020-02-30", "SERVICE <http://example.org/>", "?s", "$o", "UNDEF",
                     "\\", "1) } INSERT DATA { <a:b> <a:c> 1 } #", "королёв"]),
)


@pytest.fixture(scope="module")
def before(kg: roscosmos_graph.KnowledgeGraph) -> tuple[int, int]:
    return _state(kg)


@SETTINGS
@given(slot=st.sampled_from(SLOTS), value=VALUES)
def test_random_parameter_values_bind_safely(kg, before, slot: tuple[str, str], value: str):
    name, parameter = slot
    try:
        result = kg.query(name, **_with_required(name, parameter, value))
    except ParameterError as error:
        assert error.parameter in (parameter, "label")
    else:
        assert all(len(row) == len(result.variables) for row in result.rows)
    assert _state(kg) == before
