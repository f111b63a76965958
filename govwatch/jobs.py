"""The daemon's jobs: what `govwatch serve` runs on its schedule, each one a function of the config path.

Every job fails alone: whatever it raises is logged with the job's name and kept in the store's job
runs (for `govwatch status` and the next digest), and the service goes on. SIGTERM asks the running
scans to stop honestly (`interrupted`) and lets no new one start.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.config import Config, ConfigError, load
from scheduler.daemon import JobSpec
from storage.times import utcnow

from .publishing import publish
from .service import FULL, INCREMENTAL, REPOSTS, ScanBusy, ScanKind, StopRequest, open_store, run_probes, run_scan

log = logging.getLogger(__name__)


class JobFailed(RuntimeError):
    """A job that ran but did not do its work; the message (Chinese) is what the digest shows."""


STOPPING = threading.Event()
_running: set[StopRequest] = set()
_lock = threading.Lock()


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
            store.tickets.sweep(utcnow())
        finally:
            store.close()

    _recorded("sweep", config_path, overdue)


def digest(config_path: str) -> None:
    """Kept on disk always; mailed when [smtp] and [digest] recipients are set."""
    from . import digests

    _recorded("digest", config_path, lambda config: digests.make(
        config, send=bool(config.smtp.host and config.digest.recipients)))


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


def _recorded(job: str, config_path: str, work: Callable[[Config], object]) -> None:
    """Run `work`, keeping its start, end and any failure in the store; never raise."""
    if STOPPING.is_set():
        return
    try:
        config = load(config_path)
    except ConfigError as exc:
        log.error("job %s: %s", job, exc)
        return
    try:
        store = open_store(config)
        run_id = store.job_started(job)
    except Exception:
        log.exception("job %s: cannot record its run", job)
        return
    error = ""
    try:
        work(config)
    except Exception as exc:  # one failing job never stops the service
        log.exception("job %s failed", job)
        error = str(exc) if isinstance(exc, JobFailed) else f"{type(exc).__name__}: {exc}"
    finally:
        try:
            store.job_finished(run_id, error)
        finally:
            store.close()

