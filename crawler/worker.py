"""Entry point of a crawl process: `python -m crawler.worker EVENTS_FD`; on stdin one JSON line, where
its frontier and its log are (`{"jobdir": …, "log": …}`; no log: its stderr is the log), then the plan.
It imports Scrapy first and reads them after, so that a process started early (crawler.launch) waits
ready; one given nothing (stdin closed) ends.

Scrapy's reactor cannot be restarted, so every crawl (scan or check) runs in a process of its own.
It must never outlive the process that reads its events: a watchdog ends it when the parent dies,
whatever killed the parent (kill -9 included).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import threading
import time

from pathlib import Path

from core.collector import CRAWL_YOUNG, collect_less_often

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


def log_to(path: str) -> None:
    """Append our stdout and stderr (Scrapy's log) to `path`, which the parent opened for us."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def main(argv: list[str]) -> int:
    # Imported here, not above: an attachment reader (crawler.parsing) is a child process that
    # imports this entry module again, as multiprocessing's children import their parent's main
    # module, and it needs nothing of Scrapy's (importing it cost 0.9 s of CPU as the crawl started).
    from scrapy.crawler import CrawlerProcess

    from .distributed import redis_settings
    from .frontier import RedisFrontier, ScanKeys, connect
    from .journal import Journal, journal_path
    from .plan import CrawlPlan
    from .settings import scrapy_settings
    from .spider import EstateSpider

    (events_fd,) = argv
    collect_less_often(CRAWL_YOUNG)
    header = sys.stdin.readline()
    if not header:
        return 0  # started early for a crawl that never came
    where = json.loads(header)
    jobdir = where["jobdir"]
    if where["log"]:
        log_to(where["log"])
    exit_when_orphaned(int(os.environ.get("GOVWATCH_PARENT_PID", os.getppid())), jobdir)
    plan = CrawlPlan.from_json(sys.stdin.read())
    # A crawl restarted after a death is a new generation: Scrapy's own job folder starts empty (the
    # dead one's cannot be read back), the journals of every generation stay beside it.
    generation = plan.resume.generation if plan.resume else 1
    settings = scrapy_settings(plan.crawl, int(events_fd), str(Path(jobdir) / f"scrapy-{generation}"))
    settings["GOVWATCH_FRONTIER_DIR"] = jobdir
    frontier, journal = None, None
    if plan.cluster is not None:  # one of a distributed scan's crawls: the frontier lives in Redis
        settings.update(redis_settings(plan, plan.crawl.redis_url))
        server = connect(plan.crawl.redis_url, plan.crawl.redis_outage_seconds)
        frontier = RedisFrontier(server, ScanKeys(plan.cluster.key), plan.cluster.member)
    else:  # a local crawl notes what it does, so that a crawl process started after its death can go on
        journal = Journal(journal_path(jobdir, generation))
        settings["SCHEDULER"] = "crawler.journaling.JournalingScheduler"
    process = CrawlerProcess(settings)
    # Scrapy filters by level in its handler only, so every request's DEBUG lines were still built.
    logging.getLogger("scrapy").setLevel(process.settings.get("LOG_LEVEL"))
    process.crawl(EstateSpider, plan=plan, frontier=frontier, journal=journal)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
