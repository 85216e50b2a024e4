"""The knowledge graph: loading, reasoning, validation, statistics and queries in one object."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, Dataset, Graph, URIRef

from .errors import ParameterError, StoreError, UndeclaredTermError
from .loading import expand_paths, parse_turtle, read_turtle
from .namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_IRI, PREFIXES, curie
from .queryable import Queryable
from .reasoning import Engine
from .resources import data_files, ontology_files, shape_files
from .results import QueryResult
from .sandbox import DEFAULT_MEMORY_LIMIT
from .stores import (
    DEFAULT_ROW_CAP,
    DEFAULT_TIMEOUT,
    Store,
    check_limits,
)
from .validation import (
    DEFAULT_SHACL_ENGINE,
    ShaclEngine,
    ValidationReport,
    describe,
    validate_graph,
)

__all__ = [
    "ASSERTED_GRAPH",
    "INFERRED_GRAPH",
    "Endpoint",
    "GraphStats",
    "KnowledgeGraph",
    "QueryResult",
    "Queryable",
    "check_declared",
    "connect",
    "load",
    "read_shipped_triples",
]

_DECLARING_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                    OWL.AnnotationProperty, RDF.Property}
@dataclass(frozen=True)
class GraphStats:
    """Triple counts and entities per class of our vocabulary."""

    asserted: int
    inferred: int
    files: int
    entities: tuple[tuple[str, int], ...]

    def render(self) -> str:
        """A short plain-text summary."""
        lines = [f"files:             {self.files}",
                 f"asserted triples:  {self.asserted}",
                 f"inferred triples:  {self.inferred}",
                 "entities per class:"]
        lines += [f"  {name:<28} {count}" for name, count in self.entities]
        return "\n".join(lines) + "\n"


class KnowledgeGraph(Queryable):
    """The ontology and data, with the inferred triples kept in a graph of their own."""

    def __init__(self, ontology: Graph, data: Graph, inferred: Graph, files: Iterable[Path], *,
                 store: str = "memory", timeout: float = DEFAULT_TIMEOUT,
                 row_cap: int = DEFAULT_ROW_CAP, yours: Graph | None = None,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT) -> None:
        check_limits(timeout, row_cap)
        if memory_limit < 1:
            raise ParameterError("memory_limit", f"must be 1 byte or more, not {memory_limit}")
        self.memory_limit = memory_limit
        self.ontology = ontology
        self.data = data
        self.yours = yours
        """The triples of the files given to :func:`load`, or ``None`` if none were given."""
        self.inferred = inferred
        self.files = tuple(files)
        self.timeout = timeout
        self.row_cap = row_cap
        kind, _, path = store.partition(":")
        if not ((kind == "memory" and not path) or kind == "oxigraph"):
            raise StoreError(f"unknown store {store!r}; expected memory, oxigraph or "
                             "oxigraph:PATH")
        self._store_spec = store
        if kind == "oxigraph":  # opened now, so that a bad path fails here
            self.store  # noqa: B018

    @cached_property
    def store(self) -> Store:  # type: ignore[override]
        """The store the queries run on, opened (and filled) on first use."""
        return self._open_store(self._store_spec)

    @cached_property
    def asserted(self) -> Graph:
        """Ontology and data together, as written in the files."""
        return _union(self.ontology, self.data)

    @cached_property
    def dataset(self) -> Dataset:
        """An rdflib Dataset: asserted and inferred as named graphs, their union as default."""
        dataset = Dataset(default_union=True)
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        asserted = dataset.graph(ASSERTED_GRAPH)
        for triple in self.asserted:
            asserted.add(triple)
        inferred = dataset.graph(INFERRED_GRAPH)
        for triple in self.inferred:
            inferred.add(triple)
        return dataset

    def _open_store(self, spec: str) -> Store:
        kind, _, path = spec.partition(":")
        if kind == "memory" and not path:
            from .stores.memory import MemoryStore

            return MemoryStore(_union(self.ontology, self.data, self.inferred),
                               memory_limit=self.memory_limit)
        if kind == "oxigraph":
            from .stores.oxigraph import OxigraphStore

            store = OxigraphStore(path or None, memory_limit=self.memory_limit)
            store.load_graphs([self.asserted, self.inferred])
            return store
        raise AssertionError(f"store spec {spec!r} was checked in __init__")

    def validate(self, engine: ShaclEngine = DEFAULT_SHACL_ENGINE) -> ValidationReport:
        """Validate the asserted data against the shipped SHACL shapes.

        The ontology supplies subclass axioms; inferred triples are not used, so a wrong
        class cannot be hidden by a range axiom. ``engine`` is ``rudof`` (fast) or
        ``pyshacl`` (the reference); both give the same results. When files were given
        to :func:`load`, the report knows which focus nodes they describe
        (:attr:`ValidationReport.yours`) and leads with those.
        """
        shapes = Graph()
        for path in shape_files():
            single = parse_turtle(path)
            check_declared(single, self.ontology, str(path))
            shapes += single
        report = validate_graph(self.asserted, shapes, engine)
        if self.yours is None:
            return report
        return report.about(frozenset(describe(s, self.asserted)
                                      for s in set(self.yours.subjects())))

    def stats(self) -> GraphStats:
        """Triple counts, and instances per class of our vocabulary (with inferred types)."""
        counts: Counter[str] = Counter()
        for graph in (self.data, self.inferred):
            for cls in graph.objects(None, RDF.type):
                if str(cls).startswith(ONTOLOGY_IRI):
                    counts[curie(str(cls))] += 1
        return GraphStats(len(self.asserted), len(self.inferred), len(self.files),
                          tuple(sorted(counts.items())))


class Endpoint(Queryable):
    """Canned queries against a remote SPARQL 1.1 endpoint."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT,
                 row_cap: int = DEFAULT_ROW_CAP) -> None:
        check_limits(timeout, row_cap)
        from .stores.remote import RemoteStore

        self.store = RemoteStore(url)
        self.timeout = timeout
        self.row_cap = row_cap


