"""A test's own web site: a request handler served on 127.0.0.1, on a free port, in a thread.

Tests crawl real HTTP, never a mock; each writes its handler and serves it with `Loopback`, which
answers each connection in a thread of its own (a slow page must not hold up its neighbours) and
stops when the test is done with it.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that keeps http.server's request log off the test's output."""

    def log_message(self, *args: object) -> None:
        pass


class Loopback:
    """`with Loopback(Handler) as site:` serves on `site.url` until the block ends (or `close`)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], poll_interval: float = 0.5) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.origin}/"
        threading.Thread(target=self.server.serve_forever, args=(poll_interval,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
