"""A crawl process started early (crawler.launch): the first crawl takes it, its log lands where the
crawl's log goes, and one never taken is ended with its block."""

from __future__ import annotations

import os
import signal
import threading
from datetime import date
from pathlib import Path

import psutil

from core.config import CrawlConfig
from core.events import PageEvent
from crawler import launch
from crawler.launch import warm_crawl_process
from crawler.plan import CrawlPlan, Incremental, PlanSite, Reread
from crawler.process import CrawlProcess

from .test_handler import PAGES, site  # noqa: F401 - the keep-alive site fixture


def plan(site: str) -> CrawlPlan:  # noqa: F811 - the fixture's name
    return CrawlPlan([PlanSite("站点", site)], date(2026, 12, 6), CrawlConfig())


def test_the_first_crawl_takes_the_process_started_early_and_logs_where_it_is_told(
        site: str, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    with warm_crawl_process():
        assert launch._spare is not None
        spare = launch._spare.child.pid
        with CrawlProcess(plan(site), tmp_path / "first.log") as first:
            assert first.pid == spare
            pages = sum(isinstance(e, PageEvent) for e in first.events())
        with CrawlProcess(plan(site), tmp_path / "second.log") as second:
            assert second.pid != spare  # taken once
            list(second.events())
    assert pages == PAGES
    assert "Spider closed (finished)" in (tmp_path / "first.log").read_text(encoding="utf-8")


def test_a_process_started_early_and_never_taken_ends_with_its_block() -> None:
    with warm_crawl_process():
        assert launch._spare is not None
        child = psutil.Process(launch._spare.child.pid)
    assert launch._spare is None
    assert not child.is_running()


def test_a_plan_larger_than_the_pipe_is_handed_over_without_waiting_for_the_child(site: str) -> None:  # noqa: F811
    """An incremental plan names every known URL; the child reads it only once its imports are done.
    Handed over by a thread, the parent goes on meanwhile: here the child is stopped, and never reads."""
    known = [f"{site}known/{i:06d}.html" for i in range(20_000)]  # about 1 MB of JSON
    big = CrawlPlan([PlanSite("站点", site)], date(2026, 12, 6), CrawlConfig(),
                    incremental=Incremental([Reread(site)], known))
    with warm_crawl_process():
        assert launch._spare is not None
        child = launch._spare.child.pid
        os.kill(child, signal.SIGSTOP)
        started: list[CrawlProcess] = []
        handing = threading.Thread(target=lambda: started.append(CrawlProcess(big)), daemon=True)
        try:
            handing.start()
            handing.join(timeout=30)  # a parent writing the plan itself would wait here for good
            assert started, "the parent waited for the child to read its plan"
            assert started[0].pid == child
        finally:
            os.kill(child, signal.SIGKILL)
        if started:
            started[0].close()
