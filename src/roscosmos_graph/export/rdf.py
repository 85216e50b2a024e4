"""Deterministic RDF serialisations: Turtle, N-Triples, N-Quads, JSON-LD and RDF/XML.

Every writer here is byte-stable: the same graph gives the same bytes in any process.
Blank nodes are first relabelled canonically (RDFC-1.0, computed by Oxigraph),
so their labels depend on the graph's content, never on chance.

- ``turtle``: the prefixes of :data:`~roscosmos_graph.namespaces.PREFIXES`, one block per
  subject, subjects sorted, ``rdf:type`` then labels, definition and comment, then the other
  predicates sorted; objects sorted. A diff of two exports shows only what changed.
- ``ntriples``: one triple a line, lines sorted.
- ``nquads``: the asserted triples in the named graph ``ASSERTED_GRAPH`` and (with
  ``inferred``) the reasoner's in ``INFERRED_GRAPH``; lines sorted.
- ``trig``: the same two named graphs as ``nquads``, each written like ``turtle``.
- ``jsonld``: nodes sorted by ``@id``, with the context inline (see :func:`jsonld_context`):
  it maps each property to a plain name (``label_en``, ``label_ru``, ``birthDate``...), so
  the document reads as plain JSON and any JSON-LD processor reads it without fetching
  anything. :func:`write_context` writes the same context as a file of its own.
- ``rdfxml``: one ``rdf:Description`` per subject, sorted.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..atomic import write_atomic
from ..namespaces import PREFIXES
from ..terms import from_oxigraph, to_oxigraph
from .formats import RDF_FORMATS

__all__ = [
    "CONTEXT_FILE",
    "INLINE_DEPTH",
    "RDF_FORMATS",
    "canonical",
    "jsonld_context",
    "render_term",
    "term_names",
    "trig",
    "write_context",
    "write_rdf",
]

CONTEXT_FILE = "context.jsonld"
"""Name of the JSON-LD context file of a release (the JSON-LD export inlines it)."""

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_FIRST = [RDF.type, RDFS.label, URIRef(_SKOS + "prefLabel"), URIRef(_SKOS + "altLabel"),
          URIRef(_SKOS + "definition"), RDFS.comment]
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
INLINE_DEPTH = 32
"""Deepest nesting of inline blank nodes in Turtle exports (half the loader's limit)."""
_PREFIXES: ContextVar[Mapping[str, str]] = ContextVar("prefixes", default=PREFIXES)


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes carry content-derived, stable labels.

    The labels are those of the W3C RDF Dataset Canonicalization (RDFC-1.0), computed by
    Oxigraph: linear in practice for the tree-shaped blank nodes of this graph, where rdflib's
    own canonical form took minutes on thousands of them.
    """
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    bnodes: dict[BNode, ox.BlankNode] = {}
    dataset = ox.Dataset(ox.Quad(to_oxigraph(s, bnodes), to_oxigraph(p, bnodes),
                                 to_oxigraph(o, bnodes)) for s, p, o in graph)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    result = Graph()
    for quad in dataset:  # the canonical labels are kept as they are
        result.add((from_oxigraph(quad.subject), from_oxigraph(quad.predicate),
                    from_oxigraph(quad.object)))
    return result


def write_rdf(fmt: str, path: Path, asserted: Graph, inferred: Graph | None = None) -> None:
    """Write ``asserted`` (plus ``inferred``, if given) to ``path`` in ``fmt``.

    For ``nquads`` and ``trig`` the two graphs go to separate named graphs; every other
    format writes their union.

    Args:
        fmt: one of :data:`RDF_FORMATS`.
        path: the file to write (atomically).
        asserted: the asserted triples.
        inferred: the inferred triples, or ``None`` to leave them out.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; expected one of {tuple(RDF_FORMATS)}")
    if fmt in ("nquads", "trig"):
        from ..graph import ASSERTED_GRAPH, INFERRED_GRAPH

        parts = [(ASSERTED_GRAPH, canonical(asserted))]
        if inferred is not None:
            parts.append((INFERRED_GRAPH, canonical(inferred)))
        text = _nquads(parts) if fmt == "nquads" else trig(parts)  # type: ignore[arg-type]
        write_atomic(path, text.encode("utf-8"))
        return
    union = Graph()
    union += asserted
    if inferred is not None:
        union += inferred
    graph = canonical(union)
    if fmt == "turtle":
        text = turtle(graph)
    elif fmt == "ntriples":
        text = _nquads([(None, graph)])
    elif fmt == "rdfxml":
        text = _rdfxml(graph)
    else:
        write_atomic(path, _json(_jsonld(graph, jsonld_context(graph))))
        return
    write_atomic(path, text.encode("utf-8"))


def write_context(path: Path, graph: Graph) -> None:
    """Write the JSON-LD context of ``graph`` (the one its JSON-LD export inlines) to ``path``."""
    write_atomic(path, _json(jsonld_context(canonical(graph))))


# --------------------------------------------------------------------------- Turtle

def turtle(graph: Graph, *, prefixes: Mapping[str, str] | None = None) -> str:
    """Canonical Turtle of ``graph`` (whose blank nodes should already be canonical).

    ``prefixes`` adds to :data:`PREFIXES` for this document only.

    >>> g = Graph(); _ = g.add((URIRef(PREFIXES["id"] + "x"), RDFS.label, Literal("X", lang="en")))
    >>> print(turtle(g).splitlines()[-1])
        rdfs:label "X"@en .
    """
    spaces = {**PREFIXES, **(prefixes or {})}
    token = _PREFIXES.set(spaces)
    try:
        inline = _inlinable(graph)
        lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(spaces.items())]
        for subject in _sorted_nodes(set(graph.subjects())):
            if subject in inline:
                continue
            lines.append("")
            lines.append(_turtle_term(subject, graph, inline))
            body = _turtle_body(subject, graph, inline, "    ")
            lines.append(body + " .")
    finally:
        _PREFIXES.reset(token)
    return "\n".join(lines) + "\n"


