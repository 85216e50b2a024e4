"""OWL 2 RL closure, kept apart from the asserted triples and free of trivial entailments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal as Choice

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

__all__ = ["ENGINES", "Engine", "infer", "is_useful"]

Engine = Choice["owlrl", "reasonable"]
ENGINES: tuple[str, ...] = ("owlrl", "reasonable")

_AXIOMATIC = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, RDF.Property}
_REFLEXIVE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf,
              RDFS.subPropertyOf}
_SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
                      OWL.equivalentProperty, RDFS.domain, RDFS.range, OWL.inverseOf}


def is_useful(triple: tuple[Node, Node, Node]) -> bool:
    """Tell whether an inferred triple says something about the data worth keeping.

    Dropped: triples about literals, about the RDF/RDFS/OWL/XSD vocabularies themselves,
    reflexive ``owl:sameAs``/``rdfs:subClassOf``-like links, ``rdf:type`` to universal
    classes, and schema-level entailments between classes and properties.

    >>> from rdflib import URIRef
    >>> x = URIRef("https://w3id.org/roscosmos-graph/id/mir")
    >>> is_useful((x, OWL.sameAs, x))
    False
    """
    s, p, o = triple
    if isinstance(s, Literal) or str(s).startswith(_AXIOMATIC):
        return False
    if p in _REFLEXIVE and s == o:
        return False
    if p == RDF.type and (o in _TRIVIAL_TYPES or str(o).startswith(_AXIOMATIC)):
        return False
    return p not in _SCHEMA_PREDICATES


def infer(asserted: Graph, *, engine: Engine = "owlrl") -> Graph:
    """Materialise the OWL 2 RL closure of ``asserted`` and return only the new, useful triples.

    Args:
        asserted: ontology and data together; it is not modified.
        engine: ``owlrl`` (the reference implementation) or ``reasonable`` (a fast Rust
            reasoner that gives the same useful triples on this graph).
    """
    if engine == "owlrl":
        closure = _owlrl_closure(asserted)
    elif engine == "reasonable":
        closure = _reasonable_closure(asserted)
    else:
        raise ValueError(f"unknown reasoning engine {engine!r}; expected one of {ENGINES}")
    inferred = Graph()
    for triple in closure:
        if triple not in asserted and is_useful(triple):
            inferred.add(triple)
    return inferred


def _owlrl_closure(asserted: Graph) -> Iterable[tuple[Node, Node, Node]]:
    import owlrl

    work = Graph()
    for triple in asserted:
        work.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    return work


def _reasonable_closure(asserted: Graph) -> Iterable[tuple[Node, Node, Node]]:
    """The closure from ``reasonable``, completed with the rule it lacks (prp-spo2).

    ``reasonable`` 0.4 does not implement ``owl:propertyChainAxiom``, so chains are joined
    here over its closure and the new triples fed back to it (incrementally) until nothing
    new appears; subproperties, inverses and transitivity then follow as with owlrl.
    """
    import reasonable

    chains = _property_chains(asserted)
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(asserted)
    while True:
        closure = [_normalise(triple) for triple in reasoner.reason()]
        if not chains:
            return closure
        extra = Graph()
        for triple in _chain_triples(closure, chains):
            extra.add(triple)
        if not extra:
            return closure
        known = set(closure)
        fresh = Graph()
        for triple in extra:
            if triple not in known:
                fresh.add(triple)
        if not fresh:
            return closure
        reasoner.from_graph(fresh)


def _normalise(triple: tuple[Node, Node, Node]) -> tuple[Node, Node, Node]:
    s, p, o = triple
    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))
    return s, URIRef(p), o


def _property_chains(graph: Graph) -> list[tuple[URIRef, tuple[URIRef, ...]]]:
    """Every ``p owl:propertyChainAxiom (p1 ... pn)`` of ``graph`` with named properties."""
    chains = []
    for prop, head in graph.subject_objects(OWL.propertyChainAxiom):
        steps = tuple(graph.items(head))
        if isinstance(prop, URIRef) and steps and all(isinstance(s, URIRef) for s in steps):
            chains.append((prop, steps))  # type: ignore[arg-type]
    return chains


def _chain_triples(closure: Iterable[tuple[Node, Node, Node]],
                   chains: list[tuple[URIRef, tuple[URIRef, ...]]]
                   ) -> Iterable[tuple[Node, Node, Node]]:
    """prp-spo2: ``x0 p1 x1 ... x(n-1) pn xn`` entails ``x0 p xn``."""
    wanted = {step for _, steps in chains for step in steps}
    links: dict[Node, dict[Node, set[Node]]] = {p: {} for p in wanted}
    for s, p, o in closure:
        if p in wanted:
            links[p].setdefault(s, set()).add(o)
    for prop, steps in chains:
        for start in list(links[steps[0]]):
            frontier = {start}
            for step in steps:
                frontier = {o for x in frontier for o in links[step].get(x, ())}
                if not frontier:
                    break
            for end in frontier:
                yield start, prop, end
