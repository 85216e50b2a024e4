"""SHACL validation into a small typed report, and its text, JSON and JUnit renderings."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from xml.etree import ElementTree as ET

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .choices import DEFAULT_SHACL_ENGINE, REPORT_FORMATS, SHACL_ENGINES, ShaclEngine
from .errors import ShaclEngineError
from .namespaces import curie
from .terms import add_triples, from_oxigraph, quiet_ill_typed

__all__ = ["DEFAULT_SHACL_ENGINE", "FORMATS", "SHACL_ENGINES", "ShaclEngine",
           "ShaclEngineError", "ValidationReport", "ValidationResult", "report_from_graph",
           "validate_graph"]

FORMATS = REPORT_FORMATS


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One SHACL result, with every node shown as a CURIE (or a description for blank nodes)."""

    severity: str
    focus_node: str
    focus_label: str
    path: str
    value: str
    message: str
    source_shape: str
    component: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies a result regardless of its message: focus, path, component, shape."""
        return (self.focus_node, self.path, self.component, self.source_shape)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph: ``conforms`` and the sorted results.

    ``yours`` holds the focus nodes described in the user's own files (as shown in
    :attr:`ValidationResult.focus_node`), or ``None`` when only the shipped graph was checked;
    reports then lead with the results about those nodes. ``conforms`` is always about the
    whole graph.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    yours: frozenset[str] | None = None

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """The results of severity Violation."""
        return tuple(r for r in self.results if r.severity == "Violation")

    def split(self, *, only_yours: bool = False,
              violations_only: bool = False) -> tuple[list[ValidationResult], Counter[str]]:
        """The results to show (yours first, then violations elsewhere) and a count per
        severity of those left out.

        Without files, every result counts as yours. ``only_yours`` leaves out every result
        about other nodes; ``violations_only`` leaves out every warning and info. Either way
        only left-out violations are counted; by default, so are left-out warnings.
        """
        mine = [r for r in self.results if self.yours is None or r.focus_node in self.yours]
        other = [r for r in self.results if r not in mine]
        shown = [r for r in mine if not violations_only or r.severity == "Violation"]
        if not only_yours:
            shown += [r for r in other if r.severity == "Violation"]
        quiet = only_yours or violations_only  # only hidden violations are still counted
        left = Counter(r.severity for r in self.results if r not in shown
                       and (r.severity == "Violation" or not quiet))
        return shown, left

    def render(self, fmt: str = "text", *, only_yours: bool = False,
               violations_only: bool = False) -> str:
        """Render as ``text`` (for people), ``json`` or ``junit`` (JUnit XML for CI).

        ``only_yours`` and ``violations_only`` limit the listed results as in :meth:`split`;
        what they leave out is counted in one line (text), an ``elsewhere`` object (JSON) or
        one test case (JUnit), which fails if it holds violations.
        """
        shown, left = self.split(only_yours=only_yours, violations_only=violations_only)
        if fmt == "text":
            return self._text(shown, left)
        if fmt == "json":
            document: dict[str, object] = {"conforms": self.conforms,
                                           "results": [asdict(r) for r in shown]}
            if left:
                document["elsewhere"] = dict(sorted(left.items()))
            return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if fmt == "junit":
            return self._junit(shown, left)
        raise ValueError(f"unknown report format {fmt!r}; expected one of {FORMATS}")

    def _text(self, shown: list[ValidationResult], left: Counter[str]) -> str:
        if not self.results:
            return "Conforms: the graph satisfies every shape.\n"
        lines = []
        for r in shown:
            where = f"{r.focus_node} ({r.focus_label})" if r.focus_label else r.focus_node
            path = f" {r.path}" if r.path else ""
            value = f" = {r.value}" if r.value else ""
            lines.append(f"{r.severity}: {where}{path}{value}\n    {r.message}  [{r.source_shape}]")
        verdict = "Conforms" if self.conforms else "Does not conform"
        if self.yours is None:
            head = f"{verdict}: {_counted(Counter(r.severity for r in self.results))}."
        else:
            about = Counter(r.severity for r in self.results if r.focus_node in self.yours)
            head = (f"{verdict}. About the nodes of your files: "
                    f"{_counted(about) or 'no results'}.")
        out = [head, *lines]
        if left:
            out.append(f"Not listed: {_counted(left)} about "
                       f"{'the shipped graph' if self.yours is not None else 'other nodes'}.")
        return "\n".join(out) + "\n"

    def _junit(self, shown: list[ValidationResult], left: Counter[str]) -> str:
        suite = ET.Element("testsuite", name="roscosmos-graph SHACL validation")
        if not shown and not left:
            ET.SubElement(suite, "testcase", classname="shacl", name="conforms")
        failures = 0
        for r in shown:
            case = ET.SubElement(suite, "testcase", classname=r.source_shape,
                                 name=f"{r.focus_node} {r.path}".strip())
            tag = "failure" if r.severity == "Violation" else "system-out"
            node = ET.SubElement(case, tag)
            if tag == "failure":
                failures += 1
                node.set("message", r.message)
                node.set("type", r.component)
            node.text = f"{r.severity}: {r.message} (value: {r.value})"
        if left:
            case = ET.SubElement(suite, "testcase", classname="shacl", name="not listed")
            summary = f"not listed: {_counted(left)}"
            if left.get("Violation"):
                failures += 1
                ET.SubElement(case, "failure", message=summary, type="hidden violations")
            else:
                ET.SubElement(case, "system-out").text = summary
        suite.set("tests", str(len(suite)))
        suite.set("failures", str(failures))
        ET.indent(suite)
        body = ET.tostring(suite, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'

    def about(self, nodes: frozenset[str]) -> ValidationReport:
        """The same report, with ``nodes`` (focus nodes as shown) marked as the user's."""
        return ValidationReport(self.conforms, self.results, nodes)


