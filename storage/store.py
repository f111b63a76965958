"""Reads and writes of the store. One transaction per batch of pages (their rows, links, list items and
findings), so a crash mid-scan leaves every stored page whole and nothing half-written.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from sqlalchemy import case, create_engine, delete, event, exists, func, insert, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from core import model
from core.model import PAGE_KINDS
from core.config import SiteConfig
from core.urls import first_list_page

from . import migrate
from .times import aware, utcnow
from . import models as db

# A lock whose holder runs on another machine is stale once its heartbeat is this old.
LOCK_STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_EVERY = timedelta(seconds=30)
WRITE_ATTEMPTS = 5  # a page's transaction is run again this often when it loses a race
T = TypeVar("T")


class StoreError(RuntimeError):
    """The database cannot be opened or written; the message says which and why, in Chinese."""


class ScanBusy(StoreError):
    """Another live scan holds this database."""

    def __init__(self, scan_id: int, started_at: datetime | None, holder: str) -> None:
        self.scan_id, self.started_at, self.holder = scan_id, started_at, holder
        super().__init__(f"第 {scan_id} 次扫描正在进行（{holder}），同一数据库同时只能运行一次扫描")


@dataclass
class ScanStats:
    pages: int = 0
    pages_failed: int = 0
    links_checked: int = 0
    findings: int = 0
    check_errors: dict[str, int] = field(default_factory=dict)
    pages_unchanged: int = 0  # of `pages`: re-read unchanged by an incremental scan, their results kept


@dataclass
class ScanRecord:
    """A scan as `govwatch scans` shows it. Field names are the scans JSON contract."""

    id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    pages: int
    links_checked: int
    findings: int
    error: str
    limits: dict[str, int]
    kind: str = "full"
    restarts: int = 0  # crawl processes started again after a death
    quarantined: list[dict[str, str]] = field(default_factory=list)  # [{"url", "reason"}] given up


def describe_db_error(exc: BaseException) -> str:
    """The database's own message, without SQLAlchemy's English background link and SQL echo."""
    text = str(exc.orig) if isinstance(exc, DBAPIError) and exc.orig is not None else str(exc)
    text = re.sub(r"\(Background on this error at:[^)]*\)", "", text)
    text = " ".join(text.split("\n[SQL:")[0].split())
    if "disk is full" in text or "No space left on device" in text:  # SQLite's and PostgreSQL's words
        return f"磁盘空间不足（{text}）"
    return text


class Store:
    """The store. Build one per process: it owns the engine and the session factory.

    Opening it brings the database to the current schema (Alembic), whatever version wrote it.
    """

    def __init__(self, url: str) -> None:
        try:
            options: dict[str, Any] = {}
            if make_url(url).get_backend_name() == "sqlite" and make_url(url).database in (None, "", ":memory:"):
                # One shared connection: an in-memory database exists once per connection.
                options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
            if make_url(url).get_backend_name() != "sqlite":
                # A server restarted under `serve` leaves dead connections in the pool: test each first.
                options["pool_pre_ping"] = True
            self.engine = create_engine(url, **options)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            migrate.upgrade(self.engine)
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            with self._sessions() as session:
                self.instance = session.scalars(select(db.StoreInfo.instance)).one()
        except migrate.SchemaTooNew as exc:
            raise StoreError(f"无法打开数据库 {_safe(url)}：它由更新版本的 govwatch 写入（结构版本 {exc}），"
                             "请升级 govwatch 后再使用") from None
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"无法打开数据库 {_safe(url)}：{describe_db_error(exc)}") from None
        self._site_ids: dict[str, int] = {}
        self._lock_token = ""

    def close(self) -> None:
        self.engine.dispose()

    # -- scans and the lock ---------------------------------------------------------------------

    def begin_scan(self, sites: Sequence[SiteConfig], kind: str = "full") -> int:
        """Take the database's scan lock, register the sites and open a scan; returns its id.

        Raises ScanBusy when another live process holds the lock. A lock left by a dead process is
        taken over, and every scan it left `running` is marked `abandoned`.
        """
        token = self._acquire_lock()
        try:
            now = utcnow()

            def begin(session: Session) -> int:
                scan = db.Scan(started_at=now, status="running", holder=_holder(), kind=kind)
                session.add(scan)
                session.flush()
                session.execute(update(db.ScanLock).where(db.ScanLock.token == token).values(scan_id=scan.id))
                session.execute(update(db.Scan).where(db.Scan.status == "running", db.Scan.id != scan.id)
                                .values(status="abandoned", finished_at=now,
                                        error="扫描进程意外终止，未正常结束；由下一次扫描标记为放弃"))
                self._register(session, sites)
                return scan.id

            return self._write_retrying(begin)
        except BaseException:
            self.release_lock()
            raise

    def register_sites(self, sites: Sequence[SiteConfig]) -> None:
        """Record the configured sites (name, URL, unit, parent) without starting a scan."""
        self._write_retrying(lambda session: self._register(session, sites))

    def _register(self, session: Session, sites: Sequence[SiteConfig]) -> None:
        """One upsert per site: a scan and a probe that start together (`serve --now` on a fresh
        database) both register the sites, and neither may fail on the other's row."""
        for site in sites:
            values = {"url": site.url, "unit": site.unit, "parent": site.parent}
            session.execute(self._upsert(db.Site).values(name=site.name, **values)
                            .on_conflict_do_update(index_elements=[db.Site.name], set_=values))
        self._site_ids = self._site_names(session)

    def abandon_orphaned_scans(self) -> int:
        """Mark `abandoned` the scans left running by a process that died; returns how many.

        Nothing changes while a live process holds the lock: its scan is really running.
        """
        now = utcnow()
        with self._write() as session:
            lock = session.get(db.ScanLock, "scan")
            if lock is not None and not _is_stale(lock, now):
                return 0
            if lock is not None:
                session.delete(lock)
            return session.execute(update(db.Scan).where(db.Scan.status == "running").values(
                status="abandoned", finished_at=now, error="扫描进程意外终止，未正常结束；由值守服务启动时标记为放弃")).rowcount

    def _acquire_lock(self) -> str:
        """The lock's token. Losing a race to another process means re-reading who won."""
        token = uuid.uuid4().hex
        for attempt in range(5):
            now = utcnow()
            try:
                with self._sessions.begin() as session:
                    lock = session.get(db.ScanLock, "scan", with_for_update=True)
                    if lock is not None and not _is_stale(lock, now):
                        started = session.scalar(select(db.Scan.started_at).where(db.Scan.id == lock.scan_id))
                        raise ScanBusy(lock.scan_id, aware(started) if started else None,
                                       f"{lock.host} 进程 {lock.pid}")
                    mine = {"scan_id": 0, "token": token, "host": socket.gethostname(), "pid": os.getpid(),
                            "heartbeat_at": now}
                    if lock is None:
                        session.execute(insert(db.ScanLock), [{"name": "scan", **mine}])
                    elif session.execute(update(db.ScanLock).where(db.ScanLock.token == lock.token)
                                         .values(**mine)).rowcount != 1:
                        raise IntegrityError("lock taken meanwhile", None, Exception())
                self._lock_token = token
                return token
            except (IntegrityError, OperationalError):  # raced with another process: look again
                time.sleep(0.1 * (attempt + 1))
        raise StoreError("无法获取扫描锁：数据库持续繁忙，请稍后重试")

    @property
    def lock_token(self) -> str:
        """The token of the scan lock this store took ("" before): a scan whose database went away
        is closed with it later, by another Store of the same process (see `finish_scan`)."""
        return self._lock_token

    def release_lock(self, token: str | None = None) -> None:
        """Give up the scan lock taken with `token` (default: this store's own)."""
        with self._write() as session:
            session.execute(delete(db.ScanLock).where(db.ScanLock.token == (token or self._lock_token)))

    def heartbeat(self) -> None:
        """Tell other machines our lock is alive (same-host holders are judged by their pid)."""
        with self._write() as session:
            session.execute(update(db.ScanLock).where(db.ScanLock.token == self._lock_token)
                            .values(heartbeat_at=utcnow()))

    def finish_scan(self, scan_id: int, status: str, stats: ScanStats, *, error: str = "",
                    limits: dict[str, int] | None = None, token: str | None = None,
                    finished_at: datetime | None = None, restarts: int = 0,
                    quarantined: list[dict[str, str]] | None = None) -> None:
        """Close the scan with its final status and release the lock, in one transaction.

        `token` and `finished_at`: the lock and end of a scan whose database was away when it ended,
        closed now that it is back (by default this store's lock, and now). `restarts` and
        `quarantined`: the crawl processes started again after a death, and the URLs given up on.
        """
        assert status in db.SCAN_STATUSES and status != "running"
        with self._write() as session:
            scan = session.get_one(db.Scan, scan_id)
            scan.finished_at, scan.status, scan.error = finished_at or utcnow(), status, error
            scan.pages, scan.pages_failed = stats.pages, stats.pages_failed
            scan.links_checked, scan.findings = stats.links_checked, stats.findings
            scan.limits, scan.check_errors = dict(limits or {}), dict(stats.check_errors)
            scan.restarts, scan.quarantined = restarts, list(quarantined or [])
            session.execute(delete(db.ScanLock).where(db.ScanLock.token == (token or self._lock_token)))

    def scans(self, limit: int = 20) -> list[ScanRecord]:
        """The most recent scans, newest first."""
        with self._sessions() as session:
            rows = session.scalars(select(db.Scan).order_by(db.Scan.id.desc()).limit(limit)).all()
        return [_scan_record(row) for row in rows]

    def scan(self, scan_id: int) -> ScanRecord:
        with self._sessions() as session:
            return _scan_record(session.get_one(db.Scan, scan_id))

    # -- the daemon's jobs -----------------------------------------------------------------------

    def job_started(self, job: str) -> int:
        with self._write() as session:
            run = db.JobRun(job=job, started_at=utcnow())
            session.add(run)
            session.flush()
            return run.id

    def job_finished(self, run_id: int, error: str = "", finished_at: datetime | None = None) -> None:
        with self._write() as session:
            run = session.get_one(db.JobRun, run_id)
            run.finished_at, run.ok, run.error = finished_at or utcnow(), not error, error

    def record_job_run(self, job: str, started_at: datetime, finished_at: datetime, error: str) -> None:
        """A whole run at once: one that could not be recorded while the database was away."""
        with self._write() as session:
            session.add(db.JobRun(job=job, started_at=started_at, finished_at=finished_at, ok=not error, error=error))

    def job_runs(self, *, since: datetime | None = None, failed_only: bool = False) -> list[model.JobRun]:
        """Job runs, newest first; `since` and `failed_only` for the digest's failed-jobs section."""
        query = select(db.JobRun).order_by(db.JobRun.id.desc())
        if since is not None:
            query = query.where(db.JobRun.started_at >= since)
        if failed_only:
            query = query.where(db.JobRun.ok.is_(False))
        with self._sessions() as session:
            return [model.JobRun(r.job, aware(r.started_at), aware(r.finished_at) if r.finished_at else None,
                                 r.ok, r.error) for r in session.scalars(query.limit(500))]

    def last_digest_at(self) -> datetime | None:
        """When the last digest that was sent was made: the next one covers what came since."""
        with self._sessions() as session:
            made = session.scalar(select(func.max(db.DigestRun.made_at)).where(db.DigestRun.sent.is_(True)))
        return aware(made) if made else None

    def latest_digest(self) -> tuple[datetime, bool] | None:
        """When the newest digest was made and whether it was sent: `serve` sends again until one is."""
        try:
            with self._sessions() as session:
                row = session.execute(select(db.DigestRun.made_at, db.DigestRun.sent)
                                      .order_by(db.DigestRun.id.desc()).limit(1)).first()
        except SQLAlchemyError as exc:
            raise StoreError(f"数据库读取失败：{describe_db_error(exc)}") from None
        return (aware(row[0]), row[1]) if row else None

    def record_digest(self, day: date, made_at: datetime, sent: bool, error: str = "") -> None:
        with self._write() as session:
            session.add(db.DigestRun(day=day, made_at=made_at, sent=sent, error=error))

    # -- what a crawl sees ----------------------------------------------------------------------

    def record_pages(self, scan_id: int, pages: Sequence[tuple[model.Page, Iterable[model.Finding]]],
                     links: Sequence[model.LinkStatus] = ()) -> list[model.Finding]:
        """Store pages' latest state, their links, list items and findings in one transaction.

        A crawl stores its pages a batch at a time, a few statements per batch whatever its size:
        one commit, or one statement, per page cost more than the rest of storing it. `links` are
        link outcomes that arrived meanwhile; they ride along. A URL twice in a batch (two addresses
        redirecting to one page) is stored as it came last, as storing them one by one would.
        """
        now = utcnow()
        batch = [(page, list(findings)) for page, findings in pages]
        latest = dict(sorted({page.url: page for page, _ in batch}.items()))  # URL order: see _upsert_links

        def write(session: Session) -> list[model.Finding]:
            connection = session.connection()
            if latest:
                connection.execute(self._page_upsert, [self._page_row(session, scan_id, page, now)
                                                       for page in latest.values()])
                ids = self._page_ids(connection, list(latest))
                self._replace_edges(connection, {ids[url]: page for url, page in latest.items()})
            stored = self._upsert_findings(session, scan_id, [f for _, found in batch for f in found], now)
            self._upsert_links(session, scan_id, links, now)
            return stored

        return self._write_retrying(write)

    def _page_row(self, session: Session, scan_id: int, page: model.Page, now: datetime) -> dict[str, Any]:
        """The page's row as stored."""
        # A homepage's freshness is any dated item it shows, in a list or not.
        dates = [item.date for item in page.list_items if item.date] or (page.dates if page.is_homepage else [])
        return {
            "url": page.url, "first_seen": now,
            "site_id": self._site_id(session, page.site), "kind": page.kind, "status": page.status,
            "title": page.title, "column": page.column, "published": page.published,
            "content_hash": hashlib.sha256(page.text.encode("utf-8")).hexdigest(),
            "list_items": len(page.list_items), "newest_item": max(dates, default=None),
            "is_homepage": page.is_homepage, "is_sitemap": page.sitemap, "column_url": page.column_url,
            "empty_notice": page.empty_notice, "fixed_content": page.fixed_content,
            "facts": _page_facts(page),
            "etag": page.etag, "last_modified": page.last_modified, "body_hash": page.body_hash,
            "last_seen": now, "last_scan_id": scan_id,
        }

    @staticmethod
    def _page_ids(connection: Any, urls: list[str]) -> dict[str, int]:
        table = db.Page.__table__
        ids: dict[str, int] = {}
        for chunk in in_chunks(urls):
            ids.update(connection.execute(select(table.c.url, table.c.id).where(table.c.url.in_(chunk))).all())
        return ids

    @cached_property
    def _page_upsert(self) -> Any:
        """INSERT … ON CONFLICT (url) DO UPDATE every column but the first sighting.
        Built once: building a statement cost more than running it."""
        stmt = self._upsert(db.Page.__table__)
        kept = {"id", "url", "first_seen"}
        return stmt.on_conflict_do_update(
            index_elements=[db.Page.url],
            set_={c.name: stmt.excluded[c.name] for c in db.Page.__table__.columns if c.name not in kept})

    def keep_page(self, scan_id: int, url: str, etag: str, last_modified: str) -> bool:
        """A page re-read unchanged (304, or the same body): it counts as checked by this scan, and
        the problems its last check found are still there, so they are carried forward with it —
        otherwise its tickets would look fixed. Returns False for a page the store does not know.
        """
        now = utcnow()
        with self._write() as session:
            row = session.scalar(select(db.Page).where(db.Page.url == url))
            if row is None:
                return False
            checked_by = row.last_scan_id
            row.etag, row.last_modified = etag or row.etag, last_modified or row.last_modified
            row.last_seen, row.last_scan_id = now, scan_id
            session.execute(update(db.Finding).where(
                db.Finding.url == url, db.Finding.last_scan_id == checked_by, db.Finding.kind.in_(PAGE_KINDS))
                .values(last_seen=now, last_scan_id=scan_id))
            return True

    def record_site_checks(self, scan_id: int, statuses: Iterable[model.SiteStatus]) -> None:
        now = utcnow()
        with self._write() as session:
            for status in statuses:
                site_id = self._site_id(session, status.name)
                if site_id is not None:
                    session.add(db.SiteCheck(scan_id=scan_id, site_id=site_id, ok=status.ok,
                                             reason=status.reason, checked_at=now))

    def record_findings(self, scan_id: int, findings: Iterable[model.Finding]) -> list[model.Finding]:
        """Store findings that belong to no single page (dead links, unreachable sites)."""
        stored, now = list(findings), utcnow()
        return self._write_retrying(lambda session: self._upsert_findings(session, scan_id, stored, now))

    @staticmethod
    def _replace_edges(connection: Any, pages: dict[int, model.Page]) -> None:
        """The pages' links and list items, as they are now (by page id)."""
        # Core statements on the tables, a few per batch: the ORM's bulk path costs several times
        # more per row, and a page carries a hundred links. Those go to the driver's executemany as
        # they are: SQLAlchemy's handling of each row's parameters cost more than the insert.
        links, entries = db.PageLink.__table__, db.ListEntry.__table__
        for chunk in in_chunks(list(pages)):
            connection.execute(links.delete().where(links.c.page_id.in_(chunk)))
            connection.execute(entries.delete().where(entries.c.page_id.in_(chunk)))
        edges = [(page_id, url, tag) for page_id, page in pages.items()
                 for url, tag in {link.url: link.tag for link in page.links}.items()]
        if edges:
            quote = connection.dialect.identifier_preparer
            mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
            connection.exec_driver_sql(
                f"INSERT INTO {quote.format_table(links)} ({', '.join(quote.quote(c) for c in ('page_id', 'url', 'tag'))})"
                f" VALUES ({mark}, {mark}, {mark})", edges)
        items = [{"page_id": page_id, "position": i, "url": item.url, "title": item.title, "date": item.date}
                 for page_id, page in pages.items() for i, item in enumerate(page.list_items)]
        if items:
            connection.execute(entries.insert(), items)

    def _upsert_links(self, session: Session, scan_id: int, links: Sequence[model.LinkStatus],
                      now: datetime) -> None:
        if not links:
            return
        # One row per target per statement, in URL order: writers of one scan on PostgreSQL lock
        # shared targets in the same order, so they wait for each other instead of deadlocking.
        latest = dict(sorted({status.url: status for status in links}.items()))
        stmt = self._upsert(db.LinkTarget)
        stmt = stmt.on_conflict_do_update(
            index_elements=[db.LinkTarget.url],
            set_={"ok": stmt.excluded.ok, "status": stmt.excluded.status, "reason": stmt.excluded.reason,
                  "checked_at": stmt.excluded.checked_at, "last_scan_id": stmt.excluded.last_scan_id})
        session.execute(stmt, [{"url": s.url, "ok": s.ok, "status": s.status, "reason": s.reason,
                                "checked_at": now, "last_scan_id": scan_id} for s in latest.values()])

    def _upsert_findings(self, session: Session, scan_id: int, findings: Sequence[model.Finding],
                         now: datetime) -> list[model.Finding]:
        """Insert or update the findings' rows in one statement (by fingerprint, which keeps its first
        sighting), and give each finding its first and last sighting."""
        latest = dict(sorted({f.fingerprint: f for f in findings}.items()))  # the last one of a fingerprint wins
        if not latest:
            return []
        rows = [{"fingerprint": f.fingerprint, "first_seen": now, "kind": f.kind, "url": f.url, "evidence": f.evidence,
                 "site_id": self._site_id(session, f.site), "unit": f.unit, "column": f.column,
                 "severity": f.severity, "suggestion": f.suggestion, "context": f.context, "details": f.details,
                 "last_seen": now, "last_scan_id": scan_id} for f in latest.values()]
        connection = session.connection()
        connection.execute(self._finding_upsert, rows)
        table = db.Finding.__table__
        first: dict[str, datetime] = {}
        for chunk in in_chunks(list(latest)):
            first.update(connection.execute(select(table.c.fingerprint, table.c.first_seen)
                                            .where(table.c.fingerprint.in_(chunk))).all())
        for finding in findings:
            finding.first_seen, finding.last_seen = aware(first[finding.fingerprint]), now
        return list(findings)

    @cached_property
    def _finding_upsert(self) -> Any:
        """INSERT … ON CONFLICT (fingerprint) DO UPDATE every column but the first sighting."""
        stmt = self._upsert(db.Finding.__table__)
        kept = {"id", "fingerprint", "first_seen"}
        return stmt.on_conflict_do_update(
            index_elements=[db.Finding.fingerprint],
            set_={c.name: stmt.excluded[c.name] for c in db.Finding.__table__.columns if c.name not in kept})

    def record_columns(self, scan_id: int, *, latest: bool = False) -> None:
        """Gather this scan's list pages into columns, and keep each column's state in its history.

        `latest`: a scan that re-read only a column's first pages (incremental) judges the column by
        the latest state of all its pages, the ones it did not re-read as last checked.
        """
        fixed = func.max(case((db.Page.fixed_content.is_(True), 1), else_=0))
        query = (select(db.Page.site_id, db.Page.column_url, func.max(db.Page.column), func.sum(db.Page.list_items),
                        func.max(func.coalesce(db.Page.newest_item, db.Page.published)), func.max(db.Page.empty_notice),
                        fixed, func.max(db.Page.title))
                 .where(db.Page.column_url != "")
                 .group_by(db.Page.site_id, db.Page.column_url))
        seen = db.Page.last_scan_id == scan_id
        if latest:
            seen = db.Page.column_url.in_(select(db.Page.column_url).where(seen, db.Page.column_url != ""))
        query = query.where(seen)
        pages = (select(db.Page.site_id, db.Page.column_url, db.Page.facts)
                 .where(db.Page.column_url != "", seen).order_by(db.Page.column_url, db.Page.url))
        now = utcnow()
        with self._write() as session:
            rows = session.execute(query).all()
            context = _column_context(session.execute(pages.execution_options(yield_per=1000)),
                                      {(site_id, url): name or "" for site_id, url, name, *_ in rows},
                                      self._sitemap_sections(session))
            for site_id, url, name, items, newest, notice, is_fixed, title in rows:
                column = session.scalar(select(db.Column).where(db.Column.url == url))
                if column is None:
                    column = db.Column(url=url, first_seen=now)
                    session.add(column)
                column.site_id, column.name, column.last_seen, column.last_scan_id = site_id, name or "", now, scan_id
                session.flush()
                session.merge(db.ColumnState(column_id=column.id, scan_id=scan_id, items=int(items or 0),
                                             newest=newest, empty_notice=notice or "", fixed=bool(is_fixed),
                                             title=title if is_fixed else "", facts=context.get(url, {})))

    @staticmethod
    def _sitemap_sections(session: Session) -> dict[tuple[int, str], str]:
        """(site, column first page) → the 网站地图 section listing it, from every stored site map."""
        sections: dict[tuple[int, str], str] = {}
        for site_id, facts in session.execute(select(db.Page.site_id, db.Page.facts)
                                              .where(db.Page.is_sitemap.is_(True))):
            for url, section in ((facts or {}).get("sections") or {}).items():
                sections.setdefault((site_id, first_list_page(url)), section)
        return sections

    def record_superior(self, scan_id: int, name: str, items: Sequence[model.ListItem]) -> None:
        """Keep a superior list's items as this scan saw them (first seen kept across scans)."""
        now = utcnow()
        with self._write() as session:
            for item in {i.url: i for i in items}.values():
                row = session.scalar(select(db.SuperiorItem).where(db.SuperiorItem.name == name,
                                                                   db.SuperiorItem.url == item.url))
                if row is None:
                    row = db.SuperiorItem(name=name, url=item.url, first_seen=now)
                    session.add(row)
                row.title, row.date, row.last_scan_id = item.title, item.date, scan_id

    def record_probes(self, results: Iterable[model.ProbeResult]) -> None:
        now = utcnow()
        with self._write() as session:
            for result in results:
                site_id = self._site_id(session, result.site)
                if site_id is not None:
                    session.add(db.Probe(site_id=site_id, probed_at=now, ok=result.ok, status=result.status,
                                         seconds=result.seconds, reason=result.reason))

    # -- reading the estate ---------------------------------------------------------------------

    def columns(self, scan_id: int) -> Iterator[model.Column]:
        """Every column as this scan saw it, streamed in site and URL order."""
        query = (select(db.Site.name, db.Column.url, db.Column.name, db.Site.unit, db.Site.parent,
                        db.ColumnState.items, db.ColumnState.newest, db.ColumnState.empty_notice,
                        db.ColumnState.fixed, db.ColumnState.title, db.ColumnState.facts)
                 .join(db.ColumnState, db.ColumnState.column_id == db.Column.id)
                 .join(db.Site, db.Site.id == db.Column.site_id)
                 .where(db.ColumnState.scan_id == scan_id).order_by(db.Site.name, db.Column.url))
        with self._sessions() as session:
            for site, url, name, unit, parent, items, newest, notice, fixed, title, facts in \
                    session.execute(query.execution_options(yield_per=500)):
                facts = facts or {}
                yield model.Column(site, url, name, unit, bool(parent), items, newest, notice, fixed, title,
                                   crumbs=list(facts.get("crumbs", [])), parent=facts.get("parent", ""),
                                   section=facts.get("section", ""), pages=int(facts.get("pages", 0)),
                                   pager=facts.get("pager", ""), first_page=bool(facts.get("first_page", True)))

    def homepages(self, scan_id: int, *, latest: bool = False) -> list[model.Homepage]:
        """Each site's homepage as this scan fetched it, with its newest dated item.

        A homepage that is only a navigation entry (no dated item of its own) is judged by the pages
        it leads to, as the inspection does: their newest item or publication date — as this scan
        saw them, or (`latest`, for a scan that re-reads only part of the estate) as last checked.
        """
        query = (select(db.Site.name, db.Page.url, db.Site.unit, db.Page.newest_item, db.Page.id)
                 .join(db.Site, db.Site.id == db.Page.site_id)
                 .where(db.Page.is_homepage.is_(True), db.Page.last_scan_id == scan_id).order_by(db.Site.name))
        linked = db.Page.__table__.alias("linked")
        below = (select(func.max(linked.c.newest_item), func.max(linked.c.published))
                 .select_from(db.PageLink.__table__.join(linked, linked.c.url == db.PageLink.url)))
        if not latest:
            below = below.where(linked.c.last_scan_id == scan_id)
        homes = []
        with self._sessions() as session:
            for site, url, unit, newest, page_id in session.execute(query).all():
                entry = newest is None
                if entry:
                    dates = session.execute(below.where(db.PageLink.page_id == page_id)).one()
                    newest = max((d for d in dates if d is not None), default=None)
                homes.append(model.Homepage(site, url, unit, newest, navigation_entry=entry))
        return homes

    def site_facts(self, scan_id: int, sample: int = 5) -> dict[str, model.SiteFacts]:
        """Per site: its homepage's marks and a sample of content and column pages' meta tags, as the
        inspection samples them (5 content pages and 5 column pages)."""
        facts: dict[str, model.SiteFacts] = {}
        with self._sessions() as session:
            for site_id, name, url in session.execute(select(db.Site.id, db.Site.name, db.Site.url)).all():
                seen = select(db.Page.url, db.Page.facts).where(db.Page.site_id == site_id,
                                                                  db.Page.last_scan_id == scan_id)
                home = session.execute(seen.where(db.Page.is_homepage.is_(True))).first()
                if home is None:
                    continue
                content = session.execute(seen.where(db.Page.published.is_not(None), db.Page.kind == "html")
                                          .order_by(db.Page.url).limit(sample)).all()
                columns = session.execute(seen.where(db.Page.column_url != "")
                                          .order_by(db.Page.url).limit(sample)).all()
                facts[name] = model.SiteFacts(
                    url, list((home.facts or {}).get("marks", [])),
                    [(u, list((f or {}).get("meta", []))) for u, f in content],
                    [(u, list((f or {}).get("meta", []))) for u, f in columns])
        return facts

    def pages_per_site(self) -> dict[str, int]:
        """Pages each site had in the newest finished full scan (empty before one): how much crawling a
        site takes, to spread the sites over crawl processes."""
        with self._sessions() as session:
            last = session.scalar(select(func.max(db.Scan.id)).where(db.Scan.kind == "full",
                                                                     db.Scan.status == "finished"))
            if last is None:
                return {}
            rows = session.execute(select(db.Site.name, func.count(db.Page.id))
                                   .join(db.Page, db.Page.site_id == db.Site.id)
                                   .where(db.Page.last_scan_id == last).group_by(db.Site.name)).all()
        return {name: count for name, count in rows}

    def has_full_scan(self) -> bool:
        """Whether a full scan ever finished here: the baseline an incremental scan builds on."""
        with self._sessions() as session:
            return session.scalar(select(exists().where(db.Scan.kind == "full", db.Scan.status == "finished")))

    def known_estate(self, list_pages: int, recheck_after: timedelta) -> KnownEstate:
        """What an incremental scan starts from: the pages to re-read (homepages, site maps and the
        `list_pages` + 1 pages of each column holding its newest items: its first page and the next
        ones, as lists are newest first), every other page known, the link targets alive within
        `recheck_after` and the dead ones."""
        cutoff = utcnow() - recheck_after
        known = KnownEstate()
        with self._sessions() as session:
            hubs = session.execute(select(db.Page.url, db.Page.etag, db.Page.last_modified, db.Page.body_hash)
                                   .where(db.Page.is_homepage.is_(True) | db.Page.is_sitemap.is_(True))).all()
            lists = session.execute(
                select(db.Page.column_url, db.Page.url, db.Page.etag, db.Page.last_modified, db.Page.body_hash)
                .where(db.Page.column_url != "", db.Page.kind == "html")
                .order_by(db.Page.column_url, db.Page.newest_item.desc().nulls_last(), db.Page.url)).all()
            taken: Counter[str] = Counter()
            reread = {url: (url, etag, modified, body) for url, etag, modified, body in hubs}
            for column, url, etag, modified, body in lists:
                # A data-proxy reply (Hanweb jpage) is no page to re-read: its column's page is.
                if taken[column] <= list_pages and "startrecord=" not in url:
                    taken[column] += 1
                    reread.setdefault(url, (url, etag, modified, body))
            known.reread = list(reread.values())
            known.known = [url for url in session.scalars(select(db.Page.url).execution_options(yield_per=2000))
                           if url not in reread]
            known.fresh = list(session.scalars(select(db.LinkTarget.url).where(
                db.LinkTarget.ok.is_(True), db.LinkTarget.checked_at >= cutoff)))
            known.dead = list(session.scalars(select(db.LinkTarget.url).where(
                db.LinkTarget.ok.is_(False), exists().where(db.PageLink.url == db.LinkTarget.url))))
        return known

    def latest_scan_id(self) -> int | None:
        """The newest full scan that is not running: what `assess` judges."""
        with self._sessions() as session:
            return session.scalar(select(func.max(db.Scan.id)).where(db.Scan.status != "running",
                                                                     db.Scan.kind == "full"))

    def superior_items(self, scan_id: int, name: str) -> list[model.ListItem]:
        """The items this scan saw on the superior list `name`."""
        query = (select(db.SuperiorItem.title, db.SuperiorItem.url, db.SuperiorItem.date)
                 .where(db.SuperiorItem.name == name, db.SuperiorItem.last_scan_id == scan_id)
                 .order_by(db.SuperiorItem.date.desc(), db.SuperiorItem.url))
        with self._sessions() as session:
            return [model.ListItem(*row) for row in session.execute(query).all()]

    def column_titles(self, column_url: str) -> list[str]:
        """Every item title the column's list pages show, as last crawled."""
        query = (select(db.ListEntry.title).join(db.Page, db.Page.id == db.ListEntry.page_id)
                 .where(db.Page.column_url == column_url))
        with self._sessions() as session:
            return list(session.scalars(query).all())

    def interpretations(self, scan_id: int, *, latest: bool = False) -> list[model.Interpretation]:
        """The 政策解读 pages this scan checked (`latest`: every one stored) that name or link their documents."""
        seen = true() if latest else db.Page.last_scan_id == scan_id
        query = (select(db.Page.url, db.Site.name, db.Site.unit, db.Page.title, db.Page.column, db.Page.facts)
                 .join(db.Site, db.Site.id == db.Page.site_id)
                 .where(seen, db.Page.published.is_not(None),
                        db.Page.title.contains("解读") | db.Page.column.contains("解读")
                        | db.Page.title.contains("答记者问") | db.Page.title.contains("图解"))
                 .order_by(db.Page.url))
        with self._sessions() as session:
            return [model.Interpretation(url, site, unit, title, column, list(facts.get("cited", [])),
                                         list(facts.get("cited_links", [])))
                    for url, site, unit, title, column, facts in session.execute(query)
                    if facts and (facts.get("cited") or facts.get("cited_links"))]

    def article_titles(self, scan_id: int, *, latest: bool = False) -> Iterator[tuple[str, str]]:
        """(url, title) of every dated HTML page this scan checked (`latest`: every one stored), streamed."""
        seen = true() if latest else db.Page.last_scan_id == scan_id
        query = (select(db.Page.url, db.Page.title)
                 .where(seen, db.Page.published.is_not(None), db.Page.kind == "html"))
        with self._sessions() as session:
            for url, title in session.execute(query.execution_options(yield_per=2000)):
                yield url, title

    def links_between(self, sources: set[str], targets: set[str]) -> set[tuple[str, str]]:
        """The stored links (source page, target) from any of `sources` to any of `targets`. Looked up
        by target (the links' URL index): a page links to a hundred others, navigation and all, but
        few pages link to a given document (0.157 → 0.023 s both ways for 1,637 interpretations)."""
        found: set[tuple[str, str]] = set()
        wanted = sorted(targets)
        with self._sessions() as session:
            for i in range(0, len(wanted), 500):
                query = (select(db.Page.url, db.PageLink.url).join(db.Page, db.PageLink.page_id == db.Page.id)
                         .where(db.PageLink.url.in_(wanted[i:i + 500])))
                found |= {(source, target) for source, target in session.execute(query) if source in sources}
        return found

    def availability(self, days: int) -> list[model.Availability]:
        """Each site's homepage probes over the last `days` days (sites never probed are left out)."""
        failed = func.sum(case((db.Probe.ok.is_(False), 1), else_=0))
        query = (select(db.Site.name, db.Site.url, db.Site.unit, func.count(db.Probe.id), failed)
                 .join(db.Probe, db.Probe.site_id == db.Site.id)
                 .where(db.Probe.probed_at >= utcnow() - timedelta(days=days))
                 .group_by(db.Site.id, db.Site.name, db.Site.url, db.Site.unit).order_by(db.Site.name))
        with self._sessions() as session:
            return [model.Availability(name, url, unit, probes, int(failures or 0))
                    for name, url, unit, probes, failures in session.execute(query).all()]

    def site_checks(self, scan_id: int) -> list[model.SiteStatus]:
        query = (select(db.Site.name, db.Site.url, db.Site.unit, db.SiteCheck.ok, db.SiteCheck.reason)
                 .join(db.Site, db.Site.id == db.SiteCheck.site_id)
                 .where(db.SiteCheck.scan_id == scan_id).order_by(db.Site.name))
        with self._sessions() as session:
            return [model.SiteStatus(*row) for row in session.execute(query).all()]

    def broken_links(self, scan_id: int) -> Iterator[model.BrokenLink]:
        """Each target this scan found dead, per site of the pages (checked this scan) that refer to it.

        Streamed in (target, site) order, so memory stays flat however large the estate.
        """
        query = (
            select(db.LinkTarget.url, db.LinkTarget.status, db.LinkTarget.reason, db.Site.name,
                   db.Site.unit, db.Page.url, db.Page.column, db.Page.is_homepage)
            .join(db.PageLink, db.PageLink.url == db.LinkTarget.url)
            .join(db.Page, db.Page.id == db.PageLink.page_id)
            .join(db.Site, db.Site.id == db.Page.site_id)
            # `+ 0`: SQLite would otherwise drive the join from the pages of the scan (its index on
            # last_scan_id), probing every page against every dead target: 0.65 s on 10k pages.
            .where(db.LinkTarget.ok.is_(False), db.LinkTarget.last_scan_id == scan_id,
                   db.Page.last_scan_id + 0 == scan_id)
            .order_by(db.LinkTarget.url, db.Site.name, db.Page.is_homepage.desc(), db.Page.url)
        )
        current: model.BrokenLink | None = None
        with self._sessions() as session:
            for target, status, reason, site, unit, page_url, column, homepage in \
                    session.execute(query.execution_options(yield_per=500)):
                if current is None or (current.status.url, current.site) != (target, site):
                    if current is not None:
                        yield current
                    current = model.BrokenLink(model.LinkStatus(target, False, status, reason), site, unit)
                current.count += 1
                current.on_homepage = current.on_homepage or homepage
                if len(current.referrers) < model.BrokenLink.SAMPLE:
                    current.referrers.append(page_url)
                    current.columns.append(column)
        if current is not None:
            yield current

    def findings_by_fingerprint(self, fingerprints: Iterable[str]) -> dict[str, model.Finding]:
        wanted = list(dict.fromkeys(fingerprints))
        found: dict[str, model.Finding] = {}
        with self._sessions() as session:
            names = {v: k for k, v in self._site_names(session).items()}
            for i in range(0, len(wanted), 500):
                for row in session.scalars(select(db.Finding).where(db.Finding.fingerprint.in_(wanted[i:i + 500]))):
                    found[row.fingerprint] = self._to_model(row, names)
        return found

    def findings(self, *, scan_id: int | None = None) -> list[model.Finding]:
        """Stored findings, most serious first; with `scan_id`, only those that scan saw."""
        return sorted(self.iter_findings(scan_id=scan_id), key=lambda f: model.severity_rank(f.severity))

    def iter_findings(self, *, scan_id: int | None = None) -> Iterator[model.Finding]:
        """Stored findings in storage order, streamed (for JSON output of a large scan)."""
        query = (select(db.Finding, db.Page.title).outerjoin(db.Page, db.Page.url == db.Finding.url)
                 .order_by(db.Finding.id))
        if scan_id is not None:
            query = query.where(db.Finding.last_scan_id == scan_id)
        with self._sessions() as session:
            names = {v: k for k, v in self._site_names(session).items()}
            for row, title in session.execute(query.execution_options(yield_per=500)):
                finding = self._to_model(row, names)
                finding.title = title or ""
                yield finding

    def link_status(self, url: str) -> model.LinkStatus | None:
        with self._sessions() as session:
            row = session.scalar(select(db.LinkTarget).where(db.LinkTarget.url == url))
        return model.LinkStatus(row.url, row.ok, row.status, row.reason) if row else None

    def count_findings(self, scan_id: int) -> int:
        try:
            with self._sessions() as session:
                return session.scalar(select(func.count()).select_from(db.Finding)
                                      .where(db.Finding.last_scan_id == scan_id)) or 0
        except SQLAlchemyError as exc:  # read while closing a scan: the database may be what ended it
            raise StoreError(f"数据库读取失败：{describe_db_error(exc)}") from None

    # -- helpers --------------------------------------------------------------------------------

    def _upsert(self, entity: Any) -> Any:
        """An INSERT that can take ON CONFLICT DO UPDATE, in this database's dialect."""
        return (postgresql if self.engine.dialect.name == "postgresql" else sqlite).insert(entity)

    def reading(self) -> Session:
        """A session for reading, for the services that stand on the store (tickets, users)."""
        return self._sessions()

    def writing(self) -> Any:
        """A write transaction for the services that stand on the store; errors come out as StoreError."""
        return self._write()

    def _write(self) -> Any:
        """A write transaction whose database errors come out as StoreError in Chinese."""
        return _WriteTransaction(self._sessions)

    def _write_retrying(self, work: Callable[[Session], T]) -> T:
        """`work` in a write transaction, run again when it lost a race with another writer.

        The workers of a distributed scan store pages at once: two may insert the same page URL
        (two addresses redirecting to one page) or finding fingerprint, and PostgreSQL may break a
        deadlock between them. The loser's transaction is rolled back whole and run again, and then
        finds the winner's row and updates it.
        """
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._sessions.begin() as session:
                    return work(session)
            except SQLAlchemyError as exc:
                if attempt + 1 == WRITE_ATTEMPTS or not _lost_race(exc):
                    raise StoreError(f"数据库写入失败：{describe_db_error(exc)}") from None
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

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
            context=row.context, first_seen=aware(row.first_seen), last_seen=aware(row.last_seen),
            details=dict(row.details or {}), fingerprint=row.fingerprint,
        )


