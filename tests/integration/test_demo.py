"""`govwatch demo` on the bundled estate: the README's first command, end to end; and `govwatch demo
--keep-serving` (make demo-web), whose printed demo login signs in through the console's login form.

One file on purpose: the demo's sites listen on fixed ports when those are free, so that a second run
recognises the first run's problems. Run side by side (pytest-xdist gives each file to one worker),
two demos took each other's ports and the second run's outside links got new identities.
"""

from __future__ import annotations

import http.cookiejar
import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
import time
import tomllib
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from govwatch.demo import ESTATE

from .conftest import govwatch
from .web_support import csrf_token


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


def test_demo_keeps_the_console_up_with_a_printed_login(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "govwatch", "demo", "--keep-serving", "--dir", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        seen, deadline = "", time.monotonic() + 300
        while "演示站点继续运行中" not in seen:
            assert process.poll() is None and time.monotonic() < deadline, seen
            try:
                seen += lines.get(timeout=1)
            except queue.Empty:
                pass
        url = re.search(r"网站控制台已启动：(http://127\.0\.0\.1:\d+/)", seen).group(1)
        password = re.search(r"用户名 demo  密码 (\S+)", seen).group(1)
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        token = csrf_token(browser.open(url + "login", timeout=10).read().decode("utf-8"))
        form = urllib.parse.urlencode({"username": "demo", "password": password, "csrf_token": token, "next": "/api/tickets"})
        with browser.open(url + "login", data=form.encode(), timeout=10) as answer:
            body = answer.read().decode("utf-8")
        assert answer.url == url + "api/tickets" and '"kind"' in body and '"tickets"' in body
    finally:
        process.terminate()
        process.wait(timeout=30)
