"""Strict Turtle parsing with positions in every error.

Files are parsed by pyoxigraph, whose parser is strict (relative IRIs, bad escapes and
truncated statements are errors) and reports line and column, then handed to rdflib as
terms. Nesting depth is checked beforehand, so hostile input cannot exhaust the stack of
the rdflib-based tools downstream.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from .errors import InputNotFoundError, TurtleSyntaxError
from .terms import from_oxigraph

__all__ = ["MAX_NESTING", "expand_paths", "parse_turtle"]

MAX_NESTING = 64
"""Deepest nesting of ``[ ]`` and ``( )`` accepted in a Turtle file."""

_NOT_TURTLE = {".jsonld": "JSON-LD", ".json": "JSON-LD", ".rdf": "RDF/XML", ".owl": "RDF/XML",
               ".xml": "RDF/XML"}
"""Suffixes of RDF formats that are refused by name rather than misread as Turtle."""


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Turn files and folders into the sorted list of Turtle files they name.

    Raises:
        InputNotFoundError: a path does not exist, or a folder holds no ``.ttl`` file.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(path.rglob("*.ttl"))
            if not inside:
                raise InputNotFoundError(f"{path}: folder holds no .ttl file")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputNotFoundError(f"{path}: no such file or folder")
    return found


def parse_turtle(path: str | Path, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file strictly into ``graph`` (a new one by default).

    Reads the file system. No IRI in the file is ever dereferenced.

    Raises:
        InputNotFoundError: the file does not exist.
        TurtleSyntaxError: the file is not valid Turtle, is too deeply nested, holds a
            relative IRI or is named as another format (JSON-LD, RDF/XML); the message
            reads ``path:line:column: message``.
    """
    path = Path(path)
    graph = Graph() if graph is None else graph
    if path.suffix.lower() in _NOT_TURTLE:
        raise TurtleSyntaxError(str(path), 1, 1, f"{_NOT_TURTLE[path.suffix.lower()]} is not "
                                "read, only Turtle (.ttl); no @context or IRI is ever fetched")
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError(f"{path}: no such file") from None
    _check_nesting(text, str(path))
    bnodes: dict[str, BNode] = {}
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # ill-typed literals are reported by validation instead
    try:
        for triple in ox.parse(text, format=ox.RdfFormat.TURTLE, path=None):
            graph.add((from_oxigraph(triple.subject, bnodes), URIRef(triple.predicate.value),
                       from_oxigraph(triple.object, bnodes)))
    except SyntaxError as error:
        message = str(error.msg).split(": ", 1)[-1]
        if "No scheme found" in message:
            message = "relative IRIs are not allowed, write the full IRI (no scheme found)"
        raise TurtleSyntaxError(str(path), error.lineno or 1, error.offset or 1, message) from None
    finally:
        quiet.setLevel(level)
    return graph


def _check_nesting(text: bytes, path: str) -> None:
    """Reject ``[``/``(`` nesting deeper than :data:`MAX_NESTING`, outside strings and IRIs."""
    depth = 0
    line, column = 1, 0
    i, n = 0, len(text)
    while i < n:
        c = text[i : i + 1]
        column += 1
        if c == b"\n":
            line, column = line + 1, 0
        elif c == b"\\":  # an escape in a local name, such as ex:it\'s or ex:a\(
            column += 1
            i += 2
            continue
        elif c == b"#":
            end = text.find(b"\n", i)
            i = n if end < 0 else end
            continue
        elif c == b"<" and not text[i + 1 : i + 2].isspace():
            end = text.find(b">", i)
            if end < 0:
                return
            column += end - i
            i = end + 1
            continue
        elif c in (b'"', b"'"):
            quote = text[i : i + 3] if text[i : i + 3] == c * 3 else c
            j = i + len(quote)
            while j < n and text[j : j + len(quote)] != quote:
                j += 2 if text[j : j + 1] == b"\\" else 1
            skipped = text[i : j + len(quote)]
            newlines = skipped.count(b"\n")
            if newlines:
                line += newlines
                column = len(skipped) - skipped.rfind(b"\n") - 1
            else:
                column += len(skipped) - 1
            i = j + len(quote)
            continue
        elif c in (b"[", b"("):
            depth += 1
            if depth > MAX_NESTING:
                raise TurtleSyntaxError(
                    path, line, column, f"nesting deeper than {MAX_NESTING} levels of [ ] or ( )"
                )
        elif c in (b"]", b")"):
            depth = max(0, depth - 1)
        i += 1
