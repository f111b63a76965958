"""extract_page on pages shaped like real TRS and Hanweb output."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import lxml.html
import pytest

from crawler.encoding import decode_html
from crawler.extract import extract_page, flat_text, read_page, title_heading_text, visible_text
from core.model import Link, ListItem, Page

TODAY = date(2026, 6, 5)

TRS_ARTICLE_URL = "http://rsj.example.gov.cn/xxgk/tzgg/202601/t20260122_951033.html"
TRS_ARTICLE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>
  关于开展2026年度检查工作的通知_通知公告_某市人力资源和社会保障局
</title>
<meta name="SiteName" content="某市人力资源和社会保障局">
<meta name="sitedomain" content="rsj.example.gov.cn">
<meta name="SiteIDCode" content="1304000009">
<meta name="ColumnName" content="通知公告">
<meta name="ColumnType" content="通知公告">
<meta name="ArticleTitle" content="关于开展2026年度检查工作的通知">
<meta name="PubDate" content="2026-01-22 11:40">
<meta name="ContentSource" content="市人社局">
<meta name="keywords" content="检查,通知">
<link rel="stylesheet" href="../../../css/style.css" />
<link rel="canonical" href="https://rsj.example.gov.cn/canonical.html" />
<link rel="shortcut icon" href="/favicon.ico" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
<style>.TRS_Editor p { font-size: 16px; } /* 2099-01-01 */</style>
</head><body>
<div class="location">当前位置：<a href="../../../" class="CurrChnlCls">首页</a>&nbsp;&gt;&gt;&nbsp;<a href="../../" class="CurrChnlCls">信息公开</a>&nbsp;&gt;&gt;&nbsp;<a href="../" class="CurrChnlCls">通知公告</a></div>
<!-- 发布时间：2099-12-31 stale template comment -->
<h1>关于开展2026年度检查工作的通知</h1>
<div class="info">发布时间：2026-01-22 11:40:11&nbsp;&nbsp;来源：市人力资源和社会保障局&nbsp;&nbsp;浏览次数：<script>document.write(268)</script></div>
<div class="TRS_Editor">
<p>各县（市、区）人社局：</p>
<p>　　现将有关事项通知如下。请于2026年2月1日前报送。</p>
<p>联系电话：0831-1234567</p>
<p>附件：<a href="./P020260122332312298605.pdf" title="附件1">附件1.pdf</a></p>
<p><img src="W020260122.png" /><a href="mailto:rsj@example.gov.cn">邮箱</a><a href="javascript:window.print()">打印</a><a href="#">顶部</a></p>
<noscript>请开启JavaScript</noscript>
</div>
<iframe src="//www.example.gov.cn/share.html"></iframe>
<ul class="related">
<li><a href="./t20260110_950001.html" title="上一篇通知全文">上一篇通知</a><span>2026-01-10</span></li>
</ul>
</body></html>"""


@pytest.fixture(scope="module")
def trs() -> tuple[Page, list[str]]:
    return extract_page(TRS_ARTICLE_URL, TRS_ARTICLE, site="某市人社局", unit="办公室", today=TODAY)


def test_identity_fields(trs: tuple[Page, list[str]]) -> None:
    page, _ = trs
    assert (page.url, page.site, page.unit, page.kind, page.is_homepage) == (
        TRS_ARTICLE_URL, "某市人社局", "办公室", "html", False,
    )
    assert page.html == TRS_ARTICLE
    assert page.title == "关于开展2026年度检查工作的通知_通知公告_某市人力资源和社会保障局"


def test_meta_names_are_canonical(trs: tuple[Page, list[str]]) -> None:
    meta = trs[0].meta
    assert meta["SiteDomain"] == "rsj.example.gov.cn"
    assert meta["SiteIDCode"] == "1304000009"
    assert meta["Keywords"] == "检查,通知"
    assert meta["PubDate"] == "2026-01-22 11:40"


def test_visible_text(trs: tuple[Page, list[str]]) -> None:
    text = trs[0].text
    lines = text.split("\n")
    assert "关于开展2026年度检查工作的通知" in lines
    assert "现将有关事项通知如下。请于2026年2月1日前报送。" in lines  # full-width indent folded
    assert "发布时间：2026-01-22 11:40:11 来源：市人力资源和社会保障局 浏览次数：" in lines
    for hidden in ("document.write", "font-size", "2099", "请开启JavaScript", "某市人力资源和社会保障局\n"):
        assert hidden not in text
    assert all(line == line.strip() and "  " not in line for line in lines)


def test_dates_published_source_breadcrumb(trs: tuple[Page, list[str]]) -> None:
    page, _ = trs
    assert page.dates == [date(2026, 1, 22), date(2026, 2, 1), date(2026, 1, 10)]
    assert page.published == date(2026, 1, 22)
    assert page.source == "市人力资源和社会保障局"  # what readers see beats the meta
    assert page.breadcrumb == ["首页", "信息公开", "通知公告"]
    assert page.column == "通知公告"


