"""One crawl, consumed: pages checked and stored as they arrive, estate checks at the end.

`scan` and `check` share this path, so one page gets the same findings from both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable

import wordlists
from crawler.plan import CrawlPlan
from crawler.process import run_crawl
from detector import Context, WordMatcher, check_estate, check_page
from core.config import Config
from core.model import Estate, Finding, LinkStatus, Page, SiteStatus
from storage import Store
from storage.store import ScanStats

log = logging.getLogger(__name__)

ProgressCallback = Callable[[ScanStats, int], None]  # (stats so far, requests pending)


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    stats: ScanStats = field(default_factory=ScanStats)
    estate: Estate = field(default_factory=Estate)
    errors: list[dict[str, Any]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    scan_id: int | None = None


def today_in(config: Config) -> date:
    return datetime.now(config.tz).date()


def build_context(config: Config, plan: CrawlPlan) -> Context:
    """The detector's context: the word matcher (built once here) and the estate's hosts."""
    base = config.path.parent if config.path else Path.cwd()
    extra = [p if Path(p).is_absolute() else base / p for p in config.wordlists.extra]
    return Context(estate_hosts=plan.estate_hosts, today=plan.today,
                   matcher=WordMatcher(wordlists.load(extra)).prepare())


def run(plan: CrawlPlan, ctx: Context, *, store: Store | None = None, scan_id: int | None = None,
        progress: ProgressCallback | None = None, log_path: Path | None = None) -> RunResult:
    """Crawl per `plan`, check each page as it arrives and, with a store, keep what was found."""
    result = RunResult(scan_id=scan_id)
    consume(run_crawl(plan, log_path), result, ctx, store, progress)
    estate_findings = check_estate(result.estate, ctx)
    if store is not None and scan_id is not None:
        estate_findings = store.record_findings(scan_id, estate_findings)
    result.findings.extend(estate_findings)
    result.stats.findings = len(result.findings)
    return result


def consume(events: Iterable[dict[str, Any]], result: RunResult, ctx: Context,
            store: Store | None, progress: ProgressCallback | None) -> None:
    stats = result.stats
    for event in events:
        kind = event["event"]
        if kind == "page":
            page = Page.from_json(event["page"])
            result.estate.add_page_links(page)
            result.pages.append(page.url)
            findings = _checked(page, ctx, result)
            if store is not None and result.scan_id is not None:
                findings = store.record_page(result.scan_id, page, findings)
            result.findings.extend(findings)
            stats.pages += 1
            stats.findings = len(result.findings)
            if progress:
                progress(stats, event.get("pending", 0))
        elif kind == "link":
            result.estate.links[event["url"]] = LinkStatus(
                event["url"], event["ok"], event["status"], event["reason"])
            stats.links_checked += 1
        elif kind == "site":
            result.estate.sites.append(SiteStatus(event["name"], event["url"], event["unit"],
                                                  event["ok"], event["reason"]))
        elif kind == "error":
            stats.pages_failed += 1
            result.errors.append(event)
            log.warning("%s: %s", event["url"], event["message"])


def _checked(page: Page, ctx: Context, result: RunResult) -> list[Finding]:
    """The page's findings; a check that crashes on one page is logged and counted, not fatal."""
    try:
        return check_page(page, ctx)
    except Exception as exc:
        log.exception("detector failed on %s", page.url)
        result.stats.pages_failed += 1
        result.errors.append({"event": "error", "url": page.url, "message": f"检查出错：{exc}"})
        return []
