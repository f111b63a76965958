"""`govwatch probe`: one request per homepage, stored; the rolling rate raises site_unreachable."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest

from core.config import ProbeConfig, SiteConfig
from core.model import ProbeResult
from crawler.probe import probe
from detector import Context, check_estate
from storage import ScanEstate, Store
from tests.support.loopback import Loopback, QuietHandler


class Handler(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/slow"):
            time.sleep(2.5)
        status = 500 if self.path.startswith("/broken") else 200
        body = "<html><head><title>某某县人民政府</title></head><body>首页</body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with Loopback(Handler) as site:
        yield site.origin


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("path, ok, reason", [("/", True, ""), ("/broken/", False, "HTTP 500"),
                                              ("/slow/", False, "超时")])
def test_a_probe_fails_on_errors_and_past_the_time_limit(server: str, path: str, ok: bool, reason: str) -> None:
    result = probe("站", server + path, timeout=1, user_agent="test")
    assert result.ok is ok and reason in result.reason


def test_a_refused_connection_is_a_failed_probe() -> None:
    result = probe("站", f"http://127.0.0.1:{closed_port()}/", timeout=2, user_agent="test")
    assert not result.ok and result.reason == "连接被拒绝"


def test_probe_command_stores_results_and_shows_the_rate(server: str, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[crawl]\ntimeout = 2\n'
                      f'[[sites]]\nname = "主站"\nurl = "{server}/"\n'
                      f'[[sites]]\nname = "故障子站"\nurl = "{server}/broken/"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for _ in range(2):
        run = subprocess.run([sys.executable, "-m", "govwatch", "probe", "--config", str(config)],
                             capture_output=True, text=True, timeout=120, env=env)
        assert run.returncode == 1, run.stdout + run.stderr  # one site is down
    assert "主站：可访问" in run.stdout and "故障子站：无法访问（HTTP 500）" in run.stdout
    assert "探测 2 次，失败 2 次，可用率 0.0%" in run.stdout and "探测 2 次，失败 0 次，可用率 100.0%" in run.stdout


def test_the_rolling_rate_raises_site_unreachable_past_the_warning_line(tmp_path: Path) -> None:
    site = SiteConfig(name="主站", url="http://127.0.0.1:8001/", unit="县政府办")
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    ctx = Context(today=date(2026, 11, 23), probe=ProbeConfig())
    try:
        store.register_sites([site])
        store.record_probes([ProbeResult(site.name, site.url, ok=i >= 1, seconds=0.1) for i in range(40)])
        scan_id = store.begin_scan([site])
        assert check_estate(ScanEstate(store, scan_id), ctx) == []  # 1 of 40 = 2.5 %: below 3 %
        store.record_probes([ProbeResult(site.name, site.url, ok=False, seconds=15.2, reason="超时")])
        [finding] = check_estate(ScanEstate(store, scan_id), ctx)  # 2 of 41 = 4.9 %
    finally:
        store.close()
    assert finding.kind == "site_unreachable" and "4.9%" in finding.context and finding.details["probes"] == 41
