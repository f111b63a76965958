"""Incremental scans over real HTTP: after a full scan, `scan --incremental` re-reads the homepage and
the first pages of every column, fetches only the articles it has not seen, and the tickets stay right.

The site below is rewritten between scans as a CMS would publish: three new articles on top of a news
column (one with an erroneous expression, one with a full ID number), the homepage fixed and listing
them, an old article fixed without anything linking to it anew. It answers ETag/If-None-Match on some
pages, Last-Modified/If-Modified-Since on others and no validators at all on the rest, and logs every
request, so the test sees what was fetched and how it was answered.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

import pytest

from bench.estate import GeneratedEstate
from bench.layout import id_number
from storage import Store
from storage.tickets import TicketBook
from tests.support.loopback import Loopback, QuietHandler

TODAY = date(2026, 11, 23)
ERROR = "中华人民共合国"
LEAK = id_number(7)  # a valid 18-digit ID number
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FOOTER = '<div class="footer">主办单位：某某县人民政府办公室 网站标识码：5001000001</div>'


def day(age: int) -> str:
    return (TODAY - timedelta(days=age)).isoformat()


def html(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{body}{FOOTER}</body></html>").encode("utf-8")


def listing(name: str, items: list[tuple[str, str, int]], extra: str = "", pager: str = "") -> bytes:
    rows = "".join(f'<li><a href="{url}">{title}</a><span>{day(age)}</span></li>' for url, title, age in items)
    crumb = f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {name}</div>'
    return html(name, f'{crumb}<ul class="list">{rows}</ul>{extra}{pager}')


def article(title: str, age: int, text: str, image: str = "/img/logo.png") -> bytes:
    return html(title, f'<h1>{title}</h1><div class="info">发布时间：{day(age)} 来源：某某县人民政府办公室</div>'
                       f'<div class="content"><p>{text}</p><img src="{image}"></div>')


# The news column: six old articles over two list pages, all older than the 14 days news may be.
OLD_NEWS = [(f"/gzdt/a{i}.html", f"某某县召开第{i}次工作推进会", 30 + 2 * i) for i in range(1, 7)]
NEW_NEWS = [("/gzdt/n3.html", "县领导督导冬季安全生产工作", 0), ("/gzdt/n2.html", "关于公布低保复核名单的公示", 0),
            ("/gzdt/n1.html", "县政府召开全体会议", 0)]
NOTICES = [(f"/tzgg/t{i}.html", f"关于做好第{i}批项目申报工作的通知", 10 + i) for i in range(1, 4)]


class Site:
    """One site whose pages the test rewrites; each page answers with the validators its mode says."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str]] = {}  # path → (body, mode: etag | modified | none)
        self.modified: dict[str, int] = {}  # path → version, shown as Last-Modified
        self.log: list[tuple[str, str, int]] = []  # (method, path, status)
        self.lock = threading.Lock()
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._answer(head=False)

            def do_HEAD(self) -> None:  # noqa: N802
                self._answer(head=True)

            def _answer(self, head: bool) -> None:
                with site.lock:
                    body, mode = site.pages.get(self.path, (b"", "missing"))
                    headers = {"Content-Type": "image/png" if self.path.endswith(".png")
                               else "text/html; charset=utf-8"}
                    status = 404 if mode == "missing" else 200
                    if mode == "etag":
                        headers["ETag"] = f'"{hashlib.sha1(body).hexdigest()[:12]}"'
                        if self.headers.get("If-None-Match") == headers["ETag"]:
                            status = 304
                    elif mode == "modified":
                        headers["Last-Modified"] = f"Mon, {10 + site.modified[self.path]:02d} Nov 2026 08:00:00 GMT"
                        if self.headers.get("If-Modified-Since") == headers["Last-Modified"]:
                            status = 304
                    body = b"" if status == 304 else body
                    site.log.append((self.command, self.path, status))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        self.loopback = Loopback(Handler)
        self.url = self.loopback.url

    def put(self, path: str, body: bytes, mode: str = "etag") -> None:
        with self.lock:
            self.pages[path] = (body, mode)
            self.modified[path] = self.modified.get(path, -1) + 1

    def served(self) -> list[tuple[str, str, int]]:
        with self.lock:
            log, self.log = self.log, []
        return log


def homepage(news: list[tuple[str, str, int]], notice: str) -> bytes:
    links = ('<div class="nav"><a href="/gzdt/index.html">工作动态</a> <a href="/tzgg/index.html">通知公告</a> '
             '<a href="/kong/index.html">民意征集</a></div>')
    rows = "".join(f'<li><a href="{url}">{title}</a><span>{day(age)}</span></li>' for url, title, age in news[:4])
    return html("某某县人民政府", f'{links}<ul class="news">{rows}</ul><p class="notice">{notice}</p>')


