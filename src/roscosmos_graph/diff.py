"""What changed between two versions of the graph, as Markdown grouped by entity.

A side is a Turtle file, a folder of Turtle files, or ``git:REV``: the shipped
``data/`` and ``ontology/`` at that git revision (read with ``git ls-tree`` and
``git show``, nothing checked out). Blank nodes are matched by content, so rewriting a
file without changing its meaning shows no change.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

from rdflib import RDFS, BNode, Graph, Literal
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.term import Node

from .errors import InputNotFoundError
from .export.rdf import render_term
from .loading import expand_paths, parse_turtle
from .resources import resource_dir

__all__ = ["diff_graphs", "load_side"]

_SHIPPED = ("ontology", "data")


def load_side(spec: str | Path) -> Graph:
    """Read one side of a diff: a Turtle file, a folder, or ``git:REV`` (runs ``git``).

    Raises:
        InputNotFoundError: the path does not exist, or git does not know the revision.
        TurtleSyntaxError: a file is not valid Turtle.
    """
    text = str(spec)
    graph = Graph()
    if text.startswith("git:"):
        rev = text[4:]
        repo = resource_dir("data").parent
        names = _git(repo, "ls-tree", "-r", "--name-only", rev, "--", *_SHIPPED).decode()
        with tempfile.TemporaryDirectory() as folder:
            for name in sorted(n for n in names.splitlines() if n.endswith(".ttl")):
                target = Path(folder) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_git(repo, "show", f"{rev}:{name}"))
                parse_turtle(target, graph)
        return graph
    for path in expand_paths([text]):
        parse_turtle(path, graph)
    return graph


def _git(repo: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if done.returncode:
        message = done.stderr.decode(errors="replace").strip()
        raise InputNotFoundError(f"git {' '.join(args[:2])}: {message}")
    return done.stdout


def diff_graphs(old: Graph, new: Graph) -> str:
    """The facts only in ``old`` (``-``) or only in ``new`` (``+``), grouped by subject.

    >>> from rdflib import URIRef
    >>> a, b = Graph(), Graph()
    >>> s = URIRef("https://w3id.org/roscosmos-graph/id/x")
    >>> _ = b.add((s, RDFS.label, Literal("X", lang="en")))
    >>> print(diff_graphs(a, b))
    # 1 added, 0 removed
    <BLANKLINE>
    ## id:x (X)
    <BLANKLINE>
    + rdfs:label "X"@en
    <BLANKLINE>
    """
    _, removed, added = graph_diff(to_isomorphic(old), to_isomorphic(new))
    changes: dict[Node, list[tuple[str, str]]] = defaultdict(list)
    for sign, graph in (("-", removed), ("+", added)):
        for s, p, o in graph:
            changes[s].append((sign, f"{render_term(p)} {render_term(o)}"))
    if not changes:
        return "No changes.\n"
    lines = [f"# {len(added)} added, {len(removed)} removed"]
    for subject in sorted(changes, key=lambda s: (isinstance(s, BNode), str(s))):
        label = _label(subject, new) or _label(subject, old)
        title = render_term(subject) + (f" ({label})" if label else "")
        lines += ["", f"## {title}", ""]
        lines += [f"{sign} {fact}" for sign, fact in
                  sorted(changes[subject], key=lambda c: (c[1], c[0]))]
    return "\n".join(lines) + "\n"


def _label(node: Node, graph: Graph) -> str:
    labels = {lit.language: str(lit) for lit in graph.objects(node, RDFS.label)
              if isinstance(lit, Literal)}
    return labels.get("en") or next(iter(sorted(labels.values())), "")
