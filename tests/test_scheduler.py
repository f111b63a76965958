"""The schedule across a stop of the service: what fell due while `serve` was stopped runs once when it
starts again (within the misfire grace), and the other times it was due are handed over to be recorded;
a job whose trigger changed starts afresh. Real APScheduler, its jobs in a real SQLite database."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, create_engine

from scheduler.daemon import (JOBS_TABLE, MISFIRE_GRACE_SECONDS, SERVICE_STOPPED, JobSpec, _job_store, build,
                             next_runs)

RAN = threading.Event()


def tick() -> None:
    """The job under test: says it ran."""
    RAN.set()


FUNC = f"{__name__}:tick"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield engine
    engine.dispose()


def stopped_since(engine: Engine, every: timedelta, due: datetime) -> None:
    """The job store as a service left it when it stopped: the job's next run at `due`. (Added for
    later, then set back: a scheduler shutting down would run a job already due.)"""
    earlier = BackgroundScheduler(jobstores={"default": {"type": "sqlalchemy", "engine": engine,
                                                         "tablename": JOBS_TABLE}},
                                  timezone="UTC", job_defaults={"coalesce": True,
                                                                "misfire_grace_time": MISFIRE_GRACE_SECONDS})
    earlier.start(paused=True)
    earlier.add_job(FUNC, IntervalTrigger(seconds=every.total_seconds()), id="tick", replace_existing=True,
                    next_run_time=datetime.now(timezone.utc) + timedelta(days=1))
    earlier.shutdown(wait=False)
    with _job_store(engine) as store:
        job = store.lookup_job("tick")
        job._modify(next_run_time=due)
        store.update_job(job)


def test_a_job_due_while_the_service_was_stopped_runs_once_and_the_rest_is_recorded(engine: Engine) -> None:
    now = datetime.now(timezone.utc)
    due = now - timedelta(minutes=12)
    stopped_since(engine, timedelta(minutes=5), due)
    missed: list[tuple[str, list[datetime], str, str]] = []
    RAN.clear()
    scheduler = build(engine, [JobSpec("tick", "滴答", FUNC, IntervalTrigger(minutes=5))], "UTC",
                      on_missed=lambda *args: missed.append(args))
    # Due at -12, -7 and -2 minutes: the last runs now (coalesced), the two before it are missed.
    assert missed == [("tick", [due, due + timedelta(minutes=5)], SERVICE_STOPPED, "")]
    thread = threading.Thread(target=scheduler.start, daemon=True)
    thread.start()
    try:
        assert RAN.wait(10), "the job due while the service was stopped did not run when it started"
    finally:
        scheduler.shutdown(wait=False)
        thread.join(10)
    assert next_runs(engine)["tick"][1] > now  # and then by its trigger


def test_a_run_past_its_grace_is_recorded_not_run(engine: Engine) -> None:
    due = datetime.now(timezone.utc) - timedelta(seconds=MISFIRE_GRACE_SECONDS + 1800)
    stopped_since(engine, timedelta(hours=2), due)
    missed: list[tuple[str, list[datetime], str, str]] = []
    build(engine, [JobSpec("tick", "滴答", FUNC, IntervalTrigger(hours=2))], "UTC",
          on_missed=lambda *args: missed.append(args))
    assert missed == [("tick", [due], SERVICE_STOPPED, "")]


def test_a_short_stop_and_a_changed_trigger_record_nothing(engine: Engine) -> None:
    missed: list[tuple[str, list[datetime], str, str]] = []
    stopped_since(engine, timedelta(minutes=5), datetime.now(timezone.utc) - timedelta(minutes=1))
    build(engine, [JobSpec("tick", "滴答", FUNC, IntervalTrigger(minutes=5))], "UTC",
          on_missed=lambda *args: missed.append(args))
    assert missed == []  # due once meanwhile: it simply runs late
    stopped_since(engine, timedelta(minutes=5), datetime.now(timezone.utc) - timedelta(hours=3))
    build(engine, [JobSpec("tick", "滴答", FUNC, IntervalTrigger(minutes=30))], "UTC",
          on_missed=lambda *args: missed.append(args))
    assert missed == []  # a new schedule: the old one's times are not this job's
