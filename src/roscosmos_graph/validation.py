"""SHACL validation into a small typed report, and its text, JSON and JUnit renderings."""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass
from typing import Literal as Choice
from xml.etree import ElementTree as ET

from rdflib import RDF, RDFS, SH, BNode, Graph, Literal
from rdflib.term import Node

from .errors import ShaclEngineError
from .namespaces import curie
from .shacl_fast import validate_fast

__all__ = ["DEFAULT_SHACL_ENGINE", "FORMATS", "SHACL_ENGINES", "ShaclEngine",
           "ShaclEngineError", "ValidationReport", "ValidationResult", "validate_graph"]

FORMATS: tuple[str, ...] = ("text", "json", "junit")

ShaclEngine = Choice["pyshacl", "rudof"]
SHACL_ENGINES: tuple[str, ...] = ("pyshacl", "rudof")
DEFAULT_SHACL_ENGINE: ShaclEngine = "rudof"


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
    """The outcome of validating a graph: ``conforms`` and the sorted results."""

    conforms: bool
    results: tuple[ValidationResult, ...]

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """The results of severity Violation."""
        return tuple(r for r in self.results if r.severity == "Violation")

    def render(self, fmt: str = "text") -> str:
        """Render as ``text`` (for people), ``json`` or ``junit`` (JUnit XML for CI)."""
        if fmt == "text":
            return self._text()
        if fmt == "json":
            return json.dumps(
                {"conforms": self.conforms, "results": [asdict(r) for r in self.results]},
                indent=2, ensure_ascii=False,
            ) + "\n"
        if fmt == "junit":
            return self._junit()
        raise ValueError(f"unknown report format {fmt!r}; expected one of {FORMATS}")

    def _text(self) -> str:
        if not self.results:
            return "Conforms: the graph satisfies every shape.\n"
        counts: dict[str, int] = {}
        lines = []
        for r in self.results:
            counts[r.severity] = counts.get(r.severity, 0) + 1
            where = f"{r.focus_node} ({r.focus_label})" if r.focus_label else r.focus_node
            path = f" {r.path}" if r.path else ""
            value = f" = {r.value}" if r.value else ""
            lines.append(f"{r.severity}: {where}{path}{value}\n    {r.message}  [{r.source_shape}]")
        verdict = "Conforms" if self.conforms else "Does not conform"
        summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items())
        return f"{verdict}: {summary}.\n" + "\n".join(lines) + "\n"

    def _junit(self) -> str:
        suite = ET.Element("testsuite", name="roscosmos-graph SHACL validation",
                           tests=str(max(1, len(self.results))),
                           failures=str(len(self.violations)))
        if not self.results:
            ET.SubElement(suite, "testcase", classname="shacl", name="conforms")
        for r in self.results:
            case = ET.SubElement(suite, "testcase", classname=r.source_shape,
                                 name=f"{r.focus_node} {r.path}".strip())
            tag = "failure" if r.severity == "Violation" else "system-out"
            node = ET.SubElement(case, tag)
            if tag == "failure":
                node.set("message", r.message)
                node.set("type", r.component)
            node.text = f"{r.severity}: {r.message} (value: {r.value})"
        ET.indent(suite)
        body = ET.tostring(suite, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def validate_graph(asserted: Graph, shapes: Graph,
                   engine: ShaclEngine = DEFAULT_SHACL_ENGINE) -> ValidationReport:
    """Validate ``asserted`` (ontology and data, no inferred triples) against ``shapes``.

    The ontology in ``asserted`` supplies the subclass axioms for class checks, and is itself
    checked by the ontology shapes. Nothing is fetched: ``owl:imports`` are not followed.

    Args:
        engine: ``rudof`` (fast, the default) or ``pyshacl`` (the reference); both give
            the same results, rendered the same way.

    Raises:
        ShaclEngineError: the engine is unknown, not installed, or refused the input.
    """
    if engine == "rudof":
        results_graph = validate_fast(asserted, shapes)
    elif engine == "pyshacl":
        import pyshacl

        _, results_graph, _ = pyshacl.validate(
            asserted, shacl_graph=shapes, inference="none", advanced=True,
            allow_warnings=True, do_owl_imports=False,
        )
    else:
        raise ShaclEngineError(f"unknown SHACL engine {engine!r}; expected one of "
                               f"{SHACL_ENGINES}")
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
    labels = {lit.language: str(lit) for lit in graph.objects(node, RDFS.label)
              if isinstance(lit, Literal)}
    return labels.get("en") or next(iter(labels.values()), "")


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
