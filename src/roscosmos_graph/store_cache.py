"""The persistent store: the asserted and inferred triples in an on-disk Oxigraph store,
built once per set of inputs under the cache folder and opened read-only afterwards.

A store lives in ``store-KEY/`` of :func:`~roscosmos_graph.cache.cache_dir`. ``KEY`` hashes
only what changes the answers: the path and bytes of every ontology and data file, the
reasoning engine and its version, the code that parses and reasons, and the store format.
Editing, adding, removing or renaming a file gives a new key.

- **Built atomically**: into a temporary folder beside it, with ``manifest.json`` (the size
  and SHA-256 of every file of the store) written last, then renamed into place. Two
  processes that start at once both build; the first rename wins and the other process
  answers from the winner's store.
- **Checked on every open**: a store whose files differ from its manifest (truncated,
  corrupted, missing) is moved away and rebuilt, with a one-line notice on stderr.
- **Light**: this module imports no RDF library, so the command can find and start opening
  its store (:func:`prefetch`) while the rest of it loads. The queries themselves run in
  :mod:`roscosmos_graph.cached_graph`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import StoreError
from .resources import (
    ENGINE_PACKAGES,
    cache_dir,
    data_files,
    ontology_files,
    package_version,
    resource_dir,
)

__all__ = ["STORE_FORMAT", "open_store", "prefetch", "store_key", "store_path"]

STORE_FORMAT = 1
"""Version of the layout below; a new one gives new keys."""

MANIFEST = "manifest.json"

_CODE = ("graph.py", "loading.py", "reasoning.py", "store_cache.py", "terms.py")
"""Our modules whose code can change the triples a store holds."""

_NOT_DATA = ("LOCK", "LOG")
"""RocksDB's lock file and information logs (``LOG``, ``LOG.old.*``): not part of the data."""

Notice = Callable[[str], None]
"""Told, in one line, when a damaged store is rebuilt."""

_PREFETCHED: dict[str, tuple[threading.Thread, dict[str, Any]]] = {}


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files() -> list[tuple[str, Path]]:
    """Every ontology and data file with its name relative to the shipped folders."""
    named = []
    for kind, listing in (("ontology", ontology_files), ("data", data_files)):
        root = resource_dir(kind)
        named += [(f"{kind}/{path.relative_to(root).as_posix()}", path) for path in listing()]
    return named


def store_key(engine: str) -> str:
    """The hash of everything that changes the store's content (see the module's text)."""
    if engine not in ENGINE_PACKAGES:
        raise ValueError(f"unknown reasoning engine {engine!r}; expected one of "
                         f"{tuple(ENGINE_PACKAGES)}")
    key = hashlib.sha256(f"store-format={STORE_FORMAT};engine={engine};".encode())
    for name in (*ENGINE_PACKAGES[engine], "pyoxigraph"):
        key.update(f"{name}={package_version(name)};".encode())
    here = Path(__file__).parent
    for module in _CODE:
        key.update(f"{module}={digest(here / module)};".encode())
    for name, path in input_files():
        key.update(f"{name}={digest(path)};".encode())
    return key.hexdigest()


def store_path(engine: str) -> Path:
    """The folder of the store for the current inputs and ``engine`` (built or not)."""
    return cache_dir() / f"store-{store_key(engine)[:32]}"


def open_store(engine: str, notice: Notice) -> tuple[Path, Any]:
    """The folder and the read-only ``pyoxigraph.Store`` of the current inputs' store.

    Takes the store :func:`prefetch` opened, if any; else verifies (building or rebuilding
    it as needed) and opens it here.

    Raises:
        TurtleSyntaxError, UndeclaredTermError: a shipped file is broken (when building).
        StoreError: the store cannot be built or opened.
    """
    import pyoxigraph as ox

    early = _PREFETCHED.pop(engine, None)
    if early is not None:
        thread, outcome = early
        thread.join()
        if "store" in outcome:
            return outcome["path"], outcome["store"]
    path = store_path(engine)
    problem = _verify(path)
    if problem == "missing":
        _build(path, engine)
    elif problem:
        notice(f"the cached store {path.name} is damaged ({problem}); rebuilding it")
        _discard(path)
        _build(path, engine)
    try:
        return path, ox.Store.read_only(str(path / "db"))
    except OSError as error:
        raise StoreError(f"cannot open the cached store {path}: {error}") from None


