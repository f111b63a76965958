"""The ticket service (整改工单): every rule of a ticket's life, in one place, for the CLI and the console.

Scans drive it: every problem a scan found without a ticket opens one (deadline: `deadline_hours` after
detection, one natural day by default); a fixed one that is back is reopened; an active ticket whose
place the scan really re-checked without finding it again is fixed. A place that was not re-checked
(a page that failed to load, a scan interrupted before reaching it) leaves its ticket as it was.
A dismissed problem (误报) is never ticketed again. The sweep turns tickets past their deadline overdue.

People drive it too, by role (storage.users.Actor): the reading duty and admins dismiss as 误报; a
unit only requests 误报, which stays in the history for the duty to accept or reject; anyone who may
see a ticket comments on it or marks it fixed, and a ticket becomes fixed only when a re-check made
now no longer finds the problem. A unit sees only its own unit's tickets.

It stands on the store (storage.store), which knows nothing of it.

A suspected typo (core.model.REVIEW_KINDS) is never ticketed here: `ReviewBook.confirm` opens its ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from core import model
from core.model import COLUMN_KINDS, PAGE_KINDS, SITE_KINDS

from . import models as db
from .store import Store, in_chunks
from .times import aware
from .users import Actor, operator

__all__ = ["PAGE_KINDS", "SITE_KINDS", "COLUMN_KINDS", "TicketError", "TicketNotFound", "TicketQuery", "Recheck",
           "TicketBook"]

NOTE_LIMIT = 2000  # characters of a reason, note or comment kept


class TicketError(LookupError):
    """A change the ticket cannot take, or no such ticket; the message is Chinese."""


class TicketNotFound(TicketError):
    """No such ticket, or not one this person may see (another unit's ticket is as absent as a missing one)."""


@dataclass(frozen=True)
class TicketQuery:
    """Which tickets: every filter empty means all of them (that the actor may see)."""

    unit: str = ""
    status: str = ""
    site: str = ""
    kind: str = ""
    q: str = ""  # words in the title, the evidence or the page address


@dataclass(frozen=True)
class Recheck:
    """A re-check of a ticket's place made now: `found` the problem again, or could not look (`found` None,
    `reason` says why)."""

    found: bool | None
    reason: str = ""


class TicketBook:
    """The ticket service over one store; cheap to build (`TicketBook(store)`), it holds nothing else."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- driven by scans and time ---------------------------------------------------------------

    def update(self, scan_id: int, now: datetime, deadline_hours: dict[str, int], default_hours: int,
               judged: frozenset[str] | None = None) -> None:
        """Open, reopen and fix tickets from what scan `scan_id` found and re-checked.

        `judged` are the kinds the scan's checks decided (all when None): a partial scan (the hourly
        repost check) must not fix a column ticket only because it did not judge columns.
        """
        with self.store.writing() as session:
            # ticketed only once a person confirms it (storage/reviews.py)
            found_now = (db.Finding.last_scan_id == scan_id, db.Finding.kind.not_in(sorted(model.REVIEW_KINDS)))
            found = session.execute(select(*_TICKETED).where(*found_now)).all()
            # Their tickets and page titles read at once, new tickets and every event written at
            # once: a first scan's thousands of findings cost a few statements, not three each.
            tickets = {t.fingerprint: t for chunk in in_chunks(sorted({f.fingerprint for f in found}))
                       for t in session.scalars(select(db.Ticket).where(db.Ticket.fingerprint.in_(chunk)))}
            titles = {url: title for chunk in in_chunks(sorted({f.url for f in found})) for url, title in
                      session.execute(select(db.Page.url, db.Page.title).where(db.Page.url.in_(chunk)))}
            _take(session, [(f, timedelta(hours=deadline_hours.get(f.kind, default_hours))) for f in found],
                  tickets, titles, now, scan_id)
            open_tickets = session.scalars(select(db.Ticket).where(
                db.Ticket.status.in_(db.ACTIVE_TICKET_STATUSES),
                db.Ticket.fingerprint.not_in(select(db.Finding.fingerprint).where(*found_now))))
            active = [t for t in open_tickets if judged is None or t.kind in judged]
            page_checked = _CheckedPages(session, scan_id, {t.url for t in active})
            for ticket in active:
                if _gone(session, ticket, scan_id, page_checked):
                    ticket.status, ticket.fixed_at, ticket.updated_at = "fixed", now, now
                    _event(session, ticket, now, "fixed", "复查时未再发现该问题", scan_id=scan_id)

    def sweep(self, now: datetime) -> int:
        """Mark tickets past their deadline overdue; returns how many turned overdue now.

        One conditional UPDATE, as `serve` may sweep while a scan fixes tickets: a ticket the scan
        fixed meanwhile stays fixed (PostgreSQL checks the condition again on the row it waited
        for), and a deadlock between the two is run again.
        """
        def mark(session: Session) -> int:
            late = session.scalars(update(db.Ticket).where(db.Ticket.status.in_(("open", "reopened")),
                                                           db.Ticket.deadline < now)
                                   .values(status="overdue", updated_at=now).returning(db.Ticket.id)).all()
            session.add_all(db.TicketEvent(ticket_id=ticket_id, at=now, status="overdue", note="超过整改期限仍未整改",
                                           by="", scan_id=None) for ticket_id in late)
            return len(late)

        return self.store._write_retrying(mark)

    def _found(self, session: Session, finding: db.Finding, scan_id: int, now: datetime, allowed: timedelta) -> None:
        ticket = session.scalar(select(db.Ticket).where(db.Ticket.fingerprint == finding.fingerprint))
        title = session.scalar(select(db.Page.title).where(db.Page.url == finding.url)) or ""
        _take(session, [(finding, allowed)], {finding.fingerprint: ticket} if ticket else {}, {finding.url: title},
              now, scan_id)

    # -- people ---------------------------------------------------------------------------------

    def dismiss(self, ticket_id: int, reason: str, by: Actor | str, now: datetime) -> model.Ticket:
        """误报. The duty or an admin closes the problem for good (never ticketed again); a unit only
        requests it: the status stays and the request waits in the history for the duty."""
        actor = by if isinstance(by, Actor) else operator(by)
        reason = _note(reason, "请说明为何是误报")
        with self.store.writing() as session:
            ticket = self._visible(session, ticket_id, actor)
            if ticket.status == "dismissed":
                raise TicketError(f"工单 {ticket_id} 已标记为误报")
            if actor.sees_every_unit:
                ticket.status, ticket.updated_at = "dismissed", now
                _event(session, ticket, now, "dismissed", reason, by=actor.name)
            else:
                if _pending_request(session, ticket.id):
                    raise TicketError(f"工单 {ticket_id} 已申请误报，等待读网值班处理")
                ticket.updated_at = now
                _event(session, ticket, now, "dismiss_requested", reason, by=actor.name)
        return self.get(ticket_id)

    def reject_request(self, ticket_id: int, reason: str, by: Actor, now: datetime) -> model.Ticket:
        """The duty refuses a unit's 误报 request: the ticket stays as it was, to be fixed."""
        reason = _note(reason, "请说明驳回误报申请的理由")
        if not by.sees_every_unit:
            raise TicketError("只有读网值班或管理员可以驳回误报申请")
        with self.store.writing() as session:
            ticket = self._visible(session, ticket_id, by)
            if not _pending_request(session, ticket.id):
                raise TicketError(f"工单 {ticket_id} 没有待处理的误报申请")
            ticket.updated_at = now
            _event(session, ticket, now, "request_rejected", reason, by=by.name)
        return self.get(ticket_id)

    def comment(self, ticket_id: int, text: str, by: Actor, now: datetime) -> model.Ticket:
        text = _note(text, "备注内容不能为空")
        with self.store.writing() as session:
            ticket = self._visible(session, ticket_id, by)
            _event(session, ticket, now, "comment", text, by=by.name)
        return self.get(ticket_id)

    def mark_fixed(self, ticket_id: int, note: str, by: Actor, now: datetime,
                   recheck: Callable[[model.Ticket], Recheck]) -> tuple[model.Ticket, Recheck]:
        """已整改, claimed by a person: the place is re-checked now (`recheck`, as `govwatch check` would)
        and the ticket becomes fixed only when the problem is gone. A re-check that still finds it is
        kept in the history; one that could not look changes nothing."""
        ticket = self.get(ticket_id, by)
        if ticket.status not in db.ACTIVE_TICKET_STATUSES:
            raise TicketError(f"工单 {ticket_id} 当前状态为“{model.TICKET_STATUS_LABELS[ticket.status]}”，无需整改")
        outcome = recheck(ticket)
        if outcome.found is None:
            return ticket, outcome
        note = " ".join(note.split())[:NOTE_LIMIT]
        with self.store.writing() as session:
            row = self._visible(session, ticket_id, by)
            if row.status not in db.ACTIVE_TICKET_STATUSES:  # changed while the re-check ran
                raise TicketError(f"工单 {ticket_id} 的状态已变为“{model.TICKET_STATUS_LABELS[row.status]}”")
            row.updated_at = now
            if outcome.found:
                _event(session, row, now, "still_found", _joined("复查时仍发现该问题", note), by=by.name)
            else:
                row.status, row.fixed_at = "fixed", now
                _event(session, row, now, "fixed", _joined("人工复查未再发现该问题", note), by=by.name)
        return self.get(ticket_id), outcome

    def pending_requests(self, by: Actor) -> list[model.Ticket]:
        """Tickets whose unit asked for 误报 and whose request the duty has not yet accepted or rejected."""
        with self.store.reading() as session:
            ids = list(session.scalars(_pending_requests()))
        return self.list(ids=ids, actor=by) if ids else []

    def request_pending(self, ticket_id: int) -> bool:
        with self.store.reading() as session:
            return _pending_request(session, ticket_id)

    def _visible(self, session: Session, ticket_id: int, actor: Actor) -> db.Ticket:
        """The ticket, when `actor` may see it; another unit's ticket is as absent as a missing one."""
        ticket = session.get(db.Ticket, ticket_id)
        if ticket is None or not (actor.sees_every_unit or ticket.unit == actor.unit):
            raise TicketNotFound(f"没有编号为 {ticket_id} 的工单")
        return ticket

    # -- reading --------------------------------------------------------------------------------

    def get(self, ticket_id: int, actor: Actor | None = None) -> model.Ticket:
        found = self.list(ids=[ticket_id], actor=actor)
        if not found:
            raise TicketNotFound(f"没有编号为 {ticket_id} 的工单")
        return found[0]

    def list(self, *, unit: str = "", status: str = "", site: str = "", ids: Iterable[int] = (),
             actor: Actor | None = None, query: TicketQuery | None = None) -> list[model.Ticket]:
        """Tickets by id; `actor` (None: the operator) limits them to what that person may see."""
        return self.page(query or TicketQuery(unit=unit, status=status, site=site), actor, ids=ids)[0]

    def page(self, query: TicketQuery, actor: Actor | None = None, *, ids: Iterable[int] = (),
             offset: int = 0, limit: int | None = None) -> tuple[list[model.Ticket], int]:
        """One page of the tickets `query` selects, and how many it selects in all."""
        select_ = self._selection(query, actor, list(ids))
        with self.store.reading() as session:
            total = session.scalar(select(func.count()).select_from(select_.subquery())) or 0
            rows = session.execute(select_.order_by(db.Ticket.id).offset(offset).limit(limit)).all()
            events = session.scalars(select(db.TicketEvent).where(db.TicketEvent.ticket_id.in_([t.id for t, _ in rows]))
                                     .order_by(db.TicketEvent.id)).all()
        history: dict[int, list[dict[str, Any]]] = {}
        for e in events:
            history.setdefault(e.ticket_id, []).append(
                {"at": aware(e.at).isoformat(), "status": e.status, "note": e.note, "by": e.by, "scan": e.scan_id})
        return [model.Ticket(t.id, t.fingerprint, t.kind, name or "", t.unit, t.url, t.title, t.evidence, t.severity,
                             t.status, aware(t.created_at), aware(t.deadline),
                             aware(t.fixed_at) if t.fixed_at else None, history.get(t.id, []))
                for t, name in rows], total

    def _selection(self, query: TicketQuery, actor: Actor | None, ids: Sequence[int]) -> Any:
        selection = select(db.Ticket, db.Site.name).outerjoin(db.Site, db.Site.id == db.Ticket.site_id)
        if actor is not None and not actor.sees_every_unit:
            selection = selection.where(db.Ticket.unit == actor.unit)
        if query.unit:
            selection = selection.where(db.Ticket.unit == query.unit)
        if query.status:
            selection = selection.where(db.Ticket.status == query.status)
        if query.site:
            selection = selection.where(db.Site.name == query.site)
        if query.kind:
            selection = selection.where(db.Ticket.kind == query.kind)
        if words := query.q.strip():
            like = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            selection = selection.where(or_(db.Ticket.title.like(like, escape="\\"),
                                            db.Ticket.evidence.like(like, escape="\\"),
                                            db.Ticket.url.like(like, escape="\\")))
        if ids:
            selection = selection.where(db.Ticket.id.in_(ids))
        return selection

    def units(self) -> list[str]:
        """Every unit that has tickets, for the console's filters."""
        with self.store.reading() as session:
            return sorted(u for u in session.scalars(select(db.Ticket.unit).distinct()) if u)


