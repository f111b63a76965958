"""Meta refreshes are followed as Scrapy follows them; a page without one is let through undecoded."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.metarefresh import CheapMetaRefresh, may_refresh

REFRESH = '<html><head><meta http-equiv="Refresh" content="0; url=/new.html"></head><body>跳转中</body></html>'
PLAIN = "<html><head><title>通知公告</title></head><body><p>刷新页面</p></body></html>"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16", "utf-32"])
def test_a_refresh_is_seen_in_the_bytes_of_any_encoding_a_page_comes_in(encoding: str) -> None:
    assert may_refresh(REFRESH.encode(encoding))
    assert not may_refresh(PLAIN.encode(encoding))


def test_a_refresh_past_what_scrapy_reads_is_not_looked_for() -> None:
    """Scrapy reads the first 4,096 characters; four bytes a character at most are looked at."""
    assert not may_refresh((" " * 16400 + REFRESH).encode("utf-8"))


def _middleware() -> CheapMetaRefresh:
    return CheapMetaRefresh.from_crawler(get_crawler(scrapy.Spider))


def test_a_page_with_a_refresh_is_redirected_as_scrapy_redirects_it() -> None:
    request = scrapy.Request("http://127.0.0.1/old.html")
    response = HtmlResponse(request.url, body=REFRESH.encode("utf-8"), encoding="utf-8", request=request)
    redirected = _middleware().process_response(request, response)
    assert isinstance(redirected, scrapy.Request) and redirected.url == "http://127.0.0.1/new.html"


def test_a_page_without_one_passes_undecoded() -> None:
    request = scrapy.Request("http://127.0.0.1/a.html")
    response = HtmlResponse(request.url, body=PLAIN.encode("utf-8"), encoding="utf-8", request=request)
    assert _middleware().process_response(request, response) is response
    assert response._cached_ubody is None, "the body was decoded after all"
