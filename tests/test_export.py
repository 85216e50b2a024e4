"""Exports: RDF formats round-trip, property graphs match counts computed with SPARQL."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph

import jena
import roscosmos_graph
from context import isomorphic
from roscosmos_graph.cli import main
from roscosmos_graph.export import CONTEXT_FILE, ExportError, export, turtle, write_context
from roscosmos_graph.export.rdf import canonical
from roscosmos_graph.terms import from_oxigraph, to_oxigraph

RDF_FILES = {"turtle": ("out.ttl", "turtle", ox.RdfFormat.TURTLE),
             "trig": ("out.trig", "trig", ox.RdfFormat.TRIG),
             "ntriples": ("out.nt", "nt", ox.RdfFormat.N_TRIPLES),
             "jsonld": ("out.jsonld", "json-ld", ox.RdfFormat.JSON_LD),
             "rdfxml": ("out.rdf", "xml", ox.RdfFormat.RDF_XML)}

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rsg: <https://w3id.org/roscosmos-graph/def#>
"""
# Entities are typed IRIs of the id: namespace; n-ary nodes are those with both ends.
ENTITY = ("?{v} a ?{v}Type . FILTER (isIRI(?{v}) && "
          "STRSTARTS(STR(?{v}), \"https://w3id.org/roscosmos-graph/id/\"))")
NARY_ENDS = """
  {{ ?{x} a rsg:Tenure ; org:member ?{s} .
     {{ ?{x} org:organization ?{t} }}
     UNION {{ ?{x} rsg:aboard ?{t} FILTER NOT EXISTS {{ ?{x} org:organization ?any1 }} }} }}
  UNION
  {{ ?{x} org:originalOrganization ?{s} ; org:resultingOrganization ?{t} .
     FILTER NOT EXISTS {{ ?{x} a rsg:Tenure }} }}
  UNION
  {{ ?{x} rsg:person ?{s} ; rsg:organization ?{t} .
     FILTER NOT EXISTS {{ ?{x} a rsg:Tenure }}
     FILTER NOT EXISTS {{ ?{x} org:originalOrganization|org:resultingOrganization ?any2 }} }}
"""


def _nary_filter(var: str) -> str:
    ends = NARY_ENDS.format(x=var, s=f"{var}S", t=f"{var}T")
    return f"FILTER NOT EXISTS {{ {ends} }}"


def expected_counts(graph: Graph) -> tuple[int, int]:
    """Nodes and edges of the collapsed property graph, by SPARQL alone (run by Oxigraph)."""
    store, bnodes = ox.Store(), {}
    store.extend([ox.Quad(to_oxigraph(s, bnodes), to_oxigraph(p, bnodes),
                          to_oxigraph(o, bnodes)) for s, p, o in graph])
    nodes = ("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { "
             + ENTITY.format(v="e") + _nary_filter("e") + " }")
    plain = ("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . "
             "FILTER (?p != rdf:type) " + ENTITY.format(v="s") + ENTITY.format(v="o")
             + _nary_filter("s") + _nary_filter("o") + " } }")
    nary = ("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?x ?a ?b WHERE { "
            + NARY_ENDS.format(x="x", s="a", t="b") + ENTITY.format(v="a")
            + ENTITY.format(v="b") + _nary_filter("a") + _nary_filter("b") + " } }")
    count = [int(next(iter(store.query(PREFIXES + text)))[0].value)
             for text in (nodes, plain, nary)]
    return count[0], count[1] + count[2]


@pytest.fixture(scope="module")
def counts(kg: roscosmos_graph.KnowledgeGraph) -> tuple[int, int]:
    return expected_counts(kg.asserted)


