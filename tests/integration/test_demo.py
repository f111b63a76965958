"""`govwatch demo` on the bundled estate: the README's first command, end to end."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from govwatch.demo import ESTATE

from .conftest import govwatch


def test_demo_scans_the_bundled_estate(tmp_path: Path) -> None:
    run = govwatch("demo", "--dir", str(tmp_path / "demo"))
    assert run.returncode == 0, run.stderr + run.stdout
    assert "演示站点已启动" in run.stdout and "扫描完成" in run.stdout
    expected = tomllib.loads((ESTATE / "EXPECTED.toml").read_text(encoding="utf-8"))["finding"]
    with sqlite3.connect(tmp_path / "demo" / "govwatch.db") as db:
        stored = db.execute("SELECT kind, url, evidence FROM findings").fetchall()
    # Ports change per run: compare kinds, paths and (port-free) evidence.
    got = sorted((kind, urlsplit(url).path or "/", _portless(evidence)) for kind, url, evidence in stored)
    want = sorted((f["kind"], f["path"], _portless(f["evidence"])) for f in expected)
    assert got == want
    assert list((tmp_path / "demo" / "reports").glob("scan-*.html"))

    again = govwatch("demo", "--dir", str(tmp_path / "demo"))
    assert again.returncode == 0, again.stderr + again.stdout
    with sqlite3.connect(tmp_path / "demo" / "govwatch.db") as db:
        rows = db.execute("SELECT count(*), count(DISTINCT first_seen), max(last_scan_id) FROM findings").fetchone()
    # Every problem of the second run is last run's problem: the same identities, nothing new.
    assert rows[0] == len(stored) and rows[2] == 2
    assert len(list((tmp_path / "demo" / "reports").glob("scan-*.html"))) == 2


def _portless(evidence: str) -> str:
    if evidence.startswith(("http://", "https://", "{{")):
        return urlsplit(evidence).path if evidence.startswith("http") else evidence.split("}}", 1)[1]
    return evidence
