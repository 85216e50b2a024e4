"""Property-graph exports: GraphML, GEXF, Neo4j CSV and Cytoscape.js JSON.

The mapping from RDF, the same for every format:

- **Nodes** are the entities: IRIs in the ``id:`` namespace that have an ``rdf:type``.
  A node's ``id`` is its CURIE (``id:dmitry-rogozin``); it carries ``iri``, ``label_en``
  and ``label_ru`` (the ``rdfs:label`` in each language, kept apart), ``label`` (English,
  else Russian, else the CURIE, for tools that show one label), ``types`` (the CURIEs of
  its classes) and one attribute per literal property, named by the property's local name
  (``birthDate``; ``prefix_local`` when two vocabularies share a local name), language
  tagged ones suffixed with the language (``altLabel_en``). IRI values that are not
  entities (Wikipedia pages, DBpedia and Wikidata links) are attributes too, as IRIs.
  Blank nodes (the statement-level citations) are left out: the RDF exports carry them.
  Several values are joined with ``"; "`` (lists in Cytoscape JSON, arrays in Neo4j).
- **Edges** are the object properties between two entities, typed by the property's local
  name (``flewOn``), plus the dated n-ary nodes, each replaced by an edge typed by its class:
  a ``rsg:Tenure`` runs from ``org:member`` to ``org:organization`` (or ``rsg:aboard``); a
  change event from each ``org:originalOrganization`` to each ``org:resultingOrganization``;
  a personnel event from ``rsg:person`` to ``rsg:organization``. Such an edge carries the
  n-ary node's ``iri``, its literal properties (``startDate``, ``endDate`` or ``date``,
  labels) and its other links as CURIEs (``role``, ``tenure``). A link that pointed at a
  replaced node is dropped. An n-ary node missing either end stays a node.
  With ``keep_nary`` nothing is replaced: n-ary nodes stay nodes, every link an edge.
- ``inferred`` adds the reasoner's triples (more types and inverse edges) before mapping.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import quoteattr

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import BNode, Node

from ..atomic import MANIFEST, replace_folder, write_atomic
from ..namespaces import ID, PREFIXES, RSG, curie
from .formats import PROPERTY_GRAPH_FORMATS
from .rdf import term_names

__all__ = ["PROPERTY_GRAPH_FORMATS", "PropertyGraph", "property_graph", "write_property_graph"]

_ORG = PREFIXES["org"]
_XSD = PREFIXES["xsd"]
_ORIGINAL = URIRef(_ORG + "originalOrganization")
_RESULTING = URIRef(_ORG + "resultingOrganization")
_MEMBER = URIRef(_ORG + "member")
_ORGANIZATION = URIRef(_ORG + "organization")
_TYPES = {_XSD + "integer": "long", _XSD + "int": "long", _XSD + "long": "long",
          _XSD + "decimal": "double", _XSD + "double": "double", _XSD + "float": "double",
          _XSD + "boolean": "boolean", _XSD + "date": "date"}
_NEO4J = {"string": "string", "long": "long", "double": "float", "boolean": "boolean",
          "date": "date"}
_CYPHER = {"long": "toInteger({})", "float": "toFloat({})", "boolean": "toBoolean({})",
           "date": "date({})"}


@dataclass
class PropertyGraph:
    """Nodes and edges with typed attributes, ready for any property-graph format.

    ``nodes`` maps a node id to its attributes; ``edges`` holds
    ``(source, target, type, attributes)``; ``types`` maps an attribute name to
    ``string``, ``long``, ``double``, ``boolean`` or ``date``.
    """

    nodes: dict[str, dict[str, list[object]]] = field(default_factory=dict)
    edges: list[tuple[str, str, str, dict[str, list[object]]]] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)


def _nary_ends(graph: Graph, node: Node) -> tuple[list[Node], list[Node], set[Node]] | None:
    """Sources, targets and the predicates they used, if ``node`` is a dated n-ary node."""
    def objects(*predicates: URIRef) -> tuple[list[Node], set[Node]]:
        for p in predicates:
            found = sorted(graph.objects(node, p), key=str)
            if found:
                return found, {p}
        return [], set()

    if (node, RDF.type, RSG.Tenure) in graph:
        sources, used = objects(_MEMBER)
        targets, more = objects(_ORGANIZATION, RSG.aboard)
    elif (node, _ORIGINAL, None) in graph or (node, _RESULTING, None) in graph:
        sources, used = objects(_ORIGINAL)
        targets, more = objects(_RESULTING)
    elif (node, RSG.person, None) in graph:
        sources, used = objects(RSG.person)
        targets, more = objects(RSG.organization)
    else:
        return None
    return sources, targets, used | more


def _literal_value(lit: Literal) -> tuple[str, object]:
    kind = _TYPES.get(str(lit.datatype), "string") if lit.datatype else "string"
    if kind in ("long", "double", "boolean"):
        value = lit.toPython()
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, bool | int | float):
            return kind, float(value) if kind == "double" else value
        return "string", str(lit)
    return kind, str(lit)


def property_graph(graph: Graph, *, keep_nary: bool = False) -> PropertyGraph:
    """Map ``graph`` to a :class:`PropertyGraph` (see the module docstring for the rules)."""
    entities = sorted({s for s in graph.subjects(RDF.type) if isinstance(s, URIRef)
                       and str(s).startswith(str(ID))}, key=str)
    entity_set = set(entities)
    nary = {} if keep_nary else {e: ends for e in entities
                                 if (ends := _nary_ends(graph, e)) and ends[0] and ends[1]}
    names = term_names({p for p in graph.predicates() if p not in (RDF.type,)})
    result = PropertyGraph()
    kinds: dict[str, set[str]] = defaultdict(set)

    def attributes(entity: Node, skip: set[Node]) -> dict[str, list[object]]:
        attrs: dict[str, list[object]] = {"iri": [str(entity)]}
        labels = {lit.language: str(lit) for lit in graph.objects(entity, RDFS.label)
                  if isinstance(lit, Literal)}
        attrs["label"] = [labels.get("en") or labels.get("ru") or curie(str(entity))]
        for p, o in graph.predicate_objects(entity):
            if p == RDF.type or p in skip or isinstance(o, BNode):
                continue
            if isinstance(o, Literal):
                key = names[p] + (f"_{o.language.replace('-', '_')}" if o.language else "")
                kind, value = _literal_value(o)
            elif o in entity_set:
                if entity not in nary:
                    continue  # an edge, or a link to a replaced n-ary node (dropped)
                key, kind, value = names[p], "string", curie(str(o))
            else:
                key, kind, value = names[p], "string", str(o)
            attrs.setdefault(key, []).append(value)
            kinds[key].add(kind)
        types = sorted(curie(str(t)) for t in graph.objects(entity, RDF.type))
        if types:
            attrs["types"] = types
        return {k: sorted(v, key=str) for k, v in sorted(attrs.items())}

    for entity in entities:
        if entity in nary:
            continue
        node_id = curie(str(entity))
        result.nodes[node_id] = attributes(entity, set())
        result.labels[node_id] = sorted({str(t).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                                         for t in graph.objects(entity, RDF.type)})
        for p, o in graph.predicate_objects(entity):
            if p != RDF.type and o in entity_set and o not in nary:
                result.edges.append((node_id, curie(str(o)), names[p], {}))
    for entity, (sources, targets, used) in nary.items():
        attrs = attributes(entity, used)
        asserted_types = sorted(graph.objects(entity, RDF.type), key=str)
        specific = [t for t in asserted_types if str(t).startswith(PREFIXES["rsg"])]
        kind = str((specific or asserted_types)[0]).rsplit("#", 1)[-1]
        for source in sources:
            for target in targets:
                if source in entity_set and target in entity_set \
                        and source not in nary and target not in nary:
                    result.edges.append((curie(str(source)), curie(str(target)), kind, attrs))
    for key, found in kinds.items():
        result.types[key] = found.pop() if len(found) == 1 else "string"
    for key in ("iri", "label", "types"):
        result.types[key] = "string"
    result.edges.sort(key=lambda e: (e[0], e[2], e[1], str(e[3].get("iri", ""))))
    return result


def write_property_graph(fmt: str, path: Path, pg: PropertyGraph) -> None:
    """Write ``pg`` to ``path`` (a folder for ``neo4j``) in ``fmt``, deterministically.

    Args:
        fmt: one of :data:`PROPERTY_GRAPH_FORMATS`.
        path: the file (or folder) to write; the ``neo4j`` folder is replaced as a whole,
            and only when it is new or holds nothing but a previous Neo4j export.
        pg: the mapped graph.
    """
    if fmt == "graphml":
        write_atomic(path, _graphml(pg).encode("utf-8"))
    elif fmt == "gexf":
        write_atomic(path, _gexf(pg).encode("utf-8"))
    elif fmt == "cytoscape":
        write_atomic(path, _cytoscape(pg).encode("utf-8"))
    elif fmt == "neo4j":
        files = _neo4j(pg)
        if path.is_dir() and any(p.name not in files and p.name != MANIFEST
                                 for p in path.iterdir()):
            from . import ExportError

            raise ExportError(f"{path} holds files other than a Neo4j export; "
                              "give a new folder or a previous Neo4j export")

        def fill(staging: Path) -> None:
            for name, text in files.items():
                (staging / name).write_bytes(text.encode("utf-8"))

        replace_folder(path, fill)
    else:
        raise ValueError(f"unknown property-graph format {fmt!r}; "
                         f"expected one of {tuple(PROPERTY_GRAPH_FORMATS)}")


def _flat(values: list[object]) -> str:
    return "; ".join(str(v) for v in values)


def _keys(pg: PropertyGraph) -> tuple[list[str], list[str]]:
    node_keys = sorted({k for attrs in pg.nodes.values() for k in attrs})
    edge_keys = sorted({k for *_, attrs in pg.edges for k in attrs} | {"type"})
    return node_keys, edge_keys


def _scalar(pg: PropertyGraph, key: str, values: list[object]) -> tuple[str, str]:
    """A GraphML/GEXF attribute type and the text of the value."""
    kind = pg.types.get(key, "string")
    if kind in ("long", "double", "boolean") and len(values) == 1:
        value = values[0]
        return kind, str(value).lower() if kind == "boolean" else str(value)
    return "string", _flat(values)


def _attr_type(pg: PropertyGraph, key: str, xml_long: str) -> str:
    kind = pg.types.get(key, "string")
    multi = any(len(attrs.get(key, [])) > 1 for attrs in pg.nodes.values()) or any(
        len(e[3].get(key, [])) > 1 for e in pg.edges)
    if multi or kind in ("string", "date"):
        return "string"
    return {"long": xml_long, "double": "double", "boolean": "boolean"}[kind]


def _graphml(pg: PropertyGraph) -> str:
    node_keys, edge_keys = _keys(pg)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    ids = {}
    for n, key in enumerate(node_keys):
        ids[("node", key)] = f"n{n}"
        out.append(f'  <key id="n{n}" for="node" attr.name={quoteattr(key)} '
                   f'attr.type="{_attr_type(pg, key, "long")}"/>')
    for n, key in enumerate(edge_keys):
        ids[("edge", key)] = f"e{n}"
        out.append(f'  <key id="e{n}" for="edge" attr.name={quoteattr(key)} '
                   f'attr.type="{_attr_type(pg, key, "long")}"/>')
    out.append('  <graph id="roscosmos-graph" edgedefault="directed">')
    for node_id, attrs in sorted(pg.nodes.items()):
        out.append(f"    <node id={quoteattr(node_id)}>")
        for key, values in attrs.items():
            out.append(f'      <data key="{ids[("node", key)]}">{_xml_text(_flat(values))}</data>')
        out.append("    </node>")
    for n, (source, target, kind, attrs) in enumerate(pg.edges):
        out.append(f'    <edge id="r{n}" source={quoteattr(source)} target={quoteattr(target)}>')
        for key, values in sorted({**attrs, "type": [kind]}.items()):
            out.append(f'      <data key="{ids[("edge", key)]}">{_xml_text(_flat(values))}</data>')
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _gexf(pg: PropertyGraph) -> str:
    node_keys, edge_keys = _keys(pg)
    node_keys = [k for k in node_keys if k != "label"]
    edge_keys = [k for k in edge_keys if k != "label"]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
           '  <graph defaultedgetype="directed" mode="static">',
           '    <attributes class="node" mode="static">']
    for n, key in enumerate(node_keys):
        out.append(f'      <attribute id="{n}" title={quoteattr(key)} '
                   f'type="{_attr_type(pg, key, "long")}"/>')
    out += ["    </attributes>", '    <attributes class="edge" mode="static">']
    for n, key in enumerate(edge_keys):
        out.append(f'      <attribute id="{n}" title={quoteattr(key)} '
                   f'type="{_attr_type(pg, key, "long")}"/>')
    out += ["    </attributes>", "    <nodes>"]
    for node_id, attrs in sorted(pg.nodes.items()):
        out.append(f"      <node id={quoteattr(node_id)} label={quoteattr(_flat(attrs['label']))}>")
        out.append("        <attvalues>")
        for n, key in enumerate(node_keys):
            if key in attrs:
                out.append(f'          <attvalue for="{n}" value={quoteattr(_flat(attrs[key]))}/>')
        out += ["        </attvalues>", "      </node>"]
    out += ["    </nodes>", "    <edges>"]
    for n, (source, target, kind, attrs) in enumerate(pg.edges):
        label = f" label={quoteattr(_flat(attrs['label']))}" if "label" in attrs else ""
        out.append(f'      <edge id="{n}" source={quoteattr(source)} '
                   f'target={quoteattr(target)}{label}>')
        out.append("        <attvalues>")
        merged = {**attrs, "type": [kind]}
        for i, key in enumerate(edge_keys):
            if key in merged:
                out.append(f'          <attvalue for="{i}" value={quoteattr(_flat(merged[key]))}/>')
        out += ["        </attvalues>", "      </edge>"]
    out += ["    </edges>", "  </graph>", "</gexf>"]
    return "\n".join(out) + "\n"


def _cytoscape(pg: PropertyGraph) -> str:
    def data(attrs: dict[str, list[object]]) -> dict[str, object]:
        return {k: v[0] if len(v) == 1 and k != "types" else v for k, v in attrs.items()}

    # "value", "key" and the top-level "directed"/"multigraph" are what NetworkX's
    # cytoscape_graph() reads; Cytoscape and Cytoscape.js ignore them.
    nodes = [{"data": {"id": node_id, "value": node_id, **data(attrs)}}
             for node_id, attrs in sorted(pg.nodes.items())]
    edges = [{"data": {"id": f"r{n}", "key": f"r{n}", "source": s, "target": t, "type": kind,
                       **data(attrs)}} for n, (s, t, kind, attrs) in enumerate(pg.edges)]
    document = {"data": {"name": "roscosmos-graph"}, "directed": True, "multigraph": True,
                "elements": {"nodes": nodes, "edges": edges}}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _neo4j_header(pg: PropertyGraph, key: str, multi: bool) -> str:
    kind = _NEO4J[pg.types.get(key, "string")]
    return f"{key}:{kind}[]" if multi else f"{key}:{kind}"


def _neo4j(pg: PropertyGraph) -> dict[str, str]:
    node_keys, edge_keys = _keys(pg)
    edge_keys = [k for k in edge_keys if k != "type"]
    multi_node = {k for attrs in pg.nodes.values() for k, v in attrs.items() if len(v) > 1}
    multi_node.add("types")
    multi_edge = {k for *_, attrs in pg.edges for k, v in attrs.items() if len(v) > 1}
    node_headers = [_neo4j_header(pg, k, k in multi_node) for k in node_keys]
    edge_headers = [_neo4j_header(pg, k, k in multi_edge) for k in edge_keys]

    def cell(values: list[object] | None, multi: bool) -> str:
        if not values:
            return ""
        texts = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
        return ";".join(texts) if multi else texts[0]

    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(["id:ID", ":LABEL", *node_headers])
    for node_id, attrs in sorted(pg.nodes.items()):
        writer.writerow([node_id, ";".join(["Entity", *pg.labels[node_id]]),
                         *[cell(attrs.get(k), k in multi_node) for k in node_keys]])
    rels = io.StringIO()
    writer = csv.writer(rels, lineterminator="\n")
    writer.writerow([":START_ID", ":END_ID", ":TYPE", *edge_headers])
    for source, target, kind, attrs in pg.edges:
        writer.writerow([source, target, kind,
                         *[cell(attrs.get(k), k in multi_edge) for k in edge_keys]])
    return {"nodes.csv": nodes.getvalue(), "relationships.csv": rels.getvalue(),
            "load.cypher": _cypher(pg, node_headers, edge_headers)}


def _cypher_set(var: str, headers: list[str], skip: set[str]) -> str:
    parts = []
    for header in headers:
        name, _, kind = header.partition(":")
        if name in skip:
            continue
        column = f"row.`{header}`"
        if kind.endswith("[]"):
            inner = _CYPHER.get(kind[:-2], "{}").format("x")
            value = f"[x IN split({column}, ';') | {inner}]"
        else:
            value = _CYPHER.get(kind, "{}").format(column)
        parts.append(f"  {var}.`{name}` = CASE WHEN {column} IS NULL THEN null ELSE {value} END")
    return ",\n".join(parts)


def _cypher(pg: PropertyGraph, node_headers: list[str], edge_headers: list[str]) -> str:
    labels = sorted({label for found in pg.labels.values() for label in found})
    kinds = sorted({kind for _, _, kind, _ in pg.edges})
    lines = [
        "// Load nodes.csv and relationships.csv with LOAD CSV (put them in Neo4j's import",
        "// folder). For an empty database, neo4j-admin database import reads the same files:",
        "//   neo4j-admin database import full --nodes=nodes.csv",
        "//     --relationships=relationships.csv --array-delimiter=';' --multiline-fields=true",
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;",
        "",
        "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row",
        "MERGE (n:Entity {id: row.`id:ID`})",
        "SET",
        _cypher_set("n", node_headers, set()) + ";",
    ]
    for label in labels:
        lines += ["", "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row",
                  f"WITH row WHERE ';' + row.`:LABEL` + ';' CONTAINS ';{label};'",
                  f"MATCH (n:Entity {{id: row.`id:ID`}}) SET n:`{label}`;"]
    keyed = {kind for _, _, kind, attrs in pg.edges if "iri" in attrs}
    iri_column = next((h for h in edge_headers if h.partition(":")[0] == "iri"), "iri")
    for kind in kinds:
        # MERGE, not CREATE: running the script again leaves the same graph. Edges that
        # stand for an n-ary node are told apart by its IRI (a person can hold two tenures).
        pattern = f"[r:`{kind}` {{iri: row.`{iri_column}`}}]" if kind in keyed \
            else f"[r:`{kind}`]"
        lines += ["", "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row",
                  f"WITH row WHERE row.`:TYPE` = '{kind}'",
                  "MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})",
                  f"MERGE (a)-{pattern}->(b)"]
        setter = _cypher_set("r", edge_headers, set())
        lines[-1] += ("\nSET\n" + setter + ";") if setter else ";"
    return "\n".join(lines) + "\n"