def _counted(counts: Counter[str]) -> str:
    """``1 violation, 110 warnings``: severities in the order Violation, Warning, Info."""
    order = ["Violation", "Warning", "Info"]
    found = sorted(counts, key=lambda s: (order.index(s) if s in order else 3, s))
    return ", ".join(f"{counts[s]} {s.lower()}{'s' if counts[s] != 1 else ''}" for s in found)


def validate_graph(asserted: Graph | Sequence[ox.Triple], shapes: Graph,
                   engine: ShaclEngine = DEFAULT_SHACL_ENGINE, *,
                   slice_triples: int | None = None) -> ValidationReport:
    """Validate ``asserted`` (ontology and data, no inferred triples) against ``shapes``.

    The ontology in ``asserted`` supplies the subclass axioms for class checks, and is itself
    checked by the ontology shapes. Nothing is fetched: ``owl:imports`` are not followed.

    Args:
        asserted: an rdflib graph, or pyoxigraph triples (the way to validate millions of
            triples: no rdflib graph of them is ever built).
        engine: ``rudof`` (fast, the default) or ``pyshacl`` (the reference); both give
            the same results, rendered the same way. Where a SPARQL target selects a
            blank node, which rudof cannot take, ``rudof`` falls back to ``pyshacl``.
        slice_triples: with ``rudof``, about how many triples of the data it holds at
            once (default :data:`~roscosmos_graph.shacl_fast.SLICE_TRIPLES`); the results
            do not depend on it.

    Raises:
        ShaclEngineError: the engine is unknown, not installed, or refused the input.
    """
    if engine not in SHACL_ENGINES:
        raise ShaclEngineError(f"unknown SHACL engine {engine!r}; expected one of "
                               f"{SHACL_ENGINES}")
    graph = asserted if isinstance(asserted, Graph) else None
    triples = None if isinstance(asserted, Graph) else list(asserted)
    results_graph = None
    if engine == "rudof":
        from .shacl_fast import SLICE_TRIPLES, BlankTargetError, ox_triples, validate_fast

        with suppress(BlankTargetError):  # blank-node entities are rare, and invalid anyway
            results_graph = validate_fast(
                ox_triples(asserted) if isinstance(asserted, Graph) else triples, shapes,
                slice_triples=slice_triples or SLICE_TRIPLES)
    if results_graph is None:
        if graph is None:
            graph = add_triples(Graph(), triples or [])
        results_graph = _validate_pyshacl(graph, shapes)
    if graph is None:
        graph = _context(results_graph, triples or [])
    return report_from_graph(results_graph, graph)


