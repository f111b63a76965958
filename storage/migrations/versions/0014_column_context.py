"""Column context per scan: the pager (family, page count, whether the first page was seen), the
breadcrumb, the parent column and the 网站地图 section a column's category is read from.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("column_history", sa.Column("facts", sa.JSON, nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("column_history") as history:
        history.drop_column("facts")
