"""The scan service: a scan's whole lifecycle behind one call, for `scan`, `demo`, `check` and `serve`.

It takes the database's scan lock, runs the crawl in its own process, checks and stores each page as
it arrives, runs the estate checks on what the store now holds, and closes the scan with an honest
status: `finished`, `interrupted` (a stop was requested, or the crawl was shut down) or `failed`.
It raises typed errors and never exits the process; callers turn outcomes into exit codes and words.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

from redis import ConnectionError as RedisConnectionError
from redis import RedisError

import wordlists
from core.config import Config, SiteConfig
from core.events import (AckEvent, DoneEvent, ErrorEvent, Event, LinkEvent, ListEvent, PageEvent, SiteEvent,
                         TruncatedEvent, UnchangedEvent)
from core.model import Availability, Finding, LinkStatus, Page, ProbeResult, SiteFacts, SiteStatus
from core.urls import first_list_page
from crawler.frontier import REDIS_GONE
from crawler.plan import CrawlPlan, Incremental, Reread
from crawler.process import CrawlError, CrawlProcess
from crawler.spread import open_crawl, processes_for
from detector import Context, check_estate, estate_check, page_kinds
from detector.describe import describe
from detector.assessment import SiteAssessment, assess
from govwatch import cut_scans
from govwatch.checking import Checked, CheckerPool, check
from govwatch.cut_scans import CutScan
from govwatch.distributed import Cluster, ClusterError, Leader, Published
from govwatch.matchers import word_matcher
from govwatch.stores import ScanFailed, StoreProblem, open_store
from reports.summary import coverage_notes, scan_notes
from storage import ScanBusy, ScanEstate, ScanStats, Store, StoreError
from storage.reviews import ReviewBook
from storage.tickets import TicketBook
from storage.times import utcnow
from wordlists.hosts import hidden_link_allow
from wordlists.sources import authoritative_sources

log = logging.getLogger(__name__)

ProgressCallback = Callable[[ScanStats, int], None]  # (stats so far, requests pending)
ERROR_SAMPLE = 50  # errors kept in an outcome for the summary; all are counted and logged
LINK_BATCH = 500  # link outcomes stored together when no page comes along to carry them
PAGE_BATCH, PAGE_BATCH_SECONDS = 100, 1.0  # pages stored in one transaction: this many, or this old


class ConfigProblem(ScanFailed):
    """The configuration cannot drive a scan (no sites, an unreadable word list …)."""


class ClusterProblem(ScanFailed):
    """Redis, which a distributed scan needs, cannot be reached or used."""


__all__ = ["FULL", "REPOSTS", "ScanKind", "ScanBusy", "ScanFailed", "ConfigProblem", "StoreProblem", "ClusterProblem",
           "StopRequest", "ScanOutcome", "CheckOutcome", "ProbeOutcome", "run_scan", "run_worker", "check_url",
           "run_probes", "assess_scan", "assessments", "open_store", "report_stem"]


class StopRequest:
    """Asks a running scan to stop, keeping what was checked. Safe to call from a signal handler."""

    def __init__(self) -> None:
        self.reason = ""
        self._callbacks: list[Callable[[], None]] = []

    @property
    def requested(self) -> bool:
        return bool(self.reason)

    def request(self, reason: str) -> None:
        if not self.reason:
            self.reason = reason
            for callback in list(self._callbacks):
                callback()

    def on_request(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)
        if self.reason:
            callback()


@dataclass
class ScanOutcome:
    scan_id: int
    status: str  # finished | interrupted | failed
    stats: ScanStats
    started_at: datetime
    limits: dict[str, int] = field(default_factory=dict)  # pages left uncrawled, by bound
    sites: list[SiteStatus] = field(default_factory=list)
    errors: list[ErrorEvent] = field(default_factory=list)  # a sample: see stats.pages_failed
    # Pages checked only in part (cut at a size limit, too many links): a sample, and how many in all.
    truncated: list[TruncatedEvent] = field(default_factory=list)
    truncated_count: int = 0
    stop_reason: str = ""  # what interrupted it (SIGINT, SIGTERM, 爬取被关闭 …)
    error: str = ""  # why it failed
    report_stem: str = ""  # scan-<id>-<database>: names its report and its crawl log
    log_path: Path | None = None
    kind: str = "full"  # the kind that ran: an incremental scan without a full one before runs full
    restarts: int = 0  # crawl processes started again after one died
    quarantined: list[dict[str, str]] = field(default_factory=list)  # [{"url", "reason"}] given up


@dataclass
class CheckOutcome:
    findings: list[Finding]
    pages: int
    status: LinkStatus | None  # the checked URL's own outcome
    errors: list[ErrorEvent] = field(default_factory=list)
    page: dict[str, Any] | None = None  # what govwatch saw on it (detector.describe): the `page` object
    # Each page or attachment not checked, or checked only in part, in the words of the scan's report.
    notes: list[str] = field(default_factory=list)
    partly_checked: frozenset[str] = frozenset()  # the URLs those notes name: a problem there may go unseen

    def why_unopened(self) -> str:
        """Why the check read no page (`pages` is 0): the URL's failed outcome, else the first error (an
        attachment that cannot be read is fetched fine), in the words users see."""
        if self.status is not None and not self.status.ok and self.status.reason:
            return self.status.reason
        if self.errors:
            return self.errors[0].message
        return self.status.reason if self.status is not None and self.status.reason else "未知原因"


def word_entries(config: Config) -> list[wordlists.Entry]:
    """The shipped and configured word lists, read before a scan starts so a broken one stops it."""
    base = config.path.parent if config.path else Path.cwd()
    extra = [p if Path(p).is_absolute() else base / p for p in config.wordlists.extra]
    try:
        return wordlists.load(extra)
    except (wordlists.WordListError, OSError) as exc:
        raise ConfigProblem(str(exc)) from None


def build_context(config: Config, plan: CrawlPlan, entries: list[wordlists.Entry],
                  reviews: dict[str, str] | None = None) -> Context:
    """The detector's context: the word matcher (loaded as kept, else built in seconds:
    govwatch.matchers), the estate's sites and people's decisions on suspected typos (`reviews`,
    from the store)."""
    matcher = word_matcher(entries)
    return Context(today=plan.today, estate_hosts=plan.estate_hosts,
                   site_netlocs={site.netloc: site.name for site in plan.sites},
                   site_units={site.name: site.unit for site in plan.sites}, matcher=matcher,
                   hidden_link_allow=hidden_link_allow(config.detector.hidden_link_allow),
                   authoritative_sources=authoritative_sources(config.detector.authoritative_sources),
                   probe=config.probe, interaction=config.interaction,
                   columns={first_list_page(c.url): c for c in config.columns},
                   superior=config.superior, reviews=dict(reviews or {}))


def report_stem(store: Store, scan_id: int) -> str:
    """Reports and logs are named after the scan and its database, so two never overwrite each other."""
    return f"scan-{scan_id}-{store.instance[:8]}"


@dataclass(frozen=True)
class ScanKind:
    """What a scan crawls and judges: the nightly full scan, the hourly repost check, or the
    incremental scan."""

    name: str
    plan: Callable[[Config, Store], CrawlPlan]  # from the config and what the store knows
    estate_checks: tuple[str, ...]  # empty: every estate check
    columns: bool  # whether the scan gathers columns (a partial crawl must not)
    # Re-reads part of the estate: columns and navigation-only homepages are judged by the latest
    # state of all their pages, the ones not re-read as last checked.
    latest: bool = False


def _incremental_plan(config: Config, store: Store) -> CrawlPlan:
    """Re-read where new items appear, with what the store knows (the crawler never reads it)."""
    known = store.known_estate(config.crawl.incremental_list_pages,
                               timedelta(hours=config.crawl.link_recheck_hours))
    reread = [Reread(*row) for row in known.reread]
    listed = {r.url for r in reread}
    reread += [Reread(site.url) for site in config.sites if site.url not in listed]  # a site new since
    return CrawlPlan.for_incremental(config, Incremental(reread, known.known, known.fresh, known.dead))


FULL = ScanKind("full", lambda config, _store: CrawlPlan.for_scan(config), (), True)
REPOSTS = ScanKind("repost", lambda config, _store: CrawlPlan.for_reposts(config), ("reposts",), False)
INCREMENTAL = ScanKind("incremental", _incremental_plan, (), True, latest=True)


def run_scan(config: Config, *, stop: StopRequest | None = None, progress: ProgressCallback | None = None,
             kind: ScanKind = FULL) -> ScanOutcome:
    """One scan, stored (a full scan of every configured site by default). Then the tickets follow it.

    An incremental scan needs a finished full scan to build on; without one, the full scan runs.
    Raises ScanBusy, ConfigProblem, StoreProblem.
    """
    if not config.sites:
        raise ConfigProblem("配置中没有 [[sites]]，无可扫描的站点")
    stop = stop or StopRequest()
    entries = word_entries(config)
    store = open_store(config)
    try:
        if kind.latest and not store.has_full_scan():
            log.info("no full scan finished yet: running a full scan instead of an incremental one")
            kind = FULL
        plan = kind.plan(config, store)
        # A full scan with crawl.redis_url is led here and crawled by every worker that joins.
        cluster = open_cluster(config, store) if config.crawl.redis_url and kind is FULL else None
        try:
            scan_id = store.begin_scan(config.sites, kind.name)
        except StoreError as exc:
            if not isinstance(exc, ScanBusy) and store.lock_token:  # taken, then the database went away
                cut_scans.remember(CutScan(config.database.url, store.lock_token, None))
            raise
        report_dir = Path(config.report.dir)
        try:
            report_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            store.finish_scan(scan_id, "failed", ScanStats(), error=f"无法创建报告目录：{exc}")
            raise ConfigProblem(f"无法创建报告目录 {report_dir}：{exc.strerror}") from None
        stem = report_stem(store, scan_id)
        reviews = ReviewBook(store).decisions()
        outcome = _scan(store, config.database.url, scan_id, plan, lambda: build_context(config, plan, entries, reviews),
                        stop, progress, report_dir / f"{stem}.log", stem, kind,
                        cluster.lead(scan_id, plan) if cluster else None)
        outcome.kind = kind.name
        if outcome.status != "failed":  # estate checks ran: what was not found again may be fixed
            judged = None if not kind.estate_checks else page_kinds() | {
                k for name in kind.estate_checks for k in estate_check(name).kinds}
            now = utcnow()
            book = TicketBook(store)
            book.update(scan_id, now, config.tickets.kind_deadline_hours, config.tickets.deadline_hours, judged)
            book.sweep(now)
        return outcome
    except StoreError as exc:
        if isinstance(exc, ScanBusy):
            raise
        raise StoreProblem(str(exc)) from None
    finally:
        store.close()


def open_cluster(config: Config, store: Store) -> Cluster:
    try:
        return Cluster(config.crawl.redis_url, store.instance, config.crawl.redis_outage_seconds)
    except ClusterError as exc:
        raise ClusterProblem(str(exc)) from None


def _scan(store: Store, database: str, scan_id: int, plan: CrawlPlan, context: Callable[[], Context],
          stop: StopRequest, progress: ProgressCallback | None, log_path: Path, stem: str, kind: ScanKind,
          leader: Leader | None) -> ScanOutcome:
    consumer = _Consumer(store, scan_id, progress)
    outcome = ScanOutcome(scan_id, "running", consumer.stats, utcnow(), report_stem=stem, log_path=log_path)
    try:
        outcome.started_at = store.scan(scan_id).started_at
        with _Heartbeat(store):
            if leader is None:
                ctx = _crawl(plan, log_path, consumer, stop, context, outcome, store.pages_per_site())
            else:
                ctx = _lead(leader, log_path, consumer, stop, context, outcome)
                outcome.sites = store.site_checks(scan_id)  # as every member saw them
        if stop.requested or consumer.done is None or consumer.done.reason != "finished":
            outcome.status = "interrupted"
            outcome.stop_reason = stop.reason or _close_reason(consumer.done)
        else:
            outcome.status = "finished"
        if kind.columns:
            store.record_columns(scan_id, latest=kind.latest)
        store.record_findings(scan_id, check_estate(ScanEstate(store, scan_id, kind.latest), ctx, consumer.failures,
                                                    only=kind.estate_checks))
    except CrawlError as exc:
        outcome.status, outcome.error = "failed", str(exc)
    except (StoreError, ClusterProblem) as exc:  # the database or Redis went away, or the disk filled up:
        outcome.status, outcome.error = "failed", f"扫描中止，{exc}"  # said by the caller, with the outcome
    except BaseException as exc:  # the scan is closed, never left "running"; the cause goes on up
        outcome.status, outcome.error = "failed", f"{type(exc).__name__}: {exc}"
        _close(store, database, outcome, consumer)
        raise
    _close(store, database, outcome, consumer)
    return outcome


def _crawl(plan: CrawlPlan, log_path: Path | None, consumer: _Consumer, stop: StopRequest,
           context: Callable[[], Context], outcome: ScanOutcome | None = None,
           weights: dict[str, int] | None = None) -> Context:
    """The crawl, its events checked and stored as they come, stopped on request: a crawl process
    that dies is restarted, a full scan's sites are spread over `crawl.processes` (crawler.spread,
    by `weights`, the pages per site last time), and then its pages are checked here and in one
    checker process fewer (govwatch.checking). The detector's context is built once the crawl has started (the
    matcher takes seconds)."""
    processes = processes_for(plan)
    with open_crawl(plan, log_path, weights) as crawl, CheckerPool(processes - 1) as pool:
        stop.on_request(lambda: crawl.stop(grace=plan.crawl.timeout + 5))
        ctx = context()
        try:
            consumer.consume(crawl.events(), ctx, pool if processes > 1 else None)
        finally:
            if outcome is not None:
                outcome.restarts = crawl.restarts
                outcome.quarantined = [{"url": q.url, "reason": q.reason} for q in crawl.quarantined]
    return ctx


def _lead(leader: Leader, log_path: Path, consumer: _Consumer, stop: StopRequest,
          context: Callable[[], Context], outcome: ScanOutcome) -> Context:
    """A distributed scan's leading crawl: published for workers, ended when none has work left;
    then the counts of every member are the scan's."""
    try:
        with leader:
            stop.on_request(leader.interrupt)
            consumer.acknowledge = leader.member.acknowledge
            ctx = _crawl(leader.plan, log_path, consumer, stop, context, outcome)
            if consumer.done is not None and consumer.done.reason == REDIS_GONE:
                raise RedisConnectionError("爬取进程与 Redis 的连接中断")
            others = leader.wait_for_members()
    except ClusterError as exc:
        raise ClusterProblem(f"Redis 出错：{exc}") from None
    except RedisError as exc:
        raise ClusterProblem(f"Redis {_redis_problem(exc, leader.plan.crawl.redis_outage_seconds)}") from None
    consumer.stats.pages += others.pages
    consumer.stats.pages_failed += others.pages_failed
    consumer.stats.links_checked += others.links_checked
    consumer.failures.update(others.check_errors or {})
    return ctx


