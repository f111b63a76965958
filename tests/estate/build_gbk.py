"""Writes tests/estate/gbk/: a Hanweb/大汉 JCMS department subsite stored as GBK bytes.

Run once after editing (`.venv/bin/python tests/estate/build_gbk.py`); its output is committed.
Editing GBK files by hand is error-prone, so the text lives here as str and is encoded strictly:
a character outside GBK fails the build instead of turning into "?".

The pages declare charset=gb2312 but contain GBK-only characters (镕, 喆), as real sites do;
a strict GB2312 decoder garbles them. The dataproxy.jsp reply is UTF-8 XML, as Hanweb's jpage
replies are. Column 103's page holds only its first records; the rest come from an exact-query
dataproxy.jsp reply (a `file` route), so two of its articles are reachable only through the proxy.
One article declares utf-8 in its <meta> while its bytes are GBK and the server's
Content-Type header says gbk (a route): the header must win.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "gbk"

SITE = "某某县教育局"
WEBNAME = "%C4%B3%C4%B3%CF%D8%BD%CC%D3%FD%BE%D6"  # 某某县教育局, GBK percent-encoded
GB2312_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'

COLUMNS = {"101": "通知公告", "102": "教育动态", "103": "人事信息"}

# Columns whose static page holds only the first N records; the rest need the jpage proxy.
PROXY_COLUMNS = {"103": 3}
PROXY_PERPAGE = 15

# (column, artid, date, time, title, body paragraphs as HTML)
ARTICLES = [
    ("101", "5001", "2026-11-20", "10:12", "关于做好2026年下半年中小学教师资格认定工作的通知", [
        "各中小学校、幼儿园，各有关单位：",
        "根据省、市教育行政部门统一安排，我县2026年下半年中小学教师资格认定工作即将开始，现将有关事项通知如下：",
        "一、认定对象为具有本县户籍或在本县就读、工作，且已取得教师资格考试合格证明的人员。",
        "二、申请人须在规定时间内完成网上申报，并按要求提交体检合格证明等材料。",
        "联系人：王喆，联系电话：0831-7654321。",
    ]),
    ("101", "5002", "2026-11-18", "15:30", "关于公布2026年度县级优秀班主任评选结果的通知", [
        "各中小学校：",
        "经学校推荐、县教育局审核，评选出2026年度县级优秀班主任30名，现予以公布（名单见附件）。",
        '附件：<a href="/module/download/downfile.jsp?classid=0&amp;filename=2f6c0b1a9d8e4f3a8b7c6d5e4f3a2b1c.pdf">'
        "2026年度县级优秀班主任名单.pdf</a>",
    ]),
    ("101", "5003", "2026-11-16", "09:00", "关于开展中小学校园安全隐患排查整治的通知", [
        "各中小学校、幼儿园：",
        "为切实保障师生生命财产安全，县教育局决定在全县开展校园安全隐患排查整治工作。",
        "各校要认真布署，对校舍、消防、食堂、校车等重点部位开展全面排查，建立问题清单，限期整改到位。",
    ]),
    ("101", "5004", "2026-11-12", "11:00", "关于2026年秋季学期学生资助资金发放情况的公示", [
        "根据学生资助有关政策，2026年秋季学期共资助家庭经济困难学生1268名，发放资助资金186.3万元。",
        "受助学生名单已在各校校内公示，公示期间未收到异议。",
    ]),
    ("101", "5005", "2026-11-06", "16:00", "关于做好2026年冬季学校安全工作的通知", [
        "各中小学校、幼儿园：",
        "入冬以来，雨雪冰冻天气增多，各校要加强冬季用电、用火、取暖安全管理，严防一氧化碳中毒等事故发生。",
        '相关政策文件请查阅<a href="/col/col199/index.html">教育政策法规</a>专栏。',
    ]),
    ("101", "5006", "2026-10-30", "10:00", "关于印发《某某县教育系统2026年工作要点》的通知", [
        "各中小学校、幼儿园，局机关各股室：",
        "现将《某某县教育系统2026年工作要点》印发给你们，请结合实际认真贯彻落实。",
    ]),
    ("102", "5101", "2026-11-19", "17:20", "某某中学举行建校九十周年校庆活动", [
        "11月19日，某某中学举行建校九十周年校庆活动，历届校友代表、师生代表共800余人参加。",
        "学校新建的校史馆同日开馆，馆内陈列有《朱镕基讲话实录》等图书资料，以及学校九十年来的珍贵照片。",
    ]),
    ("102", "5102", "2026-11-15", "14:45", "县教育局开展“双减”工作专项督导", [
        "11月中旬，县教育局组成督导组，对全县义务教育学校“双减”工作落实情况开展专项督导。",
        "督导组由王喆同志带队，通过查阅资料、随堂听课、问卷调查等方式了解作业管理和课后服务开展情况。",
    ]),
    ("102", "5103", "2026-11-10", "08:50", "县实验小学王喆老师获评市级骨干教师", [
        "近日，市教育局公布2026年度市级骨干教师名单，县实验小学王喆老师榜上有名。",
        "王喆老师从教二十年，长期担任班主任工作，所带班级多次被评为市级优秀班集体。",
    ]),
    ("103", "5201", "2026-11-21", "09:30", "某某县教育局2026年公开考调教师公告", [
        "为优化教师队伍结构，经县人力资源和社会保障局同意，县教育局决定面向全县公开考调教师20名。",
        "报名时间为2026年11月25日至11月30日，报名地点为县教育局人事股。",
        "咨询电话：0831-7654322。",
    ]),
    ("103", "5202", "2026-11-17", "16:10", "关于2026年新招聘教师岗前培训的通知", [
        "各中小学校：",
        "县教育局定于12月上旬组织2026年新招聘教师岗前培训，培训内容包括师德师风、课堂教学和班级管理等。",
        "请各校通知本校新招聘教师按时参加。",
    ]),
    ("103", "5203", "2026-11-11", "10:40", "2026年县直学校中层干部竞聘上岗工作方案", [
        "为进一步激发学校管理活力，县教育局制定了县直学校中层干部竞聘上岗工作方案。",
        "竞聘工作按照公开报名、资格审查、竞聘演讲、民主测评、研究决定的程序进行。",
    ]),
    ("103", "5204", "2026-10-28", "15:00", "关于开展2026年度中小学教师职称评审工作的通知", [
        "各中小学校、幼儿园：",
        "根据省、市有关文件精神，现就做好2026年度中小学教师职称评审工作有关事项通知如下。",
        "各校要严格按照评审条件组织推荐，推荐材料于11月20日前报县教育局人事股。",
    ]),
    ("103", "5205", "2026-10-20", "11:20", "县教育局举办2026年校长任职资格培训班", [
        "10月中旬，县教育局举办2026年校长任职资格培训班，全县新任校长、副校长共45人参加培训。",
        "培训采取专题讲座、跟岗学习和交流研讨相结合的方式，帮助学员提升学校管理能力。",
    ]),
]

# The article whose <meta> wrongly says utf-8; the server's header says gbk (see _routes.toml).
HEADER_CHARSET_ARTICLE = "5103"


def art_path(date: str, column: str, artid: str) -> str:
    year, month, day = (int(part) for part in date.split("-"))
    return f"/art/{year}/{month}/{day}/art_{column}_{artid}.html"


def head(title: str, meta: str, charset_meta: str = GB2312_META) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html>
<head>
{charset_meta}
<title>{title}</title>
<meta name="SiteName" content="{SITE}">
<meta name="SiteDomain" content="jyj.mmx.gov.cn">
<meta name="SiteIDCode" content="5115230012">
{meta}
<link rel="stylesheet" type="text/css" href="/images/jyj.css">
</head>
<body>
<div class="top"><a href="/"><img src="/images/jyj_logo.gif" alt="{SITE}"></a></div>
<div class="menu">
  <a href="/">首页</a>
  <a href="/col/col101/index.html">通知公告</a>
  <a href="/col/col102/index.html">教育动态</a>
  <a href="/col/col103/index.html">人事信息</a>
  <a href="/col/col109/index.html">网站地图</a>
  <a href="{{{{site:portal}}}}/">某某县人民政府</a>
</div>
"""


