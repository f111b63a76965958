"""The shared vocabulary: the page model the crawler builds and the findings the detector returns.

Both are plain dataclasses that round-trip through JSON, because a crawl runs in its own process
(Scrapy's reactor cannot be restarted) and streams pages to the parent as JSON lines.
The finding JSON and the kind vocabulary are contracts read by outside tools: add, never rename.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Kind:
    """One finding kind: its contract name, its Chinese label and its default severity."""

    name: str
    label: str
    severity: str


# Severities, most serious first. `veto` is what fails a site in an inspection on its own (单项否决).
SEVERITIES = ("veto", "high", "medium", "low")
SEVERITY_LABELS = {"veto": "否决级", "high": "严重", "medium": "一般", "low": "轻微"}

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("sensitive_word", "敏感信息", "veto"),
        Kind("erroneous_expression", "错误表述", "high"),
        Kind("privacy_leak", "隐私泄露", "high"),
        Kind("secret_marking", "涉密标识", "veto"),
        Kind("dead_link", "错链断链", "low"),
        Kind("hidden_link", "暗链", "veto"),
        Kind("blank_column", "空白栏目", "high"),
        Kind("stale_column", "栏目不更新", "high"),
        Kind("stale_homepage", "首页不更新", "veto"),
        Kind("site_unreachable", "站点无法访问", "veto"),
        Kind("missing_source", "转载未注明来源", "medium"),
        Kind("unauthorized_source", "转载来源不合规", "medium"),
        Kind("repost_overdue", "上级文件转载超时", "high"),
        Kind("expired_document", "文件已失效未标注", "medium"),
    )
}


@dataclass
class Link:
    """A link target found on a page. `url` is absolute; `tag` says where it came from."""

    url: str
    tag: str = "a"  # a, img, iframe, script, link, area, frame, embed
    text: str = ""


@dataclass
class ListItem:
    """One entry of a column list: what freshness checks count and date."""

    title: str
    url: str
    date: date | None = None


@dataclass
class Page:
    """Everything the detector may look at for one fetched document (HTML page or attachment).

    `kind` is "html" or "attachment"; attachments carry extracted `text` and no `html`.
    `site` is the configured site's name; `unit` the unit responsible for fixing it.
    """

    url: str
    site: str
    unit: str = ""
    kind: str = "html"
    status: int = 200
    content_type: str = ""
    encoding: str = ""
    fetched_at: datetime | None = None
    title: str = ""
    text: str = ""
    html: str = ""
    links: list[Link] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    published: date | None = None
    breadcrumb: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    source: str = ""
    column: str = ""
    list_items: list[ListItem] = field(default_factory=list)
    is_homepage: bool = False
    sitemap: bool = False  # the 网站地图 page: its links are the site's columns
    depth: int = 0
    referrer: str = ""

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Page:
        data = dict(data)
        data["links"] = [Link(**link) for link in data.get("links", [])]
        data["list_items"] = [
            ListItem(item["title"], item["url"], _parse_date(item.get("date")))
            for item in data.get("list_items", [])
        ]
        data["dates"] = [_parse_date(d) for d in data.get("dates", [])]
        data["published"] = _parse_date(data.get("published"))
        if data.get("fetched_at"):
            data["fetched_at"] = datetime.fromisoformat(data["fetched_at"])
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Finding:
    """One problem found. `evidence` is what was matched (a term, a masked number, a link target).

    `details` holds kind-specific extras (referring pages of a dead link, the matched category …)
    so the top-level contract fields never change shape.
    """

    kind: str
    url: str
    evidence: str
    site: str = ""
    unit: str = ""
    column: str = ""
    severity: str = ""
    suggestion: str = ""
    context: str = ""
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind: {self.kind}")
        if not self.severity:
            self.severity = KINDS[self.kind].severity

    @property
    def fingerprint(self) -> str:
        """Stable identity across scans: the same problem at the same place is one finding."""
        key = "\x1f".join((self.kind, self.url, self.evidence))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    @property
    def label(self) -> str:
        return KINDS[self.kind].label

    def to_json(self) -> dict[str, Any]:
        data = _jsonable(asdict(self))
        data["fingerprint"] = self.fingerprint
        return data


def _parse_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


@dataclass
class LinkStatus:
    """The outcome of checking one link target once in a scan. `reason` is shown to users."""

    url: str
    ok: bool
    status: int | None = None
    reason: str = ""


@dataclass
class SiteStatus:
    """Whether a configured site's homepage could be fetched (after retries)."""

    name: str
    url: str
    unit: str = ""
    ok: bool = True
    reason: str = ""


@dataclass
class Referrers:
    """The pages of one site that link to one target: a capped sample and the full count."""

    site: str
    unit: str = ""
    pages: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    count: int = 0
    homepage: str = ""  # the referring homepage, if one is among the referrers

    SAMPLE = 20

    def add(self, page: Page) -> None:
        self.count += 1
        if page.is_homepage:
            self.homepage = page.url
        if page.url not in self.pages and len(self.pages) < self.SAMPLE:
            self.pages.append(page.url)
            self.columns.append(page.column)


@dataclass
class Estate:
    """What estate-level checks see after a crawl: every site's status, every link and its referrers."""

    sites: list[SiteStatus] = field(default_factory=list)
    links: dict[str, LinkStatus] = field(default_factory=dict)
    referrers: dict[tuple[str, str], Referrers] = field(default_factory=dict)  # (target, site) →

    def add_page_links(self, page: Page) -> None:
        for link in page.links:
            key = (link.url, page.site)
            if key not in self.referrers:
                self.referrers[key] = Referrers(site=page.site, unit=page.unit)
            self.referrers[key].add(page)
