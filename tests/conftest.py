"""Shared fixtures, a guard that fails any test opening a connection beyond loopback, and an
audit recorder (PEP 578) that tests use to prove an operation opened no socket, URL or file."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import sysconfig
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import roscosmos_graph

DATA = Path(__file__).parent / "data"

_blocked: list[str] = []


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return isinstance(address, str | bytes)  # a Unix socket path


def _network_guard(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect" and len(args) >= 2 and not _is_loopback(args[1]):
        _blocked.append(repr(args[1]))
        raise ConnectionRefusedError(f"test network guard: {args[1]!r} is not loopback")
    if event == "socket.getaddrinfo" and args and args[0] not in (None, "localhost", "127.0.0.1",
                                                                   "::1"):
        _blocked.append(repr(args[0]))
        raise socket.gaierror(f"test network guard: lookup of {args[0]!r} refused")


sys.addaudithook(_network_guard)


class AuditRecorder:
    """Records ``socket.connect``, ``urllib.Request`` and ``open`` of files outside ``allowed``.

    Python's own libraries and the installed packages are always allowed (lazy imports open
    them); ``allowed`` adds the inputs of the operation under test and its temporary folders.
    Recording is off outside :meth:`recording`, so the hook costs one check per event.
    """

    LIBRARIES = tuple(sorted({str(Path(p).resolve()) for p in (
        sys.prefix, sys.base_prefix, sys.exec_prefix, sysconfig.get_path("stdlib"),
        sysconfig.get_path("purelib"), sysconfig.get_path("platlib"),
        Path(roscosmos_graph.__file__).parent)}))

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.allowed: tuple[str, ...] = ()
        self.active = False

    @contextmanager
    def recording(self, *allowed: str | Path) -> Iterator[list[tuple[str, str]]]:
        """Record events (cleared first) while the block runs; ``allowed`` folders and files
        may be opened."""
        self.events.clear()
        self.allowed = self.LIBRARIES + tuple(str(Path(p).resolve()) for p in allowed)
        self.active = True
        try:
            yield self.events
        finally:
            self.active = False

    def hook(self, event: str, args: tuple[object, ...]) -> None:
        if not self.active:
            return
        if event in ("socket.connect", "urllib.Request"):
            self.events.append((event, repr(args[1] if event == "socket.connect" else args[0])))
        elif event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            path = os.path.realpath(os.fsdecode(args[0]))
            if not any(path == root or path.startswith(root + os.sep) for root in self.allowed):
                self.events.append((event, path))


AUDIT = AuditRecorder()
sys.addaudithook(AUDIT.hook)


@pytest.fixture(autouse=True)
def no_network_beyond_loopback():
    """Fail the test if it tried to reach anything but loopback."""
    before = len(_blocked)
    yield
    attempts = _blocked[before:]
    assert not attempts, f"test tried to open non-loopback connections: {attempts}"


@pytest.fixture
def audit() -> AuditRecorder:
    """The session's audit recorder; use ``with audit.recording(*allowed) as events:``."""
    return AUDIT


@pytest.fixture(scope="session")
def kg() -> roscosmos_graph.KnowledgeGraph:
    """The shipped graph, reasoned, on the default memory store."""
    return roscosmos_graph.load()


@pytest.fixture(scope="session")
def report(kg: roscosmos_graph.KnowledgeGraph) -> roscosmos_graph.ValidationReport:
    """The validation report of the shipped graph."""
    return kg.validate()
