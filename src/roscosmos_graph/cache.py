"""The inferred graph, cached on disk so that reasoning runs once per set of inputs.

The key hashes every input file's bytes, the engine, the versions of the packages that
engine's output depends on, and our reasoning code; any change to any of them gives a new
key, and nothing else does (installing an unrelated package keeps the cache). Each cache
file starts with the SHA-256 of its body and is re-checked on every read: a damaged file
is deleted and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .reasoning import Engine, infer
from .resources import ENGINE_PACKAGES, cache_dir, package_version
from .terms import add_triples

__all__ = ["cache_dir", "cache_key", "inferred_graph"]


def cache_key(files: Iterable[Path], engine: str) -> str:
    """A hash of the inputs' bytes, their order, the engine, the versions of the packages
    it depends on (:data:`ENGINE_PACKAGES`) and our code that reasons."""
    digest = hashlib.sha256(engine.encode())
    for name in ENGINE_PACKAGES.get(engine, ()):
        digest.update(f"{name}={package_version(name)};".encode())
    digest.update(Path(__file__).with_name("reasoning.py").read_bytes())
    for path in files:
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()


def inferred_graph(asserted: Callable[[], Graph], files: Iterable[Path], *, engine: Engine,
                   use_cache: bool = True) -> Graph:
    """The useful OWL 2 RL entailments of the asserted graph, from the cache when it holds them.

    ``asserted`` builds that graph; it is called only when the reasoner has to run. Reads
    and writes the cache folder (see :func:`cache_dir`) unless ``use_cache`` is false.
    """
    if not use_cache:
        return infer(asserted(), engine=engine)
    path = cache_dir() / f"inferred-{cache_key(files, engine)}.nt"
    cached = _read(path)
    if cached is not None:
        return cached
    inferred = infer(asserted(), engine=engine)
    _write(path, inferred)
    return inferred


def _read(path: Path) -> Graph | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header, _, body = raw.partition(b"\n")
    if header != b"# sha256 " + hashlib.sha256(body).hexdigest().encode():
        path.unlink(missing_ok=True)
        return None
    try:
        return add_triples(Graph(), ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        path.unlink(missing_ok=True)
        return None


def _write(path: Path, graph: Graph) -> None:
    body = graph.serialize(format="nt", encoding="utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(b"# sha256 " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.replace(temporary, path)
    except OSError:
        return
