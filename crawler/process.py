"""Runs a crawl in a child process and yields its events as they arrive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Any, Iterator

from .plan import CrawlPlan


class CrawlError(RuntimeError):
    """The crawl process died; the message carries the end of its log."""


def run_crawl(plan: CrawlPlan, log_path: Path | None = None) -> Iterator[dict[str, Any]]:
    """Yield the crawl's events (page, link, site, error) until it ends.

    The child's Scrapy log goes to `log_path` (a temporary file when None), never to our terminal.
    """
    with tempfile.TemporaryDirectory(prefix="govwatch-") as tmp:
        plan_file = Path(tmp) / "plan.json"
        plan_file.write_text(plan.to_json(), encoding="utf-8")
        log_file = log_path or Path(tmp) / "crawl.log"
        read_fd, write_fd = os.pipe()
        with open(log_file, "wb") as log:
            child = subprocess.Popen(
                [sys.executable, "-m", "crawler.worker", str(plan_file), str(write_fd)],
                pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            )
        os.close(write_fd)
        try:
            with os.fdopen(read_fd, encoding="utf-8") as events:
                for line in events:
                    yield json.loads(line)
            if child.wait() != 0:
                raise CrawlError(f"爬取进程异常退出（代码 {child.returncode}）：\n{_tail(log_file)}")
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()


def _tail(path: Path, lines: int = 20) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(deque(f, maxlen=lines))
