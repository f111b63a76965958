"""The schema as it was before migrations existed: sites, scans, pages, findings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("parent", sa.String(200), nullable=False),
    )
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("finished_at", UTC_DATETIME),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("pages_failed", sa.Integer, nullable=False),
        sa.Column("links_checked", sa.Integer, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
    )
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2000), nullable=False, unique=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("column", sa.String(500), nullable=False),
        sa.Column("published", sa.Date),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("list_items", sa.Integer, nullable=False),
        sa.Column("newest_item", sa.Date),
        sa.Column("is_homepage", sa.Boolean, nullable=False),
        sa.Column("is_sitemap", sa.Boolean, nullable=False),
        sa.Column("first_seen", UTC_DATETIME, nullable=False),
        sa.Column("last_seen", UTC_DATETIME, nullable=False),
        sa.Column("last_scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id")),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("column", sa.String(500), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("suggestion", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("first_seen", UTC_DATETIME, nullable=False),
        sa.Column("last_seen", UTC_DATETIME, nullable=False),
        sa.Column("last_scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False),
        sa.UniqueConstraint("fingerprint"),
    )
    op.create_index("ix_findings_kind", "findings", ["kind"])
    op.create_index("ix_findings_last_scan_id", "findings", ["last_scan_id"])


def downgrade() -> None:
    for table in ("findings", "pages", "scans", "sites"):
        op.drop_table(table)
