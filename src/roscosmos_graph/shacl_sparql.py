"""SHACL's SPARQL-based targets and constraints, evaluated on an Oxigraph store.

The fast engine hands these to Oxigraph rather than to rudof, and the results are written
in the results-graph form pyshacl uses. ``$this`` is pre-bound: a constraint that projects
``$this`` and has no subquery or aggregate runs once per batch of IRI focus nodes, with
``$this`` bound by a ``VALUES`` clause at the start of its outermost group; any other
constraint, and any blank focus node, runs once per focus node with ``$this`` substituted
(SEP-0007, which Oxigraph implements). The two give the same rows for such queries.
Supported: ``sh:sparql`` on node shapes reached through targets (``sh:targetClass``, the
shape being a class itself, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf`` and ``sh:SPARQLTarget``), with prefixes from ``sh:prefixes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .catalog import outer_group_start
from .errors import ShaclEngineError
from .terms import from_oxigraph, to_oxigraph

__all__ = ["constraint_results", "sparql_query", "sparql_targets"]

_TRUE = Literal(True)
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
_REFERENCES = (SH.node, SH["not"], SH.qualifiedValueShape)
_SELECT = re.compile(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{)", re.IGNORECASE | re.DOTALL)
_AGGREGATE = re.compile(r"\b(GROUP\s+BY|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\b",
                        re.IGNORECASE)
_BATCH = 2000
"""Focus nodes bound by one ``VALUES`` clause."""


def sparql_query(shapes: Graph, node: Node) -> str:
    """The ``sh:select`` text of ``node``, preceded by the prefixes its ``sh:prefixes`` declare."""
    select = shapes.value(node, SH.select)
    if select is None:
        raise ShaclEngineError(f"{node} has no sh:select (only SELECT-based SPARQL "
                                     "constraints and targets are supported)")
    lines = []
    for source in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join([*sorted(set(lines)), str(select)])


def sparql_targets(shapes: Graph, store: ox.Store) -> dict[Node, list[Node]]:
    """The nodes each ``sh:SPARQLTarget`` selects, by target node, in a stable order."""
    found: dict[Node, list[Node]] = {}
    for target in sorted(set(shapes.objects(None, SH.target))):
        if (target, RDF.type, SH.SPARQLTarget) not in shapes:
            raise ShaclEngineError(f"target {target} is not an sh:SPARQLTarget")
        solutions = store.query(sparql_query(shapes, target))
        assert isinstance(solutions, ox.QuerySolutions)
        found[target] = sorted({from_oxigraph(s["this"]) for s in solutions if s["this"]})
    return found


def constraint_results(shapes: Graph, store: ox.Store,
                       targets: dict[Node, list[Node]]) -> Graph:
    """The results of every active ``sh:sparql`` constraint, as a SHACL results graph."""
    report = Graph()
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        _check_supported(shapes, shape)
        if _deactivated(shapes, shape) or _deactivated(shapes, constraint):
            continue
        query = sparql_query(shapes, constraint)
        severity = shapes.value(shape, SH.severity) or SH.Violation
        messages = list(shapes.objects(constraint, SH.message)) or list(
            shapes.objects(shape, SH.message))
        for focus, row in _rows(store, query, _focus_nodes(shapes, shape, store, targets)):
            if row.get("failure") == _TRUE:
                raise ShaclEngineError(f"{constraint} reported a failure for {focus}")
            _add_result(report, focus, shape, constraint, severity, messages, row)
    return report


def _rows(store: ox.Store, query: str, focus_nodes: list[Node]
          ) -> Iterator[tuple[Node, dict[str, Node | None]]]:
    """Each solution of ``query`` with ``$this`` pre-bound to each of ``focus_nodes``."""
    selects = _SELECT.findall(query)
    batched = (len(selects) == 1 and re.search(r"[?$]this\b|\*", selects[0]) is not None
               and _AGGREGATE.search(query) is None)
    single = [f for f in focus_nodes if not batched or not isinstance(f, URIRef)]
    many = [f for f in focus_nodes if batched and isinstance(f, URIRef)]
    at = outer_group_start(query) + 1 if many else 0
    for start in range(0, len(many), _BATCH):
        values = " ".join(f"<{f}>" for f in many[start:start + _BATCH])
        text = f"{query[:at]}\n  VALUES ?this {{ {values} }}\n{query[at:]}"
        solutions = store.query(text)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: from_oxigraph(solution[name]) for name in names}
            focus = row.pop("this")
            assert focus is not None
            yield focus, row
    for focus in single:
        solutions = store.query(query, substitutions={ox.Variable("this"): to_oxigraph(focus)})
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            yield focus, {name: from_oxigraph(solution[name]) for name in names}


def _add_result(report: Graph, focus: Node, shape: Node, constraint: Node, severity: Node,
                messages: list[Node], row: dict[str, Node | None]) -> None:
    result = BNode()
    value = row.get("value")
    path = row.get("path")
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, focus))
    report.add((result, SH.value, focus if value is None else value))
    if isinstance(path, URIRef):
        report.add((result, SH.resultPath, path))
    report.add((result, SH.resultSeverity, severity))
    report.add((result, SH.sourceShape, shape))
    report.add((result, SH.sourceConstraint, constraint))
    report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    bindings = {**row, "this": focus}
    for message in messages:
        text = _TEMPLATE.sub(lambda m: _show(bindings.get(m.group(1))), str(message))
        language = message.language if isinstance(message, Literal) else None
        report.add((result, SH.resultMessage, Literal(text, lang=language)))


def _show(term: Node | None) -> str:
    return "" if term is None else str(term)


def _focus_nodes(shapes: Graph, shape: Node, store: ox.Store,
                 targets: dict[Node, list[Node]]) -> list[Node]:
    """The focus nodes of ``shape``'s targets, distinct, in a stable order."""
    classes = set(shapes.objects(shape, SH.targetClass))
    if {(shape, RDF.type, RDFS.Class), (shape, RDF.type, OWL.Class)} & set(
            shapes.triples((shape, RDF.type, None))):
        classes.add(shape)
    found: set[Node] = set(shapes.objects(shape, SH.targetNode))
    for target in shapes.objects(shape, SH.target):
        found.update(targets[target])
    patterns = [f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}>" for c in classes]
    patterns += [f"?this <{p}> ?any" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"?any <{p}> ?this" for p in shapes.objects(shape, SH.targetObjectsOf)]
    for pattern in patterns:
        found.update(from_oxigraph(s["this"]) for s in _select(store, pattern))
    return sorted(found)


def _select(store: ox.Store, pattern: str) -> Iterator[ox.QuerySolution]:
    solutions = store.query(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    return iter(solutions)


def _deactivated(shapes: Graph, node: Node) -> bool:
    return shapes.value(node, SH.deactivated) == _TRUE


def _check_supported(shapes: Graph, shape: Node) -> None:
    if shapes.value(shape, SH.path) is not None:
        raise ShaclEngineError(f"sh:sparql on the property shape {shape}")
    for reference in _REFERENCES:
        if (None, reference, shape) in shapes or (None, RDF.first, shape) in shapes:
            raise ShaclEngineError(f"the shape {shape} with sh:sparql is used by "
                                         "another shape")
