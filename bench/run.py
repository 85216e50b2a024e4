"""Benchmarks of roscosmos-graph: the shipped graph's CLI, and each engine on synthetic graphs.

    python bench/run.py --quick      # shipped graph + 10k triples; under 5 minutes on 2 cores
    python bench/run.py              # shipped graph + 10k, 100k and 1M triples

Prints a table and writes bench/results/latest.json. Every measured step runs in a
subprocess of its own, so its peak RSS (``ru_maxrss`` from ``os.wait4``) is its own.
Times are medians of ``--repeat`` runs (wall clock of the subprocess for CLI commands; the
step alone, after its inputs are parsed, for the engine steps). Ratios are speed-ups of
each backend against the reference path (rdflib / owlrl / pyshacl / memory store) measured
in the same run. A step that would run past its budget is not started, or is stopped at
the budget, and is reported as "skipped (budget)".

Exits 1 only if a step crashed ("failed" in the table), never because a step was slow or
skipped. A validator's exit code 1 (the raw pyshacl command's, for one: with OWL-RL
inference the inferred types bring in shapes the asserted data never meets) is its
verdict "does not conform", recorded as such and timed like any run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
BIN = Path(sys.executable).parent
SIZES_FULL = (10_000, 100_000, 1_000_000)
SIZES_QUICK = (10_000,)

PARAMS: dict[str, dict[str, dict[str, str]]] = {
    # query -> graph kind -> parameters (queries not listed take none or only optional ones)
    "heads-on-date": {"shipped": {"date": "2020-01-01"}, "generated": {"date": "1992-06-01"}},
    "news-about": {"shipped": {"entity": "id:roscosmos"},
                   "generated": {"entity": "id:agency-c0-n"}},
    "person": {"shipped": {"person": "id:dmitry-rogozin"},
               "generated": {"person": "id:person-c0-0"}},
    "search": {"shipped": {"text": "Rogozin"}, "generated": {"text": "Volkov"}},
    "agreements-in-force": {"shipped": {"date": "2023-01-01"},
                            "generated": {"date": "2000-01-01"}},
    "crew": {"shipped": {"flight": "id:soyuz-tma-13"}, "generated": {"flight": "id:flight-c0-0"}},
    "flew-with": {"shipped": {"person": "id:gennady-padalka"},
                  "generated": {"person": "id:person-c0-0"}},
    "flights-of": {"shipped": {"person": "id:sergei-krikalev"},
                   "generated": {"person": "id:person-c0-0"}},
    "modules": {"shipped": {"station": "id:mir"}, "generated": {"station": "id:iss"}},
    "sources": {"shipped": {"entity": "id:soyuz-tma-13"}, "generated": {"entity": "id:roscosmos"}},
}


@dataclass
class Row:
    """One measured (or skipped) step."""

    section: str
    step: str
    backend: str
    runs: list[float] = field(default_factory=list)
    rss_mb: float | None = None
    ratio: float | None = None
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None


class Budget:
    """A per-step limit and, in quick mode, a deadline for the whole run."""

    def __init__(self, step: float, total: float | None) -> None:
        self.step = step
        self.deadline = time.monotonic() + total if total else None

        self.section: float | None = None

    def share(self, seconds: float | None) -> None:
        """Let the next part of the run use at most ``seconds`` (``None``: no own limit)."""
        self.section = time.monotonic() + seconds if seconds else None

    def allowed(self, spent: float = 0.0) -> float:
        """Seconds a run may still take, after ``spent`` seconds on earlier runs of its step."""
        left = self.step - spent
        for deadline in (self.deadline, self.section):
            if deadline is not None:
                left = min(left, deadline - time.monotonic())
        return left


# --------------------------------------------------------------------------- subprocesses

def generated_graph(size: int, seed: int, work: Path) -> Path:
    """The generated graph of ``size`` triples in ``work``, made on first use.

    The file name holds a hash of the generator, so a changed generator makes a new graph.
    """
    generator = BENCH / "generate.py"
    digest = hashlib.sha256(generator.read_bytes()).hexdigest()[:12]
    path = work / f"generated-{size}-{seed}-{digest}.ttl"
    if not path.exists():
        partial = path.with_suffix(".partial")
        subprocess.run([sys.executable, str(generator), "--triples", str(size),
                        "--seed", str(seed), "-o", str(partial)], check=True)
        partial.replace(path)
    return path


def _spawn(argv: list[str], timeout: float, env: dict[str, str] | None = None
           ) -> tuple[float, float, int, str] | None:
    """Run ``argv``; return (wall seconds, peak RSS MB, exit code, stdout), None past timeout."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                process.send_signal(signal.SIGKILL)
                os.wait4(process.pid, 0)
                process.returncode = -9
                return None
            time.sleep(0.02)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return wall, usage.ru_maxrss / 1024, process.returncode, text


