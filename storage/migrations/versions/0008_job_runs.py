"""The daemon's job runs (for `status` and the digest), and the kind of each scan (full or repost).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job", sa.String(40), nullable=False, index=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("ok", sa.Boolean),
        sa.Column("error", sa.Text, nullable=False),
    )
    op.add_column("scans", sa.Column("kind", sa.String(20), nullable=False, server_default="full"))


def downgrade() -> None:
    op.drop_table("job_runs")
    with op.batch_alter_table("scans") as scans:
        scans.drop_column("kind")
