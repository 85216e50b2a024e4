"""The release build: reproducible, described, checksummed, atomic; and the diff."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

import roscosmos_graph
from roscosmos_graph.build import build, write_release
from roscosmos_graph.cli import main
from roscosmos_graph.diff import diff_graphs, load_side
from roscosmos_graph.errors import BuildError

DATA = Path(__file__).parent / "data"
VOID = Namespace("http://rdfs.org/ns/void#")
RELEASE = ["SHA256SUMS", "context.jsonld", "neo4j/load.cypher", "neo4j/nodes.csv",
           "neo4j/relationships.csv", "roscosmos-inferred.ttl", "roscosmos.cyjs",
           "roscosmos.gexf", "roscosmos.graphml", "roscosmos.jsonld", "roscosmos.nq",
           "roscosmos.nt", "roscosmos.rdf", "roscosmos.ttl", "void.ttl"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def releases(kg, tmp_path_factory) -> tuple[Path, Path]:
    first = tmp_path_factory.mktemp("one") / "dist"
    second = tmp_path_factory.mktemp("two") / "dist"
    write_release(kg, first)
    write_release(kg, second)
    return first, second


def test_release_holds_every_export(releases):
    assert sorted(_tree(releases[0])) == RELEASE


def test_two_builds_are_byte_identical(releases):
    first, second = releases
    assert (first / "SHA256SUMS").read_bytes() == (second / "SHA256SUMS").read_bytes()
    assert _tree(first) == _tree(second)


def test_checksums_cover_every_other_file(releases):
    folder = releases[0]
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    sums = dict(reversed(line.split("  ", 1)) for line in lines)
    assert sorted(sums) == [name for name in RELEASE if name != "SHA256SUMS"]
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_release_keeps_asserted_and_inferred_apart(kg, releases):
    folder = releases[0]
    assert isomorphic(Graph().parse(folder / "roscosmos.ttl"), kg.asserted)
    assert isomorphic(Graph().parse(folder / "roscosmos-inferred.ttl"), kg.inferred)


def test_void_describes_version_licence_counts_and_links(kg, releases):
    void = Graph().parse(releases[0] / "void.ttl")
    dataset = URIRef("https://w3id.org/roscosmos-graph/dataset")
    base = "https://w3id.org/roscosmos-graph/dataset/"
    assert void.value(dataset, URIRef("http://www.w3.org/ns/dcat#version")) == Literal(
        roscosmos_graph.__version__)
    assert void.value(dataset, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    assert void.value(URIRef(base + "asserted"), VOID.triples).toPython() == len(kg.asserted)
    assert void.value(URIRef(base + "inferred"), VOID.triples).toPython() == len(kg.inferred)
    people = kg.sparql("PREFIX rsg: <https://w3id.org/roscosmos-graph/def#>\n"
                       "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a rsg:Person }")
    partition = URIRef(base + "class/rsg-Person")
    assert void.value(partition, VOID.entities).toPython() == int(str(people.rows[0][0]))
    label = URIRef(base + "property/rdfs-label")
    assert void.value(label, VOID.property) == URIRef(
        "http://www.w3.org/2000/01/rdf-schema#label")
    for target, host in (("wikipedia", "wikipedia"), ("dbpedia", "dbpedia")):
        links = kg.asserted.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . FILTER (isIRI(?o) && REGEX(STR(?o), "
            f'"^https?://([^/]*\\\\.)?{host}\\\\.org\\\\.?/")) }}')
        linksets = list(void.subjects(VOID.objectsTarget, URIRef(f"{base}target/{target}")))
        expected = int(next(iter(links))[0])
        assert expected > 0
        assert sum(void.value(ls, VOID.triples).toPython() for ls in linksets) == expected


def test_a_failing_export_leaves_the_previous_release_untouched(kg, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "previous.txt").write_text("release 1\n", encoding="utf-8")
    with pytest.raises(BuildError, match="unknown export format 'no-such-format'"):
        write_release(kg, dist, formats=("turtle", "no-such-format"))
    assert _tree(dist) == {"previous.txt": b"release 1\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_graph_with_violations_builds_nothing_and_exits_1(tmp_path, capsys):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "previous.txt").write_text("release 1\n", encoding="utf-8")
    invalid = DATA / "invalid" / "end-before-start.ttl"
    assert main(["build", str(invalid), "-o", str(dist)]) == 1
    assert "does not conform" in capsys.readouterr().err
    assert _tree(dist) == {"previous.txt": b"release 1\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_build_writes_the_release_when_the_graph_conforms(kg, report, tmp_path):
    assert report.conforms
    assert [p.as_posix() for p in build(kg, tmp_path / "dist", report=report)] == RELEASE


NEW_FACT = '    schema:deathDate "2099-01-01"^^xsd:date ;\n'
OLD_FACT = '    skos:altLabel "Test Cosmonaut"@en ;\n'


def test_diff_shows_exactly_the_fact_added_and_the_fact_removed(tmp_path):
    source = (DATA / "valid" / "new-cosmonaut.ttl").read_text(encoding="utf-8")
    assert OLD_FACT in source
    changed = source.replace(OLD_FACT, NEW_FACT)
    (tmp_path / "old.ttl").write_text(source, encoding="utf-8")
    (tmp_path / "new.ttl").write_text(changed, encoding="utf-8")
    text = diff_graphs(load_side(tmp_path / "old.ttl"), load_side(tmp_path / "new.ttl"))
    facts = [line for line in text.splitlines() if line[:2] in ("+ ", "- ")]
    assert facts == ['+ schema:deathDate "2099-01-01"^^xsd:date',
                     '- skos:altLabel "Test Cosmonaut"@en']
    assert "## id:test-person (Test Person)" in text
    assert text.startswith("# 1 added, 1 removed\n")


def test_diff_of_identical_graphs_says_so(tmp_path, capsys):
    path = DATA / "valid" / "new-cosmonaut.ttl"
    assert main(["diff", str(path), str(path)]) == 0
    assert capsys.readouterr().out == "No changes.\n"


def test_diff_reads_the_shipped_files_at_a_git_revision():
    head = load_side("git:HEAD")
    ontology = URIRef("https://w3id.org/roscosmos-graph/def")
    assert (ontology, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef("http://www.w3.org/2002/07/owl#Ontology")) in head
    assert diff_graphs(head, head) == "No changes.\n"
