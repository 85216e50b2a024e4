"""Query backends behind one small protocol: rdflib in memory, Oxigraph, a remote endpoint.

The backends are imported on first use, so that opening one store loads no other engine.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .base import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, MAX_TIMEOUT, Store, check_limits

if TYPE_CHECKING:
    from .memory import MemoryStore
    from .oxigraph import OxigraphStore
    from .remote import RemoteStore, push_graph

__all__ = [
           "DEFAULT_ROW_CAP",
           "DEFAULT_TIMEOUT",
           "MAX_TIMEOUT",
           "MemoryStore",
           "OxigraphStore",
           "RemoteStore",
           "Store",
           "check_limits",
           "push_graph",
]

_LAZY = {"MemoryStore": "memory", "OxigraphStore": "oxigraph", "RemoteStore": "remote",
         "push_graph": "remote"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
