"""Pages the crawl process reads only in part are completed by the process that reads its events."""

from __future__ import annotations

from datetime import date

import pytest

from core.config import CrawlConfig
from core.events import ErrorEvent, PageEvent
from crawler import process
from crawler.plan import CrawlPlan, PlanSite
from crawler.process import run_crawl

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