def trig(parts: list[tuple[URIRef, Graph]]) -> str:
    r"""Canonical TriG: the prefixes once, then each named graph's triples as in :func:`turtle`.

    >>> g = Graph(); _ = g.add((URIRef(PREFIXES["id"] + "x"), RDFS.label, Literal("X")))
    >>> print(trig([(URIRef("urn:g"), g)]).split("\n\n", 1)[1], end="")
    GRAPH <urn:g> {
    id:x
        rdfs:label "X" .
    }
    """
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    for name, graph in parts:
        body = turtle(graph).split("\n\n", 1)
        lines += ["", f"GRAPH <{name}> {{", *(body[1].rstrip("\n").split("\n")
                                              if len(body) > 1 else []), "}"]
    return "\n".join(lines) + "\n"


def _inlinable(graph: Graph) -> set[Node]:
    """Blank nodes to write inline: used exactly once as an object, not on a cycle.

    Inlining stops every :data:`INLINE_DEPTH` levels (that node starts its own block), so a
    long chain of blank nodes neither exhausts the stack nor outgrows the loader's nesting
    limit. Linear in the number of blank nodes.
    """
    users: dict[Node, list[Node]] = defaultdict(list)
    for s, _, o in graph:
        if isinstance(o, BNode):
            users[o].append(s)
    parent = {b: found[0] for b, found in users.items() if len(found) == 1}
    level: dict[Node, int] = {}  # 0: written as a block; n > 0: inline, n levels deep
    for start in parent:
        path: list[Node] = []
        on_path: dict[Node, int] = {}
        node = start
        while node in parent and node not in level and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = parent[node]
        if node in on_path:  # a cycle: its members are written as blocks
            for member in path[on_path[node]:]:
                level[member] = 0
            path = path[: on_path[node]]
        depth = level.get(node, 0)
        for member in reversed(path):
            depth = depth + 1 if depth < INLINE_DEPTH else 0
            level[member] = depth
    return {b for b, depth in level.items() if depth}