def test_links(trs: tuple[Page, list[str]]) -> None:
    base = "http://rsj.example.gov.cn/xxgk/tzgg/202601/"
    assert trs[0].links == [
        Link("http://rsj.example.gov.cn/css/style.css", "link"),
        Link("http://rsj.example.gov.cn/favicon.ico", "link"),
        Link("http://rsj.example.gov.cn/js/jquery.min.js", "script"),
        Link("http://rsj.example.gov.cn/", "a", "首页"),
        Link("http://rsj.example.gov.cn/xxgk/", "a", "信息公开"),
        Link("http://rsj.example.gov.cn/xxgk/tzgg/", "a", "通知公告"),
        Link(base + "P020260122332312298605.pdf", "a", "附件1.pdf"),
        Link(base + "W020260122.png", "img"),
        Link("http://www.example.gov.cn/share.html", "iframe"),
        Link(base + "t20260110_950001.html", "a", "上一篇通知"),
    ]


def test_related_list_items(trs: tuple[Page, list[str]]) -> None:
    page, follow = trs
    assert page.list_items == [
        ListItem("上一篇通知全文", "http://rsj.example.gov.cn/xxgk/tzgg/202601/t20260110_950001.html", date(2026, 1, 10))
    ]
    assert follow == []


TRS_LIST = """<html><head><title>通知公告</title><meta name="ColumnName" content="通知公告"></head><body>
<div class="crumb">您现在所在的位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; <a href="./">通知公告</a></div>
<table>
<tr><td><a href="./202601/t20260102_1.html">关于春节值班安排的通知</a></td><td>2026-01-02</td></tr>
<tr><td><a href="./202512/t20251230_2.html">关于年终考核的通知</a></td><td>2025-12-30</td></tr>
</table>
<div class="page"><script>var currentPage = 0;//所在页从0开始
var countPage = 3//共多少页
createPageHTML(countPage, currentPage, "index", "html");</script></div>
</body></html>"""


def test_trs_list_page() -> None:
    page, follow = extract_page("http://hd.example.gov.cn/xxgk/tzgg/", TRS_LIST, site="s", today=TODAY)
    assert page.breadcrumb == ["首页", "信息公开", "通知公告"]
    assert page.column == "通知公告"
    assert page.published is None
    assert [(i.title, i.date) for i in page.list_items] == [
        ("关于春节值班安排的通知", date(2026, 1, 2)),
        ("关于年终考核的通知", date(2025, 12, 30)),
    ]
    assert follow == ["http://hd.example.gov.cn/xxgk/tzgg/index_1.html", "http://hd.example.gov.cn/xxgk/tzgg/index_2.html"]


