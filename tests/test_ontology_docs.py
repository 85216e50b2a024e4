"""The ontology's documentation page: valid HTML, every term with its labels, nothing fetched."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from roscosmos_graph.cli import EXIT_OK, main
from roscosmos_graph.namespaces import RSG
from roscosmos_graph.ontology_docs import ontology_docs_html

NS = str(RSG._NS)
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
RESOURCE_ATTRIBUTES = {"src", "href", "srcset", "data", "poster", "background", "action"}


@pytest.fixture(scope="module")
def page() -> str:
    return ontology_docs_html()


@pytest.fixture(scope="module")
def tree(page) -> ET.Element:
    """The page parsed by html5lib in strict mode, which raises on any parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def _terms(kg) -> list[URIRef]:
    return sorted({s for t in TERM_TYPES for s in kg.ontology.subjects(RDF.type, t)
                   if isinstance(s, URIRef) and s.startswith(NS)})


def _entry(tree: ET.Element, term: URIRef) -> ET.Element:
    """The ``div`` documenting ``term``: the one whose IRI row names it."""
    entries = [div for div in tree.iter("div") if "entity" in div.get("class", "").split()
               and _text(div.find("table/tbody/tr/td/code")) == str(term)]
    assert len(entries) == 1, f"{len(entries)} entries for {term}"
    return entries[0]


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_page_is_html_with_the_ontology_title(tree):
    assert tree.tag == "html"
    assert _text(tree.find("head/title")) == "Roscosmos Graph ontology"


def test_every_class_and_property_is_named_with_its_labels(kg, tree):
    terms = _terms(kg)
    assert len(terms) >= 40
    for term in terms:
        heading = _text(_entry(tree, term).find("h3"))
        labels = {o.language: str(o) for o in kg.ontology.objects(term, RDFS.label)
                  if isinstance(o, Literal)}
        assert labels.get("en"), f"{term} has no English label"
        assert heading.startswith(labels["en"]), (term, heading)
        if "ru" in labels:
            assert labels["ru"] in heading, (term, heading)


def test_definitions_domains_and_ranges_are_shown(kg, tree):
    shown = 0
    for term in _terms(kg):
        entry = _entry(tree, term)
        text = _text(entry)
        for definition in kg.ontology.objects(term, SKOS.definition):
            assert " ".join(str(definition).split()) in text, term
        links = {a.get("href") for a in entry.iter("a")}
        for predicate in (RDFS.domain, RDFS.range):
            for target in kg.ontology.objects(term, predicate):
                if isinstance(target, URIRef) and target.startswith(NS):
                    assert f"#{_entry(tree, target).get('id')}" in links, (term, target)
                    shown += 1
    assert shown >= 20


def test_reused_vocabularies_are_listed(tree):
    namespaces = _text(tree.find(".//div[@id='namespaces']"))
    for iri in ("http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "https://schema.org/",
                "http://www.w3.org/2004/02/skos/core#", "http://xmlns.com/foaf/0.1/",
                "http://purl.org/dc/terms/", NS):
        assert iri in namespaces


def test_page_loads_nothing_from_outside(tree):
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag == "a":
            continue  # a hyperlink is followed only when a reader clicks it
        for name in RESOURCE_ATTRIBUTES & set(element.attrib):
            value = element.get(name, "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), \
                f"<{element.tag} {name}={value!r}> loads a resource from outside the page"
    css = " ".join([*(style.text or "" for style in tree.iter("style")),
                    *(element.get("style", "") for element in tree.iter()
                      if isinstance(element.tag, str))])
    assert "@import" not in css
    assert all(url.startswith("data:")
               for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css))
    assert tree.findall(".//link[@rel='icon']"), "the icons are inlined as data: URIs"


def test_same_bytes_every_time(page):
    assert ontology_docs_html() == page


def test_the_root_logger_is_left_as_it_was():
    root = logging.getLogger()
    before = (root.handlers[:], root.level)
    ontology_docs_html(Graph().parse(data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <urn:x:onto> a owl:Ontology ; dcterms:title "A" .""", format="turtle"))
    assert (root.handlers, root.level) == before


def test_docs_command_writes_the_page(tmp_path, capsys, page):
    output = tmp_path / "ontology.html"
    assert main(["docs", "-o", str(output)]) == EXIT_OK
    assert output.read_text(encoding="utf-8") == page
    assert capsys.readouterr().out == f"wrote {output}\n"