FOOT = """<div class="foot">
  <p>主办：某某县教育局　地址：某某县城东路18号　电话：0831-7654321</p>
  <p>网站标识码：5115230012　蜀ICP备12345678号-3</p>
  <p>Produced By 大汉网络 大汉版通发布系统</p>
</div>
</body>
</html>
"""


def column_meta(name: str) -> str:
    return f"""<meta name="ColumnName" content="{name}">
<meta name="ColumnDescription" content="{SITE}{name}">
<meta name="ColumnKeywords" content="{name}">
<meta name="ColumnType" content="{name}">"""


def record(date: str, column: str, artid: str, title: str) -> str:
    return (f"<record><![CDATA[<li><a href='{art_path(date, column, artid)}' title='{title}' "
            f"target='_blank'>{title}</a><span>{date}</span></li>]]></record>")


def unitid(column: str) -> int:
    return 4980 + int(column) - 100


def nextgroup_href(column: str) -> str:
    """The jpage proxy URL as the page writes it (inside CDATA: plain `&`, never `&amp;`)."""
    return (f"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid={column}"
            f"&unitid={unitid(column)}&webname={WEBNAME}&permissiontype=0")


def proxy_request(column: str) -> str:
    """The path+query a crawler requests for the records the static page of `column` leaves out."""
    total = len([a for a in ARTICLES if a[0] == column])
    return (f"{nextgroup_href(column)}&startrecord={PROXY_COLUMNS[column] + 1}&endrecord={total}"
            f"&perpage={PROXY_PERPAGE}")


