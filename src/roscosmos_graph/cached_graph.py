"""Queries answered from the persistent store of :mod:`roscosmos_graph.store_cache`.

This is what ``query`` and ``sparql`` use by default: after the first run they open the
built store read-only and answer without parsing Turtle, reasoning or filling a store.
Queries run as on :class:`~roscosmos_graph.stores.OxigraphStore` (a sandboxed child with
time and memory limits), and every canned query returns the rows of the reference rdflib
store (``tests/test_store_cache.py``).

The guard's verdict on a query text is kept in ``verdicts/`` beside the stores, keyed by
the text and by the code of the guard itself, and checked by its SHA-256: a text checked
once is not parsed again by later runs, and a change to the guard checks every text anew.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from .queryable import StoreGraph, check_text
from .sandbox import DEFAULT_MEMORY_LIMIT
from .store_cache import Notice, digest, open_store
from .stores.base import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, check_limits
from .stores.oxigraph import OxigraphStore

__all__ = ["CachedGraph", "open_cached"]

_GUARD_CODE = ("guard.py", "sparql_prefixes.py", "namespaces.py", "queryable.py")
"""Our modules whose code decides which query texts are run, and as what."""


def _stderr(line: str) -> None:
    print(f"roscosmos-graph: notice: {line}", file=sys.stderr)


class CachedGraph(StoreGraph):
    """Canned and ad-hoc queries on the persistent store (see :func:`open_cached`)."""

    def __init__(self, store: OxigraphStore, path: Path, *, timeout: float,
                 row_cap: int) -> None:
        super().__init__(store, timeout=timeout, row_cap=row_cap)
        self.path = path
        """The store's folder under the cache."""

    def check(self, text: str) -> str:
        """The guard's verdict on ``text``, remembered in the cache across runs."""
        key = hashlib.sha256(_guard_fingerprint().encode() + b"\0" + text.encode("utf-8",
                                                                                 "replace"))
        memo = self.path.parent / "verdicts" / f"{key.hexdigest()}.rq"
        try:
            header, _, body = memo.read_bytes().partition(b"\n")
            if header == _header(body):
                return body.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            pass
        checked = check_text(text)
        body = checked.encode("utf-8")
        _write_atomic(memo, _header(body) + b"\n" + body)
        return checked


def open_cached(engine: str = "reasonable", *, timeout: float = DEFAULT_TIMEOUT,
                row_cap: int = DEFAULT_ROW_CAP, memory_limit: int = DEFAULT_MEMORY_LIMIT,
                notice: Notice = _stderr) -> CachedGraph:
    """The shipped graph, reasoned with ``engine``, on its persistent store.

    The first call for a set of inputs parses, reasons and builds the store (seconds);
    later calls, in any process, open it read-only (milliseconds). ``notice`` is told, in
    one line, when a damaged store is rebuilt.

    Raises:
        TurtleSyntaxError, UndeclaredTermError: a shipped file is broken (when building).
        StoreError: the store cannot be built or opened.
        ParameterError: ``timeout`` or ``row_cap`` out of range.
    """
    check_limits(timeout, row_cap)
    path, store = open_store(engine, notice)
    return CachedGraph(OxigraphStore.wrap(store, memory_limit=memory_limit), path,
                       timeout=timeout, row_cap=row_cap)


def _header(body: bytes) -> bytes:
    return b"# sha256 " + hashlib.sha256(body).hexdigest().encode()


def _guard_fingerprint() -> str:
    here = Path(__file__).parent
    return ";".join(f"{name}={digest(here / name)}" for name in _GUARD_CODE)


def _write_atomic(path: Path, body: bytes) -> None:
    """Best effort: a verdict that cannot be written is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, path)
    except OSError:
        return
