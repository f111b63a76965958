"""Alembic environment: migrations run on the connection that `storage.migrate` hands over."""

from alembic import context

from storage.models import Base

connection = context.config.attributes["connection"]
# Batch mode: SQLite cannot ALTER most things in place, so Alembic rebuilds the table instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
