"""The 7×24 daemon's schedule: an APScheduler 3 BlockingScheduler whose jobs live in the store's database.

It only schedules. Each job is a textual reference to an application function ("govwatch.jobs:scan")
with its arguments, so the persistent job store can hold it and this package imports nothing above
it. Explicit job ids and `replace_existing` make a restart — after SIGTERM or kill -9 — resume the
same schedule instead of adding a second one; `max_instances=1` and coalescing keep a slow scan from
piling up runs, and a job at set times (cron: the nightly scan, the morning digest) that fell due while
the service was stopped runs once when it starts, within `misfire_grace_time`; a job every N minutes
simply goes on from the start. The runs a stop or a database outage cost (due while nothing ran them,
or while the schedule could not be read) are handed to the application to record.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Callable, Iterator

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

JOBS_TABLE = "scheduler_jobs"
MISFIRE_GRACE_SECONDS = 3600
JOBSTORE_RETRY_SECONDS = 10  # while the database is away, the scheduler looks for it this often


@dataclass
class JobSpec:
    id: str
    name: str  # Chinese, shown by `govwatch status`
    func: str  # "module:function"
    trigger: BaseTrigger
    args: list[Any] = field(default_factory=list)
    run_now: bool = False  # first run at start, then by the trigger


# Job id, the times it was due and did not run, the cause (Chinese, for people) and its details (the
# database's own words, or "").
MissedRuns = Callable[[str, list[datetime], str, str], None]
DATABASE_AWAY = "数据库不可用"
SERVICE_STOPPED = "值守服务停止期间"
SERVICE_STOPPING = "值守服务正在停止"


class JobStoreUnavailable(RuntimeError):
    """The database holding the schedule does not answer (the message is its own words)."""


class SturdyJobStore(SQLAlchemyJobStore):
    """The job store in the database, for a scheduler that outlives the database going away.

    APScheduler 3 logs a failure to list due jobs and looks again `jobstore_retry_interval` later,
    but a failure to save a job's next run time, or to read the next wakeup, escapes its main loop
    and ends `serve`. Here an unsaved next run time is kept and saved before the next look for due
    jobs (so a job that ran is not run again), and an unreadable next wakeup becomes a retry soon.

    While the database is away no job even starts. Once it answers again, a due job runs once (it
    coalesces); the other times it fell due meanwhile, and a last one past its misfire grace, are
    passed to `on_missed`: the scheduler drops them without a trace otherwise.
    """

    def __init__(self, on_missed: MissedRuns | None = None, **options: Any) -> None:
        super().__init__(**options)
        self._unsaved: dict[str, Job] = {}
        self._on_missed = on_missed
        self._away: str | None = None  # the database's words since it stopped answering

    def update_job(self, job: Job) -> None:
        try:
            super().update_job(job)
        except SQLAlchemyError as exc:
            log.warning("cannot save the next run of job %s now (kept, saved again later): %s", job.id,
                        self._went_away(exc))
            self._unsaved[job.id] = job
        else:
            self._unsaved.pop(job.id, None)

    def get_due_jobs(self, now: datetime) -> list[Job]:
        """An error here is logged by the scheduler, which looks again later: in one line."""
        try:
            for job in list(self._unsaved.values()):
                super().update_job(job)
                del self._unsaved[job.id]
            due: list[Job] = super().get_due_jobs(now)
        except SQLAlchemyError as exc:
            raise JobStoreUnavailable(self._went_away(exc)) from None
        if self._away is not None:
            why, self._away = self._away, None
            for job in due:
                missed = _missed_runs(job, now)
                if missed and self._on_missed is not None:
                    self._on_missed(job.id, missed, DATABASE_AWAY, why)
        return due

    def get_next_run_time(self) -> datetime | None:
        try:
            return super().get_next_run_time()
        except SQLAlchemyError as exc:
            log.warning("cannot read the next job's time now: %s", self._went_away(exc))
            return datetime.now(UTC) + timedelta(seconds=JOBSTORE_RETRY_SECONDS)

    def _went_away(self, exc: SQLAlchemyError) -> str:
        self._away = _first_line(exc)
        return self._away


class StoppingExecutor(ThreadPoolExecutor):
    """The scheduler's thread pool, for a service stopped by a signal.

    The signal's handler shuts the scheduler down in the main thread, which may be halfway through
    starting the jobs due at that moment: APScheduler 3 then hands them to a pool already shut down and
    logs a traceback for each. Here such a run is not started, and is handed to `on_missed` as a run
    the stop cost, in one line.
    """

    def __init__(self, on_missed: MissedRuns | None = None) -> None:
        super().__init__()
        self._on_missed = on_missed
        self._stopped = False

    def shutdown(self, wait: bool = True) -> None:
        self._stopped = True
        super().shutdown(wait)

    def submit_job(self, job: Job, run_times: list[datetime]) -> None:
        try:
            if not self._stopped:
                super().submit_job(job, run_times)
                return
        except RuntimeError:  # the pool was shut down between the test and the submission
            if not self._stopped:
                raise
        if self._on_missed is not None:
            self._on_missed(job.id, run_times, SERVICE_STOPPING, "")


def _missed_runs(job: Job, now: datetime) -> list[datetime]:
    """The times `job` was due up to `now` that the scheduler will not run: all but the one a coalescing
    job runs, and the ones it runs that are past the job's misfire grace (as APScheduler decides)."""
    times: list[datetime] = []
    due = job.next_run_time
    while due is not None and due <= now:
        times.append(due)
        due = job.trigger.get_next_fire_time(due, now)
    runs = times[-1:] if job.coalesce else times
    grace = job.misfire_grace_time
    late = [t for t in runs if grace is not None and now - t > timedelta(seconds=grace)]
    return times[:len(times) - len(runs)] + late