def news_pages(site: Site, news: list[tuple[str, str, int]]) -> None:
    """The news column: three items per list page, newest first, a pager to the next page."""
    pages = [news[i:i + 3] for i in range(0, len(news), 3)]
    for n, items in enumerate(pages):
        path = "/gzdt/index.html" if n == 0 else f"/gzdt/index_{n}.html"
        pager = f'<a href="/gzdt/index_{n + 1}.html">下一页</a>' if n + 1 < len(pages) else ""
        site.put(path, listing("工作动态", items, pager=pager), "modified")


def publish_first(site: Site) -> None:
    site.put("/", homepage(OLD_NEWS, f"欢迎访问{ERROR}某某县人民政府网站"))
    news_pages(site, OLD_NEWS)
    for i, (url, title, age) in enumerate(OLD_NEWS):
        site.put(url, article(title, age, f"会议强调，要{'扎实' * (i + 1)}推进各项工作落实落细，确保取得实效。"))
    site.put("/tzgg/index.html", listing("通知公告", NOTICES, extra=f"<p>补贴对象公示：张三，身份证号码：{LEAK}</p>"))
    site.put(NOTICES[0][0], article(NOTICES[0][1], NOTICES[0][2], f"根据{ERROR}有关法律规定，现将申报工作通知如下。"))
    for url, title, age in NOTICES[1:]:
        site.put(url, article(title, age, "现将申报工作有关事项通知如下，请各单位认真组织申报。"), "none")
    site.put("/kong/index.html", listing("民意征集", [], extra="<p>暂无信息</p>"), "none")
    site.put("/img/logo.png", PNG)


def publish_new(site: Site) -> None:
    """Three new articles on top of the news column (a third list page); the homepage fixed; an old
    notice fixed, with nothing new linking to it."""
    news = NEW_NEWS + OLD_NEWS
    site.put("/", homepage(news, "欢迎访问某某县人民政府网站"))
    news_pages(site, news)
    site.put("/gzdt/n1.html", article(NEW_NEWS[2][1], 0, f"会议传达学习了{ERROR}宪法有关精神。", "/img/new1.png"))
    site.put("/gzdt/n2.html", article(NEW_NEWS[1][1], 0, f"经复核，李四（身份证号码：{LEAK}）符合条件。", "/img/new2.png"))
    site.put("/gzdt/n3.html", article(NEW_NEWS[0][1], 0, "督导组深入企业一线，详细检查安全生产措施落实情况。"))
    site.put("/img/new1.png", PNG)
    site.put("/img/new2.png", PNG)
    site.put(NOTICES[0][0], article(NOTICES[0][1], NOTICES[0][2], "根据有关法律规定，现将申报工作通知如下。"))


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    yield site
    site.loopback.close()


@pytest.fixture
def config(tmp_path: Path, site: Site) -> Path:
    path = tmp_path / "govwatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n'
                    f'[report]\ndir = "{tmp_path / "reports"}"\n'
                    "[crawl]\ntimeout = 5\nretries = 0\n"
                    f'[[sites]]\nname = "某某县人民政府"\nurl = "{site.url}"\nunit = "县政府办公室"\n',
                    encoding="utf-8")
    return path


def govwatch(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "GOVWATCH_TODAY": TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "govwatch", *args], capture_output=True, text=True, env=env,
                          timeout=300)


@dataclass
class Tickets:
    by_place: dict[tuple[str, str], tuple[str, list[str]]]  # (kind, path) → (status, statuses in history)

    def status(self, kind: str, path: str) -> str:
        return self.by_place[(kind, path)][0]


def tickets(config: Path, site: Site) -> Tickets:
    store = Store(f"sqlite:///{config.parent / 'gw.db'}")
    try:
        return Tickets({(t.kind, t.url.removeprefix(site.url.rstrip("/"))): (t.status, [h["status"] for h in t.history])
                        for t in TicketBook(store).list()})
    finally:
        store.close()


