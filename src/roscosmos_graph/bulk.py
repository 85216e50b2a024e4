"""Building millions of objects at once, without the cyclic garbage collector's passes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["without_gc"]


@contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block.

    Each pass walks every tracked object, and a block that builds millions of terms and
    tuples triggers many: reasoning over 1M triples took 36 s with them and 27 s without.
    Reference counting still frees what the block drops; cycles wait for the next pass.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
