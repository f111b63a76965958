"""The baseline: a minimal Scrapy spider that only fetches an estate's pages, as fast as Scrapy can.

It follows what govwatch follows to reach pages — `<a>` links inside the site and TRS
`createPageHTML` pagers — with govwatch's default politeness (16 requests in flight, 4 per host,
no delay, breadth-first), and does nothing else: no decoding rules, no page model, no link
checks, no attachments, no detector. Its time is the speed limit of the crawl itself.

`python -m bench.plain URL` crawls and prints `{"pages": N, "responses": M}` as one JSON line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import PurePosixPath
from typing import Any, AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse, Response

from core.config import CrawlConfig

_PAGER = re.compile(r"""createPageHTML\(\s*(\w+)\s*,\s*\w+\s*,\s*['"]([\w.-]+)['"]\s*,\s*['"](\w+)['"]""")
_NOT_PAGES = frozenset(".jpg .jpeg .png .gif .css .js .pdf .doc .docx .xls .xlsx .zip .rar".split())


def settings() -> dict[str, Any]:
    """govwatch's default crawl settings (crawler/settings.py) that bear on speed."""
    crawl = CrawlConfig()
    return {
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_host,
        "CONCURRENT_ITEMS": 1,  # as govwatch: Scrapy's default 100 tasks per callback only cost CPU
        "DOWNLOAD_DELAY": crawl.delay,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "RETRY_TIMES": crawl.retries,
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": False,
        "COOKIES_ENABLED": False,
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
    }


class PlainSpider(scrapy.Spider):
    name = "plain"

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url
        self.host = urlsplit(url).netloc
        self.pages = 0
        self.seen = {url}  # deduplicated here: yielding each link for Scrapy's filter costs more

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url)  # filtered like any other, so links back home are not refetched

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, HtmlResponse):
            return
        self.pages += 1
        hrefs = response.css("a::attr(href)").getall()
        pager = _PAGER.search(response.text)
        if pager:
            count, name, ext = pager.groups()
            if not count.isdigit():
                declared = re.search(rf"\b{count}\s*=\s*(\d+)", response.text)
                count = declared[1] if declared else "0"
            hrefs += [f"{name}_{i}.{ext}" if i else f"{name}.{ext}" for i in range(int(count))]
        for href in hrefs:
            url = response.urljoin(href)
            parts = urlsplit(url)
            url = url.split("#")[0]
            if url not in self.seen and parts.netloc == self.host \
                    and PurePosixPath(parts.path).suffix.lower() not in _NOT_PAGES:
                self.seen.add(url)
                yield scrapy.Request(url)


def main(argv: list[str]) -> int:
    (url,) = argv
    process = CrawlerProcess(settings())
    logging.getLogger("scrapy").setLevel(logging.INFO)  # as govwatch: no DEBUG records built per request
    crawler = process.create_crawler(PlainSpider)
    process.crawl(crawler, url=url)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    spider = crawler.spider
    print(json.dumps({"pages": spider.pages if isinstance(spider, PlainSpider) else 0,
                      "responses": stats.get("response_received_count", 0)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
