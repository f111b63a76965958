"""What one crawl process is asked to do, passed to it as JSON: sites, limits and mode.

A scan crawls every site; a `check` fetches one page (depth 0) with its links and attachments.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date

from core.urls import netloc
from core.config import Config, CrawlConfig


@dataclass
class PlanSite:
    name: str
    url: str
    unit: str = ""

    @property
    def netloc(self) -> str:
        return netloc(self.url)


@dataclass
class CrawlPlan:
    sites: list[PlanSite]
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    today: date = field(default_factory=date.today)
    check_url: str = ""  # set for `govwatch check`: only this page, no following

    @classmethod
    def for_scan(cls, config: Config, today: date) -> CrawlPlan:
        return cls([PlanSite(s.name, s.url, s.unit) for s in config.sites], config.crawl, today)

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
            crawl=CrawlConfig(**data["crawl"]),
            today=date.fromisoformat(data["today"]),
            check_url=data.get("check_url", ""),
        )
