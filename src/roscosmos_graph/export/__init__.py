"""Exports of the knowledge graph: RDF formats, property-graph formats and VoID.

>>> sorted(FORMATS)[:3]
['cytoscape', 'gexf', 'graphml']
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RoscosmosGraphError
from .formats import FORMATS, PROPERTY_GRAPH_FORMATS, RDF_FORMATS

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from .property_graph import PropertyGraph, property_graph
    from .rdf import CONTEXT_FILE, jsonld_context, trig, turtle, write_context
    from .void import void_description

__all__ = [
    "CONTEXT_FILE",
    "FORMATS",
    "PROPERTY_GRAPH_FORMATS",
    "RDF_FORMATS",
    "ExportError",
    "PropertyGraph",
    "export",
    "jsonld_context",
    "property_graph",
    "trig",
    "turtle",
    "void_description",
    "write_context",
]

class ExportError(RoscosmosGraphError, ValueError):
    """An export was asked for in an unknown format."""


_LAZY = {**dict.fromkeys(("PropertyGraph", "property_graph"), "property_graph"),
         **dict.fromkeys(("CONTEXT_FILE", "jsonld_context", "trig", "turtle", "write_context"),
                         "rdf"),
         "void_description": "void"}


def __getattr__(name: str) -> Any:
    """Import the writers on first use: the formats alone load no RDF library."""
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def export(kg: KnowledgeGraph, fmt: str, path: str | Path, *, inferred: bool = False,
           keep_nary: bool = False) -> Path:
    """Write the graph to ``path`` in ``fmt``; writes files, opens no network connection.

    Args:
        kg: the loaded graph.
        fmt: one of :data:`FORMATS`.
        path: the file to write; a folder for ``neo4j``.
        inferred: add the reasoner's triples (a separate named graph in ``nquads`` and
            ``trig``).
        keep_nary: keep tenures and dated events as nodes in property-graph formats.

    Returns:
        The path written.

    Raises:
        ExportError: ``fmt`` is not a known format.
    """
    from .property_graph import property_graph, write_property_graph
    from .rdf import write_rdf

    path = Path(path)
    if fmt in RDF_FORMATS:
        write_rdf(fmt, path, kg.asserted, kg.inferred if inferred else None)
    elif fmt in PROPERTY_GRAPH_FORMATS:
        graph = kg.asserted + kg.inferred if inferred else kg.asserted
        write_property_graph(fmt, path, property_graph(graph, keep_nary=keep_nary))
    else:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return path
