"""The Scrapy spider that walks an estate, builds page models and checks every link target once.

Each configured site is crawled inside its own host (host:port); a link to a sibling site's page is
crawled as the sibling's page, and outside hosts are only requested, never crawled. Every link target
gets exactly one outcome per scan: a crawled page's own response is its outcome, anything else is
checked with HEAD, falling back to GET for servers that reject HEAD and for HTML (soft-404 check).
The spider yields `core.events` that `crawler.pipeline.EventWriter` streams to the parent process.
An incremental scan (`plan.incremental`) starts from the pages where new items appear, re-read with
conditional requests, and fetches only pages it has not seen; see the section at the end.
Parsing runs off the reactor thread (`crawler.parsing`), so slow pages never starve live sockets.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import PurePosixPath
from typing import Any, AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import StopDownload
from scrapy.http import Response
from twisted.python.failure import Failure

from core.events import ErrorEvent, Event, LinkEvent, ListEvent, PageEvent, SiteEvent, UnchangedEvent
from core.model import Link, LinkStatus, Page, SiteStatus
from core.urls import first_list_page

from . import linkcheck
from .attachments import ATTACHMENT_EXTENSIONS, AttachmentError, attachment_extension, attachment_type
from .columns import column_of
from .distributed import acknowledge_callbacks
from .encoding import decode_html
from .extract import extract_page, title_heading_text
from .frontier import Frontier, LocalFrontier
from .lists import datastore_proxy_urls, datastore_records
from .marks import site_marks
from .parsing import Parsers
from .plan import CrawlPlan, PlanSite

# Targets that are assets, not pages: checked, never parsed for links (attachments are read apart).
ASSET_EXTENSIONS = frozenset(
    ".jpg .jpeg .png .gif .bmp .svg .ico .webp .tif .tiff .css .js .mp3 .mp4 .avi .flv .wmv .mov "
    ".swf .gz .tar .exe .apk .msi .iso .txt .xml .json".split())
PAGE_TAGS = frozenset({"a", "area", "iframe", "frame"})
LINK_GET_LIMIT = 256 * 1024  # bytes of an outside HTML page read to spot a soft 404


def is_asset(url: str) -> bool:
    return PurePosixPath(urlsplit(url).path).suffix.lower() in ASSET_EXTENSIONS or \
        attachment_extension(url) is not None


class EstateSpider(scrapy.Spider):
    name = "govwatch"

    def __init__(self, plan: CrawlPlan, frontier: Frontier | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.limits = plan.crawl
        self.parsers = Parsers(plan.crawl.attachment_timeout)
        # Every URL requested once (page or link check), the page budget, query variants, and body
        # digests (`/` and `/index.html`, or any two URLs serving the same bytes, are checked once,
        # so one problem is not reported twice): this crawl's alone, or a distributed scan's.
        self.frontier: Frontier = frontier or LocalFrontier()
        self.in_flight = 0
        self.known: frozenset[str] = frozenset()  # incremental: pages checked before, never fetched again
        if plan.incremental:
            self.known = frozenset(plan.incremental.known)
            for url in plan.incremental.fresh:  # alive recently: not requested again
                self.frontier.claim(url)

    @property
    def skipped(self) -> dict[str, int]:
        """Pages not crawled, by the bound that stopped them."""
        return self.frontier.skipped()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> EstateSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.headers_received, signal=signals.headers_received)
        crawler.signals.connect(spider.bytes_received, signal=signals.bytes_received)
        crawler.signals.connect(spider.parsers.close, signal=signals.spider_closed)
        if spider.plan.cluster is not None:
            acknowledge_callbacks(spider)
        return spider

    # -- scheduling -----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.plan.check_url:
            site = self.plan.site_for(self.plan.check_url) or self.plan.sites[0]
            homepage = site.url.rstrip("/") == self.plan.check_url.rstrip("/")  # as the scan judges it
            self.frontier.claim(self.plan.check_url)
            yield self._page_request(self.plan.check_url, site, depth=0, homepage=homepage)
            return
        if self.plan.cluster and not self.plan.cluster.seeds:
            return  # a worker of a distributed scan: the leader's crawl seeds the shared frontier
        for url in self.plan.only_urls:
            owner = self.plan.site_for(url)
            if owner is not None and self.frontier.claim(url):
                yield self._page_request(url, owner, depth=0, homepage=owner.url == url)
        if self.plan.incremental:
            for request in self._incremental_start():
                yield request
        elif not self.plan.only_urls:
            for site in self.plan.sites:
                if self.frontier.claim(site.url):
                    yield self._page_request(site.url, site, depth=0, homepage=True)
        for listing in self.plan.superior:
            if self.frontier.claim(listing.url):
                yield self._request(listing.url, self.parse_superior, self.superior_failed,
                                    {"superior": listing.name, "limit": self.limits.max_response_size})
        self.frontier.seeded()

    def _page_request(self, url: str, site: PlanSite, depth: int, homepage: bool) -> scrapy.Request:
        self.frontier.add_page()
        return self._request(url, self.parse_page, self.page_failed,
                             {"site": site.name, "depth": depth, "homepage": homepage,
                              "limit": self.limits.max_response_size})

    def _attachment_request(self, url: str, site: PlanSite, referrer: str) -> scrapy.Request:
        return self._request(url, self.parse_attachment, self.link_failed,
                             {"site": site.name, "referrer": referrer, "attachment": True,
                              "limit": self.limits.max_attachment_size})

    def _link_request(self, url: str, method: str = "HEAD") -> scrapy.Request:
        callback = self.link_head if method == "HEAD" else self.link_get
        return self._request(url, callback, self.link_failed, {"limit": LINK_GET_LIMIT}, method)

    def _request(self, url: str, callback: Any, errback: Any, meta: dict[str, Any],
                 method: str = "GET") -> scrapy.Request:
        self.in_flight += 1
        # dont_filter: we deduplicate ourselves (the frontier), and Scrapy's filter would silently swallow the
        # second hop of a redirect loop, leaving the link with no outcome at all.
        return scrapy.Request(url, callback=callback, errback=errback, method=method,
                              meta={**meta, "target": url}, dont_filter=True)

    def _follow(self, page: Page, depth: int) -> Iterator[scrapy.Request]:
        """Requests for whatever this page points at that has not been requested yet."""
        crawling = self.plan.following
        for link in page.links:
            url = link.url
            if not url.startswith(("http://", "https://")) or not self.frontier.claim(url):
                continue
            owner = self.plan.site_for(url)
            if url in self.known:  # incremental: checked before, so only its link is checked (when due)
                owner = None
            if owner and attachment_extension(url) in ATTACHMENT_EXTENSIONS and self.limits.attachments:
                yield self._attachment_request(url, owner, page.url)
            elif owner and crawling and link.tag in PAGE_TAGS and not is_asset(url) \
                    and self._may_crawl(url, depth + 1):
                yield self._page_request(url, owner, depth + 1, homepage=False)
            elif self.limits.check_links:
                yield self._link_request(url)
            else:
                self.frontier.release(url)  # not requested: a shallower link may still crawl it

    def _may_crawl(self, url: str, depth: int) -> bool:
        """Whether a bound lets this page be crawled; the bounds that refuse are counted."""
        if depth > self.limits.max_depth:
            self.frontier.skip("max_depth")
            return False
        if self.frontier.pages() >= self.limits.max_pages:
            self.frontier.skip("max_pages")
            return False
        parts = urlsplit(url)
        if parts.query:
            if self.frontier.add_query_variant(f"{parts.netloc}{parts.path}") > self.limits.max_query_variants:
                self.frontier.skip("max_query_variants")
                return False
        return True

    # -- pages ----------------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        """A page of a configured site: judge it, parse it off the reactor, follow what it links."""
        self.in_flight -= 1
        meta = response.meta
        site = self._site(meta["site"])
        target = meta["target"]
        if meta["homepage"]:
            yield SiteEvent(SiteStatus(site.name, site.url, site.unit, response.status < 400,
                                       "" if response.status < 400 else f"HTTP {response.status}"))
        if response.status >= 400:
            yield LinkEvent(linkcheck.from_status(target, response.status))
            return
        if self._unchanged(response):
            for event in self._kept(response):
                yield event
            return
        if self._left_site(response, site):
            for event in self._redirected_away(response, meta["homepage"]):
                yield event
            return
        if not _is_html(response):
            async for event in self._attachment_or_asset(response, site):
                yield event
            return
        digest = hashlib.sha1(response.body).digest()
        alive = self.frontier.body(digest, target)
        if alive is not None:
            yield LinkEvent(self._same_body_status(target, response.status, alive))
            return
        try:
            page, html, extra = await self.parsers.in_thread(
                self._parsed_page, response.body, _header_charset(response), response.url, site, meta["homepage"])
        except Exception as exc:  # one broken page is logged and counted; the crawl goes on
            self.logger.exception("cannot parse %s", response.url)
            yield ErrorEvent(response.url, f"页面解析失败：{exc}")
            yield LinkEvent(LinkStatus(target, True, response.status))
            return
        status = linkcheck.from_status(target, response.status, page.title, page.text, heading=page.heading)
        self.frontier.add_body(digest, target, status.ok)
        yield LinkEvent(status)
        if not status.ok:
            return
        self._complete(page, response, extra)
        page.body_hash = digest.hex()
        page.etag, page.last_modified = _header(response, b"ETag"), _header(response, b"Last-Modified")
        for request in self._follow(page, meta["depth"]):
            yield request
        for request in self._list_proxies(html, page, site, meta["depth"]):
            yield request
        yield self._page_event(page)

    def _parsed_page(self, body: bytes, charset: str | None, url: str, site: PlanSite,
                     homepage: bool) -> tuple[Page, str, list[str]]:
        """Decode and extract (runs in a parser thread): the page, its HTML and script-built URLs."""
        html, encoding = decode_html(body, charset)
        page, extra = extract_page(url, html, site=site.name, unit=site.unit,
                                   today=self.plan.today, is_homepage=homepage)
        page.encoding = encoding
        return page, html, extra

    def _complete(self, page: Page, response: Response, extra: list[str]) -> None:
        """What the response adds to the parsed page: status, headers, crawl position, list links."""
        meta = response.meta
        page.status, page.depth = response.status, meta["depth"]
        page.content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        page.url = meta["target"] if meta["homepage"] else page.url
        if "download_stopped" in response.flags:
            self.logger.warning("%s cut off at %d bytes", response.url, len(response.body))
        # Script-built list items and pager pages are links a visitor clicks: check and count them.
        known = {link.url for link in page.links}
        page.links += [Link(url, "a") for url in dict.fromkeys(extra) if url not in known]
        page.column_url, page.empty_notice, page.fixed_content = column_of(page)
        if page.is_homepage:  # the footer identifiers the inspection looks for on the homepage
            page.site_marks = site_marks(page)

    def _left_site(self, response: Response, site: PlanSite) -> bool:
        return self.plan.site_for(response.url) is not site and self.plan.following

    def _redirected_away(self, response: Response, homepage: bool) -> Iterator[Event]:
        target = response.meta["target"]
        yield LinkEvent(LinkStatus(target, True, response.status))
        if homepage:
            yield ErrorEvent(target, f"首页跳转到 {response.url}，不在本站范围内；请在配置中填写跳转后的网址")

    def _same_body_status(self, target: str, status: int, alive: bool) -> LinkStatus:
        return LinkStatus(target, alive, status, "" if alive else "与已判定失效的页面内容相同")

    def _list_proxies(self, html: str, page: Page, site: PlanSite, depth: int) -> Iterator[scrapy.Request]:
        """Hanweb columns longer than one group keep the rest behind jpage's data proxy."""
        if not self.plan.following:
            return
        for url in datastore_proxy_urls(html, page.url):
            if not self.frontier.claim(url):
                continue
            if not self._may_crawl(url, depth + 1):
                self.frontier.release(url)
                continue
            self.frontier.add_page()
            yield self._request(url, self.parse_list_proxy, self.link_failed,
                                {"site": site.name, "depth": depth + 1, "column": page.column,
                                 "column_url": page.column_url or first_list_page(page.url),
                                 "limit": self.limits.max_response_size})

    async def parse_list_proxy(self, response: Response) -> AsyncIterator[Any]:
        """A data-proxy reply: its records become a list page of the column, followed like one."""
        self.in_flight -= 1
        meta = response.meta
        yield LinkEvent(linkcheck.from_status(meta["target"], response.status))
        if response.status >= 400:
            return
        site = self._site(meta["site"])
        page = await self.parsers.in_thread(self._proxy_page, response.body, _header_charset(response),
                                            response.url, site, meta)
        page.status = response.status
        for request in self._follow(page, meta["depth"]):
            yield request
        yield self._page_event(page)

    def _proxy_page(self, body: bytes, charset: str | None, url: str, site: PlanSite,
                    meta: dict[str, Any]) -> Page:
        xml, encoding = decode_html(body, charset)
        items = datastore_records(xml, url, today=self.plan.today)
        return Page(url=meta["target"], site=site.name, unit=site.unit, encoding=encoding,
                    column=meta["column"], column_url=meta["column_url"], depth=meta["depth"], list_items=items,
                    links=[Link(item.url, "a", item.title) for item in items],
                    text="\n".join(item.title for item in items))

    async def parse_superior(self, response: Response) -> AsyncIterator[Event]:
        """A superior site's list: its items are what our repost column must carry."""
        self.in_flight -= 1
        meta = response.meta
        if response.status >= 400:
            yield ListEvent(meta["superior"], meta["target"], reason=f"HTTP {response.status}")
            return
        page, _, _ = await self.parsers.in_thread(
            self._parsed_page, response.body, _header_charset(response), response.url,
            PlanSite(meta["superior"], meta["target"]), False)
        yield ListEvent(meta["superior"], meta["target"], page.list_items)

    def superior_failed(self, failure: Failure) -> Iterator[Event]:
        self.in_flight -= 1
        meta = failure.request.meta
        yield ListEvent(meta["superior"], meta["target"],
                        reason=linkcheck.from_failure(meta["target"], failure, self.limits.timeout).reason)

    def page_failed(self, failure: Failure) -> Iterator[Event]:
        self.in_flight -= 1
        meta = failure.request.meta
        status = linkcheck.from_failure(meta["target"], failure, self.limits.timeout)
        if meta.get("homepage"):
            site = self._site(meta["site"])
            yield SiteEvent(SiteStatus(site.name, site.url, site.unit, False, status.reason))
        yield LinkEvent(status)

    # -- attachments ----------------------------------------------------------------------------

    async def parse_attachment(self, response: Response) -> AsyncIterator[Event]:
        self.in_flight -= 1
        if response.status >= 400:
            yield LinkEvent(linkcheck.from_status(response.meta["target"], response.status))
            return
        async for event in self._attachment_or_asset(response, self._site(response.meta["site"])):
            yield event

    async def _attachment_or_asset(self, response: Response, site: PlanSite) -> AsyncIterator[Event]:
        target = response.meta["target"]
        yield LinkEvent(LinkStatus(target, True, response.status))
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        kind = attachment_type(response.url, content_type, response.body[:2048])
        if kind is None or not self.limits.attachments:
            return
        if "download_stopped" in response.flags:
            yield ErrorEvent(target, f"附件超过 {self.limits.max_attachment_size} 字节，未检查内容")
            return
        try:
            text = await self.parsers.attachment_text(response.body, kind)
        except AttachmentError as exc:
            yield ErrorEvent(target, f"附件无法读取：{exc}")
            return
        yield self._page_event(Page(url=target, site=site.name, unit=site.unit, kind="attachment",
                                    status=response.status, content_type=content_type, text=text,
                                    referrer=response.meta.get("referrer", "")))

    # -- link checks ----------------------------------------------------------------------------

    def link_head(self, response: Response) -> Iterator[Any]:
        self.in_flight -= 1
        target = response.meta["target"]
        if response.status >= 400 or (response.status < 300 and _is_html(response)):
            yield self._link_request(target, "GET")  # confirm with GET; read HTML for soft 404s
            return
        yield LinkEvent(LinkStatus(target, True, response.status))

    async def link_get(self, response: Response) -> AsyncIterator[Event]:
        self.in_flight -= 1
        title = heading = text = ""
        if response.status < 300 and _is_html(response):
            title, heading, text = await self.parsers.in_thread(
                _summary, response.body, _header_charset(response))
        yield LinkEvent(linkcheck.from_status(response.meta["target"], response.status, title, text,
                                              heading=heading))

    def link_failed(self, failure: Failure) -> Iterator[Event]:
        self.in_flight -= 1
        yield LinkEvent(linkcheck.from_failure(failure.request.meta["target"], failure, self.limits.timeout))

    # -- size limits ----------------------------------------------------------------------------

    def headers_received(self, headers: Any, body_length: int, request: scrapy.Request, spider: Any) -> None:
        limit = request.meta.get("limit")
        if request.meta.get("attachment") and limit and body_length > limit:
            raise StopDownload(fail=False)  # too large to check, but alive: don't download it

    def bytes_received(self, data: bytes, request: scrapy.Request, spider: Any) -> None:
        """Cut a response off at its limit instead of failing it: the start is still checked."""
        limit = request.meta.get("limit")
        if not limit:
            return
        request.meta["received"] = request.meta.get("received", 0) + len(data)
        if request.meta["received"] > limit:
            raise StopDownload(fail=False)

    # -- incremental scans ----------------------------------------------------------------------

    def _incremental_start(self) -> Iterator[scrapy.Request]:
        """Re-read the known pages where new items appear; check again the targets found dead."""
        assert self.plan.incremental is not None
        for reread in self.plan.incremental.reread:
            site = self.plan.site_for(reread.url)
            if site is not None:  # requested whatever `fresh` says: a re-read is the point
                self.frontier.claim(reread.url)
                homepage = site.url == reread.url
                request = self._page_request(reread.url, site, depth=0 if homepage else 1, homepage=homepage)
                request.meta["body_hash"] = reread.body_hash
                if reread.etag:
                    request.headers["If-None-Match"] = reread.etag
                if reread.last_modified:
                    request.headers["If-Modified-Since"] = reread.last_modified
                yield request
        if self.limits.check_links:
            for url in self.plan.incremental.dead:
                if self.frontier.claim(url):  # straight to GET: a dead target's HEAD is refused or 4xx
                    yield self._link_request(url, "GET")

    def _unchanged(self, response: Response) -> bool:
        """A re-read page the server says (304) or shows (the same body) has not changed."""
        if "body_hash" not in response.meta:
            return False
        return response.status == 304 or (
            response.status == 200 and hashlib.sha1(response.body).hexdigest() == response.meta["body_hash"])

    def _kept(self, response: Response) -> Iterator[Event]:
        target = response.meta["target"]
        yield LinkEvent(LinkStatus(target, True, 200))  # a 304 confirms the 200 it was last read with
        yield UnchangedEvent(target, _header(response, b"ETag"), _header(response, b"Last-Modified"))

    # -- helpers --------------------------------------------------------------------------------

    def _page_event(self, page: Page) -> PageEvent:
        page.fetched_at = datetime.now(timezone.utc)
        return PageEvent(page, self.in_flight)

    def _site(self, name: str) -> PlanSite:
        return next(s for s in self.plan.sites if s.name == name)


def _summary(body: bytes, charset: str | None) -> tuple[str, str, str]:
    html, _ = decode_html(body, charset)
    return title_heading_text(html)


def _is_html(response: Response) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if content_type:
        return "html" in content_type
    return response.body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))


def _header(response: Response, name: bytes) -> str:
    return response.headers.get(name, b"").decode("latin-1")


def _header_charset(response: Response) -> str | None:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None
