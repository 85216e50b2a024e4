"""Results for notebooks: typed pandas columns, and a clear message when pandas is missing."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
from rdflib import Literal

from roscosmos_graph import QueryResult


def test_dates_become_datetimes_and_text_stays_text(kg):
    frame = kg.query("heads-on-date", date="2020-01-01").to_dataframe()
    assert list(frame.columns) == ["person", "name", "organization", "organizationName",
                                   "start", "end"]
    assert str(frame["start"].dtype).startswith("datetime64")
    assert frame.loc[0, "start"] == pd.Timestamp("2018-05-24")
    assert frame.loc[0, "person"] == "https://w3id.org/roscosmos-graph/id/dmitry-rogozin"


def test_numbers_and_booleans_get_nullable_numeric_types(kg):
    frame = kg.sparql("""SELECT ?place ?lat ?n ?flag WHERE {
        { BIND (id:baikonur-cosmodrome AS ?place) BIND (1 AS ?n) BIND (true AS ?flag)
          ?place pos:lat ?lat }
        UNION { BIND (id:iss AS ?place) BIND (false AS ?flag) } } ORDER BY ?place""").to_dataframe()
    assert {c: str(t) for c, t in frame.dtypes.items() if c != "place"} == {
        "lat": "Float64", "n": "Int64", "flag": "boolean"}
    assert frame["lat"].tolist()[0] == 45.965 and frame["lat"].isna().tolist() == [False, True]
    assert frame["n"].isna().tolist() == [False, True]
    assert frame["flag"].tolist() == [True, False]


def test_a_column_of_mixed_kinds_is_left_to_pandas():
    result = QueryResult(("x",), ((Literal(1),), (Literal("one"),)))
    assert result.to_dataframe()["x"].tolist() == [1, "one"]


def test_without_pandas_the_error_says_what_to_install(tmp_path):
    script = ("import sys; sys.modules['pandas'] = None\n"
              "import roscosmos_graph\n"
              "kg = roscosmos_graph.load(reason=False)\n"
              "try:\n"
              "    kg.query('heads').to_dataframe()\n"
              "except roscosmos_graph.MissingExtraError as error:\n"
              "    print(isinstance(error, ImportError), error)\n")
    env = {**os.environ, "ROSCOSMOS_GRAPH_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.stdout == ("True to_dataframe() needs pandas: run .venv/bin/pip install -e "
                           "'.[pandas]' in the roscosmos-graph checkout (or pip install pandas)\n")
