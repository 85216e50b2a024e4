"""The same canned queries give the same rows on rdflib, embedded Oxigraph and a real server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal

import roscosmos_graph
from roscosmos_graph.cli import main
from roscosmos_graph.serve import oxigraph_binary, wait_for_port

PARAMS = {"heads-on-date": {"date": "2020-01-01"}, "person": {"person": "id:dmitry-rogozin"},
          "agreements-in-force": {"date": "2023-01-01"}, "crew": {"flight": "id:soyuz-tma-13"},
          "flew-with": {"person": "id:gennady-padalka"},
          "flights-of": {"person": "id:sergei-krikalev"}, "modules": {"station": "id:mir"},
          "sources": {"entity": "id:soyuz-tma-13"},
          "news-about": {"entity": "id:roscosmos"}, "search": {"text": "королев"},
          "command-changes": {"from": "2022-01-01", "to": "2022-12-31"},
          "agreements": {"partner": "id:nasa"}, "timeline": {"entity": "id:roscosmos"}}
NAMES = [q.name for q in roscosmos_graph.queries()]
SLOW = ("SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } "
        "ORDER BY ?a ?b ?c")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def multiset(result: roscosmos_graph.QueryResult) -> Counter:
    """Rows as a multiset of values: engines may write 45.9650 or 45.965 for one decimal."""
    def value(term):
        if isinstance(term, Literal) and term.datatype:
            return (str(term.datatype), term.toPython())
        return None if term is None else term.n3()
    return Counter(tuple(value(t) for t in row) for row in result.rows)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location),
                                "--bind", f"127.0.0.1:{port}", "--timeout-s", "2",
                                "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port("127.0.0.1", port, 30, process)
        assert main(["load", "--endpoint", f"http://127.0.0.1:{port}/store", "--inferred"]) == 0
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def _graph_sizes(server: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    rows = roscosmos_graph.connect(server + "/query").sparql(query).rows
    return {str(g): int(n) for g, n in rows}


@pytest.mark.slow
def test_load_replaces_its_named_graphs_so_a_rerun_leaves_the_same_store(kg, oxigraph_server,
                                                                          capsys):
    expected = {str(roscosmos_graph.ASSERTED_GRAPH): len(kg.asserted),
                str(roscosmos_graph.INFERRED_GRAPH): len(kg.inferred)}
    assert _graph_sizes(oxigraph_server) == expected
    capsys.readouterr()
    assert main(["load", "--endpoint", f"{oxigraph_server}/store", "--inferred"]) == 0
    assert capsys.readouterr().out == (
        f"replaced <{roscosmos_graph.ASSERTED_GRAPH}> with {len(kg.asserted)} triples at "
        f"{oxigraph_server}/store\n"
        f"replaced <{roscosmos_graph.INFERRED_GRAPH}> with {len(kg.inferred)} triples at "
        f"{oxigraph_server}/store\n")
    assert _graph_sizes(oxigraph_server) == expected
    both = roscosmos_graph.connect(oxigraph_server + "/query").sparql(
        f"ASK {{ GRAPH <{roscosmos_graph.ASSERTED_GRAPH}> {{ ?s ?p ?o }} "
        f"GRAPH <{roscosmos_graph.INFERRED_GRAPH}> {{ ?s ?p ?o }} }}")
    assert both.rows[0][0].toPython() is False  # inferred triples never mix into the asserted


@pytest.fixture(scope="module")
def embedded_oxigraph():
    return roscosmos_graph.load(store="oxigraph")


@pytest.mark.parametrize("name", NAMES)
def test_embedded_oxigraph_gives_the_same_rows(kg, embedded_oxigraph, name):
    params = PARAMS.get(name, {})
    assert multiset(embedded_oxigraph.query(name, **params)) == multiset(kg.query(name, **params))


@pytest.mark.parametrize("name", NAMES)
def test_remote_endpoint_gives_the_same_rows(kg, oxigraph_server, name):
    remote = roscosmos_graph.connect(oxigraph_server + "/query")
    params = PARAMS.get(name, {})
    expected = multiset(kg.query(name, **params))
    assert expected, f"{name} should return rows for this comparison to mean something"
    assert multiset(remote.query(name, **params)) == expected


_STOPS_IN_TIME = f"""
import threading, time
import roscosmos_graph
from roscosmos_graph import QueryTimeoutError
kg = roscosmos_graph.load(reason=False, timeout=1)
started = time.monotonic()
try:
    kg.sparql({SLOW!r})
