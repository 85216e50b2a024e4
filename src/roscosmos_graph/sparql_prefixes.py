"""Predeclared prefixes for ad-hoc SPARQL: every prefix of :data:`PREFIXES` works undeclared.

The memory and Oxigraph stores receive the prefix map beside the query text (so error
positions stay those of the user's text); a remote endpoint receives the text with the
missing ``PREFIX`` declarations put in front of it. A prefix that is neither declared nor
predeclared is a :class:`~roscosmos_graph.errors.QuerySyntaxError` on every store.
"""

from __future__ import annotations

from typing import Any

from pyparsing import ParseResults
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import QueryRefusedError, QuerySyntaxError
from .guard import parse_query
from .namespaces import PREFIXES

__all__ = ["check_prefixes", "prefix_header", "with_prefixes"]


def _prefixes(text: str) -> tuple[set[str], set[str]] | None:
    """The prefixes ``text`` uses and those it declares; ``None`` if rdflib cannot parse it."""
    try:
        parsed = parse_query(text)  # rdflib's parser, one parse at a time
    except QueryRefusedError:
        return None
    used: set[str] = set()
    declared: set[str] = set()
    stack: list[Any] = [parsed]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "pname":
                used.add(str(item.get("prefix") or ""))
            elif item.name == "PrefixDecl":
                declared.add(str(item.get("prefix") or ""))
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
    return used, declared


def check_prefixes(text: str) -> None:
    """Fail if ``text`` uses a prefix that it does not declare and :data:`PREFIXES` lacks.

    >>> check_prefixes("SELECT ?s WHERE { ?s a rsg:Person }")
    >>> check_prefixes("SELECT ?s WHERE { ?s a ex:Person }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    roscosmos_graph.errors.QuerySyntaxError: undeclared prefix 'ex:'; declare it with ...
    """
    found = _prefixes(text)
    if found is None:
        return
    used, declared = found
    missing = sorted(used - declared - set(PREFIXES))
    if missing:
        names = ", ".join(f"'{p}:'" for p in missing)
        noun = "prefix" if len(missing) == 1 else "prefixes"
        raise QuerySyntaxError(
            f"undeclared {noun} {names}; declare it with PREFIX {missing[0]}: <...>, or use "
            f"one of the predeclared prefixes: {', '.join(sorted(PREFIXES))}")


def prefix_header(text: str) -> str:
    """``PREFIX`` lines for the predeclared prefixes ``text`` uses but does not declare.

    >>> prefix_header("SELECT * WHERE { ?s a rsg:Person }")
    'PREFIX rsg: <https://w3id.org/roscosmos-graph/def#>\\n'
    >>> prefix_header("PREFIX rsg: <urn:x#> SELECT * WHERE { ?s a rsg:Person }")
    ''
    """
    found = _prefixes(text)
    if found is None:
        return ""
    used, declared = found
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n"
                   for p in sorted((used - declared) & set(PREFIXES)))


def with_prefixes(text: str) -> str:
    """``text`` with :func:`prefix_header` in front: for endpoints that know no prefixes."""
    return prefix_header(text) + text
