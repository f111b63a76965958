"""Distributed scans with real Redis and PostgreSQL: a leader (`govwatch scan`) and `govwatch worker`
processes crawl one generated estate served on 127.0.0.1, each page once, every finding stored once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import psutil
import pytest
import redis
from sqlalchemy import create_engine, text

from bench.estate import GeneratedEstate
from storage import Store

TODAY = date(2026, 11, 23)
PAGES = 300
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "GOVWATCH_TODAY": TODAY.isoformat()}


def write_config(folder: Path, site: str, database: str, redis_url: str = "", crawl: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "govwatch.toml"
    redis_line = f'redis_url = "{redis_url}"\n' if redis_url else ""
    path.write_text(f'[database]\nurl = "{database}"\n[report]\ndir = "{folder / "reports"}"\n'
                    f"[crawl]\ntimeout = 5\nconcurrency = 4\nconcurrency_per_host = 4\n{redis_line}{crawl}"
                    f'[[sites]]\nname = "某某县人民政府"\nurl = "{site}"\nunit = "县政府办公室"\n', encoding="utf-8")
    return path


def scan(config: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    run = subprocess.run([sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--json", str(out)],
                         capture_output=True, text=True, env=ENV, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return run, json.loads(out.read_text(encoding="utf-8"))


class Worker:
    """A `govwatch worker` process, started and waiting for a scan."""

    def __init__(self, config: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "govwatch", "worker", "--config", str(config)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                                        start_new_session=True)
        assert self.process.stdout is not None
        assert "等待扫描" in self.process.stdout.readline()

    def stop(self) -> tuple[int, str]:
        """SIGTERM, as systemd stops it: its exit code and everything it printed."""
        self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out + err

    def kill(self) -> None:
        """kill -9 of the worker and its crawl process, at once, as a power cut would."""
        family = [psutil.Process(self.process.pid), *psutil.Process(self.process.pid).children(recursive=True)]
        for process in family:
            process.kill()
        self.process.communicate(timeout=30)


def stored_pages(database: str, scan_id: int) -> int:
    """Pages (by URL) the scan stored."""
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM pages WHERE last_scan_id = :id"), {"id": scan_id}).scalar()
    finally:
        engine.dispose()


def fingerprints(result: dict[str, Any]) -> list[str]:
    return sorted(f["fingerprint"] for f in result["findings"])


def test_workers_share_a_scan_each_page_fetched_and_each_finding_stored_once(
        tmp_path: Path, postgres_url: str, redis_url: str, namespace_cleanup: list[str],
        single_process: dict[str, Any]) -> None:
    namespace_cleanup.append(postgres_url)
    # Slow enough that neither worker's crawl ends the site before the other's has started.
    with GeneratedEstate(PAGES, delay=0.1, today=TODAY) as estate:
        config = write_config(tmp_path, estate.url, postgres_url, redis_url)
        workers = [Worker(config), Worker(config)]
        try:
            run, result = scan(config, tmp_path / "findings.json")
        finally:
            stopped = [worker.stop() for worker in workers]
        paths = estate.paths()
    assert paths == {path: 1 for path in single_process["paths"]}, "every request made once, as one process makes them"
    assert fingerprints(result) == fingerprints(single_process)  # each stored once: the JSON reads the store
    assert result["scan"]["pages"] == single_process["scan"]["pages"]
    assert result["scan"]["links_checked"] == single_process["scan"]["links_checked"]
    for code, output in stopped:
        assert code == 143, output
        done = [line for line in output.splitlines() if line.startswith("第 1 次扫描：本机检查页面")]
        assert done and not done[0].startswith("第 1 次扫描：本机检查页面 0 个"), output  # each did real work


def test_a_worker_killed_mid_scan_loses_nothing(tmp_path: Path, postgres_url: str, redis_url: str,
                                               namespace_cleanup: list[str], single_process: dict[str, Any]) -> None:
    namespace_cleanup.append(postgres_url)
    # Slow enough that the doomed worker is still crawling when it is killed.
    with GeneratedEstate(PAGES, delay=0.2, today=TODAY) as estate:
        config = write_config(tmp_path, estate.url, postgres_url, redis_url)
        doomed, survivor = Worker(config), Worker(config)
        leader = subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--json",
                                   str(tmp_path / "findings.json")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=ENV)
        try:
            deadline = time.monotonic() + 120
            while sum(estate.paths().values()) < 150:  # well into the scan, every member busy
                assert time.monotonic() < deadline and leader.poll() is None, "the scan ended too early"
                time.sleep(0.1)
            doomed.kill()
            out, err = leader.communicate(timeout=600)
        finally:
            survivor.stop()
        fetched = Counter({path: n for path, n in estate.paths().items()})
    assert leader.returncode == 0, out + err
    assert "requests back in the queue" in err  # the leader saw the worker die and requeued its part
    assert set(fetched) == set(single_process["paths"]), "every page fetched (some twice: they were in flight)"
    result = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert fingerprints(result) == fingerprints(single_process)
    assert stored_pages(postgres_url, result["scan"]["id"]) == single_process["stored_pages"]  # the killed one's too


def test_a_member_s_counts_are_added_once_however_often_its_report_is_sent(redis_url: str) -> None:
    """The client sends a command again when the connection dropped before Redis answered; Redis may
    have run it already. A member's report, sent twice, is counted once; another member's adds."""
    import uuid

    from crawler.frontier import ScanKeys
    from govwatch.distributed import Member

    server = redis.Redis.from_url(redis_url)
    keys = ScanKeys(f"govwatch-test:{uuid.uuid4().hex}")
    try:
        server.set(keys.leader, "1", ex=60)
        first, second = Member(server, keys, "a"), Member(server, keys, "b")
        for _ in range(2):
            first.report(10, 1, 20, Counter({"words": 2}))
        second.report(5, 0, 7, Counter())
        assert {k.decode(): int(v) for k, v in server.hgetall(keys.stats).items()} == {
            "pages": 15, "pages_failed": 1, "links_checked": 27, "check_errors:words": 2}
    finally:
        for key in server.scan_iter(match=f"{keys.prefix}:*"):
            server.delete(key)


@pytest.mark.parametrize("command", ["scan", "worker"])
def test_an_unreachable_redis_stops_at_once_with_exit_2(tmp_path: Path, postgres_url: str, command: str) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    config = write_config(tmp_path, "http://127.0.0.1:9/", postgres_url, f"redis://127.0.0.1:{port}/0")
    run = subprocess.run([sys.executable, "-m", "govwatch", command, "--config", str(config)],
                         capture_output=True, text=True, env=ENV, timeout=120)
    assert run.returncode == 2 and "无法连接 Redis" in run.stderr, run.stdout + run.stderr
    store = Store(postgres_url)
    try:
        assert store.scans() == []  # no scan was begun
    finally:
        store.close()


def test_sigterm_on_the_leader_interrupts_the_workers_part_and_they_wait_for_the_next(
        tmp_path: Path, postgres_url: str, redis_url: str, namespace_cleanup: list[str]) -> None:
    namespace_cleanup.append(postgres_url)
    with GeneratedEstate(PAGES, delay=0.05, today=TODAY) as estate:
        config = write_config(tmp_path, estate.url, postgres_url, redis_url)
        worker = Worker(config)
        leader = subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        try:
            deadline = time.monotonic() + 120
            while sum(estate.paths().values()) < 60:
                assert time.monotonic() < deadline and leader.poll() is None, "the scan ended too early"
                time.sleep(0.1)
            leader.send_signal(signal.SIGTERM)
            out, err = leader.communicate(timeout=120)
            assert leader.returncode == 143 and "扫描已中断" in out, out + err
            requests = sum(estate.paths().values())
            time.sleep(3)
            assert sum(estate.paths().values()) == requests, "a worker went on crawling the interrupted scan"
            assert worker.process.poll() is None  # it waits for the next scan
        finally:
            code, output = worker.stop()
    assert code == 143 and "第 1 次扫描：本机检查页面" in output, output
    assert redis.Redis.from_url(redis_url).keys(f"govwatch:{Store(postgres_url).instance}:*") == []
