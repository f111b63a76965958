"""The distributed frontier's queue against a real Redis: nothing popped is lost until acknowledged."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Iterator

import pytest
import redis
import scrapy

from crawler.distributed import ACK_TOKEN, ReliableQueue
from crawler.frontier import RedisFrontier, ScanKeys, acknowledge, pending, requeue
from crawler.plan import CrawlPlan, PlanCluster, PlanSite


class _Spider(scrapy.Spider):
    name = "govwatch"

    def __init__(self, prefix: str, member: str) -> None:
        super().__init__()
        self.plan = CrawlPlan([PlanSite("s", "http://127.0.0.1/")], date(2026, 11, 23),
                              cluster=PlanCluster(prefix, member))

    def parse(self, response: Any) -> None:  # the callback requests are serialized with
        pass


@pytest.fixture
def server(redis_url: str) -> Iterator[tuple[redis.Redis, ScanKeys]]:
    client = redis.Redis.from_url(redis_url)
    keys = ScanKeys(f"govwatch-test:{uuid.uuid4().hex}")
    yield client, keys
    for key in client.scan_iter(match=f"{keys.prefix}:*"):
        client.delete(key)


def _queue(client: redis.Redis, keys: ScanKeys, member: str) -> ReliableQueue:
    spider = _Spider(keys.prefix, member)
    client.sadd(keys.members, member)
    return ReliableQueue(client, spider, keys.requests)


def test_a_popped_request_is_held_until_acknowledged(server: tuple[redis.Redis, ScanKeys]) -> None:
    client, keys = server
    queue = _queue(client, keys, "a")
    queue.push(scrapy.Request("http://127.0.0.1/1", callback=queue.spider.parse, dont_filter=True))
    request = queue.pop()
    assert request.url == "http://127.0.0.1/1" and len(queue) == 0
    assert pending(client, keys) == 1  # held by member a: the scan is not over
    acknowledge(client, keys, "a", [request.meta[ACK_TOKEN]])
    assert pending(client, keys) == 0


def test_a_dead_members_requests_go_back_to_the_queue(server: tuple[redis.Redis, ScanKeys]) -> None:
    client, keys = server
    dying, other = _queue(client, keys, "dying"), _queue(client, keys, "other")
    for n in range(3):
        dying.push(scrapy.Request(f"http://127.0.0.1/{n}", callback=dying.spider.parse, dont_filter=True))
    taken = [dying.pop(), dying.pop()]
    assert requeue(client, keys, "dying") == 2
    urls = {other.pop().url for _ in range(3)}
    assert urls == {"http://127.0.0.1/0", "http://127.0.0.1/1", "http://127.0.0.1/2"}
    assert other.pop() is None and len(taken) == 2


def test_a_retried_request_takes_its_predecessors_place(server: tuple[redis.Redis, ScanKeys]) -> None:
    client, keys = server
    queue = _queue(client, keys, "a")
    queue.push(scrapy.Request("http://127.0.0.1/r", callback=queue.spider.parse, dont_filter=True))
    retry = queue.pop().replace(url="http://127.0.0.1/r2")  # as RetryMiddleware or a redirect makes it
    queue.push(retry)
    assert pending(client, keys) == 1  # the new one queued, the old one gone from the processing hash
    assert queue.pop().url == "http://127.0.0.1/r2"


def test_the_redis_frontier_claims_each_url_once_over_processes(server: tuple[redis.Redis, ScanKeys]) -> None:
    client, keys = server
    one, two = RedisFrontier(client, keys, "one"), RedisFrontier(client, keys, "two")
    assert one.claim("http://127.0.0.1/a") and not two.claim("http://127.0.0.1/a")
    one.release("http://127.0.0.1/a")  # a bound refused it: someone else may crawl it
    assert two.claim("http://127.0.0.1/a") and not one.claim("http://127.0.0.1/a")
    one.add_page()
    two.add_page()
    assert one.pages() == 2 and two.add_query_variant("h/p") == 1 and one.add_query_variant("h/p") == 2
    one.skip("max_pages")
    two.skip("max_pages")
    assert one.skipped() == {"max_pages": 2}
    assert one.body("甲站", b"\x01", "http://127.0.0.1/") is None
    two.add_body("甲站", b"\x01", "http://127.0.0.1/", False)
    assert one.body("甲站", b"\x01", "http://127.0.0.1/index.html") is False  # same bytes: judged once
    assert one.body("甲站", b"\x01", "http://127.0.0.1/") is None  # the same URL again (its member died): no copy
    assert one.body("乙站", b"\x01", "http://127.0.0.2/") is None  # the same bytes on another site: its own page


def test_urls_a_dead_member_claimed_but_never_queued_can_be_claimed_again(
        server: tuple[redis.Redis, ScanKeys]) -> None:
    client, keys = server
    dying, other = RedisFrontier(client, keys, "dying"), RedisFrontier(client, keys, "other")
    queue = _queue(client, keys, "dying")
    assert dying.claim("http://127.0.0.1/queued") and dying.claim("http://127.0.0.1/lost")
    queue.push(scrapy.Request("http://127.0.0.1/queued", callback=queue.spider.parse, dont_filter=True))
    requeue(client, keys, "dying")  # died before queueing /lost: its page will be fetched again
    assert other.claim("http://127.0.0.1/lost") and not other.claim("http://127.0.0.1/queued")


# redis-py sends a command again, with the same arguments, when its connection broke before the
# answer came: Redis killed after it saved the command (append-only file) and before it replied.


def test_a_claim_sent_again_after_its_answer_was_lost_is_still_the_members(
        server: tuple[redis.Redis, ScanKeys]) -> None:
    client, keys = server
    one = RedisFrontier(client, keys, "one")
    assert one.claim("http://127.0.0.1/img.png")
    again = RedisFrontier(client, keys, "one")  # the same member, which never saw that answer
    assert again.claim("http://127.0.0.1/img.png"), "its own claim: lost, the URL would never be requested"
    assert not RedisFrontier(client, keys, "two").claim("http://127.0.0.1/img.png")


def test_a_pop_sent_again_after_its_answer_was_lost_returns_the_same_request(
        server: tuple[redis.Redis, ScanKeys]) -> None:
    client, keys = server
    queue = _queue(client, keys, "a")
    for n in range(2):
        queue.push(scrapy.Request(f"http://127.0.0.1/{n}", callback=queue.spider.parse, dont_filter=True))
    token = uuid.uuid4().hex
    first = queue._pop(keys=[queue.key, queue.processing], args=[token])
    assert queue._pop(keys=[queue.key, queue.processing], args=[token]) == first
    assert len(queue) == 1 and pending(client, keys) == 2, "the other request is still queued, none lost"
    assert queue.pop().url == "http://127.0.0.1/1"
