"""The fast SHACL engine: rudof for the core constraints, Oxigraph for the SPARQL-based ones.

Both answer in the results-graph form of pyshacl, the reference, so one renderer serves
every engine. Three things rudof (``pyrudof``) does differently are handled here:

- it does not evaluate ``sh:SPARQLTarget``, and its ``sh:sparql`` evaluation fails on
  blank focus nodes: SPARQL targets are resolved on Oxigraph and handed to rudof as
  ``sh:targetNode``, and ``sh:sparql`` constraints are left to :mod:`.shacl_sparql`; a
  target node cannot be blank, so a SPARQL target that selects a blank node raises
  :class:`BlankTargetError`, on which the caller falls back to the reference engine;
- it checks a literal's datatype IRI but not its lexical form, whereas SHACL counts an
  ill-typed literal such as ``"2014-13-45"^^xsd:date`` as not matching its datatype: each
  ill-typed literal reaches rudof with a datatype of its own that no shape names, and the
  original literal is put back into the results;
- besides a shape's ``sh:message`` it reports a message of its own, which is dropped.

rudof holds the whole data in memory several times over (about 8.6 GB for 1M triples), so
a large graph is validated in slices (:func:`slices`): each slice is the complete
description of some subjects (their triples, following blank nodes), plus what the core
constraints read about other nodes (the types of the objects, the ``rdfs:subClassOf``
hierarchy, and the triples that make a member a target of ``sh:targetObjectsOf``). Every
node is a member of one slice, and a slice keeps only the results about its members (and
about literals, deduplicated), so the results are those of one run over the whole graph.
Shapes that look further than the values' types (a nested shape with a path, a path other
than a predicate, ``sh:closed`` on a value) are validated in one slice.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .bulk import without_gc
from .errors import ShaclEngineError
from .shacl_sparql import constraint_results, sparql_targets
from .terms import from_oxigraph, quiet_ill_typed

__all__ = ["SLICE_TRIPLES", "BlankTargetError", "Slice", "ox_triples", "slices",
           "validate_fast"]

_ILL_TYPED = "urn:roscosmos-graph:ill-typed:"
_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_UNCHECKED = {"http://www.w3.org/2001/XMLSchema#string",
              "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_LOOKS_AT_VALUE = (SH.property, SH.path, SH.closed, SH.equals, SH.disjoint, SH.lessThan,
                   SH.lessThanOrEquals, SH.sparql)
"""Constraints of a shape applied to a value that read the value's own triples."""

SLICE_TRIPLES = 50_000
"""About how many triples of the data rudof is given at once (it needs ~9 KB per triple)."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class BlankTargetError(ShaclEngineError):
    """A SPARQL target selects a blank node, which rudof cannot be given as a target node."""


@dataclass
class Slice:
    """Some subjects' descriptions and what the core constraints read beside them.

    ``members`` are the nodes whose results this slice reports, as :func:`_key` gives them;
    ``None`` means every node (the whole graph in one slice).
    """

    triples: list[ox.Triple] = field(default_factory=list)
    members: set[str] | None = field(default_factory=set)


def ox_triples(graph: Graph) -> list[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph triples, blank node labels kept."""
    with warnings.catch_warnings():  # rdflib warns on each ill-typed number it writes
        warnings.filterwarnings("ignore", "Serializing weird numerical", UserWarning)
        text = graph.serialize(format="nt", encoding="utf-8")
    return list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def validate_fast(asserted: Sequence[ox.Triple], shapes: Graph, *,
                  slice_triples: int = SLICE_TRIPLES) -> Graph:
    """Validate ``asserted`` against ``shapes``; return the SHACL results graph.

    ``slice_triples`` bounds how much of the data rudof holds at once (see the module).

    Raises:
        ShaclEngineError: pyrudof is not installed, refused the data or the shapes, or the
            shapes use a SPARQL-based feature the engine does not cover.
    """
    with without_gc():
        return _validate(asserted, shapes, slice_triples)


