"""`govwatch serve` as a real process: jobs on a short schedule, kill -9 during a scan and a restart that
duplicates nothing and loses nothing, SIGTERM that stops a running scan honestly and exits 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import psutil
import pytest

from bench.estate import serve_generated_estate
from tests.integration.test_supervision import query


@pytest.fixture(scope="module")
def slow_site() -> Iterator[str]:
    with serve_generated_estate(pages=300, delay=0.2) as url:  # the crawl does not wait for the parent: slow enough to be killed mid-crawl
        yield url


@pytest.fixture
def config(tmp_path: Path, slow_site: str) -> Path:
    path = tmp_path / "govwatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[report]\ndir = "{tmp_path / "reports"}"\n'
                    "[crawl]\ntimeout = 5\nretries = 0\nattachments = false\n"
                    "[schedule]\nprobe_minutes = 0.02\nsweep_minutes = 0.02\n"
                    f'[[sites]]\nname = "某某县人民政府"\nurl = "{slow_site}"\nunit = "县政府办公室"\n',
                    encoding="utf-8")
    return path


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    """Starts `serve --now` daemons (output to a file each); whatever a test leaves running is killed."""
    started: list[subprocess.Popen[str]] = []

    def start(config: Path) -> subprocess.Popen[str]:
        log = open(tmp_path / f"serve-{len(started)}.log", "w")
        daemon = subprocess.Popen([sys.executable, "-m", "govwatch", "serve", "--now", "--config", str(config)],
                                  stdout=log, stderr=subprocess.STDOUT, text=True,
                                  env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()


def output(tmp_path: Path, n: int) -> str:
    return (tmp_path / f"serve-{n}.log").read_text(encoding="utf-8")


def wait_until(what: str, predicate, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def scanning(config: Path, pages: int = 20) -> bool:
    rows = query(config, "SELECT count(*) FROM pages")
    return bool(rows) and rows[0][0] >= pages and query(config, "SELECT status FROM scans ORDER BY id DESC")[0][0] == "running"


def test_jobs_run_on_their_schedule_and_sigterm_exits_0(config: Path, serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    daemon = serve(config)
    wait_until("three probe runs", lambda: len(query(config, "SELECT id FROM job_runs WHERE job = 'probe' AND ok"))
               >= 3, timeout=60)
    wait_until("a sweep run", lambda: query(config, "SELECT id FROM job_runs WHERE job = 'sweep' AND ok"), 60)
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=60) == 0, output(tmp_path, 0)
    assert "值守服务已停止" in output(tmp_path, 0)
    status = subprocess.run([sys.executable, "-m", "govwatch", "status", "--config", str(config)],
                            capture_output=True, text=True, timeout=60)
    assert status.returncode == 0 and "首页探测：下次" in status.stdout and "成功" in status.stdout


def test_kill_9_during_a_scan_then_a_restart_duplicates_and_loses_nothing(  # type: ignore[no-untyped-def]
        config: Path, serve, tmp_path: Path) -> None:
    daemon = serve(config)
    wait_until("a scan under way", lambda: scanning(config))
    crawl = [p for p in psutil.Process(daemon.pid).children(recursive=True) if "crawler.worker" in " ".join(p.cmdline())]
    daemon.kill()
    daemon.wait()
    _, alive = psutil.wait_procs(crawl, timeout=15)
    assert not alive, "the crawl process outlived the killed daemon"

    daemon = serve(config)
    wait_until("the restarted scan to finish",
               lambda: query(config, "SELECT id FROM scans WHERE status = 'finished'"), timeout=240)
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=60) == 0, output(tmp_path, 1)
    assert [s for (s,) in query(config, "SELECT status FROM scans ORDER BY id")] == ["abandoned", "finished"]
    assert query(config, "SELECT count(*) FROM scheduler_jobs")[0][0] == 5  # the same five jobs, not ten
    [(findings, distinct)] = query(config, "SELECT count(*), count(DISTINCT fingerprint) FROM findings")
    [(tickets, ticketed)] = query(config, "SELECT count(*), count(DISTINCT fingerprint) FROM tickets")
    assert findings == distinct and tickets == ticketed and tickets == findings > 0


def test_sigterm_during_a_scan_interrupts_it_and_exits_0_within_a_minute(  # type: ignore[no-untyped-def]
        config: Path, serve, tmp_path: Path) -> None:
    daemon = serve(config)
    wait_until("a scan under way", lambda: scanning(config))
    started = time.monotonic()
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=60) == 0, output(tmp_path, 0)
    assert time.monotonic() - started < 60
    assert [s for (s,) in query(config, "SELECT status FROM scans ORDER BY id")] == ["interrupted"]


def test_the_incremental_job_waits_for_the_full_scan_then_runs(tmp_path: Path, slow_site: str, serve) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[report]\ndir = "{tmp_path / "reports"}"\n'
                      "[crawl]\ntimeout = 5\nretries = 0\nattachments = false\n"
                      "[schedule]\nincremental_minutes = 0.02\n"
                      f'[[sites]]\nname = "某某县人民政府"\nurl = "{slow_site}"\nunit = "县政府办公室"\n',
                      encoding="utf-8")
    daemon = serve(config)
    wait_until("an incremental run skipped while the full scan runs",
               lambda: "incremental scan skipped: 第 1 次扫描正在进行" in output(tmp_path, 0))
    wait_until("an incremental scan after the full one", lambda: query(
        config, "SELECT id FROM scans WHERE kind = 'incremental' AND status = 'finished'"), timeout=240)
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=60) == 0, output(tmp_path, 0)
    kinds = [k for (k,) in query(config, "SELECT kind FROM scans ORDER BY id")]
    assert kinds[0] == "full" and set(kinds[1:]) == {"incremental"}
    assert query(config, "SELECT count(*) FROM job_runs WHERE job = 'incremental' AND NOT ok") == [(0,)]
