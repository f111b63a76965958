"""The item pipeline that streams the spider's events to the parent process as JSON lines.

The parent reads them while the crawl runs (live progress, findings stored page by page), so each
line is flushed as soon as it is written.
"""

from __future__ import annotations

import json
import os
from typing import IO, Any

from scrapy.crawler import Crawler


class EventWriter:
    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._out: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EventWriter:
        return cls(crawler.settings.getint("GOVWATCH_EVENTS_FD"))

    def open_spider(self) -> None:
        self._out = os.fdopen(self._fd, "w", encoding="utf-8", closefd=False)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        assert self._out is not None
        self._out.write(json.dumps(item, ensure_ascii=False) + "\n")
        self._out.flush()
        return item

    def close_spider(self) -> None:
        if self._out is not None:
            self._out.flush()
