"""The wheel carries the ontology, data, shapes and queries, and works outside the checkout.

The wheel is built offline (``--no-isolation``, with the pinned hatchling) and installed,
not editable, into a fresh virtual environment. That environment sees the already installed
third-party dependencies through a ``.pth`` line, so no package index is needed, while
``roscosmos_graph`` itself can only come from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["ROSCOSMOS_GRAPH_CACHE"] = str(cwd / "cache")
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out,
                REPO, cwd=out)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("roscosmos_graph-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin folder."""
    root = tmp_path_factory.mktemp("venv")
    venv.create(root, with_pip=False)
    python = root / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                   cwd=root).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
                "--no-index", wheel, cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "bin"


def test_wheel_ships_every_resource_file(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind, suffix in (("ontology", ".ttl"), ("data", ".ttl"), ("shapes", ".ttl"),
                         ("queries", ".rq")):
        expected = {f"roscosmos_graph/{kind}/{p.relative_to(REPO / kind).as_posix()}"
                    for p in (REPO / kind).rglob(f"*{suffix}")}
        assert expected, kind
        assert expected <= names, expected - names
    assert "roscosmos_graph/py.typed" in names


def test_installed_package_comes_from_the_wheel(installed: Path, tmp_path: Path):
    done = _run(installed / "python", "-c",
                "import roscosmos_graph, roscosmos_graph.resources as r;"
                "print(roscosmos_graph.__file__); print(r.resource_dir('data'))", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    module, data = done.stdout.splitlines()
    venv_root = installed.parent.resolve()
    assert Path(module).resolve().is_relative_to(venv_root)
    assert Path(data).resolve().is_relative_to(venv_root)


def test_installed_validate_runs_from_another_directory(installed: Path, tmp_path: Path):
    done = _run(installed / "roscosmos-graph", "validate", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Conforms:")


def test_installed_validate_reports_a_user_file(installed: Path, tmp_path: Path):
    fixture = REPO / "tests" / "data" / "invalid" / "end-before-start.ttl"
    done = _run(installed / "roscosmos-graph", "validate", fixture, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("Does not conform. About the nodes of your files: 1 violation."
                                  "\nViolation: id:test-person-cosmonaut")
    assert done.stdout.endswith(" about the shipped graph.\n")


def _git(*args: str, cwd: Path) -> None:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_installed_diff_reads_git_revisions_of_the_repository_it_runs_in(installed: Path,
                                                                         tmp_path: Path):
    repo = tmp_path / "facts"
    (repo / "data").mkdir(parents=True)
    facts = repo / "data" / "facts.ttl"
    facts.write_text("<https://w3id.org/roscosmos-graph/id/a> "
                     "<http://www.w3.org/2000/01/rdf-schema#label> \"A\"@en .\n")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-qm", "one", cwd=repo)
    with facts.open("a") as out:
        out.write("<https://w3id.org/roscosmos-graph/id/b> "
                  "<http://www.w3.org/2000/01/rdf-schema#label> \"B\"@en .\n")
    _git("commit", "-qam", "two", cwd=repo)
    done = _run(installed / "roscosmos-graph", "diff", "git:HEAD~1", "git:HEAD", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "# 1 added, 0 removed\n\n## id:b (B)\n\n+ rdfs:label \"B\"@en\n"
    done = _run(installed / "roscosmos-graph", "diff", "git:HEAD~1", "data/", cwd=repo)
    assert done.stdout.startswith("# 1 added, 0 removed\n"), done.stderr
    done = _run(installed / "roscosmos-graph", "diff", "git:--output=x", "git:HEAD", cwd=repo)
    assert done.returncode == 2
    assert done.stderr == ("roscosmos-graph: error: parameter 'git': '--output=x' is not a "
                           "revision name (such as HEAD~1, a tag or a commit hash)\n")
    assert not (repo / "x").exists()
