"""Sites are their own: three sites serving identical pages are each covered whole, with their own
findings; a scan spread over two crawl processes stores every page once and finds what one finds.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import psutil
import pytest

from bench.estate import GeneratedEstate
from tests.integration.test_supervision import (ENV, crawl_children, crawl_log, query, scans_json, stored_pages,
                                                wait_until, write_config)
from tests.support.crawls import frontier_folder
from tests.support.loopback import Loopback, QuietHandler

ARTICLES = 12
PAGES = 150


def _send_html(handler: BaseHTTPRequestHandler, body: str) -> None:
    data = body.encode("utf-8")
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class _Handler(QuietHandler):
    """The same bytes on every port: relative links only, one of them dead."""

    def do_GET(self) -> None:
        if self.path in ("/", "/index.html"):
            links = "".join(f'<li><a href="a{i}.html">第{i}篇文章</a></li>' for i in range(ARTICLES))
            body = (f'<html><head><title>县政府</title></head><body><ul>{links}'
                    f'<li><a href="missing.html">已删除的通知</a></li></ul></body></html>')
        elif self.path.startswith("/a") and self.path[2:-5].isdigit():
            n = int(self.path[2:-5])
            body = (f"<html><head><title>第{n}篇文章</title></head><body><h1>第{n}篇文章</h1>"
                    f'<p>正文{n}。</p><a href="index.html">首页</a></body></html>')
        else:
            self.send_error(404)
            return
        _send_html(self, body)


@pytest.fixture
def identical_sites() -> Iterator[list[str]]:
    sites = [Loopback(_Handler) for _ in range(3)]
    yield [site.url for site in sites]
    for site in sites:
        site.close()


def scan(config: Path) -> list[dict[str, Any]]:
    out = config.parent / "findings.json"
    run = subprocess.run([sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--json", str(out)],
                         capture_output=True, text=True, env=ENV, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(out.read_text(encoding="utf-8"))["findings"]


@pytest.mark.parametrize("processes", [1, 2])
def test_three_sites_serving_identical_pages_are_each_covered_whole(tmp_path: Path, identical_sites: list[str],
                                                                   processes: int) -> None:
    names = ["甲县人民政府", "乙县人民政府", "丙县人民政府"]
    config = write_config(tmp_path, list(zip(names, identical_sites)), f"processes = {processes}")
    findings = scan(config)
    per_site = dict(query(config, "SELECT sites.name, count(*) FROM pages JOIN sites ON sites.id = pages.site_id "
                                  "GROUP BY sites.name"))
    assert per_site == {name: ARTICLES + 1 for name in names}
    assert scans_json(config)["pages"] == 3 * (ARTICLES + 1)
    dead = {f["site"] for f in findings if f["kind"] == "dead_link"}
    assert dead == set(names), "every site's own dead link is its own finding"


class _CrossHandler(QuietHandler):
    """Site A links to a page of site B that B's own pages never link to: B's page all the same."""

    other = ""  # site B's base URL, set on A's handler class

    def do_GET(self) -> None:
        own = "".join(f'<a href="p{i}.html">第{i}页</a>' for i in range(5))
        if self.path in ("/", "/index.html"):
            extra = f'<a href="{self.other}hidden.html">专题</a>' if self.other else ""
            body = f"<html><head><title>县政府</title></head><body>{own}{extra}</body></html>"
        elif self.path.startswith("/p") and self.path[2:-5].isdigit():
            body = f"<html><head><title>第{self.path[2:-5]}页</title></head><body><p>正文。</p></body></html>"
        elif self.path == "/hidden.html" and not self.other:
            body = ('<html><head><title>专题</title></head><body><p>专题正文。</p>'
                    '<a href="gone.html">已删除</a></body></html>')
        else:
            self.send_error(404)
            return
        _send_html(self, body)


@pytest.fixture
def cross_sites() -> Iterator[list[str]]:
    b = Loopback(type("B", (_CrossHandler,), {}))
    a = Loopback(type("A", (_CrossHandler,), {"other": b.url}))
    yield [a.url, b.url]
    for site in (a, b):
        site.close()


def _comparable(findings: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    return {(f["kind"], f["site"], f["url"], f["evidence"]) for f in findings}


def test_a_page_linked_from_another_process_s_site_is_crawled_as_its_own_site_s(
        tmp_path: Path, cross_sites: list[str]) -> None:
    results = {}
    for processes in (1, 2):
        work = tmp_path / str(processes)
        work.mkdir()
        config = write_config(work, list(zip(["甲县人民政府", "乙县人民政府"], cross_sites)), f"processes = {processes}")
        findings = scan(config)
        pages = query(config, "SELECT pages.url, sites.name FROM pages JOIN sites ON sites.id = pages.site_id")
        results[processes] = (_comparable(findings), sorted(pages), scans_json(config)["pages"])
    assert (f"{cross_sites[1]}hidden.html", "乙县人民政府") in results[2][1]
    assert any(kind == "dead_link" and site == "乙县人民政府" for kind, site, _, _ in results[2][0])
    assert results[2] == results[1]


def test_a_two_process_scan_of_the_estate_finds_what_one_finds(tmp_path: Path, estate: Any, scans: list[Any]) -> None:
    """A scan of the estate against the session's first one, with the same config but for the number of
    crawl processes: the session's takes the default, one per core (2 on a 2-core machine), so this
    one takes 1, or 2 where the machine has one core."""
    from tests.integration.conftest import govwatch, write_estate_config

    ours = 1 if (os.cpu_count() or 1) > 1 else 2
    theirs = 3 - ours

    def stored(database: Path) -> dict[str, tuple[str, str]]:  # stored URL -> (site, body digest)
        with sqlite3.connect(database) as conn:
            rows = conn.execute("SELECT pages.url, sites.name, pages.body_hash FROM pages "
                                "JOIN sites ON sites.id = pages.site_id").fetchall()
        assert rows and len({url for url, _, _ in rows}) == len(rows)
        return {url: (site, digest) for url, site, digest in rows}

    config = write_estate_config(estate, tmp_path, crawl=f"processes = {ours}")
    out = tmp_path / "findings.json"
    run = govwatch("scan", "--config", str(config), "--json", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    pages = {theirs: stored(scans[0].database), ours: stored(tmp_path / "govwatch.db")}
    findings = {theirs: _comparable(scans[0].findings), ours: _comparable(document["findings"])}
    counted = {theirs: scans[0].record["pages"], ours: document["scan"]["pages"]}

    # The calendar trap's months are followed until its path's query-variant cap is reached: which
    # ?month= and ?date= links fill the cap depends on which pages came back first, in one process as
    # in two. Its query pages are compared by being there, not by which months they are.
    def trapped(url: str) -> bool:
        parts = urlsplit(url)
        return parts.path == "/calendar.html" and bool(parts.query)

    for processes in (1, 2):
        traps = sum(map(trapped, pages[processes]))
        assert traps >= 5, f"{processes} process(es): calendar trap not followed"
        counted[processes] -= traps  # how many of its months are pages of their own depends on the order too
        pages[processes] = {url: page for url, page in pages[processes].items() if not trapped(url)}
        findings[processes] = {finding for finding in findings[processes] if not trapped(finding[2])}

    # A site's URLs serving the same bytes (a folder and its index.html) are one page, stored under
    # whichever came back first, in one process as in two: a URL stored by one scan only is that
    # page, its site and its bytes. (A page cut at the size limit is cut where a chunk ended: its
    # URL, not its bytes, is the same in both.)
    def page(processes: int, url: str) -> str | tuple[str, str]:
        return pages[processes][url] if url in pages[processes].keys() - pages[3 - processes].keys() else url

    for processes in (1, 2):
        findings[processes] = {(kind, site, page(processes, url), evidence)
                               for kind, site, url, evidence in findings[processes]}
    assert findings[2] == findings[1]
    assert sorted(map(str, (page(2, url) for url in pages[2]))) == sorted(map(str, (page(1, url) for url in pages[1])))
    assert counted[2] == counted[1]


@pytest.fixture
def two_estates() -> Iterator[list[str]]:
    # Slow enough that both crawls are still going at the second kill (after 80 pages stored).
    with GeneratedEstate(PAGES, delay=0.5) as first, GeneratedEstate(PAGES, delay=0.5) as second:
        yield [first.url, second.url]


@pytest.fixture
def two_slow_estates() -> Iterator[list[str]]:
    """Estates a crawl cannot finish before its parent has stored 20 pages: the parent reads the
    crawl's events ahead of its checks (`crawler.readahead`) while it builds its word matcher."""
    with GeneratedEstate(PAGES, delay=1.0) as first, GeneratedEstate(PAGES, delay=1.0) as second:
        yield [first.url, second.url]


