"""Our vocabulary as a closed namespace, the instance namespace and the prefix map."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["ASSERTED_GRAPH", "ID", "INFERRED_GRAPH", "ONTOLOGY_IRI", "PREFIXES", "RSG", "curie"]

ONTOLOGY_IRI = "https://w3id.org/roscosmos-graph/def"
"""The ontology's IRI; its terms are ``ONTOLOGY_IRI + '#' + name``."""

ASSERTED_GRAPH = URIRef("https://w3id.org/roscosmos-graph/graph/asserted")
"""Named graph of the triples written in the ontology and data files."""

INFERRED_GRAPH = URIRef("https://w3id.org/roscosmos-graph/graph/inferred")
"""Named graph of the useful triples the OWL 2 RL reasoner adds."""

ID = Namespace("https://w3id.org/roscosmos-graph/id/")
"""Instances: readable slugs such as ``ID['dmitry-rogozin']``."""


class RSG(DefinedNamespace):
    """The terms declared in ``ontology/``; a misspelt term fails at attribute access.

    >>> RSG.SpaceAgency
    rdflib.term.URIRef('https://w3id.org/roscosmos-graph/def#SpaceAgency')
    """

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Classes
    Agreement: object
    Appointment: object
    ChangeEvent: object
    ChangeOfCommand: object
    City: object
    Claim: object
    Company: object
    Cooperation: object
    CooperationEvent: object
    CooperationStatus: object
    Cosmodrome: object
    Country: object
    CrewRole: object
    CrewSeat: object
    DerivedValue: object
    Dismissal: object
    Docking: object
    Establishment: object
    Event: object
    Expedition: object
    Facility: object
    Headquarters: object
    LaunchPad: object
    LaunchVehicle: object
    Merger: object
    Milestone: object
    MissionControlCentre: object
    NewsItem: object
    Organization: object
    Outcome: object
    Person: object
    PersonnelEvent: object
    Place: object
    Programme: object
    Region: object
    Restructuring: object
    Role: object
    Signing: object
    Source: object
    SourceDisagreement: object
    SourceGap: object
    SpaceAgency: object
    SpaceProgramme: object
    SpaceStation: object
    Spacecraft: object
    SpacecraftModel: object
    Spaceflight: object
    StateCorporation: object
    StationModule: object
    Suspension: object
    Tenure: object
    Termination: object
    TrainingCentre: object
    # Properties
    aboard: object
    about: object
    actor: object
    callSign: object
    checkedOn: object
    claimant: object
    concerns: object
    cooperation: object
    country: object
    crewMember: object
    crewRole: object
    crewed: object
    destination: object
    directPredecessor: object
    directSuccessor: object
    expedition: object
    facilityOf: object
    firstFlight: object
    flewOn: object
    flight: object
    forProperty: object
    hasFacility: object
    hasPredecessor: object
    hasSuccessor: object
    headquarteredIn: object
    incomingCommander: object
    involves: object
    landingCrewMember: object
    landingDate: object
    landingSeat: object
    landingTime: object
    lastFlight: object
    launchCrewMember: object
    launchDate: object
    launchPad: object
    launchSeat: object
    launchSite: object
    launchTime: object
    launchVehicle: object
    locatedIn: object
    manufacturer: object
    mentionedIn: object
    mentions: object
    mirrorOf: object
    model: object
    moduleOf: object
    occupant: object
    onProperty: object
    operatedBy: object
    operates: object
    organization: object
    outcome: object
    outgoingCommander: object
    party: object
    person: object
    port: object
    postTitle: object
    reportedIn: object
    spacecraft: object
    statedValue: object
    station: object
    status: object
    summary: object
    tenure: object
    undockingDate: object

PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "id": str(ID),
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
