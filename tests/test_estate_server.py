"""The loopback estate server, and the integrity of the estates it serves (the test fixture and the demo).

Server behaviours are checked on a small estate built per test; the fixture checks make sure every
link in tests/estate and govwatch/demo/estate either works or is listed as a dead link in the
estate's EXPECTED.toml, and that nothing in them can send a request off this machine.
"""

from __future__ import annotations

import re
import threading
import time
import tomllib
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from govwatch.demo.server import INVALID_URL, EstateServer
from core.model import KINDS

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "estate"
DEMO = REPO / "govwatch" / "demo" / "estate"
ESTATES = [pytest.param(FIXTURE, id="fixture"), pytest.param(DEMO, id="demo")]

GBK_TEXT = "朱镕基同志和王喆老师"  # GBK-only characters: a GB2312 decoder cannot read them

MINI_ROUTES = """
["/500.jsp"]
status = 500
body = "<html><body>服务器内部错误</body></html>"
["/r1"]
redirect = "/r2"
redirect_status = 301
["/r2"]
redirect = "{{site:b}}/"
["/loop1"]
redirect = "/loop2"
["/loop2"]
redirect = "/loop1"
["/slow.html"]
sleep = 5
["/reset.html"]
reset = true
["/nohead.html"]
reject_head = true
["/nohead-missing.html"]
reject_head = true
status = 404
["/gb-header.html"]
content_type = "text/html; charset=gbk"
["/q.jsp"]
status = 404
["/q.jsp?id=1"]
body = "<p>one</p>"
["/big.html"]
size = 100000
["/generated-big.html"]
size = 5000
["/cal.html"]
calendar = true
month = "2026-12"
["/alias.jsp"]
file = "/dir/index.html"
"""


def _write(root: Path, rel: str, data: bytes | str, encoding: str = "utf-8") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


@pytest.fixture
def mini(tmp_path: Path) -> Iterator[EstateServer]:
    """Two sites, `a` (every behaviour) and `b`, plus fixture machinery that must not be served."""
    a, b = tmp_path / "a", tmp_path / "b"
    _write(a, "index.html", '<html><body><a href="{{site:b}}/page.html">b</a></body></html>')
    _write(a, "gb.html", '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
           f"</head><body><p>{GBK_TEXT}</p><a href=\"{{{{site:b}}}}/\">b</a><a href=\"{{{{refused}}}}/x.html\">r</a>"
           '<a href="{{invalid}}/">d</a><a href="{{tls:b}}/">t</a><a href="{{site:nosuch}}/">?</a></body></html>',
           "gbk")
    _write(a, "gb-header.html", f"<html><head><meta charset='utf-8'></head><body>{GBK_TEXT}</body></html>", "gbk")
    _write(a, "img.png", b"\x89PNG\r\n\x1a\n{{site:b}}\x00")
    _write(a, "dir/index.html", "<html><body>栏目</body></html>")
    _write(a, "nohead.html", "<html><body>正常页面</body></html>")
    _write(a, "big.html", "<html><body><p>开头</p><!--fill--><p>结尾</p></body></html>")
    _write(a, "cal.html", '<html><body><h1>{{month_label}}</h1><a href="cal.html?month={{prev_month}}">上</a>'
           '<a href="cal.html?month={{next_month}}">下</a><a href="cal.html?date={{month}}-05">5日</a></body></html>')
    _write(a, "_routes.toml", MINI_ROUTES)
    _write(a, "_secret/notes.html", "<html>不应被访问</html>")
    _write(b, "index.html", "<html><body>站点B</body></html>")
    _write(b, "page.html", "<html><body>B 页面</body></html>")
    _write(tmp_path, "_ignored/index.html", "<html>not a site</html>")
    with EstateServer(tmp_path) as server:
        yield server


def get(url: str, **kwargs: Any) -> requests.Response:
    kwargs.setdefault("timeout", 3)
    return requests.get(url, **kwargs)


# -- sites, addresses, static files -------------------------------------------------------------


def test_each_directory_is_a_site_on_its_own_port(mini: EstateServer) -> None:
    assert mini.sites == ["a", "b"]  # _ignored is fixture machinery
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", mini.url("a"))
    assert mini.url("a") != mini.url("b")
    assert mini.base("b") == mini.url("b").rstrip("/")
    assert get(mini.url("b")).content.decode() == "<html><body>站点B</body></html>"
    with pytest.raises(KeyError):
        mini.url("nosuch")


