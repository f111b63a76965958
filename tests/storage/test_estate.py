"""The estate in the store: edges, link outcomes, site checks and the estate checks that read them;
the scan lock and statuses. On real SQLite and, where reachable, real PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from core.config import SiteConfig
from core.model import Finding, Link, LinkStatus, ListItem, Page, SiteStatus
from detector import Context, check_estate
from storage import ScanBusy, ScanEstate, Store
from storage.store import ScanStats
from storage.tickets import TicketBook

SITES = [SiteConfig(name="某某县人民政府", url="http://127.0.0.1:8001/", unit="县政府办")]
SITE = SITES[0].name
DEAD = "http://127.0.0.1:8001/gone.html"


def ctx(port: int = 8001) -> Context:
    return Context(today=date(2026, 11, 23), site_netlocs={f"127.0.0.1:{port}": SITE})


def page(path: str, *targets: str, homepage: bool = False) -> Page:
    return Page(url=f"http://127.0.0.1:8001{path}", site=SITE, unit="县政府办", is_homepage=homepage,
                links=[Link(t) for t in targets])


def scan_with(store: Store, pages: list[Page], links: list[LinkStatus]) -> list:
    scan_id = store.begin_scan(SITES)
    for p in pages:
        store.record_pages(scan_id, [(p, [])])
    store.record_pages(scan_id, [], links)
    findings = store.record_findings(scan_id, check_estate(ScanEstate(store, scan_id), ctx(), only=["dead_links"]))
    store.finish_scan(scan_id, "finished", ScanStats(pages=len(pages)))
    return findings


def test_a_dead_link_keeps_its_identity_when_its_referrers_change(store: Store) -> None:
    dead = LinkStatus(DEAD, False, 404, "HTTP 404")
    [first] = scan_with(store, [page("/a.html", DEAD), page("/b.html")], [dead])
    [second] = scan_with(store, [page("/a.html"), page("/b.html", DEAD)], [dead])
    assert first.url.endswith("/a.html") and second.url.endswith("/b.html")
    assert second.fingerprint == first.fingerprint
    assert second.first_seen == first.first_seen
    assert len(store.findings()) == 1


def test_broken_links_group_per_site_and_target_homepage_first(store: Store) -> None:
    dead = LinkStatus(DEAD, False, None, "连接被拒绝")
    alive = LinkStatus("http://127.0.0.1:8001/ok.html", True, 200)
    [finding] = scan_with(store, [page("/z.html", DEAD, alive.url), page("/", DEAD, homepage=True),
                                  page("/m.html", DEAD)], [dead, alive])
    assert finding.url == "http://127.0.0.1:8001/"
    assert finding.details["on_homepage"] is True and finding.details["referrer_count"] == 3
    assert finding.details["referrers"] == ["http://127.0.0.1:8001/", "http://127.0.0.1:8001/m.html",
                                            "http://127.0.0.1:8001/z.html"]
    assert "首页链接" in finding.suggestion


def test_a_page_checked_again_replaces_its_edges_and_list_items(store: Store) -> None:
    dead = LinkStatus(DEAD, False, 404, "HTTP 404")
    listing = page("/list.html", DEAD)
    listing.list_items = [ListItem("甲", "http://127.0.0.1:8001/1.html", date(2026, 11, 20))]
    scan_with(store, [listing], [dead])
    listing.links, listing.list_items = [], []
    assert scan_with(store, [listing], [dead]) == []  # the page no longer refers to it


def test_unreachable_site_from_the_stored_site_checks(store: Store) -> None:
    scan_id = store.begin_scan(SITES)
    store.record_site_checks(scan_id, [SiteStatus(SITE, SITES[0].url, "县政府办", False, "连接被拒绝")])
    [finding] = check_estate(ScanEstate(store, scan_id), ctx())
    assert finding.kind == "site_unreachable" and finding.context == "首页无法打开：连接被拒绝"


def test_one_scan_at_a_time_and_a_dead_holder_is_abandoned(store: Store) -> None:
    first = store.begin_scan(SITES)
    other = Store(store.engine.url.render_as_string(hide_password=False))
    try:
        with pytest.raises(ScanBusy) as busy:
            other.begin_scan(SITES)
        assert busy.value.scan_id == first
        # The holder dies without a word: its pid is gone, so the lock is stale.
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE scan_lock SET pid = 999999999")
        second = other.begin_scan(SITES)
        other.finish_scan(second, "finished", ScanStats())
    finally:
        other.close()
    assert [(s.id, s.status) for s in store.scans()] == [(second, "finished"), (first, "abandoned")]


def test_a_kind_can_have_its_own_ticket_deadline(store: Store) -> None:
    dead = LinkStatus(DEAD, False, 404, "HTTP 404")
    scan_with(store, [page("/a.html", DEAD)], [dead])
    word = page("/b.html")
    scan_id = store.begin_scan(SITES)
    typo = Finding(kind="erroneous_expression", url=word.url, evidence="中华人名共和国", site=SITE)
    store.record_pages(scan_id, [(word, [typo])])
    store.finish_scan(scan_id, "finished", ScanStats())
    now = datetime(2026, 11, 23, 8, tzinfo=timezone.utc)
    TicketBook(store).update(1, now, {"dead_link": 72}, 24)
    TicketBook(store).update(scan_id, now, {"dead_link": 72}, 24)
    deadlines = {t.kind: t.deadline - t.created_at for t in TicketBook(store).list()}
    assert deadlines == {"dead_link": timedelta(hours=72), "erroneous_expression": timedelta(hours=24)}
