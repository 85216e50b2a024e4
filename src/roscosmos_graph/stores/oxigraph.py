"""An embedded Oxigraph store, in memory or on disk: the fast path for large graphs."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import QuerySyntaxError, StoreError
from ..prefixes import PREFIXES
from ..results import QueryResult, oxigraph_cell
from ..sandbox import DEFAULT_MEMORY_LIMIT, run_sandboxed
from .base import one_line

if TYPE_CHECKING:
    from rdflib import BNode, Graph

__all__ = ["OxigraphStore"]

_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_REASON = re.compile(r"(?:(?<=^)|(?<=, )|(?<=expected one of )|(?<=expected ))"
                     r"([A-Z][^,\[\]\"']*? [^,\[\]\"']*)(?=,|$)")


class OxigraphStore:
    """Answers queries with pyoxigraph over the asserted and inferred triples.

    Both graphs are loaded into the default graph, so queries need no ``GRAPH`` clause.
    Each query runs in a sandboxed child (:mod:`roscosmos_graph.sandbox`) with
    ``memory_limit`` bytes of memory at most.
    """

    name = "oxigraph"

    def __init__(self, path: str | Path | None = None, *,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT) -> None:
        self.memory_limit = memory_limit
        try:
            self.store = ox.Store(str(path)) if path else ox.Store()
        except OSError as error:
            raise StoreError(f"cannot open Oxigraph store at {path}: {error}") from None

    @classmethod
    def wrap(cls, store: ox.Store, *, memory_limit: int = DEFAULT_MEMORY_LIMIT) -> OxigraphStore:
        """Answer queries from an open ``pyoxigraph.Store`` (such as a read-only one)."""
        wrapped = cls.__new__(cls)
        wrapped.memory_limit = memory_limit
        wrapped.store = store
        return wrapped

    def load_graphs(self, graphs: Iterable[Graph]) -> None:
        """Replace the store's content with the triples of ``graphs``."""
        from ..terms import to_oxigraph

        bnodes: dict[BNode, ox.BlankNode] = {}
        self.load_triples(
            ox.Triple(to_oxigraph(s, bnodes), to_oxigraph(p, bnodes), to_oxigraph(o, bnodes))
            for graph in graphs for s, p, o in graph
        )

    def load_triples(self, triples: Iterable[ox.Triple]) -> None:
        """Replace the store's content with ``triples`` (blank node labels kept): the way
        to fill it from :func:`~roscosmos_graph.loading.read_turtle` and
        :func:`~roscosmos_graph.reasoning.infer_triples` without any rdflib graph."""
        self.store.clear()
        self.store.extend(ox.Quad(*triple) for triple in triples)
        self.store.optimize()

    def __len__(self) -> int:
        return len(self.store)

    def run(self, query: str, *, timeout: float, row_cap: int) -> QueryResult:
        """Evaluate with Oxigraph in a sandboxed child, killed at ``timeout``.

        Every prefix of :data:`PREFIXES` is predeclared.

        Raises:
            QuerySyntaxError: Oxigraph could not parse the query (with line and column).
            QueryTimeoutError: the query ran past ``timeout``.
            QueryMemoryError: the query ran past the memory limit.
            StoreError: the engine could not evaluate the query or crashed.
        """

        def work() -> QueryResult:
            try:
                return _evaluate(self.store, query, row_cap)
            except SyntaxError as error:
                raise QuerySyntaxError(syntax_message(str(error))) from None
            except OSError as error:
                raise StoreError(f"the query could not be evaluated: {error}") from None

        return run_sandboxed(work, timeout=timeout, memory_limit=self.memory_limit)


def _evaluate(store: ox.Store, query: str, row_cap: int) -> QueryResult:
    result = store.query(query, prefixes=PREFIXES)
    if isinstance(result, ox.QueryBoolean):
        answer = ox.Literal("true" if result else "false", datatype=_BOOLEAN)
        return QueryResult.from_cells(("result",), ((oxigraph_cell(answer),),))
    if isinstance(result, ox.QueryTriples):
        from ..terms import from_oxigraph

        triples = sorted((from_oxigraph(t.subject), from_oxigraph(t.predicate),
                          from_oxigraph(t.object)) for t in result)
        return QueryResult(("subject", "predicate", "object"),
                           tuple(triples[:row_cap]), len(triples) > row_cap)
    variables = tuple(v.value for v in result.variables)
    rows = tuple(
        tuple(oxigraph_cell(solution[v]) for v in variables)
        for solution in itertools.islice(result, row_cap + 1)
    )
    return QueryResult.from_cells(variables, rows[:row_cap], len(rows) > row_cap)


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def syntax_message(message: str) -> str:
    """Oxigraph's parse error (``error at 2:8: expected one of ...``) on one short line.

    Where Oxigraph hides a reason among the expected tokens, the reason is shown alone.

    >>> syntax_message('error at 2:8: expected one of "$", "("')
    'SPARQL syntax error at line 2, column 8: expected one of "$", "("'
    >>> syntax_message('error at 1:36: expected one of Duplicated variable name in SELECT, [_]')
    'SPARQL syntax error at line 1, column 36: Duplicated variable name in SELECT'
    """
    match = _POSITION.match(message)
    if not match:
        return f"SPARQL syntax error: {one_line(message, 200)}"
    rest = one_line(message[match.end():], 10_000)
    reasons = _REASON.findall(rest)
    detail = "; ".join(reasons) if reasons else one_line(rest, 160)
    return f"SPARQL syntax error at line {match[1]}, column {match[2]}: {detail}"
