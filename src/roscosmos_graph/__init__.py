"""roscosmos-graph: a sourced, validated linked-data graph of the Russian space programme.

>>> import roscosmos_graph
>>> kg = roscosmos_graph.load()                                  # doctest: +SKIP
>>> kg.query("heads-on-date", date="2020-01-01").records()       # doctest: +SKIP
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (
    BuildError,
    InputNotFoundError,
    InputUnreadableError,
    MissingExtraError,
    OutputFolderError,
    OutputWriteError,
    ParameterError,
    QueryMemoryError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooComplexError,
    RoscosmosGraphError,
    ShaclEngineError,
    StoreError,
    TurtleSyntaxError,
    UndeclaredTermError,
    UnknownQueryError,
)

if TYPE_CHECKING:
    from . import export
    from .catalog import CannedQuery, Parameter, get_query, queries
    from .graph import (
        ASSERTED_GRAPH,
        INFERRED_GRAPH,
        Endpoint,
        GraphStats,
        KnowledgeGraph,
        connect,
        load,
    )
    from .namespaces import ID, PREFIXES, RSG
    from .results import QueryResult
    from .validation import ValidationReport, ValidationResult

_LAZY = {
    **dict.fromkeys(("CannedQuery", "Parameter", "get_query", "queries"), "catalog"),
    **dict.fromkeys(("ASSERTED_GRAPH", "INFERRED_GRAPH", "Endpoint", "GraphStats",
                     "KnowledgeGraph", "connect", "load"), "graph"),
    **dict.fromkeys(("ID", "PREFIXES", "RSG"), "namespaces"),
    "QueryResult": "results",
    **dict.fromkeys(("ValidationReport", "ValidationResult"), "validation"),
}


def __getattr__(name: str) -> Any:
    """Import the API's modules on first use, so that a quick command loads only what it needs."""
    if name == "export":
        return import_module(".export", __name__)
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "ASSERTED_GRAPH",
    "ID",
    "INFERRED_GRAPH",
    "PREFIXES",
    "RSG",
    "BuildError",
    "CannedQuery",
    "Endpoint",
    "GraphStats",
    "InputNotFoundError",
    "InputUnreadableError",
    "KnowledgeGraph",
    "MissingExtraError",
    "OutputFolderError",
    "OutputWriteError",
    "Parameter",
    "ParameterError",
    "QueryMemoryError",
    "QueryRefusedError",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooComplexError",
    "RoscosmosGraphError",
    "ShaclEngineError",
    "StoreError",
    "TurtleSyntaxError",
    "UndeclaredTermError",
    "UnknownQueryError",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "connect",
    "export",
    "get_query",
    "load",
    "queries",
]
