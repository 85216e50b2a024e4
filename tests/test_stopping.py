"""Stopping means stopping: a query past its time limit uses no more CPU, on every store,
and a remote result is read only up to the row cap."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import roscosmos_graph
from roscosmos_graph.errors import QueryTimeoutError

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"


def cpu_seconds() -> float:
    """CPU time of this process (every thread) and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.fixture(scope="module")
def graphs() -> dict[str, roscosmos_graph.KnowledgeGraph]:
    return {store: roscosmos_graph.load(store=store, timeout=1)
            for store in ("memory", "oxigraph")}


@pytest.mark.slow
@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_stopped_query_uses_no_more_cpu(store: str, graphs):
    with pytest.raises(QueryTimeoutError):
        graphs[store].sparql(ENDLESS)
    before = cpu_seconds()
    time.sleep(1.5)
    used = cpu_seconds() - before
    assert used < 0.3, f"{used:.2f} s of CPU used after the query was stopped"


@pytest.mark.slow
def test_a_stopped_query_on_the_cached_store_uses_no_more_cpu(tmp_path, monkeypatch):
    from roscosmos_graph.cached_graph import open_cached

    monkeypatch.setenv("ROSCOSMOS_GRAPH_CACHE", str(tmp_path))
    cached = open_cached(timeout=1)
    with pytest.raises(QueryTimeoutError):
        cached.sparql(ENDLESS)
    before = cpu_seconds()
    time.sleep(1.5)
    assert cpu_seconds() - before < 0.3


@pytest.mark.slow
@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_cli_stops_at_the_time_limit(store: str):
    done = subprocess.run([sys.executable, "-m", "roscosmos_graph", "sparql", ENDLESS,
                           "--store", store, "--timeout", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == ("roscosmos-graph: error: query stopped after the time limit "
                           "of 1 s\n")


class _Endless(BaseHTTPRequestHandler):
    """A SPARQL endpoint whose result never ends: only a reader that stops can finish."""


    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        try:
            self.wfile.write(b'{"head": {"vars": ["n", "label"]}, "results": {"bindings": [')
            row = 0
            while True:
                binding = {"n": {"type": "literal", "value": str(row),
                                 "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
                           "label": {"type": "literal", "value": f"row {row}",
                                     "xml:lang": "en"}}
                self.wfile.write((", " if row else "").encode() + json.dumps(binding).encode())
                row += 1
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, *args: object) -> None:
        return


def test_the_remote_store_stops_reading_at_the_row_cap():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/query"
        result = roscosmos_graph.connect(url, row_cap=5, timeout=60).sparql(
            "SELECT ?n ?label WHERE { ?s ?p ?n }")
    finally:
        server.shutdown()
        server.server_close()
    assert result.truncated
    assert result.variables == ("n", "label")
    assert [(r[0].toPython(), str(r[1]), r[1].language) for r in result.rows] == [
        (i, f"row {i}", "en") for i in range(5)]
