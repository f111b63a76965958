"""Live progress of a long scan: one rewritten line on a terminal, sparse plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from storage.store import ScanStats


class Progress:
    def __init__(self, stream: TextIO | None = None, *, every_pages: int = 200, every_seconds: float = 30) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every_pages, self.every_seconds = every_pages, every_seconds
        self._last_time = 0.0
        self._last_pages = 0

    def __call__(self, stats: ScanStats, pending: int) -> None:
        now = time.monotonic()
        line = f"已检查 {stats.pages} 页 · 待处理 {pending} · 链接 {stats.links_checked} · 问题 {stats.findings}"
        if self.tty and now - self._last_time >= 0.2:
            self.stream.write("\r\033[K" + line)
            self.stream.flush()
            self._last_time = now
        elif not self.tty and (stats.pages - self._last_pages >= self.every_pages
                               or now - self._last_time >= self.every_seconds):
            self.stream.write(line + "\n")
            self._last_time, self._last_pages = now, stats.pages

    def close(self) -> None:
        if self.tty and self._last_time:
            self.stream.write("\r\033[K")
            self.stream.flush()
