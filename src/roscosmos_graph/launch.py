"""The ``roscosmos-graph`` command's entry point.

It only looks at the command line to start opening the cached store
(:func:`~roscosmos_graph.store_cache.prefetch`) before :mod:`roscosmos_graph.cli` and the
RDF libraries load, then hands over to :func:`roscosmos_graph.cli.main`.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> int:
    """Run the command line."""
    from .store_cache import prefetch

    prefetch(sys.argv[1:])
    from .cli import main as run

    return run()
