"""Executable documentation: every command and Python snippet of README.md, CONTRIBUTING.md and
docs/*.md runs here, through Sybil, against the installed package.

- ```` ```console ```` blocks are sessions: each ``$ command`` runs in bash and its output
  (stdout and stderr) must be exactly the lines shown under it.
- ```` ```sh ```` blocks are commands: the whole block runs in bash and must exit 0.
- ```` ```python ```` blocks run in one namespace per document; ``>>>`` lines are doctests.
- A shell block whose first line is ``# not run by the doc tests: REASON`` is skipped, and
  says why where readers see it.

Commands run from a scratch copy of the repository's layout (its inputs linked, ``docs/``
copied), with ``.venv/bin`` first on ``PATH`` as after ``source .venv/bin/activate``, so files
they write never land in the checkout. Each document's blocks run in order, in one folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sybil import Example, Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser

ROOT = Path(__file__).parents[1]
DOCUMENTS = ["README.md", "CONTRIBUTING.md", *sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]
SKIP = re.compile(r"^# not run by the doc tests: (\S.*)$")
LINKED = [".venv", "bench", "data", "examples", "ontology", "queries", "scripts", "shapes", "src",
          "tests", ".pre-commit-hooks.yaml", "constraints.txt", "pyproject.toml", "LICENSE",
          "LICENSE-DATA", "README.md", "CONTRIBUTING.md"]
_folders: dict[str, Path] = {}


def _skipped(source: str) -> bool:
    first = source.lstrip("\n").split("\n", 1)[0]
    return SKIP.match(first) is not None


def _run(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "VIRTUAL_ENV": str(ROOT / ".venv"), "COLUMNS": "100"}
    return subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=600)


def session(commands: str, folder: Path) -> list[tuple[str, str, str]]:
    """Run each ``$ command`` of a console block; return (command, shown, printed) triples."""
    pairs: list[tuple[str, list[str]]] = []
    lines = commands.rstrip("\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\") and index + 1 < len(lines):
                index += 1
                command = command[:-1] + "\n" + lines[index]
            pairs.append((command, []))
        elif pairs:
            pairs[-1][1].append(line)
        else:
            raise AssertionError(f"console block starts without '$ ': {line!r}")
        index += 1
    outcome = []
    for command, shown in pairs:
        done = _run(command, folder)
        outcome.append((command, "\n".join(shown), (done.stdout + done.stderr).rstrip("\n")))
    return outcome


def _folder(example: Example) -> Path:
    """The scratch folder of ``example``'s document, laid out like the checkout."""
    key = str(example.path)
    if key not in _folders:
        base = Path(example.namespace["_scratch"])
        for name in [*LINKED, ".git"]:
            if (ROOT / name).exists():
                (base / name).symlink_to(ROOT / name)
        shutil.copytree(ROOT / "docs", base / "docs")
        _folders[key] = base
    return _folders[key]


def evaluate_console(example: Example) -> str | None:
    if _skipped(example.parsed):
        return None
    for command, shown, printed in session(example.parsed, _folder(example)):
        if printed != shown:
            return f"$ {command}\n--- shown in the docs\n{shown}\n--- printed\n{printed}"
    return None


def evaluate_sh(example: Example) -> str | None:
    if _skipped(example.parsed):
        return None
    done = _run("set -euo pipefail\n" + example.parsed, _folder(example))
    if done.returncode:
        return (f"exit {done.returncode}:\n{example.parsed}\n--- output\n"
                f"{done.stdout}{done.stderr}")
    return None


SYBIL = Sybil(parsers=[CodeBlockParser("console", evaluate_console),
                       CodeBlockParser("sh", evaluate_sh), PythonCodeBlockParser()],
              path=str(ROOT), patterns=DOCUMENTS)


def _examples() -> Iterator[tuple[str, Example]]:
    for name in DOCUMENTS:
        document = SYBIL.parse(ROOT / name)
        for example in document:
            yield f"{name}:{example.line}", example


EXAMPLES = list(_examples())


def test_every_document_is_found_and_has_examples():
    names = {name.split(":")[0] for name, _ in EXAMPLES}
    assert names == set(DOCUMENTS)
    assert {"README.md", "CONTRIBUTING.md", "docs/exports.md", "docs/performance.md"} <= names


def test_skipped_blocks_say_why():
    for name, example in EXAMPLES:
        if isinstance(example.parsed, str) and example.parsed.lstrip().startswith("# not run"):
            assert _skipped(example.parsed), f"{name}: write '# not run by the doc tests: WHY'"


@pytest.mark.slow
@pytest.mark.parametrize("example", [e for _, e in EXAMPLES], ids=[n for n, _ in EXAMPLES])
def test_documented_example(example: Example, tmp_path_factory: pytest.TempPathFactory,
                            monkeypatch: pytest.MonkeyPatch):
    namespace = example.namespace
    if "_scratch" not in namespace:
        namespace["_scratch"] = str(tmp_path_factory.mktemp("docs"))
    folder = _folder(example)
    monkeypatch.chdir(folder)
    monkeypatch.setattr(sys, "path", [str(folder), *sys.path])
    example.evaluate()


@pytest.mark.skipif(not (ROOT / ".git").exists() or shutil.which("git") is None,
                    reason="not a git checkout")
def test_the_pre_commit_example_pins_a_commit_of_this_repository_that_has_the_hook():
    rev = re.search(r"^\s*rev: (\S+)$", (ROOT / "README.md").read_text(encoding="utf-8"),
                    re.MULTILINE)
    assert rev is not None and re.fullmatch(r"[0-9a-f]{40}", rev[1]), "pin a full commit SHA"
    hooks = subprocess.run(["git", "show", f"{rev[1]}:.pre-commit-hooks.yaml"], cwd=ROOT,
                           capture_output=True, text=True)
    assert hooks.returncode == 0, hooks.stderr
    assert "id: roscosmos-graph-validate" in hooks.stdout
