"""The persistent store behind ``query`` and ``sparql``: the reference's exact rows, and a
cache that cannot lie (inputs, damage, concurrency, ``--no-cache``)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal

import roscosmos_graph
from roscosmos_graph import cached_graph, resources, store_cache
from roscosmos_graph.cli import main
from roscosmos_graph.errors import QueryRefusedError
from roscosmos_graph.graph import read_shipped_triples
from roscosmos_graph.queryable import StoreGraph
from roscosmos_graph.reasoning import infer_triples
from roscosmos_graph.stores import OxigraphStore
from roscosmos_graph.terms import to_oxigraph

PARAMS = {
    "agreements-in-force": {"date": "2020-01-01"}, "agreements": {"partner": "id:nasa"},
    "command-changes": {"from": "2022-01-01", "to": "2022-12-31"},
    "crew": {"flight": "id:soyuz-ms-21"}, "flew-with": {"person": "id:oleg-artemyev"},
    "flights-of": {"person": "id:oleg-artemyev"}, "flights": {"from": "2020-01-01"},
    "heads-on-date": {"date": "2020-01-01"}, "modules": {"station": "id:iss"},
    "news-about": {"entity": "id:roscosmos"}, "person": {"person": "id:dmitry-rogozin"},
    "search": {"text": "Artemyev"}, "sources": {"entity": "id:roscosmos"},
    "timeline": {"entity": "id:roscosmos"},
}
NAMES = [q.name for q in roscosmos_graph.queries()]


def by_value(result: roscosmos_graph.QueryResult) -> Counter:
    """Rows as a multiset of values: Oxigraph writes 45.965 where the file says 45.9650."""
    def value(term):
        if isinstance(term, Literal) and term.datatype:
            return (str(term.datatype), term.toPython())
        return None if term is None else term.n3()
    return Counter(tuple(value(t) for t in row) for row in result.rows)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store-cache")
    previous = os.environ.get("ROSCOSMOS_GRAPH_CACHE")
    os.environ["ROSCOSMOS_GRAPH_CACHE"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["ROSCOSMOS_GRAPH_CACHE"]
    else:
        os.environ["ROSCOSMOS_GRAPH_CACHE"] = previous


@pytest.fixture(scope="module")
def cached(cache: Path) -> cached_graph.CachedGraph:
    return cached_graph.open_cached()


@pytest.fixture(scope="module")
def reference(cache: Path) -> roscosmos_graph.KnowledgeGraph:
    return roscosmos_graph.load(store="memory")


@pytest.fixture(scope="module")
def expected(reference) -> Callable[[str], Counter]:
    """The reference store's rows of a canned query, each query run once."""
    @functools.cache
    def rows(name: str) -> Counter:
        return by_value(reference.query(name, **PARAMS.get(name, {})))
    return rows


@pytest.mark.parametrize("name", NAMES)
def test_cached_store_gives_the_reference_rows(name: str, cached, expected):
    assert by_value(cached.query(name, **PARAMS.get(name, {}))) == expected(name)


@pytest.fixture(scope="module")
def from_triples() -> StoreGraph:
    """The way for large graphs: pyoxigraph triples in, no rdflib graph of them."""
    asserted = read_shipped_triples()
    store = OxigraphStore()
    store.load_triples([*asserted, *infer_triples(asserted)])
    return StoreGraph(store)


@pytest.mark.parametrize("name", NAMES)
def test_a_store_filled_from_triples_gives_the_reference_rows(name: str, from_triples,
                                                             expected):
    assert by_value(from_triples.query(name, **PARAMS.get(name, {}))) == expected(name)


def test_the_agreement_is_not_vacuous(cached):
    answered = [name for name in NAMES if len(cached.query(name, **PARAMS.get(name, {})))]
    assert len(answered) >= len(NAMES) - 3, f"only {answered} returned rows"


def test_cached_store_holds_asserted_and_inferred(cached, reference):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert cached.sparql(count).rows[0][0].toPython() == len(reference.asserted
                                                             + reference.inferred)


