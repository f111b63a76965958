"""A full scan's crawl spread over several processes, one core each, with one stream of events.

One crawl process uses one core (Scrapy's reactor and our per-page work share its GIL); a county estate
is 20–80 sites. The sites are spread over `crawl.processes` supervised crawls (`crawler.supervisor`):
the biggest first, each to the part with the least pages so far (by the page counts of the last scan,
which the scan service passes), so a big site ends up alone and small ones together. Every part knows
every site: a link from one part's page to another part's site is handed over (a journal `H` line, see
`crawler.journal`) and crawled by the part that owns the site, as that site's page — never by two
processes, so a page is stored once and judged the same whoever found it first. A part sees only the
handoffs of parts that are running, through their journals on disk; a part that has finished is given
what was handed to it since in a new process of its own, until no part has anything left.

Link targets outside the estate may be checked by more than one part; only the first outcome is passed
on, so each target still has exactly one per scan. `crawl.max_pages` is shared out between the parts by
their expected pages. The parts' events are merged here and the last event is one DoneEvent for all.
"""

from __future__ import annotations

import json
import math
import os
import queue
import threading
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator, Union

from core import events

from .plan import CrawlPlan, PlanPart, PlanSite
from .process import CrawlError
from .supervisor import Quarantined, SupervisedCrawl

POLL_SECONDS = 2.0  # how often finished parts look for links handed to them while others still run
QUEUE_EVENTS = 1000  # events read ahead of the checking side; a full queue holds the crawls back


def processes_for(plan: CrawlPlan) -> int:
    """How many crawl processes a plan's crawl takes: `crawl.processes` (0: one per core), at most one
    per site, and one for anything but a local full scan."""
    if plan.cluster is not None or plan.incremental is not None or not plan.following:
        return 1
    wanted = plan.crawl.processes or os.cpu_count() or 1
    return max(1, min(wanted, len(plan.sites)))


def spread(sites: list[PlanSite], weights: dict[str, int], parts: int) -> list[tuple[list[str], float]]:
    """Site names per part with the pages they are expected to take: the heaviest site first, each to
    the lightest part. A site the last scan did not see weighs as much as the average one it did."""
    known = [weights[s.name] for s in sites if weights.get(s.name)]
    average = sum(known) / len(known) if known else 1.0
    weight = {s.name: float(weights.get(s.name) or average) for s in sites}
    loads: list[float] = [0.0] * parts
    groups: list[list[str]] = [[] for _ in range(parts)]
    for site in sorted(sites, key=lambda s: -weight[s.name]):
        lightest = loads.index(min(loads))
        groups[lightest].append(site.name)
        loads[lightest] += weight[site.name]
    return [(group, load) for group, load in zip(groups, loads) if group]


def open_crawl(plan: CrawlPlan, log_path: Path | None = None,
               weights: dict[str, int] | None = None) -> Union[SupervisedCrawl, SpreadCrawl]:
    """The crawl of a plan: one supervised crawl process, or several with the sites spread over them."""
    parts = processes_for(plan)
    if parts == 1:
        return SupervisedCrawl(plan, log_path)
    return SpreadCrawl(plan, spread(plan.sites, weights or {}, parts), log_path)


_Message = tuple[str, int, Any]  # ("event", part, event) or ("ended", part, the exception or None)


