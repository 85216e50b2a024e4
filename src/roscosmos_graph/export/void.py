"""A VoID and DCAT description of the released dataset, as canonical Turtle.

It states the version (``roscosmos_graph.__version__``), the data licence (CC BY 4.0),
the asserted and inferred triple counts, the entities per class (``void:classPartition``),
the triples per property (``void:propertyPartition``) and, per target dataset
(Wikipedia, DBpedia, Wikidata), a ``void:Linkset`` with the number of links out. Nothing in
it depends on the clock, so two builds of the same graph describe it identically.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from rdflib import RDF, Graph, Literal, Namespace, URIRef

from ..namespaces import ID
from .rdf import turtle

__all__ = ["DATASET", "LINK_TARGETS", "void_description"]

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
BASE = "https://w3id.org/roscosmos-graph/"
DATASET = URIRef(BASE + "dataset")
"""The IRI of the dataset the description is about."""

_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")

LINK_TARGETS: dict[str, tuple[str, str]] = {
    "wikipedia": ("Wikipedia", "wikipedia.org"),
    "dbpedia": ("DBpedia", "dbpedia.org"),
    "wikidata": ("Wikidata", "wikidata.org"),
}
"""Linkset slug → (title, host suffix) of the datasets we link out to."""


def link_target(iri: str) -> str | None:
    """The :data:`LINK_TARGETS` slug whose host ``iri`` is on, if any.

    >>> link_target("https://en.wikipedia.org/wiki/Roscosmos"), link_target("http://x.org/")
    ('wikipedia', None)
    """
    host = (urlsplit(iri).hostname or "").rstrip(".")
    for slug, (_, suffix) in LINK_TARGETS.items():
        if host == suffix or host.endswith("." + suffix):
            return slug
    return None


def void_description(asserted: Graph, inferred: Graph, version: str) -> str:
    """The VoID/DCAT description of ``asserted`` and ``inferred`` as Turtle.

    Entities per class and properties count the union of both graphs (inferred types
    included); links out count the asserted triples whose object is on a target's host.
    """
    union = Graph()
    union += asserted
    union += inferred
    g = Graph()
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("Roscosmos Graph", lang="en")))
    g.add((d, DCTERMS.description, Literal(
        "A sourced, validated linked-data knowledge graph of the Russian space programme.",
        lang="en")))
    g.add((d, DCTERMS.license, LICENCE))
    g.add((d, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(version)))
    g.add((d, DCAT.version, Literal(version)))
    g.add((d, VOID.uriSpace, Literal(str(ID))))
    g.add((d, VOID.triples, Literal(len(asserted), datatype=_INTEGER)))
    for slug, count, title in (("asserted", len(asserted), "asserted triples"),
                               ("inferred", len(inferred), "inferred triples (OWL 2 RL)")):
        part = URIRef(f"{BASE}dataset/{slug}")
        g.add((d, VOID.subset, part))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, DCTERMS.title, Literal(title, lang="en")))
        g.add((part, VOID.triples, Literal(count, datatype=_INTEGER)))
    classes = Counter(o for s, o in union.subject_objects(RDF.type)
                      if isinstance(s, URIRef) and str(s).startswith(str(ID)))
    for cls, count in classes.items():
        part = URIRef(f"{BASE}dataset/class/{_slug(str(cls))}")
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count, datatype=_INTEGER)))
    properties = Counter(p for p in union.predicates())
    for prop, count in properties.items():
        part = URIRef(f"{BASE}dataset/property/{_slug(str(prop))}")
        g.add((d, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count, datatype=_INTEGER)))
    links: dict[str, Counter[URIRef]] = {slug: Counter() for slug in LINK_TARGETS}
    for _, p, o in asserted:
        if isinstance(o, URIRef) and (slug := link_target(str(o))):
            links[slug][p] += 1
    for slug, counts in links.items():
        if not counts:
            continue
        title, _ = LINK_TARGETS[slug]
        target = URIRef(f"{BASE}dataset/target/{slug}")
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title, lang="en")))
        for prop, count in counts.items():
            linkset = URIRef(f"{BASE}dataset/links/{slug}/{_slug(str(prop))}")
            g.add((d, VOID.subset, linkset))
            g.add((linkset, RDF.type, VOID.Linkset))
            g.add((linkset, VOID.subjectsTarget, d))
            g.add((linkset, VOID.objectsTarget, target))
            g.add((linkset, VOID.linkPredicate, prop))
            g.add((linkset, VOID.triples, Literal(count, datatype=_INTEGER)))
    return turtle(g, prefixes={"dcat": str(DCAT), "void": str(VOID)})


def _slug(iri: str) -> str:
    from ..namespaces import curie

    short = curie(iri)
    text = short.strip("<>") if short.startswith("<") else short.replace(":", "-")
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)
