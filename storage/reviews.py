"""Reviews of suspected typos (疑似错别字): what a person decides before a probable error is ticketed.

A suspected typo is reported but never ticketed by a scan (core.model.REVIEW_KINDS). A person confirms
it, and it becomes an erroneous expression opened as a ticket through the ticket book's own path; from
then on scans report that text as an erroneous expression, so the ticket follows it like any other. Or
a person rejects it with a reason, and that text is never reported again. Decisions are kept by the
suspected text (the evidence), across pages: a word judged once is judged everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from core import model
from core.urls import netloc

from . import models as db
from .tickets import TicketBook
from .times import aware

if TYPE_CHECKING:
    from .store import Store

SUSPECTED = "suspected_typo"
CONFIRMED = "erroneous_expression"  # the kind a confirmed suspected typo is ticketed as
_UNDECIDED = (db.Finding.kind == SUSPECTED, db.Finding.evidence.not_in(select(db.Review.evidence)))


class ReviewError(LookupError):
    """No such suspected typo, or one already decided; the message is Chinese."""


class ReviewNotFound(ReviewError):
    """No suspected typo of that number (never, or gone: rejecting removes the text's findings)."""


@dataclass
class Suspect:
    """A suspected typo awaiting review; `id` is its finding's, what `govwatch review` takes."""

    id: int
    url: str
    evidence: str
    suggestion: str
    context: str
    site: str
    unit: str
    rule: str
    last_seen: datetime


class ReviewBook:
    def __init__(self, store: Store) -> None:
        self.store = store

    def pending(self) -> list[Suspect]:
        """Suspected typos of the store not yet decided, oldest first."""
        query = (select(db.Finding, db.Site.name).outerjoin(db.Site, db.Site.id == db.Finding.site_id)
                 .where(*_UNDECIDED).order_by(db.Finding.id))
        with self.store.reading() as session:
            return [Suspect(f.id, f.url, f.evidence, f.suggestion, f.context, name or "", f.unit,
                            str(f.details.get("rule", "")), aware(f.last_seen))
                    for f, name in session.execute(query)]

    def count(self) -> int:
        """How many suspected typos wait for a person (the console's menu and dashboard show it)."""
        with self.store.reading() as session:
            return session.scalar(select(func.count(db.Finding.id)).where(*_UNDECIDED)) or 0

    def decisions(self) -> dict[str, str]:
        """Every decided text → confirmed | rejected: what the word check applies in a scan."""
        with self.store.reading() as session:
            return {evidence: decision for evidence, decision in session.execute(
                select(db.Review.evidence, db.Review.decision))}

    def confirm(self, finding_id: int, by: str, now: datetime, deadline: timedelta) -> model.Ticket:
        """The suspected text is an error: record it and open its erroneous_expression ticket."""
        tickets = TicketBook(self.store)
        with self.store.writing() as session:
            suspect = self._undecided(session, finding_id)
            session.add(db.Review(evidence=suspect.evidence, decision="confirmed", by=by, at=now))
            found = model.Finding(CONFIRMED, suspect.url, suspect.evidence)
            found.identify({netloc(site.url): site.name for site in session.scalars(select(db.Site))})
            error = session.scalar(select(db.Finding).where(db.Finding.fingerprint == found.fingerprint))
            if error is None:
                error = db.Finding(
                    fingerprint=found.fingerprint, kind=found.kind, url=suspect.url, evidence=suspect.evidence,
                    site_id=suspect.site_id, unit=suspect.unit, column=suspect.column, severity=found.severity,
                    suggestion=suspect.suggestion, context=suspect.context,
                    details={**suspect.details, "reviewed_by": by}, first_seen=suspect.first_seen,
                    last_seen=suspect.last_seen, last_scan_id=suspect.last_scan_id)
                session.add(error)
                session.flush()
            tickets._found(session, error, suspect.last_scan_id, now, deadline)
            ticket_id = session.scalar(select(db.Ticket.id).where(db.Ticket.fingerprint == error.fingerprint))
        return tickets.get(ticket_id)

    def reject(self, finding_id: int, reason: str, by: str, now: datetime) -> str:
        """Not an error: the text is never reported again, and its suspected findings go. Returns it."""
        if not reason.strip():
            raise ReviewError("请填写理由（--reason），说明为何不是错别字")
        with self.store.writing() as session:
            suspect = self._undecided(session, finding_id)
            session.add(db.Review(evidence=suspect.evidence, decision="rejected", reason=reason.strip(), by=by,
                                  at=now))
            session.execute(delete(db.Finding).where(db.Finding.kind == SUSPECTED,
                                                     db.Finding.evidence == suspect.evidence))
            return suspect.evidence

    @staticmethod
    def _undecided(session, finding_id: int) -> db.Finding:  # type: ignore[no-untyped-def]
        suspect = session.get(db.Finding, finding_id)
        if suspect is None or suspect.kind != SUSPECTED:
            raise ReviewNotFound(f"没有编号为 {finding_id} 的疑似错别字")
        if session.scalar(select(db.Review.decision).where(db.Review.evidence == suspect.evidence)):
            raise ReviewError(f"疑似错别字 {finding_id}（“{suspect.evidence}”）已审核过")
        return suspect
