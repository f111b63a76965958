"""URL rules used everywhere: what a host is, how a link resolves, what counts as a usable site URL."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

# Longer URLs are never requested (Scrapy's URLLENGTH_LIMIT, Internet Explorer's old limit): they are
# named instead, as a crawl bound is, and refused as a site or `check` URL.
MAX_URL_LENGTH = 2083
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\t\r\n]+")  # re, not str.translate: that looks every character up, and few are these
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")
# What an href needs to name a host once cleaned (`_cleaned`): a colon (a scheme), a backslash or a
# dropped control character (either may make a leading //), or a // already.
_MAY_NAME_HOST = re.compile(r"[:\\\t\r\n]|//")


def netloc(url: str) -> str:
    """Host and port, lower-cased: the unit of crawl scope and of internal/external.

    Raises ValueError for a port out of range, as `urlsplit` does.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host if parts.port in (None, _DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{parts.port}"


def ascii_host(host: str) -> str:
    """A host name in its ASCII (IDNA) form, lower-cased: 政府.政务 and xn--… compare equal."""
    host = host.lower().strip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _cleaned(href: str) -> str:
    """`href` as browsers read it: tabs and newlines dropped, spaces trimmed, backslashes as slashes."""
    return _CONTROL.sub("", href).strip().replace("\\", "/")


def absolute_url(href: str | None, base: str) -> str | None:
    """`href` resolved against `base`, fragment dropped; None unless it is a well-formed http(s) URL."""
    if href and href.startswith(("/", "http://", "https://")):
        # A path from the root or a full URL takes only the scheme and host of its base: resolved
        # once per site, not once per page (a template's navigation repeats on every page).
        base = _origin(base)
    return _resolved(href, base)


@lru_cache(maxsize=256)
def _origin(base: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


@lru_cache(maxsize=4096)  # a page's links are resolved by several readers (links, lists, pagers)
def _resolved(href: str | None, base: str) -> str | None:
    href = _cleaned(href or "")
    if not href or href.startswith("#"):
        return None
    try:
        url = urljoin(base, href)
        if "#" in url:
            url = urldefrag(url).url
        parts = urlsplit(url)
        parts.port  # a malformed port raises: no browser would follow it either
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") else None


def stays_on_base_host(href: str | None) -> bool:
    """Whether `href` can only resolve onto its base's host (a path, a query): no scheme, no `//host`.
    Telling that costs far less than resolving it, for checks that care only about other hosts."""
    if not _MAY_NAME_HOST.search(href or ""):
        return True  # most links of a page: cleaning cannot give them a scheme or a leading //
    href = _cleaned(href or "")
    return not href.startswith("//") and not _SCHEME.match(href)


def document_base(page_url: str, base_href: str | None) -> str:
    """The URL relative links resolve against: the page's `<base href>` when it has a usable one."""
    return (absolute_url(base_href, page_url) or page_url) if base_href else page_url


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a site or page to fetch (in Chinese), or None when it can."""
    if any(ch.isspace() for ch in url):
        return "网址中不能有空格、制表符或换行"
    if len(url) > MAX_URL_LENGTH:
        return f"网址超过 {MAX_URL_LENGTH} 个字符"
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return "网址格式无效"
    try:
        port_ok = parts.port != 0
    except ValueError:  # not a number, or above 65535
        port_ok = False
    if parts.scheme not in ("http", "https"):
        return "应以 http:// 或 https:// 开头"
    if not parts.hostname:
        return "缺少主机名"
    if not port_ok:
        return "端口号无效（应为 1–65535）"
    return None


def relative_to_site(url: str, site_netlocs: dict[str, str]) -> str:
    """`url` with its scheme and host replaced by the name of the configured site serving it.

    Finding identities use this form, so a site that moves to https, changes domain, or (the demo)
    is served on another loopback port keeps its problems' identities.
    """
    try:
        host = netloc(url)
    except ValueError:
        return url
    site = site_netlocs.get(host)
    if site is None:
        return url
    parts = urlsplit(url)
    return f"{site}:{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


# Pager URL shapes of real CMSs: index_3.html (TRS), list_3.html, column-index-3.shtml, ?page=3 …
_PAGER_PATH = re.compile(r"(?<=/)(index|list|default)_\d+(?=\.s?html?$)|-index-\d+(?=\.s?html?$)", re.I)
_DIRECTORY_INDEX = re.compile(r"/(?:index|default)\.s?html?$", re.I)
_PAGER_QUERY = re.compile(r"^(?:page|pageno|pagenum|pageindex|currpage|curpage|p)$", re.I)


def first_list_page(url: str) -> str:
    """The first page of the list `url` is a page of: a column's identity, whichever of its pages
    was seen. `/zwyw/`, `/zwyw/index.html` and `/zwyw/index_3.html` are one column."""
    parts = urlsplit(url)
    path = _PAGER_PATH.sub(lambda m: m.group(1) or "-index", parts.path)
    path = _DIRECTORY_INDEX.sub("/", path)
    query = "&".join(p for p in parts.query.split("&") if p and not _PAGER_QUERY.match(p.split("=", 1)[0]))
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))
