"""The static linked-data site: an index with offline search, and one page per entity.

Every IRI of the ``id:`` namespace that has an ``rdf:type`` gets ``id/<slug>.html``, and
its own triples as ``id/<slug>.ttl`` and ``id/<slug>.jsonld``. Pages are plain HTML with
one stylesheet and no external resources; the lineage and heads diagrams are inlined.
"""

from .build import build_site, entity_path

__all__ = ["build_site", "entity_path"]
