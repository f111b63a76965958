"""Reads and writes of the finding store. One transaction per page's findings, so a crash mid-scan
leaves every stored page whole and nothing half-written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Sequence

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core import model
from core.config import SiteConfig

from . import models as db


class StoreError(RuntimeError):
    """The database cannot be opened or written; the message says which and why."""


@dataclass
class ScanStats:
    pages: int = 0
    pages_failed: int = 0
    links_checked: int = 0
    findings: int = 0


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    """SQLite hands datetimes back naive; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class Store:
    """The finding store. Build one per process: it owns the engine and the session factory."""

    def __init__(self, url: str) -> None:
        try:
            self.engine = create_engine(url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            db.Base.metadata.create_all(self.engine)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"无法打开数据库 {_safe(url)}：{exc}") from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._site_ids: dict[str, int] = {}

    def close(self) -> None:
        self.engine.dispose()

    # -- scans ---------------------------------------------------------------------------------

    def begin_scan(self, sites: Sequence[SiteConfig]) -> int:
        """Register the configured sites and open a scan; returns its id."""
        with self._sessions.begin() as session:
            for site in sites:
                row = session.scalar(select(db.Site).where(db.Site.name == site.name))
                if row is None:
                    row = db.Site(name=site.name)
                    session.add(row)
                row.url, row.unit, row.parent = site.url, site.unit, site.parent
            scan = db.Scan(started_at=utcnow(), status="running")
            session.add(scan)
            session.flush()
            self._site_ids = dict(session.execute(select(db.Site.name, db.Site.id)).all())
            return scan.id

    def finish_scan(self, scan_id: int, stats: ScanStats, *, error: str = "") -> None:
        with self._sessions.begin() as session:
            scan = session.get_one(db.Scan, scan_id)
            scan.finished_at = utcnow()
            scan.status = "failed" if error else "finished"
            scan.error = error
            scan.pages, scan.pages_failed = stats.pages, stats.pages_failed
            scan.links_checked, scan.findings = stats.links_checked, stats.findings

    def latest_scan(self) -> db.Scan | None:
        with self._sessions() as session:
            return session.scalars(select(db.Scan).order_by(db.Scan.id.desc()).limit(1)).first()

    # -- pages and findings ---------------------------------------------------------------------

    def record_page(self, scan_id: int, page: model.Page,
                    findings: Iterable[model.Finding]) -> list[model.Finding]:
        """Store a page's latest state and its findings in one transaction."""
        now = utcnow()
        with self._sessions.begin() as session:
            row = session.scalar(select(db.Page).where(db.Page.url == page.url))
            if row is None:
                row = db.Page(url=page.url, first_seen=now)
                session.add(row)
            dates = [item.date for item in page.list_items if item.date]
            row.site_id = self._site_id(session, page.site)
            row.kind, row.status, row.title, row.column = page.kind, page.status, page.title, page.column
            row.published = page.published
            row.content_hash = hashlib.sha256(page.text.encode("utf-8")).hexdigest()
            row.list_items, row.newest_item = len(page.list_items), max(dates, default=None)
            row.is_homepage, row.is_sitemap = page.is_homepage, page.sitemap
            row.last_seen, row.last_scan_id = now, scan_id
            return self._upsert(session, scan_id, findings, now)

    def record_findings(self, scan_id: int, findings: Iterable[model.Finding]) -> list[model.Finding]:
        """Store findings that belong to no single page (dead links, unreachable sites)."""
        with self._sessions.begin() as session:
            return self._upsert(session, scan_id, findings, utcnow())

    def findings(self, *, scan_id: int | None = None) -> list[model.Finding]:
        """Stored findings, most serious first; with `scan_id`, only those that scan saw."""
        query = select(db.Finding).order_by(db.Finding.id)
        if scan_id is not None:
            query = query.where(db.Finding.last_scan_id == scan_id)
        with self._sessions() as session:
            rows = session.scalars(query).all()
            names = {v: k for k, v in self._site_names(session).items()}
            found = [self._to_model(row, names) for row in rows]
        return sorted(found, key=lambda f: model.SEVERITIES.index(f.severity))

    def _upsert(self, session: Session, scan_id: int, findings: Iterable[model.Finding],
                now: datetime) -> list[model.Finding]:
        stored = []
        for finding in findings:
            row = session.scalar(select(db.Finding).where(db.Finding.fingerprint == finding.fingerprint))
            if row is None:
                row = db.Finding(fingerprint=finding.fingerprint, first_seen=now)
                session.add(row)
            row.kind, row.url, row.evidence = finding.kind, finding.url, finding.evidence
            row.site_id = self._site_id(session, finding.site)
            row.unit, row.column, row.severity = finding.unit, finding.column, finding.severity
            row.suggestion, row.context, row.details = finding.suggestion, finding.context, finding.details
            row.last_seen, row.last_scan_id = now, scan_id
            finding.first_seen, finding.last_seen = _aware(row.first_seen), now
            stored.append(finding)
        return stored

    def _site_id(self, session: Session, name: str) -> int | None:
        if name and name not in self._site_ids:
            self._site_ids = self._site_names(session)
        return self._site_ids.get(name)

    @staticmethod
    def _site_names(session: Session) -> dict[str, int]:
        return dict(session.execute(select(db.Site.name, db.Site.id)).all())

    @staticmethod
    def _to_model(row: db.Finding, site_names: dict[int, str]) -> model.Finding:
        return model.Finding(
            kind=row.kind, url=row.url, evidence=row.evidence,
            site=site_names.get(row.site_id, "") if row.site_id else "",
            unit=row.unit, column=row.column, severity=row.severity, suggestion=row.suggestion,
            context=row.context, first_seen=_aware(row.first_seen), last_seen=_aware(row.last_seen),
            details=dict(row.details or {}),
        )


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL and a busy timeout, so a CLI read never fails while the daemon writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparseable URL is shown as given: it holds no parsed password
        return url
