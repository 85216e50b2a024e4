"""The release build: validate, write every export, describe it, checksum it, atomically.

The release folder holds (asserted and inferred triples never mix in one file, except
in N-Quads, where they are separate named graphs):

==========================  ===================================================
``roscosmos.ttl``           asserted triples, canonical Turtle
``roscosmos-inferred.ttl``  the reasoner's triples, canonical Turtle
``roscosmos.nt``            asserted triples, sorted N-Triples
``roscosmos.nq``            asserted and inferred as two named graphs
``roscosmos.trig``          the same two named graphs in TriG
``roscosmos.jsonld``        asserted triples as JSON-LD, its context inline
``context.jsonld``          that context alone, for documents that refer to it
``roscosmos.rdf``           asserted triples as RDF/XML
``roscosmos.graphml``       property graph (yEd, Cytoscape, Gephi)
``roscosmos.gexf``          property graph (Gephi)
``roscosmos.cyjs``          property graph (Cytoscape.js elements)
``neo4j/``                  ``nodes.csv``, ``relationships.csv``, ``load.cypher``
``void.ttl``                VoID/DCAT description: version, licence, counts, links
``diagrams/``               ``lineage.svg``, ``leaders.svg``, ``facilities.svg``
``ontology.html``           the ontology's documentation, one self-contained page
``site/``                   the static linked-data site (open ``site/index.html``)
``SHA256SUMS``              ``sha256sum -c`` checks every other file
``.roscosmos-graph-output`` the manifest that marks the folder as this tool's output
==========================  ===================================================

Builds are reproducible: no timestamps, blank nodes relabelled from their content, every
file sorted, so two builds of the same graph are byte-identical. A tenure still running
ends, in ``diagrams/leaders.svg``, on the latest date the data states rather than on the
day of the build. The lineage is laid out by Graphviz, so its bytes (and the version
comment Graphviz writes) follow the installed Graphviz.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef

from .atomic import MANIFEST, replace_folder, write_atomic
from .errors import BuildError, RoscosmosGraphError
from .export import FORMATS, export
from .export.rdf import CONTEXT_FILE, write_context, write_rdf
from .export.void import void_description

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .validation import ValidationReport

__all__ = ["RELEASE_FORMATS", "BuildValidationError", "build", "write_release"]

RELEASE_FORMATS: tuple[str, ...] = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml",
                                    "graphml", "gexf", "cytoscape", "neo4j")
"""The exports a release holds, in the order they are written."""

CHECKSUMS = "SHA256SUMS"
_XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


class BuildValidationError(BuildError):
    """The graph has SHACL violations, so nothing was built; ``report`` says which."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(f"the graph does not conform ({len(report.violations)} violations); "
                         "nothing was written")


def build(kg: KnowledgeGraph, out_dir: str | Path, *, report: ValidationReport | None = None,
          formats: Sequence[str] = RELEASE_FORMATS) -> list[Path]:
    """Validate ``kg``, then write the release into ``out_dir``, replacing it atomically.

    Writes files; opens no network connection.

    Args:
        kg: the loaded, reasoned graph.
        out_dir: the release folder (``dist/``).
        report: ``kg``'s validation report, if already computed; computed otherwise.
        formats: the exports to write.

    Returns:
        The files written, relative to ``out_dir``, sorted.

    Raises:
        BuildValidationError: the graph has violations; ``out_dir`` is untouched.
        BuildError: an export, a diagram or a page failed; ``out_dir`` is untouched.
    """
    report = kg.validate() if report is None else report
    if not report.conforms:
        raise BuildValidationError(report)
    return write_release(kg, out_dir, formats=formats)


def write_release(kg: KnowledgeGraph, out_dir: str | Path, *,
                  formats: Sequence[str] = RELEASE_FORMATS) -> list[Path]:
    """Write the release of ``kg`` into ``out_dir`` atomically, without validating.

    :func:`build` is this behind the validation gate. If anything fails, ``out_dir`` is
    left exactly as it was.

    Writes files; runs the local Graphviz ``dot`` program for the lineage.

    Raises:
        BuildError: an export, a diagram or a page failed (the cause is chained).
    """
    from . import __version__

    written: list[Path] = []

    def fill(staging: Path) -> None:
        for fmt in formats:
            name = f"roscosmos{FORMATS[fmt]}" if FORMATS.get(fmt) else fmt
            export(kg, fmt, staging / name, inferred=fmt in ("nquads", "trig"))
        write_context(staging / CONTEXT_FILE, kg.asserted)
        write_rdf("turtle", staging / "roscosmos-inferred.ttl", kg.inferred)
        void = void_description(kg.asserted, kg.inferred, __version__)
        write_atomic(staging / "void.ttl", void.encode("utf-8"))
        _write_views(kg, staging)
        files = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
        sums = "".join(f"{_sha256(staging / p)}  {p.as_posix()}\n" for p in files)
        write_atomic(staging / CHECKSUMS, sums.encode("utf-8"))
        for path in staging.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(staging, 0o755)
        written[:] = sorted([*files, Path(CHECKSUMS), Path(MANIFEST)])

    try:
        replace_folder(Path(out_dir), fill)
    except BuildError:
        raise
    except (OSError, ValueError, RoscosmosGraphError) as error:
        raise BuildError(f"build failed, {out_dir} left as it was: {error}") from error
    return written


def _write_views(kg: KnowledgeGraph, folder: Path) -> None:
    """Write the diagrams, the ontology's documentation and the site into ``folder``.

    Raises:
        DiagramError: Graphviz is missing or failed.
        OntologyDocsError: pyLODE refused the ontology.
    """
    from .diagrams import diagram_bytes, leaders_svg
    from .ontology_docs import ontology_docs_html
    from .site import build_site

    as_of = _data_as_of(kg.data)
    svgs = {"lineage": diagram_bytes(kg, "lineage", "svg"),
            "leaders": leaders_svg(kg, today=as_of).encode("utf-8"),
            "facilities": diagram_bytes(kg, "facilities", "svg")}
    for name, svg in svgs.items():
        write_atomic(folder / "diagrams" / f"{name}.svg", svg)
    write_atomic(folder / "ontology.html", ontology_docs_html(kg.ontology).encode("utf-8"))
    build_site(kg, folder / "site", today=as_of)


def _data_as_of(graph: Graph) -> dt.date | None:
    """The latest ``xsd:date`` stated in ``graph``: the day its facts reach, not the clock's.

    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...     <urn:a> <urn:p> "2024-05-01"^^xsd:date, "2021-01-01"^^xsd:date .''')
    >>> _data_as_of(g)
    datetime.date(2024, 5, 1)
    """
    dates = [o.toPython() for o in graph.objects()
             if isinstance(o, Literal) and o.datatype == _XSD_DATE]
    return max((d for d in dates if isinstance(d, dt.date)), default=None)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