HANWEB_HOME = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>某县人民政府门户网站</title>
<meta name="SiteName" content="某县人民政府"><base href="http://www.example.gov.cn/"></head><body>
<div class="dqwz">您当前的位置：<span><a href="/">首页</a></span></div>
<div class="news"><h3>要闻动态</h3>
<div id="4363"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=2&path=/&columnid=60096&unitid=4363&webname=x&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href='/art/2026/6/1/art_60096_11778517.html' title='朱镕基同志纪念馆开馆'>朱镕基同志…</a><span>06-01</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/5/28/art_60096_11770000.html' title='县长张喆调研'>县长张喆调研</a><span>05-28</span></li>]]></record>
</recordset></datastore></script></div></div>
<ul><li><a href="col/col60100/index.html">通知公告</a><span>[06-03]</span></li></ul>
</body></html>"""


def test_hanweb_homepage_from_gb2312_bytes() -> None:
    text, encoding = decode_html(HANWEB_HOME.encode("gbk"), None)
    page, follow = extract_page(
        "http://www.example.gov.cn/index.html", text, site="s", today=TODAY, is_homepage=True
    )
    assert encoding == "gb18030" and page.is_homepage
    assert page.list_items == [
        ListItem("朱镕基同志纪念馆开馆", "http://www.example.gov.cn/art/2026/6/1/art_60096_11778517.html", date(2026, 6, 1)),
        ListItem("县长张喆调研", "http://www.example.gov.cn/art/2026/5/28/art_60096_11770000.html", date(2026, 5, 28)),
        ListItem("通知公告", "http://www.example.gov.cn/col/col60100/index.html", date(2026, 6, 3)),
    ]
    assert follow == [
        "http://www.example.gov.cn/art/2026/6/1/art_60096_11778517.html",
        "http://www.example.gov.cn/art/2026/5/28/art_60096_11770000.html",
    ]
    assert page.breadcrumb == ["首页"]
    assert page.column == "首页"
    assert "朱镕基" not in page.text  # datastore XML is script content, not visible text


HANWEB_ARTICLE = """<html><head><title>关于征求意见的公告</title><meta name="ColumnName" content="公示公告">
<meta name="ContentSource" content="县政府网"></head><body>
<div class="bt-position">您现在的位置：<a href="/">首页</a> &gt; <a href="/col/col1/index.html">政务公开</a> &gt; <a href="/col/col2/index.html">公示公告</a> &gt; 正文</div>
<table><tr><td>发布日期：2025-12-01</td><td>信息来源：<!--<$[信息来源]>begin-->县发展和改革局<!--<$[信息来源]>end--></td></tr></table>
<div id="zoom"><meta name="ContentStart"><p>为做好相关工作……</p><meta name="ContentEnd"></div></body></html>"""


def test_hanweb_article() -> None:
    page, _ = extract_page("http://www.example.gov.cn/art/2025/12/1/art_2_3.html", HANWEB_ARTICLE, site="s", today=TODAY)
    assert page.source == "县发展和改革局"
    assert page.published == date(2025, 12, 1)
    assert page.breadcrumb == ["首页", "政务公开", "公示公告", "正文"]
    assert page.column == "公示公告"  # 正文 is not a column
    assert "发布日期：2025-12-01 信息来源：县发展和改革局" in page.text.split("\n")


@pytest.mark.parametrize(
    ("header", "source"),
    [
        ("发布时间:2017-12-01 16:10 来源:南宁市外侨办 作者:秘书科", "南宁市外侨办"),
        ("来源: 广西壮族自治区人民政府门户网站 2021-09-24 16:37", "广西壮族自治区人民政府门户网站"),
        ("2022年12月27日 06:00 来源:国家卫生健康委 浏览量:次", "国家卫生健康委"),
        ("来源：中国政府网（转载网址: http://www.gov.cn/）", "中国政府网"),
        ("文章来源:中央政府网", "中央政府网"),
        ("<span>来源：新华社</span><span>作者：张三</span>", "新华社"),
        ("<span>来源：上海发布</span><span>发布时间：2025-01-01</span>", "上海发布"),
        ("<table><tr><td>信息来源</td><td>市政府办公室</td></tr></table>", "市政府办公室"),
        ("本站信息来源于各部门报送。来源：市统计局", "市统计局"),
    ],
)
def test_source_field_shapes(header: str, source: str) -> None:
    html = f"<html><body><h1>标题</h1><div>{header}</div><p>资金来源：财政拨款</p></body></html>"
    assert extract_page("http://a.gov.cn/1.html", html, site="s", today=TODAY)[0].source == source


def test_source_falls_back_to_meta_and_ignores_body_uses_of_the_word() -> None:
    html = '<html><head><meta name="ContentSource" content="本站"></head><body><p>资金来源：财政拨款</p></body></html>'
    assert extract_page("http://a.gov.cn/1.html", html, site="s", today=TODAY)[0].source == "本站"


@pytest.mark.parametrize(
    ("crumb", "expected"),
    [
        ("当前位置: 首页 > 政府网站集约化", ["首页", "政府网站集约化"]),
        ("当前位置: 网站首页 >> 政府信息公开 >> 中城街道 >> 法定主动公开内容", ["网站首页", "政府信息公开", "中城街道", "法定主动公开内容"]),
        ("您當前的位置:首頁 &gt; 政務公開 &gt; 通知公告", ["首頁", "政務公開", "通知公告"]),
        ("<span>所在位置：</span><a>首页</a>-&gt;<a>政府文件</a>-&gt;<a>近期信息公开</a>", ["首页", "政府文件", "近期信息公开"]),
        ("您的位置：首页 › 新闻中心 › 部门动态", ["首页", "新闻中心", "部门动态"]),
        ("<span>您的当前位置</span><span>首页 &gt;&gt; 政务公开 &gt;&gt; 政务要闻</span>", ["首页", "政务公开", "政务要闻"]),
        # no label: 万载 writes 网站首页>政务公开>万载要闻 alone
        ("<a href='/'>网站首页</a><span>></span><a href='/a.html'>政务公开</a><span>></span><a>万载要闻</a>",
         ["网站首页", "政务公开", "万载要闻"]),
    ],
)
def test_breadcrumb_shapes(crumb: str, expected: list[str]) -> None:
    html = f"<html><body><div class='crumb'>{crumb}</div><div><h1>标题</h1><p>{'正文' * 50}</p></div></body></html>"
    page = extract_page("http://a.gov.cn/1.html", html, site="s", today=TODAY)[0]
    assert page.breadcrumb == expected
    assert page.column == expected[-1]


def test_a_line_break_in_the_markup_is_no_line_of_text() -> None:
    # 生态环境部: the header's date and 来源 are two spans on two source lines of one <p>; a body line
    # dating an earlier event and ending in a 点击阅读 link must not be taken for the header.
    html = """<html><body><h2>一周要闻</h2><p class="ydLyZzBox">
      <span>2022-04-17</span>
      <span>来源：生态环境部</span>
    </p><div>督察组于2022年3月23日至25日陆续进驻。<a href="/a.shtml">更多内容，点击阅读</a></div></body></html>"""
    page = extract_page("http://www.mee.gov.cn/a/t.shtml", html, site="s", today=date(2022, 4, 17))[0]
    assert "2022-04-17 来源：生态环境部" in page.text.splitlines()
    assert page.published == date(2022, 4, 17)


def test_an_empty_source_field_is_no_source() -> None:
    # 万载县人民政府 (江西 集约化 platform), SimonXinw/job 统计局/2015/万载县2015年国民经济和社会发展统计公报.html:
    # 来源 left blank, the visit counter next to it.
    html = """<html><body><h1>万载县2015年国民经济和社会发展统计公报</h1><div class="info">
      <span class="ly skipAutoFix">来源：<b class="skipAutoFix"></b></span>
      <span class="llcs skipAutoFix">访问量：<b id="view" class="skipAutoFix">199</b></span>
      <span>发布日期：2017-05-15 10:49:00</span></div><p>全年全县生产总值增长。</p></body></html>"""
    page = extract_page("http://www.wanzai.gov.cn/wzxrmzf/tjgb/201705/9c.shtml", html, site="s", today=TODAY)[0]
    assert (page.source, page.published) == ("", date(2017, 5, 15))


def test_a_menu_starting_with_home_is_no_breadcrumb() -> None:
    html = "<html><body><div><a href='/'>首页</a> | <a href='/a/'>政务公开</a> | <a href='/b/'>互动</a></div></body></html>"
    assert extract_page("http://a.gov.cn/1.html", html, site="s", today=TODAY)[0].breadcrumb == []


def test_title_fallbacks() -> None:
    meta_only = '<html><head><title> </title><meta name="ArticleTitle" content="元标题"></head><body><h1>大标题</h1></body></html>'
    assert extract_page("http://a.gov.cn/", meta_only, site="s", today=TODAY)[0].title == "元标题"
    h1_only = "<html><body><h1> 大 标题 </h1></body></html>"
    assert extract_page("http://a.gov.cn/", h1_only, site="s", today=TODAY)[0].title == "大 标题"


def test_link_text_of_a_later_duplicate_fills_an_empty_one() -> None:
    html = '<a href="/x.html"><img src="/i.png"></a><a href="/x.html#part">全文</a><area href="/map.html"><embed src="/v.swf"><object data="/o.swf"></object><frame src="/f.html">'
    links = extract_page("http://a.gov.cn/", html, site="s", today=TODAY)[0].links
    assert [(link.url.removeprefix("http://a.gov.cn"), link.tag, link.text) for link in links] == [
        ("/x.html", "a", "全文"),
        ("/i.png", "img", ""),
        ("/map.html", "area", ""),
        ("/v.swf", "embed", ""),
        ("/o.swf", "object", ""),
        ("/f.html", "frame", ""),
    ]


@pytest.mark.parametrize("html", ["", "   \n", "<!-- only a comment -->", "</p>", '<?xml version="1.0" encoding="gbk"?>'])
def test_blank_documents_give_an_empty_page(html: str) -> None:
    page, follow = extract_page("http://a.gov.cn/", html, site="s", today=TODAY)
    assert (page.text, page.links, page.title, follow, page.html) == ("", [], "", [], html)


def test_broken_html_does_not_raise() -> None:
    html = "<html><body><div><p>未闭合<table><tr><td>发布日期：2025-01-02<li><a href='/a.html'>链接" + "<div>" * 3000
    page, _ = extract_page("http://a.gov.cn/", html, site="s", today=TODAY)
    assert page.published == date(2025, 1, 2)
    assert [link.url for link in page.links] == ["http://a.gov.cn/a.html"]


def test_page_round_trips_through_json(trs: tuple[Page, list[str]]) -> None:
    page = trs[0]
    assert Page.from_json(page.to_json()) == page


def test_trs_channel_links_without_a_label() -> None:
    html = """<html><body><div><a class="CurrChnlCls" href="/">首页</a>-&gt;<a class="CurrChnlCls" href="/zfwj/">政府文件</a>
    -&gt;<a class="CurrChnlCls" href="/zfwj/jqxx/">近期信息公开</a></div>
    <p>项目所在位置：某某路东侧 &gt; 西侧</p></body></html>"""
    page = extract_page("http://a.gov.cn/zfwj/jqxx/t1.html", html, site="s", today=TODAY)[0]
    assert page.breadcrumb == ["首页", "政府文件", "近期信息公开"]
    assert page.column == "近期信息公开"


def test_no_breadcrumb_falls_back_to_the_column_meta() -> None:
    html = '<html><head><meta name="ColumnName" content="部门动态"></head><body><p>正文</p></body></html>'
    page = extract_page("http://a.gov.cn/1.html", html, site="s", today=TODAY)[0]
    assert (page.breadcrumb, page.column) == ([], "部门动态")


def test_hanweb_source_marker_keeps_a_multi_word_source() -> None:
    html = (
        "<html><body><div>信息来源：<!--<$[信息来源]>begin-->县发展和改革局 县财政局<!--<$[信息来源]>end--></div>"
        "<p>正文</p></body></html>"
    )
    assert extract_page("http://a.gov.cn/1.html", html, site="s", today=TODAY)[0].source == "县发展和改革局 县财政局"


def _article(head: str, body: str) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">{head}
<meta name="SiteName" content="某某县人民政府"><meta name="ColumnName" content="通知公告"></head><body>
<div class="header"><h1 class="logo"><a href="/"><img src="/images/logo.png" alt="某某县人民政府"></a></h1></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; <a href="/xxgk/tzgg/">通知公告</a></div>
{body}
<div class="TRS_Editor"><p>　　为做好今冬明春清洁取暖工作，现将有关事项通知如下。</p></div>
<div class="footer">主办：某某县人民政府办公室</div></body></html>"""


