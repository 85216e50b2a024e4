"""Query results as a small immutable object, and their formats."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import MissingExtraError
from .namespaces import curie

__all__ = ["FORMATS", "QueryResult"]

FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "markdown")

TABLE_CELL_WIDTH = 60
"""Characters shown per cell in terminal tables; longer text ends in an ellipsis."""


@dataclass(frozen=True)
class QueryResult:
    """Rows of RDF terms (``None`` where unbound) under named columns.

    ``truncated`` is true when the row cap cut the result short.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows)

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
        for row in self.rows:
            writer.writerow(["" if t is None else str(t) for t in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 TSV results: terms in Turtle syntax."""
        lines = ["\t".join("?" + v for v in self.variables)]
        lines += ["\t".join("" if t is None else t.n3() for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        bindings = [{v: _json_term(t) for v, t in zip(self.variables, row, strict=True)
                     if t is not None} for row in self.rows]
        document = {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        """A GitHub-flavoured Markdown table, IRIs as CURIEs."""
        cells = [[_display(t).replace("|", "\\|") for t in row] for row in self.rows]
        lines = ["| " + " | ".join(self.variables) + " |",
                 "|" + "|".join("---" for _ in self.variables) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        return "\n".join(lines) + "\n"

    def to_table(self) -> str:
        """A plain-text table for terminals, IRIs as CURIEs, long text shortened."""
        cells = [[_shorten(_display(t)) for t in row] for row in self.rows]
        widths = [max([len(v)] + [len(row[i]) for row in cells])
                  for i, v in enumerate(self.variables)]
        def line(values: list[str] | tuple[str, ...]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
        out = [line(self.variables), line(["-" * w for w in widths])]
        out += [line(row) for row in cells]
        out.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
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
    if isinstance(term, Literal) and term.datatype and str(term.datatype).startswith(_XSD):
        return _KINDS.get(str(term.datatype)[len(_XSD):], "object")
    return "object"


def _python(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if value is term else value
    return str(term)


def _display(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie(str(term))
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TABLE_CELL_WIDTH else text[: TABLE_CELL_WIDTH - 1] + "…"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out
