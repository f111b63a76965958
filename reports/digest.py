"""The morning reading-duty digest (读网值班日报): what the duty officer reads on a phone at 8 am.

The daemon fills a `Digest` from the store; this module only shapes and renders it, in HTML and
plain text, through the one Jinja environment. Titles, evidence and context are crawled text and
untrusted: the HTML template autoescapes them and the text template passes them through `plain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

from core.model import SEVERITIES, severity_rank

from .env import ENV
from .summary import printable

FOLD_SAMPLE = 5  # other pages named under a folded problem; the count says how many there are in all
NO_UNIT = "（未指定责任单位）"
_NEVER = datetime.max.replace(tzinfo=timezone.utc)  # sorts items without a deadline last


@dataclass
class DigestItem:
    """One problem or ticket; `count` > 1 once the same problem on many pages is folded into one line."""

    kind: str
    severity: str
    site: str
    unit: str
    url: str
    title: str
    evidence: str
    context: str
    suggestion: str
    deadline: datetime | None = None
    ticket_id: int | None = None
    count: int = 1
    review_id: int | None = None  # a suspected problem's number for `govwatch review`
    pages: list[str] = field(default_factory=list)


@dataclass
class SiteAvailability:
    """A site's homepage probes over the window; `unit` lets a unit's digest show its own sites."""

    site: str
    url: str
    probes: int
    failures: int
    unit: str = ""

    @property
    def rate(self) -> float:
        """The share of failed probes, as `core.model.Availability.rate`."""
        return self.failures / self.probes if self.probes else 0.0


@dataclass
class AssessmentLine:
    site: str
    verdict: str
    score: float
    vetoes: list[str]


@dataclass
class FailedJob:
    job: str
    when: datetime
    error: str


@dataclass
class Digest:
    """One day's digest for the whole estate, or (`unit` set) for one responsible unit."""

    estate: str
    day: date
    tz: str
    new: list[DigestItem]
    overdue: list[DigestItem]
    fixed: list[DigestItem]
    availability: list[SiteAvailability]
    assessments: list[AssessmentLine]
    failed_jobs: list[FailedJob]
    window_days: int = 7  # the availability window (`probe.window_days`)
    unit: str = ""
    ticket_base: str = ""  # the web console's address (`web.base_url`): each ticket links to its page
    suspected: list[DigestItem] = field(default_factory=list)  # awaiting review, not ticketed: shown apart

    def for_unit(self, unit: str) -> Digest:
        """That unit's problems and sites only: assessments and failed jobs are the duty office's business."""
        def mine(items: list[DigestItem]) -> list[DigestItem]:
            return [i for i in items if i.unit == unit]
        return replace(self, new=mine(self.new), overdue=mine(self.overdue), fixed=mine(self.fixed),
                       suspected=mine(self.suspected),
                       availability=[a for a in self.availability if a.unit == unit],
                       assessments=[], failed_jobs=[], unit=unit)

    @property
    def new_count(self) -> int:
        return sum(i.count for i in self.new)

    @property
    def overdue_count(self) -> int:
        return sum(i.count for i in self.overdue)

    @property
    def subject(self) -> str:
        """E.g. 【读网值班日报】2026-11-23 某某区人民政府网站：新发现 12 条，逾期 3 条."""
        unit = f"（{self.unit}）" if self.unit else ""
        return printable(f"【读网值班日报】{self.day.isoformat()} {self.estate}{unit}："
                         f"新发现 {self.new_count} 条，逾期 {self.overdue_count} 条")


@dataclass
class UnitSection:
    """The new problems of one unit, by severity, most serious first."""

    unit: str
    count: int
    by_severity: list[tuple[str, list[DigestItem]]]


def fold(items: list[DigestItem]) -> list[DigestItem]:
    """The same problem (kind, evidence, unit) on many pages as one item with a count and a sample of
    pages, so one word pasted into 40 articles is one line, not 40. Order of first appearance is kept."""
    groups: dict[tuple[str, str, str], list[DigestItem]] = {}
    for item in items:
        groups.setdefault((item.kind, item.evidence, item.unit), []).append(item)
    return [_merge(group) for group in groups.values()]


def _merge(group: list[DigestItem]) -> DigestItem:
    first = group[0]
    if len(group) == 1:
        return first
    others = [u for item in group for u in (item.url, *item.pages) if u != first.url]
    deadlines = [i.deadline for i in group if i.deadline]
    return replace(first, severity=min((i.severity for i in group), key=severity_rank),
                   deadline=min(deadlines) if deadlines else None, count=sum(i.count for i in group),
                   pages=list(dict.fromkeys(others))[:FOLD_SAMPLE])


def render_html(digest: Digest) -> str:
    return ENV.get_template("digest.html").render(_view(digest))


def render_text(digest: Digest) -> str:
    return ENV.get_template("digest.txt").render(_view(digest))


def _view(digest: Digest) -> dict[str, Any]:
    """What both templates show, in the order a duty officer reads it: counts, overdue, new, fixed."""
    new = fold(digest.new)
    return {
        "d": digest,
        "severity_counts": [(s, sum(i.count for i in digest.new if i.severity == s)) for s in SEVERITIES
                            if s != "review"],  # tickets only: suspected problems are counted apart
        "veto_count": sum(i.count for i in digest.new if i.severity == "veto"),
        "fixed_count": sum(i.count for i in digest.fixed),
        "overdue": sorted(fold(digest.overdue), key=lambda i: (i.deadline or _NEVER, severity_rank(i.severity))),
        "units": _by_unit(new),
        "fixed": fold(digest.fixed),
        "suspected": digest.suspected,
    }


def _by_unit(items: list[DigestItem]) -> list[UnitSection]:
    """Units with the most serious problems first, then the most problems; within a unit, by severity."""
    units: dict[str, list[DigestItem]] = {}
    for item in items:
        units.setdefault(item.unit or NO_UNIT, []).append(item)
    sections = []
    for unit, mine in units.items():
        by_severity = [(s, sorted((i for i in mine if i.severity == s), key=lambda i: (i.kind, i.url)))
                       for s in SEVERITIES]
        sections.append(UnitSection(unit, sum(i.count for i in mine), [(s, i) for s, i in by_severity if i]))
    return sorted(sections, key=lambda u: (severity_rank(u.by_severity[0][0]), -u.count, u.unit))
