"""Pages the crawl process reads only in part are completed by the process that reads its events."""

from __future__ import annotations

from datetime import date

import pytest

from core.config import CrawlConfig
from core.events import ErrorEvent, LinkEvent, PageEvent
from crawler import process
from crawler.plan import CrawlPlan, PlanSite
from crawler.process import run_crawl
from tests.support.loopback import Loopback, QuietHandler

from .test_handler import PAGES, site  # noqa: F401 - the keep-alive site fixture

PLAN_DAY = date(2026, 12, 6)


def test_every_page_arrives_whole(site: str) -> None:  # noqa: F811 - the fixture
    pages = [e.page for e in run_crawl(CrawlPlan([PlanSite("站点", site)], PLAN_DAY, CrawlConfig()))
             if isinstance(e, PageEvent)]
    assert len(pages) == PAGES
    assert all(p.title == f"第{p.url.rsplit('/', 1)[1].removesuffix('.html') or 0}页" for p in pages)


def test_a_page_the_parent_cannot_complete_is_named_and_the_crawl_goes_on(
        site: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811 - the fixture
    def broken(page: object, read_from: str, today: date) -> None:
        if read_from.endswith("/7.html"):
            raise ValueError("坏页面")
        complete(page, read_from, today)

    complete = process.complete_read_page
    monkeypatch.setattr(process, "complete_read_page", broken)
    events = list(run_crawl(CrawlPlan([PlanSite("站点", site)], PLAN_DAY, CrawlConfig())))
    assert sum(isinstance(e, PageEvent) for e in events) == PAGES - 1
    [error] = [e for e in events if isinstance(e, ErrorEvent)]
    assert error.url.endswith("/7.html") and "坏页面" in error.message


_SOFT_404 = "<html><head><title>某某县人民政府</title></head><body><p>{}</p><a href=\"/\">返回首页</a></body></html>"
_TEXT_PAGES = {
    "/": "<html><head><title>首页</title></head><body>"
         + "".join(f'<a href="/{name}.html">{name}</a>' for name in ("plain", "referenced", "live")) + "</body></html>",
    "/plain.html": _SOFT_404.format("页面不存在"),
    # The same words as character references: the HTML holds none of them, the visible text does.
    "/referenced.html": _SOFT_404.format("".join(f"&#{ord(c)};" for c in "页面不存在")),
    "/live.html": "<html><head><title>通知公告</title></head><body><h1>关于开展安全检查的通知</h1>"
                  "<p>各乡镇：现将有关事项通知如下。</p></body></html>",
}


class _TextSite(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = _TEXT_PAGES.get(self.path, "").encode()
        self.send_response(200 if self.path in _TEXT_PAGES else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_crawl_reads_a_page_s_text_where_it_may_say_not_found_and_the_parent_reads_the_rest() -> None:
    with Loopback(_TextSite, poll_interval=0.05) as served:
        home = served.url
        crawled = list(run_crawl(CrawlPlan([PlanSite("站点", home)], PLAN_DAY, CrawlConfig())))
    outcomes = {e.status.url.removeprefix(home): e.status for e in crawled if isinstance(e, LinkEvent)}
    assert not outcomes["plain.html"].ok and not outcomes["referenced.html"].ok, outcomes
    assert outcomes["live.html"].ok
    [live] = [e.page for e in crawled if isinstance(e, PageEvent) and e.page.url.endswith("/live.html")]
    assert "各乡镇：现将有关事项通知如下。" in live.text
