"""Columns, freshness and reposts on a small estate whose dates sit on each rule's boundary.

The estate is generated per test relative to a pinned day (GOVWATCH_TODAY), so the verdicts never
drift with the calendar: news columns at 13 and 15 days, a first-level notice column at 170 and 190
days, a subsite notice column at 200 days, weekly columns at 9 and 12 days, a 暂无信息 column, a
Hanweb datastore list (not blank), homepages fresh and stale; a superior site's list with an item
reposted, one missing and overdue, and one only 10 hours old (not yet due).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.loopback import Loopback, QuietHandler

TODAY = date(2026, 11, 23)

# path → (column name, age in days of the newest item, or None for a placeholder)
PORTAL_COLUMNS = {
    "/xwzx/gzdt/": ("工作动态", 13),
    "/xwzx/bmdt/": ("部门动态", 15),
    "/zwgk/tzgg/": ("通知公告", 170),
    "/zwgk/gsgg/": ("公示公告", 190),
    "/xwzx/zdt1/": ("周动态", 9),
    "/xwzx/zdt2/": ("一周要情周报", 12),
    "/hdjl/myzj/": ("民意征集", None),
}
SUBSITE_COLUMNS = {"/col/col101/": ("通知公告", 200)}
ENTRY_COLUMNS = {"/xzdt/": ("乡镇动态", 5)}  # a homepage that is only a navigation entry
# Fixed content: last year's 年版 (stale) and this year's (fine).
FIXED = {"/zwgk/gkzn/": ("政府信息公开指南", f"某某县人民政府信息公开指南（{TODAY.year - 1}年版）"),
         "/zjxq/xqgk/": ("县情概况", f"某某县县情概况（{TODAY.year}年版）")}
# The superior's list: (title, age in days); our repost column carries the first one only.
SUPERIOR_ITEMS = [("国务院关于印发《某某行动方案》的通知", 3), ("国务院办公厅关于做好冬季供暖工作的意见", 3),
                  ("国务院关于今日发布事项的通知", 0)]


def page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{body}</body></html>").encode("utf-8")


def list_page(name: str, age: int | None) -> bytes:
    crumb = f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {name}</div>'
    if age is None:
        return page(name, crumb + '<ul class="list"><li>暂无信息</li></ul>')
    items = "".join(f'<li><a href="/art/{name}-{i}.html">{name}第{i}条信息</a>'
                    f"<span>{(TODAY - timedelta(days=age + 3 * i)).isoformat()}</span></li>" for i in range(5))
    return page(name, crumb + f'<ul class="list">{items}</ul>')


def dated_list(title: str, items: list[tuple[str, int]], prefix: str) -> bytes:
    rows = "".join(f'<li><a href="{prefix}{i}.html">{t}</a><span>{(TODAY - timedelta(days=age)).isoformat()}</span></li>'
                   for i, (t, age) in enumerate(items))
    return page(title, f'<ul class="list">{rows}</ul>')


def fixed_page(name: str, title: str) -> bytes:
    return page(title, f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {name}</div><h1>{title}</h1>'
                       "<p>本指南依据《中华人民共和国政府信息公开条例》编制。</p>")


def datastore_page() -> bytes:
    records = "".join(
        f"<record><![CDATA[<li><a href=\"/art/ds-{i}.html\">数据发布第{i}条</a>"
        f"<span>{(TODAY - timedelta(days=2 + i)).isoformat()}</span></li>]]></record>" for i in range(4))
    return page("统计数据", '<div class="crumb">当前位置：首页 &gt; 统计数据</div>'
                f'<div id="1234"><script type="text/xml"><datastore><recordset>{records}</recordset>'
                "</datastore></script></div>")


FOOTER = ('<div class="footer">主办单位：某某县人民政府办公室 联系电话：023-12345678 网站标识码：5001000001 '
          '渝ICP备12345678号 渝公网安备 50010002000001号 <a href="http://bszs.conac.cn/sitename?id=1">党政机关</a>'
          '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5001000001">我为政府网站找错</a></div>')


def homepage(columns: dict[str, tuple[str, int | None]], newest: int | None, footer: str = "") -> bytes:
    """A homepage with one dated news item, or (newest None) only a navigation entry."""
    links = "".join(f'<li><a href="{path}">{name}</a></li>' for path, (name, _) in columns.items())
    news = "" if newest is None else (
        f'<ul><li><a href="/art/home.html">要闻一则</a><span>{(TODAY - timedelta(days=newest)).isoformat()}</span></li></ul>')
    return page("首页", f"<ul class=\"nav\">{links}<li><a href=\"/sjfb/\">统计数据</a></li></ul>{news}{footer}")


def serve(routes: dict[str, bytes]) -> Loopback:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.startswith("/art/"):
                body = page("信息", f"<h1>信息</h1><p>发布时间：{(TODAY - timedelta(days=1)).isoformat()}"
                                    " 来源：县政府办公室</p><p>正文。</p>")
            else:
                body = routes.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

    return Loopback(Handler)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[dict]]]:
    superior = serve({"/zhengce/zuixin/": dated_list("最新政策", SUPERIOR_ITEMS, "/zhengce/content/")})
    reposts = [(f"【转载】{SUPERIOR_ITEMS[0][0]}", 2), ("本地信息一", 5), ("本地信息二", 6)]
    navigation = {**PORTAL_COLUMNS, "/zxzx/gwyxx/": ("国务院信息", 2), **{p: (n, None) for p, (n, _) in FIXED.items()}}
    portal = serve({"/": homepage(navigation, newest=3, footer=FOOTER),
                    **{p: fixed_page(*f) for p, f in FIXED.items()},
                    "/sjfb/": datastore_page(), "/zxzx/gwyxx/": dated_list("国务院信息", reposts, "/art/zz"),
                    **{p: list_page(*c) for p, c in PORTAL_COLUMNS.items()}})
    subsite = serve({"/": homepage(SUBSITE_COLUMNS, newest=20),
                     **{p: list_page(*c) for p, c in SUBSITE_COLUMNS.items()}})
    entry = serve({"/": homepage(ENTRY_COLUMNS, newest=None), **{p: list_page(*c) for p, c in ENTRY_COLUMNS.items()}})
    work = tmp_path_factory.mktemp("columns")
    config = work / "c.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{work / "gw.db"}"\n[report]\ndir = "{work}"\n'
        f'[crawl]\ntimeout = 5\nretries = 0\n'
        f'[[sites]]\nname = "某某县人民政府"\nurl = "{portal.url}"\n'
        f'unit = "县政府办公室"\n'
        f'[[sites]]\nname = "某某县教育局"\nurl = "{subsite.url}"\n'
        f'unit = "县教育局"\nparent = "某某县人民政府"\n'
        f'[[sites]]\nname = "某某县青山镇人民政府"\nurl = "{entry.url}"\n'
        f'parent = "某某县人民政府"\n'
        f'[[superior]]\nname = "中国政府网 最新政策"\n'
        f'url = "{superior.url}zhengce/zuixin/"\n'
        f'repost_column = "{portal.url}zxzx/gwyxx/"\n', encoding="utf-8")
    out = work / "f.json"
    run = subprocess.run([sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--json", str(out)],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONIOENCODING": "utf-8", "GOVWATCH_TODAY": TODAY.isoformat()})
    for site in (portal, subsite, entry, superior):
        site.close()
    assert run.returncode == 0, run.stdout + run.stderr
    yield config, json.loads(out.read_text(encoding="utf-8"))["findings"]


@pytest.fixture(scope="module")
def findings(scanned: tuple[Path, list[dict]]) -> list[dict]:
    return scanned[1]


def column_findings(findings: list[dict], kind: str) -> set[tuple[str, str]]:
    return {(f["site"], f["column"]) for f in findings if f["kind"] == kind}


def test_stale_columns_are_exactly_those_past_their_rule(findings: list[dict]) -> None:
    assert column_findings(findings, "stale_column") == {
        ("某某县人民政府", "部门动态"),  # news, 15 days > 14
        ("某某县人民政府", "公示公告"),  # first-level notice, 190 days > 180
        ("某某县人民政府", "一周要情周报"),  # weekly, 12 days > 7 + 3
        ("某某县人民政府", "政府信息公开指南"),  # fixed content of last year's 年版
    }
    stale = next(f for f in findings if f["kind"] == "stale_column" and f["column"] == "公示公告")
    assert stale["details"]["limit_days"] == 180 and stale["details"]["level"] == 1
    assert stale["details"]["age_days"] == 190 and "180 天" in stale["evidence"]


def test_blank_columns_are_placeholders_not_script_lists(findings: list[dict]) -> None:
    assert column_findings(findings, "blank_column") == {("某某县人民政府", "民意征集")}
    [blank] = [f for f in findings if f["kind"] == "blank_column"]
    assert blank["evidence"] == "暂无信息"


def test_a_stale_subsite_homepage_is_a_veto_finding(findings: list[dict]) -> None:
    """The navigation-entry homepage is judged by its second-level pages (5 days): fresh."""
    [stale] = [f for f in findings if f["kind"] == "stale_homepage"]
    assert stale["site"] == "某某县教育局" and stale["severity"] == "veto" and "20 天" in stale["context"]


def test_an_overdue_superior_document_missing_from_the_repost_column(findings: list[dict]) -> None:
    [overdue] = [f for f in findings if f["kind"] == "repost_overdue"]
    assert overdue["url"].endswith("/zxzx/gwyxx/") and overdue["evidence"].endswith("/zhengce/content/1.html")
    assert overdue["site"] == "某某县人民政府" and overdue["unit"] == "县政府办公室"
    assert "冬季供暖" in overdue["context"] and overdue["details"]["within_hours"] == 24


def test_assess_gives_each_site_its_verdict_with_the_evidence(scanned: tuple[Path, list[dict]]) -> None:
    config, _ = scanned
    run = subprocess.run([sys.executable, "-m", "govwatch", "assess", "--config", str(config), "--json"],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONIOENCODING": "utf-8", "GOVWATCH_TODAY": TODAY.isoformat()})
    assert run.returncode == 0, run.stderr
    sites = {s["site"]: s for s in json.loads(run.stdout)["sites"]}
    for site in sites.values():
        assert {"site", "url", "verdict", "score", "vetoes", "deductions"} <= set(site)
    portal, bureau = sites["某某县人民政府"], sites["某某县教育局"]
    assert portal["verdict"] == "合格" and portal["vetoes"] == []  # 3 stale columns: below every veto line
    deducted = {d["item"]: d for d in portal["deductions"]}
    assert deducted["动态要闻 2 周内未更新"]["points"] == 5 and "网站标识" not in deducted
    assert "“我为政府网站找错”入口" not in deducted
    assert bureau["verdict"] == "不合格" and [v["item"] for v in bureau["vetoes"]] == ["首页不更新"]
    assert {"网站标识", "“我为政府网站找错”入口"} <= {d["item"] for d in bureau["deductions"]}
    [report] = config.parent.glob("scan-*.html")
    html = report.read_text(encoding="utf-8")
    assert "自评估" in html and "不合格" in html and "首页不更新" in html
