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

from .urls import relative_to_site


@dataclass(frozen=True)
class Kind:
    """One finding kind: its contract name, its Chinese label and its default severity."""

    name: str
    label: str
    severity: str


# What makes two findings the same problem, per kind (the kind itself always counts). A dead link
# is one problem per site and target, whichever pages refer to it; a word or a leak is one per
# page and evidence; a site-wide or column-wide problem is one per site or column.
IDENTITY: dict[str, tuple[str, ...]] = {
    "sensitive_word": ("url", "evidence"),
    "erroneous_expression": ("url", "evidence"),
    "privacy_leak": ("url", "evidence"),
    "secret_marking": ("url", "evidence"),
    "hidden_link": ("url", "evidence"),
    "dead_link": ("site", "evidence"),
    "site_unreachable": ("site",),
    "stale_homepage": ("site",),
    "blank_column": ("url",),
    "stale_column": ("url",),
    "missing_source": ("url",),
    "unauthorized_source": ("url",),
    "expired_document": ("url",),
    "repost_overdue": ("url", "evidence"),
    # issue 22: one message per page and title; one interpretation per page and document
    "unanswered_message": ("url", "evidence"),
    "late_reply": ("url", "evidence"),
    "interpretation_unlinked": ("url", "evidence"),
    "suspected_typo": ("url", "evidence"),
}

# Where each kind's problem lives, so a re-check knows what to look at again: a page (its content,
# an attachment), a whole site, a column; the others (dead links, reposts) have their own rules.
PAGE_KINDS = frozenset({"sensitive_word", "erroneous_expression", "privacy_leak", "secret_marking", "hidden_link",
                        "missing_source", "unauthorized_source", "expired_document",
                        "unanswered_message", "late_reply", "suspected_typo"})
SITE_KINDS = frozenset({"site_unreachable", "stale_homepage"})
COLUMN_KINDS = frozenset({"blank_column", "stale_column"})

# Severities, most serious first. `veto` is what fails a site in an inspection on its own (单项否决).
# `review` is below them all: a probable problem that waits for a person's confirmation, never ticketed
# before it (REVIEW_KINDS).
SEVERITIES = ("veto", "high", "medium", "low", "review")
SEVERITY_LABELS = {"veto": "否决级", "high": "严重", "medium": "一般", "low": "轻微", "review": "待确认"}

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
        # issue 22: interaction (互动回应) and interpretation (解读关联) indicators
        Kind("unanswered_message", "留言超期未回复", "veto"),
        Kind("late_reply", "答复超时", "medium"),
        Kind("interpretation_unlinked", "解读未关联", "medium"),
        Kind("suspected_typo", "疑似错别字", "review"),
    )
}

# Kinds a person confirms before they are ticketed (`govwatch review`): shown apart in reports and digests.
REVIEW_KINDS = frozenset({"suspected_typo"})