class _WriteTransaction:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._context = sessions.begin()

    def __enter__(self) -> Session:
        try:
            return self._context.__enter__()
        except SQLAlchemyError as exc:
            raise StoreError(f"数据库写入失败：{describe_db_error(exc)}") from None

    def __exit__(self, *exc_info: Any) -> None:
        try:
            self._context.__exit__(*exc_info)
        except SQLAlchemyError as exc:
            raise StoreError(f"数据库写入失败：{describe_db_error(exc)}") from None
        if isinstance(exc_info[1], SQLAlchemyError):
            raise StoreError(f"数据库写入失败：{describe_db_error(exc_info[1])}") from None


def _scan_record(row: db.Scan) -> ScanRecord:
    return ScanRecord(row.id, row.status, aware(row.started_at),
                      aware(row.finished_at) if row.finished_at else None, row.pages, row.links_checked,
                      row.findings, row.error, dict(row.limits or {}), row.kind, row.restarts or 0,
                      list(row.quarantined or []))


def _lost_race(exc: SQLAlchemyError) -> bool:
    """A unique key another writer took first, or a deadlock or serialization failure (PostgreSQL)."""
    if isinstance(exc, IntegrityError):
        return True
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in ("40P01", "40001")


SITEMAP_SECTIONS = 3000  # column links of one 网站地图 kept with their section at most


