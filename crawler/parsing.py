"""Parsing off the reactor: pages in a thread, attachments in a process that can be killed.

Scrapy's reactor thread must stay free to answer sockets, or slow parsing makes live links time
out. A page parse is bounded by the page size limit, so a thread suffices. An attachment reader
works on hostile input (a pathological PDF can spin for minutes inside one page), so it runs in a
worker process with a hard time limit: past it the worker is killed and replaced.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any, Callable, TypeVar

from pebble import ProcessExpired, ProcessPool

from .attachments import AttachmentError, extract_text

T = TypeVar("T")


class Parsers:
    def __init__(self, attachment_timeout: float, *, threads: int = 2, processes: int = 1,
                 reader: Callable[..., str] = extract_text) -> None:
        """`reader(data, kind, max_seconds=…)` runs in the worker process: `extract_text`."""
        self.attachment_timeout = attachment_timeout
        self._reader = reader
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="govwatch-parse")
        self._processes = processes
        self._pool: ProcessPool | None = None

    async def in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, partial(fn, *args, **kwargs))

    async def attachment_text(self, data: bytes, kind: str) -> str:
        """The attachment's text; AttachmentError when unreadable or over the hard time limit."""
        if self._pool is None:  # started on the first attachment: most scans of a page have none
            self._pool = ProcessPool(max_workers=self._processes,
                                     context=multiprocessing.get_context("forkserver"))
        # The reader stops on its own after `attachment_timeout` between chunks; the hard limit
        # catches the chunk that never ends.
        future = self._pool.schedule(self._reader, args=(data, kind),
                                     kwargs={"max_seconds": self.attachment_timeout},
                                     timeout=self.attachment_timeout + 5)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise AttachmentError(f"读取超过 {self.attachment_timeout + 5:g} 秒仍未完成，已终止") from None
        except ProcessExpired as exc:
            raise AttachmentError(f"读取附件的进程异常退出（{exc.exitcode}）") from None

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=5)
