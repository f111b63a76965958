"""Parsing off the reactor: pages in a thread, attachments in a process that can be killed.

Scrapy's reactor thread must stay free to answer sockets, or slow parsing makes live links time
out. A page parse is bounded by the page size limit, so a thread suffices; a small page is parsed
at once on the reactor thread, as the hop to a thread (a future, a wake-up of the event loop, the
GIL handed back and forth) cost the crawl process more than parsing it. An attachment reader
works on hostile input (a pathological PDF can spin for minutes inside one page), so it runs in a
worker process with a hard time limit and a memory limit (RLIMIT_AS, so one zip bomb the size
checks missed costs that reader, never the machine): past either the worker is killed and replaced.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any, Callable, TypeVar

from pebble import ProcessExpired, ProcessPool

from .attachments import AttachmentError, extract_text, load_readers

T = TypeVar("T")
EXIT_OUT_OF_MEMORY = 86
# Bodies up to this size are parsed on the calling thread: a few milliseconds at most (a typical
# 5 kB page takes about one), which live sockets can wait.
INLINE_BYTES = 32 * 1024  # a reader that ran out of its address space ends itself with this code


def start_reader(max_bytes: int) -> None:
    """The worker's initializer: cap its address space, so a runaway reader fails instead of the
    machine, and load the reader libraries before any read's time runs."""
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    load_readers()


def read_within_memory(reader: Callable[..., str], data: bytes, kind: str, **kwargs: Any) -> str:
    """Runs in the worker. After a MemoryError the worker's heap is not to be trusted: it ends at
    once, and the pool replaces it."""
    try:
        return reader(data, kind, **kwargs)
    except MemoryError:
        os._exit(EXIT_OUT_OF_MEMORY)


class Parsers:
    def __init__(self, attachment_timeout: float, *, memory_mb: int = 512, threads: int = 2, processes: int = 1,
                 reader: Callable[..., str] = extract_text) -> None:
        """`reader(data, kind, max_seconds=…)` runs in the worker process (`extract_text`), within
        `memory_mb` of address space."""
        self.attachment_timeout = attachment_timeout
        self.memory_mb = memory_mb
        self._reader = reader
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="govwatch-parse")
        self._processes = processes
        self._pool: ProcessPool | None = None

    async def in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, partial(fn, *args, **kwargs))

    async def body(self, body: bytes, fn: Callable[..., T], *args: Any) -> T:
        """`fn(body, *args)`: at once for a small body, in a parser thread for a large one."""
        if len(body) <= INLINE_BYTES:
            return fn(body, *args)
        return await self.in_thread(fn, body, *args)

    async def attachment_text(self, data: bytes, kind: str) -> str:
        """The attachment's text; AttachmentError when unreadable or over the hard time limit."""
        if self._pool is None:  # started on the first attachment: most scans of a page have none
            self._pool = ProcessPool(max_workers=self._processes, context=multiprocessing.get_context("forkserver"),
                                     initializer=start_reader, initargs=(self.memory_mb << 20,))
        # The reader stops on its own after `attachment_timeout` between chunks; the hard limit
        # catches the chunk that never ends.
        future = self._pool.schedule(read_within_memory, args=(self._reader, data, kind),
                                     kwargs={"max_seconds": self.attachment_timeout},
                                     timeout=self.attachment_timeout + 5)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise AttachmentError(f"读取超过 {self.attachment_timeout + 5:g} 秒仍未完成，已终止") from None
        except ProcessExpired as exc:
            if exc.exitcode == EXIT_OUT_OF_MEMORY:
                raise AttachmentError(f"读取时所需内存超过 crawl.attachment_memory_mb（{self.memory_mb} MB），已终止") from None
            raise AttachmentError(f"读取附件的进程异常退出（{exc.exitcode}）") from None

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=5)
