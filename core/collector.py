"""How often Python's cycle collector runs in a scan's processes: less often than by default.

CPython collects its youngest generation every 700 net allocations of objects that can hold others,
and the older ones every tenth collection of the one below, the oldest walking everything alive
(Scrapy, Twisted, the word matcher, the store: 40–70 ms a time). A scan allocates millions of such
objects, a page's worth at a time, and frees nearly all of them by their reference counts, not as
cycles. On the static 10k site (BENCHMARKS.md) the collector ran some 2,400 times in the crawl
process, for 1.6–1.8 s of its 17–21 s of CPU, and 2,000 times in the scan's process, for 1.1 s.

- The crawl process (`crawler.worker`) collects every `CRAWL_YOUNG` allocations: 0.1 s, its peak
  memory unchanged from 1,000 to 50,000 pages.
- The scan's process (the `govwatch` command) and its checkers (`govwatch.checking`) every
  `SCAN_YOUNG`: 0.6 s. At `CRAWL_YOUNG` they would spend 0.3 s, but the scan's process then peaked at
  400 MB at 50,000 pages instead of 275 (three runs of four), for a reason not found.

A large structure read in at once (the kept word matcher, jieba's dictionary) is read with the
collector paused (`paused`): each collection during it would walk the half-built structure again.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

CRAWL_YOUNG = 10_000  # net allocations between collections of the youngest generation (CPython: 700)
SCAN_YOUNG = 2_000


def collect_less_often(young: int) -> None:
    """Collect the youngest generation every `young` allocations; the older generations keep their
    ratios to it (and so run as much less often). Never lowers a threshold set higher already."""
    current, middle, old = gc.get_threshold()
    gc.set_threshold(max(current, young), middle, old)


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside the block (the kept word matcher loads in 0.3 s instead of 0.45).
    For reading in data that holds no cycles to collect; the collector runs again after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
