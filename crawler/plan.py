"""What one crawl process is asked to do, passed to it as JSON: sites, limits and mode.

A scan crawls every site; a `check` fetches one page (depth 0) with its links and attachments; an
incremental scan re-reads the pages where new items appear and crawls only what it has not seen.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from core.urls import netloc
from core.config import Config, CrawlConfig


@dataclass
class PlanSite:
    name: str
    url: str
    unit: str = ""

    @cached_property  # asked for every link the crawl finds (`CrawlPlan.site_for`); a site's URL never changes
    def netloc(self) -> str:
        return netloc(self.url)


@dataclass
class PlanList:
    """A superior site's list page whose items we must repost: fetched, never crawled further."""

    name: str
    url: str


@dataclass
class Reread:
    """A known page re-read by an incremental scan, with the validators it was last read with."""

    url: str
    etag: str = ""
    last_modified: str = ""
    body_hash: str = ""  # sha1 of the body last checked: a 200 with the same body is unchanged


@dataclass
class Incremental:
    """What the store knows, for an incremental scan (the crawler itself never reads the store).

    `reread`: homepages, site maps and the first list pages of every column, requested again
    conditionally. `known`: pages and attachments already checked, never fetched again (a link to
    one is only link-checked when not `fresh`). `fresh`: link targets found alive recently enough
    not to be requested again. `dead`: targets dead when last checked, checked again every time.
    """

    reread: list[Reread] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)


@dataclass
class PlanCluster:
    """This crawl's part in a distributed scan: the scan's Redis keys, and who this crawl process is."""

    key: str  # prefix of the scan's keys, see `crawler.frontier.ScanKeys`
    member: str  # this crawl process's id: its heartbeat and its processing hash are named after it
    seeds: bool = False  # the leader's crawl seeds the frontier; a worker's only takes from it


@dataclass
class Resume:
    """A crawl started again after its process died, from the dead processes' journals
    (`crawler.journal`, read by `crawler.supervisor`)."""

    generation: int  # this crawl process's number: it writes `journal-<generation>`
    claimed: list[str] = field(default_factory=list)  # requested before: not again, but for the two below
    suspects: list[list[Any]] = field(default_factory=list)  # in flight at the death: retried first, alone
    pending: list[list[Any]] = field(default_factory=list)  # queued and not done
    pages: int = 0  # pages requested so far, against crawl.max_pages
    variants: dict[str, int] = field(default_factory=dict)  # query variants followed per host+path
    skipped: dict[str, int] = field(default_factory=dict)  # pages left out per bound so far
    bodies: list[list[Any]] = field(default_factory=list)  # [site, digest hex, alive, url] judged so far
    handoffs: list[list[Any]] = field(default_factory=list)  # links to our sites other processes found


@dataclass
class PlanPart:
    """This crawl's part of a local scan spread over several processes (`crawler.supervisor`)."""

    index: int  # the first part also fetches the superior sites' lists
    sites: list[str]  # names of the sites this process crawls; it knows the others to hand links over


@dataclass
class CrawlPlan:
    sites: list[PlanSite]
    today: date  # in the configured time zone: resolves year-less dates
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    check_url: str = ""  # set for `govwatch check`: only this page, no following
    superior: list[PlanList] = field(default_factory=list)
    only_urls: list[str] = field(default_factory=list)  # fetch just these pages, follow nothing
    incremental: Incremental | None = None  # set for an incremental scan
    cluster: PlanCluster | None = None  # set when this crawl is one of a distributed scan's
    resume: Resume | None = None  # set when this crawl carries on from a crawl process that died
    part: PlanPart | None = None  # set when the scan's sites are spread over several crawl processes

    @property
    def following(self) -> bool:
        """Whether pages lead on to other pages (a full scan), or only the named pages are fetched."""
        return not (self.check_url or self.only_urls)

    @classmethod
    def for_scan(cls, config: Config) -> CrawlPlan:
        return cls([PlanSite(s.name, s.url, s.unit) for s in config.sites], config.today(), config.crawl,
                   superior=[PlanList(s.name, s.url) for s in config.superior])

    @classmethod
    def for_reposts(cls, config: Config) -> CrawlPlan:
        """The hourly repost check: the superior lists and our repost columns' first pages only."""
        plan = cls.for_scan(config)
        plan.only_urls = list(dict.fromkeys(s.repost_column for s in config.superior))
        plan.crawl = replace(plan.crawl, check_links=False, attachments=False)
        return plan

    @classmethod
    def for_incremental(cls, config: Config, incremental: Incremental) -> CrawlPlan:
        """The hourly incremental scan: what changed where new items appear, and what is new."""
        plan = cls.for_scan(config)
        plan.incremental = incremental
        return plan

    @classmethod
    def for_check(cls, config: Config, url: str) -> CrawlPlan:
        """One page, judged as its configured site's; an unconfigured page belongs to a site rooted
        at its host, so it counts as a homepage only when it is that root."""
        plan = cls.for_scan(config)
        plan.check_url, plan.superior = url, []
        if plan.site_for(url) is None:
            parts = urlsplit(url)
            plan.sites.append(PlanSite(netloc(url), f"{parts.scheme}://{parts.netloc}/"))
        return plan

    def site_for(self, url: str) -> PlanSite | None:
        """The configured site whose host serves `url`; a sibling's page belongs to the sibling."""
        host = netloc(url)
        return next((s for s in self.sites if s.netloc == host), None)

    @property
    def estate_hosts(self) -> frozenset[str]:
        return frozenset(s.netloc for s in self.sites)

    def to_json(self) -> str:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CrawlPlan:
        data = json.loads(text)
        return cls(
            sites=[PlanSite(**s) for s in data["sites"]],
            today=date.fromisoformat(data["today"]),
            crawl=CrawlConfig(**data["crawl"]),
            check_url=data.get("check_url", ""),
            superior=[PlanList(**s) for s in data.get("superior", [])],
            only_urls=data.get("only_urls", []),
            incremental=_incremental(data.get("incremental")),
            cluster=PlanCluster(**data["cluster"]) if data.get("cluster") else None,
            resume=Resume(**data["resume"]) if data.get("resume") else None,
            part=PlanPart(**data["part"]) if data.get("part") else None,
        )


def _incremental(data: dict[str, Any] | None) -> Incremental | None:
    if data is None:
        return None
    return Incremental([Reread(**r) for r in data["reread"]], data["known"], data["fresh"], data["dead"])