IN_CHUNK = 500  # values of one IN (…): well below any database's limit on bound parameters


def in_chunks(values: list[Any]) -> Iterator[list[Any]]:
    """`values` a few hundred at a time, for IN (…) lists."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start:start + IN_CHUNK]


def _page_facts(page: model.Page) -> dict[str, Any]:
    """What later readers need of a page beyond its row: the guideline metas and site marks (assess),
    its breadcrumb and pager (its column's context), a 政策解读's cited documents, a site map's sections."""
    facts: dict[str, Any] = {"meta": sorted(name for name in model.GUIDELINE_META if page.meta.get(name)),
                             "marks": page.site_marks}
    if page.column_url:
        facts.update(crumbs=page.breadcrumb[:12], pager=page.pager, list_pages=page.list_pages,
                     list_page=page.list_page)
    if page.cited or page.cited_links:
        facts.update(cited=page.cited[:20], cited_links=page.cited_links[:20])
    if page.sections:
        facts["sections"] = dict(list(page.sections.items())[:SITEMAP_SECTIONS])
    return facts


def _column_context(pages: Iterable[Any], names: dict[tuple[int, str], str],
                    sections: dict[tuple[int, str], str]) -> dict[str, dict[str, Any]]:
    """Per column (its first page's URL): its breadcrumb, pager, whether its first page was read, its
    parent column's name (the nearest column above it by URL) and its 网站地图 section."""
    context: dict[str, dict[str, Any]] = {}
    for site_id, url, facts in pages:
        facts = facts or {}
        entry = context.setdefault(url, {"site": site_id, "crumbs": [], "pages": 0, "pager": "", "first_page": False})
        first = int(facts.get("list_page", 1) or 1) <= 1
        if not entry["first_page"] and (first or not entry["crumbs"]):  # the first page's breadcrumb wins
            entry["crumbs"] = list(facts.get("crumbs", []))
        entry["first_page"] = entry["first_page"] or first
        entry["pages"] = max(entry["pages"], int(facts.get("list_pages", 0) or 0))
        entry["pager"] = entry["pager"] or facts.get("pager", "")
    for url, entry in context.items():
        site_id = entry.pop("site")
        entry["parent"] = _parent_name(site_id, url, names)
        entry["section"] = sections.get((site_id, url), "")
    return context


def _parent_name(site_id: int, url: str, names: dict[tuple[int, str], str]) -> str:
    """The name of the nearest named column whose folder holds `url` (/ghxx/ for /ghxx/gzjz/)."""
    head, _, path = url.partition("://")
    host, _, path = path.partition("/")
    parts = [p for p in path.split("?")[0].split("/") if p]
    if not url.endswith("/") and parts:
        parts.pop()  # a file: its own folder may be a column above it
    for depth in range(len(parts) - (1 if url.endswith("/") else 0), 0, -1):
        name = names.get((site_id, f"{head}://{host}/{'/'.join(parts[:depth])}/"))
        if name:
            return name
    return ""


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _is_stale(lock: db.ScanLock, now: datetime) -> bool:
    """A holder on this machine is alive while its pid is; elsewhere, while it keeps beating."""
    if lock.host == socket.gethostname():
        return not _pid_alive(lock.pid)
    return now - aware(lock.heartbeat_at) > LOCK_STALE_AFTER


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL and a busy timeout, so a CLI read never fails while the daemon writes. With WAL, `synchronous
    = NORMAL` keeps the database consistent through a crash and skips an fsync on every page's commit
    (a power cut may lose the last pages stored, which the next scan stores again)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparseable URL is shown as given: it holds no parsed password
        return url


@dataclass
class KnownEstate:
    """What the store knows for an incremental scan; see `Store.known_estate`. Rereads are
    (url, etag, last_modified, body_hash)."""

    reread: list[tuple[str, str, str, str]] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)


