"""A scan's shared crawl state: which URLs were requested, the page budget, query variants, bodies.

A crawl alone keeps it in memory (`LocalFrontier`). The crawl processes of a distributed scan share
it in Redis (`RedisFrontier`) under the scan's keys (`ScanKeys`), so each URL is requested once over
all of them, the bounds hold for the whole scan, and `/` and `/index.html` are checked once even when
two machines fetch them. The spider asks the same questions of both. The requests a member took and
has not stored yet are in its processing hash (see `crawler.distributed.ReliableQueue`); the helpers
here acknowledge, count and requeue them without loading Scrapy, for the processes that store.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Protocol

import redis
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from .plan import Resume


@dataclass(frozen=True)
class ScanKeys:
    """The Redis keys of one distributed scan, all under `prefix` (`govwatch:<database id>:scan:<id>`)."""

    prefix: str

    @property
    def requests(self) -> str:  # list: the frontier, serialized requests (scrapy-redis queue)
        return f"{self.prefix}:requests"

    @property
    def seen(self) -> str:  # set: URL fingerprints requested so far (scrapy-redis dupefilter)
        return f"{self.prefix}:seen"

    @property
    def pages(self) -> str:  # counter: pages scheduled, against crawl.max_pages
        return f"{self.prefix}:pages"

    @property
    def variants(self) -> str:  # hash: host+path -> query variants followed
        return f"{self.prefix}:variants"

    @property
    def skipped(self) -> str:  # hash: bound -> pages it left uncrawled
        return f"{self.prefix}:skipped"

    @property
    def bodies(self) -> str:  # hash: "<body digest> <site>" -> "1 <url>" live page / "0 <url>" dead one, first seen
        return f"{self.prefix}:bodies"

    @property
    def seeded(self) -> str:  # flag: the leader's crawl has queued every start request
        return f"{self.prefix}:seeded"

    @property
    def done(self) -> str:  # "finished" or "interrupted": the leader ended the scan
        return f"{self.prefix}:done"

    @property
    def leader(self) -> str:  # expiring: the leader is alive
        return f"{self.prefix}:leader"

    @property
    def members(self) -> str:  # set: crawl processes that joined and have not left
        return f"{self.prefix}:members"

    @property
    def stats(self) -> str:  # hash: counts every member adds when it leaves
        return f"{self.prefix}:stats"

    @property
    def reported(self) -> str:  # set: members whose counts are in `stats` (a report sent again adds nothing)
        return f"{self.prefix}:reported"

    def processing(self, member: str) -> str:  # hash: token -> request taken by `member`, not yet stored
        return f"{self.prefix}:processing:{member}"

    def alive(self, member: str) -> str:  # expiring: `member` is alive
        return f"{self.prefix}:alive:{member}"

    def claims(self, member: str) -> str:  # set: URLs `member` claimed whose request is not queued yet
        return f"{self.prefix}:claims:{member}"


# A member's unfinished requests back to the head of the queue (they are taken next), and the URLs it
# claimed but never queued back to unseen (the requests that found them will find them again), atomically.
_REQUEUE = """
local entries = redis.call('HVALS', KEYS[2])
for _, data in ipairs(entries) do redis.call('RPUSH', KEYS[1], data) end
redis.call('DEL', KEYS[2])
for _, fingerprint in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('SREM', KEYS[4], fingerprint) end
redis.call('DEL', KEYS[3])
return #entries
"""
# Claim a URL for the scan and note it among this member's claims until its request is queued. A
# claim already among the member's own is its own, sent again because the answer was lost (Redis
# killed after saving the claim, before replying): still the member's to request, not someone else's.
_CLAIM = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return redis.call('SISMEMBER', KEYS[2], ARGV[1]) end
redis.call('SADD', KEYS[2], ARGV[1])
return 1
"""
# Requests queued or held by a member: 0 means the scan has nothing left to do. One script, so a
# member joining and popping meanwhile is never missed.
_PENDING = """
local n = redis.call('LLEN', KEYS[1])
for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  n = n + redis.call('HLEN', ARGV[1] .. member)
end
return n
"""


REDIS_GONE = "redis_gone"  # a crawl's close reason when Redis stayed away for longer than it waits


