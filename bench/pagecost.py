"""The scan's own process per page, without a crawl: the bound of a scan on 2 cores (issue 24).

A scan's process takes each page the crawl sends, decodes the event, reads the rest of the page for
the checks (`complete_read_page`) and checks it; on a 2-core machine it, not the crawl, is what a
scan waits for (BENCHMARKS.md). Timed inside a scan, a change of a few per cent drowns in the
machine's noise: plain Scrapy's crawl of the same site swings by a fifth from run to run. Here the
generated site's HTML pages (bench.render) are made into the events its crawl process would send
(read as it reads them: `read_page`, the homepage whole, the rest left to the parent) and replayed
in this one process, `--rounds` times; the fastest round of each stage counts. Storing is not
included (`make bench`'s scans time it).

    python -m bench.pagecost [--pages 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from core import events
from core.config import load
from core.events import PageEvent
from crawler.encoding import decode_html
from crawler.extract import complete_page, complete_read_page, judge_page, read_page, read_text
from crawler.plan import CrawlPlan
from detector import Context
from detector.registry import PAGE_CHECKS
from govwatch.service import build_context, word_entries

from .layout import Layout
from .render import SITE_NAME, respond
from .static import site_paths

ROUNDS = 3
HOME = "http://127.0.0.1:8000"  # the site's address in the events: nothing is requested
UNIT = "县人民政府办公室"


def crawled_events(layout: Layout) -> list[bytes]:
    """Each HTML page of the site as the event line its crawl process sends."""
    lines = []
    for path in site_paths(layout):
        status, content_type, body = respond(layout, path)
        if status != 200 or not content_type.startswith("text/html"):
            continue
        url = HOME + path
        html, encoding = decode_html(body, "utf-8")
        homepage = path == "/index.html"
        page, _, tree = read_page(url, html, site=SITE_NAME, unit=UNIT, today=layout.today, is_homepage=homepage,
                                  text=False)
        page.encoding = encoding
        whole = tree is None or homepage  # the crawl reads a homepage whole (its identifiers)
        if tree is not None and whole:
            read_text(page, tree)
            complete_page(page, tree, layout.today)
            judge_page(page)
        lines.append(events.encode(PageEvent(page, 0, "" if whole else url)))
    return lines


def context(folder: Path) -> Context:
    """The detector's context of a scan of the site, with the shipped word lists."""
    config_path = folder / "govwatch.toml"
    config_path.write_text("\n".join([
        "[database]", f"url = {json.dumps('sqlite:///' + str(folder / 'unused.db'))}",
        "[[sites]]", f"name = {json.dumps(SITE_NAME)}", f"url = {json.dumps(HOME + '/')}",
        f"unit = {json.dumps(UNIT)}"]) + "\n", encoding="utf-8")
    config = load(str(config_path))
    plan = CrawlPlan.for_scan(config)
    return build_context(config, plan, word_entries(config))


def measure(lines: list[bytes], ctx: Context, today: date) -> dict[str, float]:
    """Seconds of one replay, by stage: decoding, reading, each page check, identifying findings;
    and the pages and findings by kind. Page by page, as a scan takes them (a page's tree is let go
    once it is checked)."""
    seconds: Counter[str] = Counter()
    found: Counter[str] = Counter()
    pages = 0
    clock = time.perf_counter
    for line in lines:
        start = clock()
        event = events.decode(line)
        seconds["decode"] += clock() - start
        if not isinstance(event, PageEvent):
            continue
        page = event.page
        if event.read_from:
            start = clock()
            complete_read_page(page, event.read_from, today)
            seconds["read"] += clock() - start
        findings = []
        for check in PAGE_CHECKS:
            start = clock()
            findings += check.check(page, ctx)
            seconds[check.name] += clock() - start
        start = clock()
        for finding in findings:
            finding.identify(ctx.site_netlocs)
        seconds["identify"] += clock() - start
        page.tree = None
        found.update(finding.kind for finding in findings)
        pages += 1
    return {**seconds, "pages": float(pages), **{f"found {kind}": float(n) for kind, n in found.items()}}


def bench(pages: int, rounds: int = ROUNDS) -> dict[str, float]:
    """The fastest of `rounds` replays of a `pages`-page site, stage by stage."""
    layout = Layout(pages)
    lines = crawled_events(layout)
    with tempfile.TemporaryDirectory(prefix="govwatch-pagecost-") as folder:
        ctx = context(Path(folder))
    results = [measure(lines, ctx, layout.today) for _ in range(rounds)]
    return {key: min(r[key] for r in results) for key in results[0]}


def table(result: dict[str, float]) -> str:
    """Milliseconds per page of each stage, in the order a scan runs them, and what was found."""
    pages = int(result["pages"])
    stages = [stage for stage in ("decode", "read", *(check.name for check in PAGE_CHECKS), "identify")
              if stage in result]
    total = sum(result[key] for key in stages)
    rows = ["| stage | ms per page | share |", "|---|---:|---:|"]
    rows += [f"| {stage} | {1000 * result[stage] / pages:.3f} | {result[stage] / total:.0%} |" for stage in stages]
    rows.append(f"| **all** | **{1000 * total / pages:.3f}** | 100% |")
    found = ", ".join(f"{key[6:]} {int(result[key]):,}" for key in sorted(result) if key.startswith("found "))
    return "\n".join(rows) + f"\n\n{pages:,} pages replayed; findings: {found}."


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pagecost", description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="pages of the generated site (default 10000)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"replays; the fastest counts (default {ROUNDS})")
    args = parser.parse_args(argv)
    print(table(bench(args.pages, args.rounds)))


if __name__ == "__main__":
    main()
