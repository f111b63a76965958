"""PostgreSQL going away under `serve`: a real daemon on a PostgreSQL of the test's own, stopped in the
middle of a scan (connections refused) and started again. The daemon lives on; the cut scan ends
`failed` and frees the lock; the jobs the outage cost are recorded; the next scan runs; nothing is
duplicated. Also: two jobs that start together on a fresh database (`serve --now`) do not race."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from bench.estate import serve_generated_estate
from core.config import SiteConfig
from storage import Store
from tests.integration.test_serve import wait_until
from tests.support.private_servers import PrivatePostgres

OUTAGE_SECONDS = 10  # over three probe periods (probe_minutes = 0.05): the scheduler looks for its jobs meanwhile


@pytest.fixture(scope="module")
def slow_site() -> Iterator[str]:
    with serve_generated_estate(pages=300, delay=0.05) as url:
        yield url


def rows(database: str, sql: str) -> list[Any] | None:
    """The query's rows, or None while the server is away (or before `serve` made the tables)."""
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)).all())
    except (OperationalError, ProgrammingError):
        return None
    finally:
        engine.dispose()


@contextmanager
def serving(config: Path, log: Path, *options: str) -> Iterator[subprocess.Popen[bytes]]:
    """`govwatch serve`, its output in `log`: stopped by SIGTERM (and exit 0) when the block ends, killed
    when the block fails."""
    with open(log, "w") as out:
        daemon = subprocess.Popen([sys.executable, "-m", "govwatch", "serve", *options, "--config", str(config)],
                                  stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        try:
            yield daemon
            daemon.send_signal(signal.SIGTERM)
            assert daemon.wait(timeout=60) == 0
        finally:
            if daemon.poll() is None:
                daemon.kill()
                daemon.wait()


def test_serve_survives_a_postgres_outage_mid_scan(private_postgres: PrivatePostgres, slow_site: str,
                                                   tmp_path: Path) -> None:
    database = private_postgres.create_database("govwatch")
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[database]\nurl = "{database}"\n[report]\ndir = "{tmp_path / "reports"}"\n'
                      "[crawl]\ntimeout = 5\nretries = 0\nattachments = false\n"
                      '[schedule]\nscan = "* * * * *"\nprobe_minutes = 0.05\nsweep_minutes = 0.05\n'
                      f'[[sites]]\nname = "某某县人民政府"\nurl = "{slow_site}"\nunit = "县政府办公室"\n',
                      encoding="utf-8")
    with serving(config, tmp_path / "serve.log", "--now") as daemon:

        def pages() -> int:
            assert daemon.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
            return int((rows(database, "SELECT count(*) FROM pages") or [(0,)])[0][0])

        wait_until("the first scan under way", lambda: pages() >= 20)
        private_postgres.stop()
        outage = time.monotonic()
        while time.monotonic() - outage < OUTAGE_SECONDS:
            assert daemon.poll() is None, "serve died while PostgreSQL was away"
            time.sleep(0.5)
        private_postgres.start()
        wait_until("the cut scan closed as failed and its lock freed", lambda: rows(
            database, "SELECT status FROM scans WHERE id = 1") == [("failed",)] and rows(
            database, "SELECT scan_id FROM scan_lock WHERE scan_id = 1") == [], timeout=60)
        wait_until("the next scheduled scan finished", lambda: rows(
            database, "SELECT id FROM scans WHERE status = 'finished'"), timeout=300)
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in output, output

    [(status, error)] = rows(database, "SELECT status, error FROM scans WHERE id = 1")  # type: ignore[misc]
    assert status == "failed" and "扫描中止" in error and "数据库" in error, error
    assert "abandoned" not in {s for (s,) in rows(database, "SELECT status FROM scans")}  # type: ignore[union-attr]
    runs = rows(database, "SELECT job, ok, error, finished_at FROM job_runs ORDER BY started_at")
    assert runs and all(finished is not None for *_, finished in runs), runs  # every run closed
    assert any(job == "scan" and ok is False and "扫描" in error for job, ok, error, _ in runs), runs
    assert any(job == "probe" and ok for job, ok, *_ in runs[-5:]), runs  # jobs run again
    # The scheduler looked for its jobs while the database was away, one line each time.
    looks = [line for line in output.splitlines() if "Error getting due jobs" in line]
    assert looks and "Background on this error" not in output, output
    assert rows(database, "SELECT count(*) FROM scheduler_jobs") == [(5,)]  # the same jobs, not twice
    [(findings, distinct)] = rows(database, "SELECT count(*), count(DISTINCT fingerprint) FROM findings")  # type: ignore[misc]
    [(tickets, ticketed)] = rows(database, "SELECT count(*), count(DISTINCT fingerprint) FROM tickets")  # type: ignore[misc]
    assert findings == distinct > 0 and tickets == ticketed
    assert rows(database, "SELECT count(*), count(DISTINCT name) FROM sites") == [(1, 1)]


