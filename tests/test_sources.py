"""Sources are named for what they are: one node per address, canonical host names."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from rdflib import RDF, Graph, URIRef

from roscosmos_graph.namespaces import PREFIXES, RSG
from roscosmos_graph.resources import data_files

SCHEMA_URL = URIRef(PREFIXES["schema"] + "url")

CANONICAL_HOSTS = {
    "spacefacts.de": "www.spacefacts.de",
    "spacefacts.info": "www.spacefacts.de",
    "spacefacts.net": "www.spacefacts.de",
    "www.spacefacts.info": "www.spacefacts.de",
    "www.spacefacts.net": "www.spacefacts.de",
    "russianspaceweb.com": "www.russianspaceweb.com",
    "wikipedia.org": "en.wikipedia.org",
}
"""Hosts that a source must not use, with the spelling to use instead."""


@pytest.fixture(scope="module")
def source_urls() -> dict[URIRef, list[str]]:
    graph = Graph()
    for path in data_files():
        graph.parse(path, format="turtle")
    urls: dict[URIRef, list[str]] = defaultdict(list)
    for source in graph.subjects(RDF.type, RSG.Source):
        for url in graph.objects(source, SCHEMA_URL):
            urls[source].append(str(url))  # type: ignore[index]
    return urls


def test_sources_are_found(source_urls):
    assert len(source_urls) > 400


def test_no_address_is_shared_by_two_source_nodes(source_urls):
    owners: dict[str, list[str]] = defaultdict(list)
    for source, urls in source_urls.items():
        for url in urls:
            owners[url].append(str(source))
    assert {url: nodes for url, nodes in owners.items() if len(nodes) > 1} == {}


def test_each_host_has_one_spelling(source_urls):
    hosts = {urlsplit(url).hostname or "" for urls in source_urls.values() for url in urls}
    assert sorted(h for h in hosts if h in CANONICAL_HOSTS) == []
    assert sorted(h for h in hosts if h.endswith(".") or ".m.wikipedia.org" in h) == []
    bare = {h.removeprefix("www.") for h in hosts}
    both = sorted(h for h in bare if h in hosts and f"www.{h}" in hosts)
    assert both == []
