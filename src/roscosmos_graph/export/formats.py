"""The export formats and their file suffixes, light to import (no RDF library)."""

from __future__ import annotations

__all__ = ["FORMATS", "PROPERTY_GRAPH_FORMATS", "RDF_FORMATS"]

RDF_FORMATS: dict[str, str] = {
    "turtle": ".ttl",
    "ntriples": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
    "jsonld": ".jsonld",
    "rdfxml": ".rdf",
}
"""The RDF export formats and their file suffixes."""

PROPERTY_GRAPH_FORMATS: dict[str, str] = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "neo4j": "",
    "cytoscape": ".cyjs",
}
"""The property-graph export formats and their file suffixes (``neo4j`` is a folder)."""

FORMATS: dict[str, str] = {**RDF_FORMATS, **PROPERTY_GRAPH_FORMATS}
"""Every export format and its file suffix (``neo4j`` writes a folder)."""
