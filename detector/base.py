"""What every check shares: the context it runs in and the helpers that turn a match into a finding.

A check is a small object with a `name`, the `kinds` it may emit and a `check` method. Page checks
take one `Page`; estate checks take an `EstateView`: the estate as the store last saw it (every
site's status, every dead link with its referrers), streamed. Checks never do I/O themselves:
whatever they need arrives in the page, the estate view or the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Protocol

from core.config import ColumnConfig, InteractionConfig, ProbeConfig, SuperiorConfig
from core.model import (Availability, BrokenLink, Column, Finding, Homepage, Interpretation, ListItem, Page,
                        SiteStatus)
from core.urls import netloc

from .words import WordMatcher


@dataclass
class Context:
    """Scan-wide knowledge a check may use.

    `today` is the date in the configured time zone (year-less dates, `after=` entries).
    `estate_hosts` are the netlocs (host:port) of every configured site: links to them are internal.
    `site_netlocs` names the site behind each of them, for site-relative finding identities.
    `matcher` is built once per process from the word lists and reused for every page.
    `hidden_link_allow` are host suffixes (the shipped list and `detector.hidden_link_allow`) whose
    hidden links are not 暗链 unless they look like spam.
    `authoritative_sources` are the outlets a repost may name as its 来源 (the shipped list and
    `detector.authoritative_sources`, casefolded); without them no stated source is judged.
    `probe` says how homepage availability is judged (`[probe]`); `columns` are the config's pinned
    columns, keyed by their list's first page (`core.urls.first_list_page`); `superior` the lists
    whose items our repost columns must carry. `reviews` are people's decisions on suspected typos
    (`govwatch review`), by the suspected text.
    """

    today: date
    estate_hosts: frozenset[str] = frozenset()
    site_netlocs: dict[str, str] = field(default_factory=dict)
    site_units: dict[str, str] = field(default_factory=dict)  # site name → its 责任单位
    matcher: WordMatcher | None = None
    hidden_link_allow: frozenset[str] = frozenset()
    authoritative_sources: frozenset[str] = frozenset()
    probe: ProbeConfig = field(default_factory=ProbeConfig)
    interaction: InteractionConfig = field(default_factory=InteractionConfig)  # `[interaction]`
    columns: dict[str, ColumnConfig] = field(default_factory=dict)  # `[[columns]]` by list first page
    superior: list[SuperiorConfig] = field(default_factory=list)
    reviews: dict[str, str] = field(default_factory=dict)  # suspected text → "confirmed" | "rejected"

    def is_internal(self, url: str) -> bool:
        return netloc(url) in self.estate_hosts


class PageCheck(Protocol):
    name: str
    kinds: tuple[str, ...]

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]: ...


class EstateView(Protocol):
    """The estate as last stored: what estate checks read (the store implements it)."""

    def site_checks(self) -> Iterable[SiteStatus]: ...

    def broken_links(self) -> Iterable[BrokenLink]: ...

    def availability(self, days: int) -> Iterable[Availability]: ...

    def columns(self) -> Iterable[Column]: ...

    def homepages(self) -> Iterable[Homepage]: ...

    def superior_items(self, name: str) -> list[ListItem]: ...

    def column_titles(self, column_url: str) -> list[str]: ...

    def interpretations(self) -> Iterable[Interpretation]: ...

    def article_titles(self) -> Iterable[tuple[str, str]]: ...  # (url, title) of every dated page

    def links_between(self, sources: set[str], targets: set[str]) -> set[tuple[str, str]]: ...


class EstateCheck(Protocol):
    name: str
    kinds: tuple[str, ...]

    def check(self, estate: EstateView, ctx: Context) -> Iterable[Finding]: ...


def excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    """The matched span with `width` characters either side, whitespace folded, ends marked with …"""
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


def page_finding(page: Page, kind: str, evidence: str, *, context: str = "",
                 suggestion: str = "", severity: str = "", **details: Any) -> Finding:
    """A finding located on `page`, carrying the page's site, unit and column."""
    return Finding(
        kind=kind,
        url=page.url,
        evidence=evidence,
        site=page.site,
        unit=page.unit,
        column=page.column,
        severity=severity,
        suggestion=suggestion,
        context=context,
        details={k: v for k, v in details.items() if v not in (None, "", [], {})},
    )