def test_jobs_starting_together_register_the_sites_once(postgres_url: str) -> None:
    """A scan and a probe (and more) registering the same sites at once on a fresh database."""
    sites = [SiteConfig(name=f"站点{i}", url=f"http://127.0.0.1:9/{i}/", unit="单位") for i in range(20)]
    stores = [Store(postgres_url) for _ in range(6)]
    barrier, errors = threading.Barrier(len(stores)), []

    def register(store: Store, n: int) -> None:
        barrier.wait()
        try:
            if n == 0:
                store.begin_scan(sites)
            else:
                store.register_sites(sites)
        except Exception as exc:  # the failure the test is about, reported below
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(store, n)) for n, store in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert not errors, errors
        assert rows(postgres_url, "SELECT count(*), count(DISTINCT name) FROM sites") == [(20, 20)]
    finally:
        for store in stores:
            store.close()


def test_a_job_the_database_outage_cost_is_recorded_once_it_is_back(
        private_postgres: PrivatePostgres, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from govwatch import jobs

    database = private_postgres.create_database("govwatch")
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[database]\nurl = "{database}"\n'
                      '[[sites]]\nname = "某某县人民政府"\nurl = "http://127.0.0.1:9/"\nunit = "县政府办公室"\n',
                      encoding="utf-8")
    Store(database).close()  # the tables exist
    private_postgres.stop()
    jobs.probe(str(config))  # does not raise: a job fails alone
    [line] = [r.getMessage() for r in caplog.records if r.name == "govwatch.jobs"]
    assert line.startswith("job probe did not run: 无法打开数据库") and "\n" not in line, line
    private_postgres.start()
    jobs.sweep(str(config))
    runs = rows(database, "SELECT job, ok, error FROM job_runs ORDER BY started_at")
    assert runs is not None and [(job, ok) for job, ok, _ in runs] == [("probe", False), ("sweep", True)], runs
    assert runs[0][2].startswith("数据库不可用，任务未运行：无法打开数据库")
    jobs.sweep(str(config))  # recorded once, not again
    assert rows(database, "SELECT count(*) FROM job_runs WHERE job = 'probe'") == [(1,)]


