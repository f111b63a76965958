"""The spider's events streamed to the parent process as JSON lines, as soon as they are made.

The parent reads them while the crawl runs (live progress, findings stored page by page), so each
line is sent as soon as it is written. A parent that went away leaves nobody to read: the crawl
process then ends at once instead of crawling for nobody.

The crawl never waits for a slow parent (building its word matcher, storing on a busy disk): a
reactor stopped on a full pipe counts the wait against every request in flight, and a refused
connection or a quick page came out as a timeout. What the pipe does not take now waits in memory
and goes once the pipe is writable, and meanwhile the crawl takes no new request: those in flight
end into the backlog, so a death still loses only what was in flight or waiting with it (at most
`crawl.concurrency` requests, fetched again), and the crawl stays as near the parent as before.

Two ways in, one stream. `EventTap`, the spider middleware nearest the spider, writes the events
a callback yields and passes only its requests on: Scrapy's item path (a task, the middleware
chain, the pipeline and the item_scraped signal, per event) cost the crawl process more than
writing the event. `EventWriter`, the item pipeline, writes what still takes that path: the events
of errbacks (a failed download skips spider middlewares), and every event of a distributed scan,
where an AckEvent must follow the requests its callback yielded into the shared queue, which only
Scrapy's one-item-at-a-time handling of a callback's output guarantees.

A supervised local crawl keeps a journal (`crawler.journal`): before each event goes out, the
requests made since are written to it, so a request's outcome never reaches the parent before the
requests its callback made are on disk.

Events go out once per turn of the event loop, together: a callback yields two or three (a page, its
outcome), and the loop handles several responses a turn. One write a turn instead of one an event
spares system calls here and wake-ups in the parent. The parent reads the pipe ahead of its checks,
up to a bound (`crawler.readahead`), so the crawl rarely finds it full.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from core import events


class EventStream:
    """The crawl's end of the pipe to its parent: one per crawl, made non-blocking on the first event."""

    def __init__(self, fd: int, jobdir: str, crawler: Crawler | None = None) -> None:
        self._fd, self._jobdir, self._crawler = fd, jobdir, crawler
        self._opened = self._watching = self._paused = self._due = False
        self._backlog = bytearray()

    def write(self, event: events.Event) -> None:
        if not self._opened:
            os.set_blocking(self._fd, False)
            self._opened = True
        spider = self._crawler.spider if self._crawler is not None else None
        journal = getattr(spider, "journal", None)
        if journal is not None:
            journal.flush(spider.frontier.skipped())
            if isinstance(event, events.LinkEvent):
                journal.outcome(event.status.url)
            elif isinstance(event, events.ListEvent):
                journal.outcome(event.url)
        self._backlog += events.encode(event) + b"\n"
        if self._due or self._watching:
            return  # goes with the others at the end of this turn, or when the pipe is writable
        try:
            asyncio.get_running_loop().call_soon(self._send)
            self._due = True
        except RuntimeError:  # no event loop (a tool, a test): at once
            self._send()

    def _send(self) -> None:
        """What the pipe takes now; the rest is sent when the pipe is writable again."""
        self._due = False
        try:
            while self._backlog:
                del self._backlog[:os.write(self._fd, self._backlog)]
        except BlockingIOError:
            pass
        except BrokenPipeError:  # the parent is gone: nothing we find can be kept
            shutil.rmtree(self._jobdir, ignore_errors=True)
            os._exit(3)
        if self._backlog and not self._watching:
            asyncio.get_running_loop().add_writer(self._fd, self._send)
        elif not self._backlog and self._watching:
            asyncio.get_running_loop().remove_writer(self._fd)
        self._watching = bool(self._backlog)
        if self._crawler is not None and self._paused != bool(self._backlog):
            self._paused = not self._paused
            engine = self._crawler.engine
            if self._paused:
                engine.pause()
            else:
                engine.unpause()
                # Scrapy looks for the next request when one ends or every 5 s; with none in flight
                # the crawl would idle until then.
                if engine._slot is not None:
                    engine._slot.nextcall.schedule()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """The last event: why the crawl ended and which bounds left pages uncrawled. Everything
        waiting goes now, at the parent's pace: nothing is in flight any more."""
        self.write(events.DoneEvent(reason, dict(getattr(spider, "skipped", {}))))
        if self._watching:
            asyncio.get_running_loop().remove_writer(self._fd)
            self._watching = False
        os.set_blocking(self._fd, True)
        self._send()


_streams: WeakKeyDictionary[Crawler, EventStream] = WeakKeyDictionary()


def event_stream(crawler: Crawler) -> EventStream:
    """The crawl's one stream, shared by the tap and the pipeline."""
    if crawler not in _streams:
        folder = crawler.settings.get("GOVWATCH_FRONTIER_DIR") or crawler.settings.get("JOBDIR")
        stream = EventStream(crawler.settings.getint("GOVWATCH_EVENTS_FD"), folder, crawler)
        crawler.signals.connect(stream.spider_closed, signal=signals.spider_closed)
        _streams[crawler] = stream
    return _streams[crawler]


class EventWriter:
    """Item pipeline: writes the events that reach Scrapy's item path."""

    def __init__(self, stream: EventStream) -> None:
        self.stream = stream

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EventWriter:
        return cls(event_stream(crawler))

    def process_item(self, item: events.Event) -> events.Event:
        self.stream.write(item)
        return item


class EventTap(BaseSpiderMiddleware):
    """Spider middleware: writes a callback's events at once; its requests go on to Scrapy."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.stream = event_stream(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EventTap:
        if crawler.settings.get("GOVWATCH_SCAN_KEY"):  # distributed: acknowledgements need the item path
            raise NotConfigured
        return cls(crawler)

    def get_processed_request(self, request: Request, response: Response | None) -> Request:
        return request

    def get_processed_item(self, item: Any, response: Response | None) -> None:
        self.stream.write(item)
        return None
