"""Scrapy settings derived from the `[crawl]` configuration: politeness, limits and our components."""

from __future__ import annotations

from typing import Any

from core.config import CrawlConfig


def scrapy_settings(crawl: CrawlConfig, events_fd: int, jobdir: str) -> dict[str, Any]:
    """`jobdir`: an empty folder the crawl may write to, removed by whoever made it."""
    return {
        "GOVWATCH_EVENTS_FD": events_fd,
        # The frontier waits on disk, not in memory: a large site's pending requests otherwise grow
        # the crawl process by about 2 kB a page.
        "JOBDIR": jobdir,
        "ITEM_PIPELINES": {"crawler.pipeline.EventWriter": 100},
        "TWISTED_DNS_RESOLVER": "crawler.resolver.ReservedNameResolver",
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
        # Every request carries its own limit and is cut off there by the spider, alive: Scrapy's
        # own limit would cancel a large page at its Content-Length and make it look dead.
        "DOWNLOAD_MAXSIZE": 0,
        "DOWNLOAD_WARNSIZE": 0,
        "HTTPERROR_ALLOW_ALL": True,
        "DEPTH_LIMIT": 0,  # depth is counted by the spider, which must still check deep links
        # Breadth-first, so a page budget covers the columns near the homepage first.
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "COOKIES_ENABLED": False,
        # No control servers in a crawl process: the telnet console and the remote-control HTTP
        # server can run code, and the latter leaves job files in the user's home.
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "INFO",
    }