def _close(store: Store, database: str, outcome: ScanOutcome, consumer: _Consumer) -> None:
    """Fill the outcome from what the consumer saw and close the scan in the store; when the store
    cannot be written now, the scan is closed as failed once it can (see `CutScan`)."""
    consumer.stats.check_errors = dict(consumer.failures)
    outcome.limits = dict(consumer.done.limits) if consumer.done else {}
    outcome.sites, outcome.errors = outcome.sites or consumer.sites, consumer.errors
    outcome.truncated, outcome.truncated_count = consumer.truncated, consumer.truncated_count
    try:
        consumer.stats.findings = store.count_findings(outcome.scan_id)
        store.finish_scan(outcome.scan_id, outcome.status, consumer.stats, error=outcome.error,
                          limits=outcome.limits, restarts=outcome.restarts, quarantined=outcome.quarantined)
    except StoreError as exc:
        error = outcome.error or f"扫描中止，{exc}"
        cut_scans.remember(CutScan(database, store.lock_token, outcome.scan_id, consumer.stats, error,
                                   outcome.limits))
        raise StoreProblem(f"第 {outcome.scan_id} 次扫描失败：{error}；扫描记录暂时无法写入数据库，"
                           "数据库恢复后将记为失败并释放扫描锁") from None


def _close_reason(done: DoneEvent | None) -> str:
    if done is None:
        return "爬取进程提前结束"
    return {"shutdown": "爬取进程收到停止信号"}.get(done.reason, f"爬取结束原因：{done.reason}")


