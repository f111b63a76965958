"""Connections are reused: a crawl opens about as many as it has requests in flight, not one per
two requests (Scrapy's own pool closed every other connection)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Iterator

import pytest

from core.config import CrawlConfig
from core.events import LinkEvent, PageEvent
from crawler.plan import CrawlPlan, PlanSite
from crawler.process import run_crawl
from tests.support.loopback import Loopback, QuietHandler

PAGES = 120


class _Site(QuietHandler):
    """A keep-alive site of PAGES pages, each linking the next ten; counts TCP connections."""

    protocol_version = "HTTP/1.1"
    connections = 0
    lock = threading.Lock()

    def setup(self) -> None:
        super().setup()
        with _Site.lock:
            _Site.connections += 1

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        number = int(self.path.strip("/").removesuffix(".html") or 0)
        links = "".join(f'<a href="/{n}.html">第{n}页</a>' for n in range(number + 1, min(number + 11, PAGES)))
        body = f"<html><head><title>第{number}页</title></head><body><p>正文</p>{links}</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[str]:
    _Site.connections = 0
    with Loopback(_Site, poll_interval=0.05) as served:
        yield served.url


def test_a_crawl_reuses_its_connections(site: str) -> None:
    crawl = CrawlConfig()
    events = list(run_crawl(CrawlPlan([PlanSite("站点", site)], date(2026, 12, 6), crawl)))
    assert sum(isinstance(e, PageEvent) for e in events) == PAGES
    assert all(e.status.ok for e in events if isinstance(e, LinkEvent))
    assert _Site.connections <= crawl.concurrency
