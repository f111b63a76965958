"""`govwatch demo`: the bundled demo estate served on loopback, and a config that scans it."""

from __future__ import annotations

import json
import secrets
import tomllib
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

from core.config import Config, load
from storage import Store
from storage.times import utcnow
from storage.users import UserBook, UserError

from .server import EstateServer

ESTATE = Path(str(resources.files(__name__) / "estate"))
# Where the demo's sites listen when those ports are free, so every run shows the same URLs and
# the store recognises last run's problems as known ones.
DEMO_BASE_PORT = 28460
# The demo estate's pages carry fixed dates; it is judged as of the day they were written, so its
# freshness findings do not grow with the calendar.
DEMO_TODAY = "2026-11-23"


@contextmanager
def serve_demo_estate() -> Iterator[EstateServer]:
    with EstateServer(ESTATE, base_port=DEMO_BASE_PORT) as server:
        yield server


def demo_config(server: EstateServer, work_dir: Path) -> Config:
    """Write `work_dir/govwatch.toml` for the served estate (SQLite in `work_dir`) and load it."""
    work_dir = work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    sites = tomllib.loads((ESTATE / "sites.toml").read_text(encoding="utf-8"))["sites"]
    lines = [
        "# Written by `govwatch demo` for the demo estate it serves on 127.0.0.1 (ports change per run).",
        "[database]",
        f"url = {json.dumps('sqlite:///' + str(work_dir / 'govwatch.db'))}",
        "[report]",
        f"dir = {json.dumps(str(work_dir / 'reports'))}",
        "[crawl]",
        "timeout = 5",
        "retries = 1",
    ]
    for site in sites:
        lines += ["[[sites]]", f"name = {json.dumps(site['name'], ensure_ascii=False)}",
                  f"url = {json.dumps(server.url(site['dir']))}",
                  f"unit = {json.dumps(site['unit'], ensure_ascii=False)}",
                  f"parent = {json.dumps(site['parent'], ensure_ascii=False)}"]
    path = work_dir / "govwatch.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load(path)


def demo_logins(config: Config, store: Store) -> list[tuple[str, str, str]]:
    """The demo console's accounts, (name, role label, password): a reading-duty officer and the first site's
    unit, each with a fresh password every run (printed, never written anywhere)."""
    book = UserBook(store)
    accounts = [("demo", "duty", "", "读网值班"),
                ("demo-unit", "unit", config.sites[0].unit, f"责任单位：{config.sites[0].unit}")]
    logins = []
    for name, role, unit, label in accounts:
        password = secrets.token_urlsafe(9)
        try:
            book.add(name, role, unit, password, utcnow())
        except UserError:  # a previous run's account
            book.set_password(name, password)
        logins.append((name, label, password))
    return logins
