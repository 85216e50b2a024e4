"""Conversion of RDF terms between pyoxigraph and rdflib."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

__all__ = ["add_triples", "from_oxigraph", "quiet_ill_typed", "to_oxigraph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_oxigraph(term: object, bnodes: dict[str, BNode] | None = None) -> Node | None:
    """Convert a pyoxigraph term to rdflib (``None`` stays ``None``).

    Plain ``xsd:string`` literals become plain rdflib literals. With ``bnodes``, each blank
    node label gets a fresh rdflib blank node, so labels from different files never merge.
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        if bnodes is None:
            return BNode(term.value)
        if term.value not in bnodes:
            bnodes[term.value] = BNode()
        return bnodes[term.value]
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def to_oxigraph(
    term: Node, bnodes: dict[BNode, ox.BlankNode] | None = None
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term.

    With ``bnodes``, each blank node gets a fresh Oxigraph blank node, kept through the map;
    without it, the blank node keeps its label (for writers whose labels are canonical).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        if bnodes is None:
            return ox.BlankNode(str(term))
        if term not in bnodes:
            bnodes[term] = ox.BlankNode()
        return bnodes[term]
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


@contextmanager
def quiet_ill_typed() -> Iterator[None]:
    """Silence rdflib's log of each ill-typed literal it builds (validation reports them)."""
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        quiet.setLevel(level)


def add_triples(graph: Graph, triples: Iterable[ox.Triple]) -> Graph:
    """Add pyoxigraph ``triples`` to ``graph`` in bulk (blank node labels kept); return it."""
    with quiet_ill_typed():
        graph.addN((from_oxigraph(t.subject), URIRef(t.predicate.value),
                    from_oxigraph(t.object), graph) for t in triples)
    return graph
