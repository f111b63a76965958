"""The Scrapy spider that walks an estate, builds page models and checks every link target once.

Each configured site is crawled inside its own host (host:port); a link to a sibling site's page is
crawled as the sibling's page, and outside hosts are only requested, never crawled. Every link target
gets exactly one outcome per scan: a crawled page's own response is its outcome, anything else is
checked with HEAD, falling back to GET for servers that reject HEAD and for HTML (soft-404 check).
The spider yields `core.events` that `crawler.pipeline.EventWriter` streams to the parent process.
An incremental scan (`plan.incremental`) starts from the pages where new items appear, re-read with
conditional requests, and fetches only pages it has not seen; see the section at the end.
Large pages are parsed off the reactor thread (`crawler.parsing`), so slow pages never starve live sockets.
"""

from __future__ import annotations

import asyncio
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

from core.events import (ErrorEvent, Event, LinkEvent, ListEvent, PageEvent, SiteEvent, TruncatedEvent,
                         UnchangedEvent)
from core.model import Link, LinkStatus, Page, SiteStatus
from core.urls import MAX_URL_LENGTH, first_list_page

from . import linkcheck
from .attachments import ATTACHMENT_EXTENSIONS, AttachmentError, attachment_extension, attachment_type
from .decompression import TRUNCATED, UNDECODABLE
from .distributed import acknowledge_callbacks
from .encoding import decode_html
from .extract import Tree, complete_page, judge_page, read_page, read_text, title_heading_text, title_may_hold
from .frontier import Frontier, LocalFrontier
from .journal import Journal
from .letters import ASKED_LABEL
from .lists import datastore_proxy_groups, datastore_records, names_data_proxy, proxy_groups_after
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

    def __init__(self, plan: CrawlPlan, frontier: Frontier | None = None, journal: Journal | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.limits = plan.crawl
        self.parsers = Parsers(plan.crawl.attachment_timeout, memory_mb=plan.crawl.attachment_memory_mb)
        # Every URL requested once (page or link check), the page budget, query variants, and body
        # digests per site (`/` and `/index.html`, or any two URLs of a site serving the same bytes,
        # are checked once, so one problem is not reported twice): this crawl's alone, or a distributed scan's.
        self.frontier: Frontier = frontier or LocalFrontier()
        # What this process queues and fetches, for a restart after its death (a local crawl only).
        self.journal = journal
        self.in_flight = 0
        self.known: frozenset[str] = frozenset()  # incremental: pages checked before, never fetched again
        if plan.incremental:
            self.known = frozenset(plan.incremental.known)
            for url in plan.incremental.fresh:  # alive recently: not requested again
                self.frontier.claim(url)
        # The sites this process crawls; links to the others' pages are handed to their process.
        self.own_sites = frozenset(plan.part.sites if plan.part else (s.name for s in plan.sites))
        self.resumed: frozenset[str] = frozenset()  # requested by a crawl process that died before us
        if plan.resume and isinstance(self.frontier, LocalFrontier):
            self.frontier.restore(plan.resume)
            self.resumed = frozenset(plan.resume.claimed)

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
        if self.plan.resume:
            async for request in self._resumed_start():
                yield request
        if self.plan.check_url:
            site = self.plan.site_for(self.plan.check_url) or self.plan.sites[0]
            homepage = site.url.rstrip("/") == self.plan.check_url.rstrip("/")  # as the scan judges it
            if self.frontier.claim(self.plan.check_url):
                yield self._page_request(self.plan.check_url, site, depth=0, homepage=homepage)
            return
        if self.plan.cluster and not self.plan.cluster.seeds:
            return  # a worker of a distributed scan: the leader's crawl seeds the shared frontier
        for url in self.plan.only_urls:
            owner = self.plan.site_for(url)
            if owner is not None and owner.name in self.own_sites and self.frontier.claim(url):
                yield self._page_request(url, owner, depth=0, homepage=owner.url == url)
        if self.plan.incremental:
            for request in self._incremental_start():
                yield request
        elif not self.plan.only_urls:
            for site in self.plan.sites:
                if site.name in self.own_sites and self.frontier.claim(site.url):
                    yield self._page_request(site.url, site, depth=0, homepage=True)
        if self.plan.part and self.plan.part.index:
            return  # the superior lists are the first process's
        for listing in self.plan.superior:
            if self.frontier.claim(listing.url):
                yield self._request(listing.url, self.parse_superior, self.superior_failed,
                                    {"superior": listing.name, "limit": self.limits.max_response_size})
        self.frontier.seeded()

    async def _resumed_start(self) -> AsyncIterator[scrapy.Request]:
        """After a death: the requests in flight then, one at a time (each waits for the outcome of
        the one before), then the rest of the queue. A suspect is not quite alone in flight: the
        requests an earlier suspect made (its links) may still be, so a death then strikes the waiting
        suspect too, though another page may be the cause (the supervisor's rule is "in flight at two
        deaths", which this keeps; it does not prove the cause)."""
        assert self.plan.resume is not None
        patience = self.limits.timeout * (self.limits.retries + 2) + 30
        for spec in self.plan.resume.suspects:
            request = self._from_spec(spec)
            if self.journal is not None:
                self.journal.awaited = spec[0]  # the target, as its outcome names it (Scrapy may escape request.url)
            yield request
            waited = 0.0
            while self.journal is not None and self.journal.awaited and waited < patience:
                await asyncio.sleep(0.05)
                waited += 0.05
        self.logger.info("the %d requests in flight at the death are retried; the rest follow",
                         len(self.plan.resume.suspects))
        for spec in self.plan.resume.pending:
            yield self._from_spec(spec)
        for url, _site, tag, depth, referrer in self.plan.resume.handoffs:
            if self.frontier.claim(url):
                for request in self._follow_link(url, tag, depth, referrer):
                    yield request

    def _from_spec(self, spec: list[Any]) -> scrapy.Request:
        """A request a dead crawl process made (see `crawler.journal`), made again."""
        url, method, callback, errback, meta, headers = spec
        request = self._request(url, getattr(self, callback), getattr(self, errback), meta, method, headers)
        request.priority = -int(meta.get("depth", 0))  # breadth-first, as DEPTH_PRIORITY orders new ones
        return request

    def _page_request(self, url: str, site: PlanSite, depth: int, homepage: bool,
                      extra: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> scrapy.Request:
        self.frontier.add_page()
        return self._request(url, self.parse_page, self.page_failed,
                             {"site": site.name, "depth": depth, "homepage": homepage,
                              "limit": self.limits.max_response_size, **(extra or {})}, headers=headers)

    def _attachment_request(self, url: str, site: PlanSite, referrer: str) -> scrapy.Request:
        return self._request(url, self.parse_attachment, self.link_failed,
                             {"site": site.name, "referrer": referrer, "attachment": True,
                              "limit": self.limits.max_attachment_size})

    def _link_request(self, url: str, method: str = "HEAD") -> scrapy.Request:
        callback = self.link_head if method == "HEAD" else self.link_get
        return self._request(url, callback, self.link_failed, {"limit": LINK_GET_LIMIT}, method)

    def _request(self, url: str, callback: Any, errback: Any, meta: dict[str, Any],
                 method: str = "GET", headers: dict[str, str] | None = None) -> scrapy.Request:
        self.in_flight += 1
        if self.journal is not None:
            self.journal.queued(url, method, callback.__name__, errback.__name__, meta, headers or {})
        # dont_filter: we deduplicate ourselves (the frontier), and Scrapy's filter would silently swallow the
        # second hop of a redirect loop, leaving the link with no outcome at all.
        return scrapy.Request(url, callback=callback, errback=errback, method=method,
                              meta={**meta, "target": url}, headers=headers, dont_filter=True)

    def _follow(self, page: Page, depth: int) -> Iterator[scrapy.Request]:
        """Requests for whatever this page points at that has not been requested yet."""
        letters = _letter_pages(page)
        for link in page.links:
            url = link.url
            if url.startswith(("http://", "https://")) and self.frontier.claim(url):
                if len(url) > MAX_URL_LENGTH:  # claimed all the same: counted once, however many link it
                    self._too_long(url, page.url)
                    continue
                yield from self._follow_link(url, link.tag, depth, page.url, variants=url not in letters)

    def _follow_link(self, url: str, tag: str, depth: int, referrer: str, *, variants: bool = True
                     ) -> Iterator[scrapy.Request]:
        """The request for a claimed link found on a page at `depth`, if any (`variants`: whether the
        cap on query strings per path applies; a mailbox's letter pages are exempt)."""
        owner = self.plan.site_for(url)
        if url in self.known:  # incremental: checked before, so only its link is checked (when due)
            owner = None
        elif owner is not None and owner.name not in self.own_sites:  # another crawl process's site
            assert self.journal is not None
            self.journal.handoff(url, owner.name, tag, depth, referrer)
            return
        if owner and attachment_extension(url) in ATTACHMENT_EXTENSIONS and self.limits.attachments:
            yield self._attachment_request(url, owner, referrer)
        elif owner and self.plan.following and tag in PAGE_TAGS and not is_asset(url) \
                and self._may_crawl(url, depth + 1, variants=variants):
            yield self._page_request(url, owner, depth + 1, homepage=False)
        elif self.limits.check_links:
            yield self._link_request(url)
        else:
            self.frontier.release(url)  # not requested: a shallower link may still crawl it

    def _may_crawl(self, url: str, depth: int, *, variants: bool = True) -> bool:
        """Whether a bound lets this page be crawled; the bounds that refuse are counted. `variants`:
        the cap on query strings per path applies (a mailbox's letters, detail.html?id=N, are exempt)."""
        if depth > self.limits.max_depth:
            self.frontier.skip("max_depth")
            return False
        if self.frontier.pages() >= self.limits.max_pages:
            self.frontier.skip("max_pages")
            return False
        parts = urlsplit(url)
        if parts.query and variants:
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
        if UNDECODABLE in response.flags:
            yield self._unchecked(target, f"页面内容无法按其 Content-Encoding（{_header(response, b'Content-Encoding')}）"
                                          "解压，未检查")
            yield LinkEvent(LinkStatus(target, True, response.status))
            return
        digest = hashlib.sha1(response.body).digest()
        alive = self.frontier.body(site.name, digest, target)
        if alive is not None:
            yield LinkEvent(self._same_body_status(target, response.status, alive))
            return
        try:
            page, html, extra, whole = await self.parsers.body(
                response.body, self._parsed_page, _header_charset(response), response.url, site, meta["homepage"])
        except Exception as exc:  # one broken page is logged and counted; the crawl goes on
            self.logger.exception("cannot parse %s", response.url)
            yield ErrorEvent(response.url, f"页面解析失败：{exc}")
            yield LinkEvent(LinkStatus(target, True, response.status))
            return
        status = linkcheck.from_status(target, response.status, page.title, page.text, heading=page.heading)
        self.frontier.add_body(site.name, digest, target, status.ok)
        if self.journal is not None:
            self.journal.body(site.name, digest, target, status.ok)
        if status.ok:
            if _cut(response):
                yield self._truncated(target, f"页面超过 crawl.max_response_size（{meta['limit']} 字节，压缩的页面按"
                                              "解压后计），只检查了开头部分")
            self._complete(page, response, extra, whole)
            if len(page.links) > self.limits.max_links_per_page:
                yield self._truncated(target, f"页面有 {len(page.links)} 个不同的链接，超过 crawl.max_links_per_page"
                                              f"（{self.limits.max_links_per_page}），只检查了前 "
                                              f"{self.limits.max_links_per_page} 个")
                del page.links[self.limits.max_links_per_page:]
            page.body_hash = digest.hex()
            page.etag, page.last_modified = _header(response, b"ETag"), _header(response, b"Last-Modified")
            # Data-proxy requests first: a proxy the page also links (an empty recordset's) is read as its list.
            for request in self._list_proxies(html, page, site, meta["depth"]):
                yield request
            for request in self._follow(page, meta["depth"]):
                yield request
            yield self._page_event(page, read_from="" if whole else response.url)
        # Every callback ends with its target's outcome: the parent takes it as the end of the request,
        # whose other events and new requests are then all out (see crawler.journal).
        yield LinkEvent(status)

    def _parsed_page(self, body: bytes, charset: str | None, url: str, site: PlanSite, homepage: bool,
                     whole: bool = False) -> tuple[Page, str, list[str], bool]:
        """Decode and read the page: its HTML, script-built URLs, and whether the page model is whole.

        Only what the crawl needs is read here (`read_page`); the rest of the model is the parent's
        to read (`PageEvent.read_from`), unless the crawl needs it too (`whole`, or see
        `_needs_model`): the crawl process is the bound of a scan's speed.
        """
        html, encoding = decode_html(body, charset)
        # The crawl reads the page's visible text only where a word may change what the crawl does.
        not_found = linkcheck.html_may_say_not_found(html)
        page, follow, tree = read_page(url, html, site=site.name, unit=site.unit, today=self.plan.today,
                                       is_homepage=homepage, text=not_found or ASKED_LABEL.search(html) is not None)
        page.encoding = encoding
        if tree is None:  # no elements: nothing more to read
            return page, html, follow, True
        whole = whole or self._needs_model(page, html, tree, follow, not_found)
        if whole:
            if not page.text:
                read_text(page, tree)
            follow += complete_page(page, tree, self.plan.today)
        return page, html, list(dict.fromkeys(follow)), whole

    def _needs_model(self, page: Page, html: str, tree: Tree, follow: list[str], not_found: bool) -> bool:
        """Whether crawling the page reads more than `read_page` gives: a homepage (its identifiers
        are read over all its links), a consultation list (its letters' pages are exempt from the
        query cap), a Hanweb data proxy (asked for by column), more links than a page may bring
        (the checks read them all), or a title that may say "not found" (the soft-404 verdict; only
        where the HTML may, `not_found`)."""
        return (page.is_homepage or names_data_proxy(html) or bool(ASKED_LABEL.search(page.text))
                or len(page.links) + len(follow) > self.limits.max_links_per_page
                or (not_found and title_may_hold(tree, page.text, linkcheck.may_say_not_found)))

    def _complete(self, page: Page, response: Response, extra: list[str], whole: bool) -> None:
        """What the response adds to the parsed page: status, headers, crawl position, list links."""
        meta = response.meta
        page.status, page.depth = response.status, meta["depth"]
        page.content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        page.url = meta["target"] if meta["homepage"] else page.url
        # Script-built list items and pager pages are links a visitor clicks: check and count them.
        known = {link.url for link in page.links}
        page.links += [Link(url, "a") for url in dict.fromkeys(extra) if url not in known]
        if whole:
            judge_page(page)

    def _left_site(self, response: Response, site: PlanSite) -> bool:
        return self.plan.site_for(response.url) is not site and self.plan.following

    def _redirected_away(self, response: Response, homepage: bool) -> Iterator[Event]:
        target = response.meta["target"]
        if homepage:
            yield ErrorEvent(target, f"首页跳转到 {response.url}，不在本站范围内；请在配置中填写跳转后的网址")
        yield LinkEvent(LinkStatus(target, True, response.status))

    def _same_body_status(self, target: str, status: int, alive: bool) -> LinkStatus:
        return LinkStatus(target, alive, status, "" if alive else "与已判定失效的页面内容相同")

    def _list_proxies(self, html: str, page: Page, site: PlanSite, depth: int) -> Iterator[scrapy.Request]:
        """Hanweb columns longer than one group keep the rest behind jpage's data proxy; where the page
        states no total, each reply tells what follows it (`proxy_groups_after`)."""
        if not self.plan.following:
            return
        urls, chain = datastore_proxy_groups(html, page.url)
        if urls:  # most pages: no datastore, and nothing more read
            carried = {"column": page.column, "column_url": page.column_url or first_list_page(page.url),
                       **({"chain": True} if chain else {})}
            yield from self._proxy_requests(urls, site, depth + 1, carried)

    def _proxy_requests(self, urls: list[str], site: PlanSite, depth: int,
                        carried: dict[str, Any]) -> Iterator[scrapy.Request]:
        """Requests for data-proxy replies, with what their meta carries from the column's page."""
        for url in urls:
            if not self.frontier.claim(url):
                continue
            if not self._may_crawl(url, depth):
                self.frontier.release(url)
                continue
            self.frontier.add_page()
            yield self._request(url, self.parse_list_proxy, self.link_failed,
                                {"site": site.name, "depth": depth, "limit": self.limits.max_response_size, **carried})

    async def parse_list_proxy(self, response: Response) -> AsyncIterator[Any]:
        """A data-proxy reply: its records become a list page of the column, followed like one, and
        where the column's page stated no total, the groups after it are asked for (at its depth)."""
        self.in_flight -= 1
        meta = response.meta
        if response.status < 400:
            site = self._site(meta["site"])
            page, after = await self.parsers.body(response.body, self._proxy_page, _header_charset(response),
                                                  response.url, site, meta)
            page.status = response.status
            for request in self._follow(page, meta["depth"]):
                yield request
            for request in self._proxy_requests(after, site, meta["depth"], {
                    "column": meta["column"], "column_url": meta["column_url"], "chain": True}):
                yield request
            yield self._page_event(page)
        yield LinkEvent(linkcheck.from_status(meta["target"], response.status))

    def _proxy_page(self, body: bytes, charset: str | None, url: str, site: PlanSite,
                    meta: dict[str, Any]) -> tuple[Page, list[str]]:
        xml, encoding = decode_html(body, charset)
        items = datastore_records(xml, url, today=self.plan.today)
        page = Page(url=meta["target"], site=site.name, unit=site.unit, encoding=encoding,
                    column=meta["column"], column_url=meta["column_url"], depth=meta["depth"], list_items=items,
                    links=[Link(item.url, "a", item.title) for item in items],
                    text="\n".join(item.title for item in items))
        return page, proxy_groups_after(xml, meta["target"]) if meta.get("chain") else []

    async def parse_superior(self, response: Response) -> AsyncIterator[Event]:
        """A superior site's list: its items are what our repost column must carry."""
        self.in_flight -= 1
        meta = response.meta
        if response.status >= 400:
            yield ListEvent(meta["superior"], meta["target"], reason=f"HTTP {response.status}")
            return
        page, _, _, _ = await self.parsers.body(
            response.body, self._parsed_page, _header_charset(response), response.url,
            PlanSite(meta["superior"], meta["target"]), False, True)
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
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        kind = attachment_type(response.url, content_type, response.body[:2048])
        if kind is not None and self.limits.attachments:
            yield await self._attachment_event(response, site, kind, content_type)
        yield LinkEvent(LinkStatus(target, True, response.status))  # last, as in parse_page

    async def _attachment_event(self, response: Response, site: PlanSite, kind: str,
                                content_type: str) -> Event:
        """The attachment's text as a page, or why it was not checked (named in the scan's notes)."""
        target = response.meta["target"]
        if _cut(response):
            return self._unchecked(target, f"附件超过 crawl.max_attachment_size（{self.limits.max_attachment_size} "
                                           "字节，压缩的附件按解压后计），未检查内容")
        if UNDECODABLE in response.flags:
            return self._unchecked(target, "附件内容无法按其 Content-Encoding 解压，未检查")
        try:
            text = await self.parsers.attachment_text(response.body, kind)
        except AttachmentError as exc:
            return self._unchecked(target, f"附件无法读取：{exc}")
        return self._page_event(Page(url=target, site=site.name, unit=site.unit, kind="attachment",
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
            title, heading, text = await self.parsers.body(
                response.body, _summary, _header_charset(response))
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
            # Requested whatever `fresh` says (a re-read is the point), but once per scan.
            if site is not None and site.name in self.own_sites and reread.url not in self.resumed:
                self.frontier.claim(reread.url)
                homepage = site.url == reread.url
                headers = {"If-None-Match": reread.etag, "If-Modified-Since": reread.last_modified}
                yield self._page_request(reread.url, site, depth=0 if homepage else 1, homepage=homepage,
                                         extra={"body_hash": reread.body_hash},
                                         headers={k: v for k, v in headers.items() if v})
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
        yield UnchangedEvent(target, _header(response, b"ETag"), _header(response, b"Last-Modified"))
        yield LinkEvent(LinkStatus(target, True, 200))  # a 304 confirms the 200 it was last read with

    # -- helpers --------------------------------------------------------------------------------

    def _unchecked(self, url: str, message: str) -> ErrorEvent:
        """What could not be checked, named in the crawl log as well as in the scan's notes."""
        self.logger.warning("not checked: %s: %s", url, message)
        return ErrorEvent(url, message)

    def _too_long(self, url: str, referrer: str) -> None:
        """A link never requested, for its length: counted as a bound (the scan's notes) and named here."""
        self.frontier.skip("url_length")
        self.logger.warning("not requested: a URL over %d characters on %s: %s", MAX_URL_LENGTH, referrer, url)

    def _truncated(self, url: str, message: str) -> TruncatedEvent:
        self.logger.warning("checked in part: %s: %s", url, message)
        return TruncatedEvent(url, message)

    def _page_event(self, page: Page, read_from: str = "") -> PageEvent:
        page.fetched_at = datetime.now(timezone.utc)
        return PageEvent(page, self.in_flight, read_from)

    def _site(self, name: str) -> PlanSite:
        return next(s for s in self.plan.sites if s.name == name)


def _summary(body: bytes, charset: str | None) -> tuple[str, str, str]:
    """What a soft-404 verdict reads of a link's target: nothing where its HTML cannot say "not found"."""
    html, _ = decode_html(body, charset)
    return title_heading_text(html) if linkcheck.html_may_say_not_found(html) else ("", "", "")


def _cut(response: Response) -> bool:
    """Whether the body stopped at its limit: on the wire (the spider's StopDownload) or inflated."""
    return "download_stopped" in response.flags or TRUNCATED in response.flags


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


def _letter_pages(page: Page) -> frozenset[str]:
    """The pages of a consultation column's messages and of its list's other pages: a mailbox serves
    hundreds of letters as detail.html?id=N, which the query-variant cap (calendar traps) would cut."""
    if not page.letters:
        return frozenset()
    path = urlsplit(page.url).path
    return frozenset({letter.url for letter in page.letters} |
                     {link.url for link in page.links if urlsplit(link.url).path == path})
