"""Columns: which list pages make up a column, the columns themselves and their history per scan.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pages", sa.Column("column_url", sa.String(2000), nullable=False, server_default=""))
    op.add_column("pages", sa.Column("empty_notice", sa.String(100), nullable=False, server_default=""))
    op.create_index("ix_pages_column_url", "pages", ["column_url"])
    op.create_table(
        "columns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False, unique=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False),
    )
    op.create_table(
        "column_history",
        sa.Column("column_id", sa.Integer, sa.ForeignKey("columns.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), primary_key=True),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("newest", sa.Date),
        sa.Column("empty_notice", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("column_history")
    op.drop_table("columns")
    op.drop_index("ix_pages_column_url", "pages")
    with op.batch_alter_table("pages") as pages:
        pages.drop_column("empty_notice")
        pages.drop_column("column_url")
