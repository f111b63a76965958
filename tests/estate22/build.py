"""The issue-22 fixture estate: a county site whose lists, columns, mailbox and interpretations hold the
cases of issue 22 and their decoys, written into a folder the EstateServer serves on loopback.

Generated rather than committed page by page: 40 letters and their list are one loop. `CASES` is
the truth the integration test scores against: every finding a correct scan reports of the scored
kinds, and `DECOYS`, pages where none of those kinds may be reported.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

TODAY = "2026-11-23"
SITE = "county"
SITE_NAME = "某某县人民政府"
SCORED = ("blank_column", "stale_column", "missing_source", "unauthorized_source", "expired_document",
          "repost_overdue", "unanswered_message", "late_reply", "interpretation_unlinked")

# (kind, path, evidence or None for any)
CASES = [
    ("missing_source", "/xwzx/gzdt/202611/t20261102_3.html", "乡镇开展秋冬季森林防火演练"),  # on pager page 3 only
    ("stale_column", "/zwgk/tzgg/", None),
    ("blank_column", "/zwgk/zdxm/", None),  # an empty <ul class="list">
    ("blank_column", "/col/col77/", None),  # an empty recordset whose data proxy fails
    ("unanswered_message", "/hdjl/xzxx/detail.html?id=1", "关于小区长期停水问题的咨询"),
    ("unanswered_message", "/hdjl/xzxx/detail.html?id=40", "关于农村公路破损的反映"),  # past the variant cap
    ("late_reply", "/hdjl/xzxx/detail.html?id=3", "关于学校周边交通拥堵的建议"),
    ("late_reply", "/hdjl/xzxx/detail.html?id=6", "关于路灯损坏的投诉"),  # still open, 6 working days
    ("interpretation_unlinked", "/zcjd/202611/t20261105_11.html", "某某县促进民营经济发展的若干措施"),
    ("interpretation_unlinked", "/zcjd/202611/t20261106_12.html", "某某县农村人居环境整治提升行动方案"),
]
# Pages where no scored kind may be reported (the traps of issue 22).
DECOYS = [
    "/xwzx/gzdt/column-index-1.shtml",  # a numbered first page: fresh, not its last page's dates
    "/ghxx/gzjz/",  # 工作进展情况 under 规划信息: planning, not news
    "/jzth/",  # 进展通报 in the site map's 规划信息 section
    "/hdjl/xzxx/",  # the mailbox list: fresh for 60 days
    "/hdjl/xzxx/detail.html?id=2",  # answered in 5 working days across 国庆
    "/hdjl/xzxx/detail.html?id=4",  # 不予受理, answered
    "/hdjl/xzxx/detail.html?id=5",  # asked yesterday
    "/zcjd/202611/t20261107_13.html",  # linked both ways
    "/zcjd/202611/t20261108_14.html",  # named, and the document links back
    "/zcwj/202611/t20261101_21.html", "/zcwj/202611/t20261101_23.html",
    "/xwzx/gzdt/202611/t20261120_1.html",  # a source only the meta states, the publisher in the text
    "/ghxx/",
]

HEAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="某某县人民政府">
<title>{title}</title></head><body><div class="top"><a href="/">首页</a> <a href="/wzdt/">网站地图</a></div>
"""
FOOT = "<div class='foot'>主办：某某县人民政府办公室</div></body></html>\n"


def _page(title: str, body: str) -> str:
    return HEAD.format(title=title) + body + FOOT


def _crumb(*names: str) -> str:
    return "<div class='crumb'>当前位置：首页 &gt; " + " &gt; ".join(names) + "</div>"


def _items(items: list[tuple[str, str, str]]) -> str:
    return "<ul class='list'>" + "".join(f"<li><a href='{href}'>{title}</a><span>{day}</span></li>"
                                         for href, title, day in items) + "</ul>"


