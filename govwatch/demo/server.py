"""A whole government web estate on loopback: every subdirectory of a root is one site on its own port.

Both `govwatch demo` and the integration tests crawl real HTTP, so the sites they crawl must be real
servers — with the misbehaviour real estates show (500s, redirect loops, resets, slow answers, servers
that refuse HEAD, GB pages sent without a charset) — while no request ever leaves 127.0.0.1.

Pages name other sites through placeholders, substituted in the raw bytes of text-like files at serve
time (ASCII, so GBK files survive untouched):

- ``{{site:DIR}}``  base URL of the site served from DIR, no trailing slash
- ``{{tls:DIR}}``   ``https://`` to that plain-HTTP port: the TLS handshake fails
- ``{{refused}}``   ``http://127.0.0.1:<port>`` where nothing listens: connection refused
- ``{{invalid}}``   ``http://nonexistent.invalid``: RFC 6761, never resolves (the crawler fails it locally)

A site may script behaviours in ``<site>/_routes.toml``, one table per path (``"/a.html"``) or per path
with its exact query string (``"/a.jsp?id=1"``, tried first)::

    ["/broken.jsp"]
    status = 500                 # with `body`, or the static file, or a stock page
    ["/old.html"]
    redirect = "/new.html"       # 302 (redirect_status to change); placeholders allowed
    ["/slow.html"]
    sleep = 5                    # seconds before answering; cut short by stop()
    ["/reset.html"]
    reset = true                 # read the request, then abort the connection (RST)
    ["/nohead.html"]
    reject_head = true           # HEAD -> 405, GET as usual
    ["/gb.html"]
    content_type = "text/html; charset=gbk"
    ["/report.html"]
    size = 3500000               # the file padded at its <!--fill--> marker to exactly this many bytes
    ["/calendar.html"]
    calendar = true              # {{month}}, {{prev_month}}, {{next_month}}, {{month_label}} from ?month=/?date=
    ["/dataproxy.jsp"]
    file = "/module/list.xml"    # serve another file of the site

Fixture typos should fail loudly, so an unknown route key raises when the server starts.
"""

from __future__ import annotations

import re
import socket
import struct
import sys
import threading
import tomllib
from collections import Counter
from dataclasses import dataclass, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["EstateServer", "Route", "INVALID_URL"]

INVALID_URL = "http://nonexistent.invalid"

# Placeholders are substituted in these files only: binaries (PDF, images) must stay byte-exact.
TEXT_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".js", ".xml", ".css", ".txt", ".json", ".jsp"})

# HTML goes out without a charset on purpose: many real GB sites omit it and rely on <meta>.
CONTENT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".shtml": "text/html", ".jsp": "text/html",
    ".js": "application/javascript", ".css": "text/css", ".xml": "text/xml", ".txt": "text/plain",
    ".json": "application/json",
    ".pdf": "application/pdf", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip", ".rar": "application/x-rar-compressed",
    ".png": "image/png", ".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".ico": "image/x-icon", ".svg": "image/svg+xml", ".webp": "image/webp",
}
_DEFAULT_TYPE = "application/octet-stream"
_GENERATED_TYPE = "text/html; charset=utf-8"  # our own stock pages declare what they are

_PLACEHOLDER = re.compile(rb"\{\{(site|tls):([A-Za-z0-9_.-]+)\}\}|\{\{(refused|invalid)\}\}")
_FILL_MARKER = b"<!--fill-->"
_FILLER = "<p>全县上下坚持稳中求进工作总基调，统筹推进经济社会各项事业发展，各项工作取得新的成效。</p>\n".encode()

