"""Entry point of a crawl process: `python -m crawler.worker PLAN_FILE EVENTS_FD`.

Scrapy's reactor cannot be restarted, so every crawl (scan or check) runs in a process of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from .plan import CrawlPlan
from .settings import scrapy_settings
from .spider import EstateSpider


def main(argv: list[str]) -> int:
    plan_file, events_fd = argv
    plan = CrawlPlan.from_json(Path(plan_file).read_text(encoding="utf-8"))
    process = CrawlerProcess(scrapy_settings(plan.crawl, int(events_fd)))
    process.crawl(EstateSpider, plan=plan)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
