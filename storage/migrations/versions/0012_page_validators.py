"""Page validators for incremental scans: the ETag, Last-Modified and body hash a page was last read with,
so a re-read can be a conditional request and an unchanged page is not checked again.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pages", sa.Column("etag", sa.String(200), nullable=False, server_default=""))
    op.add_column("pages", sa.Column("last_modified", sa.String(100), nullable=False, server_default=""))
    op.add_column("pages", sa.Column("body_hash", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("pages") as pages:
        pages.drop_column("body_hash")
        pages.drop_column("last_modified")
        pages.drop_column("etag")
