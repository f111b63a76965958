"""The parent's end of the crawl's pipe, read ahead of the checks by a thread of its own.

The crawl takes no new request while its events wait for the pipe (`crawler.pipeline`), and a
pipe holds 64 kB, a few pages. The parent reads in bursts: a batch of pages stored, a long page
checked, the word matcher built at the start. Read by the checking thread alone, the pipe stood
full during each burst, and the crawl stood still 40 % of a 10k-page scan, restarting its downloads
while the parent then waited for them. Here a thread moves what the pipe holds into memory as it
comes, up to `LEAD_BYTES` ahead of the checks; past that it stops reading and the crawl pauses as
before. The pipe itself is widened where the system allows (Linux: to 1 MiB), so that the crawl
does not stop while this thread waits for its turn at the GIL. What is read ahead, or waits in the
pipe, is the parent's: a crawl process that dies loses no more than it did.
"""

from __future__ import annotations

import fcntl
import logging
import os
import select
import threading
from collections import deque
from typing import Iterator

log = logging.getLogger(__name__)

LEAD_BYTES = 4 * 2**20  # events read but not yet taken by the checks, at most
PIPE_BYTES = 1 << 20  # the widest pipe Linux gives an unprivileged process by default
READ_BYTES = 1 << 20  # one read of the pipe
_POLL_SECONDS = 0.5  # how soon the reader notices `close` while the pipe is quiet


class ReadAhead:
    """Lines of a pipe, read by a daemon thread; owns the descriptor and closes it."""

    def __init__(self, fd: int, lead_bytes: int = LEAD_BYTES) -> None:
        self._fd, self._lead = fd, lead_bytes
        try:
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except (AttributeError, OSError):  # not Linux, or capped lower: the pipe keeps its size
            pass
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._closing = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, name="govwatch-crawl-events", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        poller = select.poll()  # not select(): a long-running service's descriptors may pass 1024
        poller.register(self._fd, select.POLLIN)
        try:
            while not self._closing:
                if not poller.poll(_POLL_SECONDS * 1000):
                    continue
                chunk = os.read(self._fd, READ_BYTES)
                with self._changed:
                    while self._buffered >= self._lead and not self._closing:
                        self._changed.wait(_POLL_SECONDS)
                    self._chunks.append(chunk)
                    self._buffered += len(chunk)
                    self._changed.notify_all()
                if not chunk:
                    return
        except Exception:  # the reader must never leave the checks waiting for an end that never comes
            log.exception("cannot read the crawl's events")
            with self._changed:
                self._chunks.append(b"")  # read as the end: the crawl's death is told by its exit code
                self._changed.notify_all()

    def _taken(self) -> Iterator[bytes]:
        while True:
            with self._changed:
                while not self._chunks:
                    self._changed.wait()
                chunk = self._chunks.popleft()
                self._buffered -= len(chunk)
                self._changed.notify_all()
            if not chunk:
                return
            yield chunk

    def lines(self) -> Iterator[bytes]:
        """Whole lines without their newline, until the pipe ends. A last line without a newline
        was being written when the process was killed: it is dropped."""
        buffer = bytearray()
        for chunk in self._taken():
            searched, start = len(buffer), 0
            buffer += chunk
            while (end := buffer.find(b"\n", searched)) >= 0:
                yield bytes(buffer[start:end])
                start = searched = end + 1
            del buffer[:start]

    def close(self) -> None:
        """Stop reading (the writer is gone or killed) and close the pipe."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()
        os.close(self._fd)
