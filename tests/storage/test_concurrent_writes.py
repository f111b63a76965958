"""Several processes store one scan's pages at once (a distributed scan): on PostgreSQL, writers racing
for the same page URL, finding fingerprint or link target all succeed, and each row exists once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from core.config import SiteConfig
from core.model import Finding, Link, LinkStatus, Page
from storage import Store
from storage import models as db

SITE = SiteConfig(name="某某县人民政府", url="http://127.0.0.1/", unit="县政府办公室")


def _page(n: int) -> tuple[Page, list[Finding], list[LinkStatus]]:
    url = f"http://127.0.0.1/p{n}.html"
    page = Page(url=url, site=SITE.name, unit=SITE.unit, title=f"p{n}", links=[Link("http://127.0.0.1/shared.png", "img")])
    finding = Finding(kind="erroneous_expression", url=url, evidence="中华人民共合国", site=SITE.name, unit=SITE.unit,
                      severity="high", suggestion="中华人民共和国")
    links = [LinkStatus(f"http://127.0.0.1/t{k}", True, 200) for k in range(20)]
    return page, [finding], links


def test_racing_writers_store_each_page_finding_and_target_once(postgres_url: str) -> None:
    leader = Store(postgres_url)
    scan_id = leader.begin_scan([SITE])
    writers = [Store(postgres_url) for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(writers))

    def write(store: Store) -> None:
        start.wait()
        try:
            for n in range(30):  # every writer stores the same pages, findings and link outcomes
                page, findings, links = _page(n)
                store.record_pages(scan_id, [(page, findings)], list(reversed(links)) if n % 2 else links)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(store,)) for store in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with leader.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(db.Page)) == 30
        assert conn.scalar(select(func.count()).select_from(db.Finding)) == 30
        assert conn.scalar(select(func.count()).select_from(db.LinkTarget)) == 20
    for store in [leader, *writers]:
        store.close()
