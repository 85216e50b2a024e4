"""Diagrams of the graph: the lineage (Graphviz), the heads' timeline and the facilities (SVG).

The lineage is written as Graphviz DOT and rendered by the ``dot`` program (a subprocess,
no network); the other two are written as SVG directly. Every function takes the graph
and returns text or bytes; only :func:`write_diagram` touches the file system.

>>> sorted(DIAGRAMS)
['facilities', 'leaders', 'lineage']
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from html import escape
from pathlib import Path

from rdflib import RDF, RDFS, Literal, URIRef

from .atomic import write_atomic
from .errors import ParameterError, RoscosmosGraphError
from .graph import Queryable

__all__ = [
    "DIAGRAMS",
    "LANGUAGES",
    "DiagramError",
    "Linker",
    "diagram_bytes",
    "facilities_svg",
    "leaders_svg",
    "lineage_dot",
    "lineage_svg",
    "render_dot",
    "write_diagram",
]

DIAGRAMS: tuple[str, ...] = ("lineage", "leaders", "facilities")
"""The diagrams :func:`write_diagram` draws."""

LANGUAGES: tuple[str, ...] = ("en", "ru")
"""Label languages of the diagrams."""

Linker = Callable[[str], str | None]
"""Maps an entity IRI to the link a diagram puts on it, or ``None`` for no link."""

_FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
_DASH = "\u2013"
_PALETTE = ("#3465a4", "#c4a000", "#4e9a06", "#ce5c00", "#75507b", "#cc0000", "#06989a")


class DiagramError(RoscosmosGraphError):
    """A diagram could not be drawn (for instance, Graphviz ``dot`` is missing)."""


# --------------------------------------------------------------------------- labels


def _text(term: object) -> str:
    return "" if term is None else str(term)


def _label(kg: Queryable, iri: str, lang: str, fallback: str) -> str:
    """The ``rdfs:label`` of ``iri`` in ``lang``, else ``fallback`` (needs a local graph)."""
    if lang == "en":
        return fallback
    graph = getattr(kg, "data", None)
    ontology = getattr(kg, "ontology", None)
    for source in (graph, ontology):
        if source is None:
            continue
        for label in source.objects(URIRef(iri), RDFS.label):
            if isinstance(label, Literal) and label.language == lang:
                return str(label)
    return fallback


def _kind_label(kg: Queryable, event: str, lang: str, fallback: str) -> str:
    graph = getattr(kg, "data", None)
    if lang == "en" or graph is None:
        return fallback
    for kind in graph.objects(URIRef(event), RDF.type):
        label = _label(kg, str(kind), lang, "")
        if label:
            return label
    return fallback


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ParameterError("lang", f"{lang!r} is not supported; expected one of {LANGUAGES}")


# --------------------------------------------------------------------------- lineage


def _dot_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _years(founded: object, dissolved: object) -> str:
    start = str(founded)[:4] if founded else ""
    end = str(dissolved)[:4] if dissolved else ""
    if not start and not end:
        return ""
    if not end:
        return f"{start}{_DASH}"
    return f"{start}{_DASH}{end}"


def lineage_dot(kg: Queryable, *, lang: str = "en", link: Linker | None = None) -> str:
    """Graphviz DOT of the ``lineage`` query: organisations as boxes, changes as edges.

    Each box carries the organisation's years (``schema:foundingDate`` and
    ``schema:dissolutionDate``, from the ``organizations`` query); each edge the date and
    kind of the change. ``link`` gives each box a hyperlink.
    """
    _check_lang(lang)
    dates = {r["organization"]: r for r in kg.query("organizations").records()}
    rows = kg.query("lineage").records()
    lines = ["digraph lineage {",
             "  graph [rankdir=LR, bgcolor=\"white\", nodesep=0.4, ranksep=0.6, "
             f"fontname={_dot_string(_FONT)}];",
             "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", "
             f"color=\"#3465a4\", fontname={_dot_string(_FONT)}, fontsize=11];",
             f"  edge [color=\"#555753\", fontname={_dot_string(_FONT)}, fontsize=9];"]
    seen: dict[str, None] = {}
    for row in rows:
        for side in ("from", "to"):
            seen.setdefault(row[side], None)
    names = {}
    for row in rows:
        names[row["from"]] = row["fromName"]
        names[row["to"]] = row["toName"]
    for iri in seen:
        name = _label(kg, iri, lang, names[iri])
        info = dates.get(iri, {})
        years = _years(info.get("founded"), info.get("dissolved"))
        label = f"{name}\n{years}" if years else name
        attributes = [f"label={_dot_string(label)}", f"tooltip={_dot_string(name)}"]
        href = link(iri) if link else None
        if href:
            attributes.append(f"URL={_dot_string(href)}")
        if iri.endswith("/roscosmos"):
            attributes.append('fillcolor="#d5e3f5", penwidth=2')
        lines.append(f"  {_dot_string(iri)} [{', '.join(attributes)}];")
    for row in rows:
        kind = _kind_label(kg, row["event"], lang, _text(row["kind"]))
        label = f"{row['date']}\n{kind}"
        lines.append(f"  {_dot_string(row['from'])} -> {_dot_string(row['to'])} "
                     f"[label={_dot_string(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_dot(dot: str, fmt: str = "svg") -> bytes:
    """Render DOT text with the Graphviz ``dot`` program (a local subprocess).

    Raises:
        DiagramError: ``dot`` is not installed or failed.
    """
    program = shutil.which("dot")
    if program is None:
        raise DiagramError("Graphviz 'dot' is not installed; install the graphviz package")
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=dot.encode("utf-8"),
                              capture_output=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        raise DiagramError("Graphviz 'dot' took longer than 60 seconds") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise DiagramError(f"Graphviz 'dot' failed: {message}")
    return done.stdout


def lineage_svg(kg: Queryable, *, lang: str = "en", link: Linker | None = None) -> str:
    """The lineage rendered to SVG by Graphviz (needs ``dot``)."""
    return render_dot(lineage_dot(kg, lang=lang, link=link), "svg").decode("utf-8")


# --------------------------------------------------------------------------- SVG helpers


def _svg_open(width: float, height: float, title: str) -> list[str]:
    return ['<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'font-family="{_FONT}" font-size="12" role="img">',
            f"<title>{escape(title)}</title>",
            f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="white"/>']


def _linked(element: str, href: str | None) -> str:
    if not href:
        return element
    return f'<a href="{escape(href)}" xlink:href="{escape(href)}">{element}</a>'


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value:
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return None


# --------------------------------------------------------------------------- leaders


def leaders_svg(kg: Queryable, *, lang: str = "en", link: Linker | None = None,
                today: dt.date | None = None) -> str:
    """A timeline of the heads of the agency (the ``heads`` query) as SVG.

    One row per person, a bar per tenure from its start to its end (``today`` for a
    tenure still running), coloured by the organisation of the time.
    """
    _check_lang(lang)
    today = today or dt.date.today()
    rows = kg.query("heads").records()
    people: dict[str, str] = {}
    organisations: dict[str, str] = {}
    bars = []
    for row in rows:
        name = (row["nameRu"] or row["name"]) if lang == "ru" else row["name"]
        people.setdefault(row["person"], _text(name))
        organisations.setdefault(row["organization"],
                                 _label(kg, row["organization"], lang,
                                        _text(row["organizationName"])))
        start = _as_date(row["start"])
        if start is None:
            continue
        end = _as_date(row["end"])
        bars.append((row["person"], row["organization"], start, end))
    if not bars:
        raise DiagramError("the heads query returned no tenures")
    first = min(b[2] for b in bars).year
    last = max([(b[3] or today) for b in bars]).year + 1
    left, right, top, row_height = 170.0, 24.0, 40.0, 28.0
    width = 900.0
    plot = width - left - right
    legend_top = top + row_height * len(people) + 34
    height = legend_top + 20 * len(organisations) + 16

    def x_of(day: dt.date) -> float:
        span = (dt.date(last, 1, 1) - dt.date(first, 1, 1)).days
        return left + plot * (day - dt.date(first, 1, 1)).days / span

    title = "Руководители космического агентства" if lang == "ru" else "Heads of the agency"
    out = _svg_open(width, height, title)
    out.append(f'<text x="{left:.0f}" y="22" font-size="15" font-weight="bold">'
               f"{escape(title)}</text>")
    bottom = top + row_height * len(people)
    step = 1 if last - first <= 12 else 2 if last - first <= 24 else 5
    for year in range(first, last + 1):
        x = x_of(dt.date(year, 1, 1))
        out.append(f'<line x1="{x:.1f}" y1="{top - 4:.0f}" x2="{x:.1f}" y2="{bottom:.0f}" '
                   f'stroke="#d3d7cf" stroke-width="1"/>')
        if (year - first) % step == 0:
            out.append(f'<text x="{x:.1f}" y="{bottom + 16:.0f}" text-anchor="middle" '
                       f'font-size="10" fill="#555753">{year}</text>')
    colours = {iri: _PALETTE[i % len(_PALETTE)] for i, iri in enumerate(organisations)}
    index = {iri: i for i, iri in enumerate(people)}
    for iri, name in people.items():
        y = top + row_height * index[iri]
        href = link(iri) if link else None
        out.append(_linked(f'<text x="{left - 8:.0f}" y="{y + row_height / 2 + 4:.1f}" '
                           f'text-anchor="end">{escape(name)}</text>', href))
    for person, organisation, start, end in bars:
        y = top + row_height * index[person] + 5
        x1, x2 = x_of(start), x_of(end or today)
        until = end.isoformat() if end else ("по настоящее время" if lang == "ru" else "present")
        tip = (f"{people[person]}, {organisations[organisation]}: "
               f"{start.isoformat()} {_DASH} {until}")
        out.append(f'<rect x="{x1:.1f}" y="{y:.1f}" width="{max(x2 - x1, 2):.1f}" '
                   f'height="{row_height - 10:.0f}" rx="3" fill="{colours[organisation]}" '
                   f'fill-opacity="{0.85 if end else 0.55}"><title>{escape(tip)}</title></rect>')
    for i, (iri, name) in enumerate(organisations.items()):
        y = legend_top + 20 * i
        out.append(f'<rect x="{left:.0f}" y="{y - 10:.0f}" width="14" height="12" '
                   f'fill="{colours[iri]}"/>')
        href = link(iri) if link else None
        out.append(_linked(f'<text x="{left + 20:.0f}" y="{y:.0f}">{escape(name)}</text>', href))
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- facilities


def facilities_svg(kg: Queryable, *, lang: str = "en", link: Linker | None = None) -> str:
    """The facilities (the ``facilities`` query) as a labelled longitude/latitude plot."""
    _check_lang(lang)
    points = []
    unplaced: list[tuple[str, str, str]] = []
    for row in kg.query("facilities").records():
        name = _label(kg, row["facility"], lang, _text(row["name"]))
        kind = _kind_label(kg, row["facility"], lang, _text(row["kind"]))
        if row["lat"] is None or row["long"] is None:
            unplaced.append((name, kind, row["facility"]))
            continue
        points.append((float(row["long"]), float(row["lat"]), name, kind, row["facility"]))
    if not points:
        raise DiagramError("the facilities query returned no coordinates")
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    lon0, lon1 = min(lons) - 5, max(lons) + 5
    lat0, lat1 = min(lats) - 3, max(lats) + 3
    left, right, top, bottom = 60.0, 290.0, 40.0, 50.0
    width = 900.0
    plot_w = width - left - right
    plot_h = plot_w * (lat1 - lat0) / (lon1 - lon0) * 1.6
    plot_h = max(plot_h, 240.0)
    height = top + plot_h + bottom

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (left + plot_w * (lon - lon0) / (lon1 - lon0),
                top + plot_h * (lat1 - lat) / (lat1 - lat0))

    title = "Объекты Роскосмоса" if lang == "ru" else "Facilities of Roscosmos"
    out = _svg_open(width, height, title)
    out.append(f'<text x="{left:.0f}" y="22" font-size="15" font-weight="bold">'
               f"{escape(title)}</text>")
    out.append(f'<rect x="{left:.0f}" y="{top:.0f}" width="{plot_w:.0f}" height="{plot_h:.0f}" '
               f'fill="#f7f9fc" stroke="#888a85"/>')
    for lon in range(int(lon0 // 10 + 1) * 10, int(lon1) + 1, 10):
        x, _ = xy(lon, lat0)
        out.append(f'<line x1="{x:.1f}" y1="{top:.0f}" x2="{x:.1f}" y2="{top + plot_h:.0f}" '
                   f'stroke="#d3d7cf"/>')
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16:.0f}" text-anchor="middle" '
                   f'font-size="10" fill="#555753">{lon}°E</text>')
    for lat in range(int(lat0 // 5 + 1) * 5, int(lat1) + 1, 5):
        _, y = xy(lon0, lat)
        out.append(f'<line x1="{left:.0f}" y1="{y:.1f}" x2="{left + plot_w:.0f}" y2="{y:.1f}" '
                   f'stroke="#d3d7cf"/>')
        out.append(f'<text x="{left - 6:.0f}" y="{y + 4:.1f}" text-anchor="end" '
                   f'font-size="10" fill="#555753">{lat}°N</text>')
    axis = ("долгота", "широта") if lang == "ru" else ("longitude", "latitude")
    out.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 10:.0f}" text-anchor="middle" '
               f'font-size="11">{axis[0]}</text>')
    # Labels go to the right of the plot area, stacked so they never overlap, with a
    # leader line to their point: several facilities sit within a few km of Moscow.
    placed = sorted(points, key=lambda p: xy(p[0], p[1])[1])
    label_y = top + 10.0
    for lon, lat, name, kind, iri in placed:
        x, y = xy(lon, lat)
        ty = max(y + 4, label_y)
        label_y = ty + 30
        href = link(iri) if link else None
        tip = f"{name} ({kind}): {lat:.4f}°N {lon:.4f}°E"
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#cc0000" stroke="white">'
                   f"<title>{escape(tip)}</title></circle>")
        lx = left + plot_w + 12
        out.append(f'<polyline points="{x:.1f},{y:.1f} {lx - 4:.1f},{ty - 4:.1f}" fill="none" '
                   f'stroke="#888a85" stroke-width="0.8"/>')
        out.append(_linked(f'<text x="{lx:.1f}" y="{ty:.1f}">{escape(name)}</text>', href))
        out.append(f'<text x="{lx:.1f}" y="{ty + 13:.1f}" font-size="10" fill="#555753">'
                   f"{escape(kind)}, {lat:.2f}°N {lon:.2f}°E</text>")
    if unplaced:  # listed, not plotted: no source gives their coordinates
        lx = left + plot_w + 12
        heading = "Без координат в источниках:" if lang == "ru" else "No sourced coordinates:"
        out.append(f'<text x="{lx:.1f}" y="{label_y:.1f}" font-size="10" fill="#555753">'
                   f"{escape(heading)}</text>")
        for name, kind, iri in unplaced:
            label_y += 15
            href = link(iri) if link else None
            out.append(_linked(f'<text x="{lx:.1f}" y="{label_y:.1f}" font-size="11">'
                               f"{escape(name)} ({escape(kind)})</text>", href))
        label_y += 15
    out.append("</svg>")
    svg = "\n".join(out) + "\n"
    needed = label_y + 10
    if needed > height:
        svg = svg.replace(f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}"',
                          f'height="{needed:.0f}" viewBox="0 0 {width:.0f} {needed:.0f}"', 1)
    return svg


# --------------------------------------------------------------------------- files


_SVG_ONLY = ("leaders", "facilities")


def diagram_bytes(kg: Queryable, name: str, fmt: str, *, lang: str = "en",
                  link: Linker | None = None) -> bytes:
    """One diagram as ``svg`` or ``png`` bytes (PNG for the lineage only).

    Raises:
        ParameterError: an unknown diagram, format or language.
        DiagramError: Graphviz is missing or failed.
    """
    if name not in DIAGRAMS:
        raise ParameterError("diagram", f"{name!r} is unknown; expected one of {DIAGRAMS}")
    if fmt not in ("svg", "png"):
        raise ParameterError("output", f"format {fmt!r} is not supported; use .svg or .png")
    if fmt == "png" and name in _SVG_ONLY:
        raise ParameterError("output", f"the {name} diagram is drawn as SVG only; "
                                       "write it to a .svg file (PNG is for lineage)")
    if name == "lineage":
        return render_dot(lineage_dot(kg, lang=lang, link=link), fmt)
    if name == "leaders":
        return leaders_svg(kg, lang=lang, link=link).encode("utf-8")
    return facilities_svg(kg, lang=lang, link=link).encode("utf-8")


def write_diagram(kg: Queryable, name: str, output: Path, *, lang: str = "en") -> Path:
    """Draw diagram ``name`` into ``output`` (format from its suffix), written atomically.

    Writes one file; runs the local ``dot`` program for the lineage.

    Raises:
        ParameterError: an unknown diagram, a suffix other than .svg/.png, or PNG asked
            of an SVG-only diagram (the ``output`` parameter).
        DiagramError: Graphviz is missing or failed.
    """
    fmt = output.suffix.lower().lstrip(".")
    data = diagram_bytes(kg, name, fmt, lang=lang)
    write_atomic(output, data)
    return output