except QueryTimeoutError as error:
    print(error)
print(round(time.monotonic() - started) < 5)
time.sleep(1)
print([t.name for t in threading.enumerate() if t.name == "roscosmos-graph-query"])
"""


def test_timeout_on_memory_store(tmp_path: Path):
    # In a fresh process: a stopped rdflib query must also stop running, which an
    # abandoned thread in this long test session could not show cleanly.
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", _STOPS_IN_TIME], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.stdout.splitlines() == ["query stopped after the time limit of 1 s", "True", "[]"]


def test_timeout_on_embedded_oxigraph_exits_2(tmp_path: Path):
    # Oxigraph cannot be interrupted in-process: the query is abandoned and the command exits,
    # so this runs in its own process and uses a query that needs no memory while it runs.
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "roscosmos_graph", "sparql", "--no-reason",
                           "--store", "oxigraph", "--timeout", "1", endless],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert "query stopped after the time limit of 1 s" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 60


def test_timeout_on_remote_endpoint_exits_2(oxigraph_server, capsys):
    code = main(["sparql", "--endpoint", oxigraph_server + "/query", "--timeout", "1", SLOW])
    assert code == 2
    err = capsys.readouterr().err
    assert "/query: no answer within the time limit of 1 s" in err
    assert "Traceback" not in err


def test_timeout_on_memory_store_exits_2(tmp_path: Path):
    # In its own process, like the embedded Oxigraph test: the command must exit 2 on time.
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "roscosmos_graph", "sparql", "--no-reason",
                           "--timeout", "1", SLOW], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 2
    assert "query stopped after the time limit of 1 s" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 60


def test_serve_answers_refuses_writes_and_outside_queries_and_stops_on_sigterm(tmp_path: Path):
    port = free_port()
    command = [sys.executable, "-m", "roscosmos_graph", "serve", "--port", str(port),
               "--no-reason"]
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        line = process.stdout.readline().decode()
        assert line.startswith(f"serving the graph at http://127.0.0.1:{port}/")
        body = urllib.parse.urlencode({"query": "ASK { <https://w3id.org/roscosmos-graph/id/"
                                                "roscosmos> ?p ?o }"}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/query", data=body,
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert b'"boolean":true' in response.read().replace(b" ", b"")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200
            assert b"<html" in page.read().lower()
        _assert_outside_queries_refused(port)
        update = urllib.request.Request(f"http://127.0.0.1:{port}/update",
                                        data=b"update=DROP%20ALL")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code == 403
        write = urllib.request.Request(f"http://127.0.0.1:{port}/store?default", method="POST",
                                       data=b"<http://a.example/> <http://b.example/> 1 .",
                                       headers={"Content-Type": "application/n-triples"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(write, timeout=10)
        assert refused.value.code == 403
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()


def _assert_outside_queries_refused(port: int) -> None:
    """SERVICE, FROM and the protocol's graph parameters are refused; nothing is called."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        service = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
        from_ = f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}"
        for fields, expected in (
            ({"query": service}, "query refused: SERVICE is not allowed"),
            ({"query": from_}, "query refused: FROM and FROM NAMED are not allowed"),
            ({"query": "ASK {}", "default-graph-uri": target}, "default-graph-uri is not allowed"),
        ):
            form = urllib.parse.urlencode(fields)
            for request in (
                urllib.request.Request(f"http://127.0.0.1:{port}/query", data=form.encode()),
                urllib.request.Request(f"http://127.0.0.1:{port}/query?{form}"),
            ):
                with pytest.raises(urllib.error.HTTPError) as error:
                    urllib.request.urlopen(request, timeout=10)
                assert error.value.code == 400
                assert expected in error.value.read().decode()
        direct = urllib.request.Request(f"http://127.0.0.1:{port}/query", data=service.encode(),
                                        headers={"Content-Type": "application/sparql-query"})
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(direct, timeout=10)
        assert error.value.code == 400
        with pytest.raises(TimeoutError):
            listener.accept()  # the engine never called out
    finally:
        listener.close()
