"""How often Python's cycle collector runs in a crawl process: less often than by default.

CPython collects its youngest generation every 700 net allocations of objects that can hold others,
and the older ones every tenth collection of the one below, the oldest walking everything alive
(Scrapy, Twisted, the frontier: some 60 ms a time). A crawl allocates millions of such objects, a
response's worth at a time, and frees nearly all of them by their reference counts, not as cycles:
on the static 10k site the collector ran some 2,400 times in the crawl process, for 1.6 s of its
17–20 s of CPU (BENCHMARKS.md). Every `YOUNG` allocations instead, it runs a fourteenth as often, for
0.1 s, and the process's peak memory stays where it was from 1,000 to 50,000 pages. The scan's own
process keeps CPython's default: its page checks leave more cycles, and with this setting its peak
memory at 50,000 pages rose from 270 to 399 MB.
"""

from __future__ import annotations

import gc

YOUNG = 10_000  # net allocations between collections of the youngest generation (CPython: 700)


def collect_less_often() -> None:
    """Collect the youngest generation every `YOUNG` allocations; the older generations keep their
    ratios to it (and so run as much less often). Never lowers a threshold set higher already."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG), middle, old)
