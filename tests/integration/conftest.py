"""The fixture estate (tests/estate/) served on 127.0.0.1, its config, and real scans of it.

Attachments are generated into a copy of the estate before it is served (no binaries committed).
Scans run the real `govwatch` command in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest

from core.events import LinkEvent, PageEvent
from crawler.plan import CrawlPlan
from crawler.process import run_crawl
from core.config import load
from govwatch.demo.server import EstateServer
from tests.support.make_attachments import make_docx, make_pdf, make_xlsx

ESTATE = Path(__file__).parents[1] / "estate"
EXPECTED: dict[str, Any] = tomllib.loads((ESTATE / "EXPECTED.toml").read_text(encoding="utf-8"))
TODAY = date.fromisoformat(EXPECTED["today"])
CONFIGURED = ("portal", "gbk")
UNREACHABLE_SITE = "某某县已关停站点"


def write_attachments(root: Path) -> None:
    builders = {"pdf": lambda a: make_pdf(a["lines"]), "docx": lambda a: make_docx(a["paragraphs"]),
                "xlsx": lambda a: make_xlsx(a["rows"])}
    for path, spec in EXPECTED["attachments"].items():
        target = root / spec["site"] / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(builders[spec["format"]](spec))


@pytest.fixture(scope="session")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EstateServer]:
    root = tmp_path_factory.mktemp("estate") / "estate"
    shutil.copytree(ESTATE, root, ignore=shutil.ignore_patterns("EXPECTED.toml", "*.py", "__pycache__"))
    write_attachments(root)
    with EstateServer(root) as server:
        yield server


@pytest.fixture(scope="session")
def config_path(estate: EstateServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("work")
    lines = [f'[database]\nurl = "sqlite:///{work / "govwatch.db"}"',
             f'[report]\ndir = "{work / "reports"}"',
             "[crawl]\ntimeout = 2\nretries = 1\nconcurrency_per_host = 8\nmax_response_size = 1000000"]
    for site in CONFIGURED:
        info = EXPECTED["sites"][site]
        lines.append(f'[[sites]]\nname = "{info["name"]}"\nurl = "{estate.url(site)}"\n'
                     f'unit = "{info["unit"]}"\nparent = "{info["parent"]}"')
    lines.append(f'[[sites]]\nname = "{UNREACHABLE_SITE}"\nurl = "http://127.0.0.1:{estate.closed_port}/"\n'
                 f'unit = "县政府办公室"\nparent = "{EXPECTED["sites"]["portal"]["name"]}"')
    path = work / "govwatch.toml"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def govwatch(*args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI, judging the estate's fixed dates as of the day EXPECTED.toml was written."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "GOVWATCH_TODAY": EXPECTED["today"]}
    return subprocess.run([sys.executable, "-m", "govwatch", *args], capture_output=True, text=True,
                          env=env, timeout=600)


@dataclass
class Scan:
    run: subprocess.CompletedProcess[str]
    findings: list[dict[str, Any]]


@pytest.fixture(scope="session")
def scans(config_path: Path) -> list[Scan]:
    """Two full scans of the estate with the real CLI, one after the other."""
    result = []
    for n in (1, 2):
        out = config_path.parent / f"findings-{n}.json"
        run = govwatch("scan", "--config", str(config_path), "--json", str(out))
        assert run.returncode == 0, run.stderr + run.stdout
        result.append(Scan(run, json.loads(out.read_text(encoding="utf-8"))["findings"]))
    return result


@dataclass
class Crawl:
    pages: dict[str, dict[str, Any]]
    links: dict[str, dict[str, Any]]
    link_events: Counter[str]  # outcomes per target: exactly one each
    requests: list[tuple[str, str, str]]  # (site dir, method, path) the server saw during the crawl


@pytest.fixture(scope="session")
def crawl(config_path: Path, estate: EstateServer) -> Crawl:
    """The raw crawl events of one scan, with `today` pinned to the date EXPECTED.toml assumes."""
    plan = CrawlPlan.for_scan(load(config_path))
    plan.today = TODAY
    crawl = Crawl({}, {}, Counter(), [])
    estate.reset_counts()
    for event in run_crawl(plan):
        if isinstance(event, PageEvent):
            crawl.pages[event.page.url] = event.page.to_json()
        elif isinstance(event, LinkEvent):
            crawl.links[event.status.url] = {"event": "link", **vars(event.status)}
            crawl.link_events[event.status.url] += 1
    crawl.requests = list(estate.requests)
    return crawl