def _turtle_body(subject: Node, graph: Graph, inline: set[Node], indent: str) -> str:
    rows = []
    for predicate in _sorted_predicates({p for p, _ in graph.predicate_objects(subject)}):
        name = "a" if predicate == RDF.type else _iri(predicate)
        objects = _sorted_nodes(set(graph.objects(subject, predicate)))
        joint = " , " if len(objects) <= 3 else f" ,\n{indent}    "
        rendered = joint.join(_turtle_term(o, graph, inline, indent) for o in objects)
        rows.append(f"{indent}{name} {rendered}")
    return " ;\n".join(rows)


def _turtle_term(term: Node, graph: Graph, inline: set[Node], indent: str = "") -> str:
    if isinstance(term, BNode):
        if term in inline:
            items = _collection(term, graph, inline)
            if items is not None:
                return "( " + " ".join(_turtle_term(i, graph, inline, indent) for i in items) + " )"
            return "[\n" + _turtle_body(term, graph, inline, indent + "    ") + f"\n{indent}]"
        return f"_:{term}"
    if isinstance(term, Literal):
        return _literal(term)
    return _iri(term)


def _collection(node: Node, graph: Graph, inline: set[Node]) -> list[Node] | None:
    """The members of a well-formed RDF list of inlinable nodes, else ``None``."""
    items = []
    while node != RDF.nil:
        if node not in inline or set(graph.predicates(node)) != {RDF.first, RDF.rest}:
            return None
        firsts = list(graph.objects(node, RDF.first))
        rests = list(graph.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            return None
        items.append(firsts[0])
        node = rests[0]
    return items


def render_term(term: Node) -> str:
    """One term as Turtle: a CURIE of :data:`PREFIXES`, ``<iri>``, ``_:label`` or a literal.

    >>> render_term(URIRef(PREFIXES["id"] + "roscosmos")), render_term(Literal("x", lang="ru"))
    ('id:roscosmos', '"x"@ru')
    """
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return _literal(term)
    return _iri(term)


def _iri(iri: Node) -> str:
    text = str(iri)
    spaces = _PREFIXES.get()
    best = ""
    for prefix, base in spaces.items():
        if text.startswith(base) and _LOCAL.match(text[len(base):]) and len(base) > len(
                spaces.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{text[len(spaces[best]):]}"
    return "<" + text.replace(">", "%3E") + ">"


def _string(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


def _literal(lit: Literal) -> str:
    body = _string(str(lit))
    if lit.language:
        return f"{body}@{lit.language}"
    if lit.datatype and str(lit.datatype) != _XSD + "string":
        return f"{body}^^{_iri(lit.datatype)}"
    return body


def _sort_key(term: Node) -> tuple[int, str, str, str]:
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    assert isinstance(term, Literal)
    return (2, str(term), term.language or "", str(term.datatype or ""))


def _sorted_nodes(terms: Iterable[Node]) -> list[Node]:
    return sorted(terms, key=_sort_key)


def _sorted_predicates(predicates: Iterable[Node]) -> list[Node]:
    def key(p: Node) -> tuple[int, str]:
        return (_FIRST.index(p), "") if p in _FIRST else (len(_FIRST), str(p))
    return sorted(predicates, key=key)


# --------------------------------------------------------------------------- N-Triples, N-Quads

def _nquads(parts: list[tuple[URIRef | None, Graph]]) -> str:
    lines: list[str] = []
    for name, graph in parts:
        context = ox.DefaultGraph() if name is None else ox.NamedNode(str(name))
        quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), context)
                 for s, p, o in graph]
        fmt = ox.RdfFormat.N_TRIPLES if name is None else ox.RdfFormat.N_QUADS
        if name is None:
            quads = [q.triple for q in quads]
        text = ox.serialize(quads, format=fmt).decode("utf-8")
        lines.extend(line for line in text.split("\n") if line)  # not splitlines: U+2028
    return "\n".join(sorted(lines)) + "\n"


