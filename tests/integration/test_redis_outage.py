"""Redis killed in the middle of a distributed scan (a Redis of the test's own, with its append-only
file): back within seconds, the leader, the worker and their crawls wait, reconnect and finish the
scan as if nothing happened; gone for longer than its clients wait, the scan ends `failed` with a
clear error and the worker waits for the next scan."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


from bench.estate import GeneratedEstate
from storage import Store
from tests.integration.test_distributed import ENV, PAGES, TODAY, Worker, fingerprints, stored_pages, write_config
from tests.support.private_servers import PrivateRedis

OUTAGE_SECONDS = 5  # a restart: shorter than the outage bound (crawl.redis_outage_seconds, 60 s by default)
LONG_OUTAGE_BOUND = 5  # crawl.redis_outage_seconds of the test where Redis stays away


def start_leader(config: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--json", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def wait_for_requests(estate: GeneratedEstate, leader: subprocess.Popen[str], count: int) -> None:
    deadline = time.monotonic() + 120
    while sum(estate.paths().values()) < count:
        assert time.monotonic() < deadline and leader.poll() is None, "the scan ended too early"
        time.sleep(0.1)


def test_a_distributed_scan_waits_out_a_redis_restart(
        tmp_path: Path, postgres_url: str, private_redis: PrivateRedis, single_process: dict[str, Any]) -> None:
    with GeneratedEstate(PAGES, delay=0.05, today=TODAY) as estate:
        config = write_config(tmp_path, estate.url, postgres_url, private_redis.url)
        worker = Worker(config)
        leader = start_leader(config, tmp_path / "findings.json")
        try:
            wait_for_requests(estate, leader, 100)  # well into the scan, both members busy
            private_redis.kill()
            time.sleep(OUTAGE_SECONDS)
            assert leader.poll() is None and worker.process.poll() is None, "a member gave up during the outage"
            private_redis.start()
            out, err = leader.communicate(timeout=600)
        finally:
            code, output = worker.stop()
            if leader.poll() is None:
                leader.kill()
        fetched = estate.paths()
    assert leader.returncode == 0, out + err
    assert "Traceback" not in err, err
    assert set(fetched) == set(single_process["paths"]), "every page fetched"
    result = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert result["scan"]["status"] == "finished"
    assert fingerprints(result) == fingerprints(single_process)  # each finding stored once, none lost
    assert stored_pages(postgres_url, result["scan"]["id"]) == single_process["stored_pages"]
    assert code == 143 and "第 1 次扫描：本机检查页面" in output, output


def test_redis_gone_for_longer_fails_the_scan_and_the_worker_waits_for_the_next(
        tmp_path: Path, postgres_url: str, private_redis: PrivateRedis) -> None:
    with GeneratedEstate(PAGES, delay=0.05, today=TODAY) as estate:
        config = write_config(tmp_path, estate.url, postgres_url, private_redis.url,
                              f"redis_outage_seconds = {LONG_OUTAGE_BOUND}\n")
        worker = Worker(config)
        leader = start_leader(config, tmp_path / "findings.json")
        try:
            wait_for_requests(estate, leader, 60)
            private_redis.kill()
            # One outage bound, then every later Redis call of a process fails at once (the crawl's close
            # path once took minutes, each of its calls waiting out the bound again).
            out, err = leader.communicate(timeout=LONG_OUTAGE_BOUND + 120)
            private_redis.start()
            time.sleep(3)
            assert worker.process.poll() is None, "the worker gave up instead of waiting for the next scan"
        finally:
            code, output = worker.stop()
            if leader.poll() is None:
                leader.kill()
    assert leader.returncode == 2 and "Traceback" not in err, out + err
    assert "扫描失败：扫描中止，Redis 连接中断" in err, err
    assert f"约 {LONG_OUTAGE_BOUND} 秒内未能恢复" in err, err  # the bound of its config
    store = Store(postgres_url)
    try:
        [scan] = store.scans()
        assert scan.status == "failed" and scan.error.startswith("扫描中止，Redis 连接中断"), scan
    finally:
        store.close()
    assert code == 143, output
