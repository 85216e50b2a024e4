"""One exception tree for everything roscosmos-graph raises on purpose.

Every error a user can cause derives from :class:`RoscosmosGraphError`, so callers can
catch the whole family at once; each also derives from the matching built-in
(``ValueError``, ``LookupError``, ``SyntaxError``, ``TimeoutError``) so generic code keeps
working.
"""

from __future__ import annotations

__all__ = [
    "BuildError",
    "InputNotFoundError",
    "InputUnreadableError",
    "MissingExtraError",
    "OutputFolderError",
    "OutputWriteError",
    "ParameterError",
    "QueryMemoryError",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooComplexError",
    "RoscosmosGraphError",
    "ShaclEngineError",
    "StoreError",
    "TurtleSyntaxError",
    "UndeclaredTermError",
    "UnknownQueryError",
]


class RoscosmosGraphError(Exception):
    """Root of every error raised by roscosmos-graph on purpose."""


class InputNotFoundError(RoscosmosGraphError, FileNotFoundError):
    """A file or folder given as input does not exist or holds no Turtle files."""


class TurtleSyntaxError(RoscosmosGraphError, SyntaxError):
    """A Turtle file could not be parsed; ``str()`` reads ``path:line:column: message``."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.filename = path
        self.lineno = line
        self.offset = column
        self.msg = message

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}:{self.offset}: {self.msg}"


class InputUnreadableError(RoscosmosGraphError, OSError):
    """An input file exists but cannot be read (permissions, a folder, not UTF-8), or is
    past a size limit."""


class UndeclaredTermError(RoscosmosGraphError, ValueError):
    """A term of our own namespace is used but not declared by the ontology."""

    def __init__(self, uses: list[tuple[str, str]]) -> None:
        self.uses = uses
        lines = [f"{path}: undeclared term {term}" for path, term in uses]
        super().__init__("\n".join(lines))


class UnknownQueryError(RoscosmosGraphError, LookupError):
    """No canned query has the requested name."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown query {name!r}; known queries: {', '.join(known)}")


class ParameterError(RoscosmosGraphError, ValueError):
    """A query parameter is missing, unknown or of the wrong type."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"parameter {parameter!r}: {message}")


class QueryRefusedError(RoscosmosGraphError, ValueError):
    """A query would update data or reach outside the graph, so it is not run."""


class QuerySyntaxError(QueryRefusedError):
    """A query is not valid SPARQL 1.1 or uses a prefix nobody declared."""
class QueryTooComplexError(QueryRefusedError):
    """A query is past a size, nesting or operator limit, checked before any parser runs."""


class QueryMemoryError(RoscosmosGraphError, MemoryError):
    """A query needed more memory than its limit and was stopped."""


class QueryTimeoutError(RoscosmosGraphError, TimeoutError):
    """A query ran past its time limit and was stopped."""


class StoreError(RoscosmosGraphError):
    """A triple store or SPARQL endpoint could not be used."""


class MissingExtraError(RoscosmosGraphError, ImportError):
    """An optional feature needs a package that is not installed; the message says how."""


class BuildError(RoscosmosGraphError):
    """A release build failed; the previous output is left as it was."""


class OutputFolderError(RoscosmosGraphError, FileExistsError):
    """An output folder holds other files, so replacing it could destroy someone's work."""


class OutputWriteError(RoscosmosGraphError, OSError):
    """An output file could not be written (a folder, read-only, or no such place)."""


class ShaclEngineError(RoscosmosGraphError):
    """A SHACL engine is missing, refused the input, or the shapes use what it lacks."""