@pytest.fixture(scope="module")
def out(kg: roscosmos_graph.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    for fmt, (name, _, _) in RDF_FILES.items():
        export(kg, fmt, folder / name)
    export(kg, "nquads", folder / "out.nq", inferred=True)
    export(kg, "graphml", folder / "out.graphml")
    export(kg, "gexf", folder / "out.gexf")
    export(kg, "cytoscape", folder / "out.cyjs")
    export(kg, "neo4j", folder / "neo4j")
    export(kg, "graphml", folder / "nary.graphml", keep_nary=True)
    return folder


def _oxigraph(path: Path, fmt: ox.RdfFormat) -> Graph:
    graph, bnodes = Graph(), {}
    for t in ox.parse(path.read_bytes(), format=fmt):
        graph.add((from_oxigraph(t.subject, bnodes), from_oxigraph(t.predicate),
                   from_oxigraph(t.object, bnodes)))
    return graph


@pytest.mark.parametrize("fmt", sorted(RDF_FILES))
def test_rdf_export_parses_back_isomorphic_with_rdflib(kg, out, fmt):
    name, rdflib_format, _ = RDF_FILES[fmt]
    if fmt == "trig":
        dataset = Dataset()
        dataset.parse(out / name, format="trig")
        parsed = Graph()
        for s, p, o, _ in dataset.quads():
            parsed.add((s, p, o))
    else:
        parsed = Graph().parse(out / name, format=rdflib_format)
    assert len(parsed) == len(kg.asserted)
    assert isomorphic(parsed, kg.asserted)


@pytest.mark.parametrize("fmt", sorted(RDF_FILES))
def test_rdf_export_parses_back_isomorphic_with_oxigraph(kg, out, fmt):
    name, _, ox_format = RDF_FILES[fmt]
    parsed = _oxigraph(out / name, ox_format)
    assert len(parsed) == len(kg.asserted)
    assert isomorphic(parsed, kg.asserted)


@pytest.mark.slow
@pytest.mark.skipif(not jena.available(), reason="Java and Debian's libapache-jena-java")
def test_every_rdf_export_loads_in_jena_with_the_same_triple_count(kg, out, tmp_path):
    files = [out / name for name, _, _ in RDF_FILES.values()]
    counts = {}
    for options, group in (((), [f for f in files if f.suffix != ".jsonld"]),
                           (("--syntax=JSON-LD-10",), [f for f in files if f.suffix == ".jsonld"])):
        done = jena.run(tmp_path, "riotcmd.riot", "--count", *options, *map(str, group))
        assert done.returncode == 0, done.stderr
        counts |= dict(re.findall(r"^(\S+) : (?:Triples|Quads) = ([\d,]+)$",
                                  done.stdout + done.stderr, re.M))
    assert {Path(k.removeprefix("file://")).name: int(v.replace(",", ""))
            for k, v in counts.items()} == {
        path.name: len(kg.asserted) for path in files}


def test_nquads_keeps_asserted_and_inferred_in_separate_named_graphs(kg, out):
    dataset = Dataset()
    dataset.parse(out / "out.nq", format="nquads")
    graphs = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    assert sorted(graphs) == [str(roscosmos_graph.ASSERTED_GRAPH),
                              str(roscosmos_graph.INFERRED_GRAPH)]
    assert isomorphic(graphs[str(roscosmos_graph.ASSERTED_GRAPH)], kg.asserted)
    assert isomorphic(graphs[str(roscosmos_graph.INFERRED_GRAPH)], kg.inferred)
    quads = list(ox.parse((out / "out.nq").read_bytes(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(kg.asserted) + len(kg.inferred)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_nquads_and_trig_name_their_graphs_alike(kg, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    export(kg, fmt, path, inferred=True)
    by_graph = Counter(str(q.graph_name) for q in ox.parse(
        path.read_bytes(), format=ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG))
    assert by_graph == {f"<{roscosmos_graph.ASSERTED_GRAPH}>": len(kg.asserted),
                        f"<{roscosmos_graph.INFERRED_GRAPH}>": len(kg.inferred)}
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    assert isomorphic(dataset.graph(roscosmos_graph.ASSERTED_GRAPH), kg.asserted)
    assert isomorphic(dataset.graph(roscosmos_graph.INFERRED_GRAPH), kg.inferred)


def test_ntriples_lines_are_sorted(out):
    lines = (out / "out.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)


def test_turtle_does_not_depend_on_insertion_order(kg):
    shuffled = Graph()
    for triple in sorted(kg.asserted, key=str, reverse=True):
        shuffled.add(triple)
    assert turtle(canonical(shuffled)) == turtle(canonical(kg.asserted))


def test_turtle_lists_subjects_sorted_with_type_first(out):
    text = (out / "out.ttl").read_text(encoding="utf-8")
    blocks = text.split("\n\n")[1:]
    subjects = [b.split("\n", 1)[0] for b in blocks]
    assert "id:dmitry-rogozin" in subjects
    rogozin = blocks[subjects.index("id:dmitry-rogozin")].splitlines()
    assert rogozin[1:3] == ['    a rsg:Person ;',
                            '    rdfs:label "Dmitry Rogozin"@en , "Дмитрий Рогозин"@ru ;']


def test_jsonld_reads_as_plain_json_with_its_context_inline(kg, out, tmp_path):
    document = json.loads((out / "out.jsonld").read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".jsonld")) == ["out.jsonld"]
    context = document["@context"]
    write_context(tmp_path / CONTEXT_FILE, kg.asserted)
    assert json.loads((tmp_path / CONTEXT_FILE).read_text(encoding="utf-8")) == {
        "@context": context}
    assert context["label_ru"] == {"@id": "rdfs:label", "@language": "ru"}
    assert context["birthDate"] == {"@id": "schema:birthDate", "@type": "xsd:date"}
    node = next(n for n in document["@graph"] if n["@id"] == "id:dmitry-rogozin")
    assert node["label_en"] == "Dmitry Rogozin"
    assert node["label_ru"] == "Дмитрий Рогозин"
    assert node["birthDate"] == "1963-12-21"
    assert node["country"] == "id:russia"


def test_graphml_loads_into_networkx_with_the_expected_counts(out, counts):
    graph = nx.read_graphml(out / "out.graphml", force_multigraph=True)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == counts
    rogozin = graph.nodes["id:dmitry-rogozin"]
    assert rogozin["label_en"] == "Dmitry Rogozin"
    assert rogozin["label_ru"] == "Дмитрий Рогозин"
    assert rogozin["birthDate"] == "1963-12-21"
    tenure = [d for _, t, d in graph.out_edges("id:dmitry-rogozin", data=True)
              if d["type"] == "Tenure" and t == "id:roscosmos"]
    assert [(d["startDate"], d["endDate"], d["role"]) for d in tenure] == [
        ("2018-05-24", "2022-07-15", "id:role-head-of-agency")]


def test_property_graphs_leave_the_citation_blank_nodes_out(kg, out):
    blank = {str(t) for triple in kg.asserted for t in triple if isinstance(t, BNode)}
    assert blank
    graph = nx.read_graphml(out / "out.graphml", force_multigraph=True)
    keys = {key for _, data in graph.nodes(data=True) for key in data}
    values = {part for _, data in graph.nodes(data=True) for value in data.values()
              for part in str(value).split("; ")}
    assert "qualifiedDerivation" not in keys
    assert values & blank == set()


def test_graphml_keep_nary_keeps_tenures_as_nodes(out, counts):
    graph = nx.read_graphml(out / "nary.graphml", force_multigraph=True)
    assert graph.nodes["id:dmitry-rogozin-head-of-agency"]["startDate"] == "2018-05-24"
    assert graph.has_edge("id:dmitry-rogozin-head-of-agency", "id:roscosmos")
    assert graph.number_of_nodes() > counts[0]


def test_gexf_loads_into_networkx_with_the_expected_counts(out, counts):
    graph = nx.read_gexf(out / "out.gexf")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == counts
    rogozin = graph.nodes["id:dmitry-rogozin"]
    assert rogozin["label"] == "Dmitry Rogozin"
    assert rogozin["label_en"] == "Dmitry Rogozin"
    assert rogozin["label_ru"] == "Дмитрий Рогозин"


def _plain(attrs: dict) -> dict[str, str]:
    """Attributes as text, without the ids each format adds; lists joined as in GraphML."""
    return {k: "; ".join(map(str, v)) if isinstance(v, list) else str(v)
            for k, v in attrs.items() if k not in ("id", "value", "key", "source", "target")}


def test_graphml_gexf_and_cytoscape_load_into_networkx_alike(out, counts):
    graphs = {"graphml": nx.read_graphml(out / "out.graphml", force_multigraph=True),
              "gexf": nx.read_gexf(out / "out.gexf"),
              "cytoscape": nx.cytoscape_graph(
                  json.loads((out / "out.cyjs").read_text(encoding="utf-8")))}
    views = {}
    for name, graph in graphs.items():
        assert (graph.number_of_nodes(), graph.number_of_edges()) == counts, name
        nodes = {n: _plain(d) for n, d in graph.nodes(data=True)}
        edges = sorted((s, t, sorted(_plain(d).items())) for s, t, d in graph.edges(data=True))
        views[name] = (nodes, edges)
    assert views["gexf"] == views["graphml"]
    assert views["cytoscape"] == views["graphml"]
    tenure = [d for _, t, d in graphs["gexf"].out_edges("id:dmitry-rogozin", data=True)
              if d["type"] == "Tenure" and t == "id:roscosmos"]
    assert [d["label"] for d in tenure] == ["id:dmitry-rogozin-head-of-agency"]


def test_neo4j_csv_follows_the_import_conventions(out, counts):
    with open(out / "neo4j" / "nodes.csv", encoding="utf-8", newline="") as handle:
        nodes = list(csv.reader(handle))
    with open(out / "neo4j" / "relationships.csv", encoding="utf-8", newline="") as handle:
        rels = list(csv.reader(handle))
    assert nodes[0][:2] == ["id:ID", ":LABEL"]
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    typed = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*:(string|long|float|boolean|date)(\[\])?$")
    assert [h for h in nodes[0][2:] + rels[0][3:] if not typed.match(h)] == []
    assert "startDate:date" in rels[0]
    assert "birthDate:date" in nodes[0]
    assert (len(nodes) - 1, len(rels) - 1) == counts
    ids = {row[0] for row in nodes[1:]}
    assert {row[0] for row in rels[1:]} | {row[1] for row in rels[1:]} <= ids
    rogozin = dict(zip(nodes[0], next(r for r in nodes if r[0] == "id:dmitry-rogozin"),
                       strict=True))
    assert rogozin[":LABEL"] == "Entity;Person"
    assert rogozin["label_ru:string"] == "Дмитрий Рогозин"
    cypher = (out / "neo4j" / "load.cypher").read_text(encoding="utf-8")
    assert "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row" in cypher
    assert "MERGE (a)-[r:`Tenure` {iri: row.`iri:string`}]->(b)" in cypher
    assert "MERGE (a)-[r:`facilityOf`]->(b)" in cypher
    assert re.findall(r"CREATE \(a\)|CREATE \(n", cypher) == []


def test_load_cypher_merge_keys_tell_every_relationship_apart(out):
    # A rerun of load.cypher leaves the same graph only if no two rows share a MERGE key:
    # (start, end, type, iri) for n-ary edges, (start, end, type) for the others.
    with open(out / "neo4j" / "relationships.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = [(r[":START_ID"], r[":END_ID"], r[":TYPE"], r["iri:string"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert any(key[3] for key in keys)


def test_cytoscape_edges_reference_only_existing_nodes(out, counts):
    elements = json.loads((out / "out.cyjs").read_text(encoding="utf-8"))["elements"]
    ids = [n["data"]["id"] for n in elements["nodes"]]
    assert len(ids) == len(set(ids))
    ends = {e["data"][k] for e in elements["edges"] for k in ("source", "target")}
    assert ends <= set(ids)
    assert (len(elements["nodes"]), len(elements["edges"])) == counts
    rogozin = next(n["data"] for n in elements["nodes"] if n["data"]["id"] == "id:dmitry-rogozin")
    assert (rogozin["label_en"], rogozin["label_ru"]) == ("Dmitry Rogozin", "Дмитрий Рогозин")


def test_unknown_format_is_refused(kg, tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'dot'"):
        export(kg, "dot", tmp_path / "out.dot")
    assert list(tmp_path.iterdir()) == []


def test_cli_export_writes_what_the_api_writes(kg, out, tmp_path, capsys):
    target = tmp_path / "cli.nt"
    assert main(["export", "--format", "ntriples", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_bytes() == (out / "out.nt").read_bytes()
