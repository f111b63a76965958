"""The store: SQLite by default, PostgreSQL in production; migrated with Alembic on open."""

from .store import ScanBusy, ScanEstate, ScanRecord, ScanStats, Store, StoreError

__all__ = ["ScanBusy", "ScanEstate", "ScanRecord", "ScanStats", "Store", "StoreError"]
