"""Fixed-content columns (概况, 政府信息公开指南 …): judged by their 年版 title, not by a list.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pages", sa.Column("fixed_content", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("column_history", sa.Column("fixed", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("column_history", sa.Column("title", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("column_history") as history:
        history.drop_column("title")
        history.drop_column("fixed")
    with op.batch_alter_table("pages") as pages:
        pages.drop_column("fixed_content")
