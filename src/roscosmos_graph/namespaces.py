"""Our vocabulary as a closed namespace, the instance namespace and the prefix map."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .prefixes import (
    ASSERTED_GRAPH_IRI,
    ID_IRI,
    INFERRED_GRAPH_IRI,
    ONTOLOGY_IRI,
    PREFIXES,
    curie,
)

__all__ = ["ASSERTED_GRAPH", "ID", "INFERRED_GRAPH", "ONTOLOGY_IRI", "PREFIXES", "RSG", "curie"]

ASSERTED_GRAPH = URIRef(ASSERTED_GRAPH_IRI)
"""Named graph of the triples written in the ontology and data files."""

INFERRED_GRAPH = URIRef(INFERRED_GRAPH_IRI)
"""Named graph of the useful triples the OWL 2 RL reasoner adds."""

ID = Namespace(ID_IRI)
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