_NOT_FOUND_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面不存在</title></head>
<body><div class="error-page"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p>
<p><a href="/">返回首页</a></p></div></body></html>
"""
_STATUS_PAGES = {
    500: "500 服务器内部错误",
    502: "502 网关错误",
    503: "503 服务暂时不可用",
    403: "403 禁止访问",
    405: "405 不允许的请求方法",
}
_TLS_RECORD = b"\x16"  # first byte of a TLS handshake record (ClientHello)
_POLL_INTERVAL = 0.05  # seconds; how quickly stop() is noticed by each accept loop


@dataclass(frozen=True)
class Route:
    """What one path of a site does instead of (or on top of) serving its static file."""

    status: int | None = None
    body: str | None = None
    redirect: str | None = None
    redirect_status: int = 302
    sleep: float = 0
    reset: bool = False
    reject_head: bool = False
    content_type: str | None = None
    size: int | None = None
    calendar: bool = False
    month: str = "2026-11"  # the calendar's month when the query names none
    file: str | None = None

    @classmethod
    def from_toml(cls, where: str, table: dict[str, Any]) -> Route:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise ValueError(f"{where}: unknown route keys {unknown}; known: {sorted(known)}")
        return cls(**table)


class _Site:
    """One served directory: its files and its scripted routes."""

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.root = root
        self.routes: dict[str, Route] = {}
        routes_file = root / "_routes.toml"
        if routes_file.is_file():
            with open(routes_file, "rb") as f:
                for path, table in tomllib.load(f).items():
                    if not path.startswith("/") or not isinstance(table, dict):
                        raise ValueError(f"{routes_file}: route keys are quoted paths such as \"/a.html\"")
                    self.routes[path] = Route.from_toml(f"{routes_file} [{path}]", table)

    def route(self, path: str, query: str) -> Route | None:
        if query and f"{path}?{query}" in self.routes:
            return self.routes[f"{path}?{query}"]
        return self.routes.get(path)

    def lookup(self, path: str) -> Path | str | None:
        """The file a URL path names; "dir" for a directory named without its slash; None if absent.

        Names starting with "_" or "." are fixture machinery (routes, generators), never served.
        """
        rel = unquote(path)
        if rel.endswith("/"):
            rel += "index.html"
        parts = [p for p in rel.split("/") if p]
        if any(p.startswith((".", "_")) or "\\" in p for p in parts):
            return None
        candidate = self.root.joinpath(*parts)
        if candidate.is_dir():
            return "dir"
        return candidate if candidate.is_file() else None


class _SiteServer(ThreadingHTTPServer):
    """One site's listener; quiet, because a crawler's hang-ups are normal here, not errors."""

    daemon_threads = True

    def __init__(self, estate: EstateServer, site: _Site, port: int = 0) -> None:
        self.estate = estate
        self.site = site
        super().__init__((estate.host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the client went away (a link checker reads 256 KB of a 3.5 MB page and hangs up)
        self.estate.errors.append(f"{self.site.name}: {exc!r}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    server_version = "nginx"
    sys_version = ""
    timeout = 15  # idle keep-alive connections are dropped after this many seconds
    server: _SiteServer

    _aborted = False

    # -- connection level ------------------------------------------------------------------------

    def handle(self) -> None:
        try:
            first = self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return
        if first == _TLS_RECORD:
            # A TLS client on a plain port: answer like nginx does, in plain HTTP, which the
            # client cannot parse as a TLS record, so its handshake fails at once (not by timeout).
            self.server.estate._count_tls(self.server.site.name)
            self.wfile.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        super().handle()

    def finish(self) -> None:
        if not self._aborted:
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Silent: tests assert on `EstateServer.hits`, not on a log."""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        """Answered like GET (Hanweb's dataproxy.jsp takes its paging form either way)."""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._serve(head=False)

    # -- one request -----------------------------------------------------------------------------

    def _serve(self, head: bool) -> None:
        estate, site = self.server.estate, self.server.site
        parts = urlsplit(self.path)
        path, query = parts.path or "/", parts.query
        estate._count(site.name, self.command, f"{path}?{query}" if query else path)
        route = site.route(path, query)
        if route is not None:
            if route.sleep and estate._stopping.wait(route.sleep):
                self.close_connection = True
                return
            if route.reset:
                self._abort()
                return
            if route.reject_head and head:
                self._send(405, _stock_page(405), _GENERATED_TYPE, head, {"Allow": "GET, POST"})
                return
            if route.redirect:
                self._redirect(route.redirect_status, estate.expand(route.redirect), head)
                return
        self._serve_content(site, path, query, route, head)

    def _serve_content(self, site: _Site, path: str, query: str, route: Route | None, head: bool) -> None:
        target = route.file if route and route.file else path
        found = site.lookup(target)
        if found == "dir":
            self._redirect(301, path + "/" + (f"?{query}" if query else ""), head)
            return
        if route is not None and route.body is not None:
            body, ctype = route.body.encode("utf-8"), _GENERATED_TYPE
            body = self.server.estate.expand_bytes(body)
        elif isinstance(found, Path):
            body, ctype = found.read_bytes(), CONTENT_TYPES.get(found.suffix.lower(), _DEFAULT_TYPE)
            if found.suffix.lower() in TEXT_SUFFIXES:
                body = self.server.estate.expand_bytes(body)
            if route is not None and route.calendar:
                body = _calendar(body, query, route.month)
            if route is not None and route.size:
                body = _padded(body, route.size)
        elif route is not None and route.size:
            skeleton = '<html><head><meta charset="utf-8"><title>长页面</title></head><body><!--fill--></body></html>'
            body, ctype = _padded(skeleton.encode("utf-8"), route.size), _GENERATED_TYPE
        elif route is not None and route.status:
            body, ctype = _stock_page(route.status), _GENERATED_TYPE
        else:
            self._send(404, _NOT_FOUND_PAGE.encode("utf-8"), _GENERATED_TYPE, head)
            return
        status = route.status if route is not None and route.status else 200
        if route is not None and route.content_type:
            ctype = route.content_type
        self._send(status, body, ctype, head)

    def _send(self, status: int, body: bytes, ctype: str, head: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, status: int, location: str, head: bool) -> None:
        body = f'<html><body>页面已移动到 <a href="{location}">新地址</a></body></html>'.encode()
        self._send(status, body, _GENERATED_TYPE, head, {"Location": location})

    def _abort(self) -> None:
        """Close with RST (SO_LINGER on, 0 s) instead of FIN: the client sees a connection reset.

        The reading file object holds a reference to the socket, so it is closed first; otherwise
        close() would not release the descriptor and the later shutdown would send a FIN. (The
        writer is unbuffered and holds none; the base class still flushes it after this returns.)
        """
        self._aborted = True
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()


