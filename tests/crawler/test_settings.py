"""crawler.settings: what a crawl process loads as it starts."""

from __future__ import annotations

import json
import subprocess
import sys

from crawler.settings import UNUSED_COMPONENTS

# A crawl process's start, as crawler.worker makes it, in a fresh interpreter: which components run,
# and which libraries were imported.
_START = """
import json, os, sys, tempfile
from datetime import date
from scrapy.crawler import CrawlerProcess
from core.config import CrawlConfig
from crawler.journal import Journal, journal_path
from crawler.plan import CrawlPlan, PlanSite
from crawler.settings import scrapy_settings
from crawler.spider import EstateSpider

jobdir = tempfile.mkdtemp()
plan = CrawlPlan([PlanSite("站点", "http://127.0.0.1:9/")], date(2026, 12, 7), CrawlConfig())
_, events = os.pipe()
settings = scrapy_settings(plan.crawl, events, os.path.join(jobdir, "scrapy-1"))
settings.update(GOVWATCH_FRONTIER_DIR=jobdir, SCHEDULER="crawler.journaling.JournalingScheduler",
                LOG_ENABLED=False)
process = CrawlerProcess(settings)
process.crawl(EstateSpider, plan=plan, frontier=None, journal=Journal(journal_path(jobdir, 1)))
(crawler,) = process.crawlers
name = lambda component: type(component).__module__ + "." + type(component).__qualname__
print(json.dumps({
    "downloader": [name(m) for m in crawler.engine.downloader.middleware.middlewares],
    "extensions": [name(e) for e in crawler.extensions.middlewares],
    "imported": [m for m in ("aiohttp", "tldextract") if m in sys.modules],
}))
"""


def test_a_crawl_process_never_loads_the_components_it_switches_off() -> None:
    """The cookie middleware and the remote-control extension are off (COOKIES_ENABLED,
    REMOTE_CONTROL_ENABLED); left out of Scrapy's base lists, their libraries are not even imported,
    and every other component runs as before."""
    done = subprocess.run([sys.executable, "-c", _START], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    started = json.loads(done.stdout.strip().splitlines()[-1])
    assert started["imported"] == []
    loaded = started["downloader"] + started["extensions"]
    assert not set(UNUSED_COMPONENTS) & set(loaded)
    assert "scrapy.downloadermiddlewares.redirect.RedirectMiddleware" in loaded
    assert "crawler.decompression.BoundedDecompression" in loaded
    assert "scrapy.extensions.corestats.CoreStats" in loaded


def test_the_crawl_process_entry_module_imports_no_scrapy() -> None:
    """An attachment reader is a child process (crawler.parsing) that imports the crawl process's
    main module again, as multiprocessing's children do: that module alone must not cost it Scrapy."""
    code = "import sys, crawler.worker; print(sorted(m for m in ('scrapy', 'twisted', 'lxml') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"