def test_html_goes_out_without_charset_and_other_types_by_extension(mini: EstateServer) -> None:
    page = get(mini.base("a") + "/dir/index.html")
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html"
    assert get(mini.base("a") + "/img.png").headers["Content-Type"] == "image/png"


def test_directory_serves_index_and_slashless_directory_redirects(mini: EstateServer) -> None:
    assert "栏目" in get(mini.base("a") + "/dir/").content.decode()
    moved = get(mini.base("a") + "/dir?x=1", allow_redirects=False)
    assert moved.status_code == 301 and moved.headers["Location"] == "/dir/?x=1"


@pytest.mark.parametrize("path", ["/missing.html", "/_routes.toml", "/_secret/notes.html", "/%2e%2e/b/index.html"])
def test_missing_and_machinery_paths_are_chinese_404s(mini: EstateServer, path: str) -> None:
    response = get(mini.base("a") + path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode("utf-8")


def test_head_answers_headers_only(mini: EstateServer) -> None:
    response = requests.head(mini.base("a") + "/dir/index.html", timeout=3)
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len("<html><body>栏目</body></html>".encode())
    assert response.content == b""


# -- placeholders -------------------------------------------------------------------------------


def test_placeholders_are_substituted_in_gbk_bytes(mini: EstateServer) -> None:
    body = get(mini.base("a") + "/gb.html").content
    text = body.decode("gbk")  # still valid GBK after substitution
    assert GBK_TEXT in text
    assert f'href="{mini.base("b")}/"' in text
    assert f'href="http://127.0.0.1:{mini.closed_port}/x.html"' in text
    assert f'href="{INVALID_URL}/"' in text
    assert f'href="https://127.0.0.1:{mini.port("b")}/"' in text
    assert "{{site:nosuch}}" in text  # an unknown site stays visible (the fixture tests catch it)


def test_binary_files_are_served_byte_exact(mini: EstateServer) -> None:
    assert get(mini.base("a") + "/img.png").content == b"\x89PNG\r\n\x1a\n{{site:b}}\x00"


def test_expand_turns_expected_evidence_into_urls(mini: EstateServer) -> None:
    assert mini.expand("{{site:a}}/x.html") == mini.base("a") + "/x.html"
    assert mini.expand("{{refused}}/x.html") == f"http://127.0.0.1:{mini.closed_port}/x.html"
    assert mini.expand("{{invalid}}/") == "http://nonexistent.invalid/"


# -- failures -----------------------------------------------------------------------------------


def test_closed_port_refuses_connections(mini: EstateServer) -> None:
    with pytest.raises(requests.ConnectionError):
        get(f"http://127.0.0.1:{mini.closed_port}/x.html")


def test_tls_to_a_plain_port_fails_the_handshake_at_once(mini: EstateServer) -> None:
    started = time.monotonic()
    with pytest.raises(requests.exceptions.SSLError):
        get(mini.expand("{{tls:b}}/"), verify=False)
    assert time.monotonic() - started < 2
    assert mini.tls_attempts["b"] >= 1


def test_status_route_with_body(mini: EstateServer) -> None:
    response = get(mini.base("a") + "/500.jsp?from=home")  # the query falls back to the path's route
    assert response.status_code == 500
    assert "服务器内部错误" in response.content.decode("utf-8")


def test_exact_query_route_wins_over_path_route(mini: EstateServer) -> None:
    assert get(mini.base("a") + "/q.jsp?id=1").status_code == 200
    assert get(mini.base("a") + "/q.jsp?id=2").status_code == 404
    assert get(mini.base("a") + "/q.jsp").status_code == 404


def test_redirect_chain_with_placeholder_ends_on_the_other_site(mini: EstateServer) -> None:
    response = get(mini.base("a") + "/r1")
    assert [r.status_code for r in response.history] == [301, 302]
    assert response.url == mini.url("b") and response.status_code == 200


def test_redirect_loop(mini: EstateServer) -> None:
    with pytest.raises(requests.TooManyRedirects):
        get(mini.base("a") + "/loop1")


def test_reset_route_aborts_the_connection(mini: EstateServer) -> None:
    with pytest.raises(requests.ConnectionError) as info:
        get(mini.base("a") + "/reset.html")
    assert "reset" in str(info.value).lower()
    assert mini.errors == []


def test_sleep_route_times_out_and_stop_does_not_wait_for_it(tmp_path: Path) -> None:
    _write(tmp_path / "s", "_routes.toml", '["/slow.html"]\nsleep = 30\n')
    server = EstateServer(tmp_path).start()
    url = server.base("s") + "/slow.html"
    with pytest.raises(requests.exceptions.ReadTimeout):
        get(url, timeout=0.5)
    outcome: list[str] = []

    def client() -> None:
        try:
            get(url, timeout=20)
            outcome.append("answered")
        except requests.RequestException as exc:
            outcome.append(type(exc).__name__)

    thread = threading.Thread(target=client)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3
    thread.join(timeout=5)
    assert outcome and outcome[0] != "answered"


def test_reject_head(mini: EstateServer) -> None:
    assert requests.head(mini.base("a") + "/nohead.html", timeout=3).status_code == 405
    assert get(mini.base("a") + "/nohead.html").status_code == 200
    assert requests.head(mini.base("a") + "/nohead-missing.html", timeout=3).status_code == 405
    missing = get(mini.base("a") + "/nohead-missing.html")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()


def test_post_is_answered_like_get(mini: EstateServer) -> None:
    response = requests.post(mini.base("a") + "/q.jsp?id=1", data={"startrecord": "1"}, timeout=3)
    assert response.status_code == 200 and response.content == b"<p>one</p>"


def test_content_type_route_overrides_the_meta(mini: EstateServer) -> None:
    response = get(mini.base("a") + "/gb-header.html")
    assert response.headers["Content-Type"] == "text/html; charset=gbk"
    assert GBK_TEXT in response.content.decode("gbk")


def test_size_route_pads_the_file_at_its_marker(mini: EstateServer) -> None:
    body = get(mini.base("a") + "/big.html").content
    assert len(body) == 100000
    text = body.decode("utf-8")
    assert text.startswith("<html><body><p>开头</p>") and text.endswith("<p>结尾</p></body></html>")
    assert len(get(mini.base("a") + "/generated-big.html").content) == 5000  # no file: a stock page


def test_calendar_route_links_on_forever(mini: EstateServer) -> None:
    default = get(mini.base("a") + "/cal.html").content.decode()
    assert "2026年12月" in default and "month=2026-11" in default and "month=2027-01" in default
    later = get(mini.base("a") + "/cal.html?month=2099-01").content.decode()
    assert "month=2098-12" in later and "month=2099-02" in later and "date=2099-01-05" in later
    assert "2030年6月" in get(mini.base("a") + "/cal.html?date=2030-06-05").content.decode()


def test_file_route_serves_another_file(mini: EstateServer) -> None:
    response = get(mini.base("a") + "/alias.jsp?anything=1")
    assert response.status_code == 200 and "栏目" in response.content.decode()


def test_hits_count_requests_per_site_and_path(mini: EstateServer) -> None:
    mini.reset_counts()
    get(mini.base("b") + "/page.html")
    requests.head(mini.base("b") + "/page.html", timeout=3)
    get(mini.base("a") + "/q.jsp?id=1")
    assert mini.hits[("b", "/page.html")] == 2
    assert mini.hit_count("b", "/page.html", "HEAD") == 1
    assert mini.hit_count("a", "/q.jsp?id=1") == 1
    assert mini.hit_count("b") == 2


def test_unknown_route_key_fails_at_start(tmp_path: Path) -> None:
    _write(tmp_path / "s", "_routes.toml", '["/x.html"]\nstatuss = 500\n')
    with pytest.raises(ValueError, match="statuss"):
        EstateServer(tmp_path).start()


# -- the estates: fixture and demo ---------------------------------------------------------------

TEXT_SUFFIXES = {".html", ".htm", ".shtml", ".js", ".xml", ".css", ".jsp", ".txt", ".json"}
_PLACEHOLDER = re.compile(r"\{\{(site|tls):([A-Za-z0-9_.-]+)\}\}")
_LINK = re.compile(r"""(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LITERAL_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9]""")


def _text_files(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES:
            raw = path.read_bytes()
            try:
                yield path, raw.decode("utf-8")
            except UnicodeDecodeError:
                yield path, raw.decode("gb18030")


def _expected(root: Path) -> dict[str, Any]:
    with open(root / "EXPECTED.toml", "rb") as f:
        return tomllib.load(f)


def _site_dirs(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


@pytest.mark.parametrize("root", ESTATES)
def test_placeholders_name_served_sites(root: Path) -> None:
    sites = set(_site_dirs(root))
    for path, text in _text_files(root):
        for _, name in _PLACEHOLDER.findall(text):
            assert name in sites, f"{path.relative_to(root)}: {{{{site:{name}}}}} names no site directory"


@pytest.mark.parametrize("root", ESTATES)
def test_no_literal_url_can_leave_loopback(root: Path) -> None:
    """Every absolute URL is a placeholder, so a crawl of the estate never leaves 127.0.0.1."""
    for path, text in _text_files(root):
        if path.suffix == ".py":
            continue
        text = re.sub(r'"-//W3C//DTD[^"]*"', "", text)  # DOCTYPE public identifiers are not URLs
        text = re.sub(r"^\s*//.*$|[;{}]\s*//.*$", "", text, flags=re.M)  # JS line comments
        found = _LITERAL_URL.findall(text)
        assert not found, f"{path.relative_to(root)}: literal URL {found[:3]}; use a placeholder"


def test_gbk_site_is_stored_as_gbk() -> None:
    pages = [p for p in (FIXTURE / "gbk").rglob("*.html")]
    assert len(pages) >= 10
    combined = ""
    for page in pages:
        raw = page.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        combined += raw.decode("gbk")
    assert "镕" in combined and "喆" in combined
    assert 'charset=gb2312' in (FIXTURE / "gbk" / "index.html").read_bytes().decode("gbk")


def test_demo_gbk_site_is_stored_as_gbk() -> None:
    pages = list((DEMO / "jyj").rglob("*.html"))
    assert pages
    text = "".join(p.read_bytes().decode("gbk") for p in pages)
    assert "镕" in text and "喆" in text
    with pytest.raises(UnicodeDecodeError):
        pages[0].read_bytes().decode("utf-8")


def test_demo_sites_toml_names_served_directories() -> None:
    with open(DEMO / "sites.toml", "rb") as f:
        sites = tomllib.load(f)["sites"]
    names = {s["name"] for s in sites}
    assert {s["dir"] for s in sites} <= set(_site_dirs(DEMO))
    assert sum(1 for s in sites if not s["parent"]) == 1
    assert all(s["parent"] in names for s in sites if s["parent"])
    assert all(s["name"] and s["unit"] for s in sites)


def _page_file(root: Path, site: str, path: str) -> Path:
    rel = urlsplit(path).path
    rel = rel + "index.html" if rel.endswith("/") else rel
    return root / site / rel.lstrip("/")


@pytest.mark.parametrize("root", ESTATES)
def test_expected_findings_point_at_real_content(root: Path) -> None:
    expected = _expected(root)
    attachments = expected.get("attachments", {})
    cases = [f["case"] for f in expected["finding"]]
    assert len(cases) == len(set(cases)), "duplicate case names"
    for finding in expected["finding"]:
        assert finding["kind"] in KINDS, finding
        assert finding["site"] in _site_dirs(root), finding
        if finding["path"] in attachments:
            source = repr(attachments[finding["path"]])
        else:
            page = _page_file(root, finding["site"], finding["path"])
            assert page.is_file(), f"{finding['case']}: no file {page}"
            source = dict(_text_files(page.parent))[page]
        evidence = finding["evidence"]
        if finding["kind"] == "privacy_leak":
            if finding["pii"] == "id_card":
                assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", evidence), evidence
                pattern = re.escape(evidence[:6]) + r"\d{8}" + re.escape(evidence[-4:])
            else:
                assert re.fullmatch(r"1\d{2}\*{4}\d{4}", evidence), evidence
                pattern = re.escape(evidence[:3]) + r"\d{4}" + re.escape(evidence[-4:])
            assert re.search(pattern, source), f"{finding['case']}: number not on the page"
        elif finding["kind"] in ("dead_link", "hidden_link"):
            site_base = "{{site:%s}}" % finding["site"]
            relative = evidence.removeprefix(site_base)
            assert evidence in source.replace("&amp;", "&") or (
                relative != evidence and (f'"{relative}"' in source.replace("&amp;", "&")
                                          or f"'{relative}'" in source)
            ) or _relative_in(source, finding["path"], relative), f"{finding['case']}: link not on the page"
        else:
            assert evidence in source, f"{finding['case']}: {evidence!r} not on the page"


def _relative_in(source: str, page_path: str, target_path: str) -> bool:
    """Whether `source` (at `page_path`) links to `target_path` with a relative href."""
    for match in _LINK.finditer(source):
        href = match.group(1) or match.group(2) or ""
        if urlsplit(urljoin("http://h" + page_path, href)).path == target_path:
            return True
    return False


@pytest.fixture(scope="module", params=ESTATES)
def served(request: pytest.FixtureRequest) -> Iterator[tuple[Path, EstateServer]]:
    with EstateServer(request.param) as server:
        yield request.param, server


def test_every_other_link_in_the_estate_works(served: tuple[Path, EstateServer]) -> None:
    """A link is either listed as dead in EXPECTED.toml (or is an attachment generated at test
    time) or answers 200 on loopback: the fixture has no accidental dead links."""
    root, server = served
    expected = _expected(root)
    dead = {server.expand(f["evidence"]) for f in expected["finding"] if f["kind"] == "dead_link"}
    generated = {server.base(a["site"]) + path for path, a in expected.get("attachments", {}).items()}
    outside = set(expected.get("outside", []))
    targets: dict[str, str] = {}
    for site in _site_dirs(root):
        if site in outside:
            continue
        for path, text in _text_files(root / site):
            if path.suffix not in (".html", ".htm", ".jsp") or path.name.startswith("_"):
                continue
            page_url = server.base(site) + "/" + path.relative_to(root / site).as_posix()
            for match in _LINK.finditer(server.expand(text)):
                href = (match.group(1) or match.group(2) or "").replace("&amp;", "&").strip()
                if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")) or "\\" in href:
                    continue
                targets.setdefault(urljoin(page_url, href).split("#")[0], page_url)
    assert len(targets) > 10
    checked = 0
    for url, referrer in sorted(targets.items()):
        if url in dead or url in generated:
            continue
        assert urlsplit(url).hostname == "127.0.0.1", f"{url} (on {referrer}) leaves loopback"
        with requests.get(url, timeout=3, stream=True) as response:
            assert response.status_code == 200, f"{url} (on {referrer}): HTTP {response.status_code}"
        checked += 1
    assert checked > 10
    assert server.errors == []


def test_fixture_live_links_are_not_dead(served: tuple[Path, EstateServer]) -> None:
    root, server = served
    expected = _expected(root)
    dead = {f["evidence"] for f in expected["finding"] if f["kind"] == "dead_link"}
    generated = {"{{site:%s}}%s" % (a["site"], p) for p, a in expected.get("attachments", {}).items()}
    for link in expected.get("live_links", []):
        assert link not in dead
        if not link.startswith("{{") or link in generated:
            continue
        with requests.get(server.expand(link), timeout=3, stream=True) as response:
            assert response.status_code == 200, link


def test_fixture_lists_are_only_reachable_through_their_scripts() -> None:
    """The pagination and datastore facts hold: those articles are linked nowhere else."""
    expected = _expected(FIXTURE)
    facts = expected["pages"]
    cases = [("portal", facts["trs_pagination"]["only_via_pagination"],
              {"/xwzx/zwyw/index_1.html", "/xwzx/zwyw/index_2.html"}),
             ("gbk", facts["datastore"]["only_via_datastore"],
              {facts["datastore"]["path"], "/module/web/jpage/dataproxy.jsp"}),
             ("gbk", facts["datastore_small"]["only_via_datastore"], {facts["datastore_small"]["path"]})]
    for site, articles, allowed in cases:
        for article in articles:
            assert _page_file(FIXTURE, site, article).is_file(), article
            name = article.rsplit("/", 1)[1]
            linking = {"/" + p.relative_to(FIXTURE / site).as_posix()
                       for p, text in _text_files(FIXTURE / site) if name in text}
            linking.discard(article)
            assert linking and linking <= allowed, f"{article} is linked from {linking - allowed}"


def test_fixture_page_facts_match_the_files() -> None:
    facts = _expected(FIXTURE)["pages"]
    for name, fact in facts.items():
        if "path" not in fact or "text" not in fact:
            continue
        source = dict(_text_files(_page_file(FIXTURE, fact["site"], fact["path"]).parent))
        text = source[_page_file(FIXTURE, fact["site"], fact["path"])]
        assert fact["text"] in text, name
        if "title" in fact:
            assert f"<title>{fact['title']}</title>" in text, name
    large = facts["large"]
    routes = tomllib.loads((FIXTURE / large["site"] / "_routes.toml").read_text("utf-8"))
    assert routes[large["path"]]["size"] == large["size"]
