"""Hostile and concurrent query clients: the guard sees what the engine runs, nothing reaches
the network, limits hold before any parser, and the server survives load and hostile requests.

A loopback listener notices any connection an engine would make; the server tests start a
real ``roscosmos-graph serve`` process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from roscosmos_graph import (
    KnowledgeGraph,
    QueryMemoryError,
    QueryRefusedError,
    QueryTooComplexError,
    StoreError,
    guard,
)
from roscosmos_graph.cli import main
from roscosmos_graph.guard import (
    MAX_QUERY_BYTES,
    MAX_QUERY_NESTING,
    MAX_QUERY_OPERATORS,
    check_query,
    prepare_query,
)
from roscosmos_graph.stores import OxigraphStore

EX = "http://example.org/"
ROSCOSMOS_ASK = "ASK { <https://w3id.org/roscosmos-graph/id/roscosmos> ?p ?o }"


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, str]]:
    """A loopback socket that would notice any connection, and its URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    try:
        yield server, f"http://127.0.0.1:{server.getsockname()[1]}/x"
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


def evasions(url: str) -> dict[str, str]:
    """Queries that try to reach ``url`` past the guard: every one must be refused."""
    service = f"SERVICE <{url}> {{ ?a ?b ?c }}"
    return {
        "comment-ends-at-cr": f"SELECT * WHERE {{\n# hi\r{service}\n?s ?p ?o }} LIMIT 1",
        "comment-ends-at-crlf": f"SELECT * WHERE {{ # hi\r\n{service} ?s ?p ?o }}",
        "comment-cr-before-from": f"SELECT * # x\rFROM <{url}> WHERE {{ ?s ?p ?o }}",
        "comment-cr-in-subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ # x\r{service} }} }} }}",
        "escaped-keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?a ?b ?c }} }}",
        "escaped-keyword-long": f"SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?a ?b ?c }} }}",
        "escaped-from": f"SELECT * \\u0046ROM <{url}> WHERE {{ ?s ?p ?o }}",
        "mixed-case": f"SELECT * WHERE {{ sErViCe <{url}> {{ ?a ?b ?c }} }}",
        "no-space": f"SELECT * WHERE {{ ?s ?p ?o .SERVICE<{url}>{{?a ?b ?c}} }}",
        "nested-subqueries": "SELECT * WHERE { { SELECT * WHERE { { SELECT * WHERE { "
                             f"OPTIONAL {{ {service} }} }} }} }} }} }}",
        "in-exists": f"ASK {{ FILTER NOT EXISTS {{ {service} }} }}",
        "in-minus": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ {service} }} }}",
        "in-union": f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ {service} }} }}",
        "in-graph": f"SELECT * WHERE {{ GRAPH ?g {{ {service} }} }}",
        "variable-endpoint": f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?a ?b ?c }} }}",
        "tab-and-formfeed": f"SELECT * WHERE {{\tSERVICE\f<{url}> {{ ?a ?b ?c }} }}",
        "from-named": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "insert-data": f"INSERT DATA {{ <{url}> <{url}> 1 }}",
        "insert-where": f"INSERT {{ ?s ?p 1 }} WHERE {{ {service} }}",
        "delete-data": f"DELETE DATA {{ <{url}> <{url}> 1 }}",
        "delete-where": "DELETE WHERE { ?s ?p ?o }",
        "modify-with": f"WITH <{url}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
        "using": f"DELETE {{ ?s ?p ?o }} USING <{url}> WHERE {{ ?s ?p ?o }}",
        "load": f"LOAD <{url}>",
        "load-silent-into": f"LOAD SILENT <{url}> INTO GRAPH <{url}>",
        "clear": "CLEAR ALL",
        "drop": "DROP SILENT GRAPH <urn:g>",
        "create": "CREATE GRAPH <urn:g>",
        "add": "ADD DEFAULT TO <urn:g>",
        "move": "MOVE <urn:g> TO DEFAULT",
        "copy": "COPY DEFAULT TO <urn:g>",
        "query-then-update": f"SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{url}>",
        "update-after-comment-cr": f"ASK {{}} # x\rLOAD <{url}>",
    }


