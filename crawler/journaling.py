"""The crawl process's scheduler: Scrapy's, writing to the journal (crawler.journal) as it goes.

Apart from the journal's format so that the parent, which reads journals, never imports Scrapy.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.scheduler import Scheduler

from .journal import LEAF_CALLBACKS, Journal


class JournalingScheduler(Scheduler):
    """Scrapy's scheduler, noting in the journal each request it hands to the downloader.

    A leaf request (LEAF_CALLBACKS) waits in memory, not in the disk queue: the scheduler takes from
    memory first, so leaves go out right after the pages that found them and only the few found
    since wait, however large the site (memory stays flat); and they skip being pickled to disk and
    read back, a quarter of the crawl's requests. What a death loses of them is in the journal (Q lines)."""

    def _dqpush(self, request: Request) -> bool:
        if getattr(request.callback, "__name__", None) in LEAF_CALLBACKS:
            return False  # Scheduler.enqueue_request then keeps it in memory
        return super()._dqpush(request)

    def next_request(self) -> Request | None:
        request = super().next_request()
        if request is not None:
            journal: Journal | None = getattr(self.spider, "journal", None)
            if journal is not None:
                journal.started(request.meta.get("target", request.url))
        return request