def _worker(step: str, budget: Budget, spent: float = 0.0, **args: object
            ) -> tuple[dict, float] | str:
    """Run one worker step in a subprocess; its JSON answer and peak RSS, or a skip note."""
    allowed = budget.allowed(spent)
    if allowed <= 1:
        return "skipped (budget)"
    done = _spawn([sys.executable, __file__, "--worker", step, json.dumps(args)], allowed)
    if done is None:
        return f"skipped (budget): stopped after {allowed:.0f} s"
    _, rss, code, text = done
    if code != 0:
        return f"failed (exit {code})"
    return json.loads(text.strip().splitlines()[-1]), rss


def _measure(row: Row, step: str, budget: Budget, repeat: int, estimate: float | None,
             **args: object) -> dict | None:
    """Fill ``row`` with ``repeat`` runs of a worker step; returns the last answer."""
    answer = None
    for _ in range(repeat):
        guess = row.runs[-1] if row.runs else estimate
        if guess is not None and guess > budget.allowed(sum(row.runs)):
            if not row.runs:
                row.note = f"skipped (budget): about {guess:.0f} s expected"
            else:
                row.note = f"{len(row.runs)} run(s): the next would pass the budget"
            break
        result = _worker(step, budget, spent=sum(row.runs), **args)
        if isinstance(result, str):
            row.note = result if not row.runs else f"{len(row.runs)} run(s); then {result}"
            break
        answer, rss = result
        row.runs.append(float(answer["seconds"]))
        row.rss_mb = max(row.rss_mb or 0.0, rss)
    return answer


# --------------------------------------------------------------------------- worker side

def _parse_rdflib(files: list[str]):
    from rdflib import Graph

    graph = Graph()
    for path in files:
        graph.parse(path, format="nt" if path.endswith(".nt") else "turtle")
    return graph


