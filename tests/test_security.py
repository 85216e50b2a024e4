"""Hostile and broken input: no network, no file reads, no updates, no runaway, nothing lost.

Network and file access are observed with the session's PEP 578 audit recorder
(``conftest.AuditRecorder``) and, for native engines the hook cannot see, with a loopback
listener that would notice any connection.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

import roscosmos_graph
import roscosmos_graph.catalog
import roscosmos_graph.guard
from context import isomorphic
from roscosmos_graph import (
    KnowledgeGraph,
    ParameterError,
    QueryRefusedError,
    TurtleSyntaxError,
    UndeclaredTermError,
)
from roscosmos_graph import graph as graph_module
from roscosmos_graph.cli import main
from roscosmos_graph.export import ExportError, export
from roscosmos_graph.export.rdf import INLINE_DEPTH, turtle
from roscosmos_graph.loading import MAX_NESTING, parse_turtle
from roscosmos_graph.resources import resource_dir
from roscosmos_graph.stores import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, MemoryStore

DATA = Path(__file__).parent / "data"
MALFORMED = DATA / "malformed"
UNDECLARED = DATA / "invalid" / "undeclared"
INPUTS = tuple(resource_dir(kind) for kind in ("ontology", "data", "shapes", "queries"))
EX = "http://example.org/"


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, str]]:
    """A loopback socket that would notice any connection, and its URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    try:
        yield server, f"http://127.0.0.1:{server.getsockname()[1]}/sparql"
    finally:
        server.close()


def _connections(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


@pytest.fixture(scope="module")
def small() -> Graph:
    graph = Graph()
    for i in range(30):
        graph.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(i)))
    return graph


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def small_kg(request: pytest.FixtureRequest, small: Graph) -> KnowledgeGraph:
    return KnowledgeGraph(Graph(), small, Graph(), [], store=request.param)


def _size(kg: KnowledgeGraph) -> int:
    return len(kg.store.graph) if isinstance(kg.store, MemoryStore) else len(kg.store)


# --------------------------------------------------------------------------- the instrument

def test_the_audit_recorder_sees_files_urls_and_sockets(audit, tmp_path: Path, listener):
    _, url = listener
    outside = Path(__file__)
    with audit.recording(tmp_path) as events:
        (tmp_path / "inside.txt").write_text("allowed")
        outside.read_bytes()
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            urllib.request.urlopen(url.replace("/sparql", "/"), timeout=0.5)  # never answered
    assert events[0] == ("open", str(outside.resolve()))
    assert [e for e, _ in events[1:]] == ["urllib.Request", "socket.connect"]
    assert events[1][1] == repr(url.replace("/sparql", "/"))


def test_rdflib_unguarded_would_fetch_what_the_guard_refuses(audit, tmp_path: Path, listener):
    # The doors this module proves closed are real: rdflib itself opens the file of a FROM
    # clause on a Dataset, and connects to the endpoint of a SERVICE clause.
    server, url = listener
    secret = tmp_path / "secret.ttl"
    secret.write_text(f"<{EX}a> <{EX}b> \"secret\" .\n")
    with audit.recording() as events:
        Dataset().query(f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}")
    assert ("open", str(secret.resolve())) in events
    def service() -> None:
        with contextlib.suppress(Exception):  # the listener closes without a reply
            list(Graph().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))

    with audit.recording() as events:
        caller = threading.Thread(target=service, daemon=True)
        caller.start()
        connections, deadline = 0, time.monotonic() + 10
        while not connections and time.monotonic() < deadline:
            time.sleep(0.05)
            connections = _connections(server)  # accepted and closed: the call then fails
        caller.join(10)
    assert any(event == "urllib.Request" and url in detail for event, detail in events)
    assert connections == 1


