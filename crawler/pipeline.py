"""The item pipeline that streams the spider's events to the parent process as JSON lines.

The parent reads them while the crawl runs (live progress, findings stored page by page), so each
line is flushed as soon as it is written. A parent that went away leaves nobody to read: the crawl
process then ends at once instead of crawling for nobody.
"""

from __future__ import annotations

import os
import shutil
from typing import IO

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from core import events


class EventWriter:
    def __init__(self, fd: int, jobdir: str) -> None:
        self._fd, self._jobdir = fd, jobdir
        self._out: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EventWriter:
        writer = cls(crawler.settings.getint("GOVWATCH_EVENTS_FD"), crawler.settings.get("JOBDIR"))
        crawler.signals.connect(writer.spider_closed, signal=signals.spider_closed)
        return writer

    def open_spider(self) -> None:
        self._out = os.fdopen(self._fd, "w", encoding="utf-8", closefd=False)

    def process_item(self, item: events.Event) -> events.Event:
        self.write(item)
        return item

    def write(self, event: events.Event) -> None:
        assert self._out is not None
        try:
            self._out.write(events.encode(event) + "\n")
            self._out.flush()
        except BrokenPipeError:  # the parent is gone: nothing we find can be kept
            shutil.rmtree(self._jobdir, ignore_errors=True)
            os._exit(3)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """The last event: why the crawl ended and which bounds left pages uncrawled."""
        if self._out is not None:
            self.write(events.DoneEvent(reason, dict(getattr(spider, "skipped", {}))))