def load(paths: Iterable[str | Path] = (), *, reason: bool = True,
         engine: Engine = "reasonable",
         store: str = "memory", timeout: float = DEFAULT_TIMEOUT,
         row_cap: int = DEFAULT_ROW_CAP, cache: bool = True,
         memory_limit: int = DEFAULT_MEMORY_LIMIT) -> KnowledgeGraph:
    """Load the shipped ontology and data, plus any Turtle files or folders in ``paths``.

    Reads the files; never opens a network connection and never follows ``owl:imports``.

    Args:
        paths: extra Turtle files or folders, checked together with the shipped graph.
        reason: materialise the OWL 2 RL closure into a separate inferred graph.
        engine: the reasoner, ``reasonable`` (fast, the default) or ``owlrl`` (the
            reference; both give the same inferred triples, see ``tests/test_engines.py``).
        store: ``memory`` (rdflib), ``oxigraph`` or ``oxigraph:PATH``.
        timeout: seconds each query may run.
        row_cap: rows each query returns at most.
        cache: reuse the inferred graph cached on disk for the same inputs.
        memory_limit: bytes each Oxigraph query may allocate before it is stopped.

    Raises:
        InputNotFoundError: a path does not exist.
        TurtleSyntaxError: a file is not valid Turtle (``path:line:column: message``).
        UndeclaredTermError: a file uses a term of our namespace the ontology lacks.
    """
    ontology, data, inferred, files, yours = read_inputs(paths, reason=reason, engine=engine,
                                                         cache=cache)
    return KnowledgeGraph(ontology, data, inferred, files, store=store, timeout=timeout,
                          row_cap=row_cap, yours=yours, memory_limit=memory_limit)


def read_inputs(paths: Iterable[str | Path] = (), *, reason: bool = True,
                engine: Engine = "reasonable", cache: bool = True
                ) -> tuple[Graph, Graph, Graph, list[Path], Graph | None]:
    """Parse and check the shipped files and ``paths``; reason (or read the cached closure).

    Returns the ontology, the data, the inferred triples, every input file, and the triples
    of ``paths`` alone (``None`` without paths). Raises what :func:`load` raises.
    """
    from .cache import inferred_graph

    extra = expand_paths(paths)
    ontology = Graph()
    for path in ontology_files():
        parse_turtle(path, ontology)
    data = Graph()
    yours = Graph() if extra else None
    files = [*ontology_files(), *data_files(), *extra]
    for path in [*data_files(), *extra]:
        single = parse_turtle(path)
        check_declared(single, ontology, str(path))
        data += single
        if yours is not None and path in extra:
            yours += single
    if reason:
        inferred = inferred_graph(lambda: ontology + data, files, engine=engine,
                                  use_cache=cache)
    else:
        inferred = Graph()
    return ontology, data, inferred, files, yours


def _union(*graphs: Graph) -> Graph:
    """One new graph holding the triples of ``graphs`` (added in bulk, not one by one)."""
    union = Graph()
    for graph in graphs:
        union += graph
    return union


def connect(url: str, *, timeout: float = DEFAULT_TIMEOUT,
            row_cap: int = DEFAULT_ROW_CAP) -> Endpoint:
    """Query a remote SPARQL 1.1 endpoint that holds the graph (opens network connections)."""
    return Endpoint(url, timeout=timeout, row_cap=row_cap)


def check_declared(graph: Graph, ontology: Graph, where: str) -> None:
    """Fail when ``graph`` uses a term of our namespace that ``ontology`` does not declare.

    Raises:
        UndeclaredTermError: naming each such term and ``where`` it was found.
    """
    declared = {str(s) for s, o in ontology.subject_objects(RDF.type) if o in _DECLARING_TYPES}
    _refuse_undeclared({str(term) for triple in graph for term in triple
                        if isinstance(term, URIRef)}, declared, where)


def read_shipped_triples() -> list[ox.Triple]:
    """The shipped ontology and data as pyoxigraph triples, parsed and checked as
    :func:`read_inputs` parses and checks them (the fast way to build a store)."""
    ontology = [t for path in ontology_files() for t in read_turtle(path)]
    declaring = {str(term) for term in _DECLARING_TYPES}
    declared = {t.subject.value for t in ontology if t.predicate.value == str(RDF.type)
                and t.object.value in declaring and isinstance(t.subject, ox.NamedNode)}
    triples = ontology
    for path in data_files():
        single = read_turtle(path)
        _refuse_undeclared({term.value for t in single for term in t
                            if isinstance(term, ox.NamedNode)}, declared, str(path))
        triples += single
    return triples


def _refuse_undeclared(used: set[str], declared: set[str], where: str) -> None:
    namespace = ONTOLOGY_IRI + "#"
    missing = sorted(iri for iri in used - declared if iri.startswith(namespace))
    if missing:
        raise UndeclaredTermError([(where, curie(iri)) for iri in missing])
