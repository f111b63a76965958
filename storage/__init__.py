"""The store: SQLite by default, PostgreSQL in production; migrated with Alembic on open."""

from .store import KnownEstate, ScanBusy, ScanEstate, ScanRecord, ScanStats, Store, StoreError

__all__ = ["KnownEstate", "ScanBusy", "ScanEstate", "ScanRecord", "ScanStats", "Store", "StoreError"]
