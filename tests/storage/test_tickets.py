"""A scan's tickets on the store itself, SQLite and PostgreSQL (storage.tickets): the many opened by a
first scan, each with its own finding and its own event; fixed, reopened and dismissed by later scans."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from core.config import SiteConfig
from core.model import Finding, Page
from storage import Store
from storage.store import ScanStats
from storage.tickets import TicketBook

SITES = [SiteConfig(name="某某县人民政府", url="http://127.0.0.1:8001/", unit="县政府办")]
SITE = SITES[0].name
NOW = datetime(2026, 11, 23, 8, tzinfo=timezone.utc)
PAGES = 60  # each with two findings of kinds given different deadlines: 120 tickets at once


def scan(store: Store, now: datetime, pages: range) -> int:
    """A scan of the site's pages 0 … PAGES - 1 that finds two problems on each page of `pages`."""
    scan_id = store.begin_scan(SITES)
    checked = []
    for n in range(PAGES):
        page = Page(url=f"http://127.0.0.1:8001/{n}.html", site=SITE, unit="县政府办", title=f"第{n}号通知", text="")
        found = [Finding("privacy_leak", page.url, f"身份证号 11010519491231{n:04d}", site=SITE, unit="县政府办"),
                 Finding("erroneous_expression", page.url, f"错误表述{n}", site=SITE, unit="县政府办")] if n in pages else []
        checked.append((page, found))
    store.record_pages(scan_id, checked)
    store.finish_scan(scan_id, "finished", ScanStats(pages=PAGES))
    TicketBook(store).update(scan_id, now, {"privacy_leak": 4}, 24)
    return scan_id


def test_a_first_scan_opens_a_ticket_for_each_finding_each_with_its_own_event(store: Store) -> None:
    scan_id = scan(store, NOW, range(PAGES))
    tickets = TicketBook(store).list()
    assert len(tickets) == 2 * PAGES
    for ticket in tickets:
        n = int(ticket.url.rsplit("/", 1)[1].split(".")[0])
        assert ticket.evidence == (f"身份证号 11010519491231{n:04d}" if ticket.kind == "privacy_leak" else f"错误表述{n}")
        assert (ticket.site, ticket.unit, ticket.title, ticket.status) == (SITE, "县政府办", f"第{n}号通知", "open")
        assert ticket.deadline == NOW + timedelta(hours=4 if ticket.kind == "privacy_leak" else 24)
        assert [(e["status"], e["note"], e["scan"]) for e in ticket.history] == [("open", "扫描新发现", scan_id)]


def test_later_scans_fix_reopen_and_leave_dismissed_tickets_alone(store: Store) -> None:
    book = TicketBook(store)
    scan(store, NOW, range(PAGES))
    dismissed = next(t for t in book.list() if t.url.endswith("/1.html"))
    book.dismiss(dismissed.id, "并非问题", "值班员", NOW)
    later = NOW + timedelta(hours=1)
    second = scan(store, later, range(1, PAGES))  # page 0 corrected
    fixed = [t for t in book.list() if t.status == "fixed"]
    assert {t.url for t in fixed} == {"http://127.0.0.1:8001/0.html"} and len(fixed) == 2
    assert all(t.history[-1]["status"] == "fixed" and t.history[-1]["scan"] == second for t in fixed)
    assert book.get(dismissed.id).status == "dismissed"
    again = NOW + timedelta(hours=2)
    third = scan(store, again, range(PAGES))  # and back
    for ticket in (book.get(t.id) for t in fixed):
        assert ticket.status == "reopened" and ticket.fixed_at is None
        assert ticket.deadline == again + timedelta(hours=4 if ticket.kind == "privacy_leak" else 24)
        assert [e["status"] for e in ticket.history] == ["open", "fixed", "reopened"]
        assert (ticket.history[-1]["note"], ticket.history[-1]["scan"]) == ("已整改的问题再次出现", third)
    assert book.get(dismissed.id).status == "dismissed"
    assert len(book.list()) == 2 * PAGES  # the same tickets throughout
