"""The crawl's events reach the parent's pipe whichever way they leave the spider."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from core.config import loads
from core.events import ErrorEvent, LinkEvent, decode
from core.model import LinkStatus
from crawler.pipeline import EventTap, EventWriter
from crawler.plan import CrawlPlan
from crawler.process import CrawlProcess
from tests.support.loopback import Loopback, QuietHandler


def _crawler(fd: int, tmp_path: Path, **settings: object) -> scrapy.crawler.Crawler:
    return get_crawler(scrapy.Spider, {"GOVWATCH_EVENTS_FD": fd, "JOBDIR": str(tmp_path), **settings})


def _lines(read_fd: int) -> list[object]:
    with os.fdopen(read_fd, "rb") as pipe:
        return [decode(line) for line in pipe.read().splitlines()]


def test_the_tap_writes_events_and_passes_requests_on(tmp_path: Path) -> None:
    read_fd, write_fd = os.pipe()
    crawler = _crawler(write_fd, tmp_path)
    tap, writer = EventTap.from_crawler(crawler), EventWriter.from_crawler(crawler)
    request = scrapy.Request("http://127.0.0.1/b.html")
    link = LinkEvent(LinkStatus("http://127.0.0.1/a.html", True, 200))
    error = ErrorEvent("http://127.0.0.1/c.html", "附件无法读取")
    assert list(tap.process_spider_output(None, [link, request])) == [request]
    writer.process_item(error)  # an errback's event: Scrapy's item path
    os.close(write_fd)
    assert _lines(read_fd) == [link, error]


def test_a_distributed_scan_keeps_its_events_on_the_item_path(tmp_path: Path) -> None:
    """Its AckEvent must reach the parent after the requests its callback queued."""
    with pytest.raises(NotConfigured):
        EventTap.from_crawler(_crawler(1, tmp_path, GOVWATCH_SCAN_KEY="govwatch:1:scan:2"))


class _BusySite(QuietHandler):
    """A homepage linking a page that answers in half a second and pages whose events fill a pipe."""

    crawling = threading.Event()

    def do_GET(self) -> None:
        if self.path == "/":
            self.crawling.set()
            links = "".join(f'<a href="/p{n}.html">第{n}页</a>' for n in range(20))
            body = f'<html><body><a href="/slow.html">慢页面</a>{links}</body></html>'
        elif self.path == "/slow.html":
            time.sleep(0.5)
            body = "<html><head><title>慢页面</title></head><body><p>正文。</p></body></html>"
        else:
            body = f"<html><head><title>{self.path}</title></head><body><p>{'政务公开' * 8000}</p></body></html>"
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_a_parent_reading_late_does_not_turn_a_quick_answer_into_a_timeout() -> None:
    """The parent builds its word matcher, or waits for a busy disk, while the crawl goes on: the wait
    must not count against the requests in flight (the crawl once stopped on the full pipe)."""
    with Loopback(_BusySite) as served:
        site = served.url
        config = loads(f'[crawl]\ntimeout = 2\nretries = 0\nconcurrency_per_host = 16\n'
                       f'[[sites]]\nname = "站"\nurl = "{site}"\nunit = "单位"\n')
        with CrawlProcess(CrawlPlan.for_scan(config)) as crawl:
            assert _BusySite.crawling.wait(60)
            time.sleep(4)  # the pages' events fill the pipe long before /slow.html answers
            links = {e.status.url: e.status for e in crawl.events() if isinstance(e, LinkEvent)}
    assert links[f"{site}slow.html"].ok, links[f"{site}slow.html"]
    assert all(links[f"{site}p{n}.html"].ok for n in range(20))


def test_the_events_of_one_turn_of_the_loop_go_out_in_one_write_and_in_order(tmp_path: Path) -> None:
    read_fd, write_fd = os.pipe()
    stream = EventTap.from_crawler(_crawler(write_fd, tmp_path)).stream
    first = LinkEvent(LinkStatus("http://127.0.0.1/a.html", True, 200))
    second = ErrorEvent("http://127.0.0.1/c.html", "附件无法读取")

    async def turn() -> None:
        stream.write(first)
        stream.write(second)
        os.set_blocking(read_fd, False)
        with pytest.raises(BlockingIOError):  # nothing yet: the turn is not over
            os.read(read_fd, 1)
        await asyncio.sleep(0)

    asyncio.run(turn())
    os.close(write_fd)
    os.set_blocking(read_fd, True)
    assert _lines(read_fd) == [first, second]