def build(engine: Engine, jobs: list[JobSpec], timezone: str,
          on_missed: MissedRuns | None = None) -> BlockingScheduler:
    """A scheduler holding exactly `jobs` (earlier jobs of ours that are no longer configured go);
    `on_missed` hears of the runs a stop of the service or a database outage cost.

    A stored cron job whose next run fell due while the service was stopped keeps that run time, so the
    scheduler runs it once now (it coalesces; within its misfire grace); the other times it was due are
    handed to `on_missed`. A job whose trigger changed starts afresh, and so does a job every N minutes
    (it runs soon anyway, and the digest's retry must not run beside the digest it would retry).
    """
    scheduler = BlockingScheduler(
        jobstores={"default": SturdyJobStore(on_missed, engine=engine, tablename=JOBS_TABLE)},
        executors={"default": StoppingExecutor(on_missed)},
        jobstore_retry_interval=JOBSTORE_RETRY_SECONDS,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone=timezone,
    )
    with _job_store(engine) as store:  # a job no longer configured must not keep running
        stored = {job.id: job for job in store.get_all_jobs()}
        for stale in stored.keys() - {job.id for job in jobs}:
            store.remove_job(stale)
    now = datetime.now(scheduler.timezone)
    for job in jobs:  # added when the scheduler starts, replacing the stored ones of the same id
        kept = stored.get(job.id)
        first: dict[str, Any] = {}
        if job.run_now:
            first["next_run_time"] = now
        elif isinstance(job.trigger, CronTrigger) and kept is not None and kept.next_run_time is not None \
                and kept.next_run_time <= now and str(kept.trigger) == str(job.trigger):
            first["next_run_time"] = kept.next_run_time
            missed = _missed_runs(kept, now)
            if missed and on_missed is not None:
                on_missed(job.id, missed, SERVICE_STOPPED, "")
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


def _first_line(exc: BaseException) -> str:
    """The database's own words, without SQLAlchemy's SQL echo (one log line per failure)."""
    return str(getattr(exc, "orig", None) or exc).strip().split("\n")[0]