EVASION_NAMES = sorted(evasions("http://x/"))


@pytest.mark.parametrize("name", EVASION_NAMES)
def test_evasions_are_refused_on_every_store_and_nothing_is_called(small_kg, listener, name):
    server, url = listener
    with pytest.raises(QueryRefusedError):
        small_kg.sparql(evasions(url)[name])
    assert _connections(server) == 0


def test_the_carriage_return_comment_is_refused_by_the_cli_on_oxigraph(listener, capsys):
    server, url = listener
    code = main(["sparql", "--no-reason", "--store", "oxigraph",
                 evasions(url)["comment-ends-at-cr"]])
    assert code == 2
    assert capsys.readouterr().err == ("roscosmos-graph: error: SERVICE is not allowed: "
                                       "queries never leave the graph\n")
    assert _connections(server) == 0


def test_the_checked_text_is_the_text_that_runs():
    text = "SELECT * WHERE {\r\n# a comment\r?s ?p ?o }"
    assert prepare_query(text) == "SELECT * WHERE {\n# a comment\n?s ?p ?o }"
    assert prepare_query(text).count("\r") == 0


def test_the_oxigraph_engine_cannot_reach_the_network_even_unguarded(small, listener):
    # Straight to the store, past the guard: the sandboxed child can open no socket.
    server, url = listener
    store = OxigraphStore()
    store.load_graphs([small])
    with pytest.raises(StoreError, match=r"could not be evaluated: .*Too many open files"):
        store.run(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", timeout=10, row_cap=5)
    assert _connections(server) == 0
    assert store.run("ASK { ?s ?p 3 }", timeout=10, row_cap=1).rows == ((Literal(True),),)


# --------------------------------------------------------------------------- limits before work

def _long_sum(terms: int) -> str:
    return "ASK { FILTER(" + " + ".join(["1"] * terms) + " > 0) }"


def _nested(depth: int) -> str:
    return "ASK { FILTER(" + "(" * depth + "1" + ")" * depth + " > 0) }"


@pytest.mark.parametrize(("text", "message"), [
    (_long_sum(20_000), f"the query is {len(_long_sum(20_000))} bytes long; the limit is "
                        f"{MAX_QUERY_BYTES}"),
    (_long_sum(12_000), "the query has 12000 operators; the limit is 1000"),
    (_long_sum(MAX_QUERY_OPERATORS + 1), f"the query has {MAX_QUERY_OPERATORS + 1} operators; "
                                         f"the limit is {MAX_QUERY_OPERATORS}"),
    (_nested(30), f"the query nests brackets deeper than {MAX_QUERY_NESTING} levels"),
    ("SELECT * WHERE { " + "{ " * 40 + "?s ?p ?o" + " }" * 40 + " }",
     f"the query nests brackets deeper than {MAX_QUERY_NESTING} levels"),
    ("ASK { FILTER(" + "\\u0028" * 40 + "1" + "\\u0029" * 40 + ") }",
     f"the query nests brackets deeper than {MAX_QUERY_NESTING} levels"),
])
def test_oversized_queries_are_refused_before_any_parse_on_every_store(small_kg, text, message,
                                                                       monkeypatch):
    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the query was parsed")

    monkeypatch.setattr(guard, "parseQuery", parse)
    with pytest.raises(QueryTooComplexError) as caught:
        small_kg.sparql(text)
    assert str(caught.value) == message


def test_queries_within_the_limits_still_run(small_kg):
    assert small_kg.sparql(_long_sum(MAX_QUERY_OPERATORS - 2)).rows == ((Literal(True),),)
    assert small_kg.sparql(_nested(MAX_QUERY_NESTING - 2)).rows == ((Literal(True),),)


def test_an_80_kb_query_is_refused_within_the_timeout_by_the_cli(tmp_path, capsys):
    path = tmp_path / "long.rq"
    path.write_text(_long_sum(20_000))
    started = time.monotonic()
    assert main(["sparql", "--no-reason", "--store", "oxigraph", "--file", str(path)]) == 2
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert err.startswith("roscosmos-graph: error: the query is ")
    assert err.endswith(f"bytes long; the limit is {MAX_QUERY_BYTES}\n")


def test_a_parser_recursion_error_is_a_clear_refusal():
    # 500 triple patterns in one group are within every raw limit, but rdflib's grammar
    # recurses once per pattern; that must read as a refusal, not a traceback.
    text = "SELECT * WHERE { " + " ".join(f"?s <{EX}p> ?o{i} ." for i in range(500)) + " }"
    with pytest.raises(QueryTooComplexError, match="too deeply structured for the parser"):
        check_query(text)


def test_runaway_memory_ends_the_query_not_the_process(small, capsys):
    cross = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } "
             "ORDER BY ?a ?c ?f ?i ?l ?o")
    kg = KnowledgeGraph(Graph(), small, Graph(), [], store="oxigraph",
                        memory_limit=256 * 1024**2, timeout=60)
    with pytest.raises(QueryMemoryError, match="more than 256 MiB of memory"):
        kg.sparql(cross)
    assert kg.sparql("ASK { ?s ?p 3 }").rows == ((Literal(True),),)
    assert main(["sparql", "--no-reason", "--store", "oxigraph", "--memory-limit", "200",
                 "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?c ?f ?i"]) == 2
    assert capsys.readouterr().err == ("roscosmos-graph: error: the query needed more than "
                                       "200 MiB of memory and was stopped\n")