def proxy_file(column: str) -> str:
    total = len([a for a in ARTICLES if a[0] == column])
    return f"/module/web/jpage/col{column}_{PROXY_COLUMNS[column] + 1}_{total}.xml"


def column_page(column: str) -> str:
    name = COLUMNS[column]
    items = [a for a in ARTICLES if a[0] == column]
    unitid_ = unitid(column)
    in_page = items[:PROXY_COLUMNS.get(column, len(items))]
    records = "\n".join(record(date, col, artid, title) for col, artid, date, _, title, _ in in_page)
    return head(f"{name} {SITE}", column_meta(name)) + f"""<div class="position">您当前的位置：<a href="/">首页</a> &gt; <a href="/col/col{column}/index.html">{name}</a></div>
<div class="list">
<h2>{name}</h2>
<div id="{unitid_}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{nextgroup_href(column)}"></a>]]></nextgroup>
<recordset>
{records}
</recordset>
<totalrecord>{len(items)}</totalrecord>
</datastore></script></div>
<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>
<script type="text/javascript">
$('#{unitid_}').jpage({{ dataStore: '#{unitid_} script', perPage: 15, totalRecord: {len(items)}, proxyUrl: '/module/web/jpage/dataproxy.jsp' }});
</script>
</div>
""" + FOOT


def article_page(column: str, artid: str, date: str, time: str, title: str, paragraphs: list[str]) -> str:
    name = COLUMNS[column]
    meta = column_meta(name) + f"""
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} {time}">
<meta name="ContentSource" content="{SITE}">
<meta name="Keywords" content="{name}">
<meta name="Description" content="{title}">"""
    charset_meta = '<meta charset="utf-8">' if artid == HEADER_CHARSET_ARTICLE else GB2312_META
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return head(title, meta, charset_meta) + f"""<div class="position">您当前的位置：<a href="/">首页</a> &gt; <a href="/col/col{column}/index.html">{name}</a></div>
<div class="article">
<h1>{title}</h1>
<div class="info">发布日期：{date}　<!--<$[信息来源]>begin-->信息来源：{SITE}<!--<$[信息来源]>end-->　浏览次数：<script src="/module/visitcount/articlehits.jsp?colid={column}&amp;artid={artid}" type="text/javascript"></script></div>
<meta name="ContentStart">
<div id="zoom">
{body}
</div>
<meta name="ContentEnd">
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
""" + FOOT


def homepage() -> str:
    def latest(column: str, count: int) -> str:
        items = [a for a in ARTICLES if a[0] == column][:count]
        return "\n".join(
            f'<li><a href="{art_path(date, col, artid)}" title="{title}" target="_blank">{title}</a><span>{date}</span></li>'
            for col, artid, date, _, title, _ in items)

    return head(SITE, column_meta("首页")) + f"""<div class="main">
<div class="box"><h2><a href="/col/col101/index.html">通知公告</a></h2>
<ul>
{latest("101", 3)}
</ul></div>
<div class="box"><h2><a href="/col/col102/index.html">教育动态</a></h2>
<ul>
{latest("102", 2)}
</ul></div>
</div>
""" + FOOT


