"""A hostile web site on 127.0.0.1: compression bombs, endless and slow bodies, garbage, resets,
zip bombs, broken and recursive PDFs and pathological HTML, beside a few normal pages.

Used by tests/integration/test_hostile_site.py and `python -m bench.hostile`. Bombs are generated
while they are sent (a compressed block of blanks, repeated), never built whole in memory or on disk.
Every page a scan must still check, and every bomb it must name, says so in `NORMAL` and `NAMED`.
"""

from __future__ import annotations

import functools
import io
import socket
import struct
import threading
import time
import zipfile
import zlib
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import brotli

from tests.support.loopback import QuietHandler
from tests.support.make_attachments import make_docx, make_pdf, make_xlsx, pdf_file

try:
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    from backports import zstd

MIB = 1 << 20
GIB = 1 << 30
SPAM = "中华人民共合国"  # an erroneous expression: a finding wherever the page is read
START = f"<html><head><title>页面</title></head><body><p>开头：{SPAM}。</p>".encode()

NORMAL = [f"/normal/{n}.html" for n in range(1, 6)]  # every one must be checked
BOMBS = ["/bomb/gzip.html", "/bomb/deflate.html", "/bomb/br.html", "/bomb/zstd.html"]
ENDLESS = ["/endless/chunked.html", "/endless/close.html", "/endless/length.html"]
ATTACHMENT_BOMBS = ["/files/bomb.xlsx", "/files/bomb.docx", "/files/broken.pdf", "/files/recursive.pdf"]
PATHOLOGICAL = ["/deep.html", "/links.html", "/longline.html"]
OTHER = ["/slow.html", "/garbage.html", "/reset.html", "/headers.html", "/nul.html", "/loop/a",
         "/trap?page=1", "/files/normal.docx"]
# Cut or unreadable: a scan must name each in its notes.
NAMED = BOMBS + ENDLESS + ATTACHMENT_BOMBS + ["/links.html"]
# Read at least in part: each must carry the SPAM finding (the start of a cut page is checked).
READ = NORMAL + BOMBS + ENDLESS + ["/deep.html", "/longline.html", "/nul.html", "/headers.html",
                                   "/files/normal.docx"]
GZIP_BOMB, DEFLATE_BOMB, ZIP_BOMB = 4 * GIB, GIB, 512 * MIB  # inflated sizes
DEEP_NESTING = 100_000
LINKS = 200_000


# -- bombs ------------------------------------------------------------------------------------


def start(label: str) -> bytes:
    """The readable start of a bomb or an endless page; labelled, as pages with the same bytes are checked once."""
    return START + f"<p>{label}</p>".encode()


