"""The release build: reproducible, described, checksummed, atomic; and the diff."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

import roscosmos_graph
from context import isomorphic
from roscosmos_graph import diagrams
from roscosmos_graph.atomic import replace_folder
from roscosmos_graph.build import _data_as_of, build, write_release
from roscosmos_graph.cli import main
from roscosmos_graph.diagrams import DiagramError, leaders_svg, lineage_svg
from roscosmos_graph.diff import diff_graphs, load_side
from roscosmos_graph.errors import BuildError
from roscosmos_graph.ontology_docs import ontology_docs_html
from roscosmos_graph.site import entity_path

pytestmark = pytest.mark.slow  # every test here builds a release of the whole graph

DATA = Path(__file__).parent / "data"
LINEAGE_IMAGE = Path(__file__).parents[1] / "docs" / "lineage.svg"
VOID = Namespace("http://rdfs.org/ns/void#")
RELEASE = [".roscosmos-graph-output", "SHA256SUMS", "context.jsonld", "diagrams/facilities.svg", "diagrams/leaders.svg",
           "diagrams/lineage.svg", "neo4j/.roscosmos-graph-output", "neo4j/load.cypher", "neo4j/nodes.csv",
           "neo4j/relationships.csv", "ontology.html", "roscosmos-inferred.ttl",
           "roscosmos.cyjs", "roscosmos.gexf", "roscosmos.graphml", "roscosmos.jsonld",
           "roscosmos.nq", "roscosmos.nt", "roscosmos.rdf", "roscosmos.trig", "roscosmos.ttl",
           "void.ttl"]
"""Every file of a release outside ``site/``."""
SVG = "{http://www.w3.org/2000/svg}"


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


def _outside_site(names) -> list[str]:
    return sorted(name for name in names if not name.startswith("site/"))


def test_release_holds_every_export_diagram_and_page(releases):
    assert _outside_site(_tree(releases[0])) == RELEASE


def test_release_holds_the_site_with_a_page_per_entity(kg, releases):
    site = {name[len("site/"):] for name in _tree(releases[0]) if name.startswith("site/")}
    assert {"index.html", "style.css", "diagrams/lineage.svg", "diagrams/leaders.svg",
            "diagrams/facilities.svg"} <= site
    entities = {path for s in kg.data.subjects() if (path := entity_path(str(s)))}
    assert len(entities) > 100
    for page in entities:
        stem = page[: -len(".html")]
        assert {page, f"{stem}.ttl", f"{stem}.jsonld"} <= site, page


def test_release_diagrams_are_svg_naming_what_they_draw(kg, releases):
    folder = releases[0] / "diagrams"
    expected = {"lineage": {r[k] for r in kg.query("lineage").records()
                            for k in ("fromName", "toName")},
                "leaders": {r["name"] for r in kg.query("heads").records()},
                "facilities": {r["name"] for r in kg.query("facilities").records()
                               if r["lat"] is not None}}
    for name, names in expected.items():
        root = ET.parse(folder / f"{name}.svg").getroot()
        assert root.tag == f"{SVG}svg"
        text = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
        assert names and all(str(n) in text for n in names), name


def test_running_tenures_end_on_the_datas_last_date_not_the_clocks(kg, releases):
    as_of = _data_as_of(kg.data)
    assert as_of is not None
    assert (releases[0] / "diagrams" / "leaders.svg").read_text(encoding="utf-8") == \
        leaders_svg(kg, today=as_of)


def _svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return sorted(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_the_committed_lineage_image_shows_the_current_graph(kg):
    assert _svg_texts(LINEAGE_IMAGE.read_bytes()) == _svg_texts(lineage_svg(kg).encode()), \
        "docs/lineage.svg is out of date: roscosmos-graph diagram lineage -o docs/lineage.svg"


def test_release_holds_the_ontology_documentation(kg, releases):
    assert (releases[0] / "ontology.html").read_text(encoding="utf-8") == \
        ontology_docs_html(kg.ontology)


def test_two_builds_are_byte_identical(releases):
    first, second = releases
    assert (first / "SHA256SUMS").read_bytes() == (second / "SHA256SUMS").read_bytes()
    assert _tree(first) == _tree(second)


@pytest.fixture(scope="module")
def other_process_release(tmp_path_factory) -> Path:
    """The release written by ``roscosmos-graph build`` in a process with another hash seed."""
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    out = tmp_path_factory.mktemp("other-process") / "dist"
    done = subprocess.run([sys.executable, "-m", "roscosmos_graph", "build", "-o", str(out)],
                          env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return out


def _sums(folder: Path, *, site: bool) -> dict[str, str]:
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    pairs = (reversed(line.split("  ", 1)) for line in lines)
    return {name: digest for name, digest in pairs if name.startswith("site/") == site}


def test_a_build_in_another_process_is_byte_identical(releases, other_process_release):
    assert _sums(other_process_release, site=False) == _sums(releases[0], site=False)


def test_a_build_in_another_process_has_a_byte_identical_site(releases, other_process_release):
    assert _sums(other_process_release, site=True) == _sums(releases[0], site=True)


def test_checksums_cover_every_other_file(releases):
    folder = releases[0]
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    sums = dict(reversed(line.split("  ", 1)) for line in lines)
    # the manifest is written last and lists SHA256SUMS too
    top = {"SHA256SUMS", ".roscosmos-graph-output"}
    assert sorted(sums) == sorted(set(_tree(folder)) - top)
    assert _outside_site(sums) == [name for name in RELEASE if name not in top]
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


def _previous_release(tmp_path: Path) -> Path:
    """A folder written by an earlier run: two files and the manifest that marks it."""
    dist = tmp_path / "dist"

    def fill(staging: Path) -> None:
        (staging / "previous.txt").write_text("release 1\n", encoding="utf-8")
        (staging / "SHA256SUMS").write_text("previous\n", encoding="utf-8")

    replace_folder(dist, fill)
    assert sorted(_tree(dist)) == [".roscosmos-graph-output", "SHA256SUMS", "previous.txt"]
    return dist


def test_a_failing_export_leaves_the_previous_release_untouched(kg, tmp_path):
    dist = _previous_release(tmp_path)
    before = _tree(dist)
    with pytest.raises(BuildError, match="unknown export format 'no-such-format'"):
        write_release(kg, dist, formats=("turtle", "no-such-format"))
    assert _tree(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_failing_diagram_leaves_the_previous_release_untouched(kg, tmp_path, monkeypatch):
    def no_graphviz(dot: str, fmt: str = "svg") -> bytes:
        raise DiagramError("Graphviz 'dot' is not installed; install the graphviz package")

    monkeypatch.setattr(diagrams, "render_dot", no_graphviz)
    dist = _previous_release(tmp_path)
    before = _tree(dist)
    with pytest.raises(BuildError, match="left as it was: Graphviz 'dot' is not installed"):
        write_release(kg, dist)
    assert _tree(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_graph_with_violations_builds_nothing_and_exits_1(tmp_path, capsys):
    dist = _previous_release(tmp_path)
    before = _tree(dist)
    invalid = DATA / "invalid" / "end-before-start.ttl"
    assert main(["build", str(invalid), "-o", str(dist)]) == 1
    assert "does not conform" in capsys.readouterr().err
    assert _tree(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_build_writes_the_release_when_the_graph_conforms(kg, report, tmp_path):
    assert report.conforms
    written = [p.as_posix() for p in build(kg, tmp_path / "dist", report=report)]
    assert written == sorted(_tree(tmp_path / "dist"))
    assert _outside_site(written) == RELEASE


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


CITED = """@prefix id: <https://w3id.org/roscosmos-graph/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rsg: <https://w3id.org/roscosmos-graph/def#> .
@prefix schema: <https://schema.org/> .
"""


def test_diff_matches_blank_nodes_by_what_they_say(tmp_path):
    inline = CITED + ("id:x prov:qualifiedDerivation [ prov:entity id:src-a ; "
                      "rsg:forProperty schema:birthDate ] .\n")
    labelled = CITED + ("_:c rsg:forProperty schema:birthDate ; prov:entity id:src-a .\n"
                        "id:x prov:qualifiedDerivation _:c .\n")
    (tmp_path / "inline.ttl").write_text(inline, encoding="utf-8")
    (tmp_path / "labelled.ttl").write_text(labelled, encoding="utf-8")
    (tmp_path / "changed.ttl").write_text(inline.replace("birthDate", "deathDate"),
                                          encoding="utf-8")
    inline_graph = load_side(tmp_path / "inline.ttl")
    assert diff_graphs(inline_graph, load_side(tmp_path / "labelled.ttl")) == "No changes.\n"
    text = diff_graphs(inline_graph, load_side(tmp_path / "changed.ttl"))
    facts = sorted(line for line in text.splitlines()
                   if line[:2] in ("+ ", "- ") and "qualifiedDerivation" not in line)
    assert text.startswith("# 3 added, 3 removed\n")
    assert facts == ["+ prov:entity id:src-a", "+ rsg:forProperty schema:deathDate",
                     "- prov:entity id:src-a", "- rsg:forProperty schema:birthDate"]


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


def test_diff_runs_git_in_the_current_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # not a repository: the checkout is not consulted
    assert main(["diff", "git:HEAD", str(DATA / "valid" / "new-cosmonaut.ttl")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("roscosmos-graph: error: git rev-parse --verify: fatal: not a git "
                          "repository")


@pytest.mark.parametrize("rev", ["", "-h", "--output=/tmp/x", "HEAD; rm", "HEAD\nx"])
def test_diff_refuses_revisions_that_are_not_revision_names(rev):
    with pytest.raises(roscosmos_graph.ParameterError, match="is not a revision name"):
        load_side(f"git:{rev}")


def test_diff_of_a_git_path_reads_that_folder_only():
    data_only = load_side("git:HEAD:data")
    assert len(data_only) > 0
    assert len(load_side("git:HEAD")) > len(data_only)