ARTICLE_URL = "http://www.example.gov.cn/xxgk/tzgg/202611/t20261120_3001.html"


@pytest.mark.parametrize("meta", [
    '<meta name="PubDate" content="2026-11-22 03:10">',  # a CMS that writes its regeneration time here
    '<meta name="Maketime" content="2026-11-22 03:10:00">',
    '<meta name="HtmlGenerateTime" content="2026-11-22 03:10:00">',
    '<meta name="generated" content="2026-11-22">',
    '<meta name="lastmodified" content="2026-11-22">',
])
def test_the_header_date_beats_generation_time_metas(meta: str) -> None:
    html = _article(meta, '<div class="info">发布时间：2026-11-20 09:30 来源：县发展和改革局</div>')
    assert extract_page(ARTICLE_URL, html, site="某某县人民政府", today=date(2026, 11, 23))[0].published == date(2026, 11, 20)


def test_pubdate_fills_in_when_no_date_is_shown_and_regeneration_times_never_do() -> None:
    today = date(2026, 11, 23)
    undated = '<div class="info">来源：县发展和改革局</div>'
    with_pubdate = _article('<meta name="PubDate" content="2026-11-20 09:30"><meta name="Maketime" content="2026-11-22">', undated)
    assert extract_page(ARTICLE_URL, with_pubdate, site="s", today=today)[0].published == date(2026, 11, 20)
    regenerated = _article('<meta name="Maketime" content="2026-11-22"><meta name="generated" content="2026-11-22">', undated)
    assert extract_page(ARTICLE_URL, regenerated, site="s", today=today)[0].published is None


