"""A scan of a hostile site (tests/support/hostile.py) finishes, checks every normal page, names
every bomb, and keeps the summed memory of its processes under 1.5 GB."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from bench import measure
from tests.support.hostile import NAMED, READ, HostileSite, scan_config

MAX_MEMORY = 1536 << 20  # bytes: the scan's processes together, at their peak
MAX_SECONDS = 600  # bounded, with room for a loaded machine: the site serves nothing endless to a bounded crawl
MAX_LINKS = 300  # crawl.max_links_per_page here: the 200,000-link page is cut to these


@dataclass
class HostileScan:
    site: HostileSite
    returncode: int
    output: str
    document: dict[str, Any]
    peak_rss: int
    seconds: float
    work: Path  # the report, the crawl log


def scan_hostile(site: HostileSite, work: Path) -> HostileScan:
    out = work / "scan.json"
    command = [sys.executable, "-m", "govwatch", "scan", "--config", str(scan_config(site, work, MAX_LINKS)),
               "--json", str(out)]
    run = measure.run(command, work, MAX_SECONDS, env={"PYTHONIOENCODING": "utf-8"})
    document = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return HostileScan(site, run.returncode, run.stdout + run.stderr, document, run.peak_rss, run.seconds, work)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileScan]:
    with HostileSite() as site:
        yield scan_hostile(site, tmp_path_factory.mktemp("hostile"))


def test_the_scan_finishes(hostile: HostileScan) -> None:
    assert hostile.returncode == 0, hostile.output
    assert hostile.document["scan"]["status"] == "finished"


def test_every_page_that_can_be_read_is_checked_with_its_start(hostile: HostileScan) -> None:
    found = {f["url"] for f in hostile.document["findings"] if f["kind"] == "erroneous_expression"}
    assert {hostile.site.url + path.lstrip("/") for path in READ} <= found


def test_every_bomb_and_cut_page_is_named_in_the_notes(hostile: HostileScan) -> None:
    notes = "\n".join(hostile.document["scan"]["notes"])
    for path in NAMED:
        assert hostile.site.url + path.lstrip("/") in notes, path
    assert f"只检查了前 {MAX_LINKS} 个" in notes


def test_the_named_pages_are_in_the_report_and_the_crawl_log(hostile: HostileScan) -> None:
    report = next(hostile.work.glob("scan-*.html")).read_text(encoding="utf-8")
    crawl_log = next(hostile.work.glob("scan-*.log")).read_text(encoding="utf-8")
    for path in NAMED:
        url = hostile.site.url + path.lstrip("/")
        assert url in report and url in crawl_log, path


def test_the_links_of_a_huge_page_are_checked_up_to_the_cap(hostile: HostileScan) -> None:
    checked = [path for path in hostile.site.requests if path.startswith("/l/")]
    assert len(checked) == len(set(checked)) == MAX_LINKS


def test_memory_and_time_stay_bounded(hostile: HostileScan) -> None:
    assert hostile.peak_rss < MAX_MEMORY, f"{hostile.peak_rss >> 20} MB"
    assert hostile.seconds < MAX_SECONDS


def test_the_other_hostile_cases_still_hold(hostile: HostileScan) -> None:
    dead = {f["evidence"]: f["context"] for f in hostile.document["findings"] if f["kind"] == "dead_link"}
    url = hostile.site.url
    assert "超时" in dead[url + "slow.html"]
    assert "重定向" in dead[url + "loop/a"]
    assert {url + "garbage.html", url + "reset.html"} <= set(dead)
    # the link trap stops at the depth limit (20) or the query variants' (30), whichever comes first
    assert len([path for path in hostile.site.requests if path.startswith("/trap")]) <= 31
    assert {"max_depth", "max_query_variants"} & set(hostile.document["scan"]["limits"])
