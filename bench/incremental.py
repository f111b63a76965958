"""An incremental scan against the full scan it follows, on the same generated estate.

For each size: `govwatch scan` of the generated estate (bench/estate.py), then 1 % new articles
appear on top of the columns while the server runs (`GeneratedEstate.publish`), then
`govwatch scan --incremental`. Both are the real CLI with the defaults, SQLite in a temporary folder,
measured by bench/measure.py; requests are counted by the estate server. The incremental scan must
find every problem planted in the new articles (中华人民共合国 and full ID numbers, page text and
DOCX attachments alike).
"""

from __future__ import annotations

import json
import math
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .estate import GeneratedEstate
from .fullscan import TIMEOUT, _govwatch_config
from .layout import Article
from .measure import Measured, run

NEW_SHARE = 0.01  # of the estate's pages: new articles published between the two scans


@dataclass
class Run:
    measured: Measured
    requests: int
    pages: int | None

    @property
    def ok(self) -> bool:
        return self.measured.returncode == 0


@dataclass
class Result:
    size: int
    new_articles: int
    full: Run
    incremental: Run | None = None
    planted: int = 0
    found: int = 0
    missed: tuple[str, ...] = ()


def bench(sizes: list[int]) -> list[Result]:
    results = []
    for size in sizes:
        with GeneratedEstate(size) as estate, tempfile.TemporaryDirectory(prefix="govwatch-bench-") as tmp:
            config = _govwatch_config(estate, Path(tmp))
            full = _scan(estate, config, Path(tmp), [])
            fresh = math.ceil(size * NEW_SHARE / len(estate.layout.columns))
            result = Result(size, fresh * len(estate.layout.columns), full)
            if full.ok:
                estate.publish(fresh)
                findings = Path(tmp) / "incremental.json"
                result.incremental = _scan(estate, config, Path(tmp), ["--incremental", "--json", str(findings)])
                if result.incremental.ok:
                    _judge(result, estate.layout.fresh_articles(), estate.url, findings)
            print(f"  {size:,} pages: {brief(result)}", file=sys.stderr, flush=True)
            results.append(result)
    return results


def _scan(estate: GeneratedEstate, config: Path, tmp: Path, extra: list[str]) -> Run:
    before = sum(estate.stats()["requests"].values())
    measured = run([str(Path(sys.executable).parent / "govwatch"), "scan", "--config", str(config), *extra],
                   tmp, TIMEOUT)
    done = re.search(r"检查页面 (\d+) 个", measured.stdout)
    return Run(measured, sum(estate.stats()["requests"].values()) - before, int(done[1]) if done else None)


def planted(articles: list[Article]) -> set[tuple[str, str]]:
    """(kind, URL) of every problem planted in these articles: on the page, or in its DOCX."""
    problems = {("erroneous_expression", a.url) for a in articles if a.has_error}
    problems |= {("privacy_leak", a.url) for a in articles if a.full_id}
    problems |= {("privacy_leak", a.attachment) for a in articles if (a.attachment or "").endswith(".docx")}
    return problems


def _judge(result: Result, fresh: list[Article], root: str, findings: Path) -> None:
    wanted = planted(fresh)
    found = {(f["kind"], f["url"].removeprefix(root.rstrip("/")))
             for f in json.loads(findings.read_text(encoding="utf-8"))["findings"]}
    result.planted, result.found = len(wanted), len(wanted & found)
    result.missed = tuple(sorted(f"{kind} {url}" for kind, url in wanted - found))


def brief(r: Result) -> str:
    if not r.full.ok or r.incremental is None or not r.incremental.ok:
        failed = r.full if not r.full.ok else r.incremental
        return f"failed (exit {failed.measured.returncode if failed else '?'})"
    return (f"full {r.full.measured.seconds:.1f} s, incremental {r.incremental.measured.seconds:.1f} s, "
            f"found {r.found}/{r.planted} planted problems in {r.new_articles} new articles")


def table(results: list[Result]) -> str:
    lines = ["| site pages | new articles | scan | pages checked | requests | wall (s) | CPU (s) | planted problems found |",
             "|---:|---:|---|---:|---:|---:|---:|---|"]
    for r in results:
        for name, scan in (("full", r.full), ("incremental", r.incremental)):
            if scan is None or not scan.ok:
                lines.append(f"| {r.size:,} | {r.new_articles:,} | {name} | failed | | | | |")
                continue
            verdict = "" if name == "full" else (
                f"{r.found}/{r.planted}" + (" — all" if r.found == r.planted else f" — missed {', '.join(r.missed)}"))
            lines.append(f"| {r.size:,} | {r.new_articles:,} | {name} | {scan.pages or 0:,} | {scan.requests:,} "
                         f"| {scan.measured.seconds:.1f} | {scan.measured.cpu_seconds:.1f} | {verdict} |")
    return "\n".join(lines)


def ratios(results: list[Result]) -> str:
    lines = ["| site pages | wall time incremental / full | requests incremental / full |", "|---:|---:|---:|"]
    for r in results:
        if r.incremental is not None and r.incremental.ok and r.full.ok:
            lines.append(f"| {r.size:,} | {r.incremental.measured.seconds / r.full.measured.seconds:.2f} "
                         f"| {r.incremental.requests / max(r.full.requests, 1):.3f} |")
    return "\n".join(lines)