# --------------------------------------------------------------------------- concurrency

def test_parallel_parsing_keeps_the_grammar_intact():
    # Before parsing was serialised, this mix left rdflib's shared grammar broken: most
    # parses failed with TypeError, and every later query with a triple pattern too.
    texts = {"SELECT * WHERE { ?s ?p ?o } LIMIT 1": "SELECT", "ASK { ?s ?p ?o }": "ASK",
             "CONSTRUCT WHERE { ?s ?p ?o }": "CONSTRUCT", "DESCRIBE <urn:a>": "DESCRIBE",
             "SELECT ?s WHERE { ?s <urn:p> ?o . ?o <urn:q> ?x FILTER(?x > 3) }": "SELECT",
             "SELECT * WHERE { ?s ?p }": "refused"}

    def form(text: str) -> str:
        try:
            return check_query(text)
        except QueryRefusedError:
            return "refused"

    jobs = list(texts) * 300
    with ThreadPoolExecutor(20) as pool:
        forms = list(pool.map(form, jobs))
    assert forms == [texts[t] for t in jobs]
    assert check_query("SELECT ?s WHERE { ?s <urn:p> ?o . ?o <urn:q> ?x }") == "SELECT"


def test_parallel_queries_on_the_memory_store_all_answer(small):
    kg = KnowledgeGraph(Graph(), small, Graph(), [])
    with ThreadPoolExecutor(16) as pool:
        counts = list(pool.map(lambda i: kg.sparql(
            f"SELECT ?s WHERE {{ ?s <{EX}p> {i % 30} }}").rows, range(200)))
    assert counts == [((URIRef(f"{EX}s{i % 30}"),),) for i in range(200)]