@pytest.mark.parametrize("title", ["某某县人民政府", "某某县人民政府门户网站", "通知公告_某某县人民政府",
                                   "某某县人民政府-信息公开-通知公告", "首页", "详细信息", "内容页", "  "])
def test_a_generic_title_gives_way_to_the_article_title(title: str) -> None:
    html = _article(f"<title>{title}</title>", '<h1>关于做好2026年冬季清洁取暖工作的通知</h1><div class="info">发布时间：2026-11-20</div>')
    page = extract_page(ARTICLE_URL, html, site="某某县人民政府", today=date(2026, 11, 23))[0]
    assert page.title == "关于做好2026年冬季清洁取暖工作的通知"


def test_article_title_meta_comes_before_the_heading() -> None:
    html = _article('<title>某某县人民政府</title><meta name="ArticleTitle" content="关于做好清洁取暖工作的通知">',
                    "<h1>关于做好清洁取暖工作的通知（第二版）</h1>")
    assert extract_page(ARTICLE_URL, html, site="某某县人民政府", today=TODAY)[0].title == "关于做好清洁取暖工作的通知"


def test_a_specific_title_is_kept() -> None:
    html = _article("<title>关于做好清洁取暖工作的通知_通知公告_某某县人民政府</title>", "<h1>某某县人民政府</h1>")
    assert extract_page(ARTICLE_URL, html, site="某某县人民政府", today=TODAY)[0].title == (
        "关于做好清洁取暖工作的通知_通知公告_某某县人民政府")


HANWEB_DETAIL = """<html><head><title>{title}</title><meta name="SiteName" content="某某县教育局"></head><body>
<div class="top"><h1><a href="http://www.example.gov.cn/">某某县人民政府</a></h1></div>
<div class="bt-position">您现在的位置：<a href="/">首页</a> &gt; <a href="/col/col101/index.html">通知公告</a></div>
<div class="left"><div class="title">{box}</div><ul><li><a href="/col/col101/index.html">通知公告</a></li></ul></div>
<table class="main"><tr><td class="title">关于做好2026年下半年中小学教师资格认定工作的通知</td></tr>
<tr><td>发布日期：2026-11-20　信息来源：<!--<$[信息来源]>begin-->某某县教育局<!--<$[信息来源]>end--></td></tr></table>
<div id="zoom"><meta name="ContentStart"><p>各学校：</p><meta name="ContentEnd"></div></body></html>"""


def test_the_detail_template_title_element_on_a_dated_page() -> None:
    url = "http://jyj.example.gov.cn/art/2026/11/20/art_101_5001.html"
    # The portal's logo (a link) is no heading; the column box repeats the column: generic.
    html = HANWEB_DETAIL.format(title="详细信息", box="通知公告")
    page = extract_page(url, html, site="某某县教育局", today=date(2026, 11, 23))[0]
    assert page.title == "关于做好2026年下半年中小学教师资格认定工作的通知"
    two_candidates = HANWEB_DETAIL.format(title="详细信息", box="热点信息")
    assert extract_page(url, two_candidates, site="某某县教育局", today=date(2026, 11, 23))[0].title == "详细信息"
    undated = html.replace("发布日期：2026-11-20", "")
    assert extract_page(url, undated, site="某某县教育局", today=date(2026, 11, 23))[0].title == "详细信息"


@pytest.mark.parametrize("logo", ['<h1 class="logo"><a href="/">某某县青山镇人民政府</a></h1>',
                                  "<h1>青山镇人民政府</h1><span>某某县</span>",  # the site's short name
                                  "<h1>欢迎访问青山镇人民政府门户网站</h1>"])
