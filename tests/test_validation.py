"""SHACL validation: the shipped graph conforms; each invalid fixture gives exactly its results."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import roscosmos_graph
from roscosmos_graph.cli import main

DATA = Path(__file__).parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.ttl"))
VALID = sorted((DATA / "valid").glob("*.ttl"))


def expected_keys(case: Path) -> set[tuple[str, str, str, str]]:
    lines = case.with_suffix(".expected.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {tuple(line.split("\t")) for line in lines if line.strip()}  # type: ignore[misc]


def test_fixtures_are_found():
    assert len(INVALID) >= 13 and len(VALID) >= 1


def test_shipped_graph_conforms(report):
    assert report.conforms, report.render("text")
    assert report.violations == ()


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_invalid_fixture_gives_exactly_its_results(report, case: Path):
    shipped = {r.key for r in report.results}
    got = roscosmos_graph.load([case], reason=False).validate()
    assert not got.conforms
    assert {r.key for r in got.results} - shipped == expected_keys(case)


@pytest.mark.parametrize("case", VALID, ids=[c.stem for c in VALID])
def test_valid_fixture_adds_no_result(report, case: Path):
    got = roscosmos_graph.load([case], reason=False).validate()
    assert got.conforms
    assert {r.key for r in got.results} == {r.key for r in report.results}


def test_validate_exit_codes_and_formats(tmp_path: Path, capsys):
    bad = DATA / "invalid" / "end-before-start.ttl"
    assert main(["validate"]) == 0
    capsys.readouterr()
    assert main(["validate", str(bad), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["conforms"] is False
    keys = {(r["focus_node"], r["component"], r["source_shape"]) for r in document["results"]
            if r["severity"] == "Violation"}
    assert keys == {("id:test-person-cosmonaut", "sh:SPARQLConstraintComponent",
                     "rsgsh:TenureDatesShape")}
    junit = tmp_path / "report.xml"
    assert main(["validate", str(bad), "--format", "junit", "-o", str(junit)]) == 1
    suite = ET.parse(junit).getroot()
    assert suite.tag == "testsuite" and suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("type") == "sh:SPARQLConstraintComponent"


def test_ill_typed_date_is_a_violation_without_traceback(capsys):
    assert main(["validate", str(DATA / "invalid" / "ill-typed-date.ttl")]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "id:test-person" in captured.out and "schema:birthDate" in captured.out


def test_undeclared_term_names_term_and_file(tmp_path: Path, capsys):
    typo = tmp_path / "typo.ttl"
    typo.write_text("@prefix rsg: <https://w3id.org/roscosmos-graph/def#> .\n"
                    "<https://w3id.org/roscosmos-graph/id/x> a rsg:SpaceAgensy .\n")
    assert main(["validate", str(typo)]) == 2
    assert capsys.readouterr().err == (
        f"roscosmos-graph: error: {typo}: undeclared term rsg:SpaceAgensy\n")
