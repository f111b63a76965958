"""A generated TRS-style county portal of N pages, served on 127.0.0.1 by a process of its own.

Pages are rendered from the URL on every request (bench/layout.py, bench/render.py), so 50,000
pages need no disk, and the same URL always gets the same bytes. The server runs in a child
process so that it does not share a GIL with whatever is measured; it is a threaded
`http.server` with keep-alive, which answers a few thousand requests per second on one core.

For tests and the benchmark::

    with serve_generated_estate(pages=300, delay=0.01) as url:   # url = "http://127.0.0.1:PORT/"
        ...

`GeneratedEstate` does the same and also reports what was served (`stats()`, `served()`); its
`layout` says which URLs exist and what problems are planted, and `publish(n)` puts n fresh articles
on top of every column while it runs, for an incremental scan to find. Pages carry an ETag (the
site map apart, as some CMS pages do) and a matching If-None-Match gets 304. By hand:
`python -m bench.estate --pages 1000` prints the URL and serves until Ctrl+C or end of input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

from .layout import Layout
from .render import respond

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SITEMAP = "/wzdt/index.html"  # served without an ETag: an unchanged page then comes back whole


@contextmanager
def serve_generated_estate(pages: int = 1000, delay: float = 0.0, today: date | None = None) -> Iterator[str]:
    """Serve a generated estate of `pages` HTML pages; yields its homepage URL.

    `delay` is slept before every answer (seconds), to slow a crawl down; `today` is the date of
    the newest article (default: today), so a test can pin every URL.
    """
    with GeneratedEstate(pages, delay, today) as estate:
        yield estate.url


class GeneratedEstate:
    """The server child process, started by `start()` or `with`, stopped by closing its stdin."""

    def __init__(self, pages: int, delay: float = 0.0, today: date | None = None) -> None:
        self.layout = Layout(pages, today)
        self.delay = delay
        self.url = ""
        self._child: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._read = 0  # requests already returned by `served()`

    def start(self) -> GeneratedEstate:
        self._child = subprocess.Popen(
            [sys.executable, "-m", "bench.estate", "--pages", str(self.layout.pages),
             "--delay", str(self.delay), "--today", self.layout.today.isoformat()],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self._child.stdout is not None
        self.url = self._child.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            raise RuntimeError("the generated estate server did not start")
        return self

    def stats(self) -> dict[str, Any]:
        """Requests served so far by method and status, and the server's CPU seconds."""
        stats: dict[str, Any] = self._ask("stats")
        return stats

    def served(self) -> list[tuple[str, str, int]]:
        """(method, path, status) of every request since the last call, in order."""
        new = [(method, path, status) for method, path, status in self._ask(f"served {self._read}")]
        self._read += len(new)
        return new

    def paths(self) -> Counter[str]:
        """Requests served so far per "METHOD /path" (what the tests check was fetched once)."""
        return Counter(f"{method} {path}" for method, path, _ in self._ask("served 0"))

    def publish(self, fresh: int) -> None:
        """From now on every column shows `fresh` new articles on top (the layout changes alike)."""
        self._ask(f"fresh {fresh}")
        self.layout = Layout(self.layout.pages, self.layout.today, fresh)

    def _ask(self, command: str) -> Any:
        assert self._child is not None and self._child.stdin and self._child.stdout
        with self._lock:
            self._child.stdin.write(f"{command}\n")
            self._child.stdin.flush()
            return json.loads(self._child.stdout.readline())

    def stop(self) -> None:
        if self._child is None:
            return
        if self._child.stdin:
            self._child.stdin.close()
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
        if self._child.stdout:
            self._child.stdout.close()
        self._child = None

    def __enter__(self) -> GeneratedEstate:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


# -- the child process ----------------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, layout: Layout, delay: float) -> None:
        self.layout, self.delay = layout, delay
        self.counts: Counter[str] = Counter()
        self.served: list[tuple[str, str, int]] = []  # (method, path, status) of every request
        self.counts_lock = threading.Lock()
        super().__init__((HOST, 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # a crawler hanging up is no error


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    server_version = "nginx"
    sys_version = ""
    timeout = 30  # idle keep-alive connections are dropped after this many seconds
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms stalls
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Silent: a crawl makes tens of thousands of requests."""

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        if self.server.delay:
            time.sleep(self.server.delay)
        path = unquote(urlsplit(self.path).path)
        status, content_type, body = respond(self.server.layout, path)
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"' if status == 200 and path != SITEMAP else ""
        if etag and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        with self.server.counts_lock:
            self.server.counts[f"{self.command} {status}"] += 1
            self.server.served.append((self.command, path, status))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        # LinkChecker throttles itself to 10 requests/s per host unless the server sends this.
        self.send_header("LinkChecker", "benchmark estate")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def serve(pages: int, delay: float, today: date | None) -> None:
    """Print the homepage URL, serve; "stats" on stdin prints the counts, "paths" the requests per
    method and path, end of input stops."""
    server = _Server(Layout(pages, today), delay)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    print(f"http://{HOST}:{server.server_address[1]}/", flush=True)
    try:
        for line in sys.stdin:
            command = line.split()
            if command == ["stats"]:
                usage = resource.getrusage(resource.RUSAGE_SELF)
                with server.counts_lock:
                    counts = dict(server.counts)
                print(json.dumps({"requests": counts, "cpu_seconds": usage.ru_utime + usage.ru_stime}),
                      flush=True)
            elif command[:1] == ["served"]:  # every request from the Nth on
                with server.counts_lock:
                    served = server.served[int(command[1]):]
                print(json.dumps(served), flush=True)
            elif command[:1] == ["fresh"]:
                server.layout = Layout(server.layout.pages, server.layout.today, int(command[1]))
                print("true", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.estate", description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="HTML pages of the estate (at least 7)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds slept before every answer")
    parser.add_argument("--today", type=date.fromisoformat, help="date of the newest article (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    serve(args.pages, args.delay, args.today)


if __name__ == "__main__":
    main()