def test_homepage_and_column_titles_stay_the_site_and_column_names(logo: str) -> None:
    home = f"""<html><head><title>某某县青山镇人民政府</title></head><body><div class="head">{logo}</div>
    <div class="box"><div class="title">镇务动态</div>
    <ul><li><a href="/info/1001/2301.htm">青山镇召开冬季农田水利建设动员会</a><span>2026-11-19 10:30</span></li></ul></div>
    </body></html>"""
    page = extract_page("http://qsz.example.gov.cn/", home, site="某某县青山镇人民政府", today=date(2026, 11, 23),
                        is_homepage=True)[0]
    assert page.title == "某某县青山镇人民政府"
    column = home.replace("<title>某某县青山镇人民政府</title>", '<title>镇务动态_某某县青山镇人民政府</title>'
                          '<meta name="ColumnName" content="镇务动态">').replace(" 10:30", "")
    page = extract_page("http://qsz.example.gov.cn/zwdt.htm", column, site="某某县青山镇人民政府", today=date(2026, 11, 23))[0]
    assert page.title == "镇务动态_某某县青山镇人民政府"


def test_title_heading_text_reads_titles_as_extract_page_does() -> None:
    html = _article("<title>某某县人民政府</title>", "<h1>关于做好清洁取暖工作的通知</h1><p>发布时间：2026-11-20</p>")
    assert title_heading_text(html)[:2] == ("关于做好清洁取暖工作的通知", "")


LIST_OUTSIDE_THE_DOM = """<html><head><title>通知公告_某某县人民政府</title></head><body>
<ul id="newsList"><!--
<li><a href="./202611/t20261120_3001.html">关于2026年冬季清洁取暖补贴申报的通知</a><span>2026-11-20</span></li>
--></ul>
<script>var box = document.getElementById("newsList"); box.innerHTML = box.innerHTML.replace(/<!--|-->/g, "");</script>
<ul class="more"></ul>
<script>var listData = [{"title": "县政府常务会议", "url": "./202611/t20261119_3002.html", "date": "2026-11-19"}];</script>
<ul><li><a href="./202611/t20261118_3003.html">县长调研重点项目</a><span>2026-11-18</span></li></ul>
<div class="page"><script>var totalPage = 3; var currentPage = 1;
for (var i = 2; i <= totalPage; i++) document.write('<a href="index_' + i + '.shtml">' + i + '</a>');</script></div>
</body></html>"""


def test_list_items_outside_the_dom_are_list_items_and_crawl_targets() -> None:
    base = "http://www.example.gov.cn/zwgk/tzgg/"
    page, follow = extract_page(base + "index.shtml", LIST_OUTSIDE_THE_DOM, site="某某县人民政府", today=date(2026, 11, 23))
    assert page.list_items == [
        ListItem("关于2026年冬季清洁取暖补贴申报的通知", base + "202611/t20261120_3001.html", date(2026, 11, 20)),
        ListItem("县政府常务会议", base + "202611/t20261119_3002.html", date(2026, 11, 19)),
        ListItem("县长调研重点项目", base + "202611/t20261118_3003.html", date(2026, 11, 18)),
    ]
    assert follow == [base + "index_2.shtml", base + "index_3.shtml",
                      base + "202611/t20261120_3001.html", base + "202611/t20261119_3002.html"]


def test_a_title_block_holding_the_header_line_is_not_a_title() -> None:
    html = """<html><head><title>内容页</title></head><body>
    <div class="title"><h2>县政府召开第12次常务会议</h2><p>发布时间：2026-11-18 来源：县政府办公室</p></div>
    <div class="TRS_Editor"><p>会议研究了冬季安全生产工作。</p></div></body></html>"""
    assert extract_page(ARTICLE_URL, html, site="某某县人民政府", today=date(2026, 11, 23))[0].title == "内容页"


def test_the_sites_short_name_is_no_article_title() -> None:
    html = """<html><head><title>某某县青山镇人民政府</title></head><body>
    <div class="head"><h1>青山镇人民政府</h1><span>某某县</span></div>
    <div class="article"><h2 class="title">青山镇召开冬季农田水利建设动员会</h2>
    <div class="info">发布时间：2026-11-19 来源：青山镇党政办</div><div class="TRS_Editor"><p>会议部署了今冬明春工作。</p></div></div>
    </body></html>"""
    page = extract_page("http://qsz.example.gov.cn/info/1001/2301.htm", html, site="某某县青山镇人民政府",
                        today=date(2026, 11, 23))[0]
    assert page.title == "青山镇召开冬季农田水利建设动员会"


def test_text_nested_deeper_than_the_parser_builds_is_still_read() -> None:
    depth = 100_000
    html = ("<html><head><title>深</title><script>var hidden = '不是正文';</script></head><body><p>开头</p>"
            + "<div>" * depth + "<p>藏在深处的博彩广告</p>" + "</div>" * depth + "<p>结尾</p></body></html>")
    page, _ = extract_page("http://www.example.gov.cn/deep.html", html, site="某某县人民政府", today=TODAY)
    assert page.text.splitlines() == ["开头", "藏在深处的博彩广告", "结尾"]


