"""Bounded decompression of response bodies: gzip, deflate, br and zstd, never past the request's limit.

Scrapy's HttpCompressionMiddleware inflates a body whole unless DOWNLOAD_MAXSIZE is set, and past
that size it drops the response (IgnoreRequest), so a page would look dead. We set DOWNLOAD_MAXSIZE
to 0 (the spider cuts bodies on the wire itself, alive), which leaves a 4 MB gzip bomb free to
inflate to 4 GB. This middleware takes its place: it inflates in 64 KiB steps, as Scrapy's own
helpers in `scrapy.utils._compression` do, and stops at the request's `limit` (bytes, the same
meta the spider cuts the wire at): the response keeps the start, flagged `TRUNCATED`, so the page
is checked as an oversize page is. A body that cannot be inflated at all keeps nothing and is
flagged `UNDECODABLE`, for the spider to name, instead of failing the request.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from itertools import chain
from typing import Any, Callable, Iterator

import brotli
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes

try:  # Python 3.14 has it in the standard library; Scrapy depends on the backport before
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    from backports import zstd

TRUNCATED = "decompressed_cut"  # response flag: inflated past its limit, cut there
UNDECODABLE = "undecodable"  # response flag: the body is not what its Content-Encoding says
CHUNK = 64 * 1024  # bytes inflated per step, as Scrapy does: the overshoot past a limit
ACCEPTED_ENCODINGS = (b"gzip", b"deflate", b"br", b"zstd")
_ALIASES = {b"x-gzip": b"gzip"}
# What a damaged stream raises inside the libraries: it ends the body, never the crawl.
_STREAM_ERRORS = (zlib.error, brotli.error, zstd.ZstdError, EOFError, ValueError)


@dataclass
class Inflated:
    body: bytes
    cut: bool = False  # stopped at the limit: there was more
    damaged: bool = False  # the stream broke off or was never valid; `body` is what came before


def inflate(data: bytes, encoding: bytes, limit: int) -> Inflated:
    """`data` decoded from `encoding`, at most `limit` bytes of it (0: no limit)."""
    steps = _DECODERS[_ALIASES.get(encoding, encoding)](data)
    out = bytearray()
    try:
        for step in steps:
            out += step
            if limit and len(out) > limit:
                del out[limit:]
                return Inflated(bytes(out), cut=True)
    except _STREAM_ERRORS:
        return Inflated(bytes(out), damaged=True)
    return Inflated(bytes(out))


def _zlib_steps(data: bytes, wbits: int, members: bool) -> Iterator[bytes]:
    """zlib/gzip output in CHUNK steps; `members`: a gzip body may hold several members in a row."""
    while data:
        inflater = zlib.decompressobj(wbits)
        step = inflater.decompress(data, CHUNK)
        while step:
            yield step
            step = b"" if inflater.eof else inflater.decompress(inflater.unconsumed_tail, CHUNK)
        if not inflater.eof:
            yield inflater.flush()  # a body cut short (on the wire or by the server): what it held
            return
        data = inflater.unused_data if members else b""


def _gzip_steps(data: bytes) -> Iterator[bytes]:
    yield from _zlib_steps(data, 32 + zlib.MAX_WBITS, members=True)  # gzip, or zlib sent as gzip


def _deflate_steps(data: bytes) -> Iterator[bytes]:
    """zlib-wrapped deflate as the RFC says, or raw deflate as some Microsoft servers send it."""
    try:
        zlib.decompressobj().decompress(data[:2])
    except zlib.error:
        yield from _zlib_steps(data, -zlib.MAX_WBITS, members=False)
        return
    yield from _zlib_steps(data, zlib.MAX_WBITS, members=False)


def _brotli_steps(data: bytes) -> Iterator[bytes]:
    inflater = brotli.Decompressor()
    step = inflater.process(data, output_buffer_limit=CHUNK)
    while step:
        yield step
        step = b"" if inflater.is_finished() else inflater.process(b"", output_buffer_limit=CHUNK)


def _zstd_steps(data: bytes) -> Iterator[bytes]:
    while data:  # one frame after another
        inflater = zstd.ZstdDecompressor()
        step = inflater.decompress(data, CHUNK)
        while step:
            yield step
            step = b"" if inflater.eof or inflater.needs_input else inflater.decompress(b"", CHUNK)
        data = inflater.unused_data if inflater.eof else b""


_DECODERS: dict[bytes, Callable[[bytes], Iterator[bytes]]] = {
    b"gzip": _gzip_steps, b"deflate": _deflate_steps, b"br": _brotli_steps, b"zstd": _zstd_steps,
}


def split_encodings(headers: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """(encodings to undo, last applied first; encodings kept because one is unknown), as Scrapy splits."""
    applied = [e.strip().lower() for e in chain.from_iterable(h.split(b",") for h in headers) if e.strip()]
    undo: list[bytes] = []
    while applied and _ALIASES.get(applied[-1], applied[-1]) in _DECODERS:
        undo.append(applied.pop())
    return undo, applied


class BoundedDecompression:
    """The downloader middleware (in HttpCompressionMiddleware's place, see crawler.settings)."""

    def __init__(self, default_limit: int) -> None:
        self.default_limit = default_limit  # for a request that carries no `limit` of its own

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedDecompression:
        if not crawler.settings.getbool("COMPRESSION_ENABLED"):
            raise NotConfigured
        return cls(crawler.settings.getint("GOVWATCH_MAX_RESPONSE_SIZE"))

    def process_request(self, request: Request) -> None:
        request.headers.setdefault("Accept-Encoding", b", ".join(ACCEPTED_ENCODINGS))

    def process_response(self, request: Request, response: Response) -> Response:
        if request.method == "HEAD":
            return response
        undo, kept = split_encodings(response.headers.getlist("Content-Encoding"))
        if not undo:
            return response
        limit = request.meta.get("limit") or self.default_limit
        body, flags = response.body, list(response.flags)
        for encoding in undo:
            inflated = inflate(body, encoding, limit)
            body = inflated.body
            if inflated.cut and TRUNCATED not in flags:
                flags.append(TRUNCATED)
            if inflated.damaged and not body:
                flags.append(UNDECODABLE)
                break
        kwargs: dict[str, Any] = {"body": body, "flags": flags}
        cls = responsetypes.from_args(headers=response.headers, url=response.url, body=body)
        if issubclass(cls, TextResponse):
            kwargs["encoding"] = None  # read again from the inflated body
        response = response.replace(cls=cls, **kwargs)
        if kept:
            response.headers[b"Content-Encoding"] = b", ".join(kept)
        else:
            del response.headers[b"Content-Encoding"]
        return response
