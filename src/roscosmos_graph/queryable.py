"""Canned and ad-hoc read-only queries, the part of the API every store shares.

Light to import: the guard's SPARQL parser is loaded when a query is first checked.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from .catalog import CannedQuery, get_query
from .errors import ParameterError, QueryTimeoutError
from .prefixes import curie
from .results import QueryResult, cell_n3
from .stores.base import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, Store, check_limits, run_with_timeout

__all__ = ["Queryable", "StoreGraph", "check_text"]

_RESOLVE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity WHERE {
  ?entity rdfs:label|skos:altLabel ?label .
  FILTER (LCASE(STR(?label)) = LCASE(STR(?text)))
} ORDER BY ?entity LIMIT 5"""


def check_text(text: str) -> str:
    """The guard's verdict on ``text``: the text the store is to run.

    Raises:
        QueryRefusedError: an update, ``SERVICE`` or ``FROM``; a syntax error, an
            undeclared prefix.
        QueryTooComplexError: past a size, nesting or operator limit.
    """
    from .guard import prepare_query
    from .sparql_prefixes import check_prefixes

    checked = prepare_query(text)
    check_prefixes(checked)
    return checked


class Queryable:
    """Canned and ad-hoc read-only queries against a store."""

    store: Store
    timeout: float
    row_cap: int

    def query(self, name: str, /, **params: object) -> QueryResult:
        """Run the canned query ``name`` with typed ``params``.

        Raises:
            UnknownQueryError: no such query.
            ParameterError: a parameter is missing, unknown or ill-typed.
            QueryTimeoutError: the query ran past the time limit.
        """
        return self.run_canned(get_query(name), params)

    def run_canned(self, canned: CannedQuery, params: Mapping[str, object]) -> QueryResult:
        """Bind ``params`` into ``canned`` and run it."""
        return self.sparql(canned.bind(params, self.resolve))

    def sparql(self, text: str) -> QueryResult:
        """Run an ad-hoc query; updates, ``SERVICE`` and ``FROM`` are refused unevaluated.

        Every prefix of :data:`~roscosmos_graph.namespaces.PREFIXES` (``rsg:``, ``id:``,
        ``rdfs:``...) is predeclared, on every store. The guard's checks count against the
        time limit; the store runs the checked text.

        Raises:
            QueryRefusedError: an update, ``SERVICE`` or ``FROM``; a syntax error
                (:class:`QuerySyntaxError`, with line and column), an undeclared prefix.
            QueryTooComplexError: past a size, nesting or operator limit.
            QueryTimeoutError: the query ran past the time limit.
            StoreError: the store could not evaluate the query.
        """

        started = time.monotonic()
        checked = run_with_timeout(lambda: self.check(text), self.timeout)
        left = self.timeout - (time.monotonic() - started)
        if left <= 0:
            raise QueryTimeoutError(f"query stopped after the time limit of {self.timeout:g} s")
        try:
            return self.store.run(checked, timeout=left, row_cap=self.row_cap)
        except QueryTimeoutError as error:  # name the limit the caller set, not what was left
            raise QueryTimeoutError(str(error).replace(f"{left:g} s", f"{self.timeout:g} s")) \
                from None

    def check(self, text: str) -> str:
        """The text the store is to run, once the guard accepts ``text`` (:func:`check_text`)."""
        return check_text(text)

    def resolve(self, label: str) -> str | None:
        """The IRI of the entity with this English or Russian label (case ignored), if
        exactly one.

        Raises:
            ParameterError: several entities carry the label.
        """
        at = _RESOLVE.index("{") + 1
        literal = cell_n3(("literal", label, None, None))
        text = _RESOLVE[:at] + f"\n  VALUES ?text {{ {literal} }}" + _RESOLVE[at:]
        found = [row[0][1] for row in self.sparql(text).cells if row[0] is not None]
        if len(found) > 1:
            names = ", ".join(curie(iri) for iri in found)
            raise ParameterError("label", f"{label!r} is ambiguous: {names}")
        return found[0] if found else None


class StoreGraph(Queryable):
    """Canned and ad-hoc queries on a store filled elsewhere, such as an
    :class:`~roscosmos_graph.stores.OxigraphStore` filled with
    :meth:`~roscosmos_graph.stores.OxigraphStore.load_triples`.

    Raises:
        ParameterError: ``timeout`` or ``row_cap`` out of range.
    """

    def __init__(self, store: Store, *, timeout: float = DEFAULT_TIMEOUT,
                 row_cap: int = DEFAULT_ROW_CAP) -> None:
        check_limits(timeout, row_cap)
        self.store = store
        self.timeout = timeout
        self.row_cap = row_cap
