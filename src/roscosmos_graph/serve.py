"""``roscosmos-graph serve``: a real SPARQL 1.1 server preloaded with the graph, read-only.

The server is Oxigraph's (``oxigraph serve-read-only``, from the ``oxigraph`` package),
started as a child process on a store built in a temporary folder and on a private loopback
port. Users connect to a :class:`~roscosmos_graph.gateway.Gateway` in front of it, which
checks every query first: Oxigraph itself would follow ``SERVICE`` to other hosts. There is
a self-contained query page at ``/`` (every prefix of ``PREFIXES`` declared, nothing fetched
from elsewhere) and the SPARQL 1.1 Protocol at ``/query``; updates and Graph
Store writes are refused, and every query stops at the time limit.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from .atomic import write_atomic
from .errors import StoreError
from .gateway import Gateway
from .graph import KnowledgeGraph

__all__ = ["oxigraph_binary", "serve", "wait_for_port"]


def oxigraph_binary() -> str:
    """The ``oxigraph`` command, beside this Python or on ``PATH``.

    Raises:
        StoreError: the ``oxigraph`` package is not installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError(
            "the oxigraph server is not installed: run scripts/setup.sh in the roscosmos-graph "
            "checkout (or .venv/bin/pip install -e '.[server]')")
    return found


def wait_for_port(host: str, port: int, timeout: float, process: subprocess.Popen[bytes]) -> None:
    """Wait until ``host:port`` accepts connections, or fail if ``process`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StoreError(f"the server exited with code {process.returncode} before listening")
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise StoreError(f"the server did not listen on {host}:{port} within {timeout:g} s")


def _free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(kg: KnowledgeGraph, *, host: str = "127.0.0.1", port: int = 7878,
          timeout: float = 30.0, announce: Callable[[str], None] = print) -> int:
    """Serve ``kg`` (asserted and inferred triples) until SIGINT or SIGTERM; return 0.

    Binds to ``host`` (loopback unless told otherwise) and opens that port for listening;
    the engine itself listens on a free loopback port. The temporary store is removed on exit.

    Raises:
        StoreError: the server could not be loaded, started or bound.
    """
    binary = oxigraph_binary()
    folder = Path(tempfile.mkdtemp(prefix="roscosmos-graph-serve-"))
    try:
        dump = folder / "graph.nq"
        write_atomic(dump, kg.dataset.serialize(format="nquads", encoding="utf-8"))
        location = folder / "store"
        subprocess.run([binary, "load", "--location", str(location), "--file", str(dump)],
                       check=True, capture_output=True)
        engine_port = _free_loopback_port()
        process = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(location),
             "--bind", f"127.0.0.1:{engine_port}", "--timeout-s", str(max(1, round(timeout))),
             "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        gateway: Gateway | None = None
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True
            process.terminate()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            wait_for_port("127.0.0.1", engine_port, 30.0, process)
            gateway = Gateway(host, port, f"http://127.0.0.1:{engine_port}", timeout + 5)
            gateway.start()
            announce(f"serving the graph at http://{host}:{port}/ "
                     f"(SPARQL endpoint http://{host}:{port}/query); Ctrl-C stops")
            process.wait()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if gateway is not None:
                gateway.shutdown()
                gateway.server_close()
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        if not stopping and process.returncode:
            detail = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise StoreError(f"the server stopped with code {process.returncode}: {detail.strip()}")
        return 0
    except subprocess.CalledProcessError as error:
        raise StoreError(f"loading the server's store failed: {error.stderr.decode().strip()}") \
            from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
