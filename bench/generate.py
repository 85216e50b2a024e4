"""Seeded generator of synthetic Turtle graphs shaped like the roscosmos-graph data.

The output follows ontology/roscosmos.ttl and CONTRIBUTING.md and is meant to conform to
the shapes in shapes/ when validated together with the ontology alone (it is a stand-alone
data set: it carries its own copy of the role and status vocabulary, a country ``id:russia``,
an agency ``id:roscosmos`` and a station ``id:iss``, so the canned queries find something).
Do not load it on top of the shipped data: its anchors would clash with the real ones.

It repeats one "cluster" of related entities until the target triple count is reached:
a region and a city with coordinates, a cosmodrome, organisations with a lineage of change
events (restructuring, merger) ending in a newer agency, people with English and Russian
labels, birth dates and dated corps tenures, spacecraft and spaceflights with launch and
landing dates and crew seats (occupant and crew role), changes of ISS command, dockings, an
agreement with a signing, a claim, and news items that mention the cluster's entities. Every
fact-bearing node has ``prov:wasDerivedFrom`` to an ``rsg:Source`` with a ``schema:url``, and
the facts that need a statement-level source (dates, places, launch site and vehicle, links
out) cite it through ``prov:qualifiedDerivation``.

    python bench/generate.py --triples 100000 --seed 1 -o /tmp/g100k.ttl

The same ``--triples`` and ``--seed`` always give byte-identical output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

PREFIXES = """\
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix id: <https://w3id.org/roscosmos-graph/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix pos: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rsg: <https://w3id.org/roscosmos-graph/def#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

_EN_FIRST = ["Ivan", "Pavel", "Oleg", "Sergey", "Anton", "Yuri", "Denis", "Anna", "Elena",
             "Nikolai", "Andrey", "Maxim", "Pyotr", "Alexei", "Olga", "Irina"]
_RU_FIRST = ["Иван", "Павел", "Олег", "Сергей", "Антон", "Юрий", "Денис", "Анна", "Елена",
             "Николай", "Андрей", "Максим", "Пётр", "Алексей", "Ольга", "Ирина"]
_EN_LAST = ["Volkov", "Sokolov", "Orlov", "Belov", "Titov", "Zorin", "Lebedev", "Morozov",
            "Kozlov", "Novikov", "Popov", "Petrov"]
_RU_LAST = ["Волков", "Соколов", "Орлов", "Белов", "Титов", "Зорин", "Лебедев", "Морозов",
            "Козлов", "Новиков", "Попов", "Петров"]

_ROLES = [
    ("role-head-of-agency", "head of the Russian space agency",
     "руководитель российского космического агентства"),
    ("role-cosmonaut", "cosmonaut", "космонавт"),
    ("role-astronaut", "astronaut", "астронавт"),
    ("role-iss-commander", "ISS commander", "командир МКС"),  # noqa: RUF001
    ("role-spaceflight-participant", "spaceflight participant", "участник космического полёта"),
]
_CREW_ROLES = [("commander", "commander", "командир корабля"),
               ("flight-engineer", "flight engineer", "бортинженер")]
_STATUSES = [("proposed", "предложено"), ("signed", "подписано"), ("active", "действует"),
             ("suspended", "приостановлено"), ("terminated", "прекращено")]

