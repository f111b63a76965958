"""Scan engine: honest scan statuses and the lock, the estate in the store, identity per kind.

Adds the store's own identity, scan limits and check errors, the scan lock, site checks per scan,
page→link edges, link outcomes and list items; recomputes every finding's fingerprint with the
identity of its kind (a dead link is one problem per site and target), merging findings that the
old identity had split.

Revision ID: 0002
Revises: 0001
"""

import uuid
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from core.model import Finding
from core.urls import netloc

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    info = op.create_table("store_info", sa.Column("id", sa.Integer, primary_key=True),
                           sa.Column("instance", sa.String(32), nullable=False))
    op.bulk_insert(info, [{"id": 1, "instance": uuid.uuid4().hex}])
    # Plain ADD COLUMN (SQLite has it for columns with a constant default): no table rebuild.
    op.add_column("scans", sa.Column("limits", sa.JSON, nullable=False, server_default=sa.text("'{}'")))
    op.add_column("scans", sa.Column("check_errors", sa.JSON, nullable=False, server_default=sa.text("'{}'")))
    op.add_column("scans", sa.Column("holder", sa.String(200), nullable=False, server_default=""))
    op.create_table(
        "scan_lock",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("scan_id", sa.Integer, nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("heartbeat_at", UTC_DATETIME, nullable=False),
    )
    op.create_table(
        "site_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False, index=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("checked_at", UTC_DATETIME, nullable=False),
    )
    op.create_index("ix_pages_last_scan_id", "pages", ["last_scan_id"])
    op.create_table(
        "page_links",
        sa.Column("page_id", sa.Integer, sa.ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("url", sa.String(2000), primary_key=True),
        sa.Column("tag", sa.String(20), nullable=False),
    )
    op.create_index("ix_page_links_url", "page_links", ["url"])
    op.create_table(
        "link_targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2000), nullable=False, unique=True),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("checked_at", UTC_DATETIME, nullable=False),
        sa.Column("last_scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False, index=True),
    )
    op.create_table(
        "list_items",
        sa.Column("page_id", sa.Integer, sa.ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.Date),
    )
    _reidentify_findings()


def _reidentify_findings() -> None:
    """New fingerprints for old findings; rows that now share one identity become one."""
    conn = op.get_bind()
    sites = dict(conn.execute(sa.text("SELECT id, name FROM sites")).all())
    site_netlocs = {}
    for name, url in conn.execute(sa.text("SELECT name, url FROM sites")).all():
        try:
            site_netlocs[netloc(url)] = name
        except ValueError:
            continue
    rows = conn.execute(sa.text(
        "SELECT id, kind, url, evidence, site_id, fingerprint, first_seen, last_seen FROM findings")).all()
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        finding = Finding(kind=row.kind, url=row.url, evidence=row.evidence, site=sites.get(row.site_id, ""))
        groups[finding.identify(site_netlocs)].append(row)
    for fingerprint, members in groups.items():
        members.sort(key=lambda r: str(r.last_seen))
        keep, merged = members[-1], members[:-1]
        for row in merged:
            conn.execute(sa.text("DELETE FROM findings WHERE id = :id"), {"id": row.id})
        first_seen = min((r.first_seen for r in members), key=str)
        conn.execute(sa.text("UPDATE findings SET fingerprint = :fp, first_seen = :first WHERE id = :id"),
                     {"fp": fingerprint, "first": first_seen, "id": keep.id})


def downgrade() -> None:
    for table in ("list_items", "link_targets", "page_links", "site_checks", "scan_lock", "store_info"):
        op.drop_table(table)
    op.drop_index("ix_pages_last_scan_id", "pages")
    with op.batch_alter_table("scans") as scans:
        for column in ("holder", "check_errors", "limits"):
            scans.drop_column(column)
