"""The finding store (SQLAlchemy): SQLite by default, PostgreSQL in production."""

from .store import Store, StoreError

__all__ = ["Store", "StoreError"]