def test_flat_text_reads_as_the_tree_does() -> None:
    html = ("<html><head><title>标题</title><style>p {}</style></head><body><h1>标 题</h1><p>一段<b>加粗</b>文字</p>"
            "<table><tr><td>甲</td><td>乙</td></tr></table><script>var x = 1;</script><br/>尾</body></html>")
    assert flat_text(html) == visible_text(lxml.html.document_fromstring(html))


_DOCUMENTS = sorted([*(Path(__file__).parents[1] / "estate").rglob("*.htm*"),
                     *(Path(__file__).parent / "real_pages").glob("*.*htm*"),
                     *(Path(__file__).parent / "real_pages").glob("*.jsp")])


def test_a_whole_document_s_text_reads_as_the_walk_over_its_elements() -> None:
    """document_text (libxslt) and visible_text (Python) are one rule run two ways: the same text on
    every fixture and real page, and on the markup each case of the rule names."""
    from crawler.encoding import decode_html
    from crawler.extract import document_text

    cases = ["<html><head><title>题</title><style>p {}</style></head><body><h1>标 题</h1><p>一段<b>加粗</b>文字\r\n"
             "续</p><!-- 注释 --><table><tr><td>甲</td><th>乙</th></tr></table><script>var x;</script><noscript>无"
             "</noscript><template>模</template><br/>尾<?pi x?>巴</body></html><a href='/x'>根外</a>",
             "<html><body></body></html>"]
    documents = [decode_html(path.read_bytes(), None)[0] for path in _DOCUMENTS]
    for html in cases + documents:
        root = lxml.html.document_fromstring(html)
        assert document_text(root) == visible_text(root)
    assert document_text(lxml.html.document_fromstring(cases[0])) == "标 题\n一段加粗文字 续\n甲 乙\n尾巴"


def test_site_map_links_carry_the_section_they_are_listed_under() -> None:
    html = """<html><head><title>网站地图</title></head><body><div class="map">
    <div class="box"><h3><a href="/ghxx/">规划信息</a></h3><ul><li><a href="/ghxx/gzjz/">工作进展情况</a></li></ul></div>
    <dl><dt>政民互动</dt><dd><a href="/hdjl/xzxx/">县长信箱</a></dd></dl>
    <div class="lm-title">政务公开</div><ul><li><a href="/zwgk/tzgg/">通知公告</a></li></ul></div></body></html>"""
    page, _ = extract_page("http://www.example.gov.cn/wzdt/", html, site="县", today=date(2026, 11, 23))
    assert page.sitemap and page.sections == {
        "http://www.example.gov.cn/ghxx/gzjz/": "规划信息", "http://www.example.gov.cn/hdjl/xzxx/": "政民互动",
        "http://www.example.gov.cn/zwgk/tzgg/": "政务公开"}


_FIXTURE_PAGES = sorted([*(Path(__file__).parents[1] / "estate").rglob("*.htm*"),
                         *(Path(__file__).parents[1] / "estate22").rglob("*.htm*"),
                         *(Path(__file__).parent / "real_pages").glob("*.jsp")])


