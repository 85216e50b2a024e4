"""The query page ``serve`` shows at ``/``: one self-contained HTML page, nothing fetched.

The editor starts with a ``PREFIX`` line for every prefix of :data:`PREFIXES` and a sample
query; the page POSTs the text to ``/query`` and shows the SPARQL JSON results as a table.
"""

from __future__ import annotations

from html import escape

from .namespaces import PREFIXES

__all__ = ["query_page"]

_SAMPLE = "SELECT ?station ?label WHERE {\n  ?station a rsg:SpaceStation ; rdfs:label ?label .\n}"

_SCRIPT = """
const form = document.getElementById("form"), out = document.getElementById("out");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  out.textContent = "running…";
  const reply = await fetch("query", {method: "POST",
    headers: {"Content-Type": "application/x-www-form-urlencoded",
              "Accept": "application/sparql-results+json"},
    body: new URLSearchParams({query: document.getElementById("query").value})});
  const text = await reply.text();
  if (!reply.ok) { out.textContent = text; return; }
  const data = JSON.parse(text);
  if ("boolean" in data) { out.textContent = String(data.boolean); return; }
  const table = document.createElement("table"), head = table.insertRow();
  for (const v of data.head.vars) head.insertCell().textContent = v;
  for (const b of data.results.bindings) {
    const row = table.insertRow();
    for (const v of data.head.vars) row.insertCell().textContent = b[v] ? b[v].value : "";
  }
  out.replaceChildren(table);
});
"""


def query_page() -> bytes:
    """The page's HTML, UTF-8 encoded."""
    prefixes = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in sorted(PREFIXES.items()))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>roscosmos-graph SPARQL</title>
<style>body{{font-family:sans-serif;margin:2em}}textarea{{width:100%;height:22em;
font-family:monospace}}table{{border-collapse:collapse}}td{{border:1px solid #ccc;
padding:2px 6px}}</style></head>
<body><h1>roscosmos-graph SPARQL</h1>
<p>Read-only. The prefixes below are also predeclared by the command line; the endpoint is
<code>/query</code> (SPARQL 1.1 Protocol).</p>
<form id="form"><textarea id="query" name="query">
{escape(prefixes)}

{escape(_SAMPLE)}</textarea><p><button type="submit">Run</button></p></form>
<div id="out"></div>
<script>{_SCRIPT}</script>
</body></html>
""".encode()
