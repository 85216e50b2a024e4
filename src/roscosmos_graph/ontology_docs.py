"""The ontology's documentation: one self-contained HTML page drawn by pyLODE.

pyLODE lists the ontology's metadata, its classes and properties with their labels,
definitions, super-terms, domains and ranges, and the namespaces (reused vocabularies) it
draws on. Its stylesheet is inlined and its icons are ``data:`` URIs, so the page loads
nothing from the network, and the same ontology always gives the same bytes.

pyLODE is pinned to 3.3.x: 3.4.1 fails at start-up and later releases need Python 3.12.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import RDFS, Graph, Literal
from rdflib.term import Node

from .atomic import write_atomic
from .errors import RoscosmosGraphError
from .loading import parse_turtle
from .namespaces import PREFIXES
from .resources import ontology_files

__all__ = ["OntologyDocsError", "ontology_docs_html", "write_ontology_docs"]

LABEL_SEPARATOR = " \u00b7 "
"""Joins a term's labels in different languages into the one heading pyLODE shows."""


class OntologyDocsError(RoscosmosGraphError):
    """pyLODE could not document the ontology (for instance, it has no title)."""


def _shipped_ontology() -> Graph:
    """The ontology files of ``ontology/``, parsed into one graph (reads files only)."""
    graph = Graph()
    for path in ontology_files():
        parse_turtle(path, graph)
    return graph


def ontology_docs_html(ontology: Graph | None = None) -> str:
    """The documentation page of ``ontology`` (the shipped one by default), as HTML text.

    Opens no network connection. pyLODE caches its bundled background vocabularies in its
    own package folder the first time it runs.

    Raises:
        OntologyDocsError: pyLODE refused the ontology.
    """
    view = _documented_view(_shipped_ontology() if ontology is None else ontology)
    with _root_logger_kept():
        from pylode import OntPub, PylodeError

        try:
            return str(OntPub(ontology=view, sort_subjects=True).make_html(include_css=True))
        except PylodeError as error:
            raise OntologyDocsError(f"pyLODE could not document the ontology: {error}") \
                from error


def write_ontology_docs(output: str | Path, ontology: Graph | None = None) -> Path:
    """Write the documentation page of ``ontology`` to ``output``, atomically.

    Raises:
        OntologyDocsError: pyLODE refused the ontology.
    """
    path = Path(output)
    write_atomic(path, ontology_docs_html(ontology).encode("utf-8"))
    return path


@contextmanager
def _root_logger_kept() -> Iterator[None]:
    """Keep pyLODE off an unconfigured root logger, which it would set to print DEBUG.

    pyLODE calls ``logging.basicConfig(level=DEBUG)`` on import and logs through the
    module-level ``logging.info``; both configure a root logger that has no handler.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    if not handlers:
        root.addHandler(logging.NullHandler())
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def _documented_view(ontology: Graph) -> Graph:
    """A copy of ``ontology`` with our prefixes and one ``rdfs:label`` per term.

    pyLODE runs all of a term's labels together with no space between them, so labels
    in several languages become one: English first, the others by language.

    >>> g = Graph().parse(data='<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> '
    ...                        '"агентство"@ru, "agency"@en .', format="turtle")
    >>> [str(o) for o in _documented_view(g).objects(None, RDFS.label)]
    ['agency · агентство']
    """
    view = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        view.bind(prefix, namespace, override=True)
    labels: dict[Node, list[Literal]] = defaultdict(list)
    for subject, predicate, obj in ontology:
        if predicate == RDFS.label and isinstance(obj, Literal) and obj.language:
            labels[subject].append(obj)
        else:
            view.add((subject, predicate, obj))
    for subject, texts in labels.items():
        if len(texts) == 1:
            view.add((subject, RDFS.label, texts[0]))
            continue
        ordered = sorted(texts, key=lambda t: (t.language != "en", t.language, str(t)))
        view.add((subject, RDFS.label, Literal(LABEL_SEPARATOR.join(map(str, ordered)))))
    return view