def test_the_job_store_keeps_what_it_could_not_save_and_says_so_in_one_line(
        private_postgres: PrivatePostgres) -> None:
    """The scheduler's side of an outage: a job's next run that could not be saved is saved once the
    database is back (so the job does not run twice), and the errors it raises are one line."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from scheduler.daemon import JOBS_TABLE, JOBSTORE_RETRY_SECONDS, JobStoreUnavailable, SturdyJobStore

    store = Store(private_postgres.create_database("govwatch"))
    jobstore = SturdyJobStore(engine=store.engine, tablename=JOBS_TABLE)
    scheduler = BackgroundScheduler(jobstores={"default": jobstore}, timezone="UTC")
    scheduler.start(paused=True)
    try:
        first = datetime.now(timezone.utc) + timedelta(minutes=5)
        scheduler.add_job("govwatch.jobs:probe", IntervalTrigger(minutes=5), id="probe", args=["x"],
                          next_run_time=first)
        job = jobstore.lookup_job("probe")
        private_postgres.stop()
        job._modify(next_run_time=first + timedelta(minutes=5))  # as the scheduler does after a run
        jobstore.update_job(job)  # kept, not raised
        wake = jobstore.get_next_run_time()
        assert wake is not None and wake - datetime.now(timezone.utc) <= timedelta(seconds=JOBSTORE_RETRY_SECONDS)
        with pytest.raises(JobStoreUnavailable) as raised:
            jobstore.get_due_jobs(datetime.now(timezone.utc))
        assert "\n" not in str(raised.value) and "Connection refused" in str(raised.value)
        private_postgres.start()
        assert jobstore.get_due_jobs(datetime.now(timezone.utc)) == []
        assert jobstore.lookup_job("probe").next_run_time == first + timedelta(minutes=5)
    finally:
        scheduler.shutdown(wait=False)
        store.close()


def test_jobs_due_while_postgres_is_away_are_recorded_as_missed(private_postgres: PrivatePostgres,
                                                                 tmp_path: Path) -> None:
    """Under `serve` the schedule itself is in PostgreSQL: while it is away no job is even started, so
    the runs that fell due meanwhile must be recorded (failed, with why) once it is back."""
    database = private_postgres.create_database("govwatch")
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[database]\nurl = "{database}"\n'
                      '[schedule]\nscan = "0 3 1 1 *"\nprobe_minutes = 0.05\nsweep_minutes = 0.05\n'
                      '[[sites]]\nname = "某某县人民政府"\nurl = "http://127.0.0.1:9/"\nunit = "县政府办公室"\n',
                      encoding="utf-8")
    with serving(config, tmp_path / "serve.log") as daemon:

        def probes_after(moment: datetime) -> bool:
            assert daemon.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
            found = rows(database, "SELECT started_at FROM job_runs WHERE job = 'probe' AND ok")
            return any(started.replace(tzinfo=timezone.utc) > moment for (started,) in found or [])

        wait_until("a probe before the outage", lambda: probes_after(datetime.min.replace(tzinfo=timezone.utc)))
        private_postgres.stop()
        away = datetime.now(timezone.utc)
        time.sleep(OUTAGE_SECONDS)
        back = datetime.now(timezone.utc)
        private_postgres.start()
        wait_until("a probe after the outage", lambda: probes_after(back), timeout=60)
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in output, output
    store = Store(database)
    try:
        missed = [run for run in store.job_runs() if "次未运行" in run.error]
    finally:
        store.close()
    # Due every 3 s for 10 s: each job missed runs, recorded as one failed run per job and outage,
    # over the times it was due, saying why.
    assert sorted(run.job for run in missed) == ["probe", "sweep"], missed
    for run in missed:
        assert away <= run.started_at <= run.finished_at <= back + timedelta(seconds=3), (run, away, back)
        assert run.error.startswith("数据库不可用，") and run.ok is False, run.error
        assert "Connection refused" in run.error or "connection" in run.error.lower(), run.error
    assert "missed" in output and "(数据库不可用)" in output, output


def test_the_job_store_hands_over_the_runs_an_outage_cost(private_postgres: PrivatePostgres) -> None:
    """Once the database is back: every time a job fell due meanwhile except the one it runs now (it
    coalesces), and that one too when it is past its misfire grace (APScheduler then skips it)."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from scheduler.daemon import JOBS_TABLE, MISFIRE_GRACE_SECONDS, JobStoreUnavailable, SturdyJobStore

    store = Store(private_postgres.create_database("govwatch"))
    missed: dict[str, tuple[list[datetime], str]] = {}
    jobstore = SturdyJobStore(lambda job, times, cause, why: missed.update({job: (times, why)}), engine=store.engine,
                              tablename=JOBS_TABLE)
    scheduler = BackgroundScheduler(jobstores={"default": jobstore}, timezone="UTC", job_defaults={
        "coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS})
    scheduler.start(paused=True)
    try:
        first = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=5)
        for job, every in (("probe", timedelta(minutes=5)), ("scan", timedelta(hours=2))):
            scheduler.add_job("govwatch.jobs:probe", IntervalTrigger(seconds=every.total_seconds()), id=job,
                              args=["x"], next_run_time=first)
        private_postgres.stop()
        with pytest.raises(JobStoreUnavailable):
            jobstore.get_due_jobs(first)
        private_postgres.start()
        back = first + timedelta(minutes=90)
        assert sorted(job.id for job in jobstore.get_due_jobs(back)) == ["probe", "scan"]
        assert missed["probe"][0] == [first + timedelta(minutes=5 * n) for n in range(18)]  # +90 runs now
        assert missed["scan"][0] == [first]  # 90 minutes late: past the hour's grace, so not run either
        assert all("Connection refused" in why for _, why in missed.values()), missed
        missed.clear()
        jobstore.get_due_jobs(back)  # the outage is over: handed over once
        assert missed == {}
    finally:
        scheduler.shutdown(wait=False)
        store.close()