JOIN_AGAIN_SECONDS = 5.0  # a worker whose crawl died waits this long before joining its scan again


@dataclass
class WorkerPart:
    """What a worker did in one scan."""

    scan_id: int
    stats: ScanStats
    error: str = ""  # its crawl died; the requests it held went back to the queue


def run_worker(config: Config, stop: StopRequest, joined: Callable[[int], None] | None = None,
               left: Callable[[WorkerPart], None] | None = None) -> None:
    """`govwatch worker`: join every scan the leader publishes, until a stop is requested.

    Raises ConfigProblem, StoreProblem, ClusterProblem.
    """
    if not config.crawl.redis_url:
        raise ConfigProblem("配置中没有 crawl.redis_url：工作进程需要与主扫描（govwatch scan）共用的 Redis")
    store = open_store(config)
    try:
        cluster = open_cluster(config, store)
        last = 0  # a scan this worker finished: not joined again while its leader winds it up
        while not stop.requested:
            try:
                published = cluster.published()
                if published is None or published.scan_id == last:
                    time.sleep(1.0)
                    continue
                if joined:
                    joined(published.scan_id)
                part = join_scan(config, store, cluster, published, stop)
            except RedisError as exc:  # away for longer than its clients wait: the worker waits on
                log.error("Redis %s; waiting for it and for the next scan",
                          _redis_problem(exc, config.crawl.redis_outage_seconds))
                time.sleep(JOIN_AGAIN_SECONDS)
                continue
            if left:
                left(part)
            if part.error:
                time.sleep(JOIN_AGAIN_SECONDS)
            else:
                last = published.scan_id
    except StoreError as exc:
        raise StoreProblem(str(exc)) from None
    except ClusterError as exc:
        raise ClusterProblem(f"Redis 出错：{exc}") from None
    finally:
        store.close()


