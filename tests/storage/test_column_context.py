"""A column's context in the store: its breadcrumb, pager and first page, its parent column by URL and its
网站地图 section; and the interpretations, titles and links the 解读关联 check reads. On real SQLite and,
where reachable, real PostgreSQL."""

from __future__ import annotations

from datetime import date

from core.config import SiteConfig
from core.model import Link, ListItem, Page
from detector import Context, check_estate
from storage import ScanEstate, Store
from storage.store import ScanStats

SITES = [SiteConfig(name="某某县人民政府", url="http://127.0.0.1:8001/", unit="县政府办")]
SITE = SITES[0].name
H = "http://127.0.0.1:8001"


def _list(path: str, column: str, day: date, *, crumbs: list[str] | None = None, page: int = 1,
          pages: int = 1) -> Page:
    items = [ListItem(f"{column}{i}", f"{H}{path}a{i}.html", day) for i in range(3)]
    first = path.rsplit("/", 1)[0] + "/" if "index_" in path else path
    return Page(url=f"{H}{path}", site=SITE, column=column, breadcrumb=crumbs or [], list_items=items,
                column_url=f"{H}{first}", pager="index_N" if pages > 1 else "", list_pages=pages, list_page=page)


def _scan(store: Store, pages: list[Page]) -> int:
    scan_id = store.begin_scan(SITES)
    store.record_pages(scan_id, [(p, []) for p in pages])
    store.record_columns(scan_id)
    return scan_id


def test_columns_carry_their_breadcrumb_pager_parent_and_site_map_section(store: Store) -> None:
    sitemap = Page(url=f"{H}/wzdt/", site=SITE, sitemap=True, sections={f"{H}/jzth/index.html": "规划信息"})
    pages = [
        _list("/ghxx/", "规划信息", date(2026, 10, 1)),
        _list("/ghxx/gzjz/", "工作进展情况", date(2026, 6, 1), crumbs=["首页", "规划信息", "工作进展情况"], pages=3),
        _list("/ghxx/gzjz/index_2.html", "工作进展情况", date(2025, 1, 1), page=3, pages=3),
        _list("/jzth/", "进展通报", date(2026, 5, 1)),
        _list("/tzgg/index_36.html", "通知公告", date(2023, 1, 1), page=37, pages=37),
        sitemap,
    ]
    scan_id = _scan(store, pages)
    columns = {c.url.removeprefix(H): c for c in store.columns(scan_id)}
    gzjz = columns["/ghxx/gzjz/"]
    assert (gzjz.crumbs, gzjz.parent, gzjz.pages, gzjz.pager, gzjz.first_page) == (
        ["首页", "规划信息", "工作进展情况"], "规划信息", 3, "index_N", True)
    assert gzjz.newest == date(2026, 6, 1) and gzjz.items == 6
    assert columns["/jzth/"].section == "规划信息"
    assert columns["/tzgg/"].first_page is False
    found = check_estate(ScanEstate(store, scan_id), Context(today=date(2026, 11, 23)), only=["columns"])
    assert [f.url.removeprefix(H) for f in found] == []  # planning by context; page 37 alone is not judged


def test_the_interpretation_check_reads_the_stored_pages_and_links(store: Store) -> None:
    doc = Page(url=f"{H}/zcwj/1.html", site=SITE, title="某某县就业创业扶持办法_某某县人民政府",
               published=date(2026, 11, 1))
    jd = Page(url=f"{H}/zcjd/1.html", site=SITE, title="《某某县就业创业扶持办法》政策解读", column="政策解读",
              published=date(2026, 11, 2), cited=["某某县就业创业扶持办法"], cited_links=[doc.url],
              links=[Link(doc.url)])
    scan_id = _scan(store, [doc, jd])
    [finding] = check_estate(ScanEstate(store, scan_id), Context(today=date(2026, 11, 23)), only=["interpretations"])
    assert (finding.url, finding.evidence, finding.details["links"]) == (jd.url, "某某县就业创业扶持办法", "one_way")
    doc.links = [Link(jd.url)]
    store.finish_scan(scan_id, "finished", ScanStats())
    scan_id = _scan(store, [doc, jd])
    assert check_estate(ScanEstate(store, scan_id), Context(today=date(2026, 11, 23)), only=["interpretations"]) == []
