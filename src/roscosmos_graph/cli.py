"""The ``roscosmos-graph`` command: argument parsing and printing only.

Exit codes: 0 success (the graph conforms), 1 validation found violations,
2 bad input, bad usage, a refused query or a query past its time limit.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog import PARAMETER_TYPES, get_query, queries
from .choices import DEFAULT_SHACL_ENGINE, REPORT_FORMATS, SHACL_ENGINES
from .errors import InputNotFoundError, ParameterError, RoscosmosGraphError
from .export.formats import FORMATS as EXPORT_FORMATS
from .prefixes import ASSERTED_GRAPH_IRI, INFERRED_GRAPH_IRI
from .resources import ENGINES
from .results import FORMATS as RESULT_FORMATS
from .sandbox import DEFAULT_MEMORY_LIMIT
from .stores import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, MAX_TIMEOUT

if TYPE_CHECKING:  # the graph's modules load only in the commands that need them
    from . import graph as api

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_VIOLATIONS", "main"]

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2


_DESCRIPTION = """\
A sourced, validated linked-data graph of the Russian space programme: query it, check
your own Turtle facts against it, serve it, and export it for triple stores and graph tools.
Every command reads the shipped graph (plus any Turtle files you name) and never goes online,
except 'load' and '--endpoint', which talk to the URL you give."""

_EPILOG = """\
examples:
  roscosmos-graph queries                                  the canned queries and parameters
  roscosmos-graph query heads-on-date --param date=2020-01-01
  roscosmos-graph sparql 'SELECT ?s WHERE { ?s a rsg:SpaceStation }'
                                                           rsg:, id: and the usual prefixes
                                                           are predeclared
  roscosmos-graph validate my-facts.ttl --only-mine        check your additions
  roscosmos-graph export --format turtle -o roscosmos.ttl  (also ntriples, nquads, trig,
                                                           jsonld, rdfxml, graphml, gexf,
                                                           cytoscape, neo4j)
  roscosmos-graph serve                                    SPARQL endpoint and query page

'roscosmos-graph COMMAND --help' tells more about a command.
exit codes: 0 ok, 1 validate found violations, 2 bad input or a refused query (one line on
stderr, never a traceback)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _seconds(text: str) -> float:
    """A time limit: a finite number of seconds above 0, at most a day."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_TIMEOUT):
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds above 0 and at most {MAX_TIMEOUT:g}, not {text!r}")
    return value


def _positive(text: str) -> int:
    """A count of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, not {text!r}")
    return value


def _timeout_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=help)


def _memory_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--memory-limit", type=_positive, default=DEFAULT_MEMORY_LIMIT >> 20,
                        metavar="MIB", help="stop an Oxigraph query that needs more memory "
                        f"(default {DEFAULT_MEMORY_LIMIT >> 20})")


def _graph_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-reason", action="store_true",
                        help="skip OWL 2 RL reasoning (asserted triples only)")
    parser.add_argument("--engine", choices=ENGINES, default="reasonable",
                        help="OWL 2 RL reasoner (default: reasonable; owlrl is the reference)")
    parser.add_argument("--no-cache", action="store_true",
                        help="reason again instead of using the cached inferred graph")


