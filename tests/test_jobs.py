"""The service's jobs as `serve` runs them: a failure with a clear message is one log line and a
recorded failed run, never a traceback; runs a stop of the service cost are recorded by the next job."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.config import Config
from govwatch import jobs
from scheduler.daemon import SERVICE_STOPPED
from storage import Store, StoreError


@pytest.fixture
def config_path(tmp_path: Path) -> str:
    path = tmp_path / "govwatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n'
                    '[[sites]]\nname = "某某县人民政府"\nurl = "http://127.0.0.1:9/"\n', encoding="utf-8")
    return str(path)


def runs(config_path: str) -> list[tuple[str, bool | None, str]]:
    store = Store(f"sqlite:///{Path(config_path).parent / 'gw.db'}")
    try:
        return [(run.job, run.ok, run.error) for run in reversed(store.job_runs())]
    finally:
        store.close()


def test_the_database_going_away_during_a_job_is_one_line_and_a_failed_run(
        config_path: str, caplog: pytest.LogCaptureFixture) -> None:
    def sweep(config: Config) -> None:
        raise StoreError("数据库写入失败：the database system is shutting down")

    with caplog.at_level(logging.ERROR, logger="govwatch.jobs"):
        jobs._recorded("sweep", config_path, sweep)
    assert [r.getMessage() for r in caplog.records] == [
        "job sweep failed: 数据库写入失败：the database system is shutting down"]
    assert not any(r.exc_info for r in caplog.records)
    assert runs(config_path) == [("sweep", False, "数据库写入失败：the database system is shutting down")]


def test_runs_a_stop_of_the_service_cost_are_recorded_by_the_next_job(config_path: str) -> None:
    due = datetime(2026, 12, 6, 1, 0, tzinfo=timezone.utc)
    jobs.missed("probe", [due, due + timedelta(minutes=15), due + timedelta(minutes=30)], SERVICE_STOPPED, "")
    jobs._recorded("sweep", config_path, lambda config: None)
    assert sorted(runs(config_path)) == [("probe", False, "值守服务停止期间，3 次未运行"), ("sweep", True, "")]


def test_the_service_can_wait_for_its_running_jobs_to_end(config_path: str) -> None:
    """`serve` waits for them after a stop: a job cut by the interpreter's shutdown fails with a traceback."""
    release, started = threading.Event(), threading.Event()

    def probe(config: Config) -> None:
        started.set()
        release.wait(10)

    job = threading.Thread(target=jobs._recorded, args=("probe", config_path, probe))
    job.start()
    assert started.wait(10)
    assert not jobs.wait_all(timeout=0.2)  # still running
    release.set()
    assert jobs.wait_all(timeout=10)
    job.join()
    assert runs(config_path) == [("probe", True, "")]  # its end recorded before the wait ended
