"""Rectification tickets (整改工单): one per problem identity, driven by what each scan really checked.

After a scan: every problem it found without a ticket opens one (deadline: `deadline_hours` after
detection, one natural day by default); a fixed one that is back is reopened; an active ticket whose
place the scan really re-checked without finding it again is fixed. A place that was not re-checked
(a page that failed to load, a scan interrupted before reaching it) leaves its ticket as it was.
A dismissed problem (误报) is never ticketed again. The sweep turns tickets past their deadline overdue.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterable

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core import model

from . import models as db
from .times import aware

if TYPE_CHECKING:
    from .store import Store

PAGE_KINDS = frozenset({"sensitive_word", "erroneous_expression", "privacy_leak", "secret_marking", "hidden_link",
                        "missing_source", "unauthorized_source", "expired_document"})
SITE_KINDS = frozenset({"site_unreachable", "stale_homepage"})
COLUMN_KINDS = frozenset({"blank_column", "stale_column"})


class TicketError(LookupError):
    """No such ticket, or a change it cannot take; the message is Chinese."""


class TicketBook:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- driven by scans and time ---------------------------------------------------------------

    def update(self, scan_id: int, now: datetime, deadline_hours: dict[str, int], default_hours: int,
               judged: frozenset[str] | None = None) -> None:
        """Open, reopen and fix tickets from what scan `scan_id` found and re-checked.

        `judged` are the kinds the scan's checks decided (all when None): a partial scan (the hourly
        repost check) must not fix a column ticket only because it did not judge columns.
        """
        with self.store._write() as session:
            seen = set()
            for finding in session.scalars(select(db.Finding).where(db.Finding.last_scan_id == scan_id)):
                seen.add(finding.fingerprint)
                hours = deadline_hours.get(finding.kind, default_hours)
                self._found(session, finding, scan_id, now, timedelta(hours=hours))
            active = session.scalars(select(db.Ticket).where(db.Ticket.status.in_(db.ACTIVE_TICKET_STATUSES)))
            for ticket in active:
                if judged is not None and ticket.kind not in judged:
                    continue
                if ticket.fingerprint not in seen and _gone(session, ticket, scan_id):
                    ticket.status, ticket.fixed_at, ticket.updated_at = "fixed", now, now
                    _event(session, ticket, now, "fixed", "复查时未再发现该问题", scan_id=scan_id)

    def sweep(self, now: datetime) -> int:
        """Mark tickets past their deadline overdue; returns how many turned overdue now."""
        with self.store._write() as session:
            late = session.scalars(select(db.Ticket).where(db.Ticket.status.in_(("open", "reopened")),
                                                           db.Ticket.deadline < now)).all()
            for ticket in late:
                ticket.status, ticket.updated_at = "overdue", now
                _event(session, ticket, now, "overdue", "超过整改期限仍未整改")
            return len(late)

    def _found(self, session: Session, finding: db.Finding, scan_id: int, now: datetime, allowed: timedelta) -> None:
        ticket = session.scalar(select(db.Ticket).where(db.Ticket.fingerprint == finding.fingerprint))
        if ticket is not None and ticket.status == "dismissed":
            return
        title = session.scalar(select(db.Page.title).where(db.Page.url == finding.url)) or ""
        created = ticket is None
        if created:
            ticket = db.Ticket(fingerprint=finding.fingerprint, kind=finding.kind, status="open", created_at=now,
                               deadline=now + allowed)
            session.add(ticket)
        ticket.site_id, ticket.unit, ticket.url = finding.site_id, finding.unit, finding.url
        ticket.title = title
        ticket.evidence, ticket.severity, ticket.updated_at = finding.evidence, finding.severity, now
        session.flush()
        if created:
            _event(session, ticket, now, "open", "扫描新发现", scan_id=scan_id)
        elif ticket.status == "fixed":
            ticket.status, ticket.fixed_at, ticket.deadline = "reopened", None, now + allowed
            _event(session, ticket, now, "reopened", "已整改的问题再次出现", scan_id=scan_id)

    # -- people ---------------------------------------------------------------------------------

    def dismiss(self, ticket_id: int, reason: str, by: str, now: datetime) -> model.Ticket:
        """误报: the problem is closed for good and never ticketed again."""
        if not reason.strip():
            raise TicketError("请用 --reason 说明为何是误报")
        with self.store._write() as session:
            ticket = session.get(db.Ticket, ticket_id)
            if ticket is None:
                raise TicketError(f"没有编号为 {ticket_id} 的工单")
            if ticket.status == "dismissed":
                raise TicketError(f"工单 {ticket_id} 已标记为误报")
            ticket.status, ticket.updated_at = "dismissed", now
            _event(session, ticket, now, "dismissed", reason.strip(), by=by)
        return self.get(ticket_id)

    # -- reading --------------------------------------------------------------------------------

    def get(self, ticket_id: int) -> model.Ticket:
        found = self.list(ids=[ticket_id])
        if not found:
            raise TicketError(f"没有编号为 {ticket_id} 的工单")
        return found[0]

    def list(self, *, unit: str = "", status: str = "", site: str = "", ids: Iterable[int] = ()) -> list[model.Ticket]:
        query = (select(db.Ticket, db.Site.name).outerjoin(db.Site, db.Site.id == db.Ticket.site_id)
                 .order_by(db.Ticket.id))
        if unit:
            query = query.where(db.Ticket.unit == unit)
        if status:
            query = query.where(db.Ticket.status == status)
        if site:
            query = query.where(db.Site.name == site)
        if ids := list(ids):
            query = query.where(db.Ticket.id.in_(ids))
        with self.store._sessions() as session:
            rows = session.execute(query).all()
            events = session.scalars(select(db.TicketEvent).where(db.TicketEvent.ticket_id.in_([t.id for t, _ in rows]))
                                     .order_by(db.TicketEvent.id)).all()
        history: dict[int, list[dict[str, Any]]] = {}
        for e in events:
            history.setdefault(e.ticket_id, []).append(
                {"at": aware(e.at).isoformat(), "status": e.status, "note": e.note, "by": e.by, "scan": e.scan_id})
        return [model.Ticket(t.id, t.fingerprint, t.kind, name or "", t.unit, t.url, t.title, t.evidence, t.severity,
                             t.status, aware(t.created_at), aware(t.deadline),
                             aware(t.fixed_at) if t.fixed_at else None, history.get(t.id, []))
                for t, name in rows]


def _event(session: Session, ticket: db.Ticket, at: datetime, status: str, note: str, *, by: str = "",
           scan_id: int | None = None) -> None:
    session.add(db.TicketEvent(ticket_id=ticket.id, at=at, status=status, note=note, by=by, scan_id=scan_id))


def _gone(session: Session, ticket: db.Ticket, scan_id: int) -> bool:
    """Whether scan `scan_id` really looked where the problem was (so its absence means fixed)."""
    def page_checked(url: str) -> bool:
        return session.scalar(select(db.Page.last_scan_id).where(db.Page.url == url)) == scan_id

    if ticket.kind in PAGE_KINDS:
        return page_checked(ticket.url)
    if ticket.kind in SITE_KINDS:
        return bool(session.scalar(select(exists().where(db.SiteCheck.scan_id == scan_id,
                                                         db.SiteCheck.site_id == ticket.site_id))))
    if ticket.kind in COLUMN_KINDS:
        return bool(session.scalar(select(exists().where(
            db.ColumnState.scan_id == scan_id, db.ColumnState.column_id == db.Column.id,
            db.Column.url == ticket.url))))
    if ticket.kind == "dead_link":
        target = session.scalar(select(db.LinkTarget).where(db.LinkTarget.url == ticket.evidence))
        if target is not None and target.last_scan_id == scan_id and target.ok:
            return True  # the target works again
        finding = session.scalar(select(db.Finding.details).where(db.Finding.fingerprint == ticket.fingerprint))
        referrers = list((finding or {}).get("referrers", []))
        # Or every page that referred to it was re-checked and none refers to it any more.
        return bool(referrers) and all(page_checked(url) for url in referrers) and not session.scalar(
            select(exists().where(db.PageLink.url == ticket.evidence, db.PageLink.page_id == db.Page.id,
                                  db.Page.url.in_(referrers))))
    if ticket.kind == "repost_overdue":
        return bool(session.scalar(select(exists().where(db.SuperiorItem.last_scan_id == scan_id))))
    return False
