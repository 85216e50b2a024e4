"""The crewed programme: counts per series, crews seat by seat, crew exchanges, time in space.

Expected values were checked against the sources each flight and seat cites (see the
``sources`` query); the launch and landing times behind the time-in-space totals are UTC.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef

from roscosmos_graph import KnowledgeGraph
from roscosmos_graph.namespaces import curie


def table(kg: KnowledgeGraph, name: str, columns: tuple[str, ...], **params: str) -> list:
    result = kg.query(name, **params)
    index = [result.variables.index(c) for c in columns]
    return [tuple(None if row[i] is None else curie(str(row[i])) if isinstance(row[i], URIRef)
                  else str(row[i]) for i in index) for row in result.rows]


def test_crewed_launches_per_series(kg):
    rows = kg.sparql("""
        SELECT ?model (COUNT(?flight) AS ?launches) WHERE {
          ?flight a rsg:Spaceflight ; rsg:model ?model ; rsg:crewed true .
        } GROUP BY ?model ORDER BY ?model""")
    assert {curie(str(m)): int(n) for m, n in rows.rows} == {
        "id:crew-dragon": 10,
        "id:soyuz-7k-ok": 8,
        "id:soyuz-7k-oks": 2,
        "id:soyuz-7k-t": 25,
        "id:soyuz-7k-tm": 3,
        "id:soyuz-ms": 26,
        "id:soyuz-t": 15,
        "id:soyuz-tm": 33,
        "id:soyuz-tma": 22,
        "id:soyuz-tma-m": 20,
        "id:space-shuttle": 22,
        "id:starliner": 1,
        "id:voskhod-spacecraft": 2,
        "id:vostok-spacecraft": 6,
    }


def test_flights_launched_without_a_crew_are_marked(kg):
    rows = table(kg, "missions", ("flight",))
    crew_vehicles = [r[0] for r in rows if r[0].startswith("id:soyuz")]
    assert crew_vehicles == ["id:soyuz-2", "id:soyuz-20", "id:soyuz-34", "id:soyuz-ms-14",
                             "id:soyuz-ms-23"]


CREWS = {
    "id:vostok-6": [("launch and landing", "id:valentina-tereshkova", "pilot", None)],
    "id:soyuz-tm-19": [
        ("landing", "id:ulf-merbold", "research cosmonaut", None),
        ("launch and landing", "id:yuri-malenchenko", "commander", "Mir EO-16"),
        ("launch and landing", "id:talgat-musabayev", "flight engineer", "Mir EO-16"),
    ],
    "id:soyuz-tma-13": [
        ("landing", "id:charles-simonyi", "spaceflight participant", None),
        ("launch", "id:richard-garriott", "spaceflight participant", None),
        ("launch and landing", "id:yuri-lonchakov", "commander", "Expedition 18"),
        ("launch and landing", "id:michael-fincke", "flight engineer", "Expedition 18"),
    ],
    "id:soyuz-tma-16m": [
        ("landing", "id:aidyn-aimbetov", "flight engineer", None),
        ("landing", "id:andreas-mogensen", "flight engineer", None),
        *[("launch", person, "flight engineer", f"Expedition {n}")
          for person in ("id:mikhail-kornienko", "id:scott-kelly-astronaut")
          for n in (43, 44, 45, 46)],
        ("launch and landing", "id:gennady-padalka", "commander", "Expedition 43"),
        ("launch and landing", "id:gennady-padalka", "commander", "Expedition 44"),
    ],
    "id:soyuz-ms-23": [
        ("landing", "id:sergey-prokopyev", "commander", None),
        ("landing", "id:dmitry-petelin", None, None),
        ("landing", "id:frank-rubio", None, None),
    ],
}


@pytest.mark.parametrize("flight", sorted(CREWS))
def test_crew_of_a_flight_seat_by_seat(kg, flight):
    got = table(kg, "crew", ("phase", "person", "role", "expedition"), flight=flight)
    assert sorted(got, key=str) == sorted(CREWS[flight], key=str)


SHUTTLE_MIR_EXCHANGES = {
    "id:sts-71": (["id:anatoly-solovyev", "id:nikolai-budarin"],
                  ["id:gennady-strekalov", "id:norman-thagard", "id:vladimir-dezhurov"]),
    "id:sts-79": (["id:john-e-blaha"], ["id:shannon-lucid"]),
    "id:sts-81": (["id:jerry-m-linenger"], ["id:john-e-blaha"]),
    "id:sts-84": (["id:michael-foale"], ["id:jerry-m-linenger"]),
    "id:sts-86": (["id:david-a-wolf"], ["id:michael-foale"]),
    "id:sts-89": (["id:andy-thomas"], ["id:david-a-wolf"]),
    "id:sts-91": ([], ["id:andy-thomas"]),
}


@pytest.mark.parametrize("flight", sorted(SHUTTLE_MIR_EXCHANGES))
def test_shuttle_mir_crew_exchanges(kg, flight):
    rows = table(kg, "crew", ("phase", "person"), flight=flight)
    up = sorted(p for phase, p in rows if phase == "launch")
    down = sorted(p for phase, p in rows if phase == "landing")
    assert (up, down) == tuple(sorted(side) for side in SHUTTLE_MIR_EXCHANGES[flight])


def test_top_of_the_time_in_space_ranking(kg):
    top = table(kg, "time-in-space", ("person", "stays", "totalDays"))[:8]
    assert top == [
        ("id:oleg-kononenko", "5", "1110.62"),
        ("id:gennady-padalka", "5", "878.48"),
        ("id:yuri-malenchenko", "6", "827.8"),
        ("id:sergei-krikalev", "6", "803.6"),
        ("id:aleksandr-kaleri", "5", "769.27"),
        ("id:sergei-avdeyev", "3", "747.59"),
        ("id:anton-shkaplerov", "4", "709.02"),
        ("id:valeri-polyakov", "2", "678.69"),
    ]


def test_crewed_launches_of_a_year(kg):
    assert table(kg, "flights", ("flight",), **{"from": "2008-01-01", "to": "2008-12-31"}) == [
        ("id:soyuz-tma-12",), ("id:soyuz-tma-13",)]


def test_flights_that_docked_to_mir_in_1995(kg):
    rows = table(kg, "flights", ("flight",), station="id:mir",
                 **{"from": "1995-01-01", "to": "1995-12-31"})
    assert rows == [("id:soyuz-tm-21",), ("id:sts-71",), ("id:soyuz-tm-22",), ("id:sts-74",)]


def test_flights_of_a_person_and_who_flew_with_them(kg):
    assert table(kg, "flights-of", ("flight", "phase", "role"), person="id:gennady-padalka") == [
        ("id:soyuz-tm-28", "launch and landing", "commander"),
        ("id:soyuz-tma-4", "launch and landing", "commander"),
        ("id:soyuz-tma-14", "launch and landing", "commander"),
        ("id:soyuz-tma-04m", "launch and landing", "commander"),
        ("id:soyuz-tma-16m", "launch and landing", "commander"),
    ]
    crewmates = {row[0] for row in table(kg, "flew-with", ("other",), person="Геннадий Падалка")}
    assert crewmates == {
        "id:aidyn-aimbetov", "id:andre-kuipers", "id:andreas-mogensen", "id:charles-simonyi",
        "id:guy-laliberte", "id:ivan-bella", "id:joseph-acaba", "id:michael-barratt",
        "id:michael-fincke", "id:mikhail-kornienko", "id:scott-kelly-astronaut",
        "id:sergei-avdeyev", "id:sergei-revin", "id:yuri-baturin", "id:yuri-shargin"}
