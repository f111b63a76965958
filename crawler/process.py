"""Runs a crawl in a child process: its events as they arrive, and a way to stop it honestly.

The plan goes to the child on stdin, after where its frontier and log are (a child started early
learns them only then: crawler.launch), and its Scrapy log to a file, so nothing is left on disk by
a crawl that is killed (an unnamed temporary file is used when no log path is given). A page the
child sent with only what crawling needs is completed here, in the process that checks it: the
crawl process is what bounds a scan's speed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from typing import IO, Iterator

from core import events

from .extract import complete_read_page
from .launch import launch, take_spare
from .plan import CrawlPlan
from .readahead import ReadAhead


log = logging.getLogger(__name__)


class CrawlError(RuntimeError):
    """The crawl process died; the message carries the end of its log, `cause` what killed it."""

    def __init__(self, message: str, cause: str = "") -> None:
        super().__init__(message)
        self.cause = cause or message


MEMORY_POLL_SECONDS = 0.2


class CrawlProcess:
    """One crawl in its own process. Use as a context manager: leaving it always ends the child.

    `jobdir`: the frontier folder, when the caller owns it (a supervised crawl keeps it across the
    processes it starts); otherwise one is made here and removed at the end. `max_memory_mb`: the
    child is killed once its resident memory passes this (checked every 0.2 s).
    """

    def __init__(self, plan: CrawlPlan, log_path: Path | None = None, *, jobdir: str | None = None,
                 append_log: bool = False, max_memory_mb: int = 0) -> None:
        mode = "a+b" if append_log else "w+b"
        # Where the crawl keeps its frontier; ours to remove, however the child ends, unless given.
        self._own_jobdir = jobdir is None
        self._jobdir = jobdir or tempfile.mkdtemp(prefix="govwatch-crawl-")
        launched = take_spare()
        if launched is None:
            self._log: IO[bytes] = open(log_path, mode) if log_path else tempfile.TemporaryFile()
            launched, told_log = launch(self._log), ""
        else:  # started before the log was known: it writes there from now on
            self._log = open(log_path, mode) if log_path else launched.log
            if log_path:
                launched.log.close()
            told_log = os.path.abspath(log_path) if log_path else ""
        self._child = launched.child
        self._events = ReadAhead(launched.events_fd)
        where = json.dumps({"jobdir": self._jobdir, "log": told_log})
        # Written by a thread: the child reads it only once its imports are done (half a second), and
        # an incremental plan (every known URL) is larger than a pipe holds; meanwhile we get on.
        self._plan_writer = threading.Thread(target=self._send, args=(f"{where}\n{plan.to_json()}".encode("utf-8"),),
                                             name="govwatch-crawl-plan", daemon=True)
        self._plan_writer.start()
        self._today = plan.today
        self.stopping = False
        self._killer: threading.Timer | None = None
        self.over_memory = False
        self._max_memory_mb = max_memory_mb
        if max_memory_mb:
            threading.Thread(target=self._watch_memory, name="govwatch-crawl-memory", daemon=True).start()

    def _send(self, plan: bytes) -> None:
        assert self._child.stdin is not None
        try:
            self._child.stdin.write(plan)
            self._child.stdin.close()
        except (BrokenPipeError, ValueError):
            pass  # the child died at once (events() reports it with its log), or was closed meanwhile

    @property
    def pid(self) -> int:
        return self._child.pid

    def __enter__(self) -> CrawlProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def events(self) -> Iterator[events.Event]:
        """The crawl's events until it ends; CrawlError when it dies without being asked to stop."""
        # A line the process was killed while writing is not among them: its request is not done, and is retried.
        for line in self._events.lines():
            event = events.decode(line)
            if isinstance(event, events.PageEvent) and event.read_from:  # the crawl left the checks' part to us
                try:
                    complete_read_page(event.page, event.read_from, self._today)
                except Exception as exc:  # as a page the crawl cannot parse: named and counted, the scan goes on
                    log.exception("cannot parse %s", event.read_from)
                    event = events.ErrorEvent(event.read_from, f"页面解析失败：{exc}")
                else:
                    event.read_from = ""
            yield event
        code = self._child.wait()
        if code != 0 and not self.stopping:
            cause = (f"内存超过上限 crawl.max_memory_mb（{self._max_memory_mb} MB）" if self.over_memory
                     else f"被信号 {signal.Signals(-code).name} 终止" if code < 0 and -code in signal.valid_signals()
                     else f"退出代码 {code}")
            raise CrawlError(f"爬取进程异常退出（{cause}）：\n{self._tail()}", cause)

    def stop(self, grace: float) -> None:
        """Ask the crawl to stop (Scrapy finishes the requests in flight), and kill it after `grace` s.

        Safe to call from a signal handler: it only sends signals and starts a timer.
        """
        if self.stopping or self._child.poll() is not None:
            self.stopping = True
            return
        self.stopping = True
        self._child.send_signal(signal.SIGTERM)
        self._killer = threading.Timer(grace, self._kill)
        self._killer.daemon = True
        self._killer.start()

    def _kill(self) -> None:
        if self._child.poll() is None:
            self._child.kill()

    def _watch_memory(self) -> None:
        """Kill the child once its resident set passes the cap: a bomb no limit caught costs a
        restart (see crawler.supervisor), never the machine."""
        limit = self._max_memory_mb * 1024 * 1024
        page = os.sysconf("SC_PAGE_SIZE")
        statm = f"/proc/{self._child.pid}/statm"
        while self._child.poll() is None:
            try:
                with open(statm, "rb") as f:
                    resident = int(f.read().split()[1]) * page
            except (OSError, IndexError, ValueError):
                return  # the child is gone (or no /proc: the cap is not enforced here)
            if resident > limit:
                self.over_memory = True
                self._kill()
                return
            time.sleep(MEMORY_POLL_SECONDS)

    def close(self) -> None:
        if self._killer is not None:
            self._killer.cancel()
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()
        self._plan_writer.join()  # a dead child's pipe refuses the rest of the plan at once
        self._events.close()
        self._log.close()
        if self._own_jobdir:
            shutil.rmtree(self._jobdir, ignore_errors=True)

    def _tail(self, lines: int = 20) -> str:
        self._log.flush()
        self._log.seek(0, os.SEEK_END)
        self._log.seek(max(0, self._log.tell() - 65536))
        text = self._log.read().decode("utf-8", errors="replace")
        return "".join(deque(text.splitlines(keepends=True), maxlen=lines))


def run_crawl(plan: CrawlPlan, log_path: Path | None = None) -> Iterator[events.Event]:
    """A whole crawl's events, for callers that never stop it early (tests, tools)."""
    with CrawlProcess(plan, log_path) as crawl:
        yield from crawl.events()
