"""The part of the shipped graph that the SHACL fixtures refer to, to validate them with.

A fixture's rules reach only the shipped nodes it names (agencies, roles, spacecraft models,
stations, places, vehicles). Validating the fixture with this context instead of the whole
graph gives the same results about the fixture's own nodes in about a second, where pyshacl
takes minutes on the whole graph; ``test_validation`` checks that the two agree.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

from roscosmos_graph.loading import parse_turtle
from roscosmos_graph.resources import ontology_files, resource_dir, shape_files

CONTEXT = ("vocabulary.ttl", "agency/organizations.ttl", "agency/corps.ttl",
           "places/places.ttl", "places/launch-sites.ttl", "spacecraft/spacecraft.ttl",
           "spacecraft/models.ttl", "spacecraft/stations.ttl", "spacecraft/launch-vehicles.ttl",
           "flights/expeditions.ttl", "people/people.ttl")


@cache
def shapes() -> Graph:
    graph = Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    return graph


@cache
def context() -> Graph:
    """The ontology and the context files of the shipped data."""
    graph = Graph()
    for path in [*ontology_files(), *(resource_dir("data") / name for name in CONTEXT)]:
        parse_turtle(path, graph)
    return graph


def with_context(case: Path | None) -> Graph:
    """The context, plus the fixture ``case`` if one is given."""
    graph = Graph()
    graph += context()
    if case is not None:
        parse_turtle(case, graph)
    return graph


def isomorphic(first: Graph, second: Graph) -> bool:
    """Whether two graphs are the same up to blank node labels (RDFC-1.0, by Oxigraph).

    rdflib's own check canonicalises in Python and takes minutes on the thousands of blank
    nodes of the shipped graph's citations.
    """
    from roscosmos_graph.export.rdf import canonical

    return len(first) == len(second) and set(canonical(first)) == set(canonical(second))
