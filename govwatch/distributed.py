"""Distributed scans in Redis: the leader publishes a scan and ends it, members join and leave it.

`govwatch scan` with `crawl.redis_url` leads: it publishes the scan (its id and crawl plan) under
`govwatch:<database id>:current`, runs one crawl of its own, and decides when the scan is over —
it was seeded, no request is queued and no member holds one it has not stored. `govwatch worker`
processes wait for a published scan, join it with a crawl of their own and leave it with their
counts. Every crawl process is a member with a heartbeat; the leader returns the requests of a
member whose heartbeat expired to the queue, so a worker that dies loses nothing.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable

import redis

from crawler.frontier import ScanKeys, acknowledge, connect, pending, requeue
from crawler.plan import CrawlPlan, PlanCluster

log = logging.getLogger(__name__)

BEAT_SECONDS = 2.0  # how often members and the leader say they are alive
MEMBER_TTL = 15  # seconds without a heartbeat before a member counts as dead
LEADER_TTL = 30  # seconds without the leader's heartbeat before members give the scan up
COUNTS = ("pages", "pages_failed", "links_checked")  # what a member adds to the scan's stats


# A member's counts added to the scan's once: the client sends a command again when the connection
# dropped before the reply (OutageRetry), and Redis may have run it the first time.
_REPORT = """
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('SADD', KEYS[3], ARGV[1]) == 0 then return 1 end
for i = 2, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
"""


class ClusterError(RuntimeError):
    """Redis cannot be reached or used; the message says which and why, in Chinese."""


@dataclass
class Published:
    """A scan a worker can join."""

    scan_id: int
    plan: CrawlPlan


@dataclass
class MemberCounts:
    """What members reported when they left: added to the leader's own counts."""

    pages: int = 0
    pages_failed: int = 0
    links_checked: int = 0
    check_errors: Counter[str] | None = None


