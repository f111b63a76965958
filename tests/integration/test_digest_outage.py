"""The mail server down when the digest is due: the daemon's digest job fails in one line and marks
nothing sent, its retry job sends again (a server that answers 421, then one that accepts), and the
digest that finally goes out carries what the failed one held and what came since."""

from __future__ import annotations

import logging
import socket
import time
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from core.config import ConfigError, SiteConfig, load
from core.model import Finding, Page
from govwatch import jobs
from storage import Store
from storage.store import ScanStats
from storage.tickets import TicketBook

SITE = SiteConfig(name="某某县人民政府", url="http://127.0.0.1:9/", unit="县政府办公室")


class Sink:
    """An SMTP server's mailbox: refuses every mail with 421 (busy) or accepts it."""

    def __init__(self, accept: bool) -> None:
        self.accept, self.mails, self.refused = accept, [], 0  # type: ignore[var-annotated]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.accept:
            self.refused += 1
            return "421 服务暂时不可用"
        self.mails.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_config(tmp_path: Path, port: int, digest_keys: str = "") -> Path:
    path = tmp_path / "govwatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n'
                    f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nsender = "duty@example.gov.cn"\n'
                    f'[digest]\nrecipients = ["office@example.gov.cn"]\ndir = "{tmp_path / "digests"}"\n{digest_keys}'
                    f'[[sites]]\nname = "{SITE.name}"\nurl = "{SITE.url}"\nunit = "{SITE.unit}"\n', encoding="utf-8")
    return path


def find(store: Store, evidence: str) -> None:
    """A scan that finds one wrong expression on its own page, and its ticket."""
    url = f"{SITE.url}{len(evidence)}-{abs(hash(evidence))}.html"
    scan = store.begin_scan([SITE])
    store.record_pages(scan, [(Page(url=url, site=SITE.name), [Finding(
        kind="erroneous_expression", url=url, evidence=evidence, site=SITE.name, unit=SITE.unit,
        context=f"…{evidence}…")])])
    store.finish_scan(scan, "finished", ScanStats(pages=1, findings=1))
    TicketBook(store).update(scan, datetime.now(timezone.utc), {}, 24)


def unsent(store: Store) -> bool:
    latest = store.latest_digest()
    return latest is not None and not latest[1]


def serving(sink: Sink, port: int) -> Controller:
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def test_a_digest_the_mail_server_missed_is_sent_later_with_everything(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()  # nothing listens there yet
    config = write_config(tmp_path, port)
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    try:
        find(store, "中华人名共和国")
        started = time.monotonic()
        with caplog.at_level(logging.INFO):
            jobs.digest(str(config))
        assert time.monotonic() - started < 10  # a few short retries, not a long wait
        failed = [r for r in caplog.records if r.name == "govwatch.jobs"]
        assert len(failed) == 1 and failed[0].exc_info is None and "\n" not in failed[0].getMessage()
        assert "日报邮件未能发送到 office@example.gov.cn" in failed[0].getMessage()
        assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) <= 3  # one line per attempt, one in all
        assert store.last_digest_at() is None and unsent(store)  # nothing marked sent
        [run] = store.job_runs()
        assert run.job == "digest" and run.ok is False and "日报邮件未能发送" in run.error

        find(store, "国务院办公厅厅")  # found after the digest that failed
        busy = Sink(accept=False)
        controller = serving(busy, port)
        try:
            jobs.digest_retry(str(config))
        finally:
            controller.stop()
        assert busy.refused >= 1 and unsent(store)

        inbox = Sink(accept=True)
        controller = serving(inbox, port)
        try:
            jobs.digest_retry(str(config))
            jobs.digest_retry(str(config))  # sent: nothing more to do
        finally:
            controller.stop()
        [mail] = inbox.mails
        text = mail.get_body(preferencelist=("plain",)).get_content()
        assert "中华人名共和国" in text and "国务院办公厅厅" in text  # what the failed one held, and since
        assert not unsent(store) and store.last_digest_at() is not None
        assert [(r.job, r.ok) for r in store.job_runs()] == [("digest", True), ("digest", False), ("digest", False)]
    finally:
        store.close()


def test_the_retry_job_runs_every_retry_minutes_when_the_digest_is_mailed(tmp_path: Path) -> None:
    config = load(write_config(tmp_path, 25, "retry_minutes = 5\n"))
    [retry] = [job for job in jobs.specs(config, "govwatch.toml") if job.id == "digest_retry"]
    assert retry.trigger.interval.total_seconds() == 300  # type: ignore[attr-defined]
    assert load(write_config(tmp_path, 25)).digest.retry_minutes == 15
    with pytest.raises(ConfigError, match="digest.retry_minutes"):
        load(write_config(tmp_path, 25, "retry_minutes = 0\n"))


def test_a_digest_not_made_at_its_time_is_made_by_the_retry_job(tmp_path: Path) -> None:
    """The daily job could not run at `digest.time` (the database was away): the retry job makes it."""
    inbox, port = Sink(accept=True), free_port()
    due = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=30)
    config = write_config(tmp_path, port, f'time = "{due:%H:%M}"\nretry_minutes = 15\n')
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    controller = serving(inbox, port)
    try:
        jobs.digest_retry(str(config))  # a fresh database: its first digest comes at its time
        assert not inbox.mails and store.latest_digest() is None
        store.record_digest(due.date(), due - timedelta(days=1), True)  # yesterday's, sent
        jobs.digest_retry(str(config))
        assert len(inbox.mails) == 1 and store.latest_digest()[1]  # type: ignore[index]
        jobs.digest_retry(str(config))  # made after its time: nothing more
        assert len(inbox.mails) == 1
    finally:
        controller.stop()
        store.close()