def _validate(asserted: Sequence[ox.Triple], shapes: Graph, slice_triples: int) -> Graph:
    store = ox.Store()
    store.extend(ox.Quad(*triple) for triple in asserted)
    targets = sparql_targets(shapes, store)
    core = _core_shapes(shapes, targets)
    with ThreadPoolExecutor(1, thread_name_prefix="roscosmos-graph-rudof") as pool:
        # side by side: Oxigraph answers outside the interpreter's lock (and its results
        # must stay in the thread that made them)
        core_results = pool.submit(_core_results, asserted, shapes, core, slice_triples)
        report = constraint_results(shapes, store, targets)
        report += core_results.result()
    return report


def _core_results(asserted: Sequence[ox.Triple], shapes: Graph, core: Graph,
                  slice_triples: int) -> Graph:
    """rudof's results for the core constraints, slice by slice."""
    targeted = [(s, o) for s, o in core.subject_objects(SH.targetNode)]
    core.remove((None, SH.targetNode, None))
    base = core.serialize(format="nt", encoding="utf-8").decode("utf-8")
    stand_ins = _ill_typed(asserted)
    with quiet_ill_typed():
        originals = {from_oxigraph(stand_in): from_oxigraph(original)
                     for original, stand_in in stand_ins.items()}
    limit = slice_triples if _sliceable(shapes) else len(asserted) + 1
    report = Graph()
    seen: set[tuple[Node | None, ...]] = set()
    for part in slices(asserted, limit, set(shapes.objects(None, SH.targetObjectsOf)),
                       {_key(node) for _, node in targeted}):
        data = [ox.Triple(t.subject, t.predicate, stand_ins[t.object])
                if t.object in stand_ins else t for t in part.triples]
        text = ox.serialize(data, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        lines = [f"<{shape}> <{SH.targetNode}> {node.n3()} .\n" for shape, node in targeted
                 if part.members is None or isinstance(node, Literal)
                 or _key(node) in part.members]
        part_report = _rudof(text, base + "".join(lines))
        _shape_messages(part_report, shapes)
        _merge(part_report, report, part.members, originals, seen)
    return report


def slices(triples: Sequence[ox.Triple], size: int, objects_of: Iterable[Node] = (),
           targeted: Iterable[str] = ()) -> Iterator[Slice]:
    """Cut ``triples`` into slices of about ``size`` triples (see the module's text).

    ``objects_of`` are the predicates of ``sh:targetObjectsOf``; ``targeted`` the
    ``sh:targetNode`` nodes (as :func:`_key` gives them), which belong to the last slice
    when no subject describes them.
    """
    if size > len(triples):
        yield Slice(list(triples), None)
        return
    wanted = {str(p) for p in objects_of}
    described: dict[Term, list[ox.Triple]] = {}
    incoming: dict[Term, list[ox.Triple]] = {}
    blank_objects: set[ox.BlankNode] = set()
    hierarchy = []
    for triple in triples:
        described.setdefault(triple.subject, []).append(triple)
        if isinstance(triple.object, ox.BlankNode):
            blank_objects.add(triple.object)
        if triple.predicate.value in wanted and not isinstance(triple.object, ox.Literal):
            incoming.setdefault(triple.object, []).append(triple)
        if triple.predicate == _SUBCLASS:
            hierarchy.append(triple)
    roots = [s for s in described
             if isinstance(s, ox.NamedNode) or s not in blank_objects]
    assigned: set[Term] = set()
    part: list[Term] = []
    count = 0
    for root in [*roots, *described]:  # then blank nodes only reached from each other
        if root in assigned:
            continue
        for node in _description_nodes(root, described):
            if node not in assigned:
                assigned.add(node)
                part.append(node)
                count += len(described.get(node, ()))
            for triple in described.get(node, ()):  # an undescribed target of objectsOf
                value = triple.object
                if value in incoming and value not in described and value not in assigned:
                    assigned.add(value)
                    part.append(value)
        if count >= size:
            yield _slice(part, described, incoming, hierarchy, ())
            part, count = [], 0
    orphans = set(targeted) - {_key(node) for node in assigned}
    if part or orphans:
        yield _slice(part, described, incoming, hierarchy, orphans)


def _description_nodes(root: Term, described: dict[Term, list[ox.Triple]]) -> list[Term]:
    """``root`` and the blank nodes its description reaches, in order."""
    nodes, todo, seen = [], [root], {root}
    while todo:
        node = todo.pop()
        nodes.append(node)
        for triple in described.get(node, ()):
            if isinstance(triple.object, ox.BlankNode) and triple.object not in seen:
                seen.add(triple.object)
                todo.append(triple.object)
    return nodes


def _slice(part: list[Term], described: dict[Term, list[ox.Triple]],
           incoming: dict[Term, list[ox.Triple]], hierarchy: list[ox.Triple],
           extra: Iterable[str]) -> Slice:
    members = {_key(node) for node in part} | set(extra)
    chosen: dict[ox.Triple, None] = {}
    for node in part:
        for triple in (*described.get(node, ()), *incoming.get(node, ())):
            chosen[triple] = None
    values = {t.object for t in chosen if not isinstance(t.object, ox.Literal)}
    for value in values:
        for node in _description_nodes(value, described) if isinstance(value, ox.BlankNode) \
                else (value,):
            for triple in described.get(node, ()):
                if triple.predicate == _TYPE or isinstance(node, ox.BlankNode):
                    chosen[triple] = None
    for triple in hierarchy:
        chosen[triple] = None
    return Slice(list(chosen), members)


def _key(node: object) -> str:
    """A node as slices name their members: ``<iri>`` or ``_:label``."""
    if isinstance(node, (ox.NamedNode, URIRef)):
        return f"<{node.value if isinstance(node, ox.NamedNode) else node}>"
    if isinstance(node, (ox.BlankNode, BNode)):
        return f"_:{node.value if isinstance(node, ox.BlankNode) else node}"
    return repr(node)


def _sliceable(shapes: Graph) -> bool:
    """Whether the core constraints read no more than a node's description and its
    values' types (see the module's text)."""
    if any(not isinstance(path, URIRef) for path in shapes.objects(None, SH.path)):
        return False
    todo = [shape for prop in shapes.subjects(SH.path, None) for shape in _applied(shapes, prop)]
    seen: set[Node] = set()
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        if any((shape, p, None) in shapes for p in _LOOKS_AT_VALUE):
            return False
        todo += _applied(shapes, shape)
    return True


def _applied(shapes: Graph, shape: Node) -> list[Node]:
    """The shapes ``shape`` applies to the same node it is applied to."""
    found = [o for p in (SH.node, SH["not"], SH.qualifiedValueShape)
             for o in shapes.objects(shape, p)]
    for p in (SH["and"], SH["or"], SH.xone):
        for head in shapes.objects(shape, p):
            found += list(Collection(shapes, head))
    return found


def _merge(part: Graph, report: Graph, members: set[str] | None,
           originals: dict[Node | None, Node | None], seen: set[tuple[Node | None, ...]]
           ) -> None:
    """Add ``part``'s results about ``members`` to ``report``, each result once."""
    for result in set(part.subjects(RDF.type, SH.ValidationResult)):
        focus = part.value(result, SH.focusNode)
        if members is not None and not isinstance(focus, Literal) \
                and _key(focus) not in members:
            continue
        signature = (focus, *(part.value(result, p) for p in (
            SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent)))
        if signature in seen:
            continue
        seen.add(signature)
        copy = BNode()
        for p, o in part.predicate_objects(result):
            report.add((copy, p, originals.get(o, o)))
            if p == SH.resultPath and isinstance(o, BNode):
                for triple in _reached(part, o):
                    report.add(triple)


def _reached(graph: Graph, node: Node) -> list[tuple[Node, Node, Node]]:
    """The triples of ``node`` and of the blank nodes they lead to (a path's structure)."""
    found, todo, seen = [], [node], {node}
    while todo:
        for s, p, o in graph.triples((todo.pop(), None, None)):
            found.append((s, p, o))
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                todo.append(o)
    return found


def _rudof(data: str, shapes: str) -> Graph:
    """rudof's results graph for ``data`` and ``shapes`` (N-Triples), with the data's
    blank nodes."""
    try:
        import pyrudof
    except ImportError as error:
        raise ShaclEngineError("the fast SHACL engine needs pyrudof; install it or use "
                               "the pyshacl engine") from error
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    try:
        rudof.read_data(data, format=pyrudof.RDFFormat.NTriples,
                        reader_mode=pyrudof.ReaderMode.Strict)
        rudof.read_shacl(shapes, format=pyrudof.ShaclFormat.NTriples,
                         reader_mode=pyrudof.ReaderMode.Strict)
        entries = list(rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native))
        text = rudof.serialize_shacl_validation_results(
            format=pyrudof.ResultShaclValidationFormat.NTriples)
    except pyrudof.RudofError as error:
        raise ShaclEngineError(f"rudof could not validate the graph: {error}") from error
    report = Graph()
    for triple in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
        report.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate),
                    from_oxigraph(triple.object)))
    _restore_blank_nodes(report, entries)
    return report


