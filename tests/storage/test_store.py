"""The finding store on real SQLite and, where reachable, real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import SiteConfig
from core.model import Finding, Link, Page
from storage import Store, StoreError
from storage.store import ScanStats

SITES = [SiteConfig(name="某某县人民政府", url="http://127.0.0.1:1/", unit="县政府办")]


def finding(evidence: str = "中华人名共和国") -> Finding:
    return Finding(kind="erroneous_expression", url="http://127.0.0.1:1/a.html", evidence=evidence,
                   site="某某县人民政府", unit="县政府办", context="…中华人名共和国…")


def test_second_scan_updates_instead_of_duplicating(store: Store) -> None:
    page = Page(url="http://127.0.0.1:1/a.html", site="某某县人民政府")
    first = store.begin_scan(SITES)
    [stored] = store.record_pages(first, [(page, [finding()])])
    store.finish_scan(first, "finished", ScanStats(pages=1, findings=1))
    second = store.begin_scan(SITES)
    [again] = store.record_pages(second, [(page, [finding()])])
    store.finish_scan(second, "finished", ScanStats(pages=1, findings=1))

    all_findings = store.findings()
    assert len(all_findings) == 1
    assert again.first_seen == stored.first_seen
    assert all_findings[0].last_seen >= stored.last_seen
    assert [f.evidence for f in store.findings(scan_id=second)] == ["中华人名共和国"]
    assert all_findings[0].site == "某某县人民政府"


def test_findings_only_of_a_scan(store: Store) -> None:
    page = Page(url="http://127.0.0.1:1/a.html", site="某某县人民政府")
    first = store.begin_scan(SITES)
    store.record_pages(first, [(page, [finding("甲")])])
    store.finish_scan(first, "finished", ScanStats())
    second = store.begin_scan(SITES)
    store.record_pages(second, [(page, [finding("乙")])])
    assert [f.evidence for f in store.findings(scan_id=second)] == ["乙"]
    assert sorted(f.evidence for f in store.findings()) == ["乙", "甲"]


def test_failed_page_transaction_leaves_nothing(store: Store) -> None:
    scan = store.begin_scan(SITES)
    page = Page(url="http://127.0.0.1:1/b.html", site="某某县人民政府")

    def broken():
        yield finding("甲")
        raise RuntimeError("detector crashed mid-page")

    with pytest.raises(RuntimeError):
        store.record_pages(scan, [(page, broken())])
    assert store.findings() == []


def test_scan_status_is_recorded(store: Store) -> None:
    scan = store.begin_scan(SITES)
    store.finish_scan(scan, "failed", ScanStats(pages=3), error="爬取进程异常退出")
    [latest] = store.scans(1)
    assert latest.status == "failed" and latest.pages == 3 and latest.error == "爬取进程异常退出"


def test_unusable_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="无法打开数据库"):
        Store(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")


def test_two_databases_never_name_their_reports_alike(tmp_path: Path) -> None:
    from govwatch.service import report_stem

    first, second = Store(f"sqlite:///{tmp_path / 'a.db'}"), Store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        assert report_stem(first, 1) != report_stem(second, 1)
        assert report_stem(first, 1) == report_stem(Store(f"sqlite:///{tmp_path / 'a.db'}"), 1)  # stable
    finally:
        first.close()
        second.close()


def test_links_between_gives_exactly_the_stored_links_from_sources_to_targets(store: Store) -> None:
    """Looked up by target: every link from a source to a target, none from elsewhere or to elsewhere,
    past the 500 URLs a statement takes at once."""
    root = "http://127.0.0.1:1/"
    menu = [Link(f"{root}menu/{n}.html") for n in range(30)]  # what every page links to besides
    pages = [Page(url=f"{root}doc/{n}.html", site=SITES[0].name, links=[*menu, Link(f"{root}jd/{n}.html")])
             for n in range(600)]
    pages += [Page(url=f"{root}jd/{n}.html", site=SITES[0].name, links=[*menu, Link(f"{root}doc/{n}.html")])
              for n in range(0, 600, 2)]
    pages.append(Page(url=f"{root}list.html", site=SITES[0].name, links=[Link(f"{root}jd/{n}.html") for n in range(600)]))
    scan_id = store.begin_scan(SITES)
    store.record_pages(scan_id, [(page, []) for page in pages])
    documents = {f"{root}doc/{n}.html" for n in range(600)}
    interpretations = {f"{root}jd/{n}.html" for n in range(600)}
    assert store.links_between(documents, interpretations) == {(f"{root}doc/{n}.html", f"{root}jd/{n}.html")
                                                               for n in range(600)}
    assert store.links_between(interpretations, documents) == {(f"{root}jd/{n}.html", f"{root}doc/{n}.html")
                                                               for n in range(0, 600, 2)}
    assert store.links_between({f"{root}list.html"}, {f"{root}jd/7.html", f"{root}doc/7.html"}) == {
        (f"{root}list.html", f"{root}jd/7.html")}
