"""The on-disk cache of the inferred graph: reused, invalidated by any input, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

import roscosmos_graph
from context import CONTEXT, isomorphic
from roscosmos_graph import cache as cache_module
from roscosmos_graph import graph as graph_module
from roscosmos_graph import reasoning
from roscosmos_graph.resources import resource_dir

EXTRA = """\
@prefix id: <https://w3id.org/roscosmos-graph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rsg: <https://w3id.org/roscosmos-graph/def#> .

id:cache-test-news
    a rsg:NewsItem ;
    rdfs:label "Cache test"@en ;
    rsg:mentions id:{mentioned} .
"""


@pytest.fixture(autouse=True)
def small_shipped_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped data reduced to the context files: the cache works alike on any size, and
    each reasoning run takes a second instead of ten."""
    files = [resource_dir("data") / name for name in CONTEXT]
    monkeypatch.setattr(graph_module, "data_files", lambda: files)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ROSCOSMOS_GRAPH_CACHE", str(folder))
    return folder


@pytest.fixture
def extra(tmp_path: Path) -> Path:
    path = tmp_path / "extra.ttl"
    path.write_text(EXTRA.replace("{mentioned}", "roscosmos"), encoding="utf-8")
    return path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the reasoner's runs (the engine is the fast one, to keep the tests quick)."""
    seen: list[str] = []
    real = reasoning.infer

    def counting(graph, *, engine="owlrl"):
        seen.append(engine)
        return real(graph, engine=engine)

    monkeypatch.setattr(cache_module, "infer", counting)
    return seen


def _forbid_reasoning(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(graph, *, engine="owlrl"):
        raise AssertionError("reasoned again although the cache holds the inferred graph")

    monkeypatch.setattr(cache_module, "infer", refuse)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("inferred-*.nt"))


def test_second_load_uses_the_cache(cache_dir: Path, extra: Path, calls: list[str],
                                    monkeypatch: pytest.MonkeyPatch):
    first = roscosmos_graph.load([extra], engine="reasonable")
    assert calls == ["reasonable"]
    assert len(_files(cache_dir)) == 1
    _forbid_reasoning(monkeypatch)
    second = roscosmos_graph.load([extra], engine="reasonable")
    assert isomorphic(second.inferred, first.inferred)
    assert len(second.inferred) > 0


def test_engine_is_part_of_the_key(cache_dir: Path, extra: Path, calls: list[str]):
    roscosmos_graph.load([extra], engine="reasonable")
    roscosmos_graph.load([extra], engine="owlrl")
    assert calls == ["reasonable", "owlrl"]
    assert len(_files(cache_dir)) == 2


def test_changing_an_input_file_invalidates(cache_dir: Path, extra: Path, calls: list[str],
                                            monkeypatch: pytest.MonkeyPatch):
    roscosmos_graph.load([extra], engine="reasonable")
    extra.write_text(EXTRA.replace("{mentioned}", "iss"), encoding="utf-8")
    changed = roscosmos_graph.load([extra], engine="reasonable")
    assert calls == ["reasonable", "reasonable"]
    assert len(_files(cache_dir)) == 2
    news = roscosmos_graph.ID["cache-test-news"]
    mentioned = roscosmos_graph.ID["iss"]
    mentioned_in = roscosmos_graph.RSG["mentionedIn"]
    assert (mentioned, mentioned_in, news) in changed.inferred
    _forbid_reasoning(monkeypatch)
    again = roscosmos_graph.load([extra], engine="reasonable")
    assert (mentioned, mentioned_in, news) in again.inferred


def test_corrupted_cache_file_is_deleted_and_rebuilt(cache_dir: Path, extra: Path,
                                                     calls: list[str]):
    good = roscosmos_graph.load([extra], engine="reasonable")
    [path] = _files(cache_dir)
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2
    raw[middle:middle + 8] = bytes(b ^ 0xFF for b in raw[middle:middle + 8])
    path.write_bytes(bytes(raw))
    rebuilt = roscosmos_graph.load([extra], engine="reasonable")
    assert calls == ["reasonable", "reasonable"], "the damaged cache file was trusted"
    assert isomorphic(rebuilt.inferred, good.inferred)
    [again] = _files(cache_dir)
    assert again.read_bytes() != bytes(raw)


def test_truncated_cache_file_is_not_trusted(cache_dir: Path, extra: Path, calls: list[str]):
    good = roscosmos_graph.load([extra], engine="reasonable")
    [path] = _files(cache_dir)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])
    rebuilt = roscosmos_graph.load([extra], engine="reasonable")
    assert calls == ["reasonable", "reasonable"]
    assert isomorphic(rebuilt.inferred, good.inferred)


def test_cache_false_bypasses(cache_dir: Path, extra: Path, calls: list[str]):
    roscosmos_graph.load([extra], engine="reasonable")
    assert len(_files(cache_dir)) == 1
    roscosmos_graph.load([extra], engine="reasonable", cache=False)
    assert calls == ["reasonable", "reasonable"]
    assert len(_files(cache_dir)) == 1


def test_cache_false_writes_nothing(cache_dir: Path, extra: Path, calls: list[str]):
    roscosmos_graph.load([extra], engine="reasonable", cache=False)
    assert calls == ["reasonable"]
    assert not cache_dir.exists() or not _files(cache_dir)
