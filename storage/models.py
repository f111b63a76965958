"""The finding store's tables: sites, scans, pages and findings (SQLAlchemy 2.0 typed models).

Pages are kept per URL (latest state) and findings per fingerprint, so later work — tickets that
close when a scan no longer sees their finding, incremental scans by content hash, column freshness —
reads the latest state without replaying history.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


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
    # running → finished | failed; a scan left `running` by a killed process is visibly unfinished.
    status: Mapped[str] = mapped_column(String(20), default="running")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    pages_failed: Mapped[int] = mapped_column(Integer, default=0)
    links_checked: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")


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
    last_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))

    site: Mapped[Site] = relationship()


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

    site: Mapped[Site | None] = relationship()
