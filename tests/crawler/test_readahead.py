"""The parent reads the crawl's pipe ahead of its checks, whole lines only, and no further than its lead."""

from __future__ import annotations

import fcntl
import os
import threading
import time

from crawler.readahead import READ_BYTES, ReadAhead


def _write_all(fd: int, data: bytes) -> None:
    def write() -> None:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
    threading.Thread(target=write, daemon=True).start()


def test_lines_come_whole_across_reads_and_a_half_last_line_is_dropped() -> None:
    read_fd, write_fd = os.pipe()
    long_line = b"x" * (3 << 20)  # longer than a read, the pipe and the lead
    _write_all(write_fd, b"first\n" + long_line + b"\n\nlast\nhalf a line of a killed proce")
    events = ReadAhead(read_fd, lead_bytes=1 << 16)
    try:
        assert list(events.lines()) == [b"first", long_line, b"", b"last"]
    finally:
        events.close()


def test_it_reads_ahead_of_the_checks_up_to_its_lead_and_no_further() -> None:
    read_fd, write_fd = os.pipe()
    lead = 2 << 20  # more than the widened pipe holds
    events = ReadAhead(read_fd, lead_bytes=lead)
    pipe_bytes = fcntl.fcntl(write_fd, fcntl.F_GETPIPE_SZ)
    os.set_blocking(write_fd, False)
    line, written, refused_since = b"y" * 4095 + b"\n", 0, None  # PIPE_BUF: written whole or not at all
    try:
        while refused_since is None or time.monotonic() - refused_since < 1:  # the pipe stays full
            try:
                written += os.write(write_fd, line)
                refused_since = None
            except BlockingIOError:
                refused_since = refused_since or time.monotonic()
                time.sleep(0.01)
        # Nothing was taken: what was written is the lead read into memory, plus the chunk that
        # crossed it, plus the chunk the reader holds while it waits, plus what the pipe holds.
        assert lead <= written <= lead + 2 * READ_BYTES + pipe_bytes, (written, pipe_bytes)
        os.close(write_fd)
        assert sum(len(taken) + 1 for taken in events.lines()) == written
    finally:
        events.close()


def test_closing_stops_a_reader_whose_writer_never_ends() -> None:
    read_fd, write_fd = os.pipe()
    events = ReadAhead(read_fd)
    started = time.monotonic()
    events.close()
    assert time.monotonic() - started < 5
    os.close(write_fd)
