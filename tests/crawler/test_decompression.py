"""Bounded decompression: bombs stop at the limit with their start kept, in bounded memory."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import brotli
import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response

from crawler.decompression import TRUNCATED, UNDECODABLE, BoundedDecompression, inflate, split_encodings
from tests.support.hostile import GIB, START, brotli_bomb, flushed_blanks, zstd

LIMIT = 5_000_000
PAGE = START + "<p>正文</p>".encode() * 1000 + b"</body></html>"


def gzip_bomb(size: int) -> bytes:
    return b"".join(flushed_blanks("gzip", size))


@pytest.mark.parametrize("encoding, bomb", [
    (b"gzip", lambda: gzip_bomb(4 * GIB)),
    (b"deflate", lambda: b"".join(flushed_blanks("zlib", GIB))),
    (b"br", lambda: brotli_bomb(GIB)),
    (b"zstd", lambda: zstd.compress(START + b" " * (64 << 20))),
])
def test_a_bomb_is_cut_at_the_limit_with_its_start_kept_in_bounded_memory(encoding, bomb) -> None:
    data = bomb()
    tracemalloc.start()
    try:
        inflated = inflate(data, encoding, LIMIT)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert inflated.cut and not inflated.damaged
    assert len(inflated.body) == LIMIT and inflated.body.startswith(START)
    assert peak < 3 * LIMIT  # the output, its copy, a step: never the inflated whole


@pytest.mark.parametrize("encoding, data", [
    (b"gzip", gzip.compress(PAGE)),
    (b"x-gzip", gzip.compress(PAGE)),
    (b"gzip", zlib.compress(PAGE)),  # zlib sent as gzip
    (b"deflate", zlib.compress(PAGE)),
    (b"deflate", zlib.compress(PAGE, wbits=-15)),  # raw deflate, as some Microsoft servers send
    (b"br", brotli.compress(PAGE)),
    (b"zstd", zstd.compress(PAGE)),
])
def test_a_page_under_the_limit_inflates_whole(encoding: bytes, data: bytes) -> None:
    assert inflate(data, encoding, LIMIT).body == PAGE
    assert not inflate(data, encoding, LIMIT).cut


def test_several_gzip_members_are_one_body() -> None:
    assert inflate(gzip.compress(b"one ") + gzip.compress(b"two"), b"gzip", LIMIT).body == b"one two"


def test_a_stream_cut_short_on_the_wire_keeps_what_it_held() -> None:
    data = gzip.compress(PAGE)
    inflated = inflate(data[: len(data) // 2], b"gzip", LIMIT)
    assert inflated.body and PAGE.startswith(inflated.body)


@pytest.mark.parametrize("encoding", [b"gzip", b"deflate", b"br", b"zstd"])
def test_garbage_is_damaged_not_an_exception(encoding: bytes) -> None:
    inflated = inflate(b"\x00\xffnot compressed at all" * 10, encoding, LIMIT)
    assert inflated.damaged and inflated.body == b""


def test_encodings_undone_last_first_and_unknown_ones_kept() -> None:
    assert split_encodings([b"gzip, br"]) == ([b"br", b"gzip"], [])
    assert split_encodings([b"gzip", b"x-unknown, br"]) == ([b"br"], [b"gzip", b"x-unknown"])


def respond(body: bytes, encoding: str, limit: int = LIMIT, method: str = "GET") -> Response:
    request = Request("http://127.0.0.1/a.html", method=method, meta={"limit": limit})
    response = HtmlResponse(request.url, body=body, request=request,
                            headers={"Content-Encoding": encoding, "Content-Type": "text/html; charset=utf-8"})
    return BoundedDecompression(default_limit=LIMIT).process_response(request, response)


def test_the_middleware_cuts_at_the_requests_limit_and_flags_it() -> None:
    response = respond(gzip_bomb(64 << 20), "gzip", limit=100_000)
    assert len(response.body) == 100_000 and TRUNCATED in response.flags
    assert b"Content-Encoding" not in response.headers
    assert "开头" in response.text


def test_the_middleware_passes_a_small_page_unflagged() -> None:
    response = respond(brotli.compress(PAGE), "br")
    assert response.body == PAGE and not response.flags


def test_the_middleware_flags_an_undecodable_body_instead_of_failing() -> None:
    response = respond(b"garbage, not gzip", "gzip")
    assert UNDECODABLE in response.flags and response.body == b""


def test_the_middleware_leaves_head_and_unknown_encodings_alone() -> None:
    assert respond(b"x", "gzip", method="HEAD").body == b"x"
    response = respond(b"abc", "x-custom")
    assert response.body == b"abc" and response.headers[b"Content-Encoding"] == b"x-custom"


def test_it_asks_for_every_encoding_it_bounds() -> None:
    request = Request("http://127.0.0.1/")
    BoundedDecompression(default_limit=LIMIT).process_request(request)
    assert request.headers[b"Accept-Encoding"] == b"gzip, deflate, br, zstd"