def member_id() -> str:
    """A crawl process's name in the scan: where it runs, and unique."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Cluster:
    """The Redis of one database's distributed scans (its keys are under the database's own id); its
    commands wait out an outage of up to `outage_seconds`."""

    def __init__(self, url: str, database: str, outage_seconds: float) -> None:
        try:
            self.server = connect(url, outage_seconds, at_once=True)
        except redis.RedisError as exc:
            raise ClusterError(f"无法连接 Redis（crawl.redis_url = {_safe(url)}）：{exc}") from None
        self.namespace = f"govwatch:{database}"

    @property
    def current(self) -> str:
        return f"{self.namespace}:current"

    def keys(self, scan_id: int) -> ScanKeys:
        return ScanKeys(f"{self.namespace}:scan:{scan_id}")

    def published(self) -> Published | None:
        """The scan being led now, unless it is already ending."""
        data = self.server.get(self.current)
        if data is None:
            return None
        scan = json.loads(data)
        keys = self.keys(scan["scan"])
        if self.server.exists(keys.done) or not self.server.exists(keys.leader):
            return None
        return Published(scan["scan"], CrawlPlan.from_json(scan["plan"]))

    def lead(self, scan_id: int, plan: CrawlPlan) -> Leader:
        return Leader(self, scan_id, plan)

    def join(self, scan_id: int) -> Member:
        return Member(self.server, self.keys(scan_id), member_id())

    def forget_stale_scans(self) -> None:
        """Delete the keys of scans whose leader died (kill -9, power loss) without cleaning up."""
        prefixes = {":".join(key.decode().split(":")[:4])
                    for key in self.server.scan_iter(match=f"{self.namespace}:scan:*", count=500)}
        for prefix in prefixes:
            if not self.server.exists(ScanKeys(prefix).leader):
                _delete_prefix(self.server, prefix)


class Member:
    """One crawl process of a scan: registered, beating, acknowledging what it stored, leaving.

    `on_end` is called (from the beat thread) when the scan is interrupted or its leader is gone.
    """

    def __init__(self, server: redis.Redis, keys: ScanKeys, name: str) -> None:
        self.server, self.keys, self.name = server, keys, name
        self.on_end: Callable[[], None] = lambda: None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat_loop, name="govwatch-member", daemon=True)

    def plan(self, plan: CrawlPlan, seeds: bool) -> CrawlPlan:
        return replace(plan, cluster=PlanCluster(self.keys.prefix, self.name, seeds))

    def __enter__(self) -> Member:
        self._beat()
        self.server.sadd(self.keys.members, self.name)  # before its crawl takes any request
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop.is_set():
            return  # left already
        self._stop.set()
        self._thread.join()
        requeue(self.server, self.keys, self.name)  # anything taken and not stored goes back
        self.server.srem(self.keys.members, self.name)
        self.server.delete(self.keys.alive(self.name))

    def abandon(self) -> None:
        """Stop beating without leaving (Redis is gone): the heartbeat expires and the member with it."""
        self._stop.set()

    def acknowledge(self, tokens: list[str]) -> None:
        acknowledge(self.server, self.keys, self.name, tokens)

    def report(self, pages: int, pages_failed: int, links_checked: int, check_errors: Counter[str]) -> None:
        """Add this member's counts to the scan's (before leaving it), unless its leader is gone: a
        member that joined as the scan ended must not leave keys behind."""
        counts = [*zip(COUNTS, (pages, pages_failed, links_checked)),
                  *((f"check_errors:{name}", value) for name, value in check_errors.items())]
        self.server.eval(_REPORT, 3, self.keys.stats, self.keys.leader, self.keys.reported, self.name,
                         *(v for pair in counts for v in pair))

    def _beat(self) -> None:
        self.server.set(self.keys.alive(self.name), "1", ex=MEMBER_TTL)

    def _beat_loop(self) -> None:
        ended = False
        while not self._stop.wait(BEAT_SECONDS):
            try:
                self._beat()
                over = self.server.get(self.keys.done) == b"interrupted" or not self.server.exists(self.keys.leader)
            except redis.RedisError as exc:  # Redis away for a moment: the TTLs give it time
                log.warning("heartbeat of %s failed: %s", self.name, exc)
                continue
            if over and not ended:
                ended = True
                self.on_end()


class Leader:
    """The leading side of one scan: publishes it, watches members, decides when it is complete."""

    def __init__(self, cluster: Cluster, scan_id: int, plan: CrawlPlan) -> None:
        self.cluster, self.scan_id = cluster, scan_id
        self.server, self.keys = cluster.server, cluster.keys(scan_id)
        self.member = Member(self.server, self.keys, member_id())
        self.plan = self.member.plan(plan, seeds=True)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch_loop, name="govwatch-leader", daemon=True)

    def __enter__(self) -> Leader:
        try:
            self.cluster.forget_stale_scans()
            _delete_prefix(self.server, self.keys.prefix)  # a scan id reused after a database reset
            self.server.set(self.keys.leader, "1", ex=LEADER_TTL)
            self.member.__enter__()
            self.server.set(self.cluster.current, json.dumps(
                {"scan": self.scan_id, "plan": replace(self.plan, cluster=None).to_json()}, ensure_ascii=False))
        except redis.RedisError as exc:
            raise ClusterError(f"无法在 Redis 中发布扫描：{exc}") from None
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Whatever ended the scan, members are told and the scan's keys are gone afterwards —
        unless Redis itself is gone (for longer than its clients wait): then nothing can be told
        or cleaned there, and waiting again would only delay the failure. The scan's keys stay
        until the next leader forgets them (its leader key expires)."""
        if isinstance(exc[1], redis.ConnectionError):
            self._stop.set()
            self.member.abandon()
            return
        try:
            self.server.set(self.keys.done, "interrupted", nx=True)
            self.member.__exit__()
            self._stop.set()
            self._thread.join()
            if self.server.get(self.cluster.current) and \
                    json.loads(self.server.get(self.cluster.current))["scan"] == self.scan_id:
                self.server.delete(self.cluster.current)
            _delete_prefix(self.server, self.keys.prefix)
        except redis.RedisError as exc:
            log.warning("cannot clean up scan %s in Redis: %s", self.scan_id, exc)

    def interrupt(self) -> None:
        """Stop every member's crawl (SIGINT/SIGTERM on the leader). Safe in a signal handler's thread."""
        threading.Thread(target=self.server.set, args=(self.keys.done, "interrupted"), kwargs={"nx": True},
                         daemon=True).start()

    def wait_for_members(self) -> MemberCounts:
        """After the leader's own crawl ended: wait until every member has stored all and left
        (a dead one is dropped once its heartbeat expires), then the counts they reported."""
        self.member.__exit__()
        while self.server.scard(self.keys.members):
            time.sleep(0.2)
        stats = {k.decode(): int(v) for k, v in self.server.hgetall(self.keys.stats).items()}
        errors = Counter({k.split(":", 1)[1]: v for k, v in stats.items() if k.startswith("check_errors:")})
        return MemberCounts(*(stats.get(name, 0) for name in COUNTS), errors)

    def _watch_loop(self) -> None:
        empty_checks = 0
        trust_expiry_at = 0.0  # members' heartbeats are judged again from then on
        while not self._stop.wait(BEAT_SECONDS / 2):
            began = time.monotonic()
            try:
                self.server.set(self.keys.leader, "1", ex=LEADER_TTL)
                if time.monotonic() - began > BEAT_SECONDS:  # Redis was away, its clients waiting for it
                    trust_expiry_at = time.monotonic() + MEMBER_TTL
                if time.monotonic() >= trust_expiry_at:
                    # After an outage, a heartbeat may have expired while its member waited for Redis
                    # too: members get a whole TTL to beat again before they count as dead.
                    self._requeue_dead()
                if self.server.exists(self.keys.done) or not self.server.exists(self.keys.seeded):
                    continue
                # Two looks a moment apart: a request is always queued or held until its
                # follow-ups are queued and its events stored, so nothing left twice means done.
                empty_checks = empty_checks + 1 if pending(self.server, self.keys) == 0 else 0
                if empty_checks >= 2:
                    self.server.set(self.keys.done, "finished", nx=True)
            except redis.RedisError as exc:
                trust_expiry_at = time.monotonic() + MEMBER_TTL
                log.warning("leader of scan %s cannot reach Redis: %s", self.scan_id, exc)

    def _requeue_dead(self) -> None:
        for raw in self.server.smembers(self.keys.members):
            name = raw.decode()
            if not self.server.exists(self.keys.alive(name)):
                count = requeue(self.server, self.keys, name)
                self.server.srem(self.keys.members, name)
                log.warning("scan member %s stopped answering; %d requests back in the queue", name, count)


def _delete_prefix(server: redis.Redis, prefix: str) -> None:
    for key in server.scan_iter(match=f"{prefix}:*", count=500):
        server.delete(key)


def _safe(url: str) -> str:
    """The Redis URL without its password, for messages."""
    head, at, tail = url.rpartition("@")
    return f"{head.split('://')[0]}://***@{tail}" if at else url