# --------------------------------------------------------------------------- the real server

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = _free_port()
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path_factory.mktemp("cache"))}
    process = subprocess.Popen([sys.executable, "-m", "roscosmos_graph", "serve", "--port",
                                str(port), "--no-reason", "--timeout", "5",
                                "--memory-limit", "300"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        line = process.stdout.readline().decode()
        assert line.startswith(f"serving the graph at http://127.0.0.1:{port}/"), \
            process.stderr.read().decode()
        yield process, port
    finally:
        process.terminate()
        process.wait(20)


def _post(port: int, text: str, accept: str = "application/sparql-results+json",
          ) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/query", data=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _healthy(port: int) -> bool:
    status, body = _post(port, ROSCOSMOS_ASK)
    return status == 200 and b'"boolean":true' in body


def _listening_ports(pid: int) -> set[int]:
    """TCP ports in LISTEN state held by ``pid`` and its descendants."""
    pids = {pid}
    for _ in range(3):
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError):
                    continue
                if parent in pids:
                    pids.add(int(entry.name))
    inodes = set()
    for owner in pids:
        try:
            for fd in Path(f"/proc/{owner}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


@pytest.mark.slow
def test_the_server_listens_on_the_gateway_port_only(server):
    process, port = server
    assert _healthy(port)
    assert _listening_ports(process.pid) == {port}


@pytest.mark.slow
@pytest.mark.parametrize("name", EVASION_NAMES)
def test_the_server_refuses_every_evasion_and_calls_nobody(server, listener, name):
    _process, port = server
    target, url = listener
    status, body = _post(port, evasions(url)[name])
    assert status == 400
    assert body.startswith(b"query refused: ")
    assert _connections(target) == 0


@pytest.mark.slow
def test_the_server_survives_hostile_requests(server):
    process, port = server
    hostile = [_long_sum(12_000), _nested(30), _long_sum(MAX_QUERY_OPERATORS + 1),
               "SELECT * WHERE { " + " ".join(f"?s <{EX}p> ?o{i} ." for i in range(500)) + " }",
               "ASK { \udc80 }".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]
    for text in hostile:
        status, body = _post(port, text)
        assert status == 400, body
        assert body.startswith(b"query refused: ")
    status, body = _post(port, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } "
                               "ORDER BY ?a ?c ?f ?i")
    assert status == 503
    assert body == b"query stopped: the query needed more than 300 MiB of memory and was " \
                   b"stopped\n"
    assert process.poll() is None
    assert _healthy(port)


@pytest.mark.slow
def test_load_mixed_good_bad_and_hostile_requests(server, listener):
    # 4000 requests, 24 at a time: every good one gets the right answer, every other one a
    # clear refusal, nothing reaches the listener, and the server is healthy after.
    process, port = server
    target, url = listener
    good = {
        ROSCOSMOS_ASK: b'{"head":{},"boolean":true}',
        "ASK { <https://w3id.org/roscosmos-graph/id/no-such-thing> ?p ?o }":
            b'{"head":{},"boolean":false}',
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/roscosmos-graph/def#Cosmodrome> "
        "}": None,
    }
    status, body = _post(port, next(iter(k for k, v in good.items() if v is None)))
    assert status == 200
    assert body.startswith(b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal",'
                           b'"value":"')
    good = {k: v if v is not None else body for k, v in good.items()}
    bad = ["SELECT * WHERE { ?s ?p }", "ASK {", "SELEKT * WHERE {}"]
    hostile = [*evasions(url).values(), _nested(30), _long_sum(MAX_QUERY_OPERATORS + 1)]
    requests = []
    for i in range(4000):
        kind = ("good", "good", "bad", "hostile")[i % 4]
        pool = {"good": list(good), "bad": bad, "hostile": hostile}[kind]
        requests.append((kind, pool[i % len(pool)]))
    lock = threading.Lock()
    failures: list[str] = []

    def send(item: tuple[str, str]) -> None:
        kind, text = item
        status, body = _post(port, text)
        expected = (status == 200 and body == good[text]) if kind == "good" else \
            (status == 400 and body.startswith(b"query refused: "))
        if not expected:
            with lock:
                failures.append(f"{kind} {status} {body[:80]!r} for {text[:60]!r}")

    started = time.monotonic()
    with ThreadPoolExecutor(24) as pool:
        list(pool.map(send, requests))
    assert failures == []
    assert time.monotonic() - started < 120
    assert _connections(target) == 0
    assert process.poll() is None
    assert _healthy(port)