# --------------------------------------------------------------------------- RDF/XML

def _split(iri: str) -> tuple[str, str]:
    for prefix, base in sorted(PREFIXES.items()):
        if iri.startswith(base) and _NCNAME.match(iri[len(base):]):
            return prefix, iri[len(base):]
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    if cut and _NCNAME.match(iri[cut:]):
        return iri[:cut], iri[cut:]
    raise ValueError(f"predicate {iri} cannot be written as an XML element name")


def _xml_text(text: str) -> str:
    """Escape ``text`` as XML character data; a carriage return survives as ``&#13;``.

    Raises:
        ExportError: ``text`` holds a character XML 1.0 cannot carry (such as U+0000).
    """
    bad = _NOT_XML.search(text)
    if bad:
        from . import ExportError

        raise ExportError(f"RDF/XML cannot hold the character U+{ord(bad.group()):04X} of the "
                          f"literal {text[:40]!r}; export to Turtle or N-Triples instead")
    return escape(text).replace("\r", "&#13;")


def _rdfxml(graph: Graph) -> str:
    extra: dict[str, str] = {}
    body = []
    for subject in _sorted_nodes(set(graph.subjects())):
        ident = (f"rdf:nodeID={quoteattr(str(subject))}" if isinstance(subject, BNode)
                 else f"rdf:about={quoteattr(str(subject))}")
        body.append(f"  <rdf:Description {ident}>")
        for predicate in _sorted_predicates({p for p, _ in graph.predicate_objects(subject)}):
            prefix, local = _split(str(predicate))
            if prefix not in PREFIXES:
                extra.setdefault(prefix, f"ns{len(extra) + 1}")
                prefix = extra[prefix]
            tag = f"{prefix}:{local}"
            for o in _sorted_nodes(set(graph.objects(subject, predicate))):
                if isinstance(o, URIRef):
                    body.append(f"    <{tag} rdf:resource={quoteattr(str(o))}/>")
                elif isinstance(o, BNode):
                    body.append(f"    <{tag} rdf:nodeID={quoteattr(str(o))}/>")
                else:
                    assert isinstance(o, Literal)
                    attr = (f" xml:lang={quoteattr(o.language)}" if o.language
                            else f" rdf:datatype={quoteattr(str(o.datatype))}" if o.datatype
                            else "")
                    body.append(f"    <{tag}{attr}>{_xml_text(str(o))}</{tag}>")
        body.append("  </rdf:Description>")
    spaces = {**PREFIXES, **{short: ns for ns, short in extra.items()}}
    declared = "\n".join(f"    xmlns:{p}={quoteattr(ns)}" for p, ns in sorted(spaces.items()))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF\n' + declared + ">\n"
            + "\n".join(body) + "\n</rdf:RDF>\n")


# --------------------------------------------------------------------------- JSON-LD

def term_names(predicates: Iterable[Node]) -> dict[Node, str]:
    """A short, unique, stable name for each predicate: its local name, or ``prefix_local``.

    >>> names = term_names([URIRef(PREFIXES["org"] + "organization"),
    ...                     URIRef(PREFIXES["rsg"] + "organization"), RDFS.label])
    >>> sorted(names.values())
    ['label', 'org_organization', 'rsg_organization']
    """
    locals_: dict[Node, tuple[str, str]] = {}
    for p in set(predicates):
        prefix, local = _split(str(p)) if _split_ok(str(p)) else ("", str(p))
        prefix = prefix if prefix in PREFIXES else "ns"
        locals_[p] = (prefix, local)
    clashes: dict[str, int] = defaultdict(int)
    for _, local in locals_.values():
        clashes[local] += 1
    return {p: local if clashes[local] == 1 else f"{prefix}_{local}"
            for p, (prefix, local) in locals_.items()}


