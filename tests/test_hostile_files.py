"""Hostile files in and around the tool: outputs never destroy what the tool did not write,
hostile Turtle is refused clearly within set limits, and every error exits 2 without a
traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roscosmos_graph import (
    InputUnreadableError,
    OutputFolderError,
    OutputWriteError,
    TurtleSyntaxError,
    loading,
)
from roscosmos_graph.atomic import MANIFEST, replace_folder, write_atomic
from roscosmos_graph.cli import main
from roscosmos_graph.loading import (
    MAX_COLLECTION_ITEMS,
    MAX_NESTING,
    MAX_TURTLE_BYTES,
    parse_turtle,
)

RDF12 = ("RDF 1.2 triple terms, reifiers and annotations (<< >>, ~, {| |}) are not supported; "
         "write the statement as plain triples")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- 5: outputs

@pytest.mark.parametrize("command", [["site"], ["build"], ["export", "--format", "neo4j"]])
def test_a_folder_output_never_replaces_a_file(tmp_path, capsys, command):
    precious = tmp_path / "precious.txt"
    precious.write_text("mine")
    assert main([*command, "--no-reason", "-o", str(precious)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("roscosmos-graph: error: ")
    assert f"{precious} is a file, not a folder" in err
    assert precious.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.txt"]


@pytest.mark.parametrize(("command", "generic"), [(["site"], "index.html"),
                                                  (["build"], "SHA256SUMS")])
def test_a_generic_file_name_does_not_mark_a_folder_as_a_previous_output(tmp_path, capsys,
                                                                         command, generic):
    folder = tmp_path / "www"
    folder.mkdir()
    (folder / generic).write_text("the user's own")
    (folder / "notes.txt").write_text("mine")
    assert main([*command, "--no-reason", "-o", str(folder)]) == 2
    assert f"it has no {MANIFEST}" in capsys.readouterr().err
    assert _tree(folder) == {generic: b"the user's own", "notes.txt": b"mine"}


def test_a_previous_output_with_a_file_added_or_changed_is_refused(tmp_path):
    folder = tmp_path / "out"
    replace_folder(folder, lambda staging: (staging / "a.txt").write_text("a"))
    (folder / "mine.txt").write_text("added by the user")
    with pytest.raises(OutputFolderError, match=r"did not write, or changed since \(mine.txt\)"):
        replace_folder(folder, lambda staging: (staging / "b.txt").write_text("b"))
    (folder / "mine.txt").unlink()
    (folder / "a.txt").write_text("edited by the user")
    with pytest.raises(OutputFolderError, match=r"did not write, or changed since \(a.txt\)"):
        replace_folder(folder, lambda staging: (staging / "b.txt").write_text("b"))
    assert _tree(folder)["a.txt"] == b"edited by the user"
    (folder / "a.txt").write_text("a")
    replace_folder(folder, lambda staging: (staging / "b.txt").write_text("b"))
    assert set(_tree(folder)) == {"b.txt", MANIFEST}


def test_the_manifest_lists_every_file_with_its_checksum(tmp_path):
    import hashlib

    def fill(staging: Path) -> None:
        (staging / "sub").mkdir()
        (staging / "sub" / "x.txt").write_text("x")
        (staging / "y.txt").write_text("y")

    replace_folder(tmp_path / "out", fill)
    lines = (tmp_path / "out" / MANIFEST).read_text().splitlines()
    assert lines[0].startswith("# written by roscosmos-graph")
    assert lines[1:] == [f"{hashlib.sha256(b'x').hexdigest()}  sub/x.txt",
                         f"{hashlib.sha256(b'y').hexdigest()}  y.txt"]


@pytest.mark.slow
def test_sigterm_during_build_leaves_no_staging_folder_and_the_previous_release(tmp_path):
    dist = tmp_path / "dist"
    replace_folder(dist, lambda staging: (staging / "previous.txt").write_text("release 1"))
    before = _tree(dist)
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "roscosmos_graph", "build", "--no-reason",
                                "-o", str(dist)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".dist.new-*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.02)
    assert list(tmp_path.glob(".dist.new-*")), "the build never started writing"
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 143
    assert b"Traceback" not in process.stderr.read()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    assert _tree(dist) == before


# --------------------------------------------------------------------------- 7: exit codes

@pytest.mark.parametrize("target", ["folder", "root", "under-a-file"])
@pytest.mark.parametrize("command", [["validate"], ["export", "--format", "turtle",
                                                    "--no-reason"]])
def test_an_unwritable_output_path_exits_2(tmp_path, capsys, command, target):
    (tmp_path / "a-file").write_text("mine")
    path = {"folder": tmp_path, "root": Path("/"),
            "under-a-file": tmp_path / "a-file" / "out.txt"}[target]
    assert main([*command, "-o", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"roscosmos-graph: error: {path}: ")
    assert len(err.splitlines()) == 1
    assert (tmp_path / "a-file").read_text() == "mine"


def test_write_atomic_names_the_path_it_could_not_write(tmp_path):
    with pytest.raises(OutputWriteError, match="is a folder; give a file name"):
        write_atomic(tmp_path, b"x")
    assert list(tmp_path.iterdir()) == []


def test_an_input_that_cannot_be_read_exits_2(tmp_path, capsys):
    folder = tmp_path / "facts.ttl"
    folder.mkdir()
    with pytest.raises(InputUnreadableError, match="cannot read: Is a directory"):
        parse_turtle(folder)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_exits_2(tmp_path, capsys):
    path = tmp_path / "secret.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n")
    path.chmod(0)
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (f"roscosmos-graph: error: {path}: cannot read: "
                                       "Permission denied\n")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--timeout", "nan", "argument --timeout: expected a number of seconds above 0 and at most "
                         "86400, not 'nan'"),
    ("--timeout", "inf", "argument --timeout: expected a number of seconds above 0 and at most "
                         "86400, not 'inf'"),
    ("--timeout", "1e20", "argument --timeout: expected a number of seconds above 0 and at most "
                          "86400, not '1e20'"),
    ("--timeout", "0", "argument --timeout: expected a number of seconds above 0 and at most "
                       "86400, not '0'"),
    ("--row-cap", "-1", "argument --row-cap: expected a whole number, 1 or more, not '-1'"),
    ("--row-cap", "0", "argument --row-cap: expected a whole number, 1 or more, not '0'"),
    ("--memory-limit", "0", "argument --memory-limit: expected a whole number, 1 or more, "
                            "not '0'"),
])
def test_limits_the_tool_cannot_honour_exit_2(capsys, option, value, message):
    with pytest.raises(SystemExit) as stopped:
        main(["sparql", "--no-reason", option, value, "ASK {}"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.endswith(f"roscosmos-graph sparql: error: {message}\n")


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_text_that_is_not_unicode_exits_2_on_every_store(capsys, store):
    # what Python makes of non-UTF-8 bytes on the command line: lone surrogates
    broken = b"\xff".decode("utf-8", "surrogateescape")
    assert main(["sparql", "--no-reason", "--store", store, f"ASK {{ ?s ?p \"{broken}\" }}"]) == 2
    assert capsys.readouterr().err == ("roscosmos-graph: error: the query is not valid Unicode "
                                       "(character 14 is a lone surrogate)\n")
    assert main(["query", "search", "--no-reason", "--store", store, "--param",
                 f"text={broken}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("roscosmos-graph: error: the query is not valid Unicode")
    assert "Traceback" not in err


# --------------------------------------------------------------------------- 6: hostile Turtle

@pytest.mark.parametrize(("text", "column"), [
    ("<urn:a> <urn:p> <<( <urn:a> <urn:p> <urn:o> )>> .\n", 17),
    ("<< <urn:a> <urn:p> <urn:o> >> <urn:q> <urn:r> .\n", 1),
    ("<urn:a> <urn:p> <urn:o> ~ <urn:r> .\n", 25),
    ("<urn:a> <urn:p> <urn:o> {| <urn:q> <urn:r> |} .\n", 25),
    ("<urn:a> <urn:p> " + "<<( <urn:a> <urn:p> " * 20_000 + "<urn:o>" + " )>>" * 20_000 + " .\n",
     17),
])
def test_rdf_1_2_syntax_is_refused_clearly(tmp_path, capsys, text, column):
    path = tmp_path / "star.ttl"
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == f"roscosmos-graph: error: {path}:1:{column}: {RDF12}\n"


def test_nesting_counts_through_every_bracket_form(tmp_path):
    path = tmp_path / "mixed.ttl"
    path.write_text("<urn:a> <urn:b> " + "( [ <urn:c> " * MAX_NESTING + "1"
                    + " ] )" * MAX_NESTING + " .\n")
    with pytest.raises(TurtleSyntaxError, match=f"nesting deeper than {MAX_NESTING} levels"):
        parse_turtle(path)


def test_a_collection_longer_than_the_limit_is_refused_at_the_first_item_too_many(tmp_path):
    path = tmp_path / "long.ttl"
    items = [f'"{i}"@en' for i in range(MAX_COLLECTION_ITEMS + 1)]
    path.write_text("<urn:a> <urn:b> ( " + " ".join(items) + " ) .\n")
    column = len("<urn:a> <urn:b> ( " + " ".join(items[:-1]) + " ") + 1
    with pytest.raises(TurtleSyntaxError) as caught:
        parse_turtle(path)
    assert str(caught.value) == (f"{path}:1:{column}: a collection holds more than "
                                 f"{MAX_COLLECTION_ITEMS} items")
    path.write_text("<urn:a> <urn:b> ( " + " ".join(items[:-1]) + " ) .\n")
    assert len(parse_turtle(path)) == 2 * MAX_COLLECTION_ITEMS + 1


def test_a_300_000_item_collection_is_refused_before_it_is_parsed(tmp_path, capsys,
                                                                  monkeypatch):
    path = tmp_path / "huge.ttl"
    path.write_text("<urn:a> <urn:p> ( " + " ".join(str(i) for i in range(300_000)) + " ) .\n")

    assert main(["validate", str(path)]) == 2
    assert f"a collection holds more than {MAX_COLLECTION_ITEMS} items" in capsys.readouterr().err

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser was asked to read the file")

    monkeypatch.setattr(loading.ox, "parse", parse)
    with pytest.raises(TurtleSyntaxError, match="a collection holds more than"):
        parse_turtle(path)


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    path = tmp_path / "big.ttl"
    with path.open("wb") as out:
        out.truncate(MAX_TURTLE_BYTES + 1)  # sparse: the size is what counts
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"roscosmos-graph: error: {path}: the file is {MAX_TURTLE_BYTES + 1} bytes; the limit "
        f"is {MAX_TURTLE_BYTES} (set ROSCOSMOS_GRAPH_MAX_TURTLE_MB to read larger files)\n")
    small = tmp_path / "small.ttl"
    small.write_text("<urn:a> <urn:b> <urn:c> .\n" * 100)
    monkeypatch.setenv("ROSCOSMOS_GRAPH_MAX_TURTLE_MB", "0.001")
    with pytest.raises(InputUnreadableError, match="the limit is 1048 "):
        parse_turtle(small)


# --------------------------------------------------------------------------- 6: fuzzing

_PIECES = ["<urn:a>", "<urn:p>", "ex:x", "_:b", "[", "]", "(", ")", "<<", ">>", "<<(", ")>>",
           "{|", "|}", "~", '"s"', '"""long"""', "'q'", "@en", "^^<urn:t>", "1", "-2.5e3",
           "true", ";", ",", ".", "a", "#", "\n", "\r", " ", "\\", "\\u0041", "@prefix ex: <urn:x#> .\n",
           "PREFIX ex: <urn:x#>\n", "VERSION \"1.2\"\n", '"@en--ltr', "\x00", "é", "\udc80"]

_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2,) * 2)
from roscosmos_graph.errors import RoscosmosGraphError
from roscosmos_graph.loading import parse_turtle
for path in sys.argv[1:]:
    try:
        parse_turtle(path)
        print("ok")
    except RoscosmosGraphError as error:
        print("refused", str(error).splitlines()[0][:60])
"""