def start(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def test_two_processes_one_killed_twice_still_cover_both_sites(tmp_path: Path, two_estates: list[str]) -> None:
    config = write_config(tmp_path, list(zip(["甲县人民政府", "乙县人民政府"], two_estates)), "processes = 2")
    scan = start(config)
    killed: list[int] = []
    for at_least in (20, 80):
        if killed:
            # Killed again while it retries the first death's requests one at a time, the restarted
            # process would rightly quarantine the one in flight (test_supervision): not this test's case.
            wait_until(lambda: "requests in flight at the death are retried" in crawl_log(config), scan,
                       "the retries done")
        wait_until(lambda: stored_pages(config) >= at_least, scan, f"{at_least} pages")
        children = wait_until(lambda: [c for c in crawl_children(scan.pid) if c.pid not in killed], scan,
                              "crawl processes")
        assert len(children) == 2 or killed, "one crawl process per site"
        children[0].kill()
        killed.append(children[0].pid)
    out, err = scan.communicate(timeout=300)
    assert scan.returncode == 0, out + err
    record = scans_json(config)
    assert record["status"] == "finished" and record["restarts"] == 2
    assert stored_pages(config) == 2 * PAGES and record["pages"] == 2 * PAGES


@pytest.mark.parametrize("how", ["SIGTERM", "kill -9"])
def test_a_two_process_scan_stopped_leaves_no_crawl_and_no_frontier(tmp_path: Path, two_slow_estates: list[str],
                                                                    how: str) -> None:
    config = write_config(tmp_path, list(zip(["甲县人民政府", "乙县人民政府"], two_slow_estates)), "processes = 2")
    scan = start(config)
    wait_until(lambda: stored_pages(config) >= 20, scan, "20 pages")
    children = wait_until(lambda: len(crawl_children(scan.pid)) == 2 and crawl_children(scan.pid), scan,
                          "two crawl processes")
    folders = [frontier_folder(child) for child in children]
    assert len(set(folders)) == 2 and all(folder.is_dir() for folder in folders)
    checkers = [c for c in psutil.Process(scan.pid).children() if "govwatch.checking" in " ".join(c.cmdline())]
    assert len(checkers) == 1, "one checker process fewer than crawl processes"
    if how == "SIGTERM":
        scan.send_signal(signal.SIGTERM)
    else:
        scan.kill()
    out, err = scan.communicate(timeout=120)
    _, alive = psutil.wait_procs(children + checkers, timeout=15)
    assert not alive, "a crawl or checker process outlived the scan"
    assert not any(folder.exists() for folder in folders), "a frontier folder was left behind"
    if how == "SIGTERM":
        assert scan.returncode == 143 and "扫描已中断" in out, out + err
        record = scans_json(config)
        assert record["status"] == "interrupted" and 20 <= record["pages"] < 2 * PAGES