def _restore_blank_nodes(report: Graph, entries: list) -> None:
    """Give blank focus nodes and values back their labels in the data.

    rudof's serialised report relabels blank nodes (``_:b1`` is the first result, and so
    on), while its result objects keep the data's labels; each result is matched to its
    object by that number, and the match is checked on the result's other terms.
    """
    for number, entry in enumerate(entries, start=1):
        result = BNode(f"b{number}")
        checks = ((SH.sourceConstraintComponent, entry.constraint_component),
                  (SH.sourceShape, entry.source_shape), (SH.focusNode, entry.focus_node))
        for predicate, shown in checks:
            term = report.value(result, predicate)
            if isinstance(term, URIRef) and str(term) != shown:
                raise ShaclEngineError(f"rudof's report does not match its result {number}")
        for predicate, shown in ((SH.focusNode, entry.focus_node), (SH.value, entry.value)):
            term = report.value(result, predicate)
            if isinstance(term, BNode):
                if not (shown or "").startswith("_:"):
                    raise ShaclEngineError(f"rudof's report does not match its result {number}")
                report.set((result, predicate, BNode(shown[2:])))


def _core_shapes(shapes: Graph, targets: dict[Node, list[Node]]) -> Graph:
    """``shapes`` without ``sh:sparql``, and with each SPARQL target as its nodes."""
    core = Graph()
    for s, p, o in shapes:
        if p == SH.sparql:
            continue
        if p == SH.target:
            for node in targets[o]:
                if isinstance(node, BNode):
                    raise BlankTargetError(f"the SPARQL target {o} selects a blank node, "
                                       "which rudof cannot be given as sh:targetNode")
                core.add((s, SH.targetNode, node))
            continue
        core.add((s, p, o))
    return core


def _ill_typed(triples: Sequence[ox.Triple]) -> dict[Term, ox.Literal]:
    """Each ill-typed literal of ``triples`` and its stand-in, typed out of every shape's
    reach (rdflib tells which lexical forms are ill-typed)."""
    typed = {t.object for t in triples if isinstance(t.object, ox.Literal)
             and t.object.datatype.value not in _UNCHECKED}
    with quiet_ill_typed():
        checked = {literal: from_oxigraph(literal) for literal in typed}
    return {literal: ox.Literal(literal.value,
                                datatype=ox.NamedNode(_ILL_TYPED + literal.datatype.value))
            for literal, term in checked.items() if isinstance(term, Literal) and term.ill_typed}


def _shape_messages(report: Graph, shapes: Graph) -> None:
    """Report a shape's ``sh:message`` instead of rudof's own message, as pyshacl does."""
    for result, shape in list(report.subject_objects(SH.sourceShape)):
        declared = set(shapes.objects(shape, SH.message))
        if declared:
            report.remove((result, SH.resultMessage, None))
            for message in declared:
                report.add((result, SH.resultMessage, message))