# What a ticket takes from its problem's finding: the columns read of a scan's findings.
_TICKETED = (db.Finding.fingerprint, db.Finding.kind, db.Finding.site_id, db.Finding.unit, db.Finding.url,
             db.Finding.evidence, db.Finding.severity)


def _take(session: Session, found: Sequence[tuple[Any, timedelta]], tickets: dict[str, db.Ticket],
          titles: dict[str, str], now: datetime, scan_id: int) -> None:
    """Each (finding, time allowed to fix it) of scan `scan_id` ticketed: a new ticket opened, a fixed
    one reopened, an active one brought up to date, a dismissed one left alone; `tickets` are their
    tickets by fingerprint so far, `titles` their pages' titles. New tickets and every event are
    inserted in one statement each (a first scan opens thousands)."""
    new: list[dict[str, Any]] = []
    reopened: list[db.Ticket] = []
    for finding, allowed in found:
        ticket = tickets.get(finding.fingerprint)
        current = dict(site_id=finding.site_id, unit=finding.unit, url=finding.url, title=titles.get(finding.url) or "",
                       evidence=finding.evidence, severity=finding.severity, updated_at=now)
        if ticket is None:
            new.append(dict(current, fingerprint=finding.fingerprint, kind=finding.kind, status="open", created_at=now,
                            deadline=now + allowed, fixed_at=None))
        elif ticket.status != "dismissed":
            for name, value in current.items():
                setattr(ticket, name, value)
            if ticket.status == "fixed":
                ticket.status, ticket.fixed_at, ticket.deadline = "reopened", None, now + allowed
                reopened.append(ticket)
    opened = session.scalars(insert(db.Ticket).returning(db.Ticket.id), new).all() if new else []
    events = [_opening(ticket_id, "open", now, scan_id) for ticket_id in opened]
    events += [_opening(ticket.id, "reopened", now, scan_id) for ticket in reopened]
    if events:
        session.execute(insert(db.TicketEvent), events)


