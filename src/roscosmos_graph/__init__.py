"""roscosmos-graph: a sourced, validated linked-data graph of the Russian space programme.

>>> import roscosmos_graph
>>> kg = roscosmos_graph.load()                                  # doctest: +SKIP
>>> kg.query("heads-on-date", date="2020-01-01").records()       # doctest: +SKIP
"""

from . import export
from .catalog import CannedQuery, Parameter, get_query, queries
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