@pytest.mark.parametrize("text", [True, False], ids=["text read in the crawl", "text left to the parent"])
@pytest.mark.parametrize("path", _FIXTURE_PAGES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_a_page_read_in_the_crawl_and_completed_in_the_parent_is_the_whole_model(path: Path, text: bool) -> None:
    from core import events
    from crawler.encoding import decode_html
    from crawler.extract import complete_read_page, judge_page, read_page

    url = "http://www.example.gov.cn/" + path.name
    html, _ = decode_html(path.read_bytes(), None)
    whole, _ = extract_page(url, html, site="某某县人民政府", unit="县政府办公室", today=date(2026, 6, 1))
    judge_page(whole)
    read, _, _ = read_page(url, html, site="某某县人民政府", unit="县政府办公室", today=date(2026, 6, 1), text=text)
    assert bool(read.text) == text
    sent = events.decode(events.encode(events.PageEvent(read, 0, url)))
    assert isinstance(sent, events.PageEvent) and sent.read_from == url
    complete_read_page(sent.page, url, date(2026, 6, 1))
    assert sent.page.to_json() == whole.to_json()


def test_the_crawl_reads_each_links_text_as_it_reads_the_links() -> None:
    """Each link gets the words of its first <a> that has any, else that <a>'s title, whatever element
    named it first; completing the page in the scan's process keeps them as they came."""
    from crawler.extract import complete_read_page, read_page

    url = "http://www.example.gov.cn/xwzx/index.html"
    html = ("<html><body><img src='banner.png'><a href='banner.png'>  横幅\n 图片 </a>"
            "<a href='a.html'></a><a href='a.html' title='通知标题'></a><a href='a.html'>通知正文</a>"
            "<a href='/b.html'><img src='x.png'></a><a href='mailto:x@example.cn'>邮件</a></body></html>")
    read, _, _ = read_page(url, html, site="某某县人民政府", today=date(2026, 6, 1), text=False)
    expected = [("banner.png", "img", "横幅 图片"), ("a.html", "a", "通知标题"), ("b.html", "a", ""),
                ("x.png", "img", "")]
    assert [(link.url.rsplit("/", 1)[1], link.tag, link.text) for link in read.links] == expected
    complete_read_page(read, url, date(2026, 6, 1))
    assert [(link.url.rsplit("/", 1)[1], link.tag, link.text) for link in read.links] == expected


def test_a_title_that_may_say_not_found_is_seen_wherever_the_title_comes_from() -> None:
    from crawler.extract import read_page, title_may_hold
    from crawler.linkcheck import may_say_not_found

    def may(html: str) -> bool:
        page, _, tree = read_page("http://h.gov.cn/a.html", html, site="站", today=date(2026, 6, 1))
        assert tree is not None
        return title_may_hold(tree, page.text, may_say_not_found)

    body = "<p>2026-05-01 发布</p><p>正文内容，与错误无关的说明。</p>"
    assert not may(f"<html><head><title>通知公告</title></head><body>{body}</body></html>")
    assert may(f"<html><head><title>页面不存在</title></head><body>{body}</body></html>")
    assert may(f"<html><head><meta name='ArticleTitle' content='404 Not Found'></head><body>{body}</body></html>")
    assert may(f"<html><body><h1>您访问的页面已删除</h1>{body}</body></html>")
    assert may(f"<html><body><div class='title'>页面不存在</div>{body}</body></html>")
    # a title element no reader sees is read all the same, as the title is taken from it
    assert may(f"<html><body><noscript><div class='title'>页面不存在</div></noscript><p>正文</p></body></html>")
    # a page whose text holds such a word has its title elements read one by one: none says so here
    assert not may(f"<html><body><div class='title'>关于做好冬季安全生产工作的通知</div>{body}</body></html>")


def _interpretation(title: str) -> Page:
    html = (f"<html><head><title>{title}</title></head><body><div>当前位置：首页 > 政策解读</div>"
            f"<h1>{title.split('_')[0]}</h1><p>发布时间：2026-11-02</p><p>正文。</p></body></html>")
    return extract_page("http://gov.example/zcjd/1.html", html, site="县", today=date(2026, 12, 1))[0]


def test_an_interpretation_names_the_document_its_title_interprets() -> None:
    page = _interpretation("某某县促进民营经济发展若干措施政策解读_政策解读_某某县人民政府")
    assert page.cited == ["某某县促进民营经济发展若干措施"]


def test_a_page_of_an_interpretation_column_whose_title_interprets_nothing_names_no_document() -> None:
    """A news item filed under 政策解读 is no citation of itself (the site's _栏目_站名 suffix aside)."""
    page = _interpretation("县教育局开展秋季学期督导检查_政策解读_某某县人民政府")
    assert page.cited == []


def test_an_interpretation_s_original_is_a_document_not_the_navigation_s_column() -> None:
    """The site's navigation links 政策文件 and 相关政策 to their columns on every page: no interpretation
    links its document by them. A link so named to a document, or named like the document, does."""
    title = "某某县促进民营经济发展若干措施政策解读_政策解读_某某县人民政府"
    nav = ('<div class="nav"><a href="/xxgk/zcwj/">政策文件</a><a href="/col/col123/index.html">相关政策</a>'
           '<a href="/xxgk/zcwj/index_2.html">政策文件</a></div>')

    def cited_links(body: str) -> list[str]:
        html = (f"<html><head><title>{title}</title></head><body>{nav}<div>当前位置：首页 > 政策解读</div>"
                f"<h1>{title.split('_')[0]}</h1><p>发布时间：2026-11-02</p>{body}</body></html>")
        return extract_page("http://gov.example/zcjd/1.html", html, site="县", today=date(2026, 12, 1))[0].cited_links

    assert cited_links("<p>正文。</p>") == []
    assert cited_links('<p><a href="/xxgk/zcwj/202611/t20261101_1.html">政策原文</a></p>') == [
        "http://gov.example/xxgk/zcwj/202611/t20261101_1.html"]
    assert cited_links('<p><a href="/xxgk/zcwj/P020261101.pdf">某某县促进民营经济发展若干措施</a></p>') == [
        "http://gov.example/xxgk/zcwj/P020261101.pdf"]


def test_the_crawl_reads_a_list_page_s_pager_with_the_pages_it_follows() -> None:
    """`read_page`, in the crawl process, reads the pager from the anchors it has just read for the
    pages to follow; the scan's process does not read them again."""
    html = """<html><body><a href="news-show-8960.html">万载县发布禁火令</a> 2017-10-13
    <a href="news-list-wanzaiyaowen-1.html">首页</a><a href="news-list-wanzaiyaowen-2.html">下一页</a>
    <a href="news-list-wanzaiyaowen-30.html">末页</a></body></html>"""
    url = "http://www.wanzai.gov.cn/news-list-wanzaiyaowen-2.html"
    page, follow, _ = read_page(url, html, site="万载", today=date(2017, 10, 20), text=False)
    assert (page.pager, page.list_pages, page.list_page) == ("-N.html", 30, 2)
    assert "http://www.wanzai.gov.cn/news-list-wanzaiyaowen-30.html" in follow
