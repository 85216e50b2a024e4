"""The default store: rdflib in memory, over the union of the asserted and inferred triples."""

from __future__ import annotations

import itertools

from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.query import Result

from ..errors import RoscosmosGraphError, StoreError
from ..guard import parse_query
from ..namespaces import PREFIXES
from ..results import QueryResult
from .base import one_line, run_with_timeout

__all__ = ["MemoryStore"]


class MemoryStore:
    """Answers queries with rdflib over one in-memory graph."""

    name = "memory"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def run(self, query: str, *, timeout: float, row_cap: int) -> QueryResult:
        """Evaluate with rdflib; stopped in its thread at ``timeout``.

        Every prefix of :data:`PREFIXES` is predeclared.

        Raises:
            StoreError: rdflib could not evaluate the query.
            QueryTimeoutError: the query ran past ``timeout``.
        """

        def work() -> QueryResult:
            parsed = parse_query(query)  # rdflib's own parse is not thread-safe
            try:
                return to_result(self.graph.query(translateQuery(parsed, initNs=PREFIXES)), row_cap)
            except RoscosmosGraphError:
                raise
            except RecursionError:
                raise StoreError("the query is too deeply structured for rdflib's "
                                 "evaluator; try --store oxigraph") from None
            except Exception as error:  # rdflib raises bare Exception for some evaluations
                raise StoreError(
                    f"the query could not be evaluated: {one_line(str(error))}") from None

        return run_with_timeout(work, timeout)


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
