"""OWL 2 RL closure, kept apart from the asserted triples and free of trivial entailments."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from typing import Literal as Choice

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from .bulk import without_gc
from .resources import ENGINES
from .terms import from_oxigraph, to_oxigraph

__all__ = ["ENGINES", "Engine", "infer", "infer_triples", "is_useful"]

Engine = Choice["owlrl", "reasonable"]

_AXIOMATIC = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, RDF.Property}
_REFLEXIVE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf,
              RDFS.subPropertyOf}
_TYPE = RDF.type
_XSD_STRING = XSD.string
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
    # str's own methods: rdflib's startswith and == are Python code, run millions of times
    if p in _SCHEMA_PREDICATES or isinstance(s, Literal) or str.startswith(s, _AXIOMATIC):
        return False
    if type(p) is URIRef and str.__eq__(p, _TYPE):
        return not (o in _TRIVIAL_TYPES or str.startswith(o, _AXIOMATIC))
    return not (type(s) is type(o) and str.__eq__(s, o) and p in _REFLEXIVE)


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
    import reasonable

    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(asserted)
    return _complete(reasoner, lambda p: asserted.triples((None, p, None)))


def infer_triples(asserted: Sequence[ox.Triple]) -> list[ox.Triple]:
    """What :func:`infer` gives with ``reasonable``, from and as pyoxigraph triples.

    The triples reach the reasoner as an N-Triples file rather than as rdflib terms, which
    is what makes this the fast way to reason over parsed files. Blank nodes keep their
    labels, so the result joins the asserted triples as it is.
    """
    with without_gc():
        return _infer_triples(asserted)


def _infer_triples(asserted: Sequence[ox.Triple]) -> list[ox.Triple]:
    import reasonable

    reasoner = reasonable.PyReasoner()
    with tempfile.TemporaryDirectory(prefix="roscosmos-graph-reason-") as folder:
        path = Path(folder) / "asserted.n3"  # the suffix reasonable reads as N-Triples
        ox.serialize(asserted, output=path, format=ox.RdfFormat.N_TRIPLES)
        reasoner.load_file(str(path))
    known = set(asserted)
    converted: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if node not in converted:
            converted[node] = to_oxigraph(node)
        return converted[node]

    inferred = []
    for s, p, o in _complete(reasoner, _by_predicate(asserted)):
        if is_useful((s, p, o)):
            triple = ox.Triple(term(s), term(p), term(o))
            if triple not in known:
                known.add(triple)
                inferred.append(triple)
    return inferred


Lookup = Callable[[URIRef], Iterable[tuple[Node, Node, Node]]]
"""The asserted triples with a given predicate, as rdflib terms."""


def _foreseen_chain_triples(with_predicate: Lookup) -> list[tuple[Node, Node, Node]]:
    """Chain triples the asserted ones entail through subproperties and inverses alone.

    Sound but not complete: given to the reasoner before its first run, they spare
    :func:`_complete` a second round in the usual case, and it still runs one whenever the
    closure entails more.
    """
    chains = _property_chains(triple for predicate in (RDF.first, RDF.rest,
                                                       OWL.propertyChainAxiom)
                              for triple in with_predicate(predicate))
    if not chains:
        return []
    # p -> {(q, flipped)}: ``x p y`` entails ``x q y``, or ``y q x`` when flipped
    edges: dict[Node, set[tuple[Node, bool]]] = {}
    links = {RDFS.subPropertyOf: ((False, False),),
             OWL.equivalentProperty: ((False, False), (True, False)),
             OWL.inverseOf: ((False, True), (True, True))}
    for predicate, ways in links.items():
        for s, _, o in with_predicate(predicate):
            for backwards, flipped in ways:
                a, b = (o, s) if backwards else (s, o)
                if isinstance(a, URIRef) and isinstance(b, URIRef):
                    edges.setdefault(b, set()).add((a, flipped))
    # walk back from each chain step to every property whose triples give it
    facts = []
    for step in {step for _, path in chains for step in path}:
        seen, todo = {(step, False)}, [(step, False)]
        while todo:
            prop, flipped = todo.pop()
            for source, flip in edges.get(prop, ()):
                if (source, flipped != flip) not in seen:
                    seen.add((source, flipped != flip))
                    todo.append((source, flipped != flip))
        for prop, flipped in seen:
            for s, _, o in with_predicate(prop):  # type: ignore[arg-type]
                if not flipped:
                    facts.append((s, step, o))
                elif not isinstance(o, Literal):
                    facts.append((o, step, s))
    return list(set(_chain_triples(facts, chains)))


def _by_predicate(triples: Sequence[ox.Triple]) -> Lookup:
    """:data:`Lookup` over pyoxigraph triples (blank nodes keep their labels)."""
    grouped: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        grouped.setdefault(triple.predicate.value, []).append(triple)

    def lookup(predicate: URIRef) -> list[tuple[Node, Node, Node]]:
        return [(from_oxigraph(t.subject), predicate, from_oxigraph(t.object))
                for t in grouped.get(str(predicate), ())]  # type: ignore[misc]
    return lookup


def _complete(reasoner: Any, with_predicate: Lookup) -> list[tuple[Node, Node, Node]]:
    """The closure of the triples loaded into ``reasoner``, completed with the rule it lacks
    (prp-spo2); ``with_predicate`` looks up the same asserted triples.

    ``reasonable`` 0.4 does not implement ``owl:propertyChainAxiom``, so the chain triples
    foreseen from the asserted ones are handed to it first, then chains are joined over its
    closure and the new triples fed back to it (incrementally) until nothing new appears;
    subproperties, inverses and transitivity then follow as with owlrl.
    """
    if foreseen := _foreseen_chain_triples(with_predicate):
        reasoner.from_graph(foreseen)
    closure = [_normalise(triple) for triple in reasoner.reason()]
    chains = _property_chains(closure)
    while chains:
        known = set(closure)
        fresh = {triple for triple in _chain_triples(closure, chains) if triple not in known}
        if not fresh:
            break
        reasoner.from_graph(list(fresh))
        closure = [_normalise(triple) for triple in reasoner.reason()]
    return closure


def _normalise(triple: tuple[Node, Node, Node]) -> tuple[Node, Node, Node]:
    """Plain literals back as rdflib has them (``reasonable`` types them ``xsd:string``)."""
    s, p, o = triple
    if type(o) is Literal and o.datatype == _XSD_STRING:
        return s, p, Literal(str(o))
    return triple


def _property_chains(triples: Iterable[tuple[Node, Node, Node]]
                     ) -> list[tuple[URIRef, tuple[URIRef, ...]]]:
    """Every ``p owl:propertyChainAxiom (p1 ... pn)`` among ``triples``, named properties only."""
    first: dict[Node, Node] = {}
    rest: dict[Node, Node] = {}
    heads: list[tuple[Node, Node]] = []
    wanted = {RDF.first: first.__setitem__, RDF.rest: rest.__setitem__,
              OWL.propertyChainAxiom: lambda s, o: heads.append((s, o))}
    for s, p, o in triples:
        if p in wanted:
            wanted[p](s, o)
    chains = []
    for prop, head in heads:
        steps: list[Node] = []
        node = head
        while node in first and len(steps) <= len(first):
            steps.append(first[node])
            node = rest.get(node, RDF.nil)
        if isinstance(prop, URIRef) and steps and node == RDF.nil \
                and all(isinstance(step, URIRef) for step in steps):
            chains.append((prop, tuple(steps)))  # type: ignore[arg-type]
    return sorted(chains)


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
