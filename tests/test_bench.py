"""The benchmark can run every canned query: each required parameter has a value for the
shipped graph and for the generated ones."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

import pytest

import roscosmos_graph

RUN = Path(__file__).parent.parent / "bench" / "run.py"


@functools.cache
def _bench_params() -> dict[str, dict[str, dict[str, str]]]:
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.PARAMS


@pytest.mark.parametrize("query", roscosmos_graph.queries(), ids=lambda q: q.name)
def test_every_required_parameter_has_a_bench_value(query):
    required = {p.name for p in query.parameters if p.required}
    params = _bench_params().get(query.name, {})
    for kind in ("shipped", "generated"):
        assert required <= set(params.get(kind, {})), (query.name, kind)