def _context(results: Graph, triples: Sequence[ox.Triple]) -> Graph:
    """What describing the results' nodes reads of ``triples``: their labels and types, and
    the owners of blank nodes (and of those owners, while blank)."""
    named = {str(o) for p in (SH.focusNode, SH.value) for o in results.objects(None, p)
             if isinstance(o, URIRef | BNode)}
    wanted = {str(RDFS.label), str(RDF.type)}
    context = Graph()
    todo = named
    while todo:
        owners = set()
        for triple in triples:
            s, p, o = triple.subject, triple.predicate, triple.object
            if (s.value in todo and p.value in wanted) or (
                    isinstance(o, ox.BlankNode) and o.value in todo):
                with quiet_ill_typed():
                    context.add((from_oxigraph(s), from_oxigraph(p), from_oxigraph(o)))
                if isinstance(o, ox.BlankNode) and isinstance(s, ox.BlankNode) \
                        and s.value not in named:
                    owners.add(s.value)
        named |= owners
        todo = owners
    return context


def _validate_pyshacl(asserted: Graph, shapes: Graph) -> Graph:
    import pyshacl

    _, results_graph, _ = pyshacl.validate(
        asserted, shacl_graph=shapes, inference="none", advanced=True,
        allow_warnings=True, do_owl_imports=False,
    )
    if not isinstance(results_graph, Graph):  # pyshacl returns a refusal of the shapes
        raise ShaclEngineError(f"pyshacl refused the shapes: {results_graph}")
    return results_graph


def report_from_graph(results_graph: Graph, asserted: Graph) -> ValidationReport:
    """Read a SHACL validation report graph, from any engine, about the data ``asserted``."""
    results = sorted(_result(results_graph, node, asserted)
                     for node in results_graph.subjects(RDF.type, SH.ValidationResult))
    conforms = all(r.severity != "Violation" for r in results)
    return ValidationReport(conforms, tuple(results))


def _result(report: Graph, node: Node, data: Graph) -> ValidationResult:
    def one(predicate: Node) -> Node | None:
        return report.value(node, predicate)

    focus = one(SH.focusNode)
    path = one(SH.resultPath)
    value = one(SH.value)
    severity = one(SH.resultSeverity)
    return ValidationResult(
        severity=curie(str(severity)).removeprefix("sh:") if severity else "Violation",
        focus_node=describe(focus, data),
        focus_label=_label(focus, data),
        path=_path(path, report) if path is not None else "",
        value=describe(value, data) if value is not None else "",
        message=str(one(SH.resultMessage) or ""),
        source_shape=describe(one(SH.sourceShape), report),
        component=curie(str(one(SH.sourceConstraintComponent))),
    )


def describe(node: Node | None, graph: Graph) -> str:
    """Show a node as a CURIE, a quoted literal, or, for a blank node, by its type and owner."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        with warnings.catch_warnings():  # rdflib warns when it writes an ill-typed number
            warnings.filterwarnings("ignore", "Serializing weird numerical", UserWarning)
            return node.n3()
    if isinstance(node, BNode):
        kind = graph.value(node, RDF.type)
        owner = next(graph.subject_predicates(node), None)
        parts = [f"a {curie(str(kind))}" if kind else "a blank node"]
        if owner:
            parts.append(f"object of {describe(owner[0], graph)} {curie(str(owner[1]))}")
        return "[" + ", ".join(parts) + "]"
    return curie(str(node))


def _label(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    labels = sorted((lit.language != "en", str(lit)) for lit in graph.objects(node, RDFS.label)
                    if isinstance(lit, Literal))
    return labels[0][1] if labels else ""  # English first; the same one whatever the order


def _path(path: Node, graph: Graph) -> str:
    if not isinstance(path, BNode):
        return curie(str(path))
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                              (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return _path(inner, graph) + suffix
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(inverse, graph)
    return describe(path, graph)
