"""Every diagram renders to valid SVG (or PNG) and names what its query returns."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from roscosmos_graph import ParameterError
from roscosmos_graph.cli import EXIT_ERROR, EXIT_OK, main
from roscosmos_graph.diagrams import write_diagram

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz 'dot' is not installed")

SVG = "{http://www.w3.org/2000/svg}"


def _svg_text(path: Path) -> str:
    """Parse the file as XML (fails on invalid SVG) and return all its text content."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return " ".join(" ".join(element.itertext()) for element in root.iter(f"{SVG}text"))


@needs_dot
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lineage_svg_names_every_organisation(kg, tmp_path, lang):
    path = write_diagram(kg, "lineage", tmp_path / "lineage.svg", lang=lang)
    text = _svg_text(path)
    rows = kg.query("lineage").records()
    names = {r[k] for r in rows for k in ("fromName", "toName")}
    assert len(names) >= 5
    if lang == "en":
        for name in names:
            assert name in text
        assert "Federal Space Agency" in text
        assert "Soviet space programme" in text
        for kind in {r["kind"] for r in rows}:
            assert kind in text
        for row in rows:
            assert row["date"].isoformat() in text
    else:
        assert "Федеральное космическое агентство" in text
        assert "Роскосмос" in text
    assert "2004\u20132016" in text  # the Federal Space Agency's years (en dash)


@needs_dot
def test_lineage_png(kg, tmp_path):
    path = write_diagram(kg, "lineage", tmp_path / "lineage.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_leaders_svg_names_every_head(kg, tmp_path, lang):
    path = write_diagram(kg, "leaders", tmp_path / "leaders.svg", lang=lang)
    text = _svg_text(path)
    rows = kg.query("heads").records()
    column = "nameRu" if lang == "ru" else "name"
    expected = {r[column] for r in rows}
    assert len(expected) >= 8
    for name in expected:
        assert name in text
    assert ("Дмитрий Рогозин" if lang == "ru" else "Dmitry Rogozin") in text
    if lang == "en":
        assert "Yuri Koptev" in text and "Federal Space Agency" in text


def test_leaders_svg_has_a_bar_per_tenure(kg, tmp_path):
    path = write_diagram(kg, "leaders", tmp_path / "leaders.svg")
    root = ET.parse(path).getroot()
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == len(kg.query("heads"))


def test_facilities_svg_labels_every_facility(kg, tmp_path):
    path = write_diagram(kg, "facilities", tmp_path / "facilities.svg")
    text = _svg_text(path)
    rows = kg.query("facilities").records()
    for row in rows:
        assert row["name"] in text
    assert "Baikonur Cosmodrome" in text
    root = ET.parse(path).getroot()
    placed = [row for row in rows if row["lat"] is not None and row["long"] is not None]
    assert len(list(root.iter(f"{SVG}circle"))) == len(placed)
    assert [row["name"] for row in rows if row not in placed] == ["Vostochny Cosmodrome"]
    assert "No sourced coordinates:" in text


@pytest.mark.parametrize("name", ["leaders", "facilities"])
def test_png_of_svg_only_diagram_names_the_parameter(kg, tmp_path, name):
    with pytest.raises(ParameterError) as caught:
        write_diagram(kg, name, tmp_path / "out.png")
    assert caught.value.parameter == "output"
    assert not (tmp_path / "out.png").exists()


def test_unknown_suffix_is_refused(kg, tmp_path):
    with pytest.raises(ParameterError, match="output"):
        write_diagram(kg, "leaders", tmp_path / "out.pdf")


@needs_dot
def test_cli_diagram(tmp_path, capsys):
    out = tmp_path / "lineage.svg"
    assert main(["diagram", "lineage", "-o", str(out), "--lang", "ru"]) == EXIT_OK
    assert "Роскосмос" in _svg_text(out)
    assert main(["diagram", "facilities", "-o", str(tmp_path / "f.png")]) == EXIT_ERROR
    assert "'output'" in capsys.readouterr().err