def flushed_blanks(wrapper: str, size: int, head: bytes = START) -> Iterator[bytes]:
    """A `gzip` or `zlib` (HTTP's deflate) stream of START and then blanks, `size` bytes in all.

    Raw deflate after a full flush starts afresh, so every MiB of blanks compresses to the same
    bytes: computed once, sent `size / MiB` times; the wrapper's header and trailer are written here.
    """
    count = (size - len(head)) // MIB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    yield (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" if wrapper == "gzip" else b"\x78\xda")
    yield compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(b" " * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    for _ in range(count):
        yield block
    yield compressor.flush()
    if wrapper == "gzip":
        yield struct.pack("<II", checksum(zlib.crc32, head, count), (len(head) + count * MIB) & 0xFFFFFFFF)
    else:
        yield struct.pack(">I", checksum(zlib.adler32, head, count))


@functools.cache
def checksum(function: Callable[[bytes, int], int], head: bytes, count: int) -> int:
    """zlib.crc32 or zlib.adler32 of `head` and `count` MiB of blanks."""
    blanks = b" " * MIB
    value = function(head, 0 if function is zlib.crc32 else 1)
    for _ in range(count):
        value = function(blanks, value)
    return value


@functools.cache
def brotli_bomb(size: int = GIB, head: bytes = START) -> bytes:
    """Brotli of `head` and blanks (about 2 kB for a GiB); brotli has no full flush, so kept once made."""
    compressor = brotli.Compressor(quality=5)
    blanks = b" " * MIB
    parts = [compressor.process(head)] + [compressor.process(blanks) for _ in range(size // MIB)]
    return b"".join(parts) + compressor.finish()


@functools.cache
def zstd_bomb(size: int = GIB, head: bytes = START) -> bytes:
    compressor = zstd.ZstdCompressor()
    blanks = b" " * MIB
    parts = [compressor.compress(head)] + [compressor.compress(blanks) for _ in range(size // MIB)]
    return b"".join(parts) + compressor.flush()


def zip_bomb(valid: bytes, member: str, size: int) -> bytes:
    """`valid` (a real DOCX or XLSX) with `member` replaced by one that inflates to `size` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != member:
                bomb.writestr(info, source.read(info))
        with bomb.open(zipfile.ZipInfo(member), "w", force_zip64=True) as big:
            blanks = b" " * MIB
            for _ in range(size // MIB):
                big.write(blanks)
    return out.getvalue()


def recursive_pdf() -> bytes:
    """A PDF whose page tree contains itself: a naive reader walks it forever."""
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
                     b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>"])


def broken_pdf() -> bytes:
    return make_pdf([SPAM])[:300] + b"\x00\xff garbage stream endobj obj << /Length 99999999 >> stream"


# -- pathological HTML --------------------------------------------------------------------------


def deep_page() -> bytes:
    """Text nested far deeper than libxml2's 256 levels: where spam hides from a parser that gives up."""
    return (b"<html><head><title>\xe6\xb7\xb1</title></head><body>" + b"<div>" * DEEP_NESTING
            + f"<p>深处：{SPAM}</p>".encode() + b"</div>" * DEEP_NESTING + b"</body></html>")


def links_page() -> bytes:
    return b"<html><body>" + b"".join(b"<a href=/l/%d>%d</a>" % (n, n) for n in range(LINKS)) + b"</body></html>"


def long_line_page() -> bytes:
    return START + b"x" * (4 * MIB) + b"</body></html>"


def home() -> bytes:
    hrefs = NORMAL + BOMBS + ENDLESS + ATTACHMENT_BOMBS + PATHOLOGICAL + OTHER
    return (b"<html><head><title>\xe6\x81\xb6\xe6\x84\x8f\xe7\xab\x99</title></head><body>"
            + b"".join(b'<a href="%s">%s</a>\n' % (h.encode(), h.encode()) for h in hrefs) + b"</body></html>")


def normal_page(path: str) -> bytes:
    return f"<html><head><title>正常页面 {path}</title></head><body><p>{SPAM}。</p></body></html>".encode()


class HostileHandler(QuietHandler):
    protocol_version = "HTTP/1.1"
    server: HostileSite

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        self.server.requests.append(path)
        handler = ROUTES.get(path.split("?")[0])
        try:
            if handler is not None:
                handler(self)
            elif path.startswith("/normal/"):
                self.page(normal_page(path))
            elif path.startswith("/l/"):
                self.page(b"<html><body><p>%s</p></body></html>" % path.encode())
            else:
                self.page(b"<html><body>404</body></html>", status=404)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the crawler read what it needed and hung up

    # -- building blocks --

    def page(self, body: bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, parts: Iterator[bytes], encoding: str = "", length: int | None = None,
               chunked: bool = False) -> None:
        """A body written as it is made; ends when the parts do, the client hangs up or we stop."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if length is not None:
            self.send_header("Content-Length", str(length))
        elif chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        for part in parts:
            if self.server.stopping.is_set():
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def compressed(self, encoding: str, parts: Iterator[bytes]) -> None:
        self.stream(parts, encoding, chunked=True)

    def endless(self) -> Iterator[bytes]:
        yield start(self.path)
        paragraph = "<p>无穷无尽的正文段落，一直写下去。</p>\n".encode() * 100
        while True:
            yield paragraph


def _raw(handler: HostileHandler, data: bytes, reset: bool = False) -> None:
    handler.wfile.write(data)
    handler.wfile.flush()
    if reset:  # RST instead of FIN: SO_LINGER on with a zero timeout
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True


def _drip(handler: HostileHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(1000):
        if handler.server.stopping.wait(0.5):
            return
        handler.wfile.write(b" ")
        handler.wfile.flush()


def _headers(handler: HostileHandler) -> None:
    handler.page(normal_page(handler.path), headers={f"X-Filler-{n}": "x" * 20 for n in range(2000)})


ROUTES: dict[str, Callable[[HostileHandler], None]] = {
    "/": lambda h: h.page(home()),
    "/bomb/gzip.html": lambda h: h.compressed("gzip", flushed_blanks("gzip", GZIP_BOMB, start("gzip"))),
    "/bomb/deflate.html": lambda h: h.compressed("deflate", flushed_blanks("zlib", DEFLATE_BOMB, start("deflate"))),
    "/bomb/br.html": lambda h: h.page(h.server.made["br"], headers={"Content-Encoding": "br"}),
    "/bomb/zstd.html": lambda h: h.page(h.server.made["zstd"], headers={"Content-Encoding": "zstd"}),
    "/endless/chunked.html": lambda h: h.stream(h.endless(), chunked=True),
    "/endless/close.html": lambda h: h.stream(h.endless()),
    "/endless/length.html": lambda h: h.stream(h.endless(), length=10 * GIB),
    "/slow.html": _drip,
    "/garbage.html": lambda h: _raw(h, b"\x00\xff\xfeNOT HTTP AT ALL\r\n\x1b[2J" * 100),
    "/reset.html": lambda h: _raw(h, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                                     + START, reset=True),
    "/headers.html": _headers,
    "/nul.html": lambda h: h.page(START.replace(b"<p>", b"<p>\x00\x00") + b"\x00" * 5000 + b"</body></html>"),
    "/loop/a": lambda h: h.page(b"", status=302, headers={"Location": "/loop/b"}),
    "/loop/b": lambda h: h.page(b"", status=302, headers={"Location": "/loop/a"}),
    "/trap": lambda h: h.page(b'<html><body><a href="/trap?page=%d">next</a></body></html>'
                              % (int(h.path.rpartition("=")[2] or 0) + 1)),
    "/deep.html": lambda h: h.page(h.server.made["deep"]),
    "/links.html": lambda h: h.page(h.server.made["links"]),
    "/longline.html": lambda h: h.page(h.server.made["long"]),
    "/files/normal.docx": lambda h: h.page(make_docx([SPAM]), content_type=DOCX),
    "/files/bomb.docx": lambda h: h.page(h.server.made["docx"], content_type=DOCX),
    "/files/bomb.xlsx": lambda h: h.page(h.server.made["xlsx"], content_type=XLSX),
    "/files/broken.pdf": lambda h: h.page(broken_pdf(), content_type="application/pdf"),
    "/files/recursive.pdf": lambda h: h.page(recursive_pdf(), content_type="application/pdf"),
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scan_config(site: HostileSite, work: Path, max_links: int) -> Path:
    """A config that scans `site` into `work` (database, report, crawl log): short timeouts, no retries."""
    config = work / "govwatch.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{work / "gw.db"}"\n[report]\ndir = "{work}"\n'
                      f"[crawl]\ntimeout = 10\nretries = 0\nmax_links_per_page = {max_links}\n"
                      f'[[sites]]\nname = "恶意站点"\nurl = "{site.url}"\n', encoding="utf-8")
    return config


class HostileSite(ThreadingHTTPServer):
    """`with HostileSite() as site:` serves on `site.url` until the block ends."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HostileHandler)
        self.stopping = threading.Event()
        self.requests: list[str] = []
        # Made before serving: bodies that take a second of CPU to make would otherwise make their
        # neighbours time out, the server sharing one GIL with its test.
        self.made = {"br": brotli_bomb(GIB, start("br")), "zstd": zstd_bomb(GIB, start("zstd")), "deep": deep_page(), "links": links_page(),
                     "long": long_line_page(),
                     "docx": zip_bomb(make_docx(["炸弹"]), "word/document.xml", ZIP_BOMB),
                     "xlsx": zip_bomb(make_xlsx([["炸弹"]]), "xl/worksheets/sheet1.xml", ZIP_BOMB)}
        for wrapper, size, label in (("gzip", GZIP_BOMB, "gzip"), ("zlib", DEFLATE_BOMB, "deflate")):
            for _ in flushed_blanks(wrapper, size, start(label)):
                pass  # its checksum, made now

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def __enter__(self) -> HostileSite:
        threading.Thread(target=self.serve_forever, name="hostile-site", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


if __name__ == "__main__":  # serve it by hand: python -m tests.support.hostile
    with HostileSite() as site:
        print(site.url, flush=True)
        while True:
            time.sleep(3600)
