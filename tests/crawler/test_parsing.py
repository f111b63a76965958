"""Attachment reading has a hard time limit that a reader stuck inside one chunk cannot defeat."""

from __future__ import annotations

import asyncio
import time

import pytest

from crawler.attachments import AttachmentError, extract_text
from crawler.parsing import Parsers
from tests.support.make_attachments import make_docx


def stuck_reader(data: bytes, kind: str, max_seconds: float) -> str:
    """A pathological file: the reader never returns and never looks at the clock."""
    while True:
        pass


def test_a_stuck_reader_is_killed_at_the_hard_limit() -> None:
    parsers = Parsers(attachment_timeout=0.5, reader=stuck_reader)

    async def read() -> None:
        await parsers.attachment_text(b"%PDF-1.4", "pdf")

    started = time.monotonic()
    try:
        with pytest.raises(AttachmentError, match="已终止"):
            asyncio.run(read())
    finally:
        parsers.close()
    assert time.monotonic() - started < 20


def greedy_reader(data: bytes, kind: str, max_seconds: float) -> str:
    """A zip bomb the size checks missed (`b"bomb"`) makes the reader want far more memory than it may have."""
    if data == b"bomb":
        return str(len(bytearray(4 << 30)))
    return extract_text(data, kind, max_seconds=max_seconds)


def test_a_reader_over_its_memory_limit_is_ended_and_the_next_one_reads() -> None:
    parsers = Parsers(attachment_timeout=30, memory_mb=256, reader=greedy_reader)

    async def read() -> None:
        await parsers.attachment_text(b"bomb", "docx")

    try:
        with pytest.raises(AttachmentError, match="crawl.attachment_memory_mb"):
            asyncio.run(read())
        # the worker that died is replaced: the next attachment is read
        assert "冬季" in asyncio.run(parsers.attachment_text(make_docx(["冬季"]), "docx"))
    finally:
        parsers.close()


def test_an_attachment_is_read_in_the_worker_process() -> None:
    parsers = Parsers(attachment_timeout=30)

    async def read() -> str:
        return await parsers.attachment_text(make_docx(["关于做好冬季安全生产工作的通知"]), "docx")

    try:
        assert "冬季安全生产" in asyncio.run(read())
    finally:
        parsers.close()


def test_page_parsing_runs_off_the_calling_thread() -> None:
    import threading

    parsers = Parsers(attachment_timeout=1)

    async def where() -> str:
        return await parsers.in_thread(lambda: threading.current_thread().name)

    try:
        assert asyncio.run(where()).startswith("govwatch-parse")
    finally:
        parsers.close()
