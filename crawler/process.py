"""Runs a crawl in a child process: its events as they arrive, and a way to stop it honestly.

The plan goes to the child on stdin and its Scrapy log to a file, so nothing is left on disk by a
crawl that is killed (an unnamed temporary file is used when no log path is given).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import IO, Iterator

from core import events

from .plan import CrawlPlan


class CrawlError(RuntimeError):
    """The crawl process died; the message carries the end of its log."""


class CrawlProcess:
    """One crawl in its own process. Use as a context manager: leaving it always ends the child."""

    def __init__(self, plan: CrawlPlan, log_path: Path | None = None) -> None:
        self._log: IO[bytes] = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
        # Where the crawl keeps its frontier; ours to remove, however the child ends.
        self._jobdir = tempfile.mkdtemp(prefix="govwatch-crawl-")
        read_fd, write_fd = os.pipe()
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "crawler.worker", str(write_fd), self._jobdir],
                pass_fds=(write_fd,), stdin=subprocess.PIPE, stdout=self._log, stderr=self._log,
                # Its own session: a terminal Ctrl+C reaches only us, and we stop the crawl once.
                start_new_session=True,
                env={**os.environ, "GOVWATCH_PARENT_PID": str(os.getpid())},
            )
        finally:
            os.close(write_fd)
        self._events = os.fdopen(read_fd, encoding="utf-8")
        assert self._child.stdin is not None
        try:
            self._child.stdin.write(plan.to_json().encode("utf-8"))
            self._child.stdin.close()
        except BrokenPipeError:
            pass  # the child died at once; events() reports it with its log
        self.stopping = False
        self._killer: threading.Timer | None = None

    def __enter__(self) -> CrawlProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def events(self) -> Iterator[events.Event]:
        """The crawl's events until it ends; CrawlError when it dies without being asked to stop."""
        for line in self._events:
            yield events.decode(line)
        code = self._child.wait()
        if code != 0 and not self.stopping:
            raise CrawlError(f"爬取进程异常退出（代码 {code}）：\n{self._tail()}")

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

    def close(self) -> None:
        if self._killer is not None:
            self._killer.cancel()
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()
        self._events.close()
        self._log.close()
        shutil.rmtree(self._jobdir, ignore_errors=True)

    def _tail(self, lines: int = 20) -> str:
        self._log.flush()
        self._log.seek(0)
        text = self._log.read().decode("utf-8", errors="replace")
        return "".join(deque(text.splitlines(keepends=True), maxlen=lines))


def run_crawl(plan: CrawlPlan, log_path: Path | None = None) -> Iterator[events.Event]:
    """A whole crawl's events, for callers that never stop it early (tests, tools)."""
    with CrawlProcess(plan, log_path) as crawl:
        yield from crawl.events()