def _stock_page(status: int) -> bytes:
    if status == 404:
        return _NOT_FOUND_PAGE.encode("utf-8")
    title = _STATUS_PAGES.get(status, f"{status} 错误")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1><p>请稍后再试或联系网站管理员。</p></body></html>\n").encode("utf-8")


def _padded(template: bytes, size: int) -> bytes:
    """`template` grown to exactly `size` bytes by repeating a clean paragraph at its fill marker."""
    head, marker, tail = template.partition(_FILL_MARKER)
    if not marker:
        head, tail = template, b""
    room = size - len(head) - len(tail)
    if room <= 0:
        return head + tail
    copies, rest = divmod(room, len(_FILLER))
    return head + _FILLER * copies + b" " * rest + tail


def _calendar(template: bytes, query: str, default_month: str) -> bytes:
    """A month view whose prev/next links lead on forever: the crawler trap of real 活动日历 pages."""
    values = parse_qs(query)
    raw = (values.get("month") or values.get("date") or [default_month])[0]
    match = re.match(r"(\d{4})-(\d{1,2})", raw)
    year, month = (int(match[1]), int(match[2])) if match else map(int, default_month.split("-"))
    if not 1 <= month <= 12 or not 1900 <= year <= 9999:
        year, month = map(int, default_month.split("-"))
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    swaps = {
        b"{{month}}": f"{year:04d}-{month:02d}",
        b"{{prev_month}}": f"{prev_y:04d}-{prev_m:02d}",
        b"{{next_month}}": f"{next_y:04d}-{next_m:02d}",
        b"{{month_label}}": f"{year}年{month}月",
    }
    for key, value in swaps.items():
        template = template.replace(key, value.encode("utf-8"))
    return template


