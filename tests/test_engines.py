"""The fast reasoner (``reasonable``) gives the same useful inferences as owlrl, the reference."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import OWL, RDF, Graph, Literal, URIRef

from roscosmos_graph.namespaces import ID, curie
from roscosmos_graph.reasoning import ENGINES, infer, is_useful
from roscosmos_graph.resources import data_files, ontology_files

RSG = "https://w3id.org/roscosmos-graph/def#"


@pytest.fixture(scope="module")
def asserted() -> Graph:
    graph = Graph()
    for path in [*ontology_files(), *data_files()]:
        graph.parse(path, format="turtle")
    return graph


class Inferred(dict[str, Graph]):
    """Each engine's inferred graph, computed when first asked for (owlrl takes a minute)."""

    def __init__(self, asserted: Graph) -> None:
        super().__init__()
        self.asserted = asserted

    def __missing__(self, engine: str) -> Graph:
        self[engine] = infer(self.asserted, engine=engine)  # type: ignore[arg-type]
        return self[engine]


@pytest.fixture(scope="module")
def inferred(asserted: Graph) -> Inferred:
    return Inferred(asserted)


# owlrl, the reference, takes about a minute on the shipped graph: its checks are slow-tier
EACH_ENGINE = [pytest.param(e, marks=pytest.mark.slow) if e == "owlrl" else e for e in ENGINES]


def _about_entities(graph: Graph) -> set[tuple]:
    return {t for t in graph if isinstance(t[0], URIRef) and str(t[0]).startswith(str(ID))}


def _describe(triples: set[tuple]) -> str:
    by_predicate = Counter(curie(str(p)) for _, p, _ in triples)
    sample = sorted(triples)[:5]
    return f"{len(triples)} triples by predicate {dict(by_predicate)}; e.g. {sample}"


@pytest.mark.slow
def test_reasonable_agrees_with_owlrl_on_the_shipped_graph(inferred: Inferred):
    reference = _about_entities(inferred["owlrl"])
    fast = _about_entities(inferred["reasonable"])
    assert reference, "owlrl inferred nothing about the entities"
    assert not reference - fast, "only owlrl: " + _describe(reference - fast)
    assert not fast - reference, "only reasonable: " + _describe(fast - reference)


@pytest.mark.slow
def test_both_engines_keep_the_same_useful_triples_overall(inferred: Inferred):
    assert set(inferred["owlrl"]) == set(inferred["reasonable"])


@pytest.mark.parametrize("engine", EACH_ENGINE)
def test_property_chain_gives_direct_lineage(engine: str, inferred: Inferred):
    """owl:propertyChainAxiom (prp-spo2), which reasonable 0.4 lacks, is completed in Python."""
    direct = URIRef(RSG + "directPredecessor")
    transitive = URIRef(RSG + "hasPredecessor")
    successor = URIRef(RSG + "hasSuccessor")
    roscosmos = ID["roscosmos"]
    graph = inferred[engine]
    assert (roscosmos, direct, ID["federal-space-agency"]) in graph
    assert (roscosmos, transitive, ID["soviet-space-programme"]) in graph
    assert (ID["soviet-space-programme"], successor, roscosmos) in graph


@pytest.mark.parametrize("engine", EACH_ENGINE)
def test_no_trivial_triples_are_kept(engine: str, inferred: Inferred, asserted: Graph):
    graph = inferred[engine]
    assert len(graph) > 0
    assert not [t for t in graph if isinstance(t[0], Literal)], "literal subjects kept"
    assert not [t for t in graph if t[1] == OWL.sameAs and t[0] == t[2]], "x owl:sameAs x kept"
    assert not [t for t in graph if t[1] == RDF.type and t[2] in (OWL.Thing, OWL.NamedIndividual)]
    assert all(is_useful(t) for t in graph)
    assert not [t for t in graph if t in asserted], "asserted triples repeated as inferred"


@pytest.mark.parametrize("engine", EACH_ENGINE)
def test_inferred_graph_serialises_as_n_triples(engine: str, inferred: Inferred):
    text = inferred[engine].serialize(format="nt")
    assert len(Graph().parse(data=text, format="nt")) == len(inferred[engine])
