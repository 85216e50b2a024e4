"""``roscosmos-graph serve``: a read-only SPARQL 1.1 server preloaded with the graph.

The graph is loaded into an in-memory Oxigraph store, asserted and inferred triples in two
named graphs with their union as the default graph. Users connect to a
:class:`~roscosmos_graph.gateway.Gateway`, which checks every query and evaluates it in a
sandboxed child of this process: the engine listens on no port of its own, cannot call
other hosts, and a query that crashes it, runs out of memory or past the time limit ends
with an error for that query while the server keeps serving. There is a self-contained
query page at ``/`` (every prefix of ``PREFIXES`` declared, nothing fetched from elsewhere)
and the SPARQL 1.1 Protocol at ``/query``; updates and Graph Store writes are refused.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from .errors import StoreError
from .gateway import Gateway, SandboxedEngine
from .graph import ASSERTED_GRAPH, INFERRED_GRAPH, KnowledgeGraph
from .sandbox import DEFAULT_MEMORY_LIMIT
from .terms import to_oxigraph

__all__ = ["oxigraph_binary", "serve", "wait_for_port"]


def oxigraph_binary() -> str:
    """The ``oxigraph`` command (a standalone server), beside this Python or on ``PATH``.

    Raises:
        StoreError: the ``oxigraph`` package is not installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError(
            "the oxigraph server is not installed: run scripts/setup.sh in the roscosmos-graph "
            "checkout (or .venv/bin/pip install -e '.[server]')")
    return found


def wait_for_port(host: str, port: int, timeout: float, process: subprocess.Popen[bytes]) -> None:
    """Wait until ``host:port`` accepts connections, or fail if ``process`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StoreError(f"the server exited with code {process.returncode} before listening")
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise StoreError(f"the server did not listen on {host}:{port} within {timeout:g} s")


def serving_store(kg: KnowledgeGraph) -> ox.Store:
    """An in-memory Oxigraph store: asserted and inferred triples as two named graphs."""
    store = ox.Store()
    bnodes: dict[BNode, ox.BlankNode] = {}
    for name, graph in ((ASSERTED_GRAPH, kg.asserted), (INFERRED_GRAPH, kg.inferred)):
        store.extend(_quads(graph, name, bnodes))
    return store


def _quads(graph: Graph, name: URIRef, bnodes: dict[BNode, ox.BlankNode]) -> list[ox.Quad]:
    target = ox.NamedNode(str(name))
    return [ox.Quad(to_oxigraph(s, bnodes), to_oxigraph(p, bnodes), to_oxigraph(o, bnodes),
                    target) for s, p, o in graph]


def serve(kg: KnowledgeGraph, *, host: str = "127.0.0.1", port: int = 7878,
          timeout: float = 30.0, memory_limit: int = DEFAULT_MEMORY_LIMIT,
          announce: Callable[[str], None] = print) -> int:
    """Serve ``kg`` (asserted and inferred triples) until SIGINT or SIGTERM; return 0.

    Binds to ``host`` (loopback unless told otherwise); no other port is opened.

    Raises:
        StoreError: ``host:port`` cannot be listened on.
    """
    engine = SandboxedEngine(serving_store(kg), timeout=timeout, memory_limit=memory_limit)
    gateway = Gateway(host, port, engine)
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        gateway.start()
        announce(f"serving the graph at http://{host}:{port}/ "
                 f"(SPARQL endpoint http://{host}:{port}/query); Ctrl-C stops")
        while not stopping.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        gateway.shutdown()
        gateway.server_close()
    return 0
