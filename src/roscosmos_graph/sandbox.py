"""Run native query evaluation in a forked child that cannot reach out or take the caller down.

The child shares the parent's loaded store (copy-on-write), and before it evaluates
anything it

- may open no new file or socket (``RLIMIT_NOFILE`` at its lowest free descriptor), so a
  ``SERVICE`` call fails inside the engine even if the guard misread the query;
- may grow its address space by :data:`DEFAULT_MEMORY_LIMIT` at most (``RLIMIT_AS``): an
  allocation failure aborts the child, not the caller;
- is killed at the time limit, so a runaway native query stops for real.

A crash of the engine (a stack overflow, an abort on allocation failure, a signal) becomes
a specific exception in the parent. Needs ``os.fork`` (Linux, macOS).
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import tempfile
import time
from collections.abc import Callable
from typing import BinaryIO, TypeVar

from .errors import QueryMemoryError, QueryTimeoutError, QueryTooComplexError, StoreError

__all__ = ["DEFAULT_MEMORY_LIMIT", "run_sandboxed"]

DEFAULT_MEMORY_LIMIT = 2 * 1024**3
"""Bytes of address space a query's evaluation may add to the process it forked from."""

T = TypeVar("T")

_OK, _FAILED = 0, 3


def run_sandboxed(work: Callable[[], T], *, timeout: float,
                  memory_limit: int = DEFAULT_MEMORY_LIMIT) -> T:
    """Run ``work`` in a forked child under the limits above and return its (pickled) result.

    An exception ``work`` raises is raised here too (it must be picklable).

    Raises:
        QueryTimeoutError: the child ran past ``timeout`` seconds and was killed.
        QueryMemoryError: the child ran out of its memory budget.
        QueryTooComplexError: the engine overflowed its stack.
        StoreError: the engine crashed in another way.
    """
    with _scratch() as output, _scratch() as errors:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its outcome is checked by the parent
            _child(work, output.fileno(), errors.fileno(), memory_limit)
        status = _wait(pid, timeout)
        if status is None:
            raise QueryTimeoutError(f"query stopped after the time limit of {timeout:g} s")
        output.seek(0)
        payload = output.read()
        errors.seek(0)
        stderr = errors.read().decode("utf-8", errors="replace")
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) in (_OK, _FAILED) and payload:
        outcome = pickle.loads(payload)
        if os.WEXITSTATUS(status) == _FAILED:
            raise outcome
        return outcome
    if "memory allocation" in stderr or "MemoryError" in stderr:
        raise QueryMemoryError(f"the query needed more than {memory_limit // 1024**2} MiB of "
                               "memory and was stopped")
    segfault = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV
    if "overflowed its stack" in stderr or segfault:
        raise QueryTooComplexError("the query is too deeply structured for the engine "
                                   "(it crashed, most likely out of stack) and was stopped")
    how = (f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
           else f"exit code {os.WEXITSTATUS(status)}")
    detail = stderr.strip().splitlines()[-1:] or [""]
    raise StoreError(f"the query engine crashed ({how}) {detail[0]}".strip())


def _scratch() -> BinaryIO:
    """An anonymous file the child writes to: in memory where the system allows."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("roscosmos-graph-query"), "w+b")
    return tempfile.TemporaryFile()


def _child(work: Callable[[], object], output: int, errors: int,
           memory_limit: int) -> None:  # pragma: no cover - runs in the forked child
    code = _FAILED
    try:
        faulthandler.disable()  # a crash is reported through ``errors``, not a dump
        os.dup2(errors, 2)
        current = _address_space()
        free = os.open(os.devnull, os.O_RDONLY)
        os.close(free)
        resource.setrlimit(resource.RLIMIT_NOFILE, (free, free))
        resource.setrlimit(resource.RLIMIT_AS, (current + memory_limit,) * 2)
        try:
            outcome: object = work()
            code = _OK
        except BaseException as error:  # handed to the parent, which raises it
            outcome = error
        data = pickle.dumps(outcome)
        view = memoryview(data)
        while view:
            view = view[os.write(output, view):]
    except BaseException as error:
        try:
            os.write(2, f"{type(error).__name__}: {error}\n".encode())
        finally:
            os._exit(4)
    os._exit(code)


def _address_space() -> int:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _wait(pid: int, timeout: float) -> int | None:
    """The child's wait status, or ``None`` after killing it at ``timeout``."""
    deadline = time.monotonic() + timeout
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):
        handle = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            if handle is not None:
                select.select([handle], [], [], left)
            else:
                time.sleep(min(left, 0.01))
    finally:
        if handle is not None:
            os.close(handle)
