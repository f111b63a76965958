"""An index for the dead-link query: the targets one scan found dead, without scanning them all.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_link_targets_scan_ok", "link_targets", ["last_scan_id", "ok"])


def downgrade() -> None:
    op.drop_index("ix_link_targets_scan_ok", "link_targets")
