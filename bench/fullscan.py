"""A full govwatch scan against a plain Scrapy crawl (and LinkChecker, where installed).

All of them crawl the same generated estate (bench/estate.py) on 127.0.0.1, one after the
other, each in processes of its own, measured by bench/measure.py:

- plain Scrapy (bench/plain.py): fetches the pages and nothing else; the crawl's speed limit;
- govwatch: the real CLI, `govwatch scan --config F --json OUT`, every check on, SQLite in a
  temporary folder, defaults otherwise (16 requests in flight, 4 per host);
- LinkChecker: `linkchecker` with 4 threads (govwatch's 4 per host) and its per-host rate limit
  lifted (the estate sends the header it asks for); it runs no JavaScript, so it reaches only the
  first page of each column's list.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .estate import ROOT, GeneratedEstate
from .measure import Measured, run

CORES = os.cpu_count() or 1
OTHER_LOAD = 0.05  # share of the machine other processes may use before a run is flagged as skewed
TIMEOUT = 3600  # seconds per run; 50,000 pages take govwatch about this long at most
MB = 1024 * 1024


@dataclass
class Row:
    size: int
    tool: str
    measured: Measured | None = None
    pages: int | None = None
    requests: int | None = None
    server_cpu: float | None = None
    note: str = ""
    failure: str = ""  # why there are no figures: "not installed", "failed (exit 2)"

    @property
    def pages_per_second(self) -> float | None:
        if self.measured is None or not self.pages:
            return None
        return self.pages / self.measured.seconds


def bench(sizes: list[int]) -> list[Row]:
    rows: list[Row] = []
    for size in sizes:
        with GeneratedEstate(size) as estate:
            for tool in (plain, govwatch, linkchecker):
                with tempfile.TemporaryDirectory(prefix="govwatch-bench-") as tmp:
                    before = estate.stats()
                    row = tool(estate, Path(tmp))
                    after = estate.stats()
                    if row.measured is not None:
                        row.requests = sum(after["requests"].values()) - sum(before["requests"].values())
                        row.server_cpu = after["cpu_seconds"] - before["cpu_seconds"]
                    rows.append(row)
                    print(f"  {size:,} pages, {row.tool}: {_brief(row)}", file=sys.stderr, flush=True)
    return rows


def plain(estate: GeneratedEstate, tmp: Path) -> Row:
    measured = run([sys.executable, "-m", "bench.plain", estate.url], tmp, TIMEOUT,
                   env={"PYTHONPATH": str(ROOT)})
    row = Row(estate.layout.pages, "plain Scrapy", measured)
    if measured.returncode == 0:
        row.pages = json.loads(measured.stdout.strip().splitlines()[-1])["pages"]
    else:
        _failed(row, measured)
    return row


def govwatch(estate: GeneratedEstate, tmp: Path) -> Row:
    config, findings = _govwatch_config(estate, tmp), tmp / "findings.json"
    command = [str(Path(sys.executable).parent / "govwatch"), "scan", "--config", str(config),
               "--json", str(findings)]
    measured = run(command, tmp, TIMEOUT)
    row = Row(estate.layout.pages, "govwatch scan", measured)
    if measured.returncode != 0:
        _failed(row, measured)
        return row
    done = re.search(r"检查页面 (\d+) 个", measured.stdout)
    row.pages = int(done[1]) if done else None
    found = Counter(f["kind"] for f in json.loads(findings.read_text(encoding="utf-8"))["findings"])
    planted = estate.layout.planted()
    row.note = "findings " + ", ".join(
        f"{kind} {count:,}" + (f" (planted {planted[kind]:,})" if kind in planted else "")
        for kind, count in sorted(found.items()))
    return row


def _govwatch_config(estate: GeneratedEstate, tmp: Path) -> Path:
    """Defaults but for where to store; the page budget is raised where 50,000 would cut the crawl."""
    lines = [
        "# Written by `python -m bench` for its generated estate on 127.0.0.1.",
        "[database]",
        f"url = {json.dumps('sqlite:///' + str(tmp / 'govwatch.db'))}",
        "[report]",
        f"dir = {json.dumps(str(tmp / 'reports'))}",
        "[crawl]",
        f"max_pages = {max(50_000, 2 * estate.layout.pages)}",
        "[[sites]]",
        'name = "某某县人民政府"',
        f"url = {json.dumps(estate.url)}",
        'unit = "县人民政府办公室"',
    ]
    path = tmp / "govwatch.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def linkchecker_version() -> str | None:
    if not shutil.which("linkchecker"):
        return None
    out = subprocess.run(["linkchecker", "--version"], capture_output=True, text=True).stdout
    match = re.search(r"LinkChecker ([\d.]+)", out)
    return match[1] if match else "?"


def linkchecker(estate: GeneratedEstate, tmp: Path) -> Row:
    version = linkchecker_version()
    tool = f"LinkChecker {version}" if version else "LinkChecker"
    if version is None:
        return Row(estate.layout.pages, tool, failure="not installed")
    # Run as root, LinkChecker drops to `nobody`, which must still read its configuration.
    tmp.chmod(0o755)
    config = tmp / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000000\n", encoding="utf-8")
    config.chmod(0o644)
    measured = run(["linkchecker", "--no-status", "--no-warnings", "--threads", "4",
                    "--config", str(config), estate.url], tmp, TIMEOUT)
    row = Row(estate.layout.pages, tool, measured)
    checked = re.search(r"(\d+) URLs checked", measured.stdout)
    if measured.returncode > 1 or not checked:  # 1: it found broken links, as it should
        _failed(row, measured)
        return row
    text = re.search(r"(\d+) text", measured.stdout)
    row.pages = int(text[1]) if text else None
    row.note = f"{int(checked[1]):,} URLs checked; reaches no list page after the first (script pager)"
    return row


def _failed(row: Row, measured: Measured) -> None:
    row.failure = f"failed (exit {measured.returncode})"
    tail = (measured.stderr or measured.stdout).strip().splitlines()[-3:]
    row.note = " / ".join(line.strip() for line in tail)


def _brief(row: Row) -> str:
    if row.failure:
        return f"{row.failure} {row.note}".strip()
    assert row.measured is not None
    return f"{row.pages} pages in {row.measured.seconds:.1f} s {row.note}".strip()


# -- tables ------------------------------------------------------------------------------------------

def _num(value: float | int | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def table(rows: list[Row]) -> str:
    lines = ["| site pages | crawler | pages crawled | requests | wall (s) | pages/s | peak memory (MB) | CPU (s) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        m = r.measured
        if m is None or r.failure:
            lines.append(f"| {r.size:,} | {r.tool} | {r.failure} | | | | | |")
            continue
        lines.append(f"| {r.size:,} | {r.tool} | {_num(r.pages)} | {_num(r.requests)} | {m.seconds:.1f} "
                     f"| {_num(r.pages_per_second)} | {m.peak_rss / MB:.0f} | {m.cpu_seconds:.1f} |")
    return "\n".join(lines)


def ratios(rows: list[Row]) -> str:
    lines = ["| site pages | wall time govwatch / plain | pages/s govwatch / plain | peak memory govwatch / plain |",
             "|---:|---:|---:|---:|"]
    for size in dict.fromkeys(r.size for r in rows):
        by_tool = {r.tool: r for r in rows if r.size == size}
        g, p = by_tool.get("govwatch scan"), by_tool.get("plain Scrapy")
        if not (g and p and g.measured and p.measured and g.pages_per_second and p.pages_per_second):
            continue
        lines.append(f"| {size:,} | {g.measured.seconds / p.measured.seconds:.1f}× "
                     f"| {g.pages_per_second / p.pages_per_second:.2f} "
                     f"| {g.measured.peak_rss / p.measured.peak_rss:.1f}× |")
    return "\n".join(lines)


def details(rows: list[Row]) -> str:
    """Per process: where the CPU went and who held the memory; and what each tool reported."""
    lines = []
    for r in rows:
        m = r.measured
        if m is None:
            continue
        if r.failure:
            lines.append(f"- {r.size:,} pages, {r.tool}: {r.failure}: {r.note}")
            continue
        processes = ", ".join(
            f"{label}{f' ×{m.processes[label]}' if m.processes[label] > 1 else ''} "
            f"{m.cpu_by_process.get(label, 0):.1f} s CPU / {peak / MB:.0f} MB"
            for label, peak in m.peak_by_process.items())
        server = f"; estate server {r.server_cpu:.1f} s CPU" if r.server_cpu is not None else ""
        others = m.other_cpu_seconds - (r.server_cpu or 0.0)
        if others > OTHER_LOAD * m.seconds * CORES:
            server += f"; **other work on the machine took {others:.0f} s CPU meanwhile: figures skewed**"
        note = f"; {r.note}" if r.note else ""
        lines.append(f"- {r.size:,} pages, {r.tool}: {processes}{server}{note}")
    return "\n".join(lines)
