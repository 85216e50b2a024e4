"""The static site: a page per entity, no broken links, no external resources, and a
search that works offline in a real headless Chromium served over loopback."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
import urllib.parse
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from context import isomorphic
from roscosmos_graph.atomic import replace_folder
from roscosmos_graph.cli import EXIT_OK, main
from roscosmos_graph.namespaces import ID
from roscosmos_graph.site import build_site, entity_path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("dot") is None,
                                reason="Graphviz 'dot' is not installed (site diagrams)")]
needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None,
                                    reason="Debian 'chromium' is not installed")


@pytest.fixture(scope="module")
def site(kg, tmp_path_factory) -> Path:
    return build_site(kg, tmp_path_factory.mktemp("build") / "site")


# --------------------------------------------------------------------------- parsing


class _Links(HTMLParser):
    """Every URL a page references, with the tag and attribute that holds it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "xlink:href", "data", "action", "srcset") and value:
                self.refs.append((tag, name, value))


def _refs(path: Path) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.refs


def _is_internal(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return not parts.scheme and not parts.netloc


def _target(site: Path, page: Path, url: str) -> Path:
    relative = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    return (page.parent / relative).resolve() if relative else page.resolve()


def _entities(kg) -> set[URIRef]:
    return {s for s in kg.data.subjects(RDF.type)
            if isinstance(s, URIRef) and str(s).startswith(str(ID))}


# --------------------------------------------------------------------------- structure


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
def test_every_entity_has_a_page_and_its_triples(kg, site):
    entities = _entities(kg)
    assert len(entities) > 100
    for iri in entities:
        page = site / entity_path(str(iri))
        assert page.is_file(), iri
        for suffix in (".ttl", ".jsonld"):
            graph = Graph().parse(page.with_suffix(suffix),
                                  format="turtle" if suffix == ".ttl" else "json-ld")
            assert isomorphic(graph, kg.data.cbd(iri)), (iri, suffix)
    assert (site / "id" / "dmitry-rogozin.html").is_file()
    assert (site / "id" / "dmitry-rogozin.ttl").is_file()
    assert (site / "id" / "dmitry-rogozin.jsonld").is_file()
    pages = {p for p in (site / "id").glob("*.html")}
    assert len(pages) == len(entities)


def test_no_broken_internal_link(site):
    checked = 0
    for page in [*site.rglob("*.html"), *site.glob("diagrams/*.svg")]:
        for tag, attribute, url in _refs(page):
            if _is_internal(url):
                target = _target(site, page, url)
                assert target.is_file(), f"{page.relative_to(site)}: <{tag} {attribute}={url}>"
                assert site.resolve() in target.parents
                checked += 1
    assert checked > 1000


def test_no_external_resource_is_referenced(site):
    loaders = {"script", "link", "img", "iframe", "source", "video", "audio", "object", "embed",
               "image", "use", "form", "input"}
    for page in site.rglob("*.html"):
        for tag, _attribute, url in _refs(page):
            if tag in loaders:
                assert _is_internal(url), f"{page.relative_to(site)} loads <{tag} {url}>"
        text = page.read_text(encoding="utf-8")
        assert "@import" not in text and "url(" not in text
        assert '<meta name="viewport"' in text
    css = (site / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_roscosmos_page_leads_to_rogozin(site):
    start = (site / "id" / "roscosmos.html").resolve()
    goal = (site / "id" / "dmitry-rogozin.html").resolve()
    seen = {start: 0}
    queue = deque([start])
    while queue:
        page = queue.popleft()
        if page == goal:
            break
        for _tag, _attribute, url in _refs(page):
            if _is_internal(url):
                target = _target(site, page, url)
                if target.suffix == ".html" and target not in seen:
                    seen[target] = seen[page] + 1
                    queue.append(target)
    assert goal in seen, "Dmitry Rogozin's page is not reachable from the Roscosmos page"
    assert seen[goal] <= 2


def test_rogozin_page_shows_his_tenure_with_its_source(kg, site):
    text = (site / "id" / "dmitry-rogozin.html").read_text(encoding="utf-8")
    assert "<h1>Dmitry Rogozin</h1>" in text and "Дмитрий Рогозин" in text
    rows = re.findall(r"<tr>.*?</tr>", text, flags=re.S)
    tenure = [r for r in rows if "2018-05-24" in r]
    assert len(tenure) == 1, "one dated role starting 2018-05-24"
    row = tenure[0]
    assert "2022-07-15" in row
    assert 'href="roscosmos.html"' in row
    assert 'href="src-enwiki-dmitry-rogozin.html"' in row
    url = kg.data.value(ID["src-enwiki-dmitry-rogozin"], URIRef("https://schema.org/url"))
    assert url is not None
    assert f'href="{url}"' in row
    assert 'href="https://en.wikipedia.org/wiki/Dmitry_Rogozin"' in text  # isPrimaryTopicOf
    assert 'href="http://dbpedia.org/resource/Dmitry_Rogozin"' in text  # skos:exactMatch
    assert "Heads of the agency" in text and "<svg" in text  # the leaders timeline


def test_each_fact_shows_the_source_cited_for_it(site):
    text = (site / "id" / "dmitry-rogozin.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td>"
                      r"<td class=\"cite\">(.*?)</td></tr>", text)
    birth = [(value, cite) for name, value, cite in rows if name == "schema:birthDate"]
    assert birth == [("1963-12-21", '<a href="src-enwiki-dmitry-rogozin.html">'
                                    "Dmitry Rogozin</a>")]
    assert "qualifiedDerivation" not in text
    born = (site / "id" / "jerry-l-ross.html").read_text(encoding="utf-8")
    place = re.search(r"<h3>schema:birthPlace</h3>\s*<ul class=\"plain\">(.*?)</ul>", born)
    assert place is not None
    assert 'class="cite">(<a href="src-nasa-nesc-bio-jerry-ross.html">' in place.group(1)


def test_diagrams_on_lineage_pages(kg, site):
    organisations = {r[k] for r in kg.query("lineage").records() for k in ("from", "to")}
    for iri in organisations:
        text = (site / entity_path(iri)).read_text(encoding="utf-8")
        assert "Lineage of Roscosmos" in text and "Federal Space Agency" in text
    for iri in {r["person"] for r in kg.query("heads").records()}:
        assert "Heads of the agency" in (site / entity_path(iri)).read_text(encoding="utf-8")
    unrelated = (site / "id" / "russia.html").read_text(encoding="utf-8")
    assert "<svg" not in unrelated


def test_text_is_escaped(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text
        # every '<' starts a tag, a comment or a doctype: label text never leaks markup
        assert not re.search(r"<(?![a-zA-Z/!?])", text), page


def test_rebuild_replaces_the_folder(kg, tmp_path, capsys):
    target = tmp_path / "site"

    def previous(staging: Path) -> None:  # a previous site, marked by its manifest
        (staging / "index.html").write_text("old", encoding="utf-8")
        (staging / "stale.html").write_text("old", encoding="utf-8")

    replace_folder(target, previous)
    assert main(["site", "-o", str(target)]) == EXIT_OK
    assert not (target / "stale.html").exists()
    assert (target / "index.html").is_file()
    assert "wrote" in capsys.readouterr().out


# --------------------------------------------------------------------------- browser


class _Recorder(http.server.SimpleHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Trap(http.server.BaseHTTPRequestHandler):
    """A proxy that refuses everything: any request reaching it left loopback."""

    requests: list[str]

    def _refuse(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        self.send_error(403)

    do_GET = do_POST = do_HEAD = do_CONNECT = do_PUT = _refuse

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(handler: type, **kwargs: object) -> tuple[http.server.ThreadingHTTPServer, list[str]]:
    log: list[str] = []
    bound = type(handler.__name__, (handler,), {"requests": log})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(bound, **kwargs))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, log


@pytest.fixture(scope="module")
def served(site) -> Iterator[tuple[str, list[str], list[str]]]:
    server, requests = _serve(_Recorder, directory=str(site))
    trap, trapped = _serve(_Trap)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield base, requests, trapped, trap.server_address[1]
    server.shutdown()
    trap.shutdown()


def _chromium(url: str, tmp_path: Path, trap_port: int, *extra: str) -> tuple[str, str]:
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-default-apps",
               "--disable-extensions", "--no-pings", "--disable-domain-reliability",
               "--disable-client-side-phishing-detection",
               "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter",
               f"--user-data-dir={tmp_path / 'profile'}",
               f"--proxy-server=http://127.0.0.1:{trap_port}",
               "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", *extra, url]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, stderr[-2000:]
    return done.stdout.decode("utf-8", "replace"), stderr


# Chromium's own service chatter (component updates, accounts, autofill), which the flags
# reduce but do not silence; it goes to the trap like any other request and is set apart
# by exact host. A page resource from anywhere else (fonts, CDNs) still fails the tests.
_BROWSER_SERVICES = {"update.googleapis.com", "clients2.google.com", "accounts.google.com",
                     "content-autofill.googleapis.com", "optimizationguide-pa.googleapis.com",
                     "safebrowsing.googleapis.com", "redirector.gvt1.com", "edgedl.me.gvt1.com",
                     "clientservices.googleapis.com", "android.clients.google.com"}


def _left_loopback(trapped: list[str]) -> list[str]:
    """Requests the trap proxy saw, other than Chromium's own service chatter."""
    out = []
    for line in trapped:
        _method, _, target = line.partition(" ")
        host = urllib.parse.urlsplit(target).hostname if "://" in target \
            else target.rsplit(":", 1)[0]
        if host not in _BROWSER_SERVICES:
            out.append(line)
    return out


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@needs_chromium
@pytest.mark.parametrize("query", ["Рогозин", "рогозин", "Rogozin", "rogozin", "Dmitry Rog"])
def test_search_finds_rogozin_in_both_scripts(served, tmp_path, query):
    base, requests, trapped, trap_port = served
    url = f"{base}/index.html?q={urllib.parse.quote(query)}"
    dom, stderr = _chromium(url, tmp_path, trap_port, "--dump-dom")
    results = re.search(r'<ul id="results"[^>]*>(.*?)</ul>', dom, flags=re.S)
    assert results, dom[:500]
    assert 'href="id/dmitry-rogozin.html"' in results.group(1)
    assert "Dmitry Rogozin" in results.group(1)
    assert "Uncaught" not in stderr, _console(stderr)
    assert not [line for line in _console(stderr) if "error" in line.lower()]
    assert _left_loopback(trapped) == [], f"requests left loopback: {trapped}"
    assert any(path.startswith("/index.html") for path in requests)


@needs_chromium
def test_search_without_match_and_without_query(served, tmp_path):
    base, _requests, trapped, trap_port = served
    dom, stderr = _chromium(f"{base}/index.html?q=zzzqqq", tmp_path, trap_port, "--dump-dom")
    assert re.search(r'<ul id="results"[^>]*>\s*</ul>', dom)
    assert "0 matches" in dom
    dom, stderr = _chromium(f"{base}/index.html", tmp_path, trap_port, "--dump-dom")
    assert 'href="id/dmitry-rogozin.html"' in dom  # grouped listing shown without a query
    assert "Uncaught" not in stderr
    assert _left_loopback(trapped) == []


@needs_chromium
def test_screenshots_and_no_external_requests(served, tmp_path):
    base, requests, trapped, trap_port = served
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {"site-index-search.png": (f"{base}/index.html?q=%D0%A0%D0%BE%D0%B3%D0%BE%D0%B7",
                                       "1000,900"),
             "site-rogozin-phone.png": (f"{base}/id/dmitry-rogozin.html", "390,1600"),
             "site-roscosmos.png": (f"{base}/id/roscosmos.html", "1200,1400")}
    for name, (url, size) in shots.items():
        target = ARTIFACTS / name
        target.unlink(missing_ok=True)
        _out, stderr = _chromium(url, tmp_path, trap_port, f"--screenshot={target}",
                                 f"--window-size={size}", "--hide-scrollbars")
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "Uncaught" not in stderr, _console(stderr)
    assert "/style.css" in requests
    assert "/id/dmitry-rogozin.html" in requests
    assert _left_loopback(trapped) == [], f"requests left loopback: {trapped}"


@needs_chromium
def test_the_trap_catches_an_external_resource(served, tmp_path):
    """The check has teeth: a page loading an outside image shows up at the trap."""
    _base, _requests, trapped, trap_port = served
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "p.html").write_text('<img src="http://example.org/pixel.png">', encoding="utf-8")
    server, _log = _serve(_Recorder, directory=str(probe))
    try:
        _chromium(f"http://127.0.0.1:{server.server_address[1]}/p.html", tmp_path, trap_port,
                  "--dump-dom")
    finally:
        server.shutdown()
    assert any("example.org" in line for line in _left_loopback(trapped))
    trapped[:] = [line for line in trapped if "example.org" not in line]
