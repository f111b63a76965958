"""The crawl's disk queue stores what Scrapy's own would, and gives back the same requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from scrapy.squeues import PickleFifoDiskQueue

from crawler.diskqueue import RequestFifoDiskQueue


class _Spider(scrapy.Spider):
    name = "govwatch"

    def parse_page(self, response: Any) -> None:
        pass

    def page_failed(self, failure: Any) -> None:
        pass


class _Other:
    def parse_page(self, response: Any) -> None:  # the spider's name, another function
        pass


def _queue(tmp_path: Path) -> RequestFifoDiskQueue:
    crawler = get_crawler(_Spider)
    crawler.spider = _Spider()
    return RequestFifoDiskQueue(crawler, str(tmp_path / "queue"))


def _request(spider: _Spider) -> scrapy.Request:
    request = scrapy.Request("http://127.0.0.1/a.html", callback=spider.parse_page, errback=spider.page_failed,
                             method="HEAD", meta={"target": "http://127.0.0.1/a.html", "depth": 2, "limit": 5},
                             headers={"If-None-Match": '"abc"'}, priority=-2, dont_filter=True)
    request.meta["body_hash"] = "0" * 40
    return request


def test_a_request_is_stored_as_scrapy_stores_it(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    request = _request(queue.spider)
    queue.push(request)
    stored = super(PickleFifoDiskQueue, queue).pop()  # the unpickled dict, before Scrapy rebuilds it
    assert stored == request.to_dict(spider=queue.spider)
    assert stored["callback"] == "parse_page" and stored["errback"] == "page_failed"


def test_the_same_request_comes_back(tmp_path: Path) -> None:
    queue = _queue(tmp_path)
    request = _request(queue.spider)
    queue.push(request)
    queue.push(scrapy.Request("http://127.0.0.1/b.html", dont_filter=True))
    back = queue.pop()
    assert back.to_dict(spider=queue.spider) == request.to_dict(spider=queue.spider)
    assert back.callback == queue.spider.parse_page and back.errback == queue.spider.page_failed
    assert queue.pop().callback is None and len(queue) == 0


def test_a_callback_the_spider_does_not_have_is_refused(tmp_path: Path) -> None:
    """As Scrapy's to_dict: the scheduler then keeps the request in memory."""
    queue = _queue(tmp_path)
    with pytest.raises(ValueError):
        queue.push(scrapy.Request("http://127.0.0.1/c.html", callback=lambda response: None))
    with pytest.raises(ValueError):
        queue.push(scrapy.Request("http://127.0.0.1/d.html", callback=_Other().parse_page))
