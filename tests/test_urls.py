"""core.urls: link resolution, and the shortcut that skips resolving references that stay home."""

from __future__ import annotations

import pytest

from core.urls import absolute_url, netloc, stays_on_base_host

BASE = "http://www.example.gov.cn/col/a/page.html"
REFERENCES = [
    "next.html", "../b/", "/root.html", "?page=2", "", "#top", "  page.html  ", "a\tb.html",
    "http://evil.example.com/", "HTTPS://evil.example.com/x", "//evil.example.com/", "\\\\evil.example.com/",
    "/\\evil.example.com/", "\\/evil.example.com/", " //evil.example.com", "ht\ttp://evil.example.com/",
    "\nhttp://evil.example.com/", "javascript:void(0)", "mailto:a@b.cn", "http:relative.html",
    "http://www.example.gov.cn/self.html", "http://evil.example.com:99999/", "data:text/html,x",
    "/\n/evil.example.com/", "\u3000//evil.example.com/", "/\t\\evil.example.com/", "a//b.html", "x.html?u=a:b",
]


@pytest.mark.parametrize("ref", REFERENCES)
def test_a_reference_said_to_stay_home_resolves_home(ref: str) -> None:
    """The shortcut may only skip what resolution would put on the base's own host (or nowhere)."""
    if stays_on_base_host(ref):
        url = absolute_url(ref, BASE)
        assert url is None or netloc(url) == netloc(BASE)


@pytest.mark.parametrize("ref", [r for r in REFERENCES if "evil" in r and "99999" not in r])
def test_every_reference_to_another_host_is_resolved(ref: str) -> None:
    assert not stays_on_base_host(ref)
    assert netloc(absolute_url(ref, BASE) or "") == "evil.example.com"


def test_resolution_drops_fragments_and_rejects_bad_ports() -> None:
    assert absolute_url("x.html#part", BASE) == "http://www.example.gov.cn/col/a/x.html"
    assert absolute_url("http://h.cn:99999/", BASE) is None
    assert absolute_url("ftp://h.cn/f", BASE) is None


@pytest.mark.parametrize("href", ["/a/../b.html?x=1#f", "/", "//other.gov.cn/p", "/\\evil.example/p",
                                  "/\n/other.gov.cn/p", "http://other.gov.cn/a?", "https://h.gov.cn/a/../b",
                                  "http:///p", "http://h.gov.cn:99999/"])
@pytest.mark.parametrize("base", ["http://h.gov.cn/a/b/c.html?q=1", "https://h.gov.cn:8443/x/", "http://u:p@h.gov.cn"])
def test_a_root_path_or_full_url_resolves_as_urljoin_does_from_any_page(href: str, base: str) -> None:
    from urllib.parse import urldefrag, urljoin, urlsplit

    try:
        expected: str | None = urldefrag(urljoin(base, href.replace("\n", "").replace("\\", "/"))).url
        urlsplit(expected).port
    except ValueError:
        expected = None
    assert absolute_url(href, base) == expected
