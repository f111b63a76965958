"""`govwatch scan` and `check` over the fixture estate agree with tests/estate/EXPECTED.toml."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from govwatch.demo.server import EstateServer

from .conftest import EXPECTED, UNREACHABLE_SITE, Crawl, Scan, govwatch

FINDINGS = EXPECTED["finding"]


def url_of(estate: EstateServer, site: str, path: str) -> str:
    return estate.base(site) + path if path != "/" else estate.url(site)


def key(f: dict[str, Any]) -> tuple[str, str, str]:
    return f["kind"], f["url"], f["evidence"]


@pytest.mark.parametrize("expected", FINDINGS, ids=[f["case"] for f in FINDINGS])
def test_expected_finding_is_reported(expected: dict[str, Any], scans: list[Scan], estate: EstateServer) -> None:
    url = url_of(estate, expected["site"], expected["path"])
    evidence = estate.expand(expected["evidence"])
    matches = [f for f in scans[0].findings
               if (f["kind"], f["url"], f["evidence"]) == (expected["kind"], url, evidence)]
    assert matches, f"missing {expected['kind']} {evidence} on {url}"
    found = matches[0]
    assert found["site"] == EXPECTED["sites"][expected["site"]]["name"]
    if "reason" in expected:
        assert expected["reason"] in found["details"]["reason"]
    if "homepage" in expected:
        assert found["details"]["on_homepage"] is expected["homepage"]
    if "pii" in expected:
        assert found["details"]["pii"] == expected["pii"]
    if "suggestion" in expected:
        assert expected["suggestion"] in found["suggestion"]


def test_no_unexpected_findings(scans: list[Scan], estate: EstateServer) -> None:
    expected = {(f["kind"], url_of(estate, f["site"], f["path"]), estate.expand(f["evidence"])) for f in FINDINGS}
    expected.add(("site_unreachable", f"http://127.0.0.1:{estate.closed_port}/", f"http://127.0.0.1:{estate.closed_port}/"))
    extra = [key(f) for f in scans[0].findings if f["kind"] in EXPECTED["complete"] and key(f) not in expected]
    assert extra == []


def test_unreachable_site_is_a_finding_and_the_scan_goes_on(scans: list[Scan]) -> None:
    [down] = [f for f in scans[0].findings if f["kind"] == "site_unreachable"]
    assert down["site"] == UNREACHABLE_SITE and "连接被拒绝" in down["details"]["reason"]
    assert "无法访问的站点：" + UNREACHABLE_SITE in scans[0].run.stdout


@pytest.mark.parametrize("absent", EXPECTED["absent"], ids=[a["case"] for a in EXPECTED["absent"]])
def test_trap_is_not_reported(absent: dict[str, Any], scans: list[Scan], estate: EstateServer) -> None:
    url = url_of(estate, absent["site"], absent["path"])
    found = {f["evidence"] for f in scans[0].findings if f["kind"] == absent["kind"] and f["url"] == url}
    if "evidence" in absent:
        assert estate.expand(absent["evidence"]) not in found
    else:
        assert found <= set(absent.get("only", []))


def test_live_links_are_never_dead(scans: list[Scan], estate: EstateServer) -> None:
    dead = {f["evidence"] for f in scans[0].findings if f["kind"] == "dead_link"}
    assert dead & {estate.expand(link) for link in EXPECTED["live_links"]} == set()


def test_finding_json_contract(scans: list[Scan]) -> None:
    required = {"kind", "url", "evidence", "site", "unit", "column", "severity", "suggestion",
                "context", "first_seen"}
    for finding in scans[0].findings:
        assert required <= finding.keys()
        assert finding["severity"] in ("veto", "high", "medium", "low")


def test_privacy_evidence_is_masked_everywhere(scans: list[Scan], config_path: Path) -> None:
    import re

    long_number = re.compile(r"(?<!\d)\d{11,}")
    leaks = [f for f in scans[0].findings if f["kind"] == "privacy_leak"]
    shown = [json.dumps([f["evidence"], f["context"], f["details"]], ensure_ascii=False) for f in leaks]
    assert leaks and not [s for s in shown if long_number.search(s)]
    report = (config_path.parent / "reports").glob("scan-*.html")
    for html in report:
        for f in leaks:
            assert f["evidence"] in html.read_text(encoding="utf-8")
        assert "511523196909230044" not in html.read_text(encoding="utf-8")


def test_second_scan_keeps_one_finding_per_fingerprint(scans: list[Scan], config_path: Path) -> None:
    first, second = scans
    assert Counter(key(f) for f in second.findings) == Counter(key(f) for f in first.findings)
    by_fingerprint = {f["fingerprint"]: f for f in first.findings}
    for f in second.findings:
        assert f["first_seen"] == by_fingerprint[f["fingerprint"]]["first_seen"]
        assert f["last_seen"] > by_fingerprint[f["fingerprint"]]["last_seen"]
    with sqlite3.connect(config_path.parent / "govwatch.db") as db:
        rows, distinct = db.execute("SELECT COUNT(*), COUNT(DISTINCT fingerprint) FROM findings").fetchone()
        statuses = [s for (s,) in db.execute("SELECT status FROM scans")]
    assert rows == distinct == len(second.findings)
    assert statuses == ["finished", "finished"]


def test_summary_lists_each_site_and_kind(scans: list[Scan]) -> None:
    out = scans[0].run.stdout
    assert "扫描完成" in out and "某某县人民政府：" in out and "错链断链" in out and "某某县教育局：" in out


@pytest.mark.parametrize("page", ["homepage", "privacy_list", "gbk_article"])
def test_check_agrees_with_scan(page: str, scans: list[Scan], estate: EstateServer, config_path: Path) -> None:
    paths = {"homepage": ("portal", "/"),
             "privacy_list": next((f["site"], f["path"]) for f in FINDINGS
                                  if f["kind"] == "privacy_leak" and f["path"].endswith(".html")),
             "gbk_article": ("gbk", EXPECTED["pages"]["gbk_article"]["path"])}
    url = url_of(estate, *paths[page])
    run = govwatch("check", url, "--json", "--config", str(config_path))
    checked = json.loads(run.stdout)["findings"]
    assert run.returncode == (1 if checked else 0), run.stderr
    scanned = [f for f in scans[0].findings if f["url"] == url]
    # A dead link shared by several pages is filed under one of them in a scan: compare targets.
    assert {key(f) for f in checked if f["kind"] != "dead_link"} == \
        {key(f) for f in scanned if f["kind"] != "dead_link"}
    scan_dead = {f["evidence"] for f in scans[0].findings if f["kind"] == "dead_link"}
    assert {f["evidence"] for f in checked if f["kind"] == "dead_link"} <= scan_dead
    assert {f["evidence"] for f in scanned if f["kind"] == "dead_link"} <= \
        {f["evidence"] for f in checked if f["kind"] == "dead_link"}


def test_gbk_pages_decode_without_mojibake(crawl: Crawl, estate: EstateServer) -> None:
    for name in ("gbk_article", "gbk_article_zhu", "header_charset"):
        fact = EXPECTED["pages"][name]
        page = crawl.pages[url_of(estate, fact["site"], fact["path"])]
        assert page["title"] == fact["title"]
        assert fact["text"] in page["text"]


def test_trs_article_model(crawl: Crawl, estate: EstateServer) -> None:
    fact = EXPECTED["pages"]["trs_article"]
    page = crawl.pages[url_of(estate, fact["site"], fact["path"])]
    assert page["title"] == fact["title"] and page["published"] == fact["published"]
    assert page["source"] == fact["source"] and page["breadcrumb"] == fact["breadcrumb"]
    assert page["column"] == fact["column"] and fact["text"] in page["text"]


def test_homepage_yearless_dates(crawl: Crawl, estate: EstateServer) -> None:
    fact = EXPECTED["pages"]["homepage"]
    page = crawl.pages[estate.url("portal")]
    assert page["is_homepage"] and page["title"] == fact["title"]
    for name, value in fact["meta"].items():
        assert page["meta"][name] == value
    dates = [item["date"] for item in page["list_items"] if item["date"]]
    assert all(d in dates for d in fact["list_dates"])


def test_createpagehtml_pagination_is_fully_followed(crawl: Crawl, estate: EstateServer) -> None:
    fact = EXPECTED["pages"]["trs_pagination"]
    for path in fact["pages"] + fact["only_via_pagination"]:
        url = estate.base("portal") + path
        # `/xwzx/zwyw/` and `/xwzx/zwyw/index.html` serve the same bytes and are crawled once.
        assert url in crawl.pages or url.removesuffix("index.html") in crawl.pages, path


@pytest.mark.parametrize("name", ["datastore", "datastore_small"])
def test_datastore_lists_are_fully_followed(name: str, crawl: Crawl, estate: EstateServer) -> None:
    fact = EXPECTED["pages"][name]
    page = crawl.pages[estate.base("gbk") + fact["path"]]
    assert len(page["list_items"]) == fact["items"]
    for path in fact["only_via_datastore"]:
        assert estate.base("gbk") + path in crawl.pages, path


def test_large_page_is_cut_off_not_failed(crawl: Crawl, estate: EstateServer) -> None:
    fact = EXPECTED["pages"]["large"]
    page = crawl.pages[estate.base("portal") + fact["path"]]
    assert fact["start_text"] in page["text"] and fact["end_text"] not in page["text"]


def test_calendar_trap_stays_bounded(crawl: Crawl, estate: EstateServer) -> None:
    calendar = [url for url in crawl.pages if "/calendar.html" in url]
    assert 1 <= len(calendar) <= 31  # max_query_variants (30) plus the bare page


def test_outside_host_is_requested_never_crawled(crawl: Crawl, estate: EstateServer) -> None:
    assert not [url for url in crawl.pages if url.startswith(estate.base("ext"))]
    assert all(link["url"] in crawl.links for page in crawl.pages.values() for link in page["links"]
               if link["url"].startswith("http"))


def test_attachments_are_read(crawl: Crawl, estate: EstateServer) -> None:
    for path, spec in EXPECTED["attachments"].items():
        page = crawl.pages[estate.base(spec["site"]) + path]
        assert page["kind"] == "attachment"
        for text in spec["contains"]:
            assert text in page["text"]


def test_sitemap_page_is_marked(crawl: Crawl, estate: EstateServer) -> None:
    sitemaps = [url for url, page in crawl.pages.items() if page["sitemap"]]
    portal_map = estate.base("portal") + "/wzdt/"
    assert portal_map in sitemaps and all("/art/" not in url for url in sitemaps)
    assert len(crawl.pages[portal_map]["links"]) >= 5


def test_hanweb_data_proxy_completes_a_long_list(crawl: Crawl, estate: EstateServer) -> None:
    fact = EXPECTED["pages"]["datastore_proxy"]
    column = crawl.pages[estate.base("gbk") + fact["path"]]
    proxy = crawl.pages[estate.base("gbk") + fact["proxy"]]
    assert len(column["list_items"]) == fact["items"]
    assert len(column["list_items"]) + len(proxy["list_items"]) == fact["totalrecord"]
    for path in fact["only_via_proxy"]:
        assert estate.base("gbk") + path in crawl.pages, path


def test_each_page_belongs_to_the_site_of_its_host(crawl: Crawl, estate: EstateServer) -> None:
    names = {estate.base(site): EXPECTED["sites"][site]["name"] for site in ("portal", "gbk")}
    for url, page in crawl.pages.items():
        [base] = [b for b in names if url.startswith(b + "/")]
        assert page["site"] == names[base], url
    assert {page["site"] for page in crawl.pages.values()} == set(names.values())


@pytest.mark.parametrize("limits, bound", [({"max_pages": 3}, "pages"), ({"max_depth": 1}, "depth")])
def test_crawl_limits_hold(limits: dict[str, int], bound: str, config_path: Path) -> None:
    from dataclasses import replace

    from core.config import load
    from core.events import DoneEvent, PageEvent
    from crawler.plan import CrawlPlan
    from crawler.process import run_crawl

    from .conftest import TODAY

    config = load(config_path)
    plan = CrawlPlan.for_scan(config)
    plan.today = TODAY
    plan.crawl = replace(plan.crawl, check_links=False, attachments=False, **limits)
    events = list(run_crawl(plan))
    pages = [e.page for e in events if isinstance(e, PageEvent)]
    [done] = [e for e in events if isinstance(e, DoneEvent)]
    assert pages
    if bound == "pages":
        assert len(pages) <= 3
        assert done.limits.get("max_pages", 0) > 0  # the scan can say what it left out
    else:
        assert max(p.depth for p in pages) == 1
        assert done.limits.get("max_depth", 0) > 0


def test_scan_into_postgresql(postgres_url: str, config_path: Path, scans: list[Scan], tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    config = config_path.read_text(encoding="utf-8")
    sqlite_line = next(line for line in config.splitlines() if line.startswith("url = \"sqlite"))
    pg_config = tmp_path / "pg.toml"
    pg_config.write_text(config.replace(sqlite_line, f'url = "{postgres_url}"'), encoding="utf-8")
    out = tmp_path / "pg.json"
    run = govwatch("scan", "--config", str(pg_config), "--json", str(out))
    assert run.returncode == 0, run.stderr + run.stdout
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert Counter(key(f) for f in findings) == Counter(key(f) for f in scans[0].findings)
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT COUNT(DISTINCT fingerprint), COUNT(*) FROM findings")).one()
    engine.dispose()
    assert tuple(stored) == (len(findings), len(findings))


def test_each_link_target_is_checked_once_per_scan(crawl: Crawl) -> None:
    assert crawl.link_events and set(crawl.link_events.values()) == {1}
    # On the wire: an outside page costs one HEAD and one GET (for soft 404s), an image one HEAD,
    # however many pages link to them.
    wire = Counter(crawl.requests)
    assert wire["ext", "HEAD", "/news/2026/1120.html"] == wire["ext", "GET", "/news/2026/1120.html"] == 1
    assert (wire["ext", "HEAD", "/images/partner.gif"], wire["ext", "GET", "/images/partner.gif"]) == (1, 0)


def test_check_without_config_counts_a_homepage_only_at_a_site_root(estate: EstateServer,
                                                                     tmp_path: Path) -> None:
    """And a crawl leaves nothing in the user's home (no Scrapy job or token files)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "HOME": str(home)}

    def dead_links(url: str) -> list[dict[str, Any]]:
        run = subprocess.run([sys.executable, "-m", "govwatch", "check", url, "--json"],
                             capture_output=True, text=True, env=env, timeout=300)
        return [f for f in json.loads(run.stdout)["findings"] if f["kind"] == "dead_link"]

    root = dead_links(estate.url("portal"))
    article = dead_links(url_of(estate, "portal", "/xwzx/zwyw/202611/t20261118_1003.html"))
    assert root and all(f["details"]["on_homepage"] for f in root)
    assert article and not any(f["details"]["on_homepage"] for f in article)
    assert list(home.iterdir()) == []


def test_a_scan_stopped_by_the_page_budget_says_so(config_path: Path, tmp_path: Path) -> None:
    text = config_path.read_text(encoding="utf-8")
    db = text.split('url = "sqlite:///', 1)[1].split('"', 1)[0]
    config = tmp_path / "budget.toml"
    config.write_text(text.replace(db, str(tmp_path / "budget.db")).replace("[crawl]\n", "[crawl]\nmax_pages = 5\n"),
                      encoding="utf-8")
    out = tmp_path / "f.json"
    run = govwatch("scan", "--config", str(config), "--json", str(out))
    assert run.returncode == 0, run.stderr
    scan = json.loads(out.read_text(encoding="utf-8"))["scan"]
    assert scan["status"] == "finished" and scan["limits"]["max_pages"] > 0
    assert any("crawl.max_pages" in note for note in scan["notes"])
    assert "crawl.max_pages" in run.stdout
    report = Path(run.stdout.split("报告已写入：")[1].split()[0])
    assert "crawl.max_pages" in report.read_text(encoding="utf-8")