def _article(title: str, day: str, crumbs: tuple[str, ...], body: str, source: str = "县政府办公室",
             extra: str = "") -> str:
    header = f"发布时间：{day}" + (f" 来源：{source}" if source else "")
    return _page(f"{title}_{SITE_NAME}", _crumb(*crumbs) + f"<h1>{title}</h1><p class='info'>{header}</p>"
                 f"<div class='content'><p>{body}</p>{extra}</div>")


PROSE = "为进一步做好相关工作，县政府有关部门认真研究，结合本县实际，提出如下意见，请各单位认真贯彻落实。"


def write(root: Path) -> None:
    site = root / SITE
    files: dict[str, str] = {}
    files["index.html"] = _page(SITE_NAME, "<h2>要闻</h2>" + _items([
        ("/xwzx/gzdt/column-index-1.shtml", "工作动态", "2026-11-20"), ("/ghxx/", "规划信息", "2026-11-18"),
        ("/zwgk/tzgg/", "通知公告", "2026-11-19"), ("/zwgk/zdxm/", "重点项目", "2026-11-19"),
        ("/col/col77/index.html", "部门文件", "2026-11-19"), ("/hdjl/xzxx/", "县长信箱", "2026-11-21"),
        ("/zcjd/", "政策解读", "2026-11-08"), ("/zcwj/", "政策文件", "2026-11-01")]))
    files["wzdt/index.html"] = _page(f"网站地图_{SITE_NAME}", _crumb("网站地图") + """
<div class="map"><div class="box"><h3>新闻中心</h3><ul><li><a href="/xwzx/gzdt/column-index-1.shtml">工作动态</a></li></ul></div>
<div class="box"><h3>规划信息</h3><ul><li><a href="/ghxx/gzjz/">工作进展情况</a></li><li><a href="/jzth/">进展通报</a></li></ul></div>
<div class="box"><h3>政民互动</h3><ul><li><a href="/hdjl/xzxx/">县长信箱</a></li></ul></div></div>""")
    # 1. A script pager whose first page is numbered; a problem only its third page leads to.
    pager = """<div class="page"><script>var totalPage = 3; var currentPage = {n};
for (var i = 1; i <= totalPage; i++) {{ if (i == currentPage) {{ document.write('<span>' + i + '</span>'); }}
else {{ document.write('<a href="column-index-' + i + '.shtml">' + i + '</a>'); }} }}</script></div>"""
    news = {1: [("202611/t20261120_1.html", "县政府召开第12次常务会议", "2026-11-20"),
                ("202611/t20261118_2.html", "县领导调研秋粮收购工作", "2026-11-18"),
                ("202611/t20261115_4.html", "全县安全生产工作会议召开", "2026-11-15")],
            2: [(f"202610/t202610{d:02d}_{d}.html", f"十月第{d}日工作动态", f"2026-10-{d:02d}") for d in (20, 10, 5)],
            3: [("202611/t20261102_3.html", "乡镇开展秋冬季森林防火演练", "2023-06-02"),
                ("202306/t20230601_7.html", "三年前的动态", "2023-06-01")]}
    for n, items in news.items():
        files[f"xwzx/gzdt/column-index-{n}.shtml"] = _page(
            f"工作动态_{SITE_NAME}", _crumb("新闻中心", "工作动态") + _items(items) + pager.format(n=n))
    files["xwzx/gzdt/202611/t20261120_1.html"] = _article(
        "县政府召开第12次常务会议", "2026-11-20", ("新闻中心", "工作动态"), PROSE + "发布机构：某某县人民政府办公室",
        source="").replace('<meta name="SiteName"', '<meta name="ContentSource" content="某某发布微信公众号"><meta name="SiteName"')
    for href, title, day in news[1][1:] + news[2]:
        files[f"xwzx/gzdt/{href}"] = _article(title, day, ("新闻中心", "工作动态"), PROSE)
    files["xwzx/gzdt/202611/t20261102_3.html"] = _article("乡镇开展秋冬季森林防火演练", "2026-11-02",
                                                         ("新闻中心", "工作动态"), PROSE, source="")
    files["xwzx/gzdt/202306/t20230601_7.html"] = _article("三年前的动态", "2023-06-01", ("新闻中心", "工作动态"), PROSE)
    # 2. Planning information by the breadcrumb, and by the site map.
    files["ghxx/index.html"] = _page(f"规划信息_{SITE_NAME}", _crumb("规划信息") + _items([
        ("/ghxx/gzjz/", "工作进展情况", "2026-10-01"), ("/ghxx/2026/a.html", "十四五规划中期评估", "2026-10-01"),
        ("/ghxx/2026/b.html", "年度计划", "2026-03-01"), ("/ghxx/2026/c.html", "专项规划", "2026-02-01")]))
    files["ghxx/gzjz/index.html"] = _page(f"工作进展情况_{SITE_NAME}", _crumb("规划信息", "工作进展情况") + _items([
        ("/ghxx/gzjz/a.html", "重点项目推进情况（二季度）", "2026-06-01"),
        ("/ghxx/gzjz/b.html", "重点项目推进情况（一季度）", "2026-03-01"),
        ("/ghxx/gzjz/c.html", "重点项目推进情况（四季度）", "2025-12-20")]))
    files["jzth/index.html"] = _page(f"进展通报_{SITE_NAME}", _items([
        ("/jzth/a.html", "规划实施进展通报（第三期）", "2026-05-01"),
        ("/jzth/b.html", "规划实施进展通报（第二期）", "2026-02-01"),
        ("/jzth/c.html", "规划实施进展通报（第一期）", "2025-11-30")]))
    # 3. A stale notice column, 4. an empty list, 5. an empty recordset whose proxy answers 404.
    files["zwgk/tzgg/index.html"] = _page(f"通知公告_{SITE_NAME}", _crumb("政务公开", "通知公告") + _items([
        ("/zwgk/tzgg/a.html", "关于做好元旦期间安全工作的通知", "2026-01-05"),
        ("/zwgk/tzgg/b.html", "关于冬季供暖的通知", "2025-11-20"), ("/zwgk/tzgg/c.html", "关于征兵的通告", "2025-10-20")]))
    files["zwgk/zdxm/index.html"] = _page(f"重点项目_{SITE_NAME}", _crumb("政务公开", "重点项目") + '<ul class="list"></ul>')
    files["col/col77/index.html"] = _page(f"部门文件_{SITE_NAME}", _crumb("政务公开", "部门文件") + """<div id="5501">
<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=77&unitid=5501&webname=x&permissiontype=0"></a>]]></nextgroup>
<recordset></recordset></datastore></script></div>""")
    # 6. The mailbox: a letter table, 40 letters as detail.html?id=N, their pages with reply blocks.
    letters = _letters()
    rows = "".join(f"<tr><td>{n}</td><td><a href='detail.html?id={n}'>{t}</a></td><td>{a}</td><td>{s}</td><td>{r or ''}</td></tr>"
                   for n, (t, a, s, r) in letters.items())
    files["hdjl/xzxx/index.html"] = _page(f"县长信箱_{SITE_NAME}", _crumb("政民互动", "县长信箱") +
                                          "<table class='xx'><tr><th>序号</th><th>信件标题</th><th>来信时间</th><th>办理状态</th>"
                                          f"<th>回复时间</th></tr>{rows}</table>")
    for n, (title, asked, status, replied) in letters.items():
        reply = (f"<div class='hf'>回复部门：县住房和城乡建设局 回复时间：{replied}</div>"
                 f"<div>回复内容：您好，来信收悉。经核实，相关情况已处理，感谢您对我县工作的关心和支持。</div>"
                 if replied else "")
        files[f"hdjl/xzxx/detail_{n}.html"] = _page(f"{title}_{SITE_NAME}", _crumb("政民互动", "县长信箱") +
            f"<h1>{title}</h1><p>发布时间：{replied or asked}</p><div class='q'>来信人：王** 来信时间：{asked} "
            f"办理状态：{status}</div><div>来信内容：{PROSE}</div>{reply}")
    # 7. Interpretations and their documents.
    docs = {21: "某某县人民政府关于印发《某某县促进民营经济发展的若干措施》的通知",
            22: "某某县农村人居环境整治提升行动方案", 23: "某某县优化营商环境若干规定", 24: "某某县就业创业扶持办法"}
    jds = {11: (21, True, False), 12: (22, False, False), 13: (23, True, True), 14: (24, False, True)}  # links, back
    for d, title in docs.items():
        back = next((j for j, (doc, _, b) in jds.items() if doc == d and b), None)
        extra = f"<p>相关解读：<a href='/zcjd/202611/t2026110{back - 6}_{back}.html'>政策解读</a></p>" if back else ""
        files[f"zcwj/202611/t20261101_{d}.html"] = _article(title, "2026-11-01", ("政务公开", "政策文件"), PROSE, extra=extra)
    files["zcwj/index.html"] = _page(f"政策文件_{SITE_NAME}", _crumb("政务公开", "政策文件") + _items(
        [(f"/zcwj/202611/t20261101_{d}.html", title, "2026-11-01") for d, title in docs.items()]))
    jd_items = []
    for j, (d, links, _) in jds.items():
        name = docs[d].split("《")[-1].split("》")[0] if "《" in docs[d] else docs[d]
        title = f"《{name}》政策解读"
        day = f"2026-11-0{j - 6}"
        extra = f"<p>原文链接：<a href='/zcwj/202611/t20261101_{d}.html'>{name}</a></p>" if links else ""
        files[f"zcjd/202611/t2026110{j - 6}_{j}.html"] = _article(title, day, ("政务公开", "政策解读"),
                                                                 PROSE + f"现就《{name}》解读如下。", extra=extra)
        jd_items.append((f"/zcjd/202611/t2026110{j - 6}_{j}.html", title, day))
    files["zcjd/index.html"] = _page(f"政策解读_{SITE_NAME}", _crumb("政务公开", "政策解读") + _items(jd_items))
    for path, html in files.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    routes = ['["/module/web/jpage/dataproxy.jsp"]\nstatus = 404\n']
    routes += [f'["/hdjl/xzxx/detail.html?id={n}"]\nfile = "/hdjl/xzxx/detail_{n}.html"\n' for n in letters]
    (site / "_routes.toml").write_text("\n".join(routes), encoding="utf-8")


