"""What a query may not do: update data, call other endpoints, name other datasets, or
exhaust the parser or the engine.

Every query, canned or ad hoc, passes :func:`prepare_query` before it reaches any store, and
the text it returns is the text the engine runs:

1. line endings are normalised to ``\\n``, so every engine ends a comment where the guard
   does (Oxigraph also ends one at a bare ``\\r``, rdflib only at ``\\n``); text that is not
   valid Unicode (lone surrogates) is refused;
2. cheap limits on the raw text (:data:`MAX_QUERY_BYTES`, :data:`MAX_QUERY_NESTING`,
   :data:`MAX_QUERY_OPERATORS`) run before any parser;
3. a lexical scan refuses ``SERVICE``, ``FROM`` and the update keywords wherever they stand
   outside strings, IRIs and comments, before and after ``\\u`` escapes are expanded;
4. rdflib parses the text (one parse at a time: its grammar is shared and not thread-safe)
   and the algebra is walked for ``SERVICE`` and dataset clauses.

The Oxigraph engine also runs every query in a child process that can open no file or
socket (:mod:`roscosmos_graph.sandbox`), so a query the guard misread still cannot reach
the network.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import QueryRefusedError, QueryTooComplexError

__all__ = ["MAX_QUERY_BYTES", "MAX_QUERY_NESTING", "MAX_QUERY_OPERATORS", "check_query",
           "parse_query", "prepare_query", "query_form"]

MAX_QUERY_BYTES = 64 * 1024
"""Longest query text accepted, in UTF-8 bytes."""

MAX_QUERY_NESTING = 20
"""Deepest nesting of ``( )``, ``{ }`` and ``[ ]`` accepted in a query."""

MAX_QUERY_OPERATORS = 1000
"""Most operators (``+ - * / = != < > <= >= && || ! | ^``) and ``UNION``/``OPTIONAL``/``MINUS``
accepted in one query: each one deepens the expression or algebra tree an engine recurses
through."""

_PARSER_LOCK = threading.Lock()
"""rdflib's pyparsing grammar is module-level state: parallel parses corrupt it."""

_UPDATE_MESSAGE = "updates are not allowed (the graph is read-only)"
_SERVICE_MESSAGE = "SERVICE is not allowed: queries never leave the graph"
_FROM_MESSAGE = "FROM and FROM NAMED are not allowed: queries run on this graph only"
_KEYWORDS = {"SERVICE": _SERVICE_MESSAGE, "FROM": _FROM_MESSAGE,
             **{k: _UPDATE_MESSAGE for k in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP",
                                             "CREATE", "ADD", "MOVE", "COPY", "WITH",
                                             "USING")}}
_KEYWORD = re.compile(r"(?<![\w:?$@\-\u00b7\u0080-\U0010ffff])(" + "|".join(_KEYWORDS)
                      + r")(?![\w:\-\u00b7\u0080-\U0010ffff])", re.IGNORECASE)
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPERATOR = re.compile(r"\|\||&&|!=|<=|>=|[-+*/=<>!|^]|\b(?:UNION|OPTIONAL|MINUS)\b",
                       re.IGNORECASE)


def prepare_query(text: str) -> str:
    """Check ``text`` and return exactly what the engine is to run.

    Raises:
        QueryRefusedError: the text is an update, reaches outside the graph, is not valid
            SPARQL 1.1 or not valid Unicode.
        QueryTooComplexError: the text is past a size, nesting or operator limit.
    """
    check_query(text)
    return _normalise(text)


def check_query(text: str) -> str:
    """Refuse updates, ``SERVICE``, ``FROM``/``FROM NAMED`` and oversized queries; return
    the query form.

    Returns:
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Raises:
        QueryRefusedError: the text is an update, reaches outside the graph, or is not
            valid SPARQL 1.1.
        QueryTooComplexError: the text is past a size, nesting or operator limit.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    'SELECT'
    >>> check_query("DROP ALL")
    Traceback (most recent call last):
    ...
    roscosmos_graph.errors.QueryRefusedError: updates are not allowed (the graph is read-only)
    """
    text = _normalise(text)
    expanded = _UNICODE_ESCAPE.sub(_expand, text) if "\\" in text else text
    for variant in (text, expanded) if expanded != text else (text,):
        code = _check_limits(variant)
        found = _KEYWORD.search(code)
        if found:
            raise QueryRefusedError(_KEYWORDS[found.group(1).upper()])
    parsed = parse_query(text)
    for node in _walk(parsed):
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise QueryRefusedError(_SERVICE_MESSAGE)
            if "datasetClause" in node:
                raise QueryRefusedError(_FROM_MESSAGE)
    return query_form(parsed)