def test_an_incremental_scan_checks_only_what_is_new_and_keeps_tickets_right(config: Path, site: Site) -> None:
    publish_first(site)
    # No full scan yet: an incremental scan has nothing to compare with, says so and runs the full scan.
    first = govwatch("scan", "--incremental", "--config", str(config))
    assert first.returncode == 0, first.stderr + first.stdout
    assert "数据库中还没有完成的完整扫描" in first.stdout and "增量扫描完成" not in first.stdout
    full = site.served()
    assert ("GET", "/tzgg/t1.html", 200) in full and ("GET", "/gzdt/a6.html", 200) in full
    before = tickets(config, site)
    assert before.status("erroneous_expression", "/") == "open"
    assert before.status("erroneous_expression", "/tzgg/t1.html") == "open"
    assert before.status("privacy_leak", "/tzgg/index.html") == "open"
    assert before.status("stale_column", "/gzdt/") == "open"
    assert before.status("blank_column", "/kong/") == "open"

    publish_new(site)
    second = govwatch("scan", "--incremental", "--config", str(config))
    assert second.returncode == 0, second.stderr + second.stdout
    assert "增量扫描完成" in second.stdout
    served = site.served()
    fetched = {path for method, path, _ in served if method == "GET"}
    # Re-read: the homepage and the first list pages; fetched: only the new articles and new images.
    assert {"/", "/gzdt/index.html", "/gzdt/index_1.html", "/tzgg/index.html", "/kong/index.html",
            "/gzdt/n1.html", "/gzdt/n2.html", "/gzdt/n3.html", "/gzdt/index_2.html"} <= fetched
    assert {path for _, path, _ in served} & {"/img/new1.png", "/img/new2.png"} == {"/img/new1.png", "/img/new2.png"}
    known_articles = {url for url, _, _ in OLD_NEWS + NOTICES}
    assert not {path for _, path, _ in served} & known_articles, served
    assert "/img/logo.png" not in {path for _, path, _ in served}  # alive within link_recheck_hours
    # Unchanged pages: 304 where the server has validators, the same body (hash) where it has none.
    assert ("GET", "/tzgg/index.html", 304) in served
    assert ("GET", "/kong/index.html", 200) in served
    assert "其中 2 个页面重读后未变化" in second.stdout

    after = tickets(config, site)
    # Every problem in the new articles is found and ticketed.
    assert after.status("erroneous_expression", "/gzdt/n1.html") == "open"
    assert after.status("privacy_leak", "/gzdt/n2.html") == "open"
    # Re-read and changed without the problem: fixed. Re-read unchanged: still open. Not visited: as it was,
    # though the article was fixed meanwhile (the next full scan sees that).
    assert after.status("erroneous_expression", "/") == "fixed"
    assert after.by_place[("privacy_leak", "/tzgg/index.html")] == ("open", ["open"])
    assert after.by_place[("erroneous_expression", "/tzgg/t1.html")] == ("open", ["open"])
    # Columns are judged by the latest state of all their pages: the news column is fresh again, the
    # blank one still blank.
    assert after.status("stale_column", "/gzdt/") == "fixed"
    assert after.by_place[("blank_column", "/kong/")] == ("open", ["open"])

    # Nothing new: every re-read page is unchanged, nothing else is fetched, no ticket moves.
    third = govwatch("scan", "--incremental", "--config", str(config))
    assert third.returncode == 0, third.stderr + third.stdout
    served = site.served()
    assert {(path, status) for method, path, status in served if method == "GET"} == {
        ("/", 304), ("/gzdt/index.html", 304), ("/gzdt/index_1.html", 304), ("/gzdt/index_2.html", 304),
        ("/tzgg/index.html", 304), ("/kong/index.html", 200)}, served
    assert tickets(config, site) == after
    full_rescan = govwatch("scan", "--config", str(config))
    assert full_rescan.returncode == 0, full_rescan.stderr + full_rescan.stdout
    assert tickets(config, site).status("erroneous_expression", "/tzgg/t1.html") == "fixed"


FRESH = 4  # new articles per column: each column's k = 1 carries 中华人民共合国, k = 3 a full ID number


def test_on_a_generated_trs_site_every_problem_in_new_articles_is_found(tmp_path: Path) -> None:
    with GeneratedEstate(300, today=TODAY) as estate:
        config = tmp_path / "govwatch.toml"
        config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n'
                          f'[report]\ndir = "{tmp_path / "reports"}"\n[crawl]\ntimeout = 5\n'
                          f'[[sites]]\nname = "某某县人民政府"\nurl = "{estate.url}"\nunit = "县政府办公室"\n',
                          encoding="utf-8")
        assert govwatch("scan", "--config", str(config)).returncode == 0
        known = {a.url for a in estate.layout.articles()}
        estate.served()
        estate.publish(FRESH)
        out = tmp_path / "incremental.json"
        run = govwatch("scan", "--incremental", "--config", str(config), "--json", str(out))
        assert run.returncode == 0, run.stderr + run.stdout
        served = estate.served()
    fresh = estate.layout.fresh_articles()
    fetched = {path for method, path, _ in served if method == "GET"}
    assert {a.url for a in fresh} <= fetched
    assert not fetched & known
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["scan"]["kind"] == "incremental"
    [report] = (tmp_path / "reports").glob(f"scan-{result['scan']['id']}-*.html")
    assert "第 2 次增量扫描" in report.read_text(encoding="utf-8")
    findings = result["findings"]
    found = {(f["kind"], f["url"].removeprefix(estate.url.rstrip("/"))) for f in findings}
    planted = {("erroneous_expression", a.url) for a in fresh if a.has_error} | {
        ("privacy_leak", a.url) for a in fresh if a.full_id}
    assert len(planted) == 2 * len(estate.layout.columns)
    assert planted <= found
