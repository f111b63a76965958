"""Opening the store for any command, and the error a command reports when it cannot.

Apart from the scan service so that commands that only read or update the store (tickets, scans,
status, users …) start without loading the crawler and the detector.
"""

from __future__ import annotations

from core.config import Config
from govwatch import cut_scans
from storage import Store, StoreError


class ScanFailed(Exception):
    """A scan could not be run or finished; the message says why, in Chinese."""


class StoreProblem(ScanFailed):
    """The database cannot be opened or written."""


def open_store(config: Config) -> Store:
    """The store, and the scans an outage of it cut closed now that it answers again."""
    try:
        store = Store(config.database.url)
    except StoreError as exc:
        raise StoreProblem(str(exc)) from None
    cut_scans.close(store, config.database.url)
    return store
