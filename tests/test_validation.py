"""SHACL validation: the shipped graph conforms; each invalid fixture gives exactly its results."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import roscosmos_graph
from context import shapes, with_context
from roscosmos_graph.cli import main
from roscosmos_graph.validation import validate_graph

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


@cache
def context_keys() -> frozenset[tuple[str, str, str, str]]:
    return frozenset(r.key for r in validate_graph(with_context(None), shapes()).results)


def fixture_keys(case: Path) -> set[tuple[str, str, str, str]]:
    """The results a fixture adds to the context it names."""
    return {r.key for r in validate_graph(with_context(case), shapes()).results} - context_keys()


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_invalid_fixture_gives_exactly_its_results(case: Path):
    assert fixture_keys(case) == expected_keys(case)


@pytest.mark.parametrize("case", VALID, ids=[c.stem for c in VALID])
def test_valid_fixture_adds_no_result(case: Path):
    assert fixture_keys(case) == set()


@pytest.mark.slow
@pytest.mark.parametrize("case", [INVALID[0], DATA / "invalid" / "landing-crew-not-aboard.ttl",
                                  VALID[0]], ids=lambda c: c.stem)
def test_a_fixture_adds_the_same_results_to_the_whole_graph_as_to_its_context(report,
                                                                                case: Path):
    shipped = {r.key for r in report.results}
    whole = roscosmos_graph.load([case], reason=False).validate()
    assert {r.key for r in whole.results} - shipped == fixture_keys(case)


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


EXAMPLES = Path(__file__).parents[1] / "examples"
MISTAKE = EXAMPLES / "my-facts-with-a-mistake.ttl"
MISTAKE_TEXT = (
    "Violation: id:example-cosmonaut-cosmonaut = "
    '"2011-03-31"^^<http://www.w3.org/2001/XMLSchema#date>\n'
    "    The tenure ends (2011-03-31) on or before the day it starts (2012-10-01).  "
    "[rsgsh:TenureDatesShape]\n")


def test_validate_with_files_leads_with_their_results_and_summarises_the_rest(report, capsys):
    warnings = len(report.results)
    assert warnings > 0 and report.violations == ()
    assert main(["validate", str(MISTAKE)]) == 1
    assert capsys.readouterr().out == (
        "Does not conform. About the nodes of your files: 1 violation.\n" + MISTAKE_TEXT
        + f"Not listed: {warnings} warning{'s' if warnings != 1 else ''} about the shipped "
        "graph.\n")


@pytest.mark.parametrize("option", ["--only-mine", "--violations-only"])
def test_validate_can_be_limited_to_your_nodes_and_to_violations(option, capsys):
    assert main(["validate", str(MISTAKE), option]) == 1
    assert capsys.readouterr().out == (
        "Does not conform. About the nodes of your files: 1 violation.\n" + MISTAKE_TEXT)


def test_limited_junit_and_json_hold_only_your_results(tmp_path: Path, capsys):
    junit = tmp_path / "report.xml"
    assert main(["validate", str(MISTAKE), "--only-mine", "--format", "junit",
                 "-o", str(junit)]) == 1
    suite = ET.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("1", "1")
    assert [c.get("name") for c in suite.iter("testcase")] == ["id:example-cosmonaut-cosmonaut"]
    assert main(["validate", str(MISTAKE), "--only-mine", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [r["focus_node"] for r in document["results"]] == ["id:example-cosmonaut-cosmonaut"]
    assert "elsewhere" not in document


def test_default_junit_summarises_the_shipped_graph_in_one_test_case(report, tmp_path: Path):
    junit = tmp_path / "report.xml"
    assert main(["validate", str(MISTAKE), "--format", "junit", "-o", str(junit)]) == 1
    suite = ET.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    last = list(suite.iter("testcase"))[-1]
    assert last.get("name") == "not listed"
    assert last.findtext("system-out") == f"not listed: {len(report.results)} warnings"


def test_a_shipped_node_your_file_describes_counts_as_yours(tmp_path: Path, capsys):
    extra = tmp_path / "breaks-a-shipped-tenure.ttl"
    extra.write_text("@prefix id: <https://w3id.org/roscosmos-graph/id/> .\n"
                     "@prefix schema: <https://schema.org/> .\n"
                     "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                     'id:dmitry-rogozin-head-of-agency schema:endDate "2010-01-01"^^xsd:date .\n')
    assert main(["validate", str(extra), "--only-mine", "--violations-only"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Does not conform. About the nodes of your files: ")
    assert "Violation: id:dmitry-rogozin-head-of-agency" in out


def _result(focus: str, severity: str) -> roscosmos_graph.ValidationResult:
    return roscosmos_graph.ValidationResult(severity, focus, "", "", "", f"{focus} message",
                                            "rsgsh:S", "sh:C")


def test_violations_about_other_nodes_are_listed_or_counted_never_lost():
    report = roscosmos_graph.ValidationReport(
        False, (_result("id:mine", "Warning"), _result("id:other", "Violation"),
                _result("id:other", "Warning")), frozenset({"id:mine"}))
    assert report.render() == (
        "Does not conform. About the nodes of your files: 1 warning.\n"
        "Warning: id:mine\n    id:mine message  [rsgsh:S]\n"
        "Violation: id:other\n    id:other message  [rsgsh:S]\n"
        "Not listed: 1 warning about the shipped graph.\n")
    assert report.render(only_yours=True) == (
        "Does not conform. About the nodes of your files: 1 warning.\n"
        "Warning: id:mine\n    id:mine message  [rsgsh:S]\n"
        "Not listed: 1 violation about the shipped graph.\n")
    suite = ET.fromstring(report.render("junit", only_yours=True, violations_only=True)
                          .split("\n", 1)[1])
    assert (suite.get("tests"), suite.get("failures")) == ("1", "1")
    assert suite.find("testcase/failure").get("message") == "not listed: 1 violation"
    assert json.loads(report.render("json", only_yours=True))["elsewhere"] == {"Violation": 1}