def _opening(ticket_id: int, what: str, now: datetime, scan_id: int) -> dict[str, Any]:
    """The event of a ticket opened ("open") or reopened by scan `scan_id`."""
    note = "扫描新发现" if what == "open" else "已整改的问题再次出现"
    return dict(ticket_id=ticket_id, at=now, status=what, note=note, by="", scan_id=scan_id)


def _event(session: Session, ticket: db.Ticket, at: datetime, status: str, note: str, *, by: str = "",
           scan_id: int | None = None) -> None:
    session.add(db.TicketEvent(ticket_id=ticket.id, at=at, status=status, note=note, by=by, scan_id=scan_id))


def _pending_requests() -> Any:
    """The ids of tickets whose latest 误报 step is a unit's request that the duty has not answered."""
    latest = (select(func.max(db.TicketEvent.id).label("id"))
              .where(db.TicketEvent.status.in_(("dismiss_requested", "request_rejected", "dismissed")))
              .group_by(db.TicketEvent.ticket_id).subquery())
    return (select(db.TicketEvent.ticket_id).join(latest, latest.c.id == db.TicketEvent.id)
            .where(db.TicketEvent.status == "dismiss_requested"))


def _pending_request(session: Session, ticket_id: int) -> bool:
    return session.scalar(_pending_requests().where(db.TicketEvent.ticket_id == ticket_id)) is not None