@st.composite
def hostile_turtle(draw: st.DrawFn) -> bytes:
    pieces = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=60))
    depth = draw(st.integers(0, 3000))
    opener, closer = draw(st.sampled_from([("[ <urn:p> ", " ]"), ("( ", " )"),
                                           ("<<( <urn:a> <urn:p> ", " )>>"),
                                           ("<< <urn:a> <urn:p> ", " >>")]))
    body = " ".join(pieces)
    text = "<urn:s> <urn:p> " + opener * depth + body + closer * depth + " .\n"
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.lists(hostile_turtle(), min_size=5, max_size=5))
def test_fuzzed_hostile_turtle_is_parsed_or_refused_never_a_crash(tmp_path_factory, documents):
    # The parser runs in a child under a 1.5 GiB address-space limit: a segfault, an abort
    # or running out of memory would show as a signal or a traceback here.
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for i, document in enumerate(documents):
        paths.append(folder / f"doc{i}.ttl")
        paths[-1].write_bytes(document)
    done = subprocess.run([sys.executable, "-c", _CHILD, *map(str, paths)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) == len(paths)


def test_fuzz_child_is_bounded_in_memory():
    # the child's limit is real: a runaway allocation fails there instead of growing
    done = subprocess.run([sys.executable, "-c", _CHILD.split("from roscosmos_graph")[0]
                           + "b = bytearray(2 * 1024**3)\n"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "MemoryError" in done.stderr


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(document=hostile_turtle())
def test_fuzzed_hostile_turtle_through_validate_exits_0_1_or_2(tmp_path, document):
    path = tmp_path / "hostile.ttl"
    path.write_bytes(document)
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", "import resource, sys\n"
                           "resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3,) * 2)\n"
                           "from roscosmos_graph.cli import main\n"
                           "sys.exit(main(['validate', sys.argv[1]]))", str(path)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode in (0, 1, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr


def test_a_neo4j_export_can_be_written_again_over_itself(kg, tmp_path):
    from roscosmos_graph.export import export

    export(kg, "neo4j", tmp_path / "neo4j")
    first = _tree(tmp_path / "neo4j")
    export(kg, "neo4j", tmp_path / "neo4j")
    assert _tree(tmp_path / "neo4j") == first


def test_docs_state_the_limits_the_code_applies():
    from roscosmos_graph.guard import MAX_QUERY_BYTES, MAX_QUERY_NESTING, MAX_QUERY_OPERATORS
    from roscosmos_graph.sandbox import DEFAULT_MEMORY_LIMIT

    docs = (Path(__file__).parents[1] / "docs" / "limits.md").read_text(encoding="utf-8")
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "[docs/limits.md](docs/limits.md)" in readme
    for stated in (f"{MAX_QUERY_BYTES} bytes", f"{MAX_QUERY_NESTING} levels",
                   f"{MAX_QUERY_OPERATORS} operators", f"{DEFAULT_MEMORY_LIMIT >> 20} MiB",
                   f"{MAX_TURTLE_BYTES >> 20} MiB per file", f"{MAX_NESTING} levels",
                   f"{MAX_COLLECTION_ITEMS} items"):
        assert stated in docs, stated
