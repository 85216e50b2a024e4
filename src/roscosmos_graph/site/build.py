"""Build the static site into a folder, atomically."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import Path

from rdflib import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.term import BNode, Node

from ..atomic import replace_folder
from ..diagrams import facilities_svg, leaders_svg, lineage_svg
from ..export.rdf import canonical, turtle
from ..graph import KnowledgeGraph
from ..namespaces import ID, ONTOLOGY_IRI, PREFIXES, RSG, curie

__all__ = ["build_site", "entity_path"]

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

_SHOWN_APART = {RDF.type, RDFS.label, RDFS.comment, SKOS.altLabel, PROV.wasDerivedFrom,
                PROV.qualifiedDerivation, FOAF.isPrimaryTopicOf, SKOS.exactMatch, SCHEMA.url}
_LINKS_OUT = (FOAF.isPrimaryTopicOf, SKOS.exactMatch, SCHEMA.url)
_NOT_LINKS = {RDF.type, PROV.wasDerivedFrom}


def entity_path(iri: str) -> str | None:
    """The page of an entity IRI relative to the site root, or ``None`` outside ``id:``.

    >>> entity_path("https://w3id.org/roscosmos-graph/id/dmitry-rogozin")
    'id/dmitry-rogozin.html'
    """
    if not iri.startswith(str(ID)) or len(iri) == len(str(ID)):
        return None
    return "id/" + iri[len(str(ID)):] + ".html"


def build_site(kg: KnowledgeGraph, target: Path, *, today: dt.date | None = None) -> Path:
    """Write the site into ``target``, replacing it only once it is complete.

    Writes files; runs the local Graphviz ``dot`` program for the lineage diagram. Running
    tenures end on ``today`` in the leaders diagram (default: the clock's date); given the
    same graph and ``today``, the site is the same bytes.

    Raises:
        DiagramError: Graphviz is missing or failed.
        OutputFolderError: ``target`` is a file or holds files other than a previous site.
    """
    replace_folder(Path(target), lambda staging: _Site(kg, today).write(staging))
    return Path(target)


@dataclass(frozen=True)
class _Entity:
    iri: URIRef
    path: str
    label: str
    label_ru: str
    alt: tuple[str, ...]
    group: str


class _Site:
    def __init__(self, kg: KnowledgeGraph, today: dt.date | None) -> None:
        self.kg = kg
        self.today = today
        self.data = kg.data
        self.inferred = kg.inferred
        self.ontology = kg.ontology
        iris = sorted({s for s in self.data.subjects(RDF.type)
                       if isinstance(s, URIRef) and entity_path(str(s))})
        self.entities: dict[URIRef, _Entity] = {}
        for iri in iris:
            self.entities[iri] = _Entity(iri, entity_path(str(iri)) or "", self.label(iri),
                                         self._literal(iri, RDFS.label, "ru"),
                                         tuple(sorted(str(o) for o in
                                                      self.data.objects(iri, SKOS.altLabel))),
                                         self._group(iri))

    # ------------------------------------------------------------------ labels

    def _literal(self, iri: Node, predicate: URIRef, lang: str | None) -> str:
        for graph in (self.data, self.ontology):
            for value in graph.objects(iri, predicate):
                if isinstance(value, Literal) and (lang is None or value.language == lang):
                    return str(value)
        return ""

    def label(self, iri: Node) -> str:
        """A readable English name for any node."""
        for predicate, lang in ((RDFS.label, "en"), (RDFS.label, None), (DCTERMS.title, None),
                                (SCHEMA.headline, None), (RSG.summary, None)):
            text = self._literal(iri, predicate, lang)
            if text:
                return text
        member = self.data.value(iri, ORG.member)
        if member is not None:
            role = self.data.value(iri, ORG.role)
            where = self.data.value(iri, ORG.organization) or self.data.value(iri, RSG.aboard)
            parts = [self.label(role) if role is not None else "role"]
            if where is not None:
                parts.append(self.label(where))
            return f"{self.label(member)}: {', '.join(parts)}"
        text = str(iri)
        return curie(text) if isinstance(iri, URIRef) else text

    def _group(self, iri: URIRef) -> str:
        classes = sorted(self.label(c) for c in self.data.objects(iri, RDF.type))
        return classes[0] if classes else "Thing"

    # ------------------------------------------------------------------ links

    def href(self, here: str, iri: Node) -> str | None:
        entity = self.entities.get(iri) if isinstance(iri, URIRef) else None
        if entity is None:
            return None
        return posixpath.relpath(entity.path, posixpath.dirname(here) or ".")

    def link(self, here: str, iri: Node) -> str:
        target = self.href(here, iri)
        text = escape(self.label(iri))
        return f'<a href="{escape(target)}">{text}</a>' if target else text

    def value(self, here: str, node: Node) -> str:
        if isinstance(node, Literal):
            text = escape(str(node))
            if node.language:
                return f'<span lang="{escape(node.language)}">{text}</span>'
            return text
        if isinstance(node, URIRef) and node in self.entities:
            return self.link(here, node)
        if isinstance(node, URIRef):
            return _external(str(node))
        return escape(str(node))

    def predicate(self, predicate: URIRef) -> str:
        text = self._literal(predicate, RDFS.label, "en")
        return escape(text or curie(str(predicate)))

    # ------------------------------------------------------------------ writing

    def write(self, root: Path) -> None:
        css = files("roscosmos_graph.site").joinpath("static/style.css").read_text("utf-8")
        (root / "style.css").write_text(css, encoding="utf-8")
        lineage_rows = self.kg.query("lineage").records()
        lineage_orgs = {URIRef(r[k]) for r in lineage_rows for k in ("from", "to")}
        heads = {URIRef(r["person"]) for r in self.kg.query("heads").records()}
        facilities = {URIRef(r["facility"]) for r in self.kg.query("facilities").records()}
        in_id = lambda iri: self.href("id/x.html", URIRef(iri))  # noqa: E731
        in_diagrams = lambda iri: self.href("diagrams/x.svg", URIRef(iri))  # noqa: E731
        diagrams = {"lineage": lineage_svg(self.kg, link=in_id),
                    "leaders": leaders_svg(self.kg, link=in_id, today=self.today),
                    "facilities": facilities_svg(self.kg, link=in_id)}
        (root / "diagrams").mkdir()
        (root / "diagrams" / "lineage.svg").write_text(lineage_svg(self.kg, link=in_diagrams),
                                                       encoding="utf-8")
        (root / "diagrams" / "leaders.svg").write_text(
            leaders_svg(self.kg, link=in_diagrams, today=self.today), encoding="utf-8")
        (root / "diagrams" / "facilities.svg").write_text(
            facilities_svg(self.kg, link=in_diagrams), encoding="utf-8")
        for iri, entity in self.entities.items():
            shown = []
            if iri in lineage_orgs or iri == ID.roscosmos:
                shown.append(("Lineage of Roscosmos", diagrams["lineage"]))
            if iri in heads:
                shown.append(("Heads of the agency", diagrams["leaders"]))
            if iri in facilities or iri == ID.roscosmos:
                shown.append(("Facilities of Roscosmos", diagrams["facilities"]))
            page = root / entity.path
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(self.page(entity, shown), encoding="utf-8")
            triples = self.triples(iri)
            page.with_suffix(".ttl").write_text(turtle(triples), encoding="utf-8")
            page.with_suffix(".jsonld").write_text(_jsonld(triples), encoding="utf-8")
        (root / "index.html").write_text(self.index(), encoding="utf-8")

    def triples(self, iri: URIRef) -> Graph:
        """The entity's own triples and, through its blank nodes, theirs (a bounded description:
        a citation node comes with its source and properties, never dangling), its blank nodes
        labelled canonically so that every build writes the same bytes."""
        graph = Graph()
        pending: list[Node] = [iri]
        while pending:
            for triple in self.data.triples((pending.pop(), None, None)):
                if isinstance(triple[2], BNode) and triple not in graph:
                    pending.append(triple[2])
                graph.add(triple)
        return canonical(graph)

    # ------------------------------------------------------------------ pages

    def page(self, entity: _Entity, diagrams: list[tuple[str, str]]) -> str:
        here = entity.path
        iri = entity.iri
        body: list[str] = [f"<h1>{escape(entity.label)}</h1>"]
        if entity.label_ru and entity.label_ru != entity.label:
            body.append(f'<p class="ru" lang="ru">{escape(entity.label_ru)}</p>')
        body.append(f'<p class="iri">{escape(str(iri))}</p>')
        body.append(self.types(iri))
        for comment in self.data.objects(iri, RDFS.comment):
            body.append(f"<p>{self.value(here, comment)}</p>")
        for title, svg in diagrams:
            body.append(f"<h2>{escape(title)}</h2>")
            body.append(f'<div class="diagram">{_inline_svg(svg)}</div>')
        body += self.facts(here, iri)
        body += self.roles(here, iri)
        body += self.outgoing(here, iri)
        body += self.incoming(here, iri)
        body += self.links_out(iri)
        stem = posixpath.basename(here)[: -len(".html")]
        body.append("<h2>Data</h2>")
        body.append(f'<p><a href="{escape(stem)}.ttl">Turtle</a> · '
                    f'<a href="{escape(stem)}.jsonld">JSON-LD</a></p>')
        return _document(entity.label, body, root=posixpath.relpath(".", posixpath.dirname(here)))

    def types(self, iri: URIRef) -> str:
        asserted = set(self.data.objects(iri, RDF.type))
        inferred = {c for c in self.inferred.objects(iri, RDF.type)
                    if str(c).startswith(ONTOLOGY_IRI)} - asserted
        badges = [f'<span class="badge" title="{escape(curie(str(c)))}">'
                  f"{escape(self.label(c))}</span>" for c in sorted(asserted)]
        badges += [f'<span class="badge inferred" title="inferred: {escape(curie(str(c)))}">'
                   f"{escape(self.label(c))}</span>" for c in sorted(inferred)]
        return f'<p class="types">{"".join(badges)}</p>'

    def sources(self, here: str, iri: Node) -> str:
        items = []
        for source in sorted(self.data.objects(iri, PROV.wasDerivedFrom)):
            url = self.data.value(source, SCHEMA.url)
            publisher = self.data.value(source, DCTERMS.publisher)
            text = self.link(here, source)
            if publisher is not None:
                text += f" ({escape(str(publisher))})"
            if url is not None:
                text += " " + _external(str(url), "source")
            items.append(f"<li>{text}</li>")
        return f'<ul class="plain sources">{"".join(items)}</ul>' if items else ""

    def citations(self, iri: Node) -> dict[Node, list[Node]]:
        """The sources cited for each property of ``iri`` (its qualified derivations)."""
        cited: dict[Node, set[Node]] = defaultdict(set)
        for derivation in self.data.objects(iri, PROV.qualifiedDerivation):
            sources = set(self.data.objects(derivation, PROV.entity))
            for prop in self.data.objects(derivation, RSG.forProperty):
                cited[prop] |= sources
        return {prop: sorted(sources, key=str) for prop, sources in cited.items()}

    def facts(self, here: str, iri: URIRef) -> list[str]:
        rows = []
        cited = self.citations(iri)
        for predicate, obj in sorted(self.data.predicate_objects(iri)):
            if predicate in _SHOWN_APART and predicate != SKOS.altLabel:
                continue
            if isinstance(obj, BNode) or (isinstance(obj, URIRef) and obj in self.entities):
                continue
            sources = ", ".join(self.link(here, s) for s in cited.get(predicate, []))
            rows.append(f"<tr><th scope=\"row\">{self.predicate(predicate)}</th>"
                        f"<td>{self.value(here, obj)}</td>"
                        f'<td class="cite">{sources}</td></tr>')
        out = []
        if rows:
            out += ["<h2>Facts</h2>", '<div class="table-wrap"><table>', *rows,
                    "</table></div>"]
        sources = self.sources(here, iri)
        if sources:
            out += ["<h3>Sources</h3>", sources]
        return out

    def roles(self, here: str, iri: URIRef) -> list[str]:
        tenures: set[Node] = set()
        for predicate in (ORG.member, ORG.organization):
            tenures |= set(self.data.subjects(predicate, iri))
        if not tenures:
            return []

        def key(tenure: Node) -> tuple[str, str]:
            return (str(self.data.value(tenure, SCHEMA.startDate) or ""), str(tenure))

        rows = []
        for tenure in sorted(tenures, key=key):
            member = self.data.value(tenure, ORG.member)
            organisation = (self.data.value(tenure, ORG.organization)
                            or self.data.value(tenure, RSG.aboard))
            other = organisation if member == iri else member
            role = self.data.value(tenure, ORG.role)
            titles = ", ".join(escape(str(t)) for t in self.data.objects(tenure, RSG.postTitle)
                               if isinstance(t, Literal) and t.language in (None, "en"))
            start = self.data.value(tenure, SCHEMA.startDate)
            end = self.data.value(tenure, SCHEMA.endDate)
            rows.append("<tr>"
                        f"<td>{self.link(here, tenure)}</td>"
                        f"<td>{self.link(here, role) if role is not None else ''}"
                        f"{'<br>' + titles if titles else ''}</td>"
                        f"<td>{self.link(here, other) if other is not None else ''}</td>"
                        f"<td>{escape(str(start)) if start is not None else ''}</td>"
                        f"<td>{escape(str(end)) if end is not None else ''}</td>"
                        f"<td>{self.sources(here, tenure)}</td></tr>")
        return ["<h2>Dated roles</h2>", '<div class="table-wrap"><table class="roles">',
                "<tr><th>Tenure</th><th>Role</th><th>With</th><th>Start</th><th>End</th>"
                "<th>Sources</th></tr>", *rows, "</table></div>"]

    def _edges(self, pairs: Iterable[tuple[Node, Node, bool]], here: str,
               cited: dict[Node, list[Node]] | None = None) -> list[str]:
        seen: set[tuple[Node, Node]] = set()
        grouped: dict[str, list[str]] = defaultdict(list)
        for predicate, node, inferred in sorted(pairs, key=lambda t: (str(t[0]), t[2],
                                                                      self.label(t[1]),
                                                                      str(t[1]))):
            if (predicate, node) in seen or predicate in _NOT_LINKS:
                continue
            seen.add((predicate, node))
            mark = ' <span class="inferred">inferred</span>' if inferred else ""
            sources = [] if inferred or cited is None else cited.get(predicate, [])
            if sources:
                mark += (' <span class="cite">(' + ", ".join(self.link(here, source)
                                                             for source in sources) + ")</span>")
            grouped[self.predicate(predicate)].append(f"<li>{self.link(here, node)}{mark}</li>")
        out = []
        for name, items in grouped.items():
            out.append(f"<h3>{name}</h3>")
            out.append(f'<ul class="plain">{"".join(items)}</ul>')
        return out

    def outgoing(self, here: str, iri: URIRef) -> list[str]:
        pairs = [(p, o, False) for p, o in self.data.predicate_objects(iri) if o in self.entities]
        pairs += [(p, o, True) for p, o in self.inferred.predicate_objects(iri)
                  if o in self.entities and o != iri and p != OWL.sameAs]
        out = self._edges(pairs, here, self.citations(iri))
        return ["<h2>Links</h2>", *out] if out else []

    def incoming(self, here: str, iri: URIRef) -> list[str]:
        pairs = [(p, s, False) for s, p in self.data.subject_predicates(iri)
                 if s in self.entities and p != PROV.wasDerivedFrom]
        pairs += [(p, s, True) for s, p in self.inferred.subject_predicates(iri)
                  if s in self.entities and s != iri and p != OWL.sameAs]
        derived = sorted((s for s in self.data.subjects(PROV.wasDerivedFrom, iri)
                          if s in self.entities), key=lambda s: (self.label(s), str(s)))
        out = self._edges(pairs, here)
        if derived:
            items = "".join(f"<li>{self.link(here, s)}</li>" for s in derived)
            out += ["<h3>Source of</h3>", f'<ul class="plain">{items}</ul>']
        return ["<h2>Linked from</h2>", *out] if out else []

    def links_out(self, iri: URIRef) -> list[str]:
        items = []
        for predicate in _LINKS_OUT:
            for target in sorted(self.data.objects(iri, predicate)):
                items.append(f"<li>{self.predicate(predicate)}: {_external(str(target))}</li>")
        return ["<h2>Elsewhere</h2>", f'<ul class="plain">{"".join(items)}</ul>'] if items else []

    # ------------------------------------------------------------------ index

    def index(self) -> str:
        groups: dict[str, list[_Entity]] = defaultdict(list)
        for entity in self.entities.values():
            groups[entity.group].append(entity)
        records = [{"u": e.path, "l": e.label, "r": e.label_ru, "c": e.group,
                    "k": [e.label, e.label_ru, *e.alt]} for e in self.entities.values()]
        data = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
        data = data.replace("</", "<\\/")
        script = files("roscosmos_graph.site").joinpath("static/search.js").read_text("utf-8")
        body = ["<h1>Roscosmos knowledge graph</h1>",
                "<p>A sourced linked-data graph of the Russian space agency, its "
                "predecessors, heads, facilities and flights. Search in English or Russian.</p>",
                '<form class="search" role="search" action="index.html" method="get">'
                '<label for="q">Search</label> '
                '<input id="q" name="q" type="search" autocomplete="off" '
                'placeholder="Rogozin, Рогозин, Baikonur…"></form>',
                '<p id="search-status" aria-live="polite"></p>',
                '<ul id="results" class="plain"></ul>',
                '<div id="groups">',
                "<h2>Diagrams</h2>",
                '<ul class="plain"><li><a href="diagrams/lineage.svg">Lineage of Roscosmos</a>'
                '</li><li><a href="diagrams/leaders.svg">Heads of the agency</a></li>'
                '<li><a href="diagrams/facilities.svg">Facilities of Roscosmos</a></li></ul>',
                "<h2>Entities by class</h2>"]
        for name in sorted(groups, key=lambda n: (n == "source", n.lower())):
            members = sorted(groups[name], key=lambda e: (e.label.lower(), e.path))
            items = "".join(
                f'<li><a href="{escape(e.path)}">{escape(e.label)}</a>'
                + (f' <span lang="ru" class="ru">{escape(e.label_ru)}</span>'
                   if e.label_ru and e.label_ru != e.label else "") + "</li>"
                for e in members)
            opened = " open" if len(members) <= 30 else ""
            body.append(f'<details class="group"{opened}><summary>{escape(name)} '
                        f'<span class="group-count">({len(members)})</span></summary>'
                        f'<ul class="plain columns">{items}</ul></details>')
        body.append("</div>")
        body.append(f'<script type="application/json" id="search-index">{data}</script>')
        body.append(f"<script>\n{script}</script>")
        return _document("Roscosmos knowledge graph", body, root=".")


def _jsonld(graph: Graph) -> str:
    """JSON-LD of ``graph`` with our prefixes as context, every set of values sorted.

    rdflib writes values in the order its store yields them, which varies between
    processes; the values of a property form a set, so sorting them changes no meaning.
    """
    document = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES)))
    return json.dumps(_sorted_sets(document), indent=2, ensure_ascii=False,
                      sort_keys=True) + "\n"


def _sorted_sets(value: object) -> object:
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _sorted_sets(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_sets(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _external(url: str, text: str | None = None) -> str:
    """A link out, only for http(s) IRIs; anything else is shown as text."""
    shown = escape(text or url)
    if url.startswith(("http://", "https://")):
        return f'<a href="{escape(url)}" rel="external noopener">{shown}</a>'
    return shown


def _inline_svg(svg: str) -> str:
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""


def _document(title: str, body: list[str], *, root: str) -> str:
    prefix = "" if root == "." else root + "/"
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} · roscosmos-graph</title>",
        f'<link rel="stylesheet" href="{prefix}style.css">',
        "</head>",
        "<body>",
        f'<header class="site"><a href="{prefix}index.html">roscosmos-graph</a></header>',
        "<main>",
        *body,
        "</main>",
        '<footer class="site">Data CC BY 4.0 · every fact links to its sources.</footer>',
        "</body>",
        "</html>",
        "",
    ])

