"""What a query may not do: update data, call other endpoints, or name other datasets.

Every query, canned or ad hoc, passes :func:`check_query` before it reaches any store, so
the refusal happens before evaluation and nothing is opened or changed.
"""

from __future__ import annotations

from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import QueryRefusedError

__all__ = ["check_query", "query_form"]


def check_query(text: str) -> str:
    """Refuse updates, ``SERVICE`` and ``FROM``/``FROM NAMED``; return the query form.

    Returns:
        ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Raises:
        QueryRefusedError: the text is an update, reaches outside the graph, or is not
            valid SPARQL 1.1.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    'SELECT'
    >>> check_query("DROP ALL")
    Traceback (most recent call last):
    ...
    roscosmos_graph.errors.QueryRefusedError: updates are not allowed (the graph is read-only)
    """
    try:
        parsed = parseQuery(text)
    except ParseException as error:
        if _is_update(text):
            raise QueryRefusedError("updates are not allowed (the graph is read-only)") from None
        raise QueryRefusedError(
            f"SPARQL syntax error at line {error.lineno}, column {error.col}: {error.msg}"
        ) from None
    except ValueError as error:  # rdflib's \u escape expansion: an invalid code point
        raise QueryRefusedError(f"SPARQL syntax error: {error}") from None
    for node in _walk(parsed):
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise QueryRefusedError("SERVICE is not allowed: queries never leave the graph")
            if "datasetClause" in node:
                raise QueryRefusedError("FROM and FROM NAMED are not allowed: "
                                        "queries run on this graph only")
    return query_form(parsed)


def query_form(parsed: ParseResults) -> str:
    """The form (``SELECT``, ``ASK``, ...) of a parsed query."""
    return str(parsed[1].name).removesuffix("Query").upper()


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseException:
        return False
    return True


def _walk(node: Any) -> Any:
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