def _split_ok(iri: str) -> bool:
    try:
        _split(iri)
    except ValueError:
        return False
    return True


def _kind(o: Node) -> str:
    if isinstance(o, URIRef | BNode):
        return "@id"
    assert isinstance(o, Literal)
    if o.language:
        return "@" + o.language
    if o.datatype and str(o.datatype) != _XSD + "string":
        return str(o.datatype)
    return ""


def _kind_terms(graph: Graph) -> dict[tuple[Node, str], str]:
    """A JSON key for each (predicate, kind of value); languages get ``_en``, ``_ru``..."""
    names = term_names({p for p in graph.predicates() if p != RDF.type})
    kinds: dict[Node, set[str]] = defaultdict(set)
    for _, p, o in graph:
        if p != RDF.type:
            kinds[p].add(_kind(o))
    keys: dict[tuple[Node, str], str] = {}
    for p, found in kinds.items():
        base = names[p]
        others = sorted(k for k in found if not k.startswith("@") or k == "@id")
        used = {base}
        for kind in sorted(found):
            if kind.startswith("@") and kind != "@id":
                keys[(p, kind)] = f"{base}_{kind[1:].replace('-', '_')}"
                used.add(keys[(p, kind)])
        for kind in others[1:]:
            key = f"{base}_{_kind_suffix(kind)}"
            n = 1
            while key in used:
                n += 1
                key = f"{base}_{_kind_suffix(kind)}{n}"
            keys[(p, kind)] = key
            used.add(key)
        if others:
            keys[(p, others[0])] = base
    return keys


def _kind_suffix(kind: str) -> str:
    """``iri``, ``string``, or the datatype's local name as a plain JSON key part."""
    if kind == "@id":
        return "iri"
    if not kind:
        return "string"
    local = re.split(r"[#/:]", kind.rstrip("#/"))[-1]
    return re.sub(r"\W", "_", local, flags=re.ASCII) or "typed"


def jsonld_context(graph: Graph) -> dict[str, object]:
    """The JSON-LD context for ``graph``: the prefixes, and one plain term per property.

    A language-tagged property gets one term per language (``label_en``, ``label_ru``);
    an IRI-valued one is coerced to ``@id``; a typed one to its datatype.
    """
    terms: dict[str, object] = dict(sorted(PREFIXES.items()))
    for (p, kind), key in sorted(_kind_terms(graph).items(), key=lambda item: item[1]):
        definition: dict[str, str] = {"@id": _iri(p).strip("<>")}
        if kind == "@id":
            definition["@type"] = "@id"
        elif kind.startswith("@"):
            definition["@language"] = kind[1:]
        elif kind:
            definition["@type"] = _iri(URIRef(kind)).strip("<>")
        terms[key] = definition
    return {"@context": terms}


def _jsonld(graph: Graph, context: dict[str, object]) -> dict[str, object]:
    keys = _kind_terms(graph)
    nodes = []
    for subject in _sorted_nodes(set(graph.subjects())):
        node: dict[str, object] = {"@id": _json_id(subject)}
        types = _sorted_nodes(graph.objects(subject, RDF.type))
        if types:
            node["@type"] = [_json_id(t) for t in types]
        values: dict[str, list[object]] = defaultdict(list)
        for p, o in sorted(graph.predicate_objects(subject),
                           key=lambda po: (str(po[0]), _sort_key(po[1]))):
            if p == RDF.type:
                continue
            kind = _kind(o)
            values[keys[(p, kind)]].append(_json_id(o) if kind == "@id" else str(o))
        for key in sorted(values):
            found = values[key]
            node[key] = found[0] if len(found) == 1 else found
        nodes.append(node)
    return {"@context": context["@context"], "@graph": nodes}


def _json_id(term: Node) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    return _iri(term).strip("<>")


def _json(value: object) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