_PEOPLE_PER_CLUSTER = 8
_FLIGHTS_PER_CLUSTER = 3
_NEWS_PER_CLUSTER = 3
_HEADS_EVERY = 10
"""One head-of-agency tenure per this many clusters (the overlap rule compares all pairs)."""
_MAX_HEADS = 60


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _date(day: dt.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


_CITED = frozenset({
    "schema:birthDate", "schema:deathDate", "schema:birthPlace", "schema:foundingDate",
    "schema:dissolutionDate", "rsg:launchDate", "rsg:launchTime", "rsg:landingDate",
    "rsg:landingTime", "rsg:launchSite", "rsg:launchPad", "rsg:launchVehicle",
    "foaf:isPrimaryTopicOf", "skos:exactMatch"})
"""Properties whose every value names its source (``rsgsh:CitedFactShape``)."""


def _dec(value: float) -> str:
    return f'"{value:.4f}"^^xsd:decimal'


class _Writer:
    """Collects subject blocks and counts the triples written."""

    def __init__(self) -> None:
        self.parts: list[str] = [PREFIXES]
        self.triples = 0

    def block(self, subject: str, *pairs: tuple[str, str | list[str]]) -> None:
        """Write one subject; facts that need a statement-level source cite the node's own."""
        lines = []
        cited = sorted({p for p, v in pairs if p in _CITED and v})
        source = next((v for p, v in pairs if p == "prov:wasDerivedFrom"), None)
        if cited and isinstance(source, str):
            pairs = (*pairs, ("prov:qualifiedDerivation",
                              f"[ prov:entity {source} ; rsg:forProperty {' , '.join(cited)} ]"))
            self.triples += 1 + len(cited)
        for predicate, value in pairs:
            values = value if isinstance(value, list) else [value]
            if not values:
                continue
            self.triples += len(values)
            lines.append(f"    {predicate} {' , '.join(values)}")
        self.parts.append(f"\n{subject}\n" + " ;\n".join(lines) + " .\n")

    def source(self, slug: str, title: str) -> str:
        node = f"id:src-{slug}"
        self.block(node, ("a", "rsg:Source"), ("dcterms:title", _lit(title)),
                   ("dcterms:publisher", _lit("Synthetic Benchmark Press")),
                   ("schema:url", f"<https://example.org/bench/{slug}>"))
        return node

    def banner(self, text: str) -> None:
        self.parts.append(f"\n# {'=' * 77}\n# {text}\n# {'=' * 77}\n")


def _anchors(w: _Writer) -> None:
    w.banner("Vocabulary and anchors")
    w.block("id:roles", ("a", "skos:ConceptScheme"),
            ("rdfs:label", [_lit("Roles", "en"), _lit("Роли", "ru")]))
    for slug, en, ru in _ROLES:
        w.block(f"id:{slug}", ("a", "rsg:Role"), ("rdfs:label", [_lit(en, "en"), _lit(ru, "ru")]),
                ("skos:inScheme", "id:roles"))
    w.block("id:crew-roles", ("a", "skos:ConceptScheme"),
            ("rdfs:label", _lit("Crew roles", "en")))
    for slug, en, ru in _CREW_ROLES:
        w.block(f"id:crew-role-{slug}", ("a", "rsg:CrewRole"),
                ("rdfs:label", [_lit(en, "en"), _lit(ru, "ru")]),
                ("skos:inScheme", "id:crew-roles"))
    w.block("id:cooperation-statuses", ("a", "skos:ConceptScheme"),
            ("rdfs:label", _lit("Cooperation statuses", "en")))
    for en, ru in _STATUSES:
        w.block(f"id:status-{en}", ("a", "rsg:CooperationStatus"),
                ("rdfs:label", [_lit(en, "en"), _lit(ru, "ru")]),
                ("skos:inScheme", "id:cooperation-statuses"))
    src = w.source("anchors", "Benchmark anchors")
    w.block("id:russia", ("a", "rsg:Country"),
            ("rdfs:label", [_lit("Russia", "en"), _lit("Россия", "ru")]),
            ("pos:lat", _dec(61.5)), ("pos:long", _dec(105.3)),
            ("foaf:isPrimaryTopicOf", "<https://en.wikipedia.org/wiki/Russia>"),
            ("prov:wasDerivedFrom", src))
    w.block("id:roscosmos", ("a", "rsg:StateCorporation"),
            ("rdfs:label", [_lit("Roscosmos", "en"), _lit("Роскосмос", "ru")]),
            ("schema:foundingDate", _date(dt.date(1992, 2, 25))), ("rsg:country", "id:russia"),
            ("foaf:isPrimaryTopicOf", "<https://en.wikipedia.org/wiki/Roscosmos>"),
            ("prov:wasDerivedFrom", src))
    w.block("id:iss-model", ("a", "rsg:SpacecraftModel"),
            ("rdfs:label", _lit("ISS modules", "en")), ("rsg:country", "id:russia"),
            ("foaf:isPrimaryTopicOf", "<https://en.wikipedia.org/wiki/ISS>"),
            ("prov:wasDerivedFrom", src))
    w.block("id:iss", ("a", "rsg:SpaceStation"),
            ("rdfs:label", [_lit("International Space Station", "en"),
                            _lit("Международная космическая станция", "ru")]),
            ("rsg:model", "id:iss-model"), ("rsg:operatedBy", "id:roscosmos"),
            ("foaf:isPrimaryTopicOf", "<https://en.wikipedia.org/wiki/ISS>"),
            ("prov:wasDerivedFrom", src))
    w.block("id:soyuz-model", ("a", "rsg:SpacecraftModel"),
            ("rdfs:label", [_lit("Soyuz", "en"), _lit("Союз", "ru")]),
            ("rsg:manufacturer", "id:roscosmos"), ("rsg:country", "id:russia"),
            ("foaf:isPrimaryTopicOf", "<https://en.wikipedia.org/wiki/Soyuz>"),
            ("prov:wasDerivedFrom", src))


def _cluster(w: _Writer, k: int, rng: random.Random, state: dict[str, object]) -> None:
    c = f"c{k}"
    w.banner(f"Cluster {k}")
    src = w.source(f"wikipedia-cluster-{k}", f"Cluster {k}")
    wiki = f"<https://en.wikipedia.org/wiki/Cluster_{k}>"

    def labels(en: str, ru: str | None) -> tuple[str, list[str]]:
        return ("rdfs:label", [_lit(en, "en")] + ([_lit(ru, "ru")] if ru else []))

    # Places
    lat, lon = rng.uniform(42, 70), rng.uniform(20, 170)
    w.block(f"id:region-{c}", ("a", "rsg:Region"), labels(f"Region {k}", f"Область {k}"),
            ("rsg:locatedIn", "id:russia"), ("pos:lat", _dec(lat)), ("pos:long", _dec(lon)),
            ("foaf:isPrimaryTopicOf", wiki), ("prov:wasDerivedFrom", src))
    w.block(f"id:city-{c}", ("a", "rsg:City"), labels(f"City {k}", f"Город {k}"),
            ("rsg:locatedIn", f"id:region-{c}"), ("pos:lat", _dec(lat + 0.1)),
            ("pos:long", _dec(lon + 0.1)), ("foaf:isPrimaryTopicOf", wiki),
            ("prov:wasDerivedFrom", src))

    # Organisations and lineage: a -> b (restructuring), b + m -> n (merger)
    founded = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 9000))
    orgs = {}
    for i, suffix in enumerate(("a", "b", "m", "n")):
        node = f"id:agency-{c}-{suffix}"
        orgs[suffix] = node
        start = founded + dt.timedelta(days=1500 * (i if suffix != "m" else 0) + i)
        kind = "rsg:SpaceAgency" if suffix != "m" else "rsg:Company"
        pairs: list[tuple[str, str | list[str]]] = [
            ("a", kind), labels(f"Agency {k}{suffix.upper()}", f"Агентство {k}{suffix.upper()}"),
            ("schema:foundingDate", _date(start)), ("rsg:country", "id:russia"),
            ("rsg:headquarteredIn", f"id:city-{c}"), ("foaf:isPrimaryTopicOf", wiki),
            ("prov:wasDerivedFrom", src)]
        state.setdefault("founded", {})[node] = start  # type: ignore[union-attr]
        w.block(node, *pairs)
    founding: dict[str, dt.date] = state["founded"]  # type: ignore[assignment]
    restructure = founding[orgs["b"]]
    w.block(f"id:restructuring-{c}", ("a", "rsg:Restructuring"),
            labels(f"Restructuring {k}", None), ("dcterms:date", _date(restructure)),
            ("org:originalOrganization", orgs["a"]), ("org:resultingOrganization", orgs["b"]),
            ("prov:wasDerivedFrom", src))
    merge = founding[orgs["n"]]
    w.block(f"id:merger-{c}", ("a", "rsg:Merger"), labels(f"Merger {k}", None),
            ("dcterms:date", _date(merge)),
            ("org:originalOrganization", [orgs["b"], orgs["m"]]),
            ("org:resultingOrganization", orgs["n"]), ("prov:wasDerivedFrom", src))
    agency = orgs["n"]

    # Facility
    w.block(f"id:cosmodrome-{c}", ("a", "rsg:Cosmodrome"),
            labels(f"Cosmodrome {k}", f"Космодром {k}"), ("rsg:locatedIn", f"id:city-{c}"),
            ("pos:lat", _dec(lat + 0.2)), ("pos:long", _dec(lon + 0.2)),
            ("rsg:facilityOf", agency), ("rsg:operatedBy", agency),
            ("foaf:isPrimaryTopicOf", wiki), ("prov:wasDerivedFrom", src))

    # People and tenures
    people = []
    for i in range(_PEOPLE_PER_CLUSTER):
        f, last = rng.randrange(len(_EN_FIRST)), rng.randrange(len(_EN_LAST))
        node = f"id:person-{c}-{i}"
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 12000))
        people.append((node, birth))
        w.block(node, ("a", "rsg:Person"),
                labels(f"{_EN_FIRST[f]} {_EN_LAST[last]} {k}-{i}",
                       f"{_RU_FIRST[f]} {_RU_LAST[last]} {k}-{i}"),
                ("skos:altLabel", _lit(f"{_EN_FIRST[f][0]}. {_EN_LAST[last]} {k}-{i}", "en")),
                ("schema:birthDate", _date(birth)), ("rsg:country", "id:russia"),
                ("foaf:isPrimaryTopicOf", f"<https://en.wikipedia.org/wiki/Person_{k}_{i}>"),
                ("prov:wasDerivedFrom", src))
        # selected at 25 or later, and not before the agency was founded
        selected = max(birth + dt.timedelta(days=365 * 25 + rng.randrange(0, 2000)),
                       founding[agency])
        w.block(f"{node}-corps", ("a", "rsg:Tenure"), ("org:member", node),
                ("org:role", "id:role-cosmonaut"), ("org:organization", agency),
                ("schema:startDate", _date(selected)), ("prov:wasDerivedFrom", src))

    heads = int(state.setdefault("heads", 0))  # type: ignore[arg-type]
    if k % _HEADS_EVERY == 0 and heads < _MAX_HEADS:
        head, birth = people[0]
        start = dt.date(1992, 3, 1) + dt.timedelta(days=200 * heads)
        end = start + dt.timedelta(days=150)
        state["heads"] = heads + 1
        tenure = f"{head}-head-of-roscosmos"
        w.block(tenure, ("a", "rsg:Tenure"), ("org:member", head),
                ("org:role", "id:role-head-of-agency"), ("org:organization", "id:roscosmos"),
                ("rsg:postTitle", _lit("Director General", "en")),
                ("schema:startDate", _date(max(start, birth + dt.timedelta(days=1)))),
                ("schema:endDate", _date(end)), ("prov:wasDerivedFrom", src))
        w.block(f"id:appointment-{c}", ("a", "rsg:Appointment"),
                labels(f"Appointment {k}", None), ("dcterms:date", _date(start)),
                ("rsg:person", head), ("rsg:organization", "id:roscosmos"),
                ("rsg:tenure", tenure), ("prov:wasDerivedFrom", src))

    # Spacecraft, flights, dockings, changes of command
    # one after another, so that nobody is on two flights at once
    landing = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 7000))
    for j in range(_FLIGHTS_PER_CLUSTER):
        craft = f"id:soyuz-{c}-{j}"
        flight = f"id:flight-{c}-{j}"
        launch = landing + dt.timedelta(days=rng.randrange(1, 300))
        landing = launch + dt.timedelta(days=rng.randrange(2, 200))
        crew = rng.sample(people, 3)
        w.block(craft, ("a", "rsg:Spacecraft"), labels(f"Soyuz {k}-{j}", f"Союз {k}-{j}"),
                ("rsg:model", "id:soyuz-model"), ("rsg:operatedBy", agency),
                ("foaf:isPrimaryTopicOf", wiki), ("prov:wasDerivedFrom", src))
        w.block(flight, ("a", "rsg:Spaceflight"), labels(f"Flight {k}-{j}", f"Полёт {k}-{j}"),
                ("rsg:model", "id:soyuz-model"), ("rsg:spacecraft", craft),
                ("rsg:launchDate", _date(launch)), ("rsg:landingDate", _date(landing)),
                ("rsg:launchSite", f"id:cosmodrome-{c}"), ("rsg:destination", "id:iss"),
                ("rsg:operatedBy", agency),
                ("rsg:launchSeat", [f"{flight}-seat-{n}" for n in range(len(crew))]),
                ("rsg:landingSeat", [f"{flight}-seat-{n}" for n in range(len(crew))]),
                ("foaf:isPrimaryTopicOf", wiki), ("prov:wasDerivedFrom", src))
        for n, (person, _) in enumerate(crew):
            w.block(f"{flight}-seat-{n}", ("a", "rsg:CrewSeat"),
                    labels(f"Seat {n} of flight {k}-{j}", None), ("rsg:occupant", person),
                    ("rsg:crewRole", f"id:crew-role-{_CREW_ROLES[min(n, 1)][0]}"),
                    ("prov:wasDerivedFrom", src))
        w.block(f"id:docking-{c}-{j}", ("a", "rsg:Docking"), labels(f"Docking {k}-{j}", None),
                ("dcterms:date", _date(launch + dt.timedelta(days=1))), ("rsg:flight", flight),
                ("rsg:spacecraft", craft), ("rsg:station", "id:iss"),
                ("prov:wasDerivedFrom", src))
        w.block(f"id:command-{c}-{j}", ("a", "rsg:ChangeOfCommand"),
                labels(f"Change of command {k}-{j}", None),
                ("dcterms:date", _date(landing - dt.timedelta(days=1))),
                ("rsg:outgoingCommander", crew[0][0]), ("rsg:incomingCommander", crew[1][0]),
                ("rsg:station", "id:iss"), ("prov:wasDerivedFrom", src))

    # Cooperation
    signed = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(0, 9000))
    w.block(f"id:agreement-{c}", ("a", "rsg:Agreement"), labels(f"Agreement {k}", None),
            ("rsg:party", [agency, "id:roscosmos"]), ("rsg:status", "id:status-active"),
            ("schema:startDate", _date(signed)), ("prov:wasDerivedFrom", src))
    w.block(f"id:signing-{c}", ("a", "rsg:Signing"), labels(f"Signing {k}", None),
            ("dcterms:date", _date(signed)), ("rsg:cooperation", f"id:agreement-{c}"),
            ("rsg:actor", agency), ("prov:wasDerivedFrom", src))

    # News and a claim
    mentionable = [agency, f"id:city-{c}"] + [p for p, _ in people] + \
        [f"id:flight-{c}-{j}" for j in range(_FLIGHTS_PER_CLUSTER)]
    for j in range(_NEWS_PER_CLUSTER):
        published = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(0, 5000))
        w.block(f"id:news-{c}-{j}", ("a", "rsg:NewsItem"),
                ("schema:headline", _lit(f"Headline {k}-{j} about the programme", "en")),
                ("schema:datePublished", _date(published)),
                ("dcterms:publisher", _lit("Synthetic News")),
                ("schema:url", f"<https://example.org/news/{k}/{j}>"),
                ("rsg:mentions", sorted(rng.sample(mentionable, 3))),
                ("prov:wasDerivedFrom", src))
    w.block(f"id:claim-{c}", ("a", "rsg:Claim"), labels(f"Claim {k}", None),
            ("rsg:claimant", people[1][0]),
            ("dcterms:date", _date(dt.date(2015, 1, 1) + dt.timedelta(days=k % 3000))),
            ("rsg:summary", _lit(f"Said something about cluster {k}.", "en")),
            ("rsg:about", agency), ("rsg:reportedIn", f"id:news-{c}-0"),
            ("prov:wasDerivedFrom", src))


def generate(triples: int, seed: int) -> Iterator[str]:
    """Yield the Turtle text of a graph with at least ``triples`` triples (a cluster more)."""
    rng = random.Random(seed)
    w = _Writer()
    _anchors(w)
    state: dict[str, object] = {}
    k = 0
    while w.triples < triples:
        _cluster(w, k, rng, state)
        k += 1
        if len(w.parts) > 2000:
            yield from w.parts
            w.parts.clear()
    yield from w.parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000, help="target size (triples)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, help="the Turtle file (default stdout)")
    args = parser.parse_args(argv)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8") as out:
            out.writelines(generate(args.triples, args.seed))
    else:
        sys.stdout.writelines(generate(args.triples, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
