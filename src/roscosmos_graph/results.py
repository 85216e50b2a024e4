"""Query results as a small immutable object, and their formats.

Light to import: a result holds its terms as plain cells (kind, lexical value, datatype,
language), which is all its formats read; the rdflib terms of :attr:`QueryResult.rows` are
made on first use. A result answered by Oxigraph therefore prints without loading rdflib,
and shows each value as Oxigraph holds it (the canonical form, such as ``...Z`` times).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .errors import MissingExtraError
from .prefixes import curie

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = ["FORMATS", "Cell", "QueryResult", "cell_n3", "oxigraph_cell", "rdflib_cell",
           "rdflib_term"]

FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "markdown")

TABLE_CELL_WIDTH = 60
"""Characters shown per cell in terminal tables; longer text ends in an ellipsis."""

Cell = tuple[str, str, str | None, str | None]
"""One term: ``uri``, ``bnode`` or ``literal``, the lexical value, the datatype IRI (``None``
for plain text) and the language tag."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class QueryResult:
    """Rows of RDF terms (``None`` where unbound) under named columns.

    ``truncated`` is true when the row cap cut the result short.
    """

    def __init__(self, variables: Sequence[str], rows: Sequence[Sequence[Node | None]],
                 truncated: bool = False) -> None:
        self.variables = tuple(variables)
        self.__dict__["rows"] = tuple(tuple(row) for row in rows)
        self.truncated = truncated

    @classmethod
    def from_cells(cls, variables: Sequence[str], cells: Sequence[Sequence[Cell | None]],
                   truncated: bool = False) -> QueryResult:
        """A result of plain cells (see :data:`Cell`); its rdflib rows are made on first use."""
        result = cls.__new__(cls)
        result.variables = tuple(variables)
        result.__dict__["cells"] = tuple(tuple(row) for row in cells)
        result.truncated = truncated
        return result

    @cached_property
    def rows(self) -> tuple[tuple[Node | None, ...], ...]:
        """The rows as rdflib terms."""
        return tuple(tuple(rdflib_term(cell) for cell in row) for row in self.cells)

    @cached_property
    def cells(self) -> tuple[tuple[Cell | None, ...], ...]:
        """The rows as plain cells."""
        return tuple(tuple(rdflib_cell(term) for term in row) for row in self.rows)

    def __len__(self) -> int:
        return len(self.cells)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return (self.variables, self.rows, self.truncated) == (other.variables, other.rows,
                                                                 other.truncated)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"QueryResult(variables={self.variables!r}, rows={len(self)} rows, "
                f"truncated={self.truncated!r})")

    def __getstate__(self) -> dict[str, Any]:
        return {"variables": self.variables, "cells": self.cells, "truncated": self.truncated}

    def records(self) -> list[dict[str, Any]]:
        """Rows as dictionaries of Python values (dates as ``datetime.date``, IRIs as str)."""
        return [{v: _python(t) for v, t in zip(self.variables, row, strict=True)}
                for row in self.rows]

    def render(self, fmt: str = "table") -> str:
        """Render in one of :data:`FORMATS`."""
        renderers = {"table": self.to_table, "csv": self.to_csv, "tsv": self.to_tsv,
                     "json": self.to_json, "markdown": self.to_markdown}
        if fmt not in renderers:
            raise ValueError(f"unknown result format {fmt!r}; expected one of {FORMATS}")
        return renderers[fmt]()

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV results: full IRIs, plain lexical values."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.cells:
            writer.writerow(["" if c is None else c[1] for c in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 TSV results: terms in Turtle syntax."""
        lines = ["\t".join("?" + v for v in self.variables)]
        lines += ["\t".join("" if c is None else cell_n3(c) for c in row) for row in self.cells]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        bindings = [{v: _json_term(c) for v, c in zip(self.variables, row, strict=True)
                     if c is not None} for row in self.cells]
        document = {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        """A GitHub-flavoured Markdown table, IRIs as CURIEs."""
        cells = [[_display(c).replace("|", "\\|") for c in row] for row in self.cells]
        lines = ["| " + " | ".join(self.variables) + " |",
                 "|" + "|".join("---" for _ in self.variables) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        return "\n".join(lines) + "\n"

    def to_table(self) -> str:
        """A plain-text table for terminals, IRIs as CURIEs, long text shortened."""
        cells = [[_shorten(_display(c)) for c in row] for row in self.cells]
        widths = [max([len(v)] + [len(row[i]) for row in cells])
                  for i, v in enumerate(self.variables)]
        def line(values: list[str] | tuple[str, ...]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
        out = [line(self.variables), line(["-" * w for w in widths])]
        out += [line(row) for row in cells]
        out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''}"
                   f"{', truncated' if self.truncated else ''})")
        return "\n".join(out) + "\n"

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with a typed column per variable (needs the ``pandas`` extra).

        A column whose values are all ``xsd:date`` or ``xsd:dateTime`` has a datetime dtype;
        all integers, nullable ``Int64``; all decimals, floats or doubles, ``Float64``; all
        booleans, ``boolean``; anything else (IRIs, text, a mix) is left to pandas. IRIs
        are full strings, unbound values missing.

        Raises:
            MissingExtraError: pandas is not installed.
        """
        try:
            import pandas
        except ImportError:
            raise MissingExtraError(
                "to_dataframe() needs pandas: run .venv/bin/pip install -e '.[pandas]' in "
                "the roscosmos-graph checkout (or pip install pandas)") from None
        frame = pandas.DataFrame.from_records(self.records(), columns=list(self.variables))
        for index, name in enumerate(self.variables):
            kinds = {_column_kind(row[index]) for row in self.rows if row[index] is not None}
            kind = kinds.pop() if len(kinds) == 1 else "object"
            if kind == "datetime":
                frame[name] = pandas.to_datetime(frame[name])
            elif kind != "object":
                frame[name] = frame[name].astype(kind)
        return frame


_XSD = "http://www.w3.org/2001/XMLSchema#"
_KINDS = {**dict.fromkeys(("date", "dateTime"), "datetime"),
          **dict.fromkeys(("integer", "int", "long", "short", "nonNegativeInteger",
                           "positiveInteger", "negativeInteger", "nonPositiveInteger"), "Int64"),
          **dict.fromkeys(("decimal", "float", "double"), "Float64"),
          "boolean": "boolean"}


def _column_kind(term: Node) -> str:
    """The pandas type a term asks for, or ``object``."""
    from rdflib import Literal

    if isinstance(term, Literal) and term.datatype and str(term.datatype).startswith(_XSD):
        return _KINDS.get(str(term.datatype)[len(_XSD):], "object")
    return "object"


def _python(term: Node | None) -> Any:
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if value is term else value
    return str(term)


def rdflib_cell(term: Node | None) -> Cell | None:
    """An rdflib term as a cell."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    assert isinstance(term, Literal)
    datatype = None if term.language or term.datatype is None else str(term.datatype)
    return ("literal", str(term), datatype, term.language)


def rdflib_term(cell: Cell | None) -> Node | None:
    """A cell as an rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if cell is None:
        return None
    kind, value, datatype, language = cell
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if language:
        return Literal(value, lang=language)
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def oxigraph_cell(term: Any) -> Cell | None:
    """A pyoxigraph term (or ``None``) as a cell; plain ``xsd:string`` text has no datatype."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return ("uri", term.value, None, None)
    if kind == "BlankNode":
        return ("bnode", term.value, None, None)
    if term.language:
        return ("literal", term.value, None, term.language)
    datatype = term.datatype.value
    return ("literal", term.value, None if datatype == _XSD_STRING else datatype, None)


def _display(cell: Cell | None) -> str:
    if cell is None:
        return ""
    if cell[0] == "uri":
        return curie(cell[1])
    if cell[0] == "bnode":
        return "_:" + cell[1]
    return cell[1]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TABLE_CELL_WIDTH else text[: TABLE_CELL_WIDTH - 1] + "…"


def cell_n3(cell: Cell) -> str:
    """A cell in Turtle syntax, written as rdflib writes terms."""
    kind, value, datatype, language = cell
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    if "\n" in value:
        encoded = value.replace("\\", "\\\\")
        if '"""' in value:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + '\\"'
        quoted = '"""' + encoded.replace("\r", "\\r") + '"""'
    else:
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'
    if language:
        return f"{quoted}@{language}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted


def _json_term(cell: Cell) -> dict[str, str]:
    kind, value, datatype, language = cell
    if kind == "uri":
        return {"type": "uri", "value": value}
    if kind == "bnode":
        return {"type": "bnode", "value": value}
    out = {"type": "literal", "value": value}
    if language:
        out["xml:lang"] = language
    elif datatype:
        out["datatype"] = datatype
    return out
