"""The knowledge graph: loading, reasoning, validation, statistics and queries in one object."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import OWL, RDF, Dataset, Graph, Literal, URIRef

from .catalog import CannedQuery, get_query
from .errors import ParameterError, QueryTimeoutError, StoreError, UndeclaredTermError
from .guard import prepare_query
from .loading import expand_paths, parse_turtle
from .namespaces import ONTOLOGY_IRI, PREFIXES, curie
from .reasoning import Engine
from .resources import data_files, ontology_files, shape_files
from .results import QueryResult
from .sandbox import DEFAULT_MEMORY_LIMIT
from .sparql_prefixes import check_prefixes
from .stores import (
    DEFAULT_ROW_CAP,
    DEFAULT_TIMEOUT,
    MemoryStore,
    OxigraphStore,
    RemoteStore,
    Store,
    check_limits,
)
from .stores.base import run_with_timeout
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
    "check_declared",
    "connect",
    "load",
]

ASSERTED_GRAPH = URIRef("https://w3id.org/roscosmos-graph/graph/asserted")
"""Named graph of the triples written in the ontology and data files."""

INFERRED_GRAPH = URIRef("https://w3id.org/roscosmos-graph/graph/inferred")
"""Named graph of the useful triples the OWL 2 RL reasoner adds."""

_DECLARING_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                    OWL.AnnotationProperty, RDF.Property}
_RESOLVE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity WHERE {
  ?entity rdfs:label|skos:altLabel ?label .
  FILTER (LCASE(STR(?label)) = LCASE(STR(?text)))
} ORDER BY ?entity LIMIT 5"""


class Queryable:
    """Canned and ad-hoc read-only queries against a store."""

    store: Store
    timeout: float
    row_cap: int

    def query(self, name: str, /, **params: object) -> QueryResult:
        """Run the canned query ``name`` with typed ``params``.

        Raises:
            UnknownQueryError: no such query.
            ParameterError: a parameter is missing, unknown or ill-typed.
            QueryTimeoutError: the query ran past the time limit.
        """
        return self.run_canned(get_query(name), params)

    def run_canned(self, canned: CannedQuery, params: Mapping[str, object]) -> QueryResult:
        """Bind ``params`` into ``canned`` and run it."""
        return self.sparql(canned.bind(params, self.resolve))

    def sparql(self, text: str) -> QueryResult:
        """Run an ad-hoc query; updates, ``SERVICE`` and ``FROM`` are refused unevaluated.

        Every prefix of :data:`~roscosmos_graph.namespaces.PREFIXES` (``rsg:``, ``id:``,
        ``rdfs:``...) is predeclared, on every store. The guard's checks count against the
        time limit; the store runs the checked text.

        Raises:
            QueryRefusedError: an update, ``SERVICE`` or ``FROM``; a syntax error
                (:class:`QuerySyntaxError`, with line and column), an undeclared prefix.
            QueryTooComplexError: past a size, nesting or operator limit.
            QueryTimeoutError: the query ran past the time limit.
            StoreError: the store could not evaluate the query.
        """

        def prepare() -> str:
            checked = prepare_query(text)
            check_prefixes(checked)
            return checked

        started = time.monotonic()
        checked = run_with_timeout(prepare, self.timeout)
        left = self.timeout - (time.monotonic() - started)
        if left <= 0:
            raise QueryTimeoutError(f"query stopped after the time limit of {self.timeout:g} s")
        try:
            return self.store.run(checked, timeout=left, row_cap=self.row_cap)
        except QueryTimeoutError as error:  # name the limit the caller set, not what was left
            raise QueryTimeoutError(str(error).replace(f"{left:g} s", f"{self.timeout:g} s")) \
                from None

    def resolve(self, label: str) -> URIRef | None:
        """The entity with this English or Russian label (case ignored), if exactly one.

        Raises:
            ParameterError: several entities carry the label.
        """
        at = _RESOLVE.index("{") + 1
        text = _RESOLVE[:at] + f"\n  VALUES ?text {{ {Literal(label).n3()} }}" + _RESOLVE[at:]
        found = [row[0] for row in self.sparql(text).rows]
        if len(found) > 1:
            names = ", ".join(curie(str(iri)) for iri in found)
            raise ParameterError("label", f"{label!r} is ambiguous: {names}")
        return URIRef(str(found[0])) if found else None


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
        self.store = self._open_store(store)

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
            return MemoryStore(_union(self.ontology, self.data, self.inferred))
        if kind == "oxigraph":
            store = OxigraphStore(path or None, memory_limit=self.memory_limit)
            store.load_graphs([self.asserted, self.inferred])
            return store
        raise StoreError(f"unknown store {spec!r}; expected memory, oxigraph or oxigraph:PATH")

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
        self.store = RemoteStore(url)
        self.timeout = timeout
        self.row_cap = row_cap


def load(paths: Iterable[str | Path] = (), *, reason: bool = True, engine: Engine = "owlrl",
         store: str = "memory", timeout: float = DEFAULT_TIMEOUT,
         row_cap: int = DEFAULT_ROW_CAP, cache: bool = True,
         memory_limit: int = DEFAULT_MEMORY_LIMIT) -> KnowledgeGraph:
    """Load the shipped ontology and data, plus any Turtle files or folders in ``paths``.

    Reads the files; never opens a network connection and never follows ``owl:imports``.

    Args:
        paths: extra Turtle files or folders, checked together with the shipped graph.
        reason: materialise the OWL 2 RL closure into a separate inferred graph.
        engine: the reasoner, ``owlrl`` (reference) or ``reasonable`` (fast).
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
    return KnowledgeGraph(ontology, data, inferred, files, store=store, timeout=timeout,
                          row_cap=row_cap, yours=yours, memory_limit=memory_limit)


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
    declared = {s for s, o in ontology.subject_objects(RDF.type) if o in _DECLARING_TYPES}
    namespace = ONTOLOGY_IRI + "#"
    used = {term for triple in graph for term in triple
            if isinstance(term, URIRef) and str(term).startswith(namespace)}
    missing = sorted(used - declared)
    if missing:
        raise UndeclaredTermError([(where, curie(str(term))) for term in missing])



