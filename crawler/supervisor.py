"""The crawl of a plan, supervised: a crawl process that dies is started again where it stood.

The scan service asks for the crawl and gets its events and an outcome; how many processes it took is
decided here. A crawl process can die of things no limit caught (the kernel's OOM killer, a segfault in
a parser, kill -9, `crawl.max_memory_mb` enforced by `CrawlProcess`). Each one writes a journal into the
frontier folder (`crawler.journal`); after a death the next process is seeded from the journals with
every request made and not done, and claims every URL requested before, so nothing is lost and nothing
is fetched twice needlessly. "Done" is decided here, from the events that reached us: every request's
callback ends with its target's outcome (a LinkEvent, or a ListEvent for a superior list), so an outcome
received means the request's page, its new requests and its journal lines are all out. Events a retried
request sends a second time (its page came, its outcome did not) are dropped, so nothing is stored twice.

Requests in flight at a death are retried first, one at a time; a URL in flight at two deaths is
quarantined: an ErrorEvent names it (页面无法检查) and it is not requested again in this scan. After
`crawl.max_restarts` restarts, the next death fails the crawl (CrawlError), as any death did before.
The leading crawl of a distributed scan keeps its frontier in Redis: after its death, the requests it
held (its processing hash, see `crawler.distributed`) go back to the shared queue, but for those in
flight at two of its deaths, and a new process of the same member carries on. (They are retried
together there, with the other members' requests, not one at a time.)
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from core import events

from .frontier import ScanKeys, connect, requeue, taken
from .journal import PAGE_CALLBACKS, JournalState, journal_path, read_journals
from .plan import CrawlPlan, Resume
from .process import CrawlError, CrawlProcess

log = logging.getLogger(__name__)

QUARANTINE_DEATHS = 2  # deaths a URL may be in flight at before it is given up for the scan


@dataclass
class Quarantined:
    """A URL given up for this scan: crawl processes died twice while it was in flight."""

    url: str
    reason: str


class SupervisedCrawl:
    """One crawl of a plan, however many processes it takes. Use as a context manager."""

    def __init__(self, plan: CrawlPlan, log_path: Path | None = None, *, append_log: bool = False) -> None:
        self.plan, self.log_path, self._append_log = plan, log_path, append_log
        self.max_restarts = plan.crawl.max_restarts
        self.restarts = 0
        self.quarantined: list[Quarantined] = []
        self.stopping = False
        self._jobdir = tempfile.mkdtemp(prefix="govwatch-crawl-")
        self._generation = 1
        # Kept as hashes (a third of a URL's memory): targets whose outcome came, never requested again,
        # and pages, sites and errors received, not passed on twice.
        self._done: set[int] = set()
        self._received: set[int] = set()
        self._deaths: defaultdict[str, list[str]] = defaultdict(list)  # URL -> causes of deaths it was in flight at
        self._handoffs: list[list[Any]] = []  # links other crawl processes handed us (crawler.spread)
        self._current = self._start(plan)

    def __enter__(self) -> SupervisedCrawl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self, plan: CrawlPlan) -> CrawlProcess:
        return CrawlProcess(plan, self.log_path, jobdir=self._jobdir,
                            append_log=self._append_log or self._generation > 1, max_memory_mb=plan.crawl.max_memory_mb)

    @property
    def journals(self) -> list[Path]:
        """Every generation's journal, oldest first."""
        return [journal_path(self._jobdir, g) for g in range(1, self._generation + 1)]

    def carry_on(self, handoffs: list[list[Any]]) -> None:
        """After a crawl that finished: a new process for links to our sites that others found
        meanwhile (see crawler.spread); `events()` then gives its events. Not a restart."""
        self._handoffs += handoffs
        self._generation += 1
        self._current.close()
        resume = self._resume(read_journals(self.journals[:-1]), [], {q.url for q in self.quarantined})
        self._current = self._start(replace(self.plan, resume=resume))

    def events(self) -> Iterator[events.Event]:
        """The crawl's events until it ends; CrawlError once a death finds no restart left."""
        while True:
            try:
                for event in self._current.events():
                    if self._first(event):
                        yield event
                return
            except CrawlError as death:
                if self.stopping:
                    return
                if self.restarts >= self.max_restarts:
                    if self.restarts:
                        raise CrawlError(f"爬取进程已重启 {self.restarts} 次（crawl.max_restarts），再次{death}",
                                         death.cause) from None
                    raise
                yield from self._restart(death)
                if self.stopping:  # asked to stop while the dead process was replaced
                    return

    def stop(self, grace: float) -> None:
        """Ask the crawl to stop; safe to call from a signal handler (see CrawlProcess.stop)."""
        self.stopping = True
        self._current.stop(grace)

    def close(self) -> None:
        self._current.close()
        shutil.rmtree(self._jobdir, ignore_errors=True)

    # -- after a death --------------------------------------------------------------------------

    def _restart(self, death: CrawlError) -> Iterator[events.Event]:
        self._current.close()
        if self.plan.cluster is not None:
            yield from self._restart_in_redis(death)
            return
        state = read_journals(self.journals)
        # In flight: handed to the downloader, and its outcome not made. One whose outcome was made but
        # died with the process before reaching us is made again among the rest, not held a suspect.
        in_flight = [url for url in state.started if hash(url) not in self._done and url not in state.finished]
        yield from self._strike(in_flight, death.cause)
        given_up = {q.url for q in self.quarantined}
        self.restarts += 1
        self._generation += 1
        resume = self._resume(state, [url for url in in_flight if url not in given_up], given_up)
        self._announce(death, f"从磁盘上的队列重新启动（第 {self.restarts} 次，上限 crawl.max_restarts = "
                              f"{self.max_restarts}）：{len(resume.suspects)} 个进行中的请求先逐个重试，"
                              f"另有 {len(resume.pending)} 个待抓取")
        if not self.stopping:
            self._current = self._start(replace(self.plan, resume=resume))

    def _restart_in_redis(self, death: CrawlError) -> Iterator[events.Event]:
        """A distributed scan's crawl process: what it held goes back to the shared queue (those in
        flight at two of its deaths apart), and a new process of the same member carries on."""
        assert self.plan.cluster is not None
        # At once: a process that died because Redis stayed away cannot be restarted without it, and
        # waiting out another outage here would keep a failing scan running minutes longer.
        server = connect(self.plan.crawl.redis_url, self.plan.crawl.redis_outage_seconds, at_once=True)
        keys, member = ScanKeys(self.plan.cluster.key), self.plan.cluster.member
        held = taken(server, keys, member)
        yield from self._strike(list(dict.fromkeys(held.values())), death.cause)
        given_up = {q.url for q in self.quarantined}
        dropped = [token for token, url in held.items() if url in given_up]
        if dropped:
            server.hdel(keys.processing(member), *dropped)
        back = requeue(server, keys, member)
        self.restarts += 1
        self._generation += 1
        self._announce(death, f"重新启动（第 {self.restarts} 次，上限 crawl.max_restarts = {self.max_restarts}）："
                              f"{back} 个进行中的请求已交还 Redis 中的队列")
        if not self.stopping:
            self._current = self._start(self.plan)

    def _strike(self, in_flight: list[str], cause: str) -> Iterator[events.Event]:
        """Count a death against the URLs in flight; one in flight at two deaths is given up."""
        given_up = {q.url for q in self.quarantined}
        for url in in_flight:
            if url in given_up:
                continue
            self._deaths[url].append(cause)
            if len(self._deaths[url]) >= QUARANTINE_DEATHS:
                reason = f"爬取进程两次在抓取或处理该页面时终止（{'；'.join(self._deaths[url])}），本次扫描不再抓取"
                self.quarantined.append(Quarantined(url, reason))
                log.warning("quarantined %s: %s", url, reason)
                self._note_in_log(f"页面无法检查：{url}（{reason}）")
                yield events.ErrorEvent(url, f"页面无法检查：{reason}")

    def _announce(self, death: CrawlError, what: str) -> None:
        message = f"爬取进程异常退出（{death.cause}），{what}"
        log.warning("%s", message)
        self._note_in_log(message)

    def _resume(self, state: JournalState, suspects: list[str], given_up: set[str]) -> Resume:
        """What the next crawl process starts from: every URL requested before is claimed; the
        suspects first, then the other requests not done, in the order they were made."""
        retried = set(suspects)
        pending = [spec for url, spec in state.specs.items()
                   if hash(url) not in self._done and url not in given_up and url not in retried]
        pages = [url for url, spec in state.specs.items() if spec[2] in PAGE_CALLBACKS]
        variants = Counter(f"{parts.netloc}{parts.path}" for parts in map(urlsplit, pages) if parts.query)
        return Resume(self._generation, claimed=list(state.specs),
                      suspects=[state.specs[url] for url in suspects if url in state.specs],
                      pending=pending, pages=len(pages), variants=dict(variants), skipped=state.skipped,
                      bodies=state.bodies, handoffs=self._handoffs)

    def _first(self, event: events.Event) -> bool:
        """Notes what came; False for what a retried request sends a second time."""
        if isinstance(event, events.LinkEvent):
            self._done.add(hash(event.status.url))
            return True
        if isinstance(event, events.ListEvent):
            self._done.add(hash(event.url))
            return True
        if isinstance(event, events.PageEvent):
            key = hash(("page", event.page.url))
        elif isinstance(event, events.UnchangedEvent):
            key = hash(("page", event.url))
        elif isinstance(event, events.SiteEvent):
            key = hash(("site", event.status.name))
        elif isinstance(event, events.ErrorEvent):
            key = hash((event.url, event.message))
        else:
            return True
        if key in self._received:
            return not self.restarts  # before any death, a repeat is the crawl's own
        self._received.add(key)
        return True

    def _note_in_log(self, message: str) -> None:
        if self.log_path is not None:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(f"govwatch: {message}\n")
