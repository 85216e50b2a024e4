"""Where the shipped ontology, data, shapes and queries live.

In an installed wheel they are package data under ``roscosmos_graph/``; in a source
checkout they are the top-level folders of the repository.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_files", "ontology_files", "query_files", "resource_dir", "shape_files"]

_KINDS = ("ontology", "data", "shapes", "queries")


def resource_dir(kind: str) -> Path:
    """Return the folder holding the shipped files of one kind.

    Args:
        kind: one of ``ontology``, ``data``, ``shapes``, ``queries``.
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {_KINDS}")
    packaged = Path(str(files("roscosmos_graph"))) / kind
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / kind


def _listing(kind: str, suffix: str) -> list[Path]:
    return sorted(resource_dir(kind).rglob(f"*{suffix}"))


def ontology_files() -> list[Path]:
    """The ontology's Turtle files, sorted by name."""
    return _listing("ontology", ".ttl")


def data_files() -> list[Path]:
    """The instance data's Turtle files, in every sub-folder, sorted by path."""
    return _listing("data", ".ttl")


def shape_files() -> list[Path]:
    """The SHACL shapes' Turtle files, sorted by name."""
    return _listing("shapes", ".ttl")


def query_files() -> list[Path]:
    """The canned queries, one ``.rq`` file each, sorted by name."""
    return _listing("queries", ".rq")