def sitemap() -> str:
    return head(f"网站地图 {SITE}", column_meta("网站地图")) + """<div class="position">您当前的位置：<a href="/">首页</a> &gt; 网站地图</div>
<div class="sitemap">
<p><a href="/col/col101/index.html">通知公告</a></p>
<p><a href="/col/col102/index.html">教育动态</a></p>
<p><a href="/col/col103/index.html">人事信息</a></p>
</div>
""" + FOOT


def dataproxy() -> str:
    """What jpage's proxy returns: every record of column 101 (the static page already holds them all)."""
    items = [a for a in ARTICLES if a[0] == "101"]
    records = "\n".join(record(date, col, artid, title) for col, artid, date, _, title, _ in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>{len(items)}</totalrecord>
<totalpage>1</totalpage>
<recordset>
{records}
</recordset>
</datastore>
"""


def proxy_reply(column: str) -> str:
    """jpage's answer for records startrecord..endrecord of `column`: the ones its static page leaves out."""
    items = [a for a in ARTICLES if a[0] == column]
    records = "\n".join(record(date, col, artid, title)
                        for col, artid, date, _, title, _ in items[PROXY_COLUMNS[column]:])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>{len(items)}</totalrecord>
<totalpage>1</totalpage>
<recordset>
{records}
</recordset>
</datastore>
"""


def proxy_routes() -> str:
    return "".join(f"""
# jpage's proxy for column {column}: the records its static page leaves out (exact query).
["{proxy_request(column)}"]
file = "{proxy_file(column)}"
content_type = "text/xml;charset=UTF-8"
""" for column in PROXY_COLUMNS)


ROUTES = """# Scripted behaviours of the GBK subsite (see govwatch/demo/server.py).

# Hanweb attachment download: 302 to /attach/0/..., which is gone (a dead attachment link).
["/module/download/downfile.jsp?classid=0&filename=2f6c0b1a9d8e4f3a8b7c6d5e4f3a2b1c.pdf"]
redirect = "/attach/0/2f6c0b1a9d8e4f3a8b7c6d5e4f3a2b1c.pdf"

# jpage's list proxy answers XML.
["/module/web/jpage/dataproxy.jsp"]
content_type = "text/xml;charset=UTF-8"

# The page's <meta> says utf-8, its bytes are GBK: only this header tells the truth.
["/art/2026/11/10/art_102_5103.html"]
content_type = "text/html; charset=gbk"

# Hit counters are scripts that write a number.
["/module/visitcount/articlehits.jsp"]
content_type = "application/javascript"
"""

CSS = """body{margin:0;font:14px/1.8 SimSun,serif;color:#222}
.top{background:#1a5fa8;padding:8px 20px}.menu{background:#134a85;padding:6px 20px}.menu a{color:#fff;margin-right:20px}
.main,.list,.article,.sitemap,.position{width:960px;margin:8px auto}.foot{text-align:center;color:#666;border-top:2px solid #1a5fa8}
"""

# 1x1 GIF standing in for the logo.
GIF = bytes.fromhex("47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b")


def write(rel: str, text: str, encoding: str = "gbk") -> None:
    path = ROOT / rel.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))  # strict: a non-GBK character fails the build


def main() -> None:
    if ROOT.exists():
        shutil.rmtree(ROOT)
    write("/index.html", homepage())
    for column in COLUMNS:
        write(f"/col/col{column}/index.html", column_page(column))
    write("/col/col109/index.html", sitemap())
    for column, artid, date, time, title, paragraphs in ARTICLES:
        write(art_path(date, column, artid), article_page(column, artid, date, time, title, paragraphs))
    write("/module/web/jpage/dataproxy.jsp", dataproxy(), "utf-8")
    write("/module/web/jpage/jpage.js", "/* jpage: renders <datastore> records client-side */\n", "ascii")
    write("/module/visitcount/articlehits.jsp", "document.write('128');\n", "ascii")
    write("/images/jyj.css", CSS, "ascii")
    (ROOT / "images" / "jyj_logo.gif").write_bytes(GIF)
    for column in PROXY_COLUMNS:
        write(proxy_file(column), proxy_reply(column), "utf-8")
    write("/_routes.toml", ROUTES + proxy_routes(), "utf-8")


if __name__ == "__main__":
    main()
