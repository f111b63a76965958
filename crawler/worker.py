"""Entry point of a crawl process: `python -m crawler.worker EVENTS_FD JOBDIR`, the plan as JSON on stdin.

Scrapy's reactor cannot be restarted, so every crawl (scan or check) runs in a process of its own.
It must never outlive the process that reads its events: a watchdog ends it when the parent dies,
whatever killed the parent (kill -9 included).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time

from scrapy.crawler import CrawlerProcess

from .distributed import redis_settings
from .frontier import RedisFrontier, ScanKeys, connect
from .plan import CrawlPlan
from .settings import scrapy_settings
from .spider import EstateSpider

PARENT_POLL_SECONDS = 0.5


def exit_when_orphaned(parent: int, jobdir: str) -> None:
    """Once the parent is gone we are re-parented: nobody will read what we find, so stop now,
    removing the frontier folder the parent can no longer remove."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        shutil.rmtree(jobdir, ignore_errors=True)
        os._exit(4)

    threading.Thread(target=watch, name="govwatch-parent-watch", daemon=True).start()


def main(argv: list[str]) -> int:
    events_fd, jobdir = argv
    exit_when_orphaned(int(os.environ.get("GOVWATCH_PARENT_PID", os.getppid())), jobdir)
    plan = CrawlPlan.from_json(sys.stdin.read())
    settings = scrapy_settings(plan.crawl, int(events_fd), jobdir)
    frontier = None
    if plan.cluster is not None:  # one of a distributed scan's crawls: the frontier lives in Redis
        settings.update(redis_settings(plan, plan.crawl.redis_url))
        frontier = RedisFrontier(connect(plan.crawl.redis_url), ScanKeys(plan.cluster.key), plan.cluster.member)
    process = CrawlerProcess(settings)
    # Scrapy filters by level in its handler only, so every request's DEBUG lines were still built.
    logging.getLogger("scrapy").setLevel(process.settings.get("LOG_LEVEL"))
    process.crawl(EstateSpider, plan=plan, frontier=frontier)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
