"""Canned queries: one ``.rq`` file each, a metadata header, and typed parameter binding.

A query file starts with comment lines the catalog reads::

    # title: Head of the agency on a date
    # description: Who headed the Russian space agency, under whichever name, on a date.
    # param: date | date | required | The day to ask about, as YYYY-MM-DD.

and holds one standard SPARQL 1.1 query that runs as it is on any endpoint (parameters
unbound). Parameters are bound by a generated ``VALUES`` clause of typed RDF terms placed
at the start of the outermost group, so no value can change the query's structure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ParameterError, UnknownQueryError
from .prefixes import PREFIXES
from .resources import query_files, resource_dir
from .results import Cell, cell_n3, rdflib_cell, rdflib_term

if TYPE_CHECKING:
    from rdflib import URIRef
    from rdflib.term import Node

__all__ = ["PARAMETER_TYPES", "CannedQuery", "Parameter", "get_query", "parse_iri", "queries",
           "sparql_term"]

PARAMETER_TYPES: dict[str, str] = {
    "date": "a calendar date, YYYY-MM-DD",
    "iri": "an absolute IRI or a CURIE such as id:roscosmos",
    "entity": "an IRI, a CURIE, or an English or Russian label",
    "string": "any text, matched as a literal",
    "integer": "a whole number",
}

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_CURIE = re.compile(r"^([A-Za-z][\w-]*):([\w.-]*)$")

Resolver = Callable[[str], str | None]
"""Finds the IRI of the entity with an English or Russian label; ``None`` when there is none."""

_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Parameter:
    """One declared query parameter."""

    name: str
    type: str
    required: bool
    default: str | None
    description: str

    def to_term(self, value: object, resolve: Resolver | None = None) -> Node:
        """Turn a raw value into the typed RDF term it stands for.

        Raises:
            ParameterError: the value is not of the declared type.
        """
        return rdflib_term(self.to_cell(value, resolve))

    def to_cell(self, value: object, resolve: Resolver | None = None) -> Cell:
        """:meth:`to_term` as a plain cell (see :data:`~roscosmos_graph.results.Cell`)."""
        expected = f"expected {PARAMETER_TYPES[self.type]}"
        if self.type == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return ("literal", value.isoformat(), _XSD + "date", None)
            text = str(value).strip()
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                raise ParameterError(self.name, f"{value!r} is not a date; {expected}") from None
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ParameterError(self.name, f"{value!r} is not a date; {expected}")
            return ("literal", text, _XSD + "date", None)
        if self.type == "integer":
            if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", str(value).strip()):
                raise ParameterError(self.name, f"{value!r} is not an integer; {expected}")
            return ("literal", str(int(str(value).strip())), _XSD + "integer", None)
        if self.type == "string":
            if not isinstance(value, str):
                raise ParameterError(self.name, f"{value!r} is not text; {expected}")
            return ("literal", value, None, None)
        if self.type == "iri":
            iri = _expand(str(value))
            if iri is None:
                raise ParameterError(self.name, f"{value!r} is not a valid IRI; {expected}")
            return ("uri", iri, None, None)
        if self.type == "entity":
            text = str(value).strip()
            iri = _expand(text) if ":" in text and " " not in text else None
            if iri is None and resolve is not None and text \
                    and not any(c in text for c in "<>{}\\"):
                iri = resolve(text)
            if iri is not None:
                return ("uri", str(iri), None, None)
            raise ParameterError(self.name, f"no entity has the IRI or label {value!r}; {expected}")
        raise ParameterError(self.name, f"undeclared parameter type {self.type!r}")


def sparql_term(term: Node) -> str:
    r"""``term`` in SPARQL syntax, read alike by engines that expand ``\u`` escapes first.

    rdflib replaces ``\uXXXX`` everywhere before parsing, so an escaped backslash before
    ``u`` in a literal would be misread; that ``u`` is written ``\U00000075`` instead (the
    eight-digit form, so that hex digits after it cannot join the escape).

    >>> from rdflib import Literal
    >>> print(sparql_term(Literal("C:\\users")))
    "C:\\\U00000075sers"
    """
    return _sparql(rdflib_cell(term))


def _sparql(cell: Cell) -> str:
    return _ESCAPED_U.sub(lambda m: f"\\\\\\U{ord(m.group(1)):08X}", cell_n3(cell))


_ESCAPED_U = re.compile(r"\\\\([uU])")


def parse_iri(text: str) -> URIRef | None:
    """Expand a CURIE of :data:`PREFIXES` or accept an absolute IRI; ``None`` if neither.

    >>> parse_iri("id:roscosmos")
    rdflib.term.URIRef('https://w3id.org/roscosmos-graph/id/roscosmos')
    >>> parse_iri("http://x> } ; DROP ALL ; <http://y") is None
    True
    """
    from rdflib import URIRef

    iri = _expand(text)
    return None if iri is None else URIRef(iri)


def _expand(text: str) -> str | None:
    match = _CURIE.match(text)
    if match and match.group(1) in PREFIXES:
        return PREFIXES[match.group(1)] + match.group(2)
    if _IRI.match(text):
        return text
    return None


@dataclass(frozen=True)
class CannedQuery:
    """A query file with its metadata."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path

    def bind(self, values: Mapping[str, object], resolve: Resolver | None = None) -> str:
        """Return the query text with ``values`` bound by a generated ``VALUES`` clause.

        Raises:
            ParameterError: a parameter is unknown, missing or of the wrong type.
        """
        known = {p.name: p for p in self.parameters}
        for name in values:
            if name not in known:
                names = ", ".join(known) or "none"
                raise ParameterError(name, f"query {self.name!r} has no such parameter "
                                           f"(parameters: {names})")
        terms: list[str] = []
        for p in self.parameters:
            raw = values.get(p.name, p.default)
            if raw is None:
                if p.required:
                    raise ParameterError(p.name, f"is required; expected {PARAMETER_TYPES[p.type]}")
                terms.append("UNDEF")
            else:
                terms.append(_sparql(p.to_cell(raw, resolve)))
        if not self.parameters:
            return self.text
        names = " ".join("?" + p.name for p in self.parameters)
        clause = f"\n  VALUES ({names}) {{ ({' '.join(terms)}) }}\n"
        at = outer_group_start(self.text)
        return self.text[: at + 1] + clause + self.text[at + 1 :]