@dataclass
class ScanEstate:
    """The estate as one scan left it in the store: what estate checks read (detector.EstateView).

    `latest`: the scan re-read only part of the estate (incremental), so a homepage that is only a
    navigation entry is judged by the pages below it as last checked, not only as this scan saw them.
    """

    store: Store
    scan_id: int
    latest: bool = False

    def site_checks(self) -> list[model.SiteStatus]:
        return self.store.site_checks(self.scan_id)

    def broken_links(self) -> Iterator[model.BrokenLink]:
        return self.store.broken_links(self.scan_id)

    def availability(self, days: int) -> list[model.Availability]:
        return self.store.availability(days)

    def columns(self) -> Iterator[model.Column]:
        return self.store.columns(self.scan_id)

    def superior_items(self, name: str) -> list[model.ListItem]:
        return self.store.superior_items(self.scan_id, name)

    def column_titles(self, column_url: str) -> list[str]:
        return self.store.column_titles(column_url)

    def homepages(self) -> list[model.Homepage]:
        return self.store.homepages(self.scan_id, latest=self.latest)

    def interpretations(self) -> list[model.Interpretation]:
        return self.store.interpretations(self.scan_id, latest=self.latest)

    def article_titles(self) -> Iterator[tuple[str, str]]:
        return self.store.article_titles(self.scan_id, latest=self.latest)

    def links_between(self, sources: set[str], targets: set[str]) -> set[tuple[str, str]]:
        return self.store.links_between(sources, targets)