def _note(text: str, missing: str) -> str:
    text = " ".join(text.split())[:NOTE_LIMIT]
    if not text:
        raise TicketError(missing)
    return text


def _joined(what: str, note: str) -> str:
    return f"{what}：{note}" if note else what


class _CheckedPages:
    """Whether scan `scan_id` re-read a page: asked for every active ticket, so the tickets' own pages
    are read in a few statements at once, not one each (a thousand tickets: a tenth of a second)."""

    def __init__(self, session: Session, scan_id: int, urls: set[str]) -> None:
        self._session, self._scan_id = session, scan_id
        self._checked = dict.fromkeys(urls, False)
        for chunk in in_chunks(sorted(urls)):
            rows = session.execute(select(db.Page.url, db.Page.last_scan_id).where(db.Page.url.in_(chunk)))
            self._checked.update((url, last_scan_id == scan_id) for url, last_scan_id in rows)

    def __call__(self, url: str) -> bool:
        if url not in self._checked:  # a dead link's referrers
            self._checked[url] = self._session.scalar(
                select(db.Page.last_scan_id).where(db.Page.url == url)) == self._scan_id
        return self._checked[url]


def _gone(session: Session, ticket: db.Ticket, scan_id: int, page_checked: Callable[[str], bool]) -> bool:
    """Whether scan `scan_id` really looked where the problem was (so its absence means fixed)."""
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
    if ticket.kind == "interpretation_unlinked":  # judged each scan from the interpretation page it names
        return page_checked(ticket.url)
    if ticket.kind == "repost_overdue":
        return bool(session.scalar(select(exists().where(db.SuperiorItem.last_scan_id == scan_id))))
    return False
