"""Starting a crawl process, and starting one early.

A crawl process spends its first half second importing Scrapy and Twisted before it reads its plan.
A command that will crawl (`scan`, `check`) starts one as it begins (`launch_early`, before even the
command line's own imports, else `warm_crawl_process`), while it still reads its configuration, its
store and its word lists; the command's first crawl takes it (`take_spare`, in crawler.process).
Where such a process keeps its frontier and its log is known only then, so every crawl process reads
them first on its stdin, before the plan (crawler.worker). Light on purpose: the command imports this
before anything of the crawler.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Iterator


@dataclass
class Launched:
    """A crawl process waiting for its plan."""

    child: subprocess.Popen[bytes]
    events_fd: int  # the read end of the pipe it writes its events to
    log: IO[bytes]  # its stdout and stderr, until it is told its log file


def launch(log: IO[bytes]) -> Launched:
    """A new crawl process, its stdout and stderr going to `log`."""
    read_fd, write_fd = os.pipe()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "crawler.worker", str(write_fd)],
            pass_fds=(write_fd,), stdin=subprocess.PIPE, stdout=log, stderr=log,
            # Its own session: a terminal Ctrl+C reaches only us, and we stop the crawl once.
            start_new_session=True,
            env={**os.environ, "GOVWATCH_PARENT_PID": str(os.getpid())},
        )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    return Launched(child, read_fd, log)


_spare: Launched | None = None


def launch_early() -> None:
    """Start the crawl process of a command that will crawl, before the command's own imports; the
    command's `warm_crawl_process` keeps it, and `discard_spare` ends it if nothing took it."""
    global _spare
    if _spare is None:
        _spare = launch(tempfile.TemporaryFile())


@contextmanager
def warm_crawl_process() -> Iterator[None]:
    """Start a crawl process now (unless one was started early) for the first crawl inside the block;
    one left unused is ended."""
    launch_early()
    try:
        yield
    finally:
        discard_spare()


def discard_spare() -> None:
    """End the crawl process started early, if nothing took it."""
    global _spare
    spare, _spare = _spare, None
    if spare is not None:
        discard(spare)


def take_spare() -> Launched | None:
    """The crawl process started early, once, if it is still alive."""
    global _spare
    spare, _spare = _spare, None
    if spare is not None and spare.child.poll() is not None:
        discard(spare)  # it died importing: a new one will say why in the crawl's own log
        return None
    return spare


def discard(spare: Launched) -> None:
    """End a crawl process that was given no plan: it has done nothing but import."""
    spare.child.kill()
    spare.child.wait()
    if spare.child.stdin is not None:
        spare.child.stdin.close()
    os.close(spare.events_fd)
    spare.log.close()
