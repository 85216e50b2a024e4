"""Strict Turtle parsing with positions in every error.

Files are parsed by pyoxigraph, whose parser is strict (relative IRIs, bad escapes and
truncated statements are errors) and reports line and column, then handed to rdflib as
terms. Before any parser runs, a cheap scan refuses what hostile input could use to
exhaust the stack or the memory of the tools downstream: files past :data:`MAX_TURTLE_BYTES`,
nesting deeper than :data:`MAX_NESTING` (through every bracket form), collections longer
than :data:`MAX_COLLECTION_ITEMS`, and RDF 1.2 triple terms, reifiers and annotations,
which the rdflib-based tools cannot hold.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .errors import InputNotFoundError, InputUnreadableError, TurtleSyntaxError
from .terms import add_triples

__all__ = ["MAX_COLLECTION_ITEMS", "MAX_NESTING", "MAX_TURTLE_BYTES", "expand_paths",
           "max_turtle_bytes", "parse_turtle", "read_turtle"]

MAX_NESTING = 64
"""Deepest nesting of ``[ ]`` and ``( )`` accepted in a Turtle file."""

MAX_COLLECTION_ITEMS = 10_000
"""Most items in one collection ``( ... )``."""

MAX_TURTLE_BYTES = 10 * 1024**2
"""Largest Turtle file read, unless ``ROSCOSMOS_GRAPH_MAX_TURTLE_MB`` says otherwise."""

_SIZE_VARIABLE = "ROSCOSMOS_GRAPH_MAX_TURTLE_MB"


def max_turtle_bytes() -> int:
    """:data:`MAX_TURTLE_BYTES`, or ``ROSCOSMOS_GRAPH_MAX_TURTLE_MB`` mebibytes if set.

    Raises:
        InputUnreadableError: the variable is not a positive number.
    """
    raw = os.environ.get(_SIZE_VARIABLE)
    if raw is None:
        return MAX_TURTLE_BYTES
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < 1 << 20:
        raise InputUnreadableError(f"{_SIZE_VARIABLE}={raw!r} is not a positive number of MiB")
    return int(value * 1024**2)

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
        InputUnreadableError: the file cannot be read, or is larger than
            :func:`max_turtle_bytes`.
        TurtleSyntaxError: the file is not valid Turtle, is too deeply nested, holds a
            collection that is too long, RDF 1.2 syntax or a relative IRI, or is named as
            another format (JSON-LD, RDF/XML); the message reads ``path:line:column: message``.
    """
    return add_triples(Graph() if graph is None else graph, read_turtle(path))


def read_turtle(path: str | Path) -> list[ox.Triple]:
    """The triples of one Turtle file, parsed strictly by pyoxigraph.

    Each blank node gets a fresh label, so labels from different files never merge.
    Checks and raises as :func:`parse_turtle` does.
    """
    path = Path(path)
    if path.suffix.lower() in _NOT_TURTLE:
        raise TurtleSyntaxError(str(path), 1, 1, f"{_NOT_TURTLE[path.suffix.lower()]} is not "
                                "read, only Turtle (.ttl); no @context or IRI is ever fetched")
    limit = max_turtle_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputUnreadableError(
                f"{path}: the file is {size} bytes; the limit is {limit} "
                f"(set {_SIZE_VARIABLE} to read larger files)")
        text = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError(f"{path}: no such file") from None
    except InputUnreadableError:
        raise
    except OSError as error:
        raise InputUnreadableError(f"{path}: cannot read: {error.strerror or error}") from None
    if not _plainly_within_limits(text):
        _check_structure(text, str(path))
    try:
        triples = [quad.triple for quad in ox.parse(text, format=ox.RdfFormat.TURTLE,
                                                    rename_blank_nodes=True)]
    except SyntaxError as error:
        message = str(error.msg).split(": ", 1)[-1]
        if "No scheme found" in message:
            message = "relative IRIs are not allowed, write the full IRI (no scheme found)"
        raise TurtleSyntaxError(str(path), error.lineno or 1, error.offset or 1, message) from None
    if any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple)
           for t in triples):
        raise TurtleSyntaxError(str(path), 1, 1, _RDF12)
    return triples


_RDF12 = ("RDF 1.2 triple terms, reifiers and annotations (<< >>, ~, {| |}) are not "
          "supported; write the statement as plain triples")


_TOKENS = re.compile(
    rb'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    rb'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>|\#[^\n]*|\\.'''
    rb'''|<<|\{\||[~()\[\]]''', re.DOTALL)
"""Strings, IRIs, comments and escapes (skipped whole), and the marks the limits are about."""


def _plainly_within_limits(text: bytes) -> bool:
    """A quick scan: ``True`` only for a file :func:`_check_structure` would accept.

    Brackets are counted outside strings, IRIs and comments as the full check counts them;
    a collection spanning at most :data:`MAX_COLLECTION_ITEMS` bytes cannot hold more items
    than that. Any other file, or one with RDF 1.2 marks, gets the full check.
    """
    stack: list[tuple[bytes, int]] = []
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in (b"[", b"("):
            stack.append((token, match.start()))
            if len(stack) > MAX_NESTING:
                return False
        elif token in (b"]", b")"):
            if stack:
                kind, start = stack.pop()
                if kind == b"(" and match.start() - start > MAX_COLLECTION_ITEMS:
                    return False
        elif token in (b"<<", b"{|", b"~"):
            return False
    return all(kind == b"[" or len(text) - start <= MAX_COLLECTION_ITEMS
               for kind, start in stack)


def _check_structure(text: bytes, path: str) -> None:
    """Refuse deep nesting, long collections and RDF 1.2 syntax, outside strings and IRIs.

    Every bracket form counts towards :data:`MAX_NESTING`; the items of each collection
    count towards :data:`MAX_COLLECTION_ITEMS`.
    """
    stack: list[list[int]] = []  # per open bracket: [kind, items so far]
    separated = True  # the next character starts a new term
    line, column = 1, 0
    i, n = 0, len(text)

    def fail(message: str) -> TurtleSyntaxError:
        return TurtleSyntaxError(path, line, column, message)

    def count_item() -> None:
        if stack and stack[-1][0] == ord("(") and separated:
            stack[-1][1] += 1
            if stack[-1][1] > MAX_COLLECTION_ITEMS:
                raise fail(f"a collection holds more than {MAX_COLLECTION_ITEMS} items")

    while i < n:
        c = text[i : i + 1]
        column += 1
        if c == b"\n":
            line, column = line + 1, 0
            separated = True
        elif c in b" \t\r":
            separated = True
        elif c == b"\\":  # an escape in a local name, such as ex:it\'s or ex:a\(
            count_item()
            separated = False
            column += 1
            i += 2
            continue
        elif c == b"#":
            end = text.find(b"\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith(b"<<", i) or text.startswith(b"{|", i) or c == b"~":
            raise fail(_RDF12)
        elif c == b"<" and not text[i + 1 : i + 2].isspace():
            end = text.find(b">", i)
            if end < 0:
                return
            count_item()
            separated = True
            column += end - i
            i = end + 1
            continue
        elif c in (b'"', b"'"):
            count_item()
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
            separated = False  # a language tag or datatype may follow
            continue
        elif c in (b"[", b"("):
            count_item()
            stack.append([c[0], 0])
            if len(stack) > MAX_NESTING:
                raise fail(f"nesting deeper than {MAX_NESTING} levels of [ ] or ( )")
            separated = True
        elif c in (b"]", b")"):
            if stack:
                stack.pop()
            separated = True
        else:
            count_item()
            separated = False
        i += 1