def _letters() -> dict[int, tuple[str, str, str, str | None]]:
    """id → (title, asked, status, replied)."""
    letters: dict[int, tuple[str, str, str, str | None]] = {
        1: ("关于小区长期停水问题的咨询", "2026-06-01", "未回复", None),
        2: ("关于国庆期间公交调整的咨询", "2026-09-29", "已办结", "2026-10-12"),
        3: ("关于学校周边交通拥堵的建议", "2026-10-09", "已办结", "2026-10-20"),
        4: ("关于邻里纠纷的求助", "2026-11-02", "不予受理", "2026-11-04"),
        5: ("关于社保卡办理的咨询", "2026-11-22", "办理中", None),
        6: ("关于路灯损坏的投诉", "2026-11-13", "办理中", None),
    }
    start = date(2026, 8, 3)
    for n in range(7, 40):
        asked = start + timedelta(days=2 * n)
        if asked.weekday() >= 4:
            asked -= timedelta(days=asked.weekday() - 3)  # asked Monday to Thursday: replied the next day
        letters[n] = (f"关于第{n}号民生事项的咨询", asked.isoformat(), "已回复", (asked + timedelta(days=1)).isoformat())
    letters[40] = ("关于农村公路破损的反映", "2026-07-15", "处理中", None)
    return letters
