"""What an incremental scan starts from, on real SQLite and, where reachable, real PostgreSQL: which
pages it re-reads (with their validators), which it knows, which link targets it need not request."""

from __future__ import annotations

from datetime import date, timedelta

from core.config import SiteConfig
from core.model import Link, LinkStatus, ListItem, Page
from storage import Store
from storage.store import ScanStats

ROOT = "http://127.0.0.1:1"
SITES = [SiteConfig(name="某某县人民政府", url=f"{ROOT}/", unit="县政府办")]


def list_page(url: str, newest: date | None) -> Page:
    items = [ListItem(f"第{i}条", f"{url}#{i}", newest - timedelta(days=i) if newest else None) for i in range(3)]
    return Page(url=url, site="某某县人民政府", list_items=items, column_url=f"{ROOT}/tzgg/", etag=f'"{url.rsplit("/", 1)[1]}"',
                body_hash="b" * 40)


def test_the_newest_list_pages_of_each_column_are_re_read_and_the_rest_is_known(store: Store) -> None:
    scan = store.begin_scan(SITES)
    store.record_pages(scan, [(Page(url=f"{ROOT}/", site="某某县人民政府", is_homepage=True, last_modified="Mon",
                                 links=[Link(f"{ROOT}/gone.html"), Link(f"{ROOT}/logo.png", "img")]), [])])
    newest = date(2026, 11, 20)
    for n in range(5):  # index.html holds the newest items, index_4.html the oldest
        store.record_pages(scan, [(list_page(f"{ROOT}/tzgg/index{f'_{n}' if n else ''}.html", newest - timedelta(days=9 * n)), [])])
    proxy = list_page(f"{ROOT}/module/dataproxy.jsp?startrecord=16&endrecord=30", newest)
    store.record_pages(scan, [(proxy, [])])
    store.record_pages(scan, [(Page(url=f"{ROOT}/tzgg/a.html", site="某某县人民政府", published=newest), [])],
                      [LinkStatus(f"{ROOT}/gone.html", False, 404, "HTTP 404"), LinkStatus(f"{ROOT}/logo.png", True, 200),
                       LinkStatus(f"{ROOT}/tzgg/a.html", True, 200)])
    store.finish_scan(scan, "finished", ScanStats())

    known = store.known_estate(2, timedelta(hours=24))
    assert known.reread == [(f"{ROOT}/", "", "Mon", ""),
                            (f"{ROOT}/tzgg/index.html", '"index.html"', "", "b" * 40),
                            (f"{ROOT}/tzgg/index_1.html", '"index_1.html"', "", "b" * 40),
                            (f"{ROOT}/tzgg/index_2.html", '"index_2.html"', "", "b" * 40)]
    assert sorted(known.known) == sorted([f"{ROOT}/tzgg/index_3.html", f"{ROOT}/tzgg/index_4.html", proxy.url,
                                          f"{ROOT}/tzgg/a.html"])
    assert sorted(known.fresh) == [f"{ROOT}/logo.png", f"{ROOT}/tzgg/a.html"]
    assert known.dead == [f"{ROOT}/gone.html"]
    assert store.known_estate(0, timedelta(hours=0)).fresh == []  # every alive target is due at once
    assert len(store.known_estate(0, timedelta(hours=24)).reread) == 2  # the homepage and each column's first page