def parse_query(text: str) -> ParseResults:
    """Parse with rdflib's SPARQL grammar, one parse at a time.

    Raises:
        QueryRefusedError: the text is not a SPARQL 1.1 query (an update is named as one).
        QueryTooComplexError: the parser ran out of recursion depth.
    """
    try:
        with _PARSER_LOCK:
            try:
                return parseQuery(text)
            except ParseException as error:
                if _is_update(text):
                    raise QueryRefusedError(_UPDATE_MESSAGE) from None
                raise QueryRefusedError(
                    f"SPARQL syntax error at line {error.lineno}, column {error.col}: "
                    f"{error.msg}") from None
    except RecursionError:
        raise QueryTooComplexError("the query is too deeply structured for the parser; "
                                   "split it or use fewer nested groups") from None
    except ValueError as error:  # rdflib's \u escape expansion: an invalid code point
        if isinstance(error, QueryRefusedError):
            raise
        raise QueryRefusedError(f"SPARQL syntax error: {error}") from None


def query_form(parsed: ParseResults) -> str:
    """The form (``SELECT``, ``ASK``, ...) of a parsed query."""
    return str(parsed[1].name).removesuffix("Query").upper()


def _normalise(text: str) -> str:
    """``\\r\\n`` and bare ``\\r`` become ``\\n``; text that is not valid Unicode is refused."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise QueryRefusedError(f"the query is not valid Unicode (character {error.start + 1} "
                                "is a lone surrogate)") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_limits(text: str) -> str:
    """Refuse ``text`` past a limit; return it with comments, strings and IRIs blanked."""
    size = len(text.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        raise QueryTooComplexError(f"the query is {size} bytes long; the limit is "
                                   f"{MAX_QUERY_BYTES}")
    code = _code_only(text)
    depth = 0
    for char in code:
        if char in "({[":
            depth += 1
            if depth > MAX_QUERY_NESTING:
                raise QueryTooComplexError(f"the query nests brackets deeper than "
                                           f"{MAX_QUERY_NESTING} levels")
        elif char in ")}]":
            depth = max(0, depth - 1)
    operators = sum(1 for _ in _OPERATOR.finditer(code))
    if operators > MAX_QUERY_OPERATORS:
        raise QueryTooComplexError(f"the query has {operators} operators; the limit is "
                                   f"{MAX_QUERY_OPERATORS}")
    return code


def _code_only(text: str) -> str:
    """``text`` with comments, strings and IRIs blanked out (same length, lines kept)."""
    return "".join(_code_pieces(text))


def _code_pieces(text: str) -> Iterator[str]:
    i, n = 0, len(text)
    start = 0
    while i < n:
        char = text[i]
        if char == "#":
            end = min((p for p in (text.find("\n", i), text.find("\r", i)) if p >= 0),
                      default=n)
        elif char == "<" and (iri := _IRIREF.match(text, i)):
            end = iri.end()
        elif char in "\"'":
            end = _string_end(text, i)
        else:
            i += 1
            continue
        yield text[start:i]
        yield " " * (end - i)
        start = i = end
    yield text[start:]


def _string_end(text: str, i: int) -> int:
    """Index after the string literal starting at ``i`` (or where a short one breaks off)."""
    quote = text[i] * 3 if text.startswith(text[i] * 3, i) else text[i]
    j, n = i + len(quote), len(text)
    while j < n:
        if text[j] == "\\":
            j += 2
        elif text.startswith(quote, j):
            return j + len(quote)
        elif len(quote) == 1 and text[j] in "\r\n":
            return j
        else:
            j += 1
    return n


def _expand(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if 0xD800 <= code <= 0xDFFF:
        raise QueryRefusedError(f"the escape {match.group(0)} names a lone surrogate, which is "
                                "not a character")
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return match.group(0)


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseException:
        return False
    return True


def _walk(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
