"""The prefix map and CURIEs, light to import (no RDF library): the quick commands print
with them before any engine loads."""

from __future__ import annotations

__all__ = ["ASSERTED_GRAPH_IRI", "ID_IRI", "INFERRED_GRAPH_IRI", "ONTOLOGY_IRI", "PREFIXES",
           "curie"]

ONTOLOGY_IRI = "https://w3id.org/roscosmos-graph/def"
"""The ontology's IRI; its terms are ``ONTOLOGY_IRI + '#' + name``."""

ID_IRI = "https://w3id.org/roscosmos-graph/id/"
"""The namespace of instances, such as ``ID_IRI + 'dmitry-rogozin'``."""

ASSERTED_GRAPH_IRI = "https://w3id.org/roscosmos-graph/graph/asserted"
"""Named graph of the triples written in the ontology and data files."""

INFERRED_GRAPH_IRI = "https://w3id.org/roscosmos-graph/graph/inferred"
"""Named graph of the useful triples the OWL 2 RL reasoner adds."""

PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "id": ID_IRI,
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "pos": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rsg": ONTOLOGY_IRI + "#",
    "schema": "https://schema.org/",
    "rsgsh": "https://w3id.org/roscosmos-graph/shapes#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""The one prefix map: Turtle output, query headers and CURIEs in tables all use it."""


def curie(iri: str) -> str:
    """Shorten an IRI with :data:`PREFIXES`, or return it in angle brackets.

    >>> curie("https://w3id.org/roscosmos-graph/id/roscosmos")
    'id:roscosmos'
    >>> curie("http://example.org/x")
    '<http://example.org/x>'
    """
    best = ""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(base) > len(PREFIXES.get(best, "")):
            local = iri[len(base) :]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return f"<{iri}>"
