"""A supervised crawl, with real processes and real loopback sites: a crawl process killed mid-scan is
started again from its frontier on disk and the scan still covers the whole site; a URL that kills the
crawl every time it is fetched is quarantined and named; a crawl process over `crawl.max_memory_mb`
is killed and restarted.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import psutil
import pytest
from sqlalchemy.engine import make_url

from bench.estate import GeneratedEstate
from core.config import load
from tests.integration import test_distributed as distributed
from tests.support.crawls import frontier_folder
from tests.support.loopback import Loopback, QuietHandler

PAGES = 300
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def write_config(tmp_path: Path, sites: list[tuple[str, str]], crawl: str = "") -> Path:
    path = tmp_path / "govwatch.toml"
    text = (f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[report]\ndir = "{tmp_path / "reports"}"\n'
            f"[crawl]\ntimeout = 5\nretries = 0\nattachments = false\n{crawl}\n")
    for name, url in sites:
        text += f'[[sites]]\nname = "{name}"\nurl = "{url}"\nunit = "{name}办公室"\n'
    path.write_text(text, encoding="utf-8")
    return path


@lru_cache(maxsize=None)
def _database(config: Path) -> Path:
    """The SQLite file `config` names (read once: tests poll their database many times a second)."""
    return Path(make_url(load(config).database.url).database or "")


def query(config: Path, sql: str) -> list[tuple[Any, ...]]:
    """`sql`'s rows in the SQLite database `config` names; none before the scan has created it."""
    db = _database(config)
    if not db.is_file():
        return []
    with sqlite3.connect(db, timeout=10) as conn:
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError:  # tables not created yet
            return []


def stored_pages(config: Path) -> int:
    rows = query(config, "SELECT count(*) FROM pages")
    return rows[0][0] if rows else 0


