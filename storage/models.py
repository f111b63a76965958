"""The store's tables (SQLAlchemy 2.0 typed models): the estate as last seen, and what was found.

The store is the estate's memory across scans: sites and their status per scan, pages (latest
state, with the scan that last really checked them), page→link edges, link outcomes, list items,
and findings per identity. Estate checks read it, so they see more than one scan in memory.
The schema changes only through migrations (storage/migrations); these models are its head.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Scan statuses. `running` becomes exactly one of the others; `abandoned` is set by the next scan
# for one whose process died without saying so (kill -9, power loss).
SCAN_STATUSES = ("running", "finished", "interrupted", "failed", "abandoned")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class StoreInfo(Base):
    """One row: this database's own identity, so reports of two databases never collide."""

    __tablename__ = "store_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance: Mapped[str] = mapped_column(String(32))


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    unit: Mapped[str] = mapped_column(String(200), default="")
    parent: Mapped[str] = mapped_column(String(200), default="")


class Scan(Base):
    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    pages_failed: Mapped[int] = mapped_column(Integer, default=0)
    links_checked: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    # Pages left uncrawled per bound ({"max_pages": 120}) and check crashes per check name.
    limits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    check_errors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    holder: Mapped[str] = mapped_column(String(200), default="")  # host:pid of the scanning process
    kind: Mapped[str] = mapped_column(String(20), default="full")  # full | repost | incremental
    # Crawl processes started again after one died, and the URLs given up as in flight at two deaths
    # ([{"url", "reason"}]), see crawler/supervisor.py.
    restarts: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ScanLock(Base):
    """At most one row: the scan that holds the database. A crashed holder's row goes stale."""

    __tablename__ = "scan_lock"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    scan_id: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(32))
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    heartbeat_at: Mapped[datetime]


class SiteCheck(Base):
    """Whether a site's homepage could be fetched, per scan."""

    __tablename__ = "site_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    ok: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime]


class Probe(Base):
    """One request to a site's homepage (`govwatch probe`): the availability the inspection measures."""

    __tablename__ = "probes"
    __table_args__ = (Index("ix_probes_site_time", "site_id", "probed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    probed_at: Mapped[datetime]
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")


class Page(Base):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    kind: Mapped[str] = mapped_column(String(20), default="html")
    status: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    column: Mapped[str] = mapped_column(String(500), default="")
    published: Mapped[date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    list_items: Mapped[int] = mapped_column(Integer, default=0)
    newest_item: Mapped[date | None] = mapped_column(Date)
    is_homepage: Mapped[bool] = mapped_column(default=False)
    is_sitemap: Mapped[bool] = mapped_column(default=False)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    # Coverage: the last scan that really fetched and checked this page.
    last_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), index=True)
    column_url: Mapped[str] = mapped_column(String(2000), default="", index=True)  # its column's list
    empty_notice: Mapped[str] = mapped_column(String(100), default="")
    fixed_content: Mapped[bool] = mapped_column(default=False)
    # What the self-assessment reads: {"meta": guideline meta names present, "marks": site marks}.
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Validators of the response last checked: an incremental scan re-reads the page conditionally
    # (If-None-Match, If-Modified-Since) and skips its checks when the body is the same.
    etag: Mapped[str] = mapped_column(String(200), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    body_hash: Mapped[str] = mapped_column(String(64), default="")


class PageLink(Base):
    """An edge: page → link target, as the page showed it when last checked."""

    __tablename__ = "page_links"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    tag: Mapped[str] = mapped_column(String(20), default="a")

    __table_args__ = (Index("ix_page_links_url", "url"),)


class LinkTarget(Base):
    """A link target's latest outcome, and the scan that last really checked it (coverage)."""

    __tablename__ = "link_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime]
    last_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), index=True)

    __table_args__ = (Index("ix_link_targets_scan_ok", "last_scan_id", "ok"),)


class ListEntry(Base):
    """One item of a list page (a column page), in the order the page shows them."""

    __tablename__ = "list_items"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[date | None] = mapped_column(Date)


class Column(Base):
    """A column (栏目), known by its list's first page; its state per scan is in ColumnState."""

    __tablename__ = "columns"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    name: Mapped[str] = mapped_column(String(500), default="")
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    last_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))


class ColumnState(Base):
    """What a column's list showed in one scan: its history is the freshness record."""

    __tablename__ = "column_history"

    column_id: Mapped[int] = mapped_column(ForeignKey("columns.id", ondelete="CASCADE"), primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), primary_key=True)
    items: Mapped[int] = mapped_column(Integer)
    newest: Mapped[date | None] = mapped_column(Date)
    empty_notice: Mapped[str] = mapped_column(String(100), default="")
    fixed: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(Text, default="")
    # The context its category is read from and its pager: {"crumbs", "parent", "section", "pages",
    # "pager", "first_page"} (core.model.Column).
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SuperiorItem(Base):
    """An item of a superior site's list (`[[superior]]`) that our repost column must carry."""

    __tablename__ = "superior_items"
    __table_args__ = (UniqueConstraint("name", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[date | None] = mapped_column(Date)
    first_seen: Mapped[datetime]
    last_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))


# Ticket statuses: open → fixed (a later scan re-checked the place and no longer found it) or overdue
# (its deadline passed); fixed → reopened (it came back); any → dismissed (误报, never ticketed again).
TICKET_STATUSES = ("open", "overdue", "fixed", "reopened", "dismissed")
ACTIVE_TICKET_STATUSES = ("open", "overdue", "reopened")


class Ticket(Base):
    """A rectification ticket (整改工单): one per problem identity, handed to the responsible unit."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    unit: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime]
    deadline: Mapped[datetime]
    fixed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class TicketEvent(Base):
    """One step of a ticket's history: what it became, when, why and by whom (a scan or a person)."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(200), default="")
    scan_id: Mapped[int | None] = mapped_column(Integer)


class JobRun(Base):
    """One run of a daemon job: a failure is reported in the next digest and by `govwatch status`."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    ok: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str] = mapped_column(Text, default="")


class DigestRun(Base):
    """A digest made (and sent or not): the next digest covers what came after `made_at`."""

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    made_at: Mapped[datetime]
    sent: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str] = mapped_column(Text, default="")


class Review(Base):
    """A person's decision on a suspected text (疑似错别字): confirmed, it is an erroneous expression
    wherever it is found; rejected, it is never reported again."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence: Mapped[str] = mapped_column(String(200), unique=True)
    decision: Mapped[str] = mapped_column(String(20))  # confirmed | rejected
    reason: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime]


class Finding(Base):
    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    evidence: Mapped[str] = mapped_column(Text)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    unit: Mapped[str] = mapped_column(String(200), default="")
    column: Mapped[str] = mapped_column(String(500), default="")
    severity: Mapped[str] = mapped_column(String(20))
    suggestion: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    last_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), index=True)


# Console users (issue 23). `admin`: everything; `duty` (读网值班): every unit's tickets, dismisses 误报;
# `unit`: its own unit's tickets only, marks them fixed and may only request 误报.
USER_ROLES = ("admin", "duty", "unit")


class User(Base):
    """A person who signs in to the web console; the password is kept only as an argon2 hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # in a row, since the last success
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class AuditEntry(Base):
    """One thing a person did through the console (every POST): who, what, when, from where, and whether
    it was allowed."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(100), default="")
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