def _redis_problem(exc: RedisError, outage_seconds: float) -> str:
    if isinstance(exc, RedisConnectionError):
        return f"连接中断，约 {outage_seconds:g} 秒内未能恢复：{exc}"
    return f"出错：{exc}"


def join_scan(config: Config, store: Store, cluster: Cluster, published: Published, stop: StopRequest) -> WorkerPart:
    """A worker's part of a scan: its own crawl of the shared frontier, each page checked and stored
    under the leader's scan id, then its counts added to the scan's."""
    report_dir = Path(config.report.dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    entries, reviews = word_entries(config), ReviewBook(store).decisions()
    consumer = _Consumer(store, published.scan_id, None)
    part = WorkerPart(published.scan_id, consumer.stats)
    with cluster.join(published.scan_id) as member:
        plan = member.plan(published.plan, seeds=False)
        plan.crawl = replace(plan.crawl, redis_url=config.crawl.redis_url)  # the leader's may name its localhost
        log_path = report_dir / f"{report_stem(store, published.scan_id)}-{member.name}.log"
        consumer.acknowledge = member.acknowledge
        try:
            with CrawlProcess(plan, log_path) as crawl:
                member.on_end = lambda: crawl.stop(grace=plan.crawl.timeout + 5)
                stop.on_request(member.on_end)
                ctx = build_context(config, published.plan, entries, reviews)  # while the crawl starts
                consumer.consume(crawl.events(), ctx)
        except CrawlError as exc:
            part.error = str(exc)
            log.warning("crawl of scan %s died: %s", published.scan_id, exc)
        member.report(consumer.stats.pages, consumer.stats.pages_failed, consumer.stats.links_checked,
                      consumer.failures)
    consumer.stats.check_errors = dict(consumer.failures)
    return part


def check_url(config: Config, url: str) -> CheckOutcome:
    """One page now — its content, its links, its attachments — judged as `scan` would judge it.

    It runs the scan's own path against a throwaway in-memory store, so nothing is kept.
    """
    plan = CrawlPlan.for_check(config, url)
    entries = word_entries(config)  # a bad word list is refused before any crawl starts
    store = Store("sqlite://")
    try:
        sites = [SiteConfig(name=s.name, url=s.url, unit=s.unit) for s in plan.sites]
        scan_id = store.begin_scan(sites)
        consumer = _Consumer(store, scan_id, None)
        with CrawlProcess(plan) as crawl:
            ctx = build_context(config, plan, entries)  # while the crawl starts and fetches, as a scan's
            consumer.consume(crawl.events(), ctx)
        store.record_columns(scan_id)
        store.record_findings(scan_id, check_estate(ScanEstate(store, scan_id), ctx, consumer.failures))
        findings = store.findings(scan_id=scan_id)
        for finding in findings:
            finding.first_seen = finding.last_seen = None  # nothing is stored: no history to show
        page = consumer.first_page
        seen = None
        if page is not None:
            column = next((c for c in store.columns(scan_id) if c.url == page.column_url), None)
            seen = describe(page, ctx.today, column, ctx.columns.get(page.column_url),
                            config.interaction.column_days)
        limits = dict(consumer.done.limits) if consumer.done else {}
        notes = scan_notes("finished", "", consumer.stats.pages, limits) + coverage_notes(
            consumer.errors, consumer.stats.pages_failed, consumer.truncated, consumer.truncated_count)
        partly = frozenset(e.url for e in consumer.errors) | frozenset(t.url for t in consumer.truncated)
        return CheckOutcome(findings, consumer.stats.pages, store.link_status(url), consumer.errors, seen, notes,
                            partly)
    finally:
        store.close()


@dataclass
class ProbeOutcome:
    results: list[ProbeResult]  # this round, one per configured site
    availability: dict[str, Availability]  # by site name, over `probe.window_days`


def run_probes(config: Config) -> ProbeOutcome:
    """Request every configured homepage once, store the results, and return the rolling rates."""
    from crawler.probe import probe_all  # requests: 0.08 s that a scan's and a check's start spare

    if not config.sites:
        raise ConfigProblem("配置中没有 [[sites]]，无可探测的站点")
    store = open_store(config)
    try:
        store.register_sites(config.sites)
        results = probe_all([(s.name, s.url) for s in config.sites], timeout=config.crawl.timeout,
                            user_agent=config.crawl.user_agent)
        store.record_probes(results)
        return ProbeOutcome(results, {a.site: a for a in store.availability(config.probe.window_days)})
    except StoreError as exc:
        raise StoreProblem(str(exc)) from None
    finally:
        store.close()


def assess_scan(config: Config, scan_id: int | None = None) -> tuple[int, list[SiteAssessment]]:
    """The self-assessment of each configured site from a scan (default: the newest finished one)."""
    store = open_store(config)
    try:
        scan_id = scan_id or store.latest_scan_id()
        if scan_id is None:
            raise ConfigProblem("数据库中还没有完成的扫描，请先运行 govwatch scan")
        return scan_id, assessments(store, scan_id, config)
    except StoreError as exc:
        raise StoreProblem(str(exc)) from None
    finally:
        store.close()


def assessments(store: Store, scan_id: int, config: Config,
                findings: list[Finding] | None = None) -> list[SiteAssessment]:
    """Each configured site's self-assessment from a scan; `findings`: the scan's, when read already."""
    findings = store.findings(scan_id=scan_id) if findings is None else findings
    availability = {a.site: a for a in store.availability(config.probe.window_days)}
    facts = store.site_facts(scan_id)
    found = {site.name: [f for f in findings if f.site == site.name] for site in config.sites}
    # A site down for the whole scan has no pages, only its veto: it is assessed all the same.
    return [assess(site.name, facts.get(site.name) or SiteFacts(site.url, seen=False), found[site.name],
                   availability.get(site.name), config.probe.min_probes)
            for site in config.sites if site.name in facts or found[site.name]]


class _Consumer:
    """Takes a crawl's events: checks each page, stores them in batches with the link outcomes, counts."""

    def __init__(self, store: Store, scan_id: int, progress: ProgressCallback | None) -> None:
        self.store, self.scan_id, self.progress = store, scan_id, progress
        # In a distributed scan: marks requests done in Redis once everything they caused is stored.
        self.acknowledge: Callable[[list[str]], None] | None = None
        self.stats = ScanStats()
        self.failures: Counter[str] = Counter()
        self.links: list[LinkStatus] = []
        self.pages: list[tuple[Page, list[Finding]]] = []  # checked, not yet stored
        self.batch_started = 0.0
        self.sites: list[SiteStatus] = []
        self.errors: list[ErrorEvent] = []
        self.truncated: list[TruncatedEvent] = []
        self.truncated_count = 0
        self.done: DoneEvent | None = None
        self.first_page: Page | None = None  # the first HTML page checked: what `check` describes

    def consume(self, events: Iterable[Event], ctx: Context, pool: CheckerPool | None = None) -> None:
        """Take the events in their order; with a `pool`, pages are checked in its checker processes
        (govwatch.checking) meanwhile, else here."""
        try:
            if pool is not None:
                for event, checked in pool.checked(events, ctx):
                    self._take(event, ctx, checked)
            else:
                for event in events:
                    self._take(event, ctx)
        finally:
            self._store_pages()

    def _take(self, event: Event, ctx: Context, checked: Checked | None = None) -> None:
        self.take(event, ctx, checked)
        if self._batch_due():
            self._store_pages()

    def _batch_due(self) -> bool:
        return len(self.links) >= LINK_BATCH or bool(self.pages) and (
            len(self.pages) >= PAGE_BATCH or time.monotonic() - self.batch_started >= PAGE_BATCH_SECONDS)

    def _store_pages(self) -> None:
        self.store.record_pages(self.scan_id, self.pages, self.links)
        self.pages, self.links = [], []

    def take(self, event: Event, ctx: Context, checked: Checked | None = None) -> None:
        """One event; a page is checked here unless `checked` brings its findings (and failures)."""
        if isinstance(event, PageEvent):
            if self.first_page is None and event.page.kind == "html":
                self.first_page = event.page
            findings, failures = checked or check(event.page, ctx)
            event.page.tree = None  # checked: a batch of pages waiting to be stored holds no trees
            self.failures.update(failures)
            if not self.pages:
                self.batch_started = time.monotonic()
            self.pages.append((event.page, findings))
            self.stats.pages += 1
            self.stats.findings += len(findings)
            if self.progress:
                self.progress(self.stats, event.pending)
        elif isinstance(event, UnchangedEvent):
            if self.store.keep_page(self.scan_id, event.url, event.etag, event.last_modified):
                self.stats.pages += 1
                self.stats.pages_unchanged += 1
        elif isinstance(event, LinkEvent):
            self.links.append(event.status)
            self.stats.links_checked += 1
        elif isinstance(event, SiteEvent):
            self.sites.append(event.status)
            self.store.record_site_checks(self.scan_id, [event.status])
        elif isinstance(event, ErrorEvent):
            self.stats.pages_failed += 1
            if len(self.errors) < ERROR_SAMPLE:
                self.errors.append(event)
            log.warning("%s: %s", event.url, event.message)
        elif isinstance(event, TruncatedEvent):
            self.truncated_count += 1
            if len(self.truncated) < ERROR_SAMPLE:
                self.truncated.append(event)
            log.warning("%s: %s", event.url, event.message)
        elif isinstance(event, ListEvent):
            if event.reason:
                self.take(ErrorEvent(event.url, f"上级网站列表“{event.name}”无法访问：{event.reason}"), ctx)
            else:
                self.store.record_superior(self.scan_id, event.name, event.items)
        elif isinstance(event, AckEvent) and self.acknowledge is not None:
            # Stored before acknowledged, at once: a crawl that goes idle sends nothing more that
            # would flush the batch, and the scan ends only when every request is acknowledged.
            self._store_pages()
            self.acknowledge([event.token])
        elif isinstance(event, DoneEvent):
            self.done = event


class _Heartbeat:
    """Keeps the scan lock fresh for other machines while a long crawl runs."""

    def __init__(self, store: Store, every: float = 30.0) -> None:
        self.store, self.every = store, every
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="govwatch-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._done.wait(self.every):
            try:
                self.store.heartbeat()
            except StoreError as exc:  # a busy database now is no reason to stop the scan
                log.warning("scan lock heartbeat failed: %s", exc)