# The meta tags of the 政府网站发展指引: every page names its site, column pages their column, and
# content pages their title, date and source.
SITE_META = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_META = ("ColumnName", "ColumnType")
ARTICLE_META = ("ArticleTitle", "PubDate", "ContentSource")
GUIDELINE_META = (*SITE_META, *COLUMN_META, *ARTICLE_META)


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
class Letter:
    """One message of a consultation column (留言, 信箱, 咨询, 投诉 …) as its list or its page shows it.

    `status` is what the site says (已回复, 办理中, 不予受理 …); `answered` whether a reply or a final
    answer (不予受理, 重复来信) is given; `url` the message's own page, or the list's where it has none.
    """

    title: str
    url: str
    asked: date | None = None
    replied: date | None = None
    status: str = ""
    answered: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "asked": _iso(self.asked), "replied": _iso(self.replied),
                "status": self.status, "answered": self.answered}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Letter:
        return cls(data["title"], data["url"], _parse_date(data.get("asked")), _parse_date(data.get("replied")),
                   data.get("status", ""), bool(data.get("answered")))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


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
    heading: str = ""  # the main heading (first h1): the title where <title> is generic
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
    column_url: str = ""  # for a page of a column's list: the list's first page, the column's identity
    empty_notice: str = ""  # a list page's 暂无信息-style placeholder, when it shows one
    fixed_content: bool = False  # a fixed-content column page (概况, 政府信息公开指南 …), not a list
    # Its list's pager (crawler.lists.Pager): family (index_N, createPageHTML, datastore …), how many
    # pages the column has by its own account, and which of them this page is (1: the first).
    pager: str = ""
    list_pages: int = 0
    list_page: int = 1
    empty_list: bool = False  # it shows a list container (or a Hanweb recordset) holding no entry
    letters: list[Letter] = field(default_factory=list)  # messages of a consultation column (留言, 信箱 …)
    cited: list[str] = field(default_factory=list)  # documents a 政策解读 page names (《…》), by title
    cited_links: list[str] = field(default_factory=list)  # … and links as its 原文 / 相关文件
    sections: dict[str, str] = field(default_factory=dict)  # the 网站地图: column URL → its section's name
    site_marks: list[str] = field(default_factory=list)  # 网站标识 shown (ICP 备案号, 主办单位 …)
    depth: int = 0
    referrer: str = ""
    # The response's validators, kept for the next incremental scan's conditional re-read.
    etag: str = ""
    last_modified: str = ""
    body_hash: str = ""
    # The lxml tree of `html`, whole, when the process that completed the page model still holds it:
    # checks that read the markup again take it instead of parsing (and never change it). Never
    # encoded, pickled or compared; None: a check parses `html` itself.
    tree: Any = field(default=None, compare=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**vars(self), "tree": None}

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values, field by field: every page crosses the crawl pipe this way, and
        `asdict`'s deep copy made encoding a tenth of the crawl process's work."""
        data = dict(vars(self))
        del data["tree"]
        data["fetched_at"] = self.fetched_at.isoformat() if self.fetched_at else None
        data["published"] = self.published.isoformat() if self.published else None
        data["dates"] = [d.isoformat() for d in self.dates]
        data["links"] = [{"url": link.url, "tag": link.tag, "text": link.text} for link in self.links]
        data["list_items"] = [{"title": item.title, "url": item.url,
                               "date": item.date.isoformat() if item.date else None} for item in self.list_items]
        data["breadcrumb"], data["meta"] = list(self.breadcrumb), dict(self.meta)
        data["site_marks"] = list(self.site_marks)
        data["letters"] = [letter.to_json() for letter in self.letters]
        data["cited"], data["cited_links"], data["sections"] = list(self.cited), list(self.cited_links), dict(self.sections)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Page:
        """The page `to_json` gave, once per page in the scan's process: the bound of a scan on 2 cores."""
        data = dict(data)
        data["links"] = [Link(link["url"], link["tag"], link["text"]) for link in data.get("links", [])]
        data["list_items"] = [
            ListItem(item["title"], item["url"], _parse_date(item.get("date")))
            for item in data.get("list_items", [])
        ]
        data["dates"] = [_parse_date(d) for d in data.get("dates", [])]
        data["letters"] = [Letter.from_json(letter) for letter in data.get("letters", [])]
        data["published"] = _parse_date(data.get("published"))
        if data.get("fetched_at"):
            data["fetched_at"] = datetime.fromisoformat(data["fetched_at"])
        return cls(**{k: v for k, v in data.items() if k in _PAGE_FIELDS})


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
    fingerprint: str = ""  # set by `identify`; the store keys findings by it
    title: str = ""  # the title of the page at `url`, as last crawled (filled by the store)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind: {self.kind}")
        if not self.severity:
            self.severity = KINDS[self.kind].severity
        if not self.fingerprint:
            self.identify({})

    def identify(self, site_netlocs: dict[str, str]) -> str:
        """Set and return the fingerprint: a hash of the kind's identity (see `IDENTITY`).

        URLs in the identity are relative to the configured site serving them (`site_netlocs`:
        netloc → site name), so a site moved to https or served on another port keeps its problems.
        """
        parts = [self.kind]
        for name in IDENTITY[self.kind]:
            value = getattr(self, name)
            parts.append(relative_to_site(value, site_netlocs) if name in ("url", "evidence") else value)
        self.fingerprint = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
        return self.fingerprint

    @property
    def label(self) -> str:
        return KINDS[self.kind].label

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values, field by field: `asdict` deep-copies every value first (0.12 s for a
        scan's 1,907 findings, 0.03 s this way)."""
        return _jsonable({name: getattr(self, name) for name in _FINDING_FIELDS})


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_PAGE_FIELDS = frozenset(f.name for f in fields(Page))


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
class ProbeResult:
    """One request to a site's homepage: up when it answered below HTTP 400 within the time limit."""

    site: str
    url: str
    ok: bool
    seconds: float
    status: int | None = None
    reason: str = ""


@dataclass
class Availability:
    """A site's homepage probes over a window: how many, how many failed."""

    site: str
    url: str
    unit: str
    probes: int
    failures: int

    @property
    def rate(self) -> float:
        """The share of failed probes."""
        return self.failures / self.probes if self.probes else 0.0


@dataclass
class Column:
    """A column (栏目) as its list pages showed it in one scan: what freshness rules judge."""

    site: str
    url: str  # the list's first page
    name: str = ""
    unit: str = ""
    subsite: bool = False  # on a subsite (子站): every column there counts as second level
    items: int = 0
    newest: date | None = None  # the newest item; for fixed content, the page's own revision date
    empty_notice: str = ""
    fixed: bool = False  # fixed content, judged by its 年版 title or a revision this year
    title: str = ""  # a fixed-content page's title
    # Where it sits, for its category: its breadcrumb (首页 … itself), its parent column's name (by URL)
    # and the 网站地图 section that lists it.
    crumbs: list[str] = field(default_factory=list)
    parent: str = ""
    section: str = ""
    pages: int = 0  # how many pages its pager says it has
    pager: str = ""  # the pager's family (index_N, createPageHTML, datastore …)
    first_page: bool = True  # its first page was read: without it, its newest item is not known


@dataclass
class Homepage:
    """A site's homepage as last crawled: its newest dated item (year-less dates already resolved)."""

    site: str
    url: str
    unit: str = ""
    newest: date | None = None
    navigation_entry: bool = False  # no dated item of its own: `newest` is its second-level pages'


@dataclass
class SiteFacts:
    """What the store knows of a site's pages for the self-assessment: the homepage's marks, and
    sampled content and column pages with the guideline meta tags each carries."""

    url: str
    homepage_marks: list[str] = field(default_factory=list)
    content_meta: list[tuple[str, list[str]]] = field(default_factory=list)  # (page URL, meta present)
    column_meta: list[tuple[str, list[str]]] = field(default_factory=list)
    seen: bool = True  # False: no page of it was stored (down for the whole scan), nothing to measure


@dataclass
class Interpretation:
    """A 政策解读 page as last stored: the documents it names (`cited`, by title) and links (`cited_links`)."""

    url: str
    site: str
    unit: str = ""
    title: str = ""
    column: str = ""
    cited: list[str] = field(default_factory=list)
    cited_links: list[str] = field(default_factory=list)


@dataclass
class BrokenLink:
    """A link target that could not be opened, and the pages of one site that refer to it.

    `referrers` is a sample (homepage first, then in URL order); `count` counts them all.
    """

    status: LinkStatus
    site: str
    unit: str = ""
    referrers: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    count: int = 0
    on_homepage: bool = False

    SAMPLE = 20


def severity_rank(severity: str) -> int:
    """Sort key: most serious first."""
    return SEVERITIES.index(severity)


TICKET_STATUS_LABELS = {"open": "待整改", "overdue": "已逾期", "fixed": "已整改", "reopened": "再次出现",
                        "dismissed": "误报"}
# A ticket's history holds its statuses and the steps people take that leave the status as it was:
# a unit's 误报 request, its refusal by the reading duty, a comment, a re-check that still found it.
TICKET_STEP_LABELS = {**TICKET_STATUS_LABELS, "dismiss_requested": "申请误报", "request_rejected": "驳回误报申请",
                      "comment": "备注", "still_found": "复查仍存在"}


@dataclass
class Ticket:
    """A rectification ticket (整改工单). Field names are the ticket JSON contract: add, never rename."""

    id: int
    fingerprint: str
    kind: str
    site: str
    unit: str
    url: str
    title: str
    evidence: str
    severity: str
    status: str
    created_at: datetime
    deadline: datetime
    fixed_at: datetime | None
    history: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass
class JobRun:
    """One run of a daemon job; `ok` is None while it runs."""

    job: str
    started_at: datetime
    finished_at: datetime | None
    ok: bool | None
    error: str = ""