def _work(step: str, args: dict) -> dict:
    if step == "parse":
        start = time.perf_counter()
        if args["backend"] == "rdflib":
            count = len(_parse_rdflib(args["files"]))
        else:
            import pyoxigraph as ox

            store = ox.Store()
            for path in args["files"]:
                store.load(path=path, format=ox.RdfFormat.TURTLE)
            count = len(store)
        return {"seconds": time.perf_counter() - start, "triples": count}
    if step == "reason":
        from roscosmos_graph.reasoning import infer

        graph = _parse_rdflib(args["files"])
        start = time.perf_counter()
        inferred = infer(graph, engine=args["engine"])
        seconds = time.perf_counter() - start
        if args.get("save"):
            inferred.serialize(args["save"], format="nt", encoding="utf-8")
        return {"seconds": seconds, "inferred": len(inferred)}
    if step == "validate":
        from roscosmos_graph.validation import validate_graph

        shapes = _parse_rdflib(args["shapes"])
        asserted = _parse_rdflib([*args["ontology"], *args["data"]])
        start = time.perf_counter()
        report = validate_graph(asserted, shapes, args["engine"])
        return {"seconds": time.perf_counter() - start, "conforms": report.conforms,
                "violations": len(report.violations), "results": len(report.results)}
    if step == "queries":
        from roscosmos_graph import QueryTimeoutError, get_query
        from roscosmos_graph.graph import KnowledgeGraph

        deadline = time.perf_counter() + args["deadline"]

        ontology = _parse_rdflib(args["ontology"])
        data = _parse_rdflib(args["data"])
        inferred = _parse_rdflib(args["inferred"])
        start = time.perf_counter()
        kg = KnowledgeGraph(ontology, data, inferred, [], store=args["store"],
                            timeout=args["query_timeout"])
        load = time.perf_counter() - start
        rss_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        per_query = {}
        for name, params in args["queries"].items():
            canned = get_query(name)
            times: list[float] = []
            rows, note = -1, ""
            for _ in range(args["repeat"]):
                if times and times[-1] > deadline - time.perf_counter():
                    note = "skipped (budget)" if not times else "next run would pass the budget"
                    break
                begin = time.perf_counter()
                try:
                    result = kg.run_canned(canned, params)
                except QueryTimeoutError:
                    note = f"skipped (budget): stopped at {args['query_timeout']:g} s"
                    break
                times.append(time.perf_counter() - begin)
                rows = len(result)
            per_query[name] = {"seconds": statistics.median(times) if times else None,
                               "runs": times, "rows": rows, "note": note,
                               "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                               / 1024}
            if time.perf_counter() > deadline:
                break
        return {"seconds": load, "rss_after_load_mb": rss_load, "queries": per_query}
    raise SystemExit(f"unknown worker step {step}")


# --------------------------------------------------------------------------- shipped graph

def _cli_row(row: Row, argv: list[str], budget: Budget, repeat: int,
             folder_for: Callable[[int], Path] | None = None, verdicts: bool = False) -> None:
    """Fill ``row`` with up to ``repeat`` wall-clock runs of a command line.

    Exit code 0 is success; with ``verdicts`` (validators), 1 is the verdict "does not
    conform", not a failure. Any other code marks the row failed.
    """
    for attempt in range(repeat):
        guess = row.runs[-1] if row.runs else None
        if guess is not None and guess > budget.allowed(sum(row.runs)):
            row.note = f"{len(row.runs)} run(s): the next would pass the budget"
            break
        env = None
        if folder_for is not None:
            env = dict(os.environ, ROSCOSMOS_GRAPH_CACHE=str(folder_for(attempt)))
        done = _spawn(argv, budget.allowed(sum(row.runs)), env)
        if done is None:
            row.note = "skipped (budget)" if not row.runs else \
                f"{len(row.runs)} run(s); then stopped at the budget"
            break
        wall, rss, code, _ = done
        if code not in ((0, 1) if verdicts else (0,)):
            row.note = f"failed (exit {code})"
            break
        row.runs.append(wall)
        row.rss_mb = max(row.rss_mb or 0.0, rss)
        row.extra["exit"] = code
        if code == 1:
            row.note = "exit 1: the graph does not conform (a verdict, not a crash)"
    print(_line(row), flush=True)


def _shipped(budget: Budget, repeat: int, rows: list[Row], work: Path,
             inferences: tuple[str, ...], quick: bool) -> None:
    """CLI runs on the shipped graph, cheapest and most telling first (warm, anchor, cold)."""
    from rdflib import Graph

    from roscosmos_graph import queries
    from roscosmos_graph.resources import data_files, ontology_files, shape_files

    cli = str(BIN / "roscosmos-graph")
    warm = work / "cache-warm"  # the same inputs give the same key: one cache serves all
    commands: list[tuple[str, list[str]]] = [("validate", ["validate"]), ("stats", ["stats"])]
    if not quick:
        commands.insert(1, ("validate pyshacl", ["validate", "--shacl-engine", "pyshacl"]))
    for canned in queries():
        argv = ["query", canned.name]
        for key, value in PARAMS.get(canned.name, {}).get("shipped", {}).items():
            argv += ["-p", f"{key}={value}"]
        commands.append((f"query {canned.name}", argv))
    table = {(label, state): Row("shipped CLI", label, state)
             for label, _ in commands for state in ("cold", "warm")}
    rows.extend(table.values())

    prime = _spawn([cli, "stats"], budget.allowed(), dict(os.environ,
                                                          ROSCOSMOS_GRAPH_CACHE=str(warm)))
    if prime is not None:
        for label, argv in commands:
            _cli_row(table[(label, "warm")], [cli, *argv], budget, repeat, lambda _: warm,
                     verdicts=label.startswith("validate"))

    shapes, data = Graph(), Graph()
    for path in shape_files():
        shapes.parse(path)
    for path in data_files():
        data.parse(path)
    shapes_file, data_file = work / "shapes.ttl", work / "data.ttl"
    shapes.serialize(shapes_file, format="turtle")
    data.serialize(data_file, format="turtle")
    ontology = str(ontology_files()[0])
    for inference in inferences:
        row = Row("shipped anchor", "pyshacl CLI", f"-i {inference}")
        rows.append(row)
        _cli_row(row, [str(BIN / "pyshacl"), "-s", str(shapes_file), "-e", ontology,
                       "-i", inference, "-a", str(data_file)], budget, repeat, verdicts=True)

    for label, argv in commands:
        slug = label.replace(" ", "-")
        _cli_row(table[(label, "cold")], [cli, *argv], budget, repeat,
                 lambda attempt, slug=slug: work / f"cache-cold-{slug}-{attempt}",
                 verdicts=label.startswith("validate"))


# --------------------------------------------------------------------------- generated graphs

def _generated(size: int, seed: int, budget: Budget, repeat: int, rows: list[Row],
               work: Path, previous: dict[tuple[str, str], float], scale: float,
               query_timeout: float) -> None:
    """Each step on a generated graph of ``size`` triples, each backend in the same run."""
    from roscosmos_graph.resources import ontology_files, shape_files

    graph_file = generated_graph(size, seed, work)
    ontology = [str(p) for p in ontology_files()]
    files = [*ontology, str(graph_file)]
    section = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"

    def step(name: str, label: str, worker: str, reference: Row | None = None,
             **args: object) -> tuple[Row, dict | None]:
        row = Row(section, name, label)
        rows.append(row)
        known = previous.get((name, label))
        estimate = known * scale if known is not None else None
        answer = _measure(row, worker, budget, repeat, estimate, **args)
        if row.median is not None:
            previous[(name, label)] = row.median
        if reference is not None and reference.median and row.median:
            row.ratio = reference.median / row.median
        elif reference is None and row.median:
            row.ratio = 1.0
        print(_line(row), flush=True)
        return row, answer

    ref, answer = step("parse", "rdflib", "parse", files=files, backend="rdflib")
    if answer:
        ref.extra["triples"] = answer["triples"]
    step("parse", "pyoxigraph", "parse", ref, files=files, backend="oxigraph")
    inferred_file = graph_file.with_name(graph_file.stem.replace("generated", "inferred") + ".nt")
    # the fast reasoner first: its output feeds the query stores; owlrl and pyshacl, the
    # slowest steps, come last so a tight budget cuts them rather than everything else
    fast, answer = step("reasoning", "reasonable", "reason", None, files=files,
                        engine="reasonable", save=str(inferred_file))
    fast.ratio = None
    if answer:
        fast.extra["inferred"] = answer["inferred"]
    if inferred_file.exists():
        _queries(section, budget, repeat, rows, ontology, graph_file, inferred_file,
                 previous, scale, query_timeout)
    else:
        rows.append(Row(section, "queries", "all", note="skipped: no inferred graph"))
    ref, answer = step("reasoning", "owlrl", "reason", files=files, engine="owlrl")
    if answer:
        ref.extra["inferred"] = answer["inferred"]
    rows.remove(ref)
    rows.insert(rows.index(fast), ref)
    if ref.median and fast.median:
        fast.ratio = ref.median / fast.median
    inputs = {"ontology": ontology, "data": [str(graph_file)],
              "shapes": [str(p) for p in shape_files()]}
    fast, answer = step("validation", "rudof", "validate", None, engine="rudof", **inputs)
    fast.ratio = None
    if answer:
        fast.extra.update(conforms=answer["conforms"], violations=answer["violations"])
    ref, answer = step("validation", "pyshacl", "validate", engine="pyshacl", **inputs)
    if answer:
        ref.extra.update(conforms=answer["conforms"], violations=answer["violations"])
        if fast.extra and fast.extra != ref.extra:
            fast.note = f"differs from pyshacl: {ref.extra}"
    rows.remove(ref)
    rows.insert(rows.index(fast), ref)
    if ref.median and fast.median:
        fast.ratio = ref.median / fast.median


def _queries(section: str, budget: Budget, repeat: int, rows: list[Row], ontology: list[str],
             graph_file: Path, inferred_file: Path, previous: dict[tuple[str, str], float],
             scale: float, query_timeout: float) -> None:
    """Every canned query on the memory and the Oxigraph store, one subprocess per store."""
    from roscosmos_graph import queries

    wanted = {q.name: PARAMS.get(q.name, {}).get("generated", {}) for q in queries()}
    answers: dict[str, dict] = {}
    for store in ("memory", "oxigraph"):
        row = Row(section, "store load", store)
        rows.append(row)
        known = previous.get(("store load", store))
        estimate = known * scale if known is not None else None
        if estimate is not None and estimate > budget.allowed():
            row.note = "skipped (budget)"
            continue
        # the worker stops itself before the budget, so the queries measured so far are kept
        allowed = budget.allowed()
        result = _worker("queries", budget, ontology=ontology, data=[str(graph_file)],
                         inferred=[str(inferred_file)], store=store, queries=wanted,
                         repeat=repeat, deadline=max(allowed - 10, 1),
                         query_timeout=query_timeout)
        if isinstance(result, str):
            row.note = result
            print(_line(row), flush=True)
            continue
        answer, rss = result
        row.runs, row.rss_mb = [answer["seconds"]], rss
        row.extra["rss_after_load_mb"] = answer["rss_after_load_mb"]
        previous[("store load", store)] = answer["seconds"]
        answers[store] = answer["queries"]
        print(_line(row), flush=True)
    for name in wanted:
        for store in ("memory", "oxigraph"):
            row = Row(section, f"query {name}", store)
            rows.append(row)
            got = answers.get(store, {}).get(name)
            if got is None:
                row.note = "skipped (budget)"
                continue
            row.runs, row.rss_mb, row.note = got["runs"], got["rss_mb"], got["note"]
            row.extra["rows"] = got["rows"]
            memory = answers.get("memory", {}).get(name)
            if store == "oxigraph" and memory:
                if memory["seconds"] and got["seconds"]:
                    row.ratio = memory["seconds"] / max(got["seconds"], 1e-9)
                if memory["runs"] and got["runs"] and memory["rows"] != got["rows"]:
                    row.note = f"row count differs: memory {memory['rows']}, oxigraph {got['rows']}"
            elif store == "memory":
                row.ratio = 1.0
            print(_line(row), flush=True)


# --------------------------------------------------------------------------- report

def _line(row: Row) -> str:
    median = f"{row.median:9.3f}" if row.median is not None else f"{'-':>9}"
    rss = f"{row.rss_mb:8.0f}" if row.rss_mb is not None else f"{'-':>8}"
    ratio = f"{row.ratio:7.1f}x" if row.ratio is not None else f"{'':>8}"
    extra = " ".join(f"{k}={v}" for k, v in row.extra.items() if k != "exit" or v)
    note = "; ".join(x for x in (row.note, extra) if x)
    return (f"{row.section:<14} {row.step:<26} {row.backend:<11} {len(row.runs):>2} "
            f"{median} {rss} {ratio}  {note}")


def _targets(rows: list[Row]) -> list[str]:
    """The shipped-graph targets of the issue, as measured (reported, never asserted)."""
    def median(section: str, step: str, backend: str) -> float | None:
        return next((r.median for r in rows
                     if (r.section, r.step, r.backend) == (section, step, backend)), None)

    lines = []
    cold = median("shipped CLI", "validate", "cold")
    anchor = median("shipped anchor", "pyshacl CLI", "-i owlrl")
    if cold and anchor:
        lines.append(f"target: cold validate {cold:.2f} s = {cold / anchor:.2f} x the pyshacl "
                     f"-i owlrl command's {anchor:.2f} s (target at most 0.5)")
    warm = [r for r in rows if r.section == "shipped CLI" and r.step.startswith("query ")
            and r.backend == "warm" and r.median is not None]
    if warm:
        slowest = max(warm, key=lambda r: r.median or 0.0)
        lines.append(f"target: slowest warm query {slowest.step[6:]} {slowest.median:.2f} s "
                     "wall, interpreter start included (target under 1 s)")
    return lines


def _header() -> str:
    return (f"{'graph':<14} {'step':<26} {'backend':<11} {'n':>2} {'median s':>9} "
            f"{'peak MB':>8} {'speedup':>8}  notes\n" + "-" * 110)


def _machine() -> dict[str, object]:
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    libraries = {}
    for name in ("roscosmos-graph", "rdflib", "pyoxigraph", "owlrl", "reasonable", "pyshacl"):
        try:
            libraries[name] = version(name)
        except Exception:  # a missing library is reported, not fatal
            libraries[name] = None
    return {"nproc": os.cpu_count(), "memory": memory, "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(),
            "libraries": libraries}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="shipped graph and 10k triples only, within --total seconds")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds one step may take (default 60 quick, 900 full)")
    parser.add_argument("--total", type=float, default=None,
                        help="seconds the whole run may take (default 270 quick, none full)")
    parser.add_argument("--query-timeout", type=float, default=None,
                        help="seconds one query may take (default 10 quick, 120 full)")
    parser.add_argument("--sizes", type=int, nargs="*", help="generated sizes in triples")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped graph")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS / "latest.json")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_work(args.worker[0], json.loads(args.worker[1]))))
        return 0

    sizes = args.sizes or (SIZES_QUICK if args.quick else SIZES_FULL)
    budget = Budget(args.budget or (60 if args.quick else 900),
                    args.total or (270 if args.quick else None))
    started = time.monotonic()
    rows: list[Row] = []
    machine = _machine()
    print(f"machine: {machine['nproc']} cores, {machine['memory']}, {machine['cpu']}; "
          f"python {machine['python']}")
    print(_header(), flush=True)
    work = Path(tempfile.gettempdir()) / "roscosmos-graph-bench"
    work.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work) as scratch:
        if not args.no_shipped:
            budget.share(150 if args.quick and sizes else None)
            # quick: one run per CLI command (17 cold runs reason with owlrl each time)
            _shipped(budget, 1 if args.quick else args.repeat, rows, Path(scratch),
                     ("owlrl",) if args.quick else ("owlrl", "rdfs"), args.quick)
        previous: dict[tuple[str, str], float] = {}
        last = None
        budget.share(None)
        for size in sizes:
            scale = size / last if last else 1.0
            _generated(size, args.seed, budget, args.repeat, rows, work, previous, scale,
                       args.query_timeout or (10 if args.quick else 120))
            last = size
    elapsed = time.monotonic() - started
    print(f"\nsummary (total {elapsed:.0f} s)\n" + _header())
    for row in rows:
        print(_line(row))
    targets = _targets(rows)
    for line in targets:
        print(line)
    failed = [row for row in rows if row.note.startswith("failed") or "then failed" in row.note]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "mode": "quick" if args.quick else "full",
        "seed": args.seed, "repeat": args.repeat, "sizes": list(sizes),
        "budget_step_s": budget.step, "total_s": round(elapsed, 1), "machine": machine,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": [dict(asdict(row), median=row.median) for row in rows],
        "targets": targets,
    }
    args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    print(f"wrote {args.output}")
    for row in failed:
        print(f"FAILED: {row.section} {row.step} {row.backend}: {row.note}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
