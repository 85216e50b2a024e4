"""The graph holds what the seed names, every fact has a source, and the reasoner derives
the inverse, transitive and chained triples the ontology declares."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from roscosmos_graph import KnowledgeGraph
from roscosmos_graph.namespaces import ID, RSG

SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"

# The seed's twenty headlines, verbatim and in seed order.
SEED_HEADLINES = (
    "Russia space chief backtracks on minimum date Roscosmos will leave ISS",
    "ROSCOSMOS said that a NASA delegation has arrived at the Baikonur Cosmodrome",
    "Russia: We’re not leaving the Space Station until our own is ready | Both NASA and "
    "Roscosmos are now saying Russia's departure won't be soon.",
    "Dmitry Rogozin is no Longer the Head of Roscosmos",
    "NASA, Russian space agency sign deal to share space station flights - Roscosmos",
    "The trampoline is now international: NASA and Roscosmos agree to seat swap",
    "Dmitry Rogozin has been dismissed as director general of Roscosmos",
    "NASA and Roscosmos continue seat barter discussions",
    "Roscosmos director: Alien life may be studying human civilization",
    "Russias Roscosmos Needs Over $15Bln For New Spacecraft, Nuclear-Powered Space Tug",
    "Russia will make its decision on astronaut seat-swap with NASA by June: Roscosmos Chief. "
    "If Anna Kikina's flight in the SpaceX Dragon capsule is approved, she would become the "
    "first female cosmonaut to fly in an American-made spacecraft",
    "The saga of Buran — the Soviet Spaceplane — is so murky that even the director of "
    "Roscosmos \"Tried to buy it, but I haven’t been able to figure out who owns it.” A Kazakh "
    "Billionaire claims custody, and he's willing to make a trade — but only for the skull of "
    "Kazakhstan’s last Khan.",
    "Will Russia leave the International Space Station? Take Roscosmos chief's words with a "
    "grain of salt",
    "Station Crew Changes Command to Roscosmos Flight Engineer Oleg Artemyev on Tuesday Ahead "
    "of Departure",
    "Russia's Roscosmos to cooperate with China in manned space flights",
    "Roscosmos Looks to Make Space Tourist Training Even Shorter",
    "NASA Astronaut Mark Vande Hei and Two Roscosmos Cosmonauts Returning to Earth Today",
    "ESA has suspended joint Mars programme with Russian space agency Roscosmos",
    "Safety of The ISS Has Once Again Been Threatened by Roscosmos Chief",
    "Atlantis (STS-71) docking with Mir, 1995. Remember when Russia used to be cool? "
    "[Credit: Roscosmos & NASA]",
)

# What each headline names (or, for "space chief" and "director", the person meant), by slug.
HEADLINE_SUBJECTS: dict[int, set[str]] = {
    1: {"roscosmos", "iss", "russia", "yury-borisov"},
    2: {"roscosmos", "nasa", "baikonur-cosmodrome"},
    3: {"russia", "nasa", "roscosmos", "iss"},
    4: {"dmitry-rogozin", "roscosmos", "dmitry-rogozin-head-of-agency"},
    5: {"nasa", "roscosmos", "iss", "nasa-roscosmos-integrated-crew-agreement"},
    6: {"nasa", "roscosmos", "nasa-roscosmos-integrated-crew-agreement"},
    7: {"dmitry-rogozin", "roscosmos", "dmitry-rogozin-head-of-agency"},
    8: {"nasa", "roscosmos", "nasa-roscosmos-integrated-crew-agreement"},
    9: {"roscosmos", "dmitry-rogozin"},
    10: {"roscosmos", "russia"},
    11: {"russia", "nasa", "roscosmos", "anna-kikina", "spacex", "crew-dragon",
         "nasa-roscosmos-integrated-crew-agreement"},
    12: {"buran-orbiter-model", "soviet-space-programme", "roscosmos", "dmitry-rogozin",
         "kazakhstan", "dauren-musa"},
    13: {"russia", "iss", "roscosmos", "dmitry-rogozin"},
    14: {"roscosmos", "oleg-artemyev", "iss", "iss-change-of-command-2022-05-04"},
    15: {"russia", "roscosmos", "china", "roscosmos-cnsa-crewed-spaceflight-cooperation"},
    16: {"roscosmos"},
    17: {"nasa", "mark-vande-hei", "roscosmos", "soyuz-ms-19", "anton-shkaplerov",
         "pyotr-dubrov"},
    18: {"esa", "roscosmos", "exomars", "exomars-suspension-2022"},
    19: {"iss", "roscosmos"},
    20: {"atlantis", "sts-71", "mir", "russia", "roscosmos", "nasa"},
}

# Every entity the seed names: slug -> (class, English label, Russian label or None).
SEED_ENTITIES: dict[str, tuple[str, str, str | None]] = {
    "soviet-space-programme": ("SpaceProgramme", "Soviet space programme",
                               "Космическая программа СССР"),
    "russian-space-agency": ("SpaceAgency", "Russian Space Agency",
                             "Российское космическое агентство"),
    "rosaviakosmos": ("SpaceAgency", "Russian Aviation and Space Agency",
                      "Российское авиационно-космическое агентство"),
    "federal-space-agency": ("SpaceAgency", "Federal Space Agency",
                             "Федеральное космическое агентство"),
    "united-rocket-and-space-corporation": ("Company", "United Rocket and Space Corporation",
                                            "Объединенная ракетно-космическая корпорация"),
    "roscosmos": ("StateCorporation", "Roscosmos", "Роскосмос"),
    "russia": ("Country", "Russia", "Россия"),
    "soviet-union": ("Country", "Soviet Union",
                     "Союз Советских Социалистических Республик"),
    "kazakhstan": ("Country", "Kazakhstan", "Республика Казахстан"),
    "china": ("Country", "China", None),
    "moscow": ("City", "Moscow", "Москва"),
    "korolyov": ("City", "Korolyov", "Королёв"),
    "star-city": ("City", "Star City", "Звёздный городок"),
    "moscow-oblast": ("Region", "Moscow Oblast", "Московская область"),
    "baikonur-cosmodrome": ("Cosmodrome", "Baikonur Cosmodrome", "Космодром Байконур"),
    "tsup": ("MissionControlCentre", "RKA Mission Control Center", "Центр управления полётами"),
    "gagarin-cosmonaut-training-center": (
        "TrainingCentre", "Yuri Gagarin Cosmonaut Training Center",
        "Центр подготовки космонавтов имени Ю. А. Гагарина"),
    "nasa": ("SpaceAgency", "NASA", None),
    "esa": ("SpaceAgency", "European Space Agency", None),
    "cnsa": ("SpaceAgency", "China National Space Administration", None),
    "spacex": ("Company", "SpaceX", None),
    "dmitry-rogozin": ("Person", "Dmitry Rogozin", "Дмитрий Рогозин"),
    "yury-borisov": ("Person", "Yury Borisov", "Юрий Борисов"),
    "oleg-artemyev": ("Person", "Oleg Artemyev", "Олег Артемьев"),
    "anna-kikina": ("Person", "Anna Kikina", "Анна Кикина"),
    "mark-vande-hei": ("Person", "Mark Vande Hei", None),
    "dauren-musa": ("Person", "Dauren Musa", "Даурен Муса"),
    "iss": ("SpaceStation", "International Space Station", None),
    "mir": ("SpaceStation", "Mir", "Мир"),
    "buran": ("Spacecraft", "Buran", "Буран"),
    "atlantis": ("Spacecraft", "Atlantis", None),
    "crew-dragon": ("SpacecraftModel", "Crew Dragon", None),
    "sts-71": ("Spaceflight", "STS-71", None),
    "nasa-roscosmos-integrated-crew-agreement": ("Agreement",
                                                 "NASA-Roscosmos integrated crew agreement",
                                                 None),
    "exomars": ("Programme", "ExoMars", None),
}

# Links the seed's text states, as (subject, property, object) over asserted and inferred.
SEED_LINKS = (
    ("establishment-1992", URIRef(ORG + "originalOrganization"), "soviet-space-programme"),
    ("establishment-1992", URIRef(ORG + "resultingOrganization"), "russian-space-agency"),
    ("restructuring-1999", URIRef(ORG + "originalOrganization"), "russian-space-agency"),
    ("restructuring-1999", URIRef(ORG + "resultingOrganization"), "rosaviakosmos"),
    ("restructuring-2004", URIRef(ORG + "originalOrganization"), "rosaviakosmos"),
    ("restructuring-2004", URIRef(ORG + "resultingOrganization"), "federal-space-agency"),
    ("merger-2015", URIRef(ORG + "originalOrganization"), "federal-space-agency"),
    ("merger-2015", URIRef(ORG + "originalOrganization"), "united-rocket-and-space-corporation"),
    ("merger-2015", URIRef(ORG + "resultingOrganization"), "roscosmos"),
    ("roscosmos", RSG.headquarteredIn, "moscow"),
    ("tsup", RSG.locatedIn, "korolyov"),
    ("tsup", RSG.facilityOf, "roscosmos"),
    ("gagarin-cosmonaut-training-center", RSG.locatedIn, "star-city"),
    ("gagarin-cosmonaut-training-center", RSG.facilityOf, "roscosmos"),
    ("star-city", RSG.locatedIn, "moscow-oblast"),
    ("korolyov", RSG.locatedIn, "moscow-oblast"),
    ("moscow-oblast", RSG.locatedIn, "russia"),
    ("baikonur-cosmodrome", RSG.locatedIn, "kazakhstan"),
    ("sts-71", RSG.spacecraft, "atlantis"),
    ("sts-71", RSG.destination, "mir"),
    ("soyuz-ms-21", RSG.crewMember, "oleg-artemyev"),
    ("soyuz-ms-19", RSG.crewMember, "mark-vande-hei"),
    ("spacex-crew-5", RSG.crewMember, "anna-kikina"),
    ("exomars-suspension-2022", RSG.actor, "esa"),
    ("exomars-suspension-2022", RSG.cooperation, "exomars"),
)

# Properties that only name, classify or file a node (a vocabulary term's scheme); any
# other property states a fact.
NAMING = {RDF.type, RDFS.label, SKOS.altLabel, SKOS.prefLabel, RDFS.comment,
          SKOS.inScheme, FOAF.isPrimaryTopicOf, SKOS.exactMatch, PROV.wasDerivedFrom,
          DCTERMS.source}


def _label(graph: Graph, node: URIRef, lang: str) -> set[str]:
    return {str(o) for o in graph.objects(node, RDFS.label)
            if isinstance(o, Literal) and o.language == lang}


@pytest.fixture(scope="module")
def closure(kg: KnowledgeGraph) -> Graph:
    """Asserted and inferred triples together."""
    graph = Graph()
    for part in (kg.asserted, kg.inferred):
        for triple in part:
            graph.add(triple)
    return graph


def test_the_twenty_headlines_are_news_items_verbatim(kg: KnowledgeGraph):
    items = set(kg.data.subjects(RDF.type, RSG.NewsItem))
    assert items == {ID[f"news-{n:02d}"] for n in range(1, 21)}
    headlines = {ID[f"news-{n:02d}"]: h for n, h in enumerate(SEED_HEADLINES, start=1)}
    for item, headline in headlines.items():
        assert list(kg.data.objects(item, URIRef(SCHEMA + "headline"))) == [Literal(headline)]


@pytest.mark.parametrize("number", sorted(HEADLINE_SUBJECTS))
def test_each_headline_is_linked_to_what_it_names(kg: KnowledgeGraph, number: int):
    item = ID[f"news-{number:02d}"]
    mentioned = set(kg.data.objects(item, RSG.mentions))
    assert {ID[slug] for slug in HEADLINE_SUBJECTS[number]} <= mentioned
    assert _label(kg.data, item, "en"), "news item without an English label"
    for entity in mentioned:
        # Tenures are n-ary role nodes, shown through their member and role, not a label.
        if (entity, RDF.type, RSG.Tenure) in kg.data:
            assert kg.data.value(entity, URIRef(ORG + "member")) is not None
        else:
            assert _label(kg.data, entity, "en"), f"{entity} mentioned but has no label"
    assert set(kg.data.objects(item, PROV.wasDerivedFrom)), "news item without a source"


@pytest.mark.parametrize("slug", sorted(SEED_ENTITIES))
def test_seed_entity_exists_with_its_labels(kg: KnowledgeGraph, slug: str):
    cls, english, russian = SEED_ENTITIES[slug]
    node = ID[slug]
    assert (node, RDF.type, RSG[cls]) in kg.data
    assert _label(kg.data, node, "en") == {english}
    assert _label(kg.data, node, "ru") == ({russian} if russian else set())


@pytest.mark.parametrize(("subject", "prop", "obj"), SEED_LINKS,
                         ids=[f"{s}-{p.split('#')[-1]}-{o}" for s, p, o in SEED_LINKS])
def test_seed_link_holds(closure: Graph, subject: str, prop: URIRef, obj: str):
    assert (ID[subject], prop, ID[obj]) in closure


def test_seed_dates(kg: KnowledgeGraph):
    date = DCTERMS.date
    assert kg.data.value(ID["establishment-1992"], date).toPython().isoformat() == "1992-02-25"
    assert kg.data.value(ID["restructuring-1999"], date).toPython().year == 1999
    assert kg.data.value(ID["restructuring-2004"], date).toPython().year == 2004
    assert kg.data.value(ID["merger-2015"], date).toPython().year == 2015


def test_every_fact_bearing_node_has_a_source(kg: KnowledgeGraph):
    sources = set(kg.data.subjects(RDF.type, RSG.Source))
    for source in sources - {ID["src-seed"]}:  # the seed is the project's own input text
        assert kg.data.value(source, URIRef(SCHEMA + "url")) is not None, source
        assert kg.data.value(source, DCTERMS.title) is not None, source
    citations = set(kg.data.objects(None, PROV.qualifiedDerivation))
    derived = set(kg.data.subjects(RDF.type, RSG.DerivedValue))
    for citation in citations:  # a stated fact names its source; a derived one, its premise
        entity = kg.data.value(citation, PROV.entity)
        assert entity in sources or (citation in derived and entity is not None), citation
        assert kg.data.value(citation, RSG.forProperty) is not None, citation
    gaps = set(kg.data.subjects(RDF.type, RSG.SourceGap))  # records that no source was found
    for gap in gaps:
        for prop in (RSG.concerns, RSG.onProperty, RSG.checkedOn):
            assert kg.data.value(gap, prop) is not None, (gap, prop)
    unsourced = []
    for node in set(kg.data.subjects()) - sources - citations - gaps:
        facts = {p for p in kg.data.predicates(node)} - NAMING - {PROV.qualifiedDerivation}
        cited = set(kg.data.objects(node, PROV.wasDerivedFrom)) | set(
            kg.data.objects(node, DCTERMS.source))
        qualified = set(kg.data.objects(node, PROV.qualifiedDerivation))
        if facts and not ((cited or qualified) and cited <= sources):
            unsourced.append(node)
    assert unsourced == []


def _declared(kg: KnowledgeGraph, kind: URIRef) -> set[URIRef]:
    return {p for p in kg.ontology.subjects(RDF.type, kind)}


def test_inverse_properties_are_derived(kg: KnowledgeGraph, closure: Graph):
    pairs = [(p, q) for p, q in kg.ontology.subject_objects(OWL.inverseOf)]
    assert pairs, "the ontology declares inverse properties"
    used = 0
    for p, q in pairs:
        for s, o in kg.asserted.subject_objects(p):
            assert (o, q, s) in closure, (s, p, o)
            used += 1
        for s, o in kg.asserted.subject_objects(q):
            assert (o, p, s) in closure, (s, q, o)
            used += 1
    assert used > 100


def test_inverse_examples(closure: Graph):
    assert (ID["oleg-artemyev"], RSG.flewOn, ID["soyuz-ms-21"]) in closure
    assert (ID["roscosmos"], RSG.hasFacility, ID["tsup"]) in closure
    assert (ID["iss"], RSG.mentionedIn, ID["news-14"]) in closure


def test_transitive_properties_are_closed(kg: KnowledgeGraph, closure: Graph):
    transitive = _declared(kg, OWL.TransitiveProperty)
    assert RSG.hasPredecessor in transitive and RSG.locatedIn in transitive
    for prop in transitive:
        pairs = set(closure.subject_objects(prop))
        for a, b in pairs:
            for c in closure.objects(b, prop):
                assert (a, c) in pairs, (a, prop, c)


def test_roscosmos_lineage_is_derived_through_the_chain(closure: Graph):
    direct = set(closure.objects(ID["roscosmos"], RSG.directPredecessor))
    assert direct == {ID["federal-space-agency"], ID["united-rocket-and-space-corporation"]}
    every = set(closure.objects(ID["roscosmos"], RSG.hasPredecessor))
    assert every == {ID[s] for s in ("federal-space-agency", "united-rocket-and-space-corporation",
                                     "rosaviakosmos", "russian-space-agency",
                                     "soviet-space-programme")}
    assert (ID["soviet-space-programme"], RSG.hasSuccessor, ID["roscosmos"]) in closure


def test_located_in_is_transitive_up_to_the_country(closure: Graph):
    assert (ID["gagarin-cosmonaut-training-center"], RSG.locatedIn, ID["russia"]) in closure
    assert (ID["tsup"], RSG.locatedIn, ID["russia"]) in closure


def test_sub_properties_are_derived(closure: Graph):
    assert (ID["sts-71"], RSG.crewMember, ID["norman-thagard"]) in closure  # landing crew only
    assert (ID["sts-71"], RSG.crewMember, ID["anatoly-solovyev"]) in closure  # launch crew
