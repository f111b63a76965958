"""A crawl process's journal: what it queued and what it was fetching, for a restart after its death.

Scrapy's JOBDIR keeps the scheduler's queue on disk, but writes where the queue starts and ends only
when the crawl closes cleanly (`Scheduler.close` → `active.json`): after kill -9 or an OOM kill the
queue on disk cannot be read back. So the crawl also appends one line per request it makes, and one per
request it hands to the downloader, to `journal-<generation>` in its frontier folder; the parent
(`crawler.supervisor`) reads the journals after a death and seeds the next crawl process from them.

Lines, in the order written:
  Q <json spec>      a request the spider made (`request_spec`); a later spec of the same URL wins
                     (a HEAD that turned into a GET)
  S <url>            a request went to the downloader: in flight until its outcome reaches the parent
  O <url>            the request's outcome was made: its events are sent, or wait in this process to
                     be, so a death after it is not the request's doing (it is still made again if the
                     outcome never reached the parent, but not held as a suspect)
  B <json>           a page body judged: [site, digest hex, alive, url]
  K <json>           pages left out per bound so far, e.g. {"max_pages": 3}
  H <json>           a link to a page of a site another crawl process crawls, handed to it:
                     [url, site, tag, depth of the page it is on, that page's URL]

Cheap on purpose (the crawl's hot path is measured): Q, B and K lines wait in memory and are written
with one system call just before the next event goes to the parent, so a request's outcome never
reaches the parent before the requests its callback made are on disk. S and O lines are written at
once (a request in flight must be known even if the process dies a microsecond later, and so must one
that is no longer: a suspect retried alone is done when its O line is on disk). A process's death
loses nothing written: the kernel holds the file's pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

Spec = list[Any]  # [url, method, callback name, errback name, meta without target, headers]
PAGE_CALLBACKS = frozenset({"parse_page", "parse_list_proxy"})  # requests that count against max_pages
# Requests whose response is checked and followed no further: link checks and attachments.
LEAF_CALLBACKS = frozenset({"link_head", "link_get", "parse_attachment"})


def journal_path(folder: str | Path, generation: int) -> Path:
    return Path(folder) / f"journal-{generation}"


class Journal:
    """The writing side, in the crawl process; one per generation (crawl process) of a crawl."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._lines: list[bytes] = []
        self._skipped: dict[str, int] = {}
        self.awaited = ""  # a URL whose outcome the spider waits for (a suspect retried alone)

    def queued(self, url: str, method: str, callback: str, errback: str, meta: dict[str, Any],
               headers: dict[str, str]) -> None:
        self._lines.append(b"Q " + orjson.dumps([url, method, callback, errback, meta, headers]))

    def body(self, site: str, digest: bytes, url: str, alive: bool) -> None:
        self._lines.append(b"B " + orjson.dumps([site, digest.hex(), alive, url]))

    def handoff(self, url: str, site: str, tag: str, depth: int, referrer: str) -> None:
        self._lines.append(b"H " + orjson.dumps([url, site, tag, depth, referrer]))

    def started(self, url: str) -> None:
        os.write(self._fd, f"S {url}\n".encode("utf-8"))

    def flush(self, skipped: dict[str, int]) -> None:
        if skipped != self._skipped:
            self._skipped = dict(skipped)
            self._lines.append(b"K " + orjson.dumps(self._skipped))
        if self._lines:
            os.write(self._fd, b"\n".join(self._lines) + b"\n")
            self._lines.clear()

    def outcome(self, url: str) -> None:
        """The outcome of `url` is on its way to the parent."""
        os.write(self._fd, f"O {url}\n".encode("utf-8"))
        if url == self.awaited:
            self.awaited = ""

    def close(self) -> None:
        os.close(self._fd)


@dataclass
class JournalState:
    """What the journals of a crawl's dead processes say, read by the parent."""

    specs: dict[str, Spec] = field(default_factory=dict)  # every URL requested, in order, its latest spec
    started: list[str] = field(default_factory=list)  # URLs the last process handed to its downloader
    finished: set[str] = field(default_factory=set)  # of those, the ones whose outcome it made
    bodies: list[list[Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # as the last process counted them
    handoffs: list[list[Any]] = field(default_factory=list)  # links to other processes' sites


def read_journals(paths: list[Path]) -> JournalState:
    """Every generation's journal, oldest first. A line cut short by the death is skipped."""
    state = JournalState()
    for i, path in enumerate(paths):
        last = i == len(paths) - 1
        started: dict[str, None] = {}
        finished: set[str] = set()
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:  # the process died before it wrote anything
            continue
        for line in text.splitlines():
            kind, _, rest = line.partition(" ")
            try:
                if kind == "Q":
                    spec = orjson.loads(rest)
                    state.specs[spec[0]] = spec
                elif kind == "S" and last:
                    started[rest] = None
                    finished.discard(rest)
                elif kind == "O" and last:
                    finished.add(rest)
                elif kind == "B":
                    state.bodies.append(orjson.loads(rest))
                elif kind == "K":
                    state.skipped = orjson.loads(rest)
                elif kind == "H":
                    state.handoffs.append(orjson.loads(rest))
            except (ValueError, IndexError):
                continue
        if last:
            state.started, state.finished = list(started), finished
    return state
