"""Any SPARQL 1.1 endpoint, spoken to with the standard SPARQL 1.1 Protocol.

Also pushes graphs to a store with the SPARQL 1.1 Graph Store HTTP Protocol. These are the
only parts of roscosmos-graph that open network connections, and only to the URL given.
"""

from __future__ import annotations

import codecs
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, BinaryIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.term import Node

from ..errors import QueryTimeoutError, StoreError
from ..results import QueryResult
from ..sparql_prefixes import with_prefixes
from .base import one_line

__all__ = ["RemoteStore", "push_graph"]

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


class RemoteStore:
    """A SPARQL 1.1 query endpoint such as Oxigraph, Fuseki, GraphDB or Virtuoso."""

    name = "remote"

    def __init__(self, url: str) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise StoreError(f"endpoint {url!r} is not an http(s) URL")
        self.url = url

    def run(self, query: str, *, timeout: float, row_cap: int) -> QueryResult:
        """POST the query (``application/x-www-form-urlencoded``) and read the results.

        The predeclared prefixes the query uses are declared in front of it. Opens a
        network connection to the endpoint.

        Raises:
            StoreError: the endpoint refused the query or sent an unreadable answer.
            QueryTimeoutError: no answer within ``timeout``.
        """
        body = urllib.parse.urlencode({"query": with_prefixes(query)}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Accept": _ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
        deadline = time.monotonic() + timeout
        with _open(request, timeout, self.url) as response:
            kind = response.headers.get("Content-Type", "")
            try:
                if kind.startswith("application/sparql-results+json"):
                    return _stream_json(response, row_cap, deadline, timeout, self.url)
                return _read_result(_read_all(response, timeout, self.url), kind, row_cap)
            except (ValueError, KeyError, TypeError, ParserError) as error:
                raise StoreError(f"{self.url}: unreadable answer "
                                 f"({kind or 'no content type'}): "
                                 f"{one_line(str(error), 200)}") from None


_CHUNK = 64 * 1024
_BINDINGS = re.compile(r'"bindings"\s*:\s*\[')


def _stream_json(response: BinaryIO, row_cap: int, deadline: float, timeout: float,
                 url: str) -> QueryResult:
    """Read a SPARQL JSON result up to ``row_cap + 1`` rows, then stop reading.

    The bindings are decoded one object at a time as they arrive, so a result of millions
    of rows costs the rows kept, not the rows sent; the connection is closed at the cap.
    """
    decoder = json.JSONDecoder()
    text = ""
    reader = codecs.getincrementaldecoder("utf-8")()

    def more() -> bool:
        nonlocal text
        if time.monotonic() > deadline:
            raise QueryTimeoutError(f"{url}: no answer within the time limit of {timeout:g} s")
        chunk = _read_chunk(response, timeout, url)
        text += reader.decode(chunk, final=not chunk)
        return bool(chunk)

    while not (found := _BINDINGS.search(text)):
        if not more():
            return _read_result(text.encode(), "application/sparql-results+json", row_cap)
    head = text[:found.start()]
    at = found.end()
    bindings: list[dict[str, Any]] = []
    while len(bindings) <= row_cap:
        while at < len(text) and text[at] in " \t\r\n,":
            at += 1
        if at < len(text) and text[at] == "]":
            break
        try:
            binding, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            if not more():
                raise
            continue
        bindings.append(binding)
        text, at = text[at:], 0
    if "vars" not in head:  # the head comes after the results: read on to it
        while more():
            pass
        head = text
    variables = _variables(head)
    rows = tuple(tuple(_term(b.get(v)) for v in variables) for b in bindings[:row_cap])
    return QueryResult(variables, rows, len(bindings) > row_cap)


def _variables(text: str) -> tuple[str, ...]:
    """The ``head.vars`` of a (possibly partial) SPARQL JSON document."""
    found = re.search(r'"vars"\s*:\s*', text)
    if not found:
        raise KeyError("head.vars")
    names, _ = json.JSONDecoder().raw_decode(text, found.end())
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise TypeError("head.vars is not a list of names")
    return tuple(names)


def _read_result(payload: bytes, kind: str, row_cap: int) -> QueryResult:
    """A SPARQL JSON or N-Triples answer as a :class:`QueryResult`."""
    if kind.startswith("application/n-triples"):
        graph = Graph().parse(data=payload.decode(), format="nt")
        triples = sorted(graph)
        return QueryResult(("subject", "predicate", "object"),
                           tuple(triples[:row_cap]), len(triples) > row_cap)
    document = json.loads(payload)
    if "boolean" in document:
        return QueryResult(("result",), ((Literal(bool(document["boolean"])),),))
    variables = tuple(document["head"]["vars"])
    bindings = document["results"]["bindings"]
    rows = tuple(tuple(_term(b.get(v)) for v in variables) for b in bindings[:row_cap])
    return QueryResult(variables, rows, len(bindings) > row_cap)


def push_graph(url: str, graph: Graph, *, graph_iri: str, timeout: float) -> int:
    """Replace the named graph ``graph_iri`` at a Graph Store Protocol endpoint with ``graph``.

    Sends N-Triples with HTTP PUT, so pushing the same graph again leaves the store as it
    was. Returns the triple count. Opens a network connection to ``url``.

    Raises:
        StoreError: the store refused the graph or could not be reached.
    """
    target = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"graph": graph_iri})
    body = graph.serialize(format="nt", encoding="utf-8")
    request = urllib.request.Request(target, data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    _send(request, timeout, url)
    return len(graph)


def _send(request: urllib.request.Request, timeout: float, url: str) -> tuple[bytes, str]:
    with _open(request, timeout, url) as response:
        return _read_all(response, timeout, url), response.headers.get("Content-Type", "")


def _read_all(response: BinaryIO, timeout: float, url: str) -> bytes:
    parts = []
    while chunk := _read_chunk(response, timeout, url):
        parts.append(chunk)
    return b"".join(parts)


def _read_chunk(response: BinaryIO, timeout: float, url: str) -> bytes:
    try:
        return response.read1(_CHUNK)  # type: ignore[attr-defined]
    except TimeoutError:
        raise QueryTimeoutError(
            f"{url}: no answer within the time limit of {timeout:g} s") from None


def _open(request: urllib.request.Request, timeout: float, url: str) -> Any:
    """The response to ``request``; HTTP errors and timeouts as our errors."""
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        detail = one_line(error.read().decode(errors="replace"), 300)
        if error.code in (503, 504) and "timeout" in detail.lower():
            raise QueryTimeoutError(f"{url}: the endpoint stopped the query: {detail}") from None
        raise StoreError(f"{url}: HTTP {error.code} {error.reason}: {detail}") from None
    except TimeoutError:
        raise QueryTimeoutError(
            f"{url}: no answer within the time limit of {timeout:g} s") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise QueryTimeoutError(
                f"{url}: no answer within the time limit of {timeout:g} s") from None
        raise StoreError(f"{url}: cannot connect: {error.reason}") from None


def _term(binding: dict[str, str] | None) -> Node | None:
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return Literal(value, datatype=URIRef(datatype) if datatype else None)
