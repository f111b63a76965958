"""Alembic migrations of the store. `storage.migrate.upgrade` runs them on start."""