def outer_group_start(text: str) -> int:
    """Index of the ``{`` opening the outermost group, skipping comments, strings and IRIs."""
    i = 0
    while i < len(text):
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif c == "<":
            i = text.index(">", i)
        elif c in "\"'":
            i = text.index(c, i + 1)
        elif c == "{":
            return i
        i += 1
    raise ValueError("query has no group pattern")


_HEADER = re.compile(r"^#\s*(title|description|param|keywords):\s*(.*)$")


def _parse(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            if line.startswith("#"):
                continue
            break
        key, value = match.groups()
        if key == "param":
            name, kind, need, description = (part.strip() for part in value.split("|", 3))
            if kind not in PARAMETER_TYPES:
                raise ValueError(f"{path}: parameter {name!r} has unknown type {kind!r}")
            default = need.removeprefix("default=") if need.startswith("default=") else None
            params.append(Parameter(name, kind, need == "required", default, description))
        elif key == "description" and "description" in meta:
            meta[key] += " " + value
        else:
            meta[key] = value
    return CannedQuery(path.stem, meta.get("title", path.stem), meta.get("description", ""),
                       tuple(params), text, path)


@cache
def queries() -> tuple[CannedQuery, ...]:
    """Every canned query shipped with the package, sorted by name."""
    return tuple(_parse(path) for path in query_files())


@cache
def get_query(name: str) -> CannedQuery:
    """The canned query called ``name``.

    Raises:
        UnknownQueryError: no query has that name; the error lists the known names.
    """
    path = resource_dir("queries") / f"{name}.rq"
    if _NAME.fullmatch(name) and path.is_file():  # one file read, not the whole catalog
        return _parse(path)
    raise UnknownQueryError(name, [q.name for q in queries()])


_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
