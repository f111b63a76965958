"""The schedule across a stop of the service: a job at set times (cron) that fell due while `serve` was
stopped runs once when it starts again (within the misfire grace), and the other times it was due are
handed over to be recorded; a job every N minutes, or one whose trigger changed, starts afresh. Real
APScheduler, its jobs in a real SQLite database."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, create_engine

from scheduler.daemon import (JOBS_TABLE, MISFIRE_GRACE_SECONDS, SERVICE_STOPPED, SERVICE_STOPPING, JobSpec,
                             StoppingExecutor, _job_store, build, next_runs)

RAN = threading.Event()


def tick() -> None:
    """The job under test: says it ran."""
    RAN.set()


FUNC = f"{__name__}:tick"
EVERY_5_MINUTES = "*/5 * * * *"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield engine
    engine.dispose()


def stopped_since(engine: Engine, trigger: BaseTrigger, due: datetime) -> None:
    """The job store as a service left it when it stopped: the job's next run at `due`. (Added for
    later, then set back: a scheduler shutting down would run a job already due.)"""
    earlier = BackgroundScheduler(jobstores={"default": {"type": "sqlalchemy", "engine": engine,
                                                         "tablename": JOBS_TABLE}},
                                  timezone="UTC", job_defaults={"coalesce": True,
                                                                "misfire_grace_time": MISFIRE_GRACE_SECONDS})
    earlier.start(paused=True)
    earlier.add_job(FUNC, trigger, id="tick", replace_existing=True,
                    next_run_time=datetime.now(timezone.utc) + timedelta(days=1))
    earlier.shutdown(wait=False)
    with _job_store(engine) as store:
        job = store.lookup_job("tick")
        job._modify(next_run_time=due)
        store.update_job(job)


def started(engine: Engine, trigger: BaseTrigger) -> tuple[Any, list[tuple[str, list[datetime], str, str]]]:
    """The service started again with the job `trigger` now: its scheduler and what it said was missed."""
    missed: list[tuple[str, list[datetime], str, str]] = []
    scheduler = build(engine, [JobSpec("tick", "滴答", FUNC, trigger)], "UTC", on_missed=lambda *a: missed.append(a))
    return scheduler, missed


def five_minutes_before(moment: datetime, times: int) -> datetime:
    """The 5-minute mark `times` marks before `moment`'s own (the last one not after it)."""
    mark = moment.replace(second=0, microsecond=0, minute=moment.minute - moment.minute % 5)
    return mark - timedelta(minutes=5 * times)


def test_a_cron_job_due_while_the_service_was_stopped_runs_once_and_the_rest_is_recorded(engine: Engine) -> None:
    now = datetime.now(timezone.utc)
    due = five_minutes_before(now, 2)
    stopped_since(engine, CronTrigger.from_crontab(EVERY_5_MINUTES, "UTC"), due)
    RAN.clear()
    scheduler, missed = started(engine, CronTrigger.from_crontab(EVERY_5_MINUTES, "UTC"))
    # Due at the last three 5-minute marks: the last runs now (coalesced), the two before it are missed.
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
    due = (datetime.now(timezone.utc) - timedelta(seconds=MISFIRE_GRACE_SECONDS + 1800)).replace(second=0,
                                                                                               microsecond=0)
    daily = CronTrigger(hour=due.hour, minute=due.minute, timezone="UTC")
    stopped_since(engine, daily, due)
    _, missed = started(engine, daily)
    assert missed == [("tick", [due], SERVICE_STOPPED, "")]


def test_a_short_stop_a_changed_trigger_and_a_job_every_n_minutes_record_nothing(engine: Engine) -> None:
    now = datetime.now(timezone.utc)
    stopped_since(engine, CronTrigger.from_crontab(EVERY_5_MINUTES, "UTC"), five_minutes_before(now, 0))
    assert started(engine, CronTrigger.from_crontab(EVERY_5_MINUTES, "UTC"))[1] == []  # due once: runs late
    stopped_since(engine, CronTrigger.from_crontab(EVERY_5_MINUTES, "UTC"), now - timedelta(hours=3))
    assert started(engine, CronTrigger.from_crontab("*/30 * * * *", "UTC"))[1] == []  # another schedule
    stopped_since(engine, IntervalTrigger(minutes=5), now - timedelta(hours=3))
    assert started(engine, IntervalTrigger(minutes=5))[1] == []  # goes on from the start


def test_a_job_due_as_the_service_stops_is_recorded_as_missed_not_a_traceback(engine: Engine) -> None:
    now = datetime.now(timezone.utc)
    scheduler, _ = started(engine, IntervalTrigger(seconds=3))
    missed: list[tuple[str, list[datetime], str, str]] = []
    executor = StoppingExecutor(on_missed=lambda *a: missed.append(a))
    executor.start(scheduler, "default")
    executor.shutdown(wait=False)  # what the signal handler's scheduler.shutdown does first
    [job] = scheduler.get_jobs()
    executor.submit_job(job, [now])  # the main loop, halfway through the jobs due at that moment
    assert missed == [("tick", [now], SERVICE_STOPPING, "")]