def test_cached_store_holds_exactly_the_reference_triples(cached, reference):
    """The store is built from pyoxigraph triples and reasoned from an N-Triples file; the
    reference parses into rdflib and reasons from it. Blank nodes are compared as blanks."""
    def shapes(store: ox.Store) -> Counter:
        def shape(term: object) -> str:
            return "_:" if isinstance(term, ox.BlankNode) else str(term)
        return Counter(tuple(shape(term) for term in quad.triple) for quad in store)

    expected = ox.Store()  # Oxigraph keeps values: 45.9650 and 45.965 are one literal
    bnodes: dict = {}
    expected.extend(ox.Quad(*(to_oxigraph(term, bnodes) for term in triple))
                    for graph in (reference.asserted, reference.inferred) for triple in graph)
    assert shapes(cached.store.store) == shapes(expected)


def test_refusals_read_the_same_on_the_cached_store(cached, reference):
    for text in ("DROP ALL", "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }",
                 "SELECT ?s WHERE { ?s a ex:Thing }"):
        with pytest.raises(QueryRefusedError) as fast:
            cached.sparql(text)
        with pytest.raises(QueryRefusedError) as slow:
            reference.sparql(text)
        assert str(fast.value) == str(slow.value)


def test_a_tampered_verdict_is_not_trusted(cached):
    text = "SELECT ?l WHERE { id:baikonur-cosmodrome rdfs:label ?l } ORDER BY ?l"
    assert len(cached.sparql(text)) == 2
    [memo] = [p for p in (cached.path.parent / "verdicts").iterdir()
              if text in p.read_text(encoding="utf-8")]
    memo.write_text(memo.read_text(encoding="utf-8").replace("ORDER BY ?l", "LIMIT 1"),
                    encoding="utf-8")
    assert len(cached.sparql(text)) == 2


def _copy_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the package at a copy of the shipped ontology and data."""
    root = tmp_path / "inputs"
    for kind in ("ontology", "data"):
        shutil.copytree(resources.resource_dir(kind), root / kind)
    real = resources.resource_dir

    def copied(kind: str) -> Path:
        return root / kind if kind in ("ontology", "data") else real(kind)

    monkeypatch.setattr(resources, "resource_dir", copied)
    monkeypatch.setattr(store_cache, "resource_dir", copied)
    return root


def test_any_edit_addition_removal_or_rename_changes_the_key(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    root = _copy_inputs(tmp_path, monkeypatch)
    keys = [store_cache.store_key("reasonable")]
    some = sorted((root / "data").rglob("*.ttl"))[-1]
    some.write_text(some.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    keys.append(store_cache.store_key("reasonable"))
    (root / "data" / "people" / "extra.ttl").write_text("", encoding="utf-8")
    keys.append(store_cache.store_key("reasonable"))
    (root / "data" / "people" / "extra.ttl").rename(root / "data" / "extra.ttl")
    keys.append(store_cache.store_key("reasonable"))
    (root / "data" / "extra.ttl").unlink()
    assert store_cache.store_key("reasonable") == keys[1], "the same inputs, the same key"
    ontology = sorted((root / "ontology").rglob("*.ttl"))[0]
    ontology.write_bytes(ontology.read_bytes() + b" ")
    keys.append(store_cache.store_key("reasonable"))
    keys.append(store_cache.store_key("owlrl"))
    assert len(set(keys)) == len(keys)
    assert store_cache.store_key("owlrl") == keys[-1], "the key depends on nothing else"


def test_an_edited_data_file_is_answered_from_a_new_store(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    root = _copy_inputs(tmp_path, monkeypatch)
    monkeypatch.setenv("ROSCOSMOS_GRAPH_CACHE", str(tmp_path / "cache"))
    text = "SELECT ?l WHERE { id:baikonur-cosmodrome rdfs:label ?l } ORDER BY ?l"
    before = cached_graph.open_cached().sparql(text)
    [places] = [p for p in (root / "data").rglob("*.ttl")
                if "id:baikonur-cosmodrome\n" in p.read_text(encoding="utf-8")]
    places.write_text(places.read_text(encoding="utf-8") + """
