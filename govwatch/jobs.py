"""The daemon's jobs: what `govwatch serve` runs on its schedule, each one a function of the config path.

Every job fails alone: whatever it raises is logged with the job's name and kept in the store's job
runs (for `govwatch status` and the next digest), and the service goes on. SIGTERM asks the running
scans to stop honestly (`interrupted`) and lets no new one start.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.config import Config, ConfigError, load
from reports.mailer import MailError
from scheduler.daemon import JobSpec
from storage import Store, StoreError
from storage.tickets import TicketBook
from storage.times import utcnow

from .publishing import publish
from .service import (FULL, INCREMENTAL, REPOSTS, ScanBusy, ScanFailed, ScanKind, StopRequest, open_store, run_probes,
                      run_scan)

log = logging.getLogger(__name__)


class JobFailed(RuntimeError):
    """A job that ran but did not do its work; the message (Chinese) is what the digest shows."""


STOPPING = threading.Event()
_running: set[StopRequest] = set()
_lock = threading.Lock()
_active = 0  # jobs inside _recorded, under _idle
_idle = threading.Condition()


def specs(config: Config, config_path: str, *, now: bool = False) -> list[JobSpec]:
    """The jobs of `serve`, with explicit ids so a restart replaces rather than duplicates them.

    `now` runs the full scan and the probe at once (then on schedule): `serve --now`.
    """
    every = config.schedule
    jobs = [
        JobSpec("scan", "全站扫描", "govwatch.jobs:scan", CronTrigger.from_crontab(every.scan, config.timezone)),
        JobSpec("probe", "首页探测", "govwatch.jobs:probe", IntervalTrigger(minutes=every.probe_minutes)),
        JobSpec("sweep", "整改期限检查", "govwatch.jobs:sweep", IntervalTrigger(minutes=every.sweep_minutes)),
    ]
    hour, minute = (int(part) for part in config.digest.time.split(":"))
    jobs.append(JobSpec("digest", "读网值班日报", "govwatch.jobs:digest",
                        CronTrigger(hour=hour, minute=minute, timezone=config.timezone)))
    if mails_digest(config):
        jobs.append(JobSpec("digest_retry", "日报补发", "govwatch.jobs:digest_retry",
                            IntervalTrigger(minutes=config.digest.retry_minutes)))
    if every.incremental_minutes:
        jobs.append(JobSpec("incremental", "增量扫描", "govwatch.jobs:incremental",
                            IntervalTrigger(minutes=every.incremental_minutes)))
    if config.superior:
        jobs.append(JobSpec("reposts", "上级文件转载检查", "govwatch.jobs:reposts",
                            IntervalTrigger(minutes=every.repost_minutes)))
    for job in jobs:
        job.args = [config_path]
        job.run_now = now and job.id in ("scan", "probe")
    return jobs


def stop_all(reason: str) -> None:
    """From a signal handler: stop the running scans and start no other job."""
    STOPPING.set()
    with _lock:
        for stop in list(_running):
            stop.request(reason)


def wait_all(timeout: float) -> bool:
    """Wait up to `timeout` seconds for the running jobs to end; whether they did. The service exits
    only then: a job still running when the interpreter shuts down fails on whatever it starts (a
    thread pool refuses new work), with a traceback, and its end is never recorded."""
    with _idle:
        return _idle.wait_for(lambda: _active == 0, timeout)


def scan(config_path: str) -> None:
    _recorded("scan", config_path, lambda config: _scan(config, FULL))


def reposts(config_path: str) -> None:
    _recorded("reposts", config_path, lambda config: _scan(config, REPOSTS))


def incremental(config_path: str) -> None:
    """New articles and changed list pages between two nightly full scans (skipped while one runs)."""
    _recorded("incremental", config_path, lambda config: _scan(config, INCREMENTAL))


def probe(config_path: str) -> None:
    _recorded("probe", config_path, run_probes)


def sweep(config_path: str) -> None:
    def overdue(config: Config) -> None:
        store = open_store(config)
        try:
            TicketBook(store).sweep(utcnow())
        finally:
            store.close()

    _recorded("sweep", config_path, overdue)


def mails_digest(config: Config) -> bool:
    return bool(config.smtp.host and config.digest.recipients)


def digest(config_path: str) -> None:
    """Kept on disk always; mailed when [smtp] and [digest] recipients are set."""
    from . import digests

    _recorded("digest", config_path, lambda config: digests.make(config, send=mails_digest(config)))


def digest_retry(config_path: str) -> None:
    """The digest again (every `digest.retry_minutes`) when the last one could not be sent, or when
    none was made at its time (the database was away); it covers all since the last one sent, so
    nothing is lost. Otherwise nothing to do, and nothing recorded."""
    try:
        config = load(config_path)
        store = open_store(config)
    except (ConfigError, ScanFailed) as exc:
        log.error("job digest_retry: %s", exc)
        return
    try:
        latest = store.latest_digest()
    except StoreError as exc:
        log.error("job digest_retry: %s", exc)
        return
    finally:
        store.close()
    now = utcnow()
    due = last_due(config, now)
    # A fresh database has no digest yet: its first one comes at its time. The margin keeps this
    # job off a digest that the daily job is making right now.
    missed = latest is not None and latest[0] < due and now - due >= timedelta(minutes=config.digest.retry_minutes)
    if latest is not None and not latest[1] or missed:
        digest(config_path)


def last_due(config: Config, now: datetime) -> datetime:
    """The latest `digest.time` (in the configured time zone) not after `now`."""
    hour, minute = (int(part) for part in config.digest.time.split(":"))
    local = now.astimezone(config.tz)
    due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return due if due <= local else due - timedelta(days=1)


def _scan(config: Config, kind: ScanKind) -> None:
    stop = StopRequest()
    with _lock:
        _running.add(stop)
    try:
        outcome = run_scan(config, stop=stop, kind=kind)
    except ScanBusy as exc:  # another scan holds the database: this run is simply skipped
        log.warning("%s scan skipped: %s", kind.name, exc)
        return
    finally:
        with _lock:
            _running.discard(stop)
    if outcome.kind == FULL.name:  # an incremental scan with no full scan before it ran full
        publish(config, outcome)
    if outcome.status == "failed":
        raise JobFailed(f"扫描失败：{outcome.error}")


@dataclass
class _Unrecorded:
    """A job run the store could not take when it happened (the database was away): kept here and
    written by the next job that reaches the database, so `status` and the digest still show it."""

    job: str
    started_at: datetime
    finished_at: datetime
    error: str
    run_id: int | None = None  # its start was recorded, its end was not


_unrecorded: list[_Unrecorded] = []
_unrecorded_lock = threading.Lock()
# Failures with a clear message: one log line, no traceback. StoreError: the database went away while
# the job ran (an outage, a restart of PostgreSQL), which its message says in the database's words.
EXPECTED = (JobFailed, ScanFailed, MailError, StoreError)


def _recorded(job: str, config_path: str, work: Callable[[Config], object]) -> None:
    """Run `work`, keeping its start, end and any failure in the store; never raise."""
    global _active
    with _idle:  # checked and counted at once: `wait_all`, after a stop, misses no job that starts
        if STOPPING.is_set():
            return
        _active += 1
    try:
        _record(job, config_path, work)
    finally:
        with _idle:
            _active -= 1
            _idle.notify_all()


def _record(job: str, config_path: str, work: Callable[[Config], object]) -> None:
    try:
        config = load(config_path)
    except ConfigError as exc:
        log.error("job %s: %s", job, exc)
        return
    started = utcnow()
    store: Store | None = None
    try:
        store = open_store(config)
        run_id = store.job_started(job)
    except (ScanFailed, StoreError) as exc:  # the database is away: the job cannot run; kept for later
        log.error("job %s did not run: %s", job, exc)
        with _unrecorded_lock:
            _unrecorded.append(_Unrecorded(job, started, utcnow(), f"数据库不可用，任务未运行：{exc}"))
        if store is not None:
            store.close()
        return
    _record_unrecorded(store)
    error = ""
    try:
        work(config)
    except EXPECTED as exc:  # one failing job never stops the service
        log.error("job %s failed: %s", job, exc)
        error = str(exc)
    except Exception as exc:
        log.exception("job %s failed", job)
        error = f"{type(exc).__name__}: {exc}"
    finally:
        try:
            store.job_finished(run_id, error)
        except StoreError as exc:
            log.error("job %s: its end cannot be recorded now: %s", job, exc)
            with _unrecorded_lock:
                _unrecorded.append(_Unrecorded(job, started, utcnow(), error, run_id))
        finally:
            store.close()


def missed(job: str, times: list[datetime], cause: str, details: str) -> None:
    """Runs of `job` that fell due while the service was stopped, or while the database holding the
    schedule was away, so never started (`scheduler.daemon` hands them here, with the `cause`): kept as one
    failed run over those times, written by the next job that reaches the database, so `status` and
    the digest show what the stop or the outage cost."""
    log.error("job %s missed %d run(s) (%s)%s", job, len(times), cause, f": {details}" if details else "")
    first, last = (moment.astimezone(timezone.utc) for moment in (times[0], times[-1]))
    error = f"{cause}，{len(times)} 次未运行" + (f"：{details}" if details else "")
    with _unrecorded_lock:
        _unrecorded.append(_Unrecorded(job, first, last, error))


def _record_unrecorded(store: Store) -> None:
    """Write the runs kept while the database was away, oldest first; stop at the first failure."""
    with _unrecorded_lock:
        while _unrecorded:
            run = _unrecorded[0]
            try:
                if run.run_id is None:
                    store.record_job_run(run.job, run.started_at, run.finished_at, run.error)
                else:
                    store.job_finished(run.run_id, run.error, run.finished_at)
            except StoreError as exc:
                log.warning("job runs kept while the database was away are still not recorded: %s", exc)
                return
            _unrecorded.pop(0)

