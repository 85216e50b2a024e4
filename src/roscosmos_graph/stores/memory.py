"""The default store: rdflib in memory, over the union of the asserted and inferred triples."""

from __future__ import annotations

import itertools
import time

from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from ..errors import QueryTimeoutError, RoscosmosGraphError, StoreError
from ..guard import parse_query
from ..namespaces import PREFIXES
from ..results import QueryResult
from ..sandbox import DEFAULT_MEMORY_LIMIT, run_sandboxed
from .base import one_line, run_with_timeout

__all__ = ["MemoryStore"]


class MemoryStore:
    """Answers queries with rdflib over one in-memory graph.

    rdflib evaluates in pure Python and cannot be interrupted reliably, so each query is
    parsed here and evaluated in a sandboxed child (:mod:`roscosmos_graph.sandbox`) that is
    killed at the time limit: a stopped query uses no more CPU.
    """

    name = "memory"

    def __init__(self, graph: Graph, *, memory_limit: int = DEFAULT_MEMORY_LIMIT) -> None:
        self.graph = graph
        self.memory_limit = memory_limit

    def run(self, query: str, *, timeout: float, row_cap: int) -> QueryResult:
        """Evaluate with rdflib in a child process, killed at ``timeout``.

        Every prefix of :data:`PREFIXES` is predeclared.

        Raises:
            StoreError: rdflib could not evaluate the query.
            QueryTimeoutError: the query ran past ``timeout``.
            QueryMemoryError: the query ran past the memory limit.
        """
        started = time.monotonic()

        def translate() -> Query:
            parsed = parse_query(query)  # rdflib's own parse is not thread-safe
            try:
                return translateQuery(parsed, initNs=PREFIXES)
            except RecursionError:
                raise StoreError(_TOO_DEEP) from None
            except Exception as error:  # rdflib raises bare Exception for some queries
                raise StoreError(
                    f"the query could not be evaluated: {one_line(str(error))}") from None

        algebra = run_with_timeout(translate, timeout)

        def work() -> QueryResult:
            try:
                return to_result(self.graph.query(algebra), row_cap)
            except RoscosmosGraphError:
                raise
            except RecursionError:
                raise StoreError(_TOO_DEEP) from None
            except Exception as error:  # rdflib raises bare Exception for some evaluations
                raise StoreError(
                    f"the query could not be evaluated: {one_line(str(error))}") from None

        stopped = QueryTimeoutError(f"query stopped after the time limit of {timeout:g} s")
        left = timeout - (time.monotonic() - started)
        if left <= 0:
            raise stopped
        try:
            return run_sandboxed(work, timeout=left, memory_limit=self.memory_limit)
        except QueryTimeoutError:
            raise stopped from None


_TOO_DEEP = "the query is too deeply structured for rdflib's evaluator; try --store oxigraph"


def to_result(result: Result, row_cap: int) -> QueryResult:
    """Turn an rdflib result (select, ask or graph) into a :class:`QueryResult`."""
    if result.type == "ASK":
        from rdflib import Literal

        return QueryResult(("result",), ((Literal(bool(result.askAnswer)),),))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        triples = sorted(result.graph)
        return QueryResult(("subject", "predicate", "object"),
                           tuple(tuple(t) for t in triples[:row_cap]), len(triples) > row_cap)
    variables = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(row) for row in itertools.islice(result, row_cap + 1))
    return QueryResult(variables, rows[:row_cap], len(rows) > row_cap)