def crawl_children(scan_pid: int) -> list[psutil.Process]:
    found = []
    for child in psutil.Process(scan_pid).children(recursive=True):
        try:
            if "crawler.worker" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def wait_until(condition: Callable[[], Any], scan: subprocess.Popen[str], what: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        assert scan.poll() is None, scan.communicate()
        time.sleep(0.05)
    pytest.fail(f"waited {timeout} s for {what}")


def crawl_log(config: Path) -> str:
    return "".join(log.read_text(encoding="utf-8", errors="replace")
                   for log in (config.parent / "reports").glob("scan-*.log"))


def scans_json(config: Path) -> dict[str, Any]:
    run = subprocess.run([sys.executable, "-m", "govwatch", "scans", "--config", str(config), "--json"],
                         capture_output=True, text=True, env=ENV, timeout=60)
    assert run.returncode == 0, run.stderr
    [scan] = json.loads(run.stdout)["scans"]
    return scan


def test_a_crawl_process_killed_twice_is_restarted_and_the_whole_site_is_covered(tmp_path: Path) -> None:
    # Slow enough that the crawl is still going at the second kill: it no longer waits for the parent.
    with GeneratedEstate(PAGES, delay=0.15) as estate:
        config = write_config(tmp_path, [("某某县人民政府", estate.url)])
        scan = subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        killed: list[int] = []
        wait_until(lambda: stored_pages(config) >= 20, scan, "20 pages stored")
        for _ in range(2):
            [child] = wait_until(lambda: [c for c in crawl_children(scan.pid) if c.pid not in killed], scan,
                                 "a crawl process")
            if killed:
                # Killed while it retries the first death's requests one at a time, it would rightly
                # quarantine the one in flight: wait until they are done and it carries on with the rest.
                wait_until(lambda: "requests in flight at the death are retried" in crawl_log(config), scan,
                           "the retries done")
                wait_until(lambda: len(estate.paths()) >= seen + 10, scan, "10 new pages fetched")
            folder = frontier_folder(child)
            child.kill()  # kill -9
            killed.append(child.pid)
            seen = len(estate.paths())
        out, err = scan.communicate(timeout=300)
        fetched = estate.paths()
    assert scan.returncode == 0, out + err
    # A request is made again only when it was in flight at a death (there are at most 16 at a time).
    assert sum(n - 1 for n in fetched.values()) <= 2 * 16, fetched.most_common(5)
    assert "扫描完成" in out and "重启 2 次" in out, out
    record = scans_json(config)
    assert record["status"] == "finished" and record["restarts"] == 2 and record["quarantined"] == []
    assert stored_pages(config) == PAGES, "the whole site is covered"
    assert record["pages"] == PAGES, "and every page was counted (and stored) once"
    assert not folder.exists(), "the frontier folder is removed at the end"
    assert crawl_log(config).count("重新启动") == 2


class KillerSite(Loopback):
    """A small site of plain pages; fetching /killer.html kills the scan's crawl process (kill -9),
    as a page that drives its crawler out of memory or into a segfault would, every time."""

    def __init__(self, pages: int = 30) -> None:
        self.pages = pages
        self.scan_pid = 0
        self.killer_hits = 0
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                if self.path == "/killer.html":
                    site.killer_hits += 1
                    for child in crawl_children(site.scan_pid):
                        child.kill()
                    time.sleep(0.5)
                    body = b"<html><body>never read</body></html>"
                elif self.path in ("/", "/index.html"):
                    links = "".join(f'<li><a href="/p{i}.html">第{i}篇文章</a></li>' for i in range(pages))
                    body = (f'<html><head><title>某某县人民政府</title></head><body><ul>{links}'
                            f'<li><a href="/killer.html">专题</a></li></ul></body></html>').encode("utf-8")
                elif self.path.startswith("/p") and self.path[2:-5].isdigit():
                    n = int(self.path[2:-5])
                    time.sleep(0.1)
                    body = (f"<html><head><title>第{n}篇文章</title></head><body><h1>第{n}篇文章</h1>"
                            f"<p>这是第{n}篇文章的正文。</p></body></html>").encode("utf-8")
                else:
                    self.send_error(404)
                    return
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the crawl that asked is dead
                    pass

        super().__init__(Handler)


@pytest.fixture
def killer_site() -> Iterator[KillerSite]:
    with KillerSite() as site:
        yield site


def test_a_url_that_kills_the_crawl_every_time_is_quarantined_and_named(tmp_path: Path,
                                                                         killer_site: KillerSite) -> None:
    config = write_config(tmp_path, [("某某县人民政府", killer_site.url)])
    scan = subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    killer_site.scan_pid = scan.pid
    out, err = scan.communicate(timeout=300)
    killer = f"{killer_site.url}killer.html"
    assert scan.returncode == 0, out + err
    assert killer_site.killer_hits == 2, "fetched at two deaths, then never again"
    record = scans_json(config)
    assert record["status"] == "finished" and record["restarts"] == 2
    assert [q["url"] for q in record["quarantined"]] == [killer]
    assert "页面无法检查" in out and killer in out
    listed = subprocess.run([sys.executable, "-m", "govwatch", "scans", "--config", str(config)],
                            capture_output=True, text=True, env=ENV, timeout=60)
    assert "爬取进程重启 2 次" in listed.stdout and "无法检查的页面 1 个" in listed.stdout, listed.stdout
    [report] = (config.parent / "reports").glob("scan-1-*.html")
    assert killer in report.read_text(encoding="utf-8")
    # Every other page is covered, once; the quarantined one is not a page.
    assert stored_pages(config) == killer_site.pages + 1
    assert record["pages"] == killer_site.pages + 1


def test_restarts_run_out_and_the_scan_fails(tmp_path: Path, killer_site: KillerSite) -> None:
    config = write_config(tmp_path, [("某某县人民政府", killer_site.url)], "max_restarts = 1")
    scan = subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    killer_site.scan_pid = scan.pid
    out, err = scan.communicate(timeout=300)
    assert scan.returncode == 2, out + err
    assert "扫描失败" in err and "crawl.max_restarts" in err
    record = scans_json(config)
    assert record["status"] == "failed" and record["restarts"] == 1


class HugePage(Loopback):
    """A site whose /huge.html is `size` bytes of HTML: reading it takes more memory than the cap."""

    def __init__(self, size: int) -> None:
        handler_size = size

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                if self.path == "/huge.html":
                    head = b"<html><body><p>"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(handler_size))
                    self.end_headers()
                    chunk = b"a" * (1 << 20)
                    try:
                        self.wfile.write(head)
                        left = handler_size - len(head)
                        while left > 0:
                            left -= self.wfile.write(chunk[:left])
                    except OSError:
                        pass
                    return
                body = ('<html><head><title>某某县人民政府</title></head><body>'
                        '<a href="/a.html">通知</a><a href="/huge.html">大页面</a></body></html>').encode("utf-8")
                if self.path == "/a.html":
                    body = "<html><head><title>通知</title></head><body><p>通知正文。</p></body></html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)