class SpreadCrawl:
    """One crawl over several supervised crawl processes. Use as a context manager."""

    def __init__(self, plan: CrawlPlan, groups: list[tuple[list[str], float]], log_path: Path | None = None) -> None:
        """`groups`: the site names of each part and the pages they are expected to take (`spread`)."""
        if log_path is not None:
            log_path.write_bytes(b"")  # one log for every part, each appending
        total = sum(load for _, load in groups)
        self.owner = {name: i for i, (names, _) in enumerate(groups) for name in names}
        self.parts = [SupervisedCrawl(replace(plan, part=PlanPart(i, names), crawl=replace(
            plan.crawl, max_pages=max(1, math.ceil(plan.crawl.max_pages * load / total)))),
            log_path, append_log=True) for i, (names, load) in enumerate(groups)]
        self.stopping = False
        self._closing = False
        self._queue: queue.Queue[_Message] = queue.Queue(maxsize=QUEUE_EVENTS)
        self._links: set[int] = set()  # hashes of the targets whose outcome was passed on
        self._pending = [0] * len(self.parts)

    def __enter__(self) -> SpreadCrawl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def restarts(self) -> int:
        return sum(part.restarts for part in self.parts)

    @property
    def quarantined(self) -> list[Quarantined]:
        return [q for part in self.parts for q in part.quarantined]

    def events(self) -> Iterator[events.Event]:
        """Every part's events as they come, then one DoneEvent; CrawlError when a part's crawl died
        past its restarts (the other parts are stopped first)."""
        running: set[int] = set()
        finished: dict[int, events.DoneEvent] = {}
        handed = _Handoffs(self)
        failure: BaseException | None = None
        for i in range(len(self.parts)):
            self._pump(i, running)
        polled = time.monotonic()
        while running:
            if time.monotonic() - polled >= POLL_SECONDS:
                self._carry_on(handed, running, finished)
                polled = time.monotonic()
            try:
                kind, i, payload = self._queue.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            if kind == "event":
                if isinstance(payload, events.DoneEvent):
                    finished[i] = payload
                elif self._first(i, payload):
                    yield payload
                continue
            running.discard(i)
            if payload is not None:
                failure = failure or payload
                self.stop(self.parts[0].plan.crawl.timeout + 5)
            self._carry_on(handed, running, finished)
        if failure is not None:
            raise failure
        yield self._done(finished)

    def _first(self, part: int, event: events.Event) -> bool:
        if isinstance(event, events.LinkEvent):
            key = hash(event.status.url)
            if key in self._links:
                return False
            self._links.add(key)
        elif isinstance(event, events.PageEvent):
            self._pending[part] = event.pending
            event.pending = sum(self._pending)
        return True

    def _carry_on(self, handed: _Handoffs, running: set[int], finished: dict[int, events.DoneEvent]) -> None:
        """Give parts that finished what was handed to them since, in a new process each."""
        if self.stopping:
            return
        for i, links in handed.new().items():
            if links and i not in running and i in finished and finished[i].reason == "finished":
                del finished[i]
                self.parts[i].carry_on(links)
                self._pump(i, running)
            elif links:
                handed.keep(i, links)

    def _done(self, finished: dict[int, events.DoneEvent]) -> events.DoneEvent:
        limits: defaultdict[str, int] = defaultdict(int)
        for done in finished.values():
            for bound, count in done.limits.items():
                limits[bound] += count
        reasons = [finished[i].reason if i in finished else "shutdown" for i in range(len(self.parts))]
        reason = next((r for r in reasons if r != "finished"), "finished")
        return events.DoneEvent(reason, dict(limits))

    def _pump(self, i: int, running: set[int]) -> None:
        running.add(i)
        threading.Thread(target=self._read, args=(i,), name=f"govwatch-crawl-part-{i}", daemon=True).start()

    def _read(self, i: int) -> None:
        """One part's events into the queue, then its end (with the CrawlError that ended it, if any)."""
        ended: BaseException | None = None
        try:
            for event in self.parts[i].events():
                if not self._put(("event", i, event)):
                    return
        except CrawlError as exc:
            ended = exc
        except BaseException as exc:  # noqa: BLE001 - handed to the consuming thread, which raises it
            ended = exc
        self._put(("ended", i, ended))

    def _put(self, message: _Message) -> bool:
        while not self._closing:
            try:
                self._queue.put(message, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def stop(self, grace: float) -> None:
        """Ask every part to stop; safe to call from a signal handler."""
        self.stopping = True
        for part in self.parts:
            part.stop(grace)

    def close(self) -> None:
        self._closing = True
        for part in self.parts:
            part.close()


class _Handoffs:
    """Links handed between parts, read from their journals as they grow, each delivered once."""

    def __init__(self, crawl: SpreadCrawl) -> None:
        self.crawl = crawl
        self._offsets: dict[Path, int] = {}
        self._delivered: set[str] = set()
        self._kept: defaultdict[int, list[list[Any]]] = defaultdict(list)

    def keep(self, part: int, links: list[list[Any]]) -> None:
        """Links for a part still running: delivered when it finishes."""
        self._kept[part] += links

    def new(self) -> dict[int, list[list[Any]]]:
        found, self._kept = self._kept, defaultdict(list)
        for part in self.crawl.parts:
            for path in part.journals:
                for link in self._read(path):
                    url, site = link[0], link[1]
                    if url not in self._delivered and site in self.crawl.owner:
                        self._delivered.add(url)
                        found[self.crawl.owner[site]].append(link)
        return found

    def _read(self, path: Path) -> list[list[Any]]:
        """The H lines written to `path` since the last read (whole lines only)."""
        offset = self._offsets.get(path, 0)
        try:
            with open(path, "rb") as f:
                f.seek(offset)
                data = f.read()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        self._offsets[path] = offset + end
        links = []
        for line in data[:end].splitlines():
            if line.startswith(b"H "):
                try:
                    links.append(json.loads(line[2:]))
                except ValueError:
                    continue
        return links