def test_the_memory_store_evaluates_where_no_socket_opens(listener):
    # Behind the guard, the memory store's evaluation runs in a sandboxed child: handed a
    # SERVICE query directly, it fails there without a connection.
    server, url = listener
    store = MemoryStore(Graph())
    with pytest.raises(roscosmos_graph.RoscosmosGraphError):
        store.run(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", timeout=5, row_cap=1)
    assert _connections(server) == 0


# --------------------------------------------------------------------------- 5: outside reach

def _outside_queries(url: str, secret: Path) -> dict[str, str]:
    file_iri = secret.as_uri()
    return {
        "service": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "service-silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "service-lowercase": f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        "service-escaped": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "service-in-optional": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> "
                               f"{{ ?s ?q ?r }} }} }}",
        "service-in-subselect": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> "
                                f"{{ ?s ?p ?o }} }} }} }}",
        "service-in-exists": f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "service-variable": "SELECT * WHERE { VALUES ?e { <" + url + "> } SERVICE ?e { ?s ?p ?o } }",
        "service-in-construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> "
                                f"{{ ?s ?p ?o }} }}",
        "from-http": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "from-file": f"SELECT * FROM <{file_iri}> WHERE {{ ?s ?p ?o }}",
        "from-named-http": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "from-named-file": f"SELECT * FROM NAMED <{file_iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "from-in-ask": f"ASK FROM <{file_iri}> {{ ?s ?p ?o }}",
        "from-in-describe": f"DESCRIBE ?s FROM <{file_iri}> WHERE {{ ?s ?p ?o }}",
    }


OUTSIDE_NAMES = sorted(_outside_queries("http://x/", Path("/x")))


@pytest.mark.parametrize("name", OUTSIDE_NAMES)
def test_outside_queries_are_refused_before_evaluation(small_kg, audit, listener, tmp_path,
                                                       name):
    server, url = listener
    secret = tmp_path / "secret.ttl"
    secret.write_text(f"<{EX}a> <{EX}b> \"secret\" .\n")
    text = _outside_queries(url, secret)[name]
    size = _size(small_kg)
    with audit.recording() as events, pytest.raises(QueryRefusedError) as caught:
        small_kg.sparql(text)
    assert str(caught.value) in (
        "SERVICE is not allowed: queries never leave the graph",
        "FROM and FROM NAMED are not allowed: queries run on this graph only")
    assert events == []
    assert _connections(server) == 0
    assert _size(small_kg) == size


@pytest.mark.parametrize("name", ["service-silent", "from-file"])
def test_cli_refuses_outside_queries_with_exit_2(audit, listener, tmp_path, capsys, name):
    server, url = listener
    secret = tmp_path / "secret.ttl"
    secret.write_text(f"<{EX}a> <{EX}b> \"secret\" .\n")
    text = _outside_queries(url, secret)[name]
    with audit.recording(*INPUTS) as events:
        code = main(["sparql", "--no-reason", "--store", "oxigraph", text])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith("roscosmos-graph: error: ")
    assert "Traceback" not in captured.err
    assert events == []
    assert _connections(server) == 0


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_graph_clause_with_a_file_iri_reads_no_file(small, audit, tmp_path, store):
    secret = tmp_path / "secret.ttl"
    secret.write_text(f"<{EX}a> <{EX}b> \"secret\" .\n")
    kg = KnowledgeGraph(Graph(), small, Graph(), [], store=store)
    text = f"SELECT * WHERE {{ GRAPH <{secret.as_uri()}> {{ ?s ?p ?o }} }}"
    with audit.recording() as events:
        if store == "memory":  # rdflib has no named graphs here, and says so
            with pytest.raises(roscosmos_graph.StoreError, match="requiring a dataset"):
                kg.sparql(text)
        else:
            assert kg.sparql(text).rows == ()
    assert events == []


# --------------------------------------------------------------------------- 6: imports, contexts

IMPORTS = f"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
<{EX}ontology> a owl:Ontology ;
    owl:imports <http://example.org/remote-ontology.ttl> , <https://www.w3.org/ns/org> .
"""


@pytest.mark.slow  # owlrl, the reference reasoner, on the whole graph: a minute
def test_owl_imports_are_never_followed(audit, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("ROSCOSMOS_GRAPH_CACHE", str(tmp_path / "cache"))
    extra = tmp_path / "imports.ttl"
    extra.write_text(IMPORTS)
    with audit.recording(tmp_path, *INPUTS) as events:
        kg = roscosmos_graph.load([extra], engine="owlrl", cache=False)
        report = kg.validate()
    assert events == []
    assert report.conforms
    assert (URIRef(f"{EX}ontology"), URIRef("http://www.w3.org/2002/07/owl#imports"),
            URIRef("http://example.org/remote-ontology.ttl")) in kg.asserted


def test_cli_validate_with_owl_imports_stays_offline(audit, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("ROSCOSMOS_GRAPH_CACHE", str(tmp_path / "cache"))
    extra = tmp_path / "imports.ttl"
    extra.write_text(IMPORTS)
    with audit.recording(tmp_path, *INPUTS) as events:
        code = main(["validate", str(extra)])
    assert (code, events) == (0, [])
    assert capsys.readouterr().out.startswith("Conforms")


@pytest.mark.parametrize("suffix", [".jsonld", ".json"])
def test_jsonld_input_is_refused_clearly_without_fetching_its_context(audit, tmp_path, capsys,
                                                                      suffix):
    document = tmp_path / f"facts{suffix}"
    document.write_text('{"@context": "http://example.org/context.jsonld", '
                        '"@id": "http://example.org/a", "name": "A"}')
    with audit.recording(tmp_path, *INPUTS) as events:
        code = main(["validate", str(document)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"roscosmos-graph: error: {document}:1:1: JSON-LD is not read, only Turtle (.ttl); "
        "no @context or IRI is ever fetched\n")
    assert events == []


# --------------------------------------------------------------------------- 1, 2: broken Turtle

@pytest.mark.parametrize(("kind", "fixture"), [
    ("ontology", "ontology-unclosed-restriction.ttl"),
    ("data", "data-comma-for-semicolon.ttl"),
    ("shapes", "shapes-bad-escape.ttl"),
])
def test_malformed_shipped_file_is_reported_with_its_position(monkeypatch, capsys, kind,
                                                              fixture):
    case = MALFORMED / fixture
    name = {"ontology": "ontology_files", "data": "data_files", "shapes": "shape_files"}[kind]
    shipped = getattr(graph_module, name)
    monkeypatch.setattr(graph_module, name, lambda: [*shipped(), case])
    assert main(["validate"]) == 2
    captured = capsys.readouterr()
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").strip()
    assert captured.err == f"roscosmos-graph: error: {case}:{expected}\n"
    assert captured.out == ""


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 500, 100_000])
def test_deep_nesting_is_a_syntax_error_at_the_first_level_too_deep(tmp_path, capsys, depth):
    path = tmp_path / "deep.ttl"
    path.write_text(f"@prefix ex: <{EX}> .\nex:a ex:b " + "[ ex:c " * depth + "1"
                    + " ]" * depth + " .\n")
    assert main(["validate", str(path)]) == 2
    column = len("ex:a ex:b ") + 7 * MAX_NESTING + 1
    assert capsys.readouterr().err == (f"roscosmos-graph: error: {path}:2:{column}: nesting "
                                       f"deeper than {MAX_NESTING} levels of [ ] or ( )\n")


def test_deep_collections_are_a_syntax_error(tmp_path):
    path = tmp_path / "deep.ttl"
    path.write_text(f"<{EX}a> <{EX}b> " + "(" * 5000 + ")" * 5000 + " .\n")
    with pytest.raises(TurtleSyntaxError, match=r":1:\d+: nesting deeper than 64 levels"):
        parse_turtle(path)


def test_long_flat_collection_loads_and_exports(tmp_path):
    path = tmp_path / "long.ttl"
    path.write_text(f"<{EX}a> <{EX}b> ( " + " ".join(f'"{i}"' for i in range(5000)) + " ) .\n")
    graph = parse_turtle(path)
    assert len(graph) == 2 * 5000 + 1
    out = tmp_path / "out.ttl"
    out.write_text(turtle(graph))
    back = parse_turtle(out)
    head = back.value(URIRef(f"{EX}a"), URIRef(f"{EX}b"))
    assert [str(item) for item in back.items(head)] == [str(i) for i in range(5000)]
    assert len(back) == len(graph)


def test_long_blank_node_chain_exports_within_the_nesting_limit(tmp_path):
    # Written with labels, a chain needs no nesting; the Turtle export must not nest it
    # (and recurse) once per link, or the loader could not read the export back.
    path = tmp_path / "chain.ttl"
    links = 3000
    path.write_text(f"<{EX}a> <{EX}b> _:b0 .\n"
                    + "".join(f"_:b{i} <{EX}c> _:b{i + 1} .\n" for i in range(links)))
    graph = parse_turtle(path)
    out = tmp_path / "out.ttl"
    out.write_text(turtle(graph))
    back = parse_turtle(out)
    assert len(back) == links + 1
    text = out.read_text()
    blocks = (links + 1) // (INLINE_DEPTH + 1)  # every (INLINE_DEPTH + 1)th node starts one
    assert text.count("[") == links + 1 - blocks


# --------------------------------------------------------------------------- 3, 4: ill-typed, undeclared

def test_ill_typed_literal_fixture_is_a_datatype_violation():
    fixture = DATA / "invalid" / "ill-typed-date.ttl"
    assert '"2014-13-45"^^xsd:date' in fixture.read_text(encoding="utf-8")
    assert fixture.with_suffix(".expected.tsv").read_text(encoding="utf-8").splitlines()[1] == (
        "id:test-person\tschema:birthDate\tsh:DatatypeConstraintComponent\t"
        "rsgsh:PersonShape-birthDate")


def test_undeclared_terms_in_data_name_each_term_and_the_file(capsys):
    case = UNDECLARED / "data-misspelt-class.ttl"
    with pytest.raises(UndeclaredTermError) as caught:
        roscosmos_graph.load([case], reason=False)
    assert caught.value.uses == [(str(case), "rsg:SpaceAgensy"), (str(case), "rsg:foundingDat")]
    assert main(["validate", str(case)]) == 2
    assert capsys.readouterr().err == (f"roscosmos-graph: error: {case}: undeclared term "
                                       f"rsg:SpaceAgensy\n{case}: undeclared term "
                                       "rsg:foundingDat\n")


def test_undeclared_term_in_shapes_names_the_term(monkeypatch):
    case = UNDECLARED / "shapes-misspelt-property.ttl"
    shipped = graph_module.shape_files
    monkeypatch.setattr(graph_module, "shape_files", lambda: [*shipped(), case])
    kg = roscosmos_graph.load(reason=False)
    with pytest.raises(UndeclaredTermError) as caught:
        kg.validate()
    assert [term for _, term in caught.value.uses] == ["rsg:lauchDate"]


def test_undeclared_term_in_shapes_names_the_file(monkeypatch):
    case = UNDECLARED / "shapes-misspelt-property.ttl"
    shipped = graph_module.shape_files
    monkeypatch.setattr(graph_module, "shape_files", lambda: [*shipped(), case])
    with pytest.raises(UndeclaredTermError) as caught:
        roscosmos_graph.load(reason=False).validate()
    assert caught.value.uses == [(str(case), "rsg:lauchDate")]


# --------------------------------------------------------------------------- 7: updates

UPDATES = {
    "insert-data": f"INSERT DATA {{ <{EX}x> <{EX}p> 1 }}",
    "lowercase": f"insert data {{ <{EX}x> <{EX}p> 1 }}",
    "escaped": f"\\u0049NSERT DATA {{ <{EX}x> <{EX}p> 1 }}",
    "after-comment": "# a comment\nDELETE WHERE { ?s ?p ?o }",
    "with-prologue": f"PREFIX ex: <{EX}>\nDELETE DATA {{ ex:s0 ex:p 0 }}",
    "after-a-query": "SELECT * WHERE { ?s ?p ?o } ;\nDELETE WHERE { ?s ?p ?o }",
    "two-updates": "CLEAR DEFAULT ; DROP ALL",
    "load": f"LOAD <{EX}data.ttl>",
    "load-silent-file": "LOAD SILENT <file:///etc/passwd>",
    "clear": "CLEAR ALL",
    "drop": "DROP DEFAULT",
    "create": f"CREATE GRAPH <{EX}g>",
    "copy": f"COPY DEFAULT TO <{EX}g>",
    "modify": "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
}


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_updates_are_refused_and_the_store_is_unchanged(small_kg, small, audit, name):
    size = _size(small_kg)
    with audit.recording() as events, pytest.raises(QueryRefusedError):
        small_kg.sparql(UPDATES[name])
    assert events == []
    assert _size(small_kg) == size == len(small)
    back = Graph()
    for row in small_kg.sparql("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows:
        back.add(row)  # type: ignore[arg-type]
    assert isomorphic(back, small)


# --------------------------------------------------------------------------- 8: parameters

@pytest.mark.parametrize(("name", "params", "parameter"), [
    ("search", {"text": 42}, "text"),
    ("search", {"text": b"bytes"}, "text"),
    ("heads-on-date", {"date": 20200101}, "date"),
    ("heads-on-date", {"date": "2020-1-1"}, "date"),
    ("heads-on-date", {"date": True}, "date"),
    ("news-about", {"entity": 3.5}, "entity"),
    ("news-about", {"entity": "id:roscosmos> } ; DROP ALL ; { <x"}, "entity"),
])
def test_raw_values_of_the_wrong_type_are_errors_not_empty_results(kg, name, params, parameter):
    with pytest.raises(ParameterError) as caught:
        kg.query(name, **params)
    assert caught.value.parameter == parameter


def test_backslash_u_in_a_literal_parameter_is_bound_as_text(kg, small):
    # rdflib expands \u escapes before parsing; the bound literal must survive that.
    assert kg.query("search", text="\\u0041").rows == ()
    oxigraph = KnowledgeGraph(Graph(), small, Graph(), [], store="oxigraph")
    for engine in (kg, oxigraph):
        values = engine.sparql("SELECT ?v WHERE { VALUES ?v { "
                               + roscosmos_graph.catalog.sparql_term(Literal("a\\u00410041"))
                               + " } }").rows
        assert values == ((Literal("a\\u00410041"),),)
    with pytest.raises(ParameterError):
        kg.query("news-about", entity="\\u0041")


def test_invalid_code_point_escape_is_refused_not_a_traceback(capsys):
    text = 'SELECT * WHERE { ?s ?p "\\UFFFFFFFF" }'
    with pytest.raises(QueryRefusedError, match="Invalid unicode code point: FFFFFFFF"):
        roscosmos_graph.guard.check_query(text)
    assert main(["sparql", "--no-reason", text]) == 2
    assert capsys.readouterr().err == ("roscosmos-graph: error: SPARQL syntax error: "
                                       "Invalid unicode code point: FFFFFFFF\n")


# --------------------------------------------------------------------------- 9: limits

def test_limits_are_the_documented_ones():
    assert (DEFAULT_TIMEOUT, DEFAULT_ROW_CAP, MAX_NESTING) == (30.0, 10_000, 64)


def test_unbounded_result_stops_exactly_at_the_row_cap(small):
    for store in ("memory", "oxigraph"):
        capped = KnowledgeGraph(Graph(), small, Graph(), [], store=store, row_cap=7)
        result = capped.sparql("SELECT ?s WHERE { ?s ?p ?o }")
        assert (len(result.rows), result.truncated) == (7, True), store
        graph = capped.sparql("CONSTRUCT WHERE { ?s ?p ?o }")
        assert (len(graph.rows), graph.truncated) == (7, True), store
        exact = capped.sparql("SELECT ?s WHERE { ?s ?p ?o } LIMIT 7")
        assert (len(exact.rows), exact.truncated) == (7, False), store


def test_cli_warns_on_stderr_when_the_row_cap_cuts_the_result(capsys):
    assert main(["sparql", "--no-reason", "--row-cap", "3", "--format", "tsv",
                 "SELECT ?s WHERE { ?s ?p ?o }"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1 + 3
    assert captured.err == "roscosmos-graph: warning: result cut at 3 rows (--row-cap)\n"


def test_cli_gives_no_warning_under_the_row_cap(capsys):
    assert main(["sparql", "--no-reason", "--row-cap", "3", "--format", "tsv",
                 "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"]) == 0
    assert capsys.readouterr().err == ""


def test_evaluation_errors_are_store_errors_not_tracebacks(small, capsys):
    kg = KnowledgeGraph(Graph(), small, Graph(), [])
    text = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    with pytest.raises(roscosmos_graph.StoreError, match="could not be evaluated"):
        kg.sparql(text)
    assert main(["sparql", "--no-reason", text]) == 2
    assert capsys.readouterr().err.startswith(
        "roscosmos-graph: error: the query could not be evaluated: ")


# --------------------------------------------------------------------------- 10: atomic writes

class _DiskFull:
    """A file object that writes half of what it is given, then fails like a full disk."""

    def __init__(self, real: object) -> None:
        self.real = real

    def __enter__(self) -> _DiskFull:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()  # type: ignore[attr-defined]

    def write(self, data: bytes) -> int:
        self.real.write(data[: len(data) // 2])  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml", "graphml", "cytoscape"])
def test_export_failing_mid_write_leaves_the_previous_file(kg, tmp_path, monkeypatch, fmt):
    from roscosmos_graph import atomic

    target = tmp_path / "out"
    target.write_bytes(b"previous export\n")
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: _DiskFull(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="No space left"):
        export(kg, fmt, target)
    assert _tree(tmp_path) == {"out": b"previous export\n"}


def test_export_interrupted_leaves_the_previous_file(kg, tmp_path, monkeypatch):
    from roscosmos_graph import atomic

    target = tmp_path / "out.nt"
    target.write_bytes(b"previous export\n")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export(kg, "ntriples", target)
    assert _tree(tmp_path) == {"out.nt": b"previous export\n"}


def test_jsonld_failing_leaves_the_previous_document_and_context(kg, tmp_path, monkeypatch):
    from roscosmos_graph.export import rdf

    (tmp_path / "out.jsonld").write_bytes(b"previous document\n")
    (tmp_path / "context.jsonld").write_bytes(b"previous context\n")

    def broken(graph: Graph, context: dict[str, object]) -> dict[str, object]:
        raise ValueError("broken")

    monkeypatch.setattr(rdf, "_jsonld", broken)
    with pytest.raises(ValueError, match="broken"):
        export(kg, "jsonld", tmp_path / "out.jsonld")
    assert _tree(tmp_path) == {"context.jsonld": b"previous context\n",
                               "out.jsonld": b"previous document\n"}


def test_neo4j_export_failing_midway_leaves_the_previous_folder(kg, tmp_path, monkeypatch):
    folder = tmp_path / "neo4j"
    export(kg, "neo4j", folder)
    before = _tree(folder)
    assert sorted(before) == [".roscosmos-graph-output", "load.cypher", "nodes.csv",
                              "relationships.csv"]
    written: list[str] = []
    real_write_bytes = Path.write_bytes

    def fail_on_second(self: Path, data: bytes) -> int:
        written.append(self.name)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", fail_on_second)
    with pytest.raises(OSError, match="No space left"):
        export(kg, "neo4j", folder, keep_nary=True)
    monkeypatch.undo()
    assert len(written) == 2
    assert _tree(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neo4j"]


def test_neo4j_export_never_replaces_a_folder_of_other_files(kg, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="holds files other than a Neo4j export"):
        export(kg, "neo4j", tmp_path)
    assert _tree(tmp_path) == {"notes.txt": b"mine"}


@pytest.mark.parametrize("command", ["site", "build"])
def test_site_and_build_never_replace_a_folder_of_other_files(tmp_path, capsys, command):
    (tmp_path / "notes.txt").write_text("mine")
    assert main([command, "--no-reason", "-o", str(tmp_path)]) == 2
    assert ("is not empty and is not a previous output (it has no .roscosmos-graph-output)"
            in capsys.readouterr().err)
    assert _tree(tmp_path) == {"notes.txt": b"mine"}


def test_a_previous_output_is_replaced_and_an_empty_folder_is_filled(tmp_path):
    from roscosmos_graph.atomic import MANIFEST, replace_folder

    def fill(staging: Path) -> None:
        (staging / "index.html").write_text("new")

    def old(staging: Path) -> None:
        (staging / "index.html").write_text("old")
        (staging / "stale.html").write_text("old")

    replace_folder(tmp_path / "old", old)
    replace_folder(tmp_path / "old", fill)
    assert set(_tree(tmp_path / "old")) == {"index.html", MANIFEST}
    assert (tmp_path / "old" / "index.html").read_text() == "new"
    (tmp_path / "empty").mkdir()
    replace_folder(tmp_path / "empty", fill)
    assert set(_tree(tmp_path / "empty")) == {"index.html", MANIFEST}


def test_rdfxml_refuses_characters_xml_cannot_carry(tmp_path):
    from roscosmos_graph.export.rdf import write_rdf

    graph = Graph()
    graph.add((URIRef(f"{EX}a"), URIRef(f"{EX}b"), Literal("bell\x07")))
    target = tmp_path / "out.rdf"
    with pytest.raises(ExportError, match="RDF/XML cannot hold the character U\\+0007"):
        write_rdf("rdfxml", target, graph)
    assert list(tmp_path.iterdir()) == []


def test_rdfxml_keeps_carriage_returns(tmp_path):
    from roscosmos_graph.export.rdf import write_rdf

    graph = Graph()
    graph.add((URIRef(f"{EX}a"), URIRef(f"{EX}b"), Literal("line\r\nnext\r")))
    write_rdf("rdfxml", tmp_path / "out.rdf", graph)
    back = Graph().parse(tmp_path / "out.rdf", format="xml")
    assert set(back.objects()) == {Literal("line\r\nnext\r")}


# --------------------------------------------------------------------------- 12: network guard

def test_the_session_guard_refuses_connections_beyond_loopback():
    import conftest

    before = len(conftest._blocked)
    with pytest.raises(ConnectionRefusedError, match="test network guard"), \
            socket.socket() as sock:
        sock.connect(("192.0.2.1", 80))
    with pytest.raises(socket.gaierror, match="test network guard"):
        socket.getaddrinfo("example.org", 443)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen("http://example.org/", timeout=1)
    assert len(conftest._blocked) - before == 3
    del conftest._blocked[before:]  # expected here: do not fail this test for them