def test_a_crawl_process_over_its_memory_cap_is_killed_and_restarted(tmp_path: Path) -> None:
    site = HugePage(600_000_000)
    try:
        config = write_config(tmp_path, [("某某县人民政府", site.url)],
                              "max_memory_mb = 300\nmax_response_size = 700000000")
        run = subprocess.run([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                             capture_output=True, text=True, env=ENV, timeout=300)
    finally:
        site.close()
    assert run.returncode == 0, run.stdout + run.stderr
    record = scans_json(config)
    assert record["status"] == "finished" and record["restarts"] == 2
    [quarantined] = record["quarantined"]
    assert quarantined["url"] == f"{site.url}huge.html" and "crawl.max_memory_mb" in quarantined["reason"]
    assert stored_pages(config) == 2  # the homepage and /a.html


def test_a_signal_during_a_supervised_scan_still_interrupts_it(tmp_path: Path) -> None:
    with GeneratedEstate(PAGES, delay=0.15) as estate:
        config = write_config(tmp_path, [("某某县人民政府", estate.url)])
        scan = subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        wait_until(lambda: stored_pages(config) >= 10, scan, "10 pages stored")
        [child] = crawl_children(scan.pid)
        child.kill()
        wait_until(lambda: [c for c in crawl_children(scan.pid) if c.pid != child.pid], scan, "a new crawl process")
        scan.send_signal(signal.SIGTERM)
        out, err = scan.communicate(timeout=120)
    assert scan.returncode == 143, out + err
    record = scans_json(config)
    assert record["status"] == "interrupted" and record["restarts"] == 1


def test_the_leading_crawl_of_a_distributed_scan_killed_is_restarted_from_redis(
        tmp_path: Path, postgres_url: str, redis_url: str, namespace_cleanup: list[str],
        single_process: dict[str, Any]) -> None:
    namespace_cleanup.append(postgres_url)

    with GeneratedEstate(distributed.PAGES, delay=0.05, today=distributed.TODAY) as estate:
        config = distributed.write_config(tmp_path, estate.url, postgres_url, redis_url)
        out = tmp_path / "findings.json"
        scan = subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--json",
                                 str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=distributed.ENV)
        try:
            wait_until(lambda: sum(estate.paths().values()) >= 60, scan, "60 requests")
            [child] = crawl_children(scan.pid)
            child.kill()
            stdout, stderr = scan.communicate(timeout=300)
        finally:
            if scan.poll() is None:
                scan.kill()
        paths = estate.paths()
    assert scan.returncode == 0, stdout + stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["scan"]["status"] == "finished" and result["scan"]["restarts"] == 1
    assert distributed.stored_pages(postgres_url, result["scan"]["id"]) == single_process["stored_pages"]
    assert distributed.fingerprints(result) == distributed.fingerprints(single_process)
    assert set(paths) == set(single_process["paths"]) and max(paths.values()) <= 2, \
        "every page fetched, and again only if in flight at the death"
