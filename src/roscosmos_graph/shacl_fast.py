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
"""

from __future__ import annotations

import warnings

import pyoxigraph as ox
from rdflib import SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import ShaclEngineError
from .shacl_sparql import constraint_results, sparql_targets
from .terms import from_oxigraph

__all__ = ["BlankTargetError", "validate_fast"]

_ILL_TYPED = "urn:roscosmos-graph:ill-typed:"


class BlankTargetError(ShaclEngineError):
    """A SPARQL target selects a blank node, which rudof cannot be given as a target node."""


def validate_fast(asserted: Graph, shapes: Graph) -> Graph:
    """Validate ``asserted`` against ``shapes``; return the SHACL results graph.

    Raises:
        ShaclEngineError: pyrudof is not installed, refused the data or the shapes, or the
            shapes use a SPARQL-based feature the engine does not cover.
    """
    text = _ntriples(asserted)
    store = ox.Store()
    store.extend(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))  # keeps blank node labels
    targets = sparql_targets(shapes, store)
    report = constraint_results(shapes, store, targets)
    core = _core_shapes(shapes, targets)
    stand_ins = _ill_typed(asserted)
    if stand_ins:
        text = _ntriples(_retyped(asserted, stand_ins))
    originals = {stand_in: original for original, stand_in in stand_ins.items()}
    core_report = _rudof(text.decode("utf-8"), core)
    _shape_messages(core_report, shapes)
    for s, p, o in core_report:
        report.add((s, p, originals.get(o, o)))
    return report


def _rudof(data: str, shapes: Graph) -> Graph:
    """rudof's results graph for ``data`` (N-Triples), with the data's blank nodes."""
    try:
        import pyrudof
    except ImportError as error:
        raise ShaclEngineError("the fast SHACL engine needs pyrudof; install it or use "
                               "the pyshacl engine") from error
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    try:
        rudof.read_data(data, format=pyrudof.RDFFormat.NTriples,
                        reader_mode=pyrudof.ReaderMode.Strict)
        rudof.read_shacl(shapes.serialize(format="nt", encoding="utf-8").decode("utf-8"),
                         format=pyrudof.ShaclFormat.NTriples,
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


def _ntriples(graph: Graph) -> bytes:
    with warnings.catch_warnings():  # rdflib warns on each ill-typed number it writes
        warnings.filterwarnings("ignore", "Serializing weird numerical", UserWarning)
        return graph.serialize(format="nt", encoding="utf-8")


def _ill_typed(graph: Graph) -> dict[Node, Literal]:
    """Each ill-typed literal of ``graph`` and its stand-in, typed out of every shape's reach."""
    return {o: Literal(str(o), datatype=URIRef(_ILL_TYPED + str(o.datatype)))
            for o in set(graph.objects())
            if isinstance(o, Literal) and o.ill_typed}


def _retyped(graph: Graph, stand_ins: dict[Node, Literal]) -> Graph:
    data = Graph()
    for s, p, o in graph:
        data.add((s, p, stand_ins.get(o, o)))
    return data


def _shape_messages(report: Graph, shapes: Graph) -> None:
    """Report a shape's ``sh:message`` instead of rudof's own message, as pyshacl does."""
    for result, shape in list(report.subject_objects(SH.sourceShape)):
        declared = set(shapes.objects(shape, SH.message))
        if declared:
            report.remove((result, SH.resultMessage, None))
            for message in declared:
                report.add((result, SH.resultMessage, message))
