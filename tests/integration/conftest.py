"""The fixture estate (tests/estate/) served on 127.0.0.1, its config, and real scans of it.

Attachments are generated into a copy of the estate before it is served (no binaries committed).
Scans run the real `govwatch` command in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
import redis

from core.events import LinkEvent, PageEvent
from crawler.plan import CrawlPlan
from crawler.process import run_crawl
from core.config import load
from bench.estate import GeneratedEstate
from govwatch.demo.server import EstateServer
from storage import Store
from tests.integration import test_distributed as distributed
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
    return write_estate_config(estate, tmp_path_factory.mktemp("work"))


def write_estate_config(estate: EstateServer, work: Path, crawl: str = "") -> Path:
    """The fixture estate's config in `work`: its configured sites and one that is down; `crawl`
    adds lines to the `[crawl]` table."""
    lines = [f'[database]\nurl = "sqlite:///{work / "govwatch.db"}"',
             f'[report]\ndir = "{work / "reports"}"',
             "[crawl]\ntimeout = 2\nretries = 1\nconcurrency_per_host = 8\nmax_response_size = 1000000"
             + (f"\n{crawl}" if crawl else "")]
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
    record: dict[str, Any]  # the finding JSON's "scan"
    database: Path  # a copy of the database as this scan left it


@pytest.fixture(scope="session")
def scans(config_path: Path) -> list[Scan]:
    """Two full scans of the estate with the real CLI, one after the other. Each leaves a copy of the
    database, so a test can compare another scan of the estate with one without running it again."""
    result = []
    for n in (1, 2):
        out = config_path.parent / f"findings-{n}.json"
        run = govwatch("scan", "--config", str(config_path), "--json", str(out))
        assert run.returncode == 0, run.stderr + run.stdout
        copy = config_path.parent / f"after-scan-{n}.db"
        with sqlite3.connect(config_path.parent / "govwatch.db") as source, sqlite3.connect(copy) as target:
            source.backup(target)
        document = json.loads(out.read_text(encoding="utf-8"))
        result.append(Scan(run, document["findings"], document["scan"], copy))
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


@pytest.fixture(scope="session")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same estate scanned the ordinary way (one process, SQLite): what a distributed scan must equal.
    Once per session: the distributed, Redis outage and supervision tests all compare with it."""
    folder = tmp_path_factory.mktemp("single")
    with GeneratedEstate(distributed.PAGES, today=distributed.TODAY) as estate:
        config = distributed.write_config(folder, estate.url, f"sqlite:///{folder / 'govwatch.db'}")
        _, result = distributed.scan(config, folder / "findings.json")
        result["paths"] = estate.paths()
    result["stored_pages"] = distributed.stored_pages(f"sqlite:///{folder / 'govwatch.db'}", result["scan"]["id"])
    return result


@pytest.fixture
def namespace_cleanup(redis_url: str) -> Iterator[list[str]]:
    """Deletes the Redis keys of the databases a test names (its keys are under their ids)."""
    databases: list[str] = []
    yield databases
    client = redis.Redis.from_url(redis_url)
    for database in databases:
        for key in client.scan_iter(match=f"govwatch:{Store(database).instance}:*"):
            client.delete(key)
