"""A supervised crawl: how many times a scan's crawl process was started again after it died, and the
URLs it gave up (in flight at two deaths), per scan.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN with a constant default: no table rebuild on SQLite.
    op.add_column("scans", sa.Column("restarts", sa.Integer, nullable=False, server_default="0"))
    op.add_column("scans", sa.Column("quarantined", sa.JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("scans") as scans:
        scans.drop_column("quarantined")
        scans.drop_column("restarts")