class _Outage:
    """Whether Redis counts as gone for this process: a command waited out the whole outage bound in
    vain, and none has succeeded since. Process-wide, as every client of a process talks to one Redis."""

    gone = False


class OutageRetry(Retry):
    """Waits out a Redis restart: a failed command is tried again after 0.5, 1, 2, 4 and then every 5 s,
    until `seconds` (`crawl.redis_outage_seconds`) have passed since its first failure; then its
    ConnectionError goes up and Redis counts as gone. While it is gone, a command is tried once,
    without waiting: a crawl closing because Redis went away still makes calls (callbacks in flight,
    the scheduler, the journal), and each waiting out the bound again took minutes. The first one that
    succeeds ends the outage (a worker waiting for the next scan)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(ExponentialBackoff(cap=5.0, base=0.25), -1)
        self.seconds = seconds

    def call_with_retry(self, do: Callable[[], Any], fail: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        deadline: float | None = None

        def fail_or_give_up(error: Exception, *count: int) -> None:
            nonlocal deadline
            fail(error, *count)
            if deadline is None:
                deadline = time.monotonic() + (0 if _Outage.gone else self.seconds)
            if time.monotonic() >= deadline:
                _Outage.gone = True
                raise error

        result = super().call_with_retry(do, fail_or_give_up, *args, **kwargs)
        _Outage.gone = False
        return result


def client_options(outage_seconds: float) -> dict[str, Any]:
    """Options of every Redis client of a distributed scan: ours and scrapy-redis's (`REDIS_PARAMS`)."""
    return {"socket_timeout": 30, "socket_connect_timeout": 10, "retry": OutageRetry(outage_seconds)}


def connect(url: str, outage_seconds: float, *, at_once: bool = False) -> redis.Redis:
    """A client for `crawl.redis_url` that waits out an outage of up to `outage_seconds`; redis.RedisError
    when the server does not answer — `at_once` for a scan or a worker starting, which say so instead
    of waiting."""
    if at_once:
        first = redis.Redis.from_url(url, socket_connect_timeout=10, retry=Retry(NoBackoff(), 0))
        try:
            first.ping()
        finally:
            first.close()
    server = redis.Redis.from_url(url, **client_options(outage_seconds))
    server.ping()
    return server


def requeue(server: redis.Redis, keys: ScanKeys, member: str) -> int:
    """Return what `member` took and did not finish to the queue; returns how many requests."""
    return int(server.eval(_REQUEUE, 4, keys.requests, keys.processing(member), keys.claims(member), keys.seen))


def pending(server: redis.Redis, keys: ScanKeys) -> int:
    """Requests queued or taken and not yet stored, over every member of the scan."""
    return int(server.eval(_PENDING, 2, keys.requests, keys.members, keys.processing("")))


def taken(server: redis.Redis, keys: ScanKeys, member: str) -> dict[str, str]:
    """The requests `member` took and has not finished: token -> the URL each one is for."""
    return {_text(token): _target(data) for token, data in server.hgetall(keys.processing(member)).items()}


def _target(data: bytes) -> str:
    """The URL of a request as scrapy-redis keeps it (a pickled `Request.to_dict()`, written by our own
    crawl processes)."""
    request = pickle.loads(data)
    return str(request.get("meta", {}).get("target") or request["url"])


def acknowledge(server: redis.Redis, keys: ScanKeys, member: str, tokens: list[str]) -> None:
    """These requests' events are stored: they are done."""
    if tokens:
        server.hdel(keys.processing(member), *tokens)


class Frontier(Protocol):
    def claim(self, url: str) -> bool:
        """True the first time anyone asks for `url`: then it is the caller's to request."""

    def release(self, url: str) -> None:
        """Give back a claimed URL that is not requested after all (a bound refused it)."""

    def pages(self) -> int: ...

    def add_page(self) -> None: ...

    def add_query_variant(self, path: str) -> int:
        """Count one more query variant of `path`; returns how many there are now."""

    def skip(self, bound: str) -> None: ...

    def skipped(self) -> dict[str, int]: ...

    def body(self, site: str, digest: bytes, url: str) -> bool | None:
        """Whether another URL of `site` serving these bytes was judged alive; None when none was seen yet.

        Copies are a site's own: the same bytes on another site are that site's page, checked there, so
        a result never depends on which site (or crawl process) fetched the bytes first."""

    def add_body(self, site: str, digest: bytes, url: str, alive: bool) -> None: ...

    def seeded(self) -> None:
        """Every start request is queued (a distributed scan cannot end before)."""


