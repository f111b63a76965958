"""Scrapy settings derived from the `[crawl]` configuration: politeness, limits and our components."""

from __future__ import annotations

from typing import Any

from scrapy.settings import default_settings

from core.config import CrawlConfig
from core.urls import MAX_URL_LENGTH

from .handler import PooledHTTPDownloadHandler

# Components switched off here (COOKIES_ENABLED, REMOTE_CONTROL_ENABLED) that Scrapy would still
# import to sort its component lists, even set to None: the cookies middleware imports tldextract,
# the remote-control extension aiohttp, 0.15 s of every crawl process's start. Left out of Scrapy's
# base lists, they are never loaded.
UNUSED_COMPONENTS = ("scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
                     "scrapy.extensions.remote_control.RemoteControl")


def scrapy_settings(crawl: CrawlConfig, events_fd: int, jobdir: str) -> dict[str, Any]:
    """`jobdir`: an empty folder the crawl may write to, removed by whoever made it."""
    return {
        "GOVWATCH_EVENTS_FD": events_fd,
        # The frontier waits on disk, not in memory: a large site's pending requests otherwise grow
        # the crawl process by about 2 kB a page.
        "JOBDIR": jobdir,
        "ITEM_PIPELINES": {"crawler.pipeline.EventWriter": 100},
        # Bodies are inflated only up to each request's limit (a gzip bomb is cut, not inflated whole).
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
            "crawler.decompression.BoundedDecompression": 590,
            # Meta refreshes followed as Scrapy follows them, but a page without one is not decoded
            # whole to find that out (see crawler.metarefresh).
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "crawler.metarefresh.CheapMetaRefresh": 580,
        },
        "GOVWATCH_MAX_RESPONSE_SIZE": crawl.max_response_size,
        # Above Scrapy's own (up to 1000): the tap takes the spider's events before any other
        # spider middleware sees them, and writes them to the parent at once.
        "SPIDER_MIDDLEWARES": {"crawler.pipeline.EventTap": 1100,
                               # Only warns a spider's author about copied meta keys: one more layer
                               # every callback's output passes through, for a warning ours never earns.
                               "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None},
        "TWISTED_DNS_RESOLVER": "crawler.resolver.ReservedNameResolver",
        # Connections kept for reuse: Scrapy's own pool closed every other one (see crawler.handler).
        # The class, not its path: imported with these settings, at the top of a crawl process's
        # start, not by Scrapy deep in its own, where the deprecation shims of its HTTP and TLS stack
        # read the source of every frame above them (0.2 s of every crawl process's start).
        "DOWNLOAD_HANDLERS": {"http": PooledHTTPDownloadHandler, "https": PooledHTTPDownloadHandler},
        "USER_AGENT": crawl.user_agent,
        # Our own sites: robots.txt often shuts out every crawler, and inspectors ignore it too.
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_host,
        # Scrapy starts this many tasks for every callback's output, whatever its size; ours are
        # a few events and requests, handled at once, so the default 100 only costs CPU. One at a
        # time also keeps a callback's events in order: in a distributed scan its AckEvent must
        # reach the parent after the events it follows.
        "CONCURRENT_ITEMS": 1,
        "DOWNLOAD_DELAY": crawl.delay,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DNS_TIMEOUT": crawl.timeout,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "REDIRECT_MAX_TIMES": 10,
        # Every request carries its own limit and is cut off there by the spider, alive, on the wire
        # and after decompression (crawler.decompression): Scrapy's own limit would cancel a large
        # page at its Content-Length and make it look dead.
        "DOWNLOAD_MAXSIZE": 0,
        "DOWNLOAD_WARNSIZE": 0,
        "HTTPERROR_ALLOW_ALL": True,
        "DEPTH_LIMIT": 0,  # depth is counted by the spider, which must still check deep links
        # The spider counts and names the links over it (its `url_length` bound) before Scrapy's own
        # check, which would drop them with only a log line, sees them.
        "URLLENGTH_LIMIT": MAX_URL_LENGTH,
        # Breadth-first, so a page budget covers the columns near the homepage first.
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "crawler.diskqueue.RequestFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "COOKIES_ENABLED": False,
        # Scrapy's per-request byte and status counters (it rebuilds each request's raw HTTP form to
        # count its bytes): 2.5 % of the crawl process, for figures nobody reads. Every target's
        # outcome is a LinkEvent; the crawl log still counts requests, responses and retries.
        "DOWNLOADER_STATS": False,
        # Scrapy reads and parses (ast) the source of a generator callback on every response, to warn
        # about a `return value` in it; its cache misses on bound methods: 3.4 % of the crawl process
        # in a profile of the 10k site. The callbacks are ours and tested.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        # No control servers in a crawl process: the telnet console and the remote-control HTTP
        # server can run code, and the latter leaves job files in the user's home.
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "EXTENSIONS_BASE": _without_unused(default_settings.EXTENSIONS_BASE),
        "DOWNLOADER_MIDDLEWARES_BASE": _without_unused(default_settings.DOWNLOADER_MIDDLEWARES_BASE),
        "LOG_LEVEL": "INFO",
    }


def _without_unused(base: dict[str, int]) -> dict[str, int]:
    return {path: order for path, order in base.items() if path not in UNUSED_COMPONENTS}
