"""Suspected typos wait for a person: never ticketed by a scan; confirmed → an erroneous_expression ticket
that later scans keep open; rejected → that text is never reported again (storage/reviews.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

import wordlists
from core.config import SiteConfig
from core.model import Finding, Page
from detector import Context
from detector.checks.words import CHECK
from detector.language.base import Hit
from storage import Store
from storage.reviews import ReviewBook, ReviewError
from storage.store import ScanStats
from storage.tickets import TicketBook

SITES = [SiteConfig(name="某某县人民政府", url="http://127.0.0.1:8001/", unit="县政府办")]
SITE = SITES[0].name
NOW = datetime(2026, 11, 23, 8, tzinfo=timezone.utc)
TEXT = "会议要求认真贯彻落实，抓紧布署下一阶段工作。"


class _Suspicious:
    """A matcher reporting one fixed suspected typo, so the test does not hang on the statistical layer."""

    def find(self, text: str, published: date | None = None) -> list[Hit]:
        start = text.find("布署")
        entry = wordlists.Entry("布署", "suspect", "部署", rule="statistical")
        return [Hit(entry, start, start + 2)] if start >= 0 else []


def scan(store: Store, path: str = "/a.html") -> tuple[int, list[Finding]]:
    ctx = Context(today=date(2026, 11, 23), site_netlocs={"127.0.0.1:8001": SITE},
                  matcher=_Suspicious(), reviews=ReviewBook(store).decisions())  # type: ignore[arg-type]
    page = Page(url=f"http://127.0.0.1:8001{path}", site=SITE, unit="县政府办", text=TEXT)
    found = list(CHECK.check(page, ctx))
    for f in found:
        f.identify(ctx.site_netlocs)
    scan_id = store.begin_scan(SITES)
    store.record_pages(scan_id, [(page, found)])
    store.finish_scan(scan_id, "finished", ScanStats(pages=1))
    TicketBook(store).update(scan_id, NOW, {}, 24)
    return scan_id, found


def test_a_suspected_typo_is_stored_and_listed_but_not_ticketed(store: Store) -> None:
    _, [found] = scan(store)
    assert (found.kind, found.severity, found.details["rule"]) == ("suspected_typo", "review", "statistical")
    [pending] = ReviewBook(store).pending()
    assert (pending.evidence, pending.site, pending.rule) == ("布署", SITE, "statistical")
    assert TicketBook(store).list() == []


def test_a_confirmed_typo_becomes_an_erroneous_expression_ticket_that_later_scans_keep(store: Store) -> None:
    scan(store)
    [pending] = ReviewBook(store).pending()
    ticket = ReviewBook(store).confirm(pending.id, "张三", NOW, timedelta(hours=24))
    assert (ticket.kind, ticket.evidence, ticket.status) == ("erroneous_expression", "布署", "open")
    assert ReviewBook(store).pending() == []
    _, [again] = scan(store)
    assert again.kind == "erroneous_expression" and again.fingerprint == ticket.fingerprint
    assert TicketBook(store).get(ticket.id).status == "open"  # found again: not fixed
    with pytest.raises(ReviewError, match="没有编号"):
        ReviewBook(store).confirm(pending.id + 1000, "", NOW, timedelta(hours=24))


def test_a_rejected_text_is_never_reported_again(store: Store) -> None:
    scan(store)
    [pending] = ReviewBook(store).pending()
    with pytest.raises(ReviewError, match="--reason"):
        ReviewBook(store).reject(pending.id, " ", "张三", NOW)
    assert ReviewBook(store).reject(pending.id, "人名，不是错字", "张三", NOW) == "布署"
    assert ReviewBook(store).pending() == []
    _, found = scan(store, "/b.html")
    assert found == [] and TicketBook(store).list() == []