class LocalFrontier:
    """One crawl process's state, in memory."""

    def __init__(self) -> None:
        self.scheduled: set[str] = set()
        self.variants: Counter[str] = Counter()
        self.bounds: Counter[str] = Counter()
        self.bodies: dict[tuple[str, bytes], tuple[bool, str]] = {}
        self.scheduled_pages = 0

    def claim(self, url: str) -> bool:
        if url in self.scheduled:
            return False
        self.scheduled.add(url)
        return True

    def release(self, url: str) -> None:
        self.scheduled.discard(url)

    def pages(self) -> int:
        return self.scheduled_pages

    def add_page(self) -> None:
        self.scheduled_pages += 1

    def add_query_variant(self, path: str) -> int:
        self.variants[path] += 1
        return self.variants[path]

    def skip(self, bound: str) -> None:
        self.bounds[bound] += 1

    def skipped(self) -> dict[str, int]:
        return dict(self.bounds)

    def body(self, site: str, digest: bytes, url: str) -> bool | None:
        alive, first = self.bodies.get((site, digest), (None, url))
        return alive if first != url else None

    def add_body(self, site: str, digest: bytes, url: str, alive: bool) -> None:
        self.bodies[(site, digest)] = (alive, url)

    def seeded(self) -> None:
        pass

    def restore(self, resume: Resume) -> None:
        """Carry on from crawl processes that died: what they requested, counted and judged."""
        self.scheduled.update(resume.claimed)
        self.scheduled_pages = resume.pages
        self.variants.update(resume.variants)
        self.bounds.update(resume.skipped)
        for site, digest, alive, url in resume.bodies:
            self.bodies[(site, bytes.fromhex(digest))] = (alive, url)


def url_fingerprint(url: str) -> str:
    """A URL's member of the seen-set: the exact URL, as the local frontier compares them."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


class RedisFrontier:
    """The scan's state in Redis, shared by every crawl process of the scan.

    A claim stays among the member's own claims until its request is queued: when the member dies
    between the two, `requeue` makes the URL unseen again, so the request that found it (requeued
    too) finds it again. URLs this process claimed are remembered, so a link found on many of its
    pages costs one round trip; others' claims are asked each time (they may be given back).
    """

    def __init__(self, server: Any, keys: ScanKeys, member: str) -> None:
        self.server, self.keys, self.member = server, keys, member
        self.mine: set[str] = set()
        self._claim = server.register_script(_CLAIM)

    def claim(self, url: str) -> bool:
        if url in self.mine:
            return False
        if not self._claim(keys=[self.keys.seen, self.keys.claims(self.member)], args=[url_fingerprint(url)]):
            return False
        self.mine.add(url)
        return True

    def release(self, url: str) -> None:
        self.mine.discard(url)
        pipe = self.server.pipeline(transaction=True)
        pipe.srem(self.keys.seen, url_fingerprint(url))
        pipe.srem(self.keys.claims(self.member), url_fingerprint(url))
        pipe.execute()

    def pages(self) -> int:
        return int(self.server.get(self.keys.pages) or 0)

    def add_page(self) -> None:
        self.server.incr(self.keys.pages)

    def add_query_variant(self, path: str) -> int:
        return int(self.server.hincrby(self.keys.variants, path, 1))

    def skip(self, bound: str) -> None:
        self.server.hincrby(self.keys.skipped, bound, 1)

    def skipped(self) -> dict[str, int]:
        return {_text(k): int(v) for k, v in self.server.hgetall(self.keys.skipped).items()}

    def body(self, site: str, digest: bytes, url: str) -> bool | None:
        value = self.server.hget(self.keys.bodies, f"{digest.hex()} {site}")
        if value is None:
            return None
        alive, first = _text(value).split(" ", 1)  # a refetch of the first URL (its member died) is no copy
        return alive == "1" if first != url else None

    def add_body(self, site: str, digest: bytes, url: str, alive: bool) -> None:
        self.server.hset(self.keys.bodies, f"{digest.hex()} {site}", f"{int(alive)} {url}")

    def seeded(self) -> None:
        self.server.set(self.keys.seeded, "1")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
