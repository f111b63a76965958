"""The crawl's journal: what a dead crawl process leaves for the next one, read back as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import scrapy
from scrapy.utils.test import get_crawler

from crawler.journal import Journal, journal_path, read_journals
from crawler.journaling import JournalingScheduler


def test_a_dead_process_journal_reads_back_what_was_written(tmp_path: Path) -> None:
    first = Journal(journal_path(tmp_path, 1))
    first.queued("http://127.0.0.1/", "GET", "parse_page", "page_failed", {"site": "甲", "depth": 0}, {})
    first.queued("http://127.0.0.2/x", "HEAD", "link_head", "link_failed", {"limit": 1}, {})
    first.started("http://127.0.0.1/")  # written at once, before the queued lines
    first.flush({})
    first.queued("http://127.0.0.3/never-written", "GET", "parse_page", "page_failed", {}, {})  # lost at the death
    second = Journal(journal_path(tmp_path, 2))
    second.queued("http://127.0.0.2/x", "GET", "link_get", "link_failed", {"limit": 1}, {})  # HEAD became GET
    second.body("甲", b"\x01\x02", "http://127.0.0.1/", True)
    second.handoff("http://127.0.0.4/a", "乙", "a", 1, "http://127.0.0.1/")
    second.flush({"max_pages": 2})
    second.started("http://127.0.0.2/x")
    with open(journal_path(tmp_path, 2), "ab") as f:
        f.write(b"Q [\"http://127.0.0.5/cut")  # the line the death cut short

    state = read_journals([journal_path(tmp_path, 1), journal_path(tmp_path, 2)])
    assert list(state.specs) == ["http://127.0.0.1/", "http://127.0.0.2/x"]
    assert state.specs["http://127.0.0.2/x"][1:3] == ["GET", "link_get"]
    assert state.started == ["http://127.0.0.2/x"], "in flight: the last process's only"
    assert state.bodies == [["甲", "0102", True, "http://127.0.0.1/"]]
    assert state.handoffs == [["http://127.0.0.4/a", "乙", "a", 1, "http://127.0.0.1/"]]
    assert state.skipped == {"max_pages": 2}


def test_a_process_that_died_before_writing_leaves_nothing_to_read(tmp_path: Path) -> None:
    state = read_journals([journal_path(tmp_path, 1)])
    assert state.specs == {} and state.started == []


def test_an_outcome_made_before_the_death_is_read_as_finished_until_requested_again(tmp_path: Path) -> None:
    """Its events may have died with the process (they wait there for a slow parent), so the request
    is made again, but the death was not its doing: it must not be held a suspect."""
    journal = Journal(journal_path(tmp_path, 1))
    for url in ("http://127.0.0.1/a", "http://127.0.0.1/b", "http://127.0.0.1/c"):
        journal.started(url)
    journal.outcome("http://127.0.0.1/a")
    journal.outcome("http://127.0.0.1/b")
    journal.flush({})
    journal.started("http://127.0.0.1/b")  # requested again (a GET after a HEAD): in flight once more

    state = read_journals([journal_path(tmp_path, 1)])
    assert state.started == ["http://127.0.0.1/a", "http://127.0.0.1/b", "http://127.0.0.1/c"]
    assert state.finished == {"http://127.0.0.1/a"}


class _Spider(scrapy.Spider):
    name = "govwatch"

    def parse_page(self, response: Any) -> None:
        pass

    def link_head(self, response: Any) -> None:
        pass


def test_a_leaf_request_waits_in_memory_and_goes_before_the_pages_on_disk(tmp_path: Path) -> None:
    """A link check is never pickled to the disk queue, and is taken before the queued pages, so
    that few ever wait, however large the site."""
    crawler = get_crawler(_Spider, {"JOBDIR": str(tmp_path / "job"),
                                    "SCHEDULER_DISK_QUEUE": "crawler.diskqueue.RequestFifoDiskQueue",
                                    # the crawl's own needs a running downloader; the placing is the same
                                    "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue"})
    crawler.spider = spider = _Spider()
    scheduler = JournalingScheduler.from_crawler(crawler)
    scheduler.open(spider)
    page = scrapy.Request("http://127.0.0.1/a.html", callback=spider.parse_page, dont_filter=True)
    leaf = scrapy.Request("http://127.0.0.1/b.png", callback=spider.link_head, method="HEAD", dont_filter=True)
    assert scheduler.enqueue_request(page) and scheduler.enqueue_request(leaf)
    assert (len(scheduler.dqs), len(scheduler.mqs)) == (1, 1)
    assert [scheduler.next_request().url, scheduler.next_request().url] == [leaf.url, page.url]
    assert scheduler.next_request() is None
    scheduler.close("finished")