_QUICK = ("query", "sparql")
_NOT_CACHED = ("--store", "--endpoint", "--no-cache", "--no-reason", "-h", "--help")


def prefetch(argv: Sequence[str]) -> None:
    """Start opening the cached store in a thread, when ``argv`` will most likely need it.

    Opening the store is native work that releases the interpreter's lock, so it runs
    while the command's modules are imported; :func:`open_store` takes the result. Only a
    hint: a store that is missing or damaged is left to :func:`open_store`.
    """
    if not argv or argv[0] not in _QUICK or any(
            arg.split("=")[0] in _NOT_CACHED for arg in argv):
        return
    engine = "reasonable"
    for index, arg in enumerate(argv):
        if arg == "--engine" and index + 1 < len(argv):
            engine = argv[index + 1]
        elif arg.startswith("--engine="):
            engine = arg.partition("=")[2]
    if engine not in ENGINE_PACKAGES:
        return
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            path = store_path(engine)
            if _verify(path):
                return
            import pyoxigraph as ox

            outcome["store"] = ox.Store.read_only(str(path / "db"))
            outcome["path"] = path
        except Exception:  # only a hint: open_store does the work again and reports
            outcome.clear()

    thread = threading.Thread(target=work, name="roscosmos-graph-prefetch", daemon=True)
    _PREFETCHED[engine] = (thread, outcome)
    thread.start()


def _verify(path: Path) -> str:
    """``""`` when the store matches its manifest; else what is wrong (``missing``...)."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        expected: dict[str, list[object]] = manifest["files"]
    except FileNotFoundError:
        return "missing" if not path.exists() else "no manifest"
    except (OSError, ValueError, KeyError, TypeError):
        return "unreadable manifest"
    present = {name for name in _data_files(path / "db")}
    if present != set(expected):
        return f"{len(set(expected) ^ present)} file(s) missing or unexpected"
    for name, (size, expected_digest) in sorted(expected.items()):
        file = path / "db" / name
        try:
            if file.stat().st_size != size:
                return f"{name} has {file.stat().st_size} bytes, not {size}"
            if digest(file) != expected_digest:
                return f"{name} does not match its checksum"
        except OSError as error:
            return f"{name}: {error.strerror}"
    return ""


def _data_files(folder: Path) -> list[str]:
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
    except OSError:
        return []
    return [name for name in names if not name.startswith(_NOT_DATA)]


def _build(path: Path, engine: str) -> None:
    """Reason, fill a store in a temporary folder, then rename it to ``path``."""
    import pyoxigraph as ox

    path.parent.mkdir(parents=True, exist_ok=True)
    triples = _closure(engine)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=".tmp-store-"))
    try:
        store = ox.Store(str(staging / "db"))
        store.bulk_extend(ox.Quad(*triple) for triple in triples)
        store.flush()
        count = len(store)
        del store
        files = {name: [(staging / "db" / name).stat().st_size,
                        digest(staging / "db" / name)]
                 for name in _data_files(staging / "db")}
        manifest = {"format": STORE_FORMAT, "engine": engine, "triples": count,
                    "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        try:
            os.rename(staging, path)
        except OSError:
            if _verify(path):  # neither our store nor another process's is in place
                raise
    except OSError as error:
        raise StoreError(f"cannot build the cached store in {path.parent}: {error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _closure(engine: str) -> list[Any]:
    """The shipped asserted triples and their useful entailments, as pyoxigraph triples.

    ``reasonable`` reasons straight from the parsed triples; ``owlrl`` goes through rdflib.
    Either way the triples are those of :func:`~roscosmos_graph.graph.read_inputs`.
    """
    import pyoxigraph as ox

    from .graph import read_inputs, read_shipped_triples
    from .reasoning import infer_triples
    from .terms import to_oxigraph

    if engine == "reasonable":
        asserted = read_shipped_triples()
        return asserted + infer_triples(asserted)
    ontology, data, inferred, _, _ = read_inputs(engine="owlrl")
    bnodes: dict = {}
    return [ox.Triple(to_oxigraph(s, bnodes), to_oxigraph(p, bnodes), to_oxigraph(o, bnodes))
            for graph in (ontology, data, inferred) for s, p, o in graph]


def _discard(path: Path) -> None:
    """Move a damaged store aside (one atomic rename), then delete it."""
    trash = path.with_name(f".tmp-damaged-{os.getpid()}-{path.name}")
    try:
        os.rename(path, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)