id:baikonur-cosmodrome rdfs:label "Tyuratam"@en .
""", encoding="utf-8")
    after = cached_graph.open_cached().sparql(text)
    assert [str(r[0]) for r in after.rows] == sorted([str(r[0]) for r in before.rows]
                                                     + ["Tyuratam"])
    assert len(list((tmp_path / "cache").glob("store-*"))) == 2


def _damage_cases(db: Path) -> dict[str, object]:
    largest = max((p for p in db.iterdir() if p.suffix == ".sst"), key=lambda p: p.stat().st_size)

    def truncate() -> None:
        largest.write_bytes(largest.read_bytes()[: largest.stat().st_size // 2])

    def flip() -> None:
        raw = bytearray(largest.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        largest.write_bytes(bytes(raw))

    def remove() -> None:
        largest.unlink()

    def no_manifest() -> None:
        (db.parent / store_cache.MANIFEST).unlink()

    return {"truncated": truncate, "corrupted": flip, "removed": remove,
            "no manifest": no_manifest}


@pytest.mark.parametrize("damage", ["truncated", "corrupted", "removed", "no manifest"])
def test_a_damaged_store_is_rebuilt_with_a_one_line_notice(damage: str, cache: Path, cached,
                                                           reference):
    path = store_cache.store_path("reasonable")
    assert path == cached.path
    _damage_cases(path / "db")[damage]()
    notices: list[str] = []
    again = cached_graph.open_cached(notice=notices.append)
    assert len(notices) == 1 and "\n" not in notices[0]
    assert "damaged" in notices[0] and path.name in notices[0]
    assert by_value(again.query("heads")) == by_value(reference.query("heads"))
    assert store_cache._verify(path) == ""
    assert not list(cache.glob(".tmp-*"))
    silent: list[str] = []
    cached_graph.open_cached(notice=silent.append)
    assert silent == []


def test_the_notice_is_one_line_on_stderr(cache: Path, cached, capsys: pytest.CaptureFixture):
    (store_cache.store_path("reasonable") / store_cache.MANIFEST).write_text("{", "utf-8")
    assert main(["query", "heads", "--format", "csv"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("roscosmos-graph: notice: the cached store store-")


def test_no_cache_reads_and_writes_no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture, reference):
    monkeypatch.setenv("ROSCOSMOS_GRAPH_CACHE", str(tmp_path / "cache"))
    assert main(["query", "heads", "--format", "csv", "--no-cache"]) == 0
    assert capsys.readouterr().out == reference.query("heads").to_csv()
    assert not (tmp_path / "cache").exists()


@pytest.mark.slow
def test_two_processes_starting_at_once_both_answer(tmp_path: Path, reference):
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "roscosmos_graph", "query", "heads", "--format", "csv"]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(2)]
    outcomes = [process.communicate(timeout=300) for process in processes]
    expected = reference.query("heads").to_csv().encode()
    for process, (out, err) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, err.decode()
        assert out == expected
        assert err == b""
    assert len(list((tmp_path / "cache").glob("store-*"))) == 1
    assert not list((tmp_path / "cache").glob(".tmp-*"))


_LOADED = """
import sys
from roscosmos_graph.cli import main
code = main(sys.argv[1:])
heavy = sorted(name for name in ("rdflib", "pyparsing", "owlrl", "pyshacl", "pyrudof")
               if name in sys.modules)
print("loaded:", ",".join(heavy) or "none", file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize("argv", [
    ["query", "heads"],
    ["query", "flights-of", "--param", "person=Oleg Artemyev", "--format", "json"],
    ["sparql", "SELECT ?s WHERE { ?s a rsg:SpaceStation }", "--format", "tsv"],
])
def test_a_warm_answer_loads_no_rdf_library(argv: list[str], cache: Path, cached):
    """After the first run, ``query`` and ``sparql`` open the store and print its cells: no
    rdflib (whose import alone is the floor the warm answers are measured against)."""
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(cache)}
    runs = [subprocess.run([sys.executable, "-c", _LOADED, *argv], env=env,
                           capture_output=True, text=True, check=False) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout != ""
    assert runs[1].stderr == "loaded: none\n"
