"""The crawl side of a distributed scan: scrapy-redis's scheduler with a queue that loses nothing.

scrapy-redis keeps the frontier (a Redis list) and the seen-set (its dupefilter's Redis set) for every
crawl process of the scan. Its queues pop destructively, so a worker killed mid-request would lose
what it held. `ReliableQueue` moves each popped request into its crawl process's processing hash
instead; the request is acknowledged (removed) by the parent process once every event it caused is
stored, and `crawler.frontier.requeue` puts a dead member's processing hash back on the queue. A request that leaves
the downloader as a new one (a retry, a redirect) replaces its predecessor there in one transaction.
"""

from __future__ import annotations

import functools
import logging
import uuid
from typing import Any, AsyncIterator, Callable

import redis
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import FifoQueue

from core.events import AckEvent

from .frontier import REDIS_GONE, ScanKeys, client_options, connect, url_fingerprint
from .plan import CrawlPlan

ACK_TOKEN = "govwatch_ack"  # request meta: the token of the processing entry this request came from

log = logging.getLogger(__name__)

# Pop the oldest request and keep it under a fresh token in the member's processing hash, atomically.
# A token already held is this pop sent again because its answer was lost (Redis killed after saving
# it, before replying): that request is the answer; popping another would overwrite and lose it.
_POP = """
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then return held end
local data = redis.call('RPOP', KEYS[1])
if data then redis.call('HSET', KEYS[2], ARGV[1], data) end
return data
"""

class UrlDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter over exact URLs: its set is the one `RedisFrontier.claim` fills.

    The spider requests with `dont_filter` (a redirect loop's second hop must not be swallowed), so
    the scheduler never asks this filter; the spider claims each URL once, before requesting it.
    """

    def request_fingerprint(self, request: Any) -> str:
        return url_fingerprint(request.url)


class ReliableQueue(FifoQueue):
    """scrapy-redis's FIFO queue (breadth-first, like the local crawl), popping into a processing hash."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        cluster = spider.plan.cluster  # type: ignore[attr-defined]
        keys = ScanKeys(cluster.key)
        self.processing, self.claims = keys.processing(cluster.member), keys.claims(cluster.member)
        self._pop = server.register_script(_POP)

    def push(self, request: Any) -> None:
        """Queue a request: its URL is no longer only claimed; a retry or a redirect takes the place of
        the request it comes from, all in one transaction."""
        token = request.meta.pop(ACK_TOKEN, None)
        pipe = self.server.pipeline(transaction=True)
        pipe.lpush(self.key, self._encode_request(request))
        pipe.srem(self.claims, url_fingerprint(request.url))
        if token is not None:
            pipe.hdel(self.processing, token)
        try:
            pipe.execute()
        except redis.ConnectionError as exc:  # the scan fails: what it would have queued goes with it
            end_crawl(self.spider, exc)

    def pop(self, timeout: int = 0) -> Any:
        token = uuid.uuid4().hex
        try:
            data = self._pop(keys=[self.key, self.processing], args=[token])
        except redis.ConnectionError as exc:
            end_crawl(self.spider, exc)
            return None
        if not data:
            return None
        request = self._decode_request(data)
        request.meta[ACK_TOKEN] = token
        return request

    def __len__(self) -> int:
        try:
            return int(super().__len__())
        except redis.ConnectionError as exc:
            end_crawl(self.spider, exc)
            return 0


def end_crawl(spider: Spider, exc: redis.ConnectionError) -> None:
    """Redis stayed away longer than its clients wait (`crawl.redis_outage_seconds`): end the
    crawl, once, with REDIS_GONE as its reason, instead of going on without its frontier."""
    if getattr(spider, "redis_gone", False):
        return
    spider.redis_gone = True  # type: ignore[attr-defined]
    log.error("Redis gone, ending the crawl: %s", exc)
    deferred_from_coro(spider.crawler.engine.close_spider_async(reason=REDIS_GONE))


class ScanMember:
    """Extension: keeps a distributed scan's crawl open while the scan runs, even with nothing to do
    (another member's pages may lead to more); closes it once the leader ends the scan or is gone."""

    def __init__(self, server: Any, keys: ScanKeys) -> None:
        self.server, self.keys = server, keys

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScanMember:
        prefix = crawler.settings.get("GOVWATCH_SCAN_KEY")
        if not prefix:
            raise NotConfigured
        member = cls(connect(crawler.settings.get("REDIS_URL"), crawler.settings.getfloat("GOVWATCH_REDIS_OUTAGE_SECONDS")),
                     ScanKeys(prefix))
        crawler.signals.connect(member.spider_idle, signal=signals.spider_idle)
        return member

    def spider_idle(self, spider: Spider) -> None:
        try:
            running = not self.server.exists(self.keys.done) and self.server.exists(self.keys.leader)
        except redis.ConnectionError as exc:
            end_crawl(spider, exc)
            raise DontCloseSpider from None  # closing already, as REDIS_GONE rather than finished
        if running:
            raise DontCloseSpider


CALLBACKS = ("parse_page", "parse_list_proxy", "parse_superior", "superior_failed", "page_failed",
             "parse_attachment", "link_head", "link_get", "link_failed")


def acknowledge_callbacks(spider: Spider) -> None:
    """Make every callback and errback end with the AckEvent of the request it handled.

    Bound to the spider under their own names, so scrapy-redis still finds them when it serializes
    a request (retries, redirects, new links) and a worker that decodes it calls the wrapped one.
    """
    for name in CALLBACKS:
        method = getattr(spider, name)
        setattr(spider, name, _acknowledged(method.__func__).__get__(spider))


def _acknowledged(callback: Callable[..., Any]) -> Callable[..., AsyncIterator[Any]]:
    @functools.wraps(callback)
    async def handle(self: Spider, result: Any) -> AsyncIterator[Any]:
        request = getattr(result, "request", None)
        token = request.meta.get(ACK_TOKEN) if request is not None else None
        output = callback(self, result)
        try:
            if hasattr(output, "__aiter__"):
                async for item in output:
                    yield item
            else:
                for item in output:
                    yield item
        except Exception:
            if token:  # a callback that crashes must not come back forever
                yield AckEvent(token)
            raise
        if token:
            yield AckEvent(token)
    return handle


def redis_settings(plan: CrawlPlan, redis_url: str) -> dict[str, Any]:
    """Scrapy settings of a distributed scan's crawl process: scrapy-redis's scheduler on our keys."""
    assert plan.cluster is not None
    keys = ScanKeys(plan.cluster.key)
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.ReliableQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.seen,
        "DUPEFILTER_CLASS": "crawler.distributed.UrlDupeFilter",
        "SCHEDULER_PERSIST": True,  # one member closing must not wipe the scan's frontier
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor on an empty queue
        "REDIS_URL": redis_url,
        # scrapy-redis's clients wait out a Redis restart as ours do
        "REDIS_PARAMS": client_options(plan.crawl.redis_outage_seconds),
        "GOVWATCH_REDIS_OUTAGE_SECONDS": plan.crawl.redis_outage_seconds,
        "GOVWATCH_SCAN_KEY": plan.cluster.key,
        "EXTENSIONS": {"crawler.distributed.ScanMember": 0},
    }