def _query_options(parser: argparse.ArgumentParser) -> None:
    _graph_options(parser)
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--store",
                        help="memory (rdflib, the reference), oxigraph or oxigraph:PATH "
                             "(default: the store cached on disk, built on first use)")
    target.add_argument("--endpoint", metavar="URL", help="a remote SPARQL 1.1 query endpoint")
    _timeout_option(parser, f"stop a query after this long (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--row-cap", type=_positive, default=DEFAULT_ROW_CAP, metavar="N",
                        help=f"return at most N rows (default {DEFAULT_ROW_CAP})")
    _memory_option(parser)
    parser.add_argument("--format", choices=RESULT_FORMATS, default="table")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(prog="roscosmos-graph", description=_DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_EPILOG)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                     title="commands", metavar="COMMAND")

    validate = commands.add_parser("validate",
                                   help="check the graph (and your files) against the shapes")
    validate.add_argument("paths", nargs="*", type=Path, help="extra Turtle files or folders")
    validate.add_argument("--format", choices=REPORT_FORMATS, default="text")
    validate.add_argument("--only-mine", action="store_true",
                          help="list only results about the nodes your files describe")
    validate.add_argument("--violations-only", action="store_true",
                          help="list violations only, no warnings")
    validate.add_argument("-o", "--output", type=Path, help="write the report here")
    validate.add_argument("--shacl-engine", choices=SHACL_ENGINES, default=DEFAULT_SHACL_ENGINE,
                          help=f"SHACL engine (default: {DEFAULT_SHACL_ENGINE}; pyshacl is "
                               "the reference)")

    stats = commands.add_parser("stats", help="triple counts and entities per class")
    stats.add_argument("paths", nargs="*", type=Path, help="extra Turtle files or folders")
    _graph_options(stats)

    listing = commands.add_parser("queries", help="list the canned queries")
    listing.add_argument("--format", choices=("table", "json"), default="table")

    query = commands.add_parser("query", help="run a canned query")
    query.add_argument("name", help="the query's name (see 'queries')")
    query.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                       help="a parameter, repeatable")
    _query_options(query)

    sparql = commands.add_parser("sparql", help="run an ad-hoc read-only SPARQL query")
    source = sparql.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the query text")
    source.add_argument("--file", type=Path, help="read the query from a file")
    _query_options(sparql)

    push = commands.add_parser("load", help="put the graph into a triple store's named graphs "
                                            "(Graph Store Protocol PUT; reruns replace them)")
    push.add_argument("--endpoint", required=True, metavar="URL",
                      help="the store's Graph Store Protocol URL, e.g. http://localhost:7878/store")
    push.add_argument("--graph", metavar="IRI", default=ASSERTED_GRAPH_IRI,
                      help="the named graph the asserted triples replace "
                           "(default: %(default)s)")
    push.add_argument("--inferred", action="store_true",
                      help="also replace the inferred named graph with the inferred triples")
    push.add_argument("--inferred-graph", metavar="IRI", default=INFERRED_GRAPH_IRI,
                      help="the named graph for the inferred triples (default: %(default)s)")
    _timeout_option(push, "stop waiting for the store after this long")
    push.add_argument("paths", nargs="*", type=Path, help="extra Turtle files or folders")
    _graph_options(push)

    server = commands.add_parser("serve", help="serve the graph with a read-only SPARQL server")
    server.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    server.add_argument("--port", type=int, default=7878)
    _timeout_option(server, "stop each query after this long")
    _memory_option(server)
    server.add_argument("paths", nargs="*", type=Path, help="extra Turtle files or folders")
    _graph_options(server)

    diagram = commands.add_parser("diagram", help="draw the lineage, heads or facilities diagram")
    diagram.add_argument("name", choices=("lineage", "leaders", "facilities"))
    diagram.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                         help="FILE.svg, or FILE.png for the lineage")
    diagram.add_argument("--lang", choices=("en", "ru"), default="en", help="label language")
    _graph_options(diagram)

    site = commands.add_parser("site", help="write the static linked-data site")
    site.add_argument("-o", "--output", type=Path, default=Path("site"), metavar="DIR",
                      help="the folder to (re)write atomically (default: site)")
    _graph_options(site)

    docs = commands.add_parser("docs", help="write the ontology's documentation page (HTML)")
    docs.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.html",
                      help="the page to write (self-contained, no network resources)")

    export = commands.add_parser("export", help="write the graph in an RDF or graph format")
    export.add_argument("--format", required=True, choices=tuple(EXPORT_FORMATS),
                        help="the format (neo4j writes a folder)")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="PATH")
    export.add_argument("--inferred", action="store_true", help="include the inferred triples")
    export.add_argument("--keep-nary", action="store_true",
                        help="keep tenures and dated events as nodes (property graphs)")
    export.add_argument("paths", nargs="*", type=Path, help="extra Turtle files or folders")
    _graph_options(export)

    release = commands.add_parser("build", help="validate, then write every export to dist/")
    release.add_argument("-o", "--output", type=Path, default=Path("dist"), metavar="DIR",
                         help="the release folder, replaced atomically (default: dist)")
    release.add_argument("paths", nargs="*", type=Path, help="extra Turtle files or folders")
    _graph_options(release)

    changes = commands.add_parser("diff", help="facts added and removed, as Markdown")
    changes.add_argument("old", help="a Turtle file, a folder, or git:REV")
    changes.add_argument("new", help="a Turtle file, a folder, or git:REV")
    return parser


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that every ``finally`` cleans up."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code instead of raising.

    SIGTERM stops the command like Ctrl-C does: staging folders and temporary files are
    removed and the previous output is left as it was (exit 143).
    """
    args = build_parser().parse_args(argv)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        return _COMMANDS[args.command](args)
    except RoscosmosGraphError as error:
        print(f"roscosmos-graph: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except _Terminated:
        return 143
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _load(args: argparse.Namespace, paths: Sequence[Path] = ()) -> api.KnowledgeGraph:
    from . import graph as api

    return api.load(paths, reason=not args.no_reason, engine=args.engine,
                    cache=not args.no_cache, store=getattr(args, "store", None) or "memory",
                    timeout=getattr(args, "timeout", DEFAULT_TIMEOUT),
                    row_cap=getattr(args, "row_cap", DEFAULT_ROW_CAP),
                    memory_limit=getattr(args, "memory_limit", DEFAULT_MEMORY_LIMIT >> 20) << 20)


def _target(args: argparse.Namespace) -> api.Queryable:
    if args.endpoint:
        from . import graph as api

        return api.connect(args.endpoint, timeout=args.timeout, row_cap=args.row_cap)
    if _answers_from_cache(args):
        from .cached_graph import open_cached

        return open_cached(args.engine, timeout=args.timeout, row_cap=args.row_cap,
                           memory_limit=args.memory_limit << 20)
    return _load(args)


def _answers_from_cache(args: argparse.Namespace) -> bool:
    """Whether the query goes to the persistent store (which checks a text when it runs it)."""
    return not args.endpoint and args.store is None and not args.no_cache and not args.no_reason


def _validate(args: argparse.Namespace) -> int:
    # validation reads the asserted triples only, so nothing is reasoned (or cached) here
    from . import graph as api

    report = api.load(args.paths, reason=False).validate(args.shacl_engine)
    text = report.render(args.format, only_yours=args.only_mine,
                         violations_only=args.violations_only)
    if args.output:
        _write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK if report.conforms else EXIT_VIOLATIONS


def _stats(args: argparse.Namespace) -> int:
    sys.stdout.write(_load(args, args.paths).stats().render())
    return EXIT_OK


def _queries(args: argparse.Namespace) -> int:
    if args.format == "json":
        listing = [{"name": q.name, "title": q.title, "description": q.description,
                    "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                                    "default": p.default, "description": p.description}
                                   for p in q.parameters]} for q in queries()]
        sys.stdout.write(json.dumps(listing, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    for q in queries():
        print(f"{q.name}\n    {q.title}")
        for p in q.parameters:
            need = "required" if p.required else f"optional, default {p.default}" if p.default \
                else "optional"
            print(f"    --param {p.name}=<{p.type}>  ({need}) {p.description}")
    print("\nparameter types: " + "; ".join(f"{k}: {v}" for k, v in PARAMETER_TYPES.items()))
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    canned = get_query(args.name)
    params: dict[str, str] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ParameterError(item, "expected NAME=VALUE")
        params[name.strip()] = value
    result = _target(args).run_canned(canned, params)
    return _print_result(result, args.format)


def _sparql(args: argparse.Namespace) -> int:
    text = _read_query(args.file) if args.file else args.text
    if not _answers_from_cache(args):
        from .guard import check_query

        check_query(text)  # refuse before the graph is loaded or the endpoint contacted
    return _print_result(_target(args).sparql(text), args.format)


def _read_query(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputNotFoundError(f"{path}: no such query file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputNotFoundError(f"{path}: cannot read the query: {error}") from None


def _print_result(result: api.QueryResult, fmt: str) -> int:
    sys.stdout.write(result.render(fmt))
    if result.truncated:
        print(f"roscosmos-graph: warning: result cut at {len(result)} rows (--row-cap)",
              file=sys.stderr)
    return EXIT_OK


def _load_into(args: argparse.Namespace) -> int:
    from .stores import push_graph

    kg = _load(args, args.paths)
    parts = [(kg.asserted, args.graph)]
    if args.inferred:
        parts.append((kg.inferred, args.inferred_graph))
    for graph, iri in parts:
        count = push_graph(args.endpoint, graph, graph_iri=iri, timeout=args.timeout)
        print(f"replaced <{iri}> with {count} triples at {args.endpoint}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(_load(args, args.paths), host=args.host, port=args.port, timeout=args.timeout,
                 memory_limit=args.memory_limit << 20,
                 announce=lambda line: print(line, flush=True))


def _diagram(args: argparse.Namespace) -> int:
    from .diagrams import write_diagram

    path = write_diagram(_load(args), args.name, args.output, lang=args.lang)
    print(f"wrote {path}")
    return EXIT_OK


def _site(args: argparse.Namespace) -> int:
    from .site import build_site

    path = build_site(_load(args), args.output)
    print(f"wrote {path}")
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    from .ontology_docs import write_ontology_docs

    print(f"wrote {write_ontology_docs(args.output)}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from .export import export

    path = export(_load(args, args.paths), args.format, args.output, inferred=args.inferred,
                  keep_nary=args.keep_nary)
    print(f"wrote {path}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .build import BuildValidationError, build

    try:
        files = build(_load(args, args.paths), args.output)
    except BuildValidationError as error:
        sys.stderr.write(error.report.render("text"))
        print(f"roscosmos-graph: error: {error}", file=sys.stderr)
        return EXIT_VIOLATIONS
    print(f"wrote {len(files)} files to {args.output}")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from .diff import diff_graphs, load_side

    sys.stdout.write(diff_graphs(load_side(args.old), load_side(args.new)))
    return EXIT_OK


def _write_text(path: Path, text: str) -> None:
    from .atomic import write_atomic

    write_atomic(path, text.encode("utf-8"))


_COMMANDS = {"validate": _validate, "stats": _stats, "queries": _queries, "query": _query,
             "sparql": _sparql, "diagram": _diagram, "site": _site, "docs": _docs,
             "load": _load_into, "serve": _serve,
             "export": _export, "build": _build, "diff": _diff}
