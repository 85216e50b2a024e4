"""Query backends behind one small protocol: rdflib in memory, Oxigraph, a remote endpoint."""

from .base import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, MAX_TIMEOUT, Store, check_limits
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
