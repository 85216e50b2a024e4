"""Where the shipped ontology, data, shapes and queries live, and where the cache goes.

In an installed wheel they are package data under ``roscosmos_graph/``; in a source
checkout they are the top-level folders of the repository. Light to import (no RDF
library), so that quick commands can find their cache before loading anything else.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

__all__ = ["ENGINES", "ENGINE_PACKAGES", "cache_dir", "data_files", "ontology_files",
           "package_version", "query_files", "resource_dir", "shape_files"]

ENGINES: tuple[str, ...] = ("owlrl", "reasonable")
"""The OWL 2 RL reasoners: ``owlrl`` (the reference) and ``reasonable`` (the default)."""

ENGINE_PACKAGES: dict[str, tuple[str, ...]] = {
    "reasonable": ("reasonable",),
    "owlrl": ("owlrl", "rdflib"),
}
"""The packages whose versions can change each reasoning engine's inferred triples."""

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


def cache_dir() -> Path:
    """``$ROSCOSMOS_GRAPH_CACHE``, else ``$XDG_CACHE_HOME/roscosmos-graph`` (``~/.cache``)."""
    explicit = os.environ.get("ROSCOSMOS_GRAPH_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "roscosmos-graph"


def package_version(name: str) -> str:
    """The installed version of the distribution ``name``, or ``none``.

    Read from its ``.dist-info`` folder beside the imported package, without loading
    :mod:`importlib.metadata` (which costs more than the lookup itself).
    """
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return "none"
    folder = Path(spec.origin).parent.parent
    prefix = name.replace("-", "_").lower() + "-"
    for entry in os.scandir(folder):
        if entry.name.lower().startswith(prefix) and entry.name.endswith(".dist-info"):
            return entry.name[len(prefix):-len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "none"
