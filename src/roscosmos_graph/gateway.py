"""The read-only SPARQL 1.1 Protocol server: every query is checked, then run sandboxed.

The gateway listens where users connect, refuses what :func:`~roscosmos_graph.guard.prepare_query`
refuses (updates, ``SERVICE``, ``FROM``/``FROM NAMED``, oversized queries) and the protocol's
``default-graph-uri``/``named-graph-uri`` parameters, refuses every write, and evaluates the
checked text with Oxigraph in a forked child per query (:mod:`roscosmos_graph.sandbox`): the
engine has no port of its own that a local process could reach, cannot open sockets, is
killed at the time limit and stopped at the memory limit, and a crash ends that query only.
"""

from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .errors import (
    QueryMemoryError,
    QueryRefusedError,
    QueryTimeoutError,
    RoscosmosGraphError,
    StoreError,
)
from .guard import prepare_query
from .query_page import query_page
from .sandbox import DEFAULT_MEMORY_LIMIT, run_sandboxed

__all__ = ["MAX_PARALLEL_QUERIES", "Gateway", "SandboxedEngine"]

_GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")
_MAX_BODY = 1 << 20

MAX_PARALLEL_QUERIES = 8
"""Queries evaluated at the same time; further requests wait for a free slot."""

_RESULT_FORMATS = {f.media_type: f for f in (
    ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV)}
_GRAPH_FORMATS = {f.media_type: f for f in (
    ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML, ox.RdfFormat.N_QUADS)}


class SandboxedEngine:
    """Answers checked queries from an Oxigraph store, one forked child per query."""

    def __init__(self, store: ox.Store, *, timeout: float,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT,
                 parallel: int = MAX_PARALLEL_QUERIES) -> None:
        self.store = store
        self.timeout = timeout
        self.memory_limit = memory_limit
        self._slots = threading.BoundedSemaphore(parallel)

    def answer(self, query: str, accept: str) -> tuple[str, bytes]:
        """The media type and bytes of the results of ``query``, negotiated by ``accept``.

        Raises:
            QueryTimeoutError: no slot was free or the query ran past the time limit.
            QueryRefusedError, QueryMemoryError, StoreError: as :func:`run_sandboxed`.
        """
        if not self._slots.acquire(timeout=self.timeout):
            raise QueryTimeoutError("the server is busy: no query slot was free within the "
                                    f"time limit of {self.timeout:g} s")
        try:
            return run_sandboxed(lambda: _evaluate(self.store, query, accept),
                                 timeout=self.timeout, memory_limit=self.memory_limit)
        finally:
            self._slots.release()


def _evaluate(store: ox.Store, query: str, accept: str) -> tuple[str, bytes]:
    try:
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            graph_format = _negotiate(accept, _GRAPH_FORMATS, ox.RdfFormat.TURTLE)
            return graph_format.media_type, result.serialize(format=graph_format)
        results_format = _negotiate(accept, _RESULT_FORMATS, ox.QueryResultsFormat.JSON)
        return results_format.media_type, result.serialize(format=results_format)
    except SyntaxError as error:
        raise QueryRefusedError(f"SPARQL syntax error: {error}") from None
    except OSError as error:
        raise StoreError(f"the query could not be evaluated: {error}") from None


F = TypeVar("F")


def _negotiate(accept: str, known: dict[str, F], default: F) -> F:
    for item in accept.split(","):
        kind = item.split(";")[0].strip().lower()
        if kind in known:
            return known[kind]
    return default


class Gateway(ThreadingHTTPServer):
    """Listen on ``host:port`` and answer checked read requests with ``engine``.

    Raises:
        StoreError: ``host:port`` cannot be listened on.
    """

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, host: str, port: int, engine: SandboxedEngine) -> None:
        self.engine = engine
        try:
            super().__init__((host, port), _Handler)
        except OSError as error:
            raise StoreError(f"cannot listen on {host}:{port}: {error.strerror}") from None

    def start(self) -> threading.Thread:
        """Serve in a background thread until :meth:`shutdown`."""
        thread = threading.Thread(target=self.serve_forever, name="gateway", daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: Gateway
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the server is for queries, not an access log on the terminal."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):  # our own page: nothing fetched from elsewhere
            self._answer(HTTPStatus.OK, "text/html; charset=utf-8", query_page())
        elif url.path == "/query":
            self._query(parse_qs(url.query))
        else:
            self._refuse(HTTPStatus.NOT_FOUND, "not found: the endpoint is /query")

    def do_POST(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= _MAX_BODY:
            self.close_connection = True
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length > 0
                         else HTTPStatus.BAD_REQUEST, "the request body is too large or has "
                         "no valid Content-Length")
            return
        body = self.rfile.read(length)
        url = urlsplit(self.path)
        if url.path != "/query":
            self._refuse(HTTPStatus.FORBIDDEN, "the graph is read-only")
            return
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        text = body.decode("utf-8", errors="replace")
        if kind == "application/sparql-query":
            fields = parse_qs(url.query)
            fields["query"] = [text]
        elif kind == "application/x-www-form-urlencoded":
            fields = parse_qs(url.query) | parse_qs(text)
        else:
            self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                         "send the query as application/sparql-query or a form")
            return
        self._query(fields)

    def do_PUT(self) -> None:
        self._refuse(HTTPStatus.FORBIDDEN, "the graph is read-only")

    do_DELETE = do_PATCH = do_PUT

    def _query(self, fields: dict[str, list[str]]) -> None:
        """Check the request's query and graph parameters, then answer or refuse."""
        named = [p for p in _GRAPH_PARAMETERS if p in fields]
        if named:
            self._refuse(HTTPStatus.BAD_REQUEST,
                         f"{named[0]} is not allowed: queries run on this graph only")
            return
        queries = fields.get("query", [])
        if len(queries) != 1:
            self._refuse(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            return
        try:
            checked = prepare_query(queries[0])
            kind, payload = self.server.engine.answer(checked, self.headers.get("Accept", ""))
        except QueryRefusedError as error:
            self._refuse(HTTPStatus.BAD_REQUEST, f"query refused: {error}")
        except QueryTimeoutError as error:
            self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, f"query timeout: {error}")
        except QueryMemoryError as error:
            self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, f"query stopped: {error}")
        except RoscosmosGraphError as error:
            self._refuse(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {error}")
        else:
            self._answer(HTTPStatus.OK, kind, payload)

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        self._answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _answer(self, status: int, kind: str | None, payload: bytes) -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