class EstateServer:
    """Serves each subdirectory of `root` as one site on its own port: random free ports, or from
    `base_port` on (sites in name order, then the refused port) where those are free, so that a
    demo's URLs — and so its problems' identities — stay the same from run to run.

    `hits` counts requests by ``(site, path_with_query)`` over all methods, and `requests` logs
    ``(site, method, path_with_query)`` in order, so tests can tell "requested" from "crawled" and
    "checked once" from "checked twice". `errors` collects unexpected handler exceptions.
    """

    def __init__(self, root: Path, host: str = "127.0.0.1", base_port: int = 0) -> None:
        self.root = Path(root)
        self.host = host
        self.base_port = base_port
        self.sites: list[str] = sorted(
            p.name for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
        )
        self.hits: Counter[tuple[str, str]] = Counter()
        self.requests: list[tuple[str, str, str]] = []
        self.tls_attempts: Counter[str] = Counter()
        self.errors: list[str] = []
        self._servers: dict[str, _SiteServer] = {}
        self._threads: list[threading.Thread] = []
        self._closed: socket.socket | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> EstateServer:
        if self._servers:
            raise RuntimeError("EstateServer already started")
        self._stopping.clear()
        # Bound but never listening: the port stays ours, and a connection to it is refused (RST).
        self._closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._bind_preferred(lambda port: self._closed.bind((self.host, port)), len(self.sites))
        try:
            for i, name in enumerate(self.sites):
                site = _Site(name, self.root / name)
                server = self._bind_preferred(lambda port: _SiteServer(self, site, port), i)
                self._servers[name] = server
                thread = threading.Thread(target=server.serve_forever, args=(_POLL_INTERVAL,),
                                          name=f"estate-{name}", daemon=True)
                thread.start()
                self._threads.append(thread)
        except BaseException:
            self.stop()
            raise
        return self

    def _bind_preferred(self, bind: Any, offset: int) -> Any:
        """Bind at `base_port + offset` when set and free, else on a random free port."""
        if self.base_port:
            try:
                return bind(self.base_port + offset)
            except OSError:
                pass  # taken: any port will do, only the identities of outside links change
        return bind(0)

    def stop(self) -> None:
        """Stop every listener; handlers asleep on a `sleep` route wake up and hang up."""
        self._stopping.set()
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()
        if self._closed is not None:
            self._closed.close()
            self._closed = None

    def wait(self) -> None:
        """Block until stop() is called from elsewhere (`demo --keep-serving`); Ctrl+C still works."""
        while not self._stopping.wait(0.5):
            pass

    def __enter__(self) -> EstateServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------------------

    def port(self, site_dir: str) -> int:
        try:
            return self._servers[site_dir].server_address[1]
        except KeyError:
            raise KeyError(f"no site {site_dir!r} is being served (sites: {self.sites})") from None

    def url(self, site_dir: str) -> str:
        """The site's homepage URL, e.g. ``http://127.0.0.1:40123/``."""
        return f"http://{self.host}:{self.port(site_dir)}/"

    def base(self, site_dir: str) -> str:
        """The site's base URL without the trailing slash: what ``{{site:DIR}}`` becomes."""
        return f"http://{self.host}:{self.port(site_dir)}"

    @property
    def closed_port(self) -> int:
        if self._closed is None:
            raise RuntimeError("EstateServer not started")
        return self._closed.getsockname()[1]

    def expand(self, text: str) -> str:
        """`text` with every placeholder replaced, e.g. an EXPECTED evidence into a real URL."""
        return self.expand_bytes(text.encode("utf-8")).decode("utf-8")

    def expand_bytes(self, data: bytes) -> bytes:
        def swap(match: re.Match[bytes]) -> bytes:
            kind, site, bare = match.group(1), match.group(2), match.group(3)
            if bare == b"refused":
                return f"http://{self.host}:{self.closed_port}".encode()
            if bare == b"invalid":
                return INVALID_URL.encode()
            name = site.decode()
            if name not in self._servers:
                return match.group(0)  # unknown site: left visible, and the fixture test catches it
            scheme = "https" if kind == b"tls" else "http"
            return f"{scheme}://{self.host}:{self.port(name)}".encode()

        return _PLACEHOLDER.sub(swap, data)

    # -- accounting ------------------------------------------------------------------------------

    def hit_count(self, site: str, path: str | None = None, method: str | None = None) -> int:
        """Requests to `site` (for one path with its query, and one method, when given)."""
        with self._lock:
            return sum(1 for s, m, p in self.requests
                       if s == site and (path is None or p == path) and (method is None or m == method))

    def reset_counts(self) -> None:
        with self._lock:
            self.hits.clear()
            self.requests.clear()
            self.tls_attempts.clear()

    def _count(self, site: str, method: str, path: str) -> None:
        with self._lock:
            self.hits[(site, path)] += 1
            self.requests.append((site, method, path))

    def _count_tls(self, site: str) -> None:
        with self._lock:
            self.tls_attempts[site] += 1
