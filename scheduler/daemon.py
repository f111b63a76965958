"""The 7×24 daemon's schedule: an APScheduler 3 BlockingScheduler whose jobs live in the store's database.

It only schedules. Each job is a textual reference to an application function ("govwatch.jobs:scan")
with its arguments, so the persistent job store can hold it and this package imports nothing above
it. Explicit job ids and `replace_existing` make a restart — after SIGTERM or kill -9 — resume the
same schedule instead of adding a second one; `max_instances=1` and coalescing keep a slow scan from
piling up runs, and `misfire_grace_time` still runs a job the machine was down for, once.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import Engine

log = logging.getLogger(__name__)

JOBS_TABLE = "scheduler_jobs"
MISFIRE_GRACE_SECONDS = 3600


@dataclass
class JobSpec:
    id: str
    name: str  # Chinese, shown by `govwatch status`
    func: str  # "module:function"
    trigger: BaseTrigger
    args: list[Any] = field(default_factory=list)
    run_now: bool = False  # first run at start, then by the trigger


def build(engine: Engine, jobs: list[JobSpec], timezone: str) -> BlockingScheduler:
    """A scheduler holding exactly `jobs` (earlier jobs of ours that are no longer configured go)."""
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone=timezone,
    )
    with _job_store(engine) as store:  # a job no longer configured must not keep running
        for stale in store.get_all_jobs():
            if stale.id not in {job.id for job in jobs}:
                store.remove_job(stale.id)
    for job in jobs:  # added when the scheduler starts, replacing the stored ones of the same id
        first = {"next_run_time": datetime.now(scheduler.timezone)} if job.run_now else {}
        scheduler.add_job(job.func, job.trigger, id=job.id, name=job.name, args=job.args, replace_existing=True,
                          **first)
    return scheduler


def next_runs(engine: Engine) -> dict[str, tuple[str, datetime | None]]:
    """Job id → (name, next run time) as the job store holds them, for `govwatch status`."""
    with _job_store(engine) as store:
        return {job.id: (job.name, job.next_run_time) for job in store.get_all_jobs()}


@contextmanager
def _job_store(engine: Engine) -> Iterator[SQLAlchemyJobStore]:
    """The persistent job store, opened on its own (outside a running scheduler)."""
    store = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)
    store.start(BlockingScheduler(), "default")
    try:
        yield store
    finally:
        store.shutdown()
