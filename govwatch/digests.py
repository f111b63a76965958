"""The morning digest, filled from the store: what is new, overdue and fixed since the last one sent.

The digest's shape and its renderings live in reports.digest; sending in reports.mailer. Here the
store's tickets, probes, self-assessment and failed jobs become that shape.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from core.config import Config
from core.model import Ticket
from reports.digest import AssessmentLine, Digest, DigestItem, FailedJob, SiteAvailability
from reports.mailer import MailError, deliver, write_digest_files
from storage import Store
from storage.reviews import ReviewBook
from storage.tickets import TicketBook
from storage.times import utcnow

from .service import assessments, open_store

FIRST_DIGEST_COVERS = timedelta(days=1)  # with no digest sent before, the last day


def build(store: Store, config: Config, now: datetime) -> Digest:
    since = store.last_digest_at() or now - FIRST_DIGEST_COVERS
    tickets = TicketBook(store).list()
    new = [t for t in tickets if t.created_at >= since and t.status != "dismissed"]
    overdue = [t for t in tickets if t.status == "overdue"]
    fixed = [t for t in tickets if t.fixed_at and t.fixed_at >= since and t.status == "fixed"]
    findings = store.findings_by_fingerprint(t.fingerprint for t in [*new, *overdue, *fixed])

    def item(ticket: Ticket) -> DigestItem:
        finding = findings.get(ticket.fingerprint)
        return DigestItem(ticket.kind, ticket.severity, ticket.site, ticket.unit, ticket.url, ticket.title,
                          ticket.evidence, finding.context if finding else "", finding.suggestion if finding else "",
                          ticket.deadline, ticket.id)

    scan_id = store.latest_scan_id()
    assessed = assessments(store, scan_id, config) if scan_id else []
    portal = next((s.name for s in config.sites if not s.parent), config.sites[0].name if config.sites else "")
    return Digest(
        estate=f"{portal}网站", day=now.astimezone(config.tz).date(), tz=config.timezone,
        new=[item(t) for t in new], overdue=[item(t) for t in overdue], fixed=[item(t) for t in fixed],
        availability=[SiteAvailability(a.site, a.url, a.probes, a.failures, a.unit)
                      for a in store.availability(config.probe.window_days)],
        assessments=[AssessmentLine(a.site, a.verdict, a.score, [v.item for v in a.vetoes]) for a in assessed],
        failed_jobs=[FailedJob(r.job, r.started_at, r.error) for r in store.job_runs(since=since, failed_only=True)],
        window_days=config.probe.window_days, ticket_base=config.web.base_url.rstrip("/"),
        suspected=[DigestItem("suspected_typo", "review", s.site, s.unit, s.url, "",
                              s.evidence, s.context, s.suggestion, review_id=s.id)
                   for s in ReviewBook(store).pending()])


def make(config: Config, *, send: bool, out: Path | None = None) -> tuple[Digest, tuple[Path, Path]]:
    """Build today's digest, keep it on disk (`out` or `digest.dir`) and, with `send`, mail it.

    Only a sent digest moves the "since" mark: a digest that could not be sent is covered again.
    Raises reports.mailer.MailError when sending fails (the files are kept).
    """
    store = open_store(config)
    try:
        now = utcnow()
        digest = build(store, config, now)
        if not send:
            return digest, write_digest_files(digest, out or Path(config.digest.dir))
        if out is not None:
            write_digest_files(digest, out)
        try:
            files = deliver(digest, config)
        except MailError as exc:
            store.record_digest(digest.day, now, False, str(exc))
            raise
        store.record_digest(digest.day, now, True)
        return digest, files
    finally:
        store.close()
