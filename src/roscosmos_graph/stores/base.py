"""The small protocol every store follows, and the time limit they share."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

from ..errors import QueryTimeoutError
from ..results import QueryResult

__all__ = ["DEFAULT_ROW_CAP", "DEFAULT_TIMEOUT", "Store", "one_line", "run_with_timeout"]

DEFAULT_TIMEOUT = 30.0
"""Seconds a query may run before it is stopped."""

DEFAULT_ROW_CAP = 10_000
"""Rows returned at most; a longer result is cut and marked truncated."""

T = TypeVar("T")


class Store(Protocol):
    """A place that answers SPARQL 1.1 queries already checked by the guard."""

    name: str

    def run(self, query: str, *, timeout: float, row_cap: int) -> QueryResult:
        """Evaluate ``query`` and return at most ``row_cap`` rows within ``timeout`` seconds."""
        ...


def one_line(text: str, limit: int = 300) -> str:
    r"""``text`` on one line (whitespace runs become one space), cut to ``limit`` characters.

    >>> one_line("error at 1:2:\n  expected one of x, y", 20)
    'error at 1:2: expec…'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class _Stop(BaseException):
    """Raised inside a worker thread to stop a pure-Python evaluation."""


def run_with_timeout(work: Callable[[], T], timeout: float) -> T:
    """Run ``work`` in a worker thread and stop waiting after ``timeout`` seconds.

    Pure-Python work (rdflib) is interrupted in its thread; native work is abandoned in a
    daemon thread and its result dropped.

    Raises:
        QueryTimeoutError: ``work`` did not finish in time.
    """
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except _Stop:
            outcome["stopped"] = True
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    worker = threading.Thread(target=target, name="roscosmos-graph-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        ident = worker.ident
        if ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                                       ctypes.py_object(_Stop))
        worker.join(0.5)
        raise QueryTimeoutError(f"query stopped after the time limit of {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
