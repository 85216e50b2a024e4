"""A guarding HTTP front for the SPARQL server: every query is checked before the engine sees it.

Oxigraph's server evaluates ``SERVICE`` clauses, so a client could make it call other hosts.
The gateway listens where users connect, refuses what :func:`~roscosmos_graph.guard.check_query`
refuses (updates, ``SERVICE``, ``FROM``/``FROM NAMED``) and the protocol's
``default-graph-uri``/``named-graph-uri`` parameters, refuses every write, and passes the
rest to the server on a private loopback port.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .errors import QueryRefusedError, StoreError
from .guard import check_query
from .query_page import query_page

__all__ = ["Gateway"]

_FORWARDED_HEADERS = ("Accept", "Content-Type")
_GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")
_MAX_BODY = 1 << 20


class Gateway(ThreadingHTTPServer):
    """Listen on ``host:port`` and pass checked read requests on to ``upstream``.

    Raises:
        StoreError: ``host:port`` cannot be listened on.
    """

    daemon_threads = True

    def __init__(self, host: str, port: int, upstream: str, timeout: float) -> None:
        self.upstream = upstream.rstrip("/")
        self.upstream_timeout = timeout
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
        if url.path in ("/", "/index.html"):  # our own page: the engine's fetches from the web
            self._answer(HTTPStatus.OK, "text/html; charset=utf-8", query_page())
            return
        if url.path == "/query" and not self._allowed(parse_qs(url.query)):
            return
        self._forward(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the request body is too large")
            return
        body = self.rfile.read(length)
        url = urlsplit(self.path)
        if url.path != "/query":
            self._refuse(HTTPStatus.FORBIDDEN, "the graph is read-only")
            return
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            fields = parse_qs(url.query)
            fields["query"] = [body.decode("utf-8", errors="replace")]
        elif kind == "application/x-www-form-urlencoded":
            fields = parse_qs(url.query) | parse_qs(body.decode("utf-8", errors="replace"))
        else:
            self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                         "send the query as application/sparql-query or a form")
            return
        if self._allowed(fields):
            self._forward(body)

    def do_PUT(self) -> None:
        self._refuse(HTTPStatus.FORBIDDEN, "the graph is read-only")

    do_DELETE = do_PATCH = do_PUT

    def _allowed(self, fields: dict[str, list[str]]) -> bool:
        """Check the request's queries and graph parameters; refuse and answer if needed."""
        named = [p for p in _GRAPH_PARAMETERS if p in fields]
        if named:
            self._refuse(HTTPStatus.BAD_REQUEST,
                         f"{named[0]} is not allowed: queries run on this graph only")
            return False
        try:
            for text in fields.get("query", []):
                check_query(text)
        except QueryRefusedError as error:
            self._refuse(HTTPStatus.BAD_REQUEST, f"query refused: {error}")
            return False
        return True

    def _forward(self, body: bytes | None) -> None:
        headers = {h: self.headers[h] for h in _FORWARDED_HEADERS if self.headers.get(h)}
        request = urllib.request.Request(self.server.upstream + self.path, data=body,
                                         headers=headers, method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=self.server.upstream_timeout) as reply:
                self._answer(reply.status, reply.headers.get("Content-Type"), reply.read())
        except urllib.error.HTTPError as error:
            self._answer(error.code, error.headers.get("Content-Type"), error.read())
        except (urllib.error.URLError, TimeoutError) as error:
            self._refuse(HTTPStatus.BAD_GATEWAY, f"the SPARQL server did not answer: {error}")

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        self._answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _answer(self, status: int, kind: str | None, payload: bytes) -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
