"""Page checks in checker processes of their own, so that checking is not bound to the scan's one core.

A scan with several crawl processes (crawler.spread) makes pages faster than one process can check
them: the page checks (detector.check_page, pure CPU) then go round checker processes, one fewer than
the crawl processes, and the scan's own process, which checks its share besides reading the crawl's
events and storing (a checker costs its start and each page's trip: the fewer, the less CPU). The store, the lock and the outcome stay
in the scan's process, and every event is taken there in the order it came, so progress, interruption,
counts and what is stored are those of checking in-process; a page's findings are the same wherever
it was checked. Until a checker has its context, and once one dies, its pages are checked in the scan's process.

Each checker is `python -m govwatch.checking`, in a session of its own (a terminal's Ctrl+C reaches
the scan alone, which stops the crawl once), given the detector's context once, pickled, then pages
one by one on a pipe; it says it is ready, then answers each page with its findings and the checks
that failed on it.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import Counter
from multiprocessing.connection import Connection
from typing import Iterable, Iterator, Union

from core.collector import SCAN_YOUNG, collect_less_often
from core.events import Event, PageEvent
from core.model import Finding, Page
from detector import Context, check_page

log = logging.getLogger(__name__)

IN_FLIGHT = 200  # events read ahead of the ones taken: bounds the pages held in the checkers' pipes
PUT_SECONDS = 0.5
READY = b"ready"

Checked = tuple[list[Finding], Counter[str]]  # a page's findings, and the checks that failed on it


def check(page: Page, ctx: Context) -> Checked:
    failures: Counter[str] = Counter()
    return check_page(page, ctx, failures), failures


class _Checker:
    """One checker process and its two pipes."""

    def __init__(self) -> None:
        to_child, self._to = _pipe()
        self._from, from_child = _pipe()
        try:
            self.child = subprocess.Popen(
                [sys.executable, "-m", "govwatch.checking", str(to_child.fileno()), str(from_child.fileno())],
                pass_fds=(to_child.fileno(), from_child.fileno()), stdin=subprocess.DEVNULL,
                start_new_session=True)
        finally:
            to_child.close()
            from_child.close()
        self.alive, self.ready = True, False

    def start(self, context: bytes) -> None:
        """Send the detector's context, without waiting for the checker to take it."""
        threading.Thread(target=self.send, args=(context,), name="govwatch-checker-start", daemon=True).start()

    def is_ready(self) -> bool:
        """Whether it has taken the context (it says so once, first thing on its answers' pipe)."""
        if not self.ready and self.alive:
            try:
                self.ready = self._from.poll() and self._from.recv_bytes() == READY
            except (EOFError, OSError):
                self.alive = False
        return self.ready and self.alive

    def send(self, data: bytes) -> None:
        if self.alive:
            try:
                self._to.send_bytes(data)
            except OSError:  # it died: its pages are checked by the scan's process
                self.alive = False

    def receive(self) -> Checked | None:
        """The next page's answer, or None once the checker is gone."""
        if self.alive:
            try:
                answer: Checked = pickle.loads(self._from.recv_bytes())
                return answer
            except (EOFError, OSError):
                self.alive = False
                log.warning("checker process %s ended (exit %s); its pages are checked in the scan's process",
                            self.child.pid, self.child.poll())
        return None

    def close(self) -> None:
        self._to.close()  # end of input: the checker exits
        try:
            self.child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.wait()
        self._from.close()


def _pipe() -> tuple[Connection, Connection]:
    """A one-way pipe as (reading end, writing end); a child is given its end by `pass_fds`."""
    read_fd, write_fd = os.pipe()
    return Connection(read_fd, writable=False), Connection(write_fd, readable=False)


_Item = Union[tuple[Event, Union[_Checker, None]], BaseException, None]  # an event and its checker; an end


class CheckerPool:
    """`processes` checker processes and the scan's own for one crawl's pages. Use as a context
    manager: started early, they load their code while the scan builds the detector's context."""

    def __init__(self, processes: int) -> None:
        self._checkers = [_Checker() for _ in range(processes)]
        self._next = 0
        self._closing = False

    def __enter__(self) -> CheckerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing = True
        for checker in self._checkers:
            checker.close()

    def checked(self, events: Iterable[Event], ctx: Context) -> Iterator[tuple[Event, Checked | None]]:
        """The events in their order, each page with its findings by `ctx` (other events with None).
        The events are read, and their pages sent to the checkers, by a thread of their own meanwhile;
        what ends the events (CrawlError …) is raised here after the events before it."""
        ahead: queue.Queue[_Item] = queue.Queue(maxsize=IN_FLIGHT)
        reader = threading.Thread(target=self._read, args=(events, ctx, ahead), name="govwatch-checking",
                                  daemon=True)
        reader.start()
        try:
            while True:
                item = ahead.get()
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                event, checker = item
                if not isinstance(event, PageEvent):
                    yield event, None
                elif checker is None:
                    yield event, check(event.page, ctx)
                else:
                    yield event, checker.receive() or check(event.page, ctx)
        finally:
            self._closing = True
            reader.join(timeout=PUT_SECONDS * 2)

    def _read(self, events: Iterable[Event], ctx: Context, ahead: queue.Queue[_Item]) -> None:
        end: _Item = None
        try:
            context = pickle.dumps(ctx, protocol=pickle.HIGHEST_PROTOCOL)
            for checker in self._checkers:
                checker.start(context)
            for event in events:
                checker = self._send(event.page) if isinstance(event, PageEvent) else None
                if not self._put(ahead, (event, checker)):
                    return
        except BaseException as exc:  # noqa: BLE001 - raised by the consuming thread, in its place
            end = exc
        self._put(ahead, end)

    def _send(self, page: Page) -> _Checker | None:
        """The page sent to the next checker ready (pages go round, so each checker's answers come
        in the order they are taken); None for the scan's own share, and while no checker is ready:
        the page is checked in the scan's process, as it is when its checker dies before answering."""
        while self._next < len(self._checkers):
            checker = self._checkers[self._next]
            self._next += 1
            if checker.is_ready():
                checker.send(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL))
                page.tree = None  # the checker parses its copy: events read ahead hold no trees
                return checker
        self._next = 0
        return None

    def _put(self, ahead: queue.Queue[_Item], item: _Item) -> bool:
        while not self._closing:
            try:
                ahead.put(item, timeout=PUT_SECONDS)
                return True
            except queue.Full:
                continue
        return False


def serve(read_fd: int, write_fd: int) -> None:
    """A checker process: the context, then pages until the scan closes the pipe."""
    collect_less_often(SCAN_YOUNG)
    pages, answers = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    try:
        ctx: Context = pickle.loads(pages.recv_bytes())
        if ctx.matcher is not None:
            ctx.matcher.prepare()  # jieba's dictionary, before the first page rather than with it
        answers.send_bytes(READY)
        while True:
            page: Page = pickle.loads(pages.recv_bytes())
            answers.send_bytes(pickle.dumps(check(page, ctx), protocol=pickle.HIGHEST_PROTOCOL))
    except EOFError:
        return


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    serve(int(sys.argv[1]), int(sys.argv[2]))
