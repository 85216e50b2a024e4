"""What changed between two versions of the graph, as Markdown grouped by entity.

A side is a Turtle file, a folder of Turtle files, or ``git:REV[:PATH]``: the Turtle files
under ``PATH`` (by default ``ontology/`` and ``data/``) at that revision of the git
repository of the current directory (read with ``git ls-tree`` and ``git show``, nothing
checked out). Blank nodes are matched by content (what they say, recursively), so rewriting
a file without changing its meaning shows no change.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

from rdflib import RDFS, BNode, Graph, Literal
from rdflib.term import Node

from .errors import InputNotFoundError, ParameterError
from .export.rdf import render_term
from .loading import expand_paths, parse_turtle

__all__ = ["diff_graphs", "load_side"]

_SHIPPED = ("ontology", "data")


def load_side(spec: str | Path, *, cwd: str | Path | None = None) -> Graph:
    """Read one side of a diff: a Turtle file, a folder, or ``git:REV[:PATH]`` (runs ``git``
    in ``cwd``, the current directory by default).

    Raises:
        InputNotFoundError: the path does not exist, ``cwd`` is not in a git repository,
            git does not know the revision, or it holds no Turtle file under ``PATH``.
        ParameterError: the revision is not a plain revision name.
        TurtleSyntaxError: a file is not valid Turtle.
    """
    text = str(spec)
    graph = Graph()
    if text.startswith("git:"):
        rev, _, under = text[4:].partition(":")
        folder = Path.cwd() if cwd is None else Path(cwd)
        commit = _commit(folder, rev)
        roots = [under.strip("/")] if under else list(_SHIPPED)
        names = _git(folder, "ls-tree", "-r", "--name-only", "--full-tree", commit, "--",
                     *roots).decode()
        turtle = sorted(n for n in names.splitlines() if n.endswith(".ttl"))
        if not turtle:
            raise InputNotFoundError(f"git:{rev} holds no .ttl file under "
                                     f"{', '.join(r + '/' for r in roots)} in the repository "
                                     f"of {folder}")
        with tempfile.TemporaryDirectory() as scratch:
            for name in turtle:
                target = Path(scratch) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_git(folder, "show", f"{commit}:{name}"))
                parse_turtle(target, graph)
        return graph
    for path in expand_paths([text]):
        parse_turtle(path, graph)
    return graph


_REVISION = re.compile(r"[\w./~^@{}+-]+")


def _commit(folder: Path, rev: str) -> str:
    """The commit ``rev`` names in the repository of ``folder``.

    Raises:
        ParameterError: ``rev`` is empty, starts with ``-`` or holds unusual characters.
        InputNotFoundError: no repository, or no such commit.
    """
    if not rev or rev.startswith("-") or not _REVISION.fullmatch(rev):
        raise ParameterError("git", f"{rev!r} is not a revision name (such as HEAD~1, a tag "
                                    "or a commit hash)")
    return _git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options",
                f"{rev}^{{commit}}", what=f"git:{rev}: no such commit").decode().strip()


def _git(folder: Path, *args: str, what: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False)
    except OSError as error:
        raise InputNotFoundError(f"git cannot run: {error.strerror or error}") from None
    if done.returncode:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise InputNotFoundError(what if what and not message else
                                 f"git {' '.join(args[:2])}: {message[0] if message else what}")
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
    before, after = _by_content(old), _by_content(new)
    removed, added = before - after, after - before
    changes: dict[Node, list[tuple[str, str]]] = defaultdict(list)
    for sign, triples in (("-", removed), ("+", added)):
        for s, p, o in triples:
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


def _by_content(graph: Graph) -> set[tuple[Node, Node, Node]]:
    """The triples of ``graph`` with each blank node renamed by a hash of its own triples
    (its blank objects by their names in turn): equal descriptions get equal names, in any
    file and any process. Linear in the size of the graph, unlike a canonical form that
    must also tell apart blank nodes that say the same thing; such nodes merge here, which
    changes no meaning. A blank node met again on its own path (a cycle) counts as ``_:cycle``.
    """
    names: dict[BNode, BNode] = {}
    for start in {t for triple in graph for t in triple[::2] if isinstance(t, BNode)}:
        stack: list[tuple[BNode, bool]] = [(start, False)]
        path: set[BNode] = set()
        while stack:
            node, done = stack.pop()
            if node in names:
                continue
            if not done:
                path.add(node)
                stack.append((node, True))
                stack += [(o, False) for o in graph.objects(node, None)
                          if isinstance(o, BNode) and o not in names and o not in path]
                continue
            path.discard(node)
            lines = sorted(f"{p.n3()} {_named(o, names).n3()}" for p, o in
                           graph.predicate_objects(node))
            digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
            names[node] = BNode("b" + digest[:32])
    return {(_named(s, names), p, _named(o, names)) for s, p, o in graph}


def _named(term: Node, names: dict[BNode, BNode]) -> Node:
    if isinstance(term, BNode):
        return names.get(term, BNode("cycle"))
    return term


def _label(node: Node, graph: Graph) -> str:
    labels = {lit.language: str(lit) for lit in graph.objects(node, RDFS.label)
              if isinstance(lit, Literal)}
    return labels.get("en") or next(iter(sorted(labels.values())), "")
