"""Shared fixtures, and a guard that fails any test opening a connection beyond loopback."""

from __future__ import annotations

import ipaddress
import socket
import sys
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


@pytest.fixture(autouse=True)
def no_network_beyond_loopback():
    """Fail the test if it tried to reach anything but loopback."""
    before = len(_blocked)
    yield
    attempts = _blocked[before:]
    assert not attempts, f"test tried to open non-loopback connections: {attempts}"


@pytest.fixture(scope="session")
def kg() -> roscosmos_graph.KnowledgeGraph:
    """The shipped graph, reasoned, on the default memory store."""
    return roscosmos_graph.load()


@pytest.fixture(scope="session")
def report(kg: roscosmos_graph.KnowledgeGraph) -> roscosmos_graph.ValidationReport:
    """The validation report of the shipped graph."""
    return kg.validate()
