"""Scans an outage cut: their database went away (or filled up) before they could be closed in it.

Such a scan's lock names this process, which lives on under `serve`, so it would never go stale and
every later scan would be refused. The scan service remembers it here; the next store opened on that
database in this process (the next job, once the database answers) closes it as failed and frees the
lock. A CLI scan's process ends instead, and its lock goes stale with it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from storage import ScanStats, Store, StoreError
from storage.times import utcnow

log = logging.getLogger(__name__)


@dataclass
class CutScan:
    database: str  # database.url
    token: str  # of the scan lock it holds
    scan_id: int | None  # None: the scan was never begun, only its lock taken
    stats: ScanStats = field(default_factory=ScanStats)
    error: str = ""
    limits: dict[str, int] = field(default_factory=dict)
    ended_at: datetime = field(default_factory=utcnow)


_cut: list[CutScan] = []
_lock = threading.Lock()


def remember(cut: CutScan) -> None:
    with _lock:
        _cut.append(cut)
    log.warning("scan %s cannot be closed while the database is away: it will be, once it is back",
                cut.scan_id or "(not begun)")


def close(store: Store, database: str) -> None:
    """Close the cut scans of `database` as failed and free their locks; stop at the first failure."""
    with _lock:
        for cut in [c for c in _cut if c.database == database]:
            try:
                if cut.scan_id is None:
                    store.release_lock(cut.token)
                else:
                    store.finish_scan(cut.scan_id, "failed", cut.stats, error=cut.error, limits=cut.limits,
                                      token=cut.token, finished_at=cut.ended_at)
            except StoreError as exc:
                log.warning("scan %s is still not closed: %s", cut.scan_id or "(not begun)", exc)
                return
            _cut.remove(cut)
            log.warning("scan %s, cut by a database outage, is now closed as failed and its lock freed",
                        cut.scan_id or "(not begun)")
