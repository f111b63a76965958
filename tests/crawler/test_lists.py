"""List discovery: Hanweb datastore records, TRS and other script pagers, pager anchors, HTML lists,
lists kept in comments and JSON."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from crawler.extract import extract_page
from crawler.lists import (
    PROXY_GROUP_LIMIT,
    Pager,
    absolute_url,
    datastore_nextgroup,
    datastore_proxy_groups,
    datastore_proxy_urls,
    datastore_records,
    datastore_total,
    html_list_items,
    page_urls,
    pager_of,
    proxy_groups_after,
    script_list_items,
    shows_empty_list,
)
from core.model import ListItem

TODAY = date(2026, 6, 5)
TODAY_NOV = date(2026, 11, 23)
HANWEB_URL = "http://www.example.gov.cn/col/col60096/index.html"
HANWEB = """<div id="4363"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=2&path=/&columnid=60096&unitid=4363&webname=%E6%B5%8B&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[
<li><a href='/art/2026/6/1/art_60096_11778517.html' title='关于2025年度考核结果的公示' target="_blank">关于2025年度考核…</a><span>2026-06-01</span></li>
]]></record>
<record><![CDATA[<li><a href="art/2026/5/20/art_60096_11778000.html">市政府召开2026年5月1日工作会议</a><span>[05-20]</span></li>]]></record>
<record><![CDATA[<li><a href="http://other.gov.cn/art/2026/5/2/art_1_2.html">无日期的记录</a></li>]]></record>
</recordset></datastore></script></div>"""


def test_datastore_records() -> None:
    assert datastore_records(HANWEB, HANWEB_URL, today=TODAY) == [
        ListItem("关于2025年度考核结果的公示", "http://www.example.gov.cn/art/2026/6/1/art_60096_11778517.html", date(2026, 6, 1)),
        # the title's own date (5月1日) is not the item's date; the year-less one resolves to this year
        ListItem("市政府召开2026年5月1日工作会议", "http://www.example.gov.cn/col/col60096/art/2026/5/20/art_60096_11778000.html", date(2026, 5, 20)),
        ListItem("无日期的记录", "http://other.gov.cn/art/2026/5/2/art_1_2.html", None),
    ]


def test_dataproxy_reply_with_escaped_records() -> None:
    reply = (
        '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>6348</totalrecord>'
        "<record>&lt;li&gt;&lt;a href='/art/2025/1/2/art_1_3.html'&gt;标题&lt;/a&gt;"
        "&lt;span&gt;2025-01-02&lt;/span&gt;&lt;/li&gt;</record></datastore>"
    )
    assert datastore_records(reply, HANWEB_URL, today=TODAY) == [
        ListItem("标题", "http://www.example.gov.cn/art/2025/1/2/art_1_3.html", date(2025, 1, 2))
    ]
    assert datastore_total(reply) == (6348, None)


def test_datastore_total_and_nextgroup() -> None:
    assert datastore_total("<totalpage>12</totalpage><totalrecord> 170 </totalrecord>") == (170, 12)
    assert datastore_total(HANWEB) == (None, None)
    assert datastore_nextgroup(HANWEB, HANWEB_URL) == (
        "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=2&path=/"
        "&columnid=60096&unitid=4363&webname=%E6%B5%8B&permissiontype=0"
    )
    assert datastore_nextgroup("<html></html>", HANWEB_URL) is None


def test_nextgroup_entities_are_unescaped() -> None:
    html = '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;appid=1"></a>]]></nextgroup>'
    assert datastore_nextgroup(html, HANWEB_URL) == "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?page=1&appid=1"


TRS_SCRIPT = """<div class="page"><script>
var currentPage = 0;//所在页从0开始
var prevPage = currentPage-1//上一页
var countPage = 4//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div>"""


def test_trs_pager_from_declared_variables() -> None:
    assert page_urls(TRS_SCRIPT, "http://hd.gov.cn/xxgk/tzgg/index.html") == [
        "http://hd.gov.cn/xxgk/tzgg/index_1.html",
        "http://hd.gov.cn/xxgk/tzgg/index_2.html",
        "http://hd.gov.cn/xxgk/tzgg/index_3.html",
    ]


def test_trs_pager_from_a_directory_url_and_a_middle_page() -> None:
    expected_all = ["http://hd.gov.cn/xxgk/tzgg/index.html"] + [
        f"http://hd.gov.cn/xxgk/tzgg/index_{n}.html" for n in (1, 2, 3)
    ]
    assert page_urls(TRS_SCRIPT, "http://hd.gov.cn/xxgk/tzgg/") == expected_all[1:]
    middle = TRS_SCRIPT.replace("currentPage = 0", "currentPage = 2")
    assert page_urls(middle, "http://hd.gov.cn/xxgk/tzgg/index_2.html") == [
        u for u in expected_all if not u.endswith("index_2.html")
    ]


def test_trs_pager_with_literals_and_shtml() -> None:
    html = '<script>createPageHTML(3, 0, "index", "shtml");</script>'
    assert page_urls(html, "http://a.gov.cn/zwgk/") == ["http://a.gov.cn/zwgk/index_1.shtml", "http://a.gov.cn/zwgk/index_2.shtml"]


def test_trs_pager_variant_with_a_target_element_is_one_based() -> None:
    # createPageHTML(divName, _nPageCount, _nCurrIndex, _sPageName, _sPageExt, _nPageSum) writes page k > 1 as
    # name_k and the last as name_{count} (宿迁 list_2.shtml, 镇江 前缀_N.shtml, 证监会 fg.shtml … fg_5.shtml).
    html = "<script>createPageHTML('page_div', 3, 1, 'fg', 'shtml', 45);</script>"
    assert page_urls(html, "http://a.gov.cn/zwgk/fg.shtml") == ["http://a.gov.cn/zwgk/fg_2.shtml", "http://a.gov.cn/zwgk/fg_3.shtml"]
    assert pager_of(html, "http://a.gov.cn/zwgk/fg.shtml") == Pager("createPageHTML", 3, 1)
    last = html.replace("3, 1,", "3, 3,")
    assert page_urls(last, "http://a.gov.cn/zwgk/fg_3.shtml") == ["http://a.gov.cn/zwgk/fg.shtml", "http://a.gov.cn/zwgk/fg_2.shtml"]
    assert pager_of(last, "http://a.gov.cn/zwgk/fg_3.shtml") == Pager("createPageHTML", 3, 3)


def test_trs_pager_is_capped() -> None:
    html = '<script>createPageHTML(100000, 0, "index", "html");</script>'
    pages = page_urls(html, "http://a.gov.cn/zwgk/index.html")
    assert len(pages) == 499 and pages[-1] == "http://a.gov.cn/zwgk/index_499.html"


def test_single_page_and_unresolvable_counts_give_nothing() -> None:
    assert page_urls('<script>createPageHTML(1, 0, "index", "html");</script>', "http://a.gov.cn/x/") == []
    assert page_urls("<script>createPageHTML(n, 0, 'index', 'html');</script>", "http://a.gov.cn/x/") == []


def test_pager_anchors_expand_to_the_last_page() -> None:
    html = """<div class="pages"><a href="index.html">首页</a><a href="index_1.html">下一页</a>
    <a href="index_6.html">尾页</a></div>"""
    assert page_urls(html, "http://a.gov.cn/xwzx/index.html") == [
        f"http://a.gov.cn/xwzx/index_{n}.html" for n in range(1, 7)
    ]


def test_pager_anchors_start_at_the_lowest_number_seen() -> None:
    # node_{id} lists number their second page _2: no node_123_1.htm may be invented.
    html = '<a href="node_123_2.htm">下一页</a> <a href="node_123_3.htm">3</a> <a href="node_123_5.htm"><img alt="末页"></a>'
    assert page_urls(html, "http://moj.gov.cn/pub/node_123.htm") == [
        f"http://moj.gov.cn/pub/node_123_{n}.htm" for n in (2, 3, 4, 5)
    ]


def test_query_pager_keeps_other_parameters() -> None:
    html = '<a href="list.jsp?cat_id=15971&amp;cur_page=2">下一页</a><a href="list.jsp?cat_id=15971&amp;cur_page=4">尾页</a>'
    assert page_urls(html, "http://a.gov.cn/info/list.jsp?cat_id=15971&cur_page=1") == [
        f"http://a.gov.cn/info/list.jsp?cat_id=15971&cur_page={n}" for n in (2, 3, 4)
    ]


def test_next_article_links_are_not_expanded() -> None:
    html = '<a href="../202001/t20200101_951033.html">下一页</a><a href="?id=12">下一页</a>'
    assert page_urls(html, "http://a.gov.cn/xxgk/202001/t20200102_951034.html") == []


def test_html_list_items() -> None:
    html = """<html><body>
    <ul class="list">
      <li><a href="./202601/t20260102_1.html" title="关于印发2026年工作要点的通知">关于印发…</a><span>2026-01-02</span></li>
      <li><span>[12-30]</span> <a href="/art/2.html">市长调研2024年12月1日重点项目</a></li>
      <li><a href="/art/3.html"><em>公</em>示<i>2025年11月20日</i></a></li>
      <li><a href="/art/4.html">无日期的链接</a></li>
      <li><a href="/a.html">两个</a><a href="/b.html">链接</a> 2026-01-01</li>
      <li><a href="javascript:void(0)">脚本</a> 2026-01-01</li>
    </ul>
    <table>
      <tr><th>名称</th><th>索引号</th><th>发布日期</th></tr>
      <tr><td><a href="../gk/201701/t20170107_9.html">关于做好春节工作的通知</a></td>
          <td>000014349/2017-00110</td><td>2017-01-07</td></tr>
    </table></body></html>"""
    assert html_list_items(html, "http://a.gov.cn/xxgk/tzgg/index.html", date(2026, 1, 5)) == [
        ListItem("关于印发2026年工作要点的通知", "http://a.gov.cn/xxgk/tzgg/202601/t20260102_1.html", date(2026, 1, 2)),
        ListItem("市长调研2024年12月1日重点项目", "http://a.gov.cn/art/2.html", date(2025, 12, 30)),
        ListItem("公示", "http://a.gov.cn/art/3.html", date(2025, 11, 20)),
        ListItem("关于做好春节工作的通知", "http://a.gov.cn/xxgk/gk/201701/t20170107_9.html", date(2017, 1, 7)),
    ]


def test_list_items_dated_in_chinese_numerals_or_full_width_digits() -> None:
    # Rows without any ASCII digit: only a 年 or a full-width digit says they may hold a date.
    html = """<ul><li><a href="/a.html">关于公布名单的通知</a>（二〇二五年十一月二十日）</li>
    <li><a href="/b.html">关于开展检查的通知</a> ２０２５－１１－２１</li>
    <li><a href="/c.html">政务公开</a></li></ul>"""
    assert html_list_items(html, "http://a.gov.cn/", date(2026, 1, 5)) == [
        ListItem("关于公布名单的通知", "http://a.gov.cn/a.html", date(2025, 11, 20)),
        ListItem("关于开展检查的通知", "http://a.gov.cn/b.html", date(2025, 11, 21)),
    ]


def test_div_rows_are_list_items_and_layout_divs_are_not() -> None:
    # 万载县 (维网 CMS): each entry a div of its own, its date in a <p>.
    rows = "".join(f'<div><a href="/news-show-{n}.html">要闻{n}</a><p>2017-10-1{n}</p></div>' for n in range(3))
    html = f"""<div id="right_con">{rows}</div>
    <div class="side"><div><a href="/a.html">两个区块</a> 2017-10-01<div>内层</div></div></div>
    <div class="pair"><div><a href="/b.html">只有</a> 2017-10-02</div><div><a href="/c.html">两行</a> 2017-10-03</div></div>"""
    # 生态环境部 writes an article's paragraphs as divs, each with a 更多内容 link and a date in its prose
    body = "".join(f'<div>4月1{n}日，部长主持召开会议，审议并原则通过有关标准。<a href="/m{n}.html">更多内容，点击阅读</a></div>'
                   for n in range(3))
    assert html_list_items(f"<div class='TRS_Editor'>{body}</div>", "http://www.mee.gov.cn/x/", date(2022, 4, 17)) == []
    items = html_list_items(html, "http://www.wanzai.gov.cn/news-list-x.html", date(2017, 10, 13))
    assert [item.url for item in items] == [f"http://www.wanzai.gov.cn/news-show-{n}.html" for n in range(3)]
    assert items[0] == ListItem("要闻0", "http://www.wanzai.gov.cn/news-show-0.html", date(2017, 10, 10))


def test_the_lists_own_name_numbered_is_its_pager() -> None:
    # 万载: news-list-wanzaiyaowen.html, then -1 … -30 (首页 is -1); a document link of the same
    # directory (news-show-8960.html) is no page.
    html = """<a href="news-show-8960.html">万载县发布禁火令</a> 2017-10-13
    <a href="news-list-wanzaiyaowen-1.html">首页</a><a href="news-list-wanzaiyaowen-2.html">下一页</a>
    <a href="news-list-wanzaiyaowen-30.html">末页</a>"""
    url = "http://www.wanzai.gov.cn/news-list-wanzaiyaowen.html"
    assert pager_of(html, url) == Pager("-N.html", 30, 1)
    assert page_urls(html, url) == [f"http://www.wanzai.gov.cn/news-list-wanzaiyaowen-{n}.html" for n in range(1, 31)]
    assert pager_of(html, "http://www.wanzai.gov.cn/news-list-wanzaiyaowen-2.html") == Pager("-N.html", 30, 2)
    # without a 下一页/末页 such links may be documents of the same name
    assert pager_of('<a href="news-1234.html">某项工作</a>', "http://a.gov.cn/news.html") == Pager()


def test_component_pager_index_comp_n() -> None:
    # 丰城 (component CMS): the pages are index_958_1 … index_958_199, listed in a hidden div.
    html = "<div style='display:none'>" + "".join(f"<a href='index_958_{n}.html'></a>" for n in range(1, 200)) + "</div>"
    assert pager_of(html, "http://www.jxfc.gov.cn/n3/n13/index.html") == Pager("_N.html", 199, 1)


def test_absolute_url() -> None:
    base = "http://a.gov.cn/x/y.html"
    assert absolute_url(" ../z.html#top ", base) == "http://a.gov.cn/z.html"
    assert absolute_url("//b.gov.cn/\n1.html", base) == "http://b.gov.cn/1.html"
    assert absolute_url("..\\up.html", base) == "http://a.gov.cn/up.html"
    for href in ("", "#", "#top", "javascript:void(0)", "mailto:a@b.cn", "tel:12345", "http://[bad"):
        assert absolute_url(href, base) is None


def test_datastore_proxy_urls_fetch_the_remaining_groups() -> None:
    record = "<record><![CDATA[<li><a href='/art/2026/1/1/art_1_{n}.html'>标题{n}</a><span>2026-01-01</span></li>]]></record>"
    html = ("<script type='text/xml'><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?"
            "page=1&columnid=9\"></a>]]></nextgroup><recordset>" + "".join(record.format(n=n) for n in range(3))
            + "</recordset><totalrecord>8</totalrecord></datastore></script>")
    base = "http://127.0.0.1:1/module/web/jpage/dataproxy.jsp?page=1&columnid=9"
    assert datastore_proxy_urls(html, "http://127.0.0.1:1/col/col9/index.html") == [
        f"{base}&startrecord=4&endrecord=6&perpage=15", f"{base}&startrecord=7&endrecord=8&perpage=15"]
    complete = html.replace("<totalrecord>8<", "<totalrecord>3<")
    assert datastore_proxy_urls(complete, "http://127.0.0.1:1/col/col9/index.html") == []


def test_datastore_without_a_record_count_is_paged_by_its_jpage_call_or_its_page_count() -> None:
    record = "<record><![CDATA[<li><a href='/art/2026/1/1/art_1_{n}.html'>标题{n}</a><span>2026-01-01</span></li>]]></record>"
    datastore = ("<div id='4363'><script type='text/xml'><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/"
                 "dataproxy.jsp?page=1&columnid=9\"></a>]]></nextgroup><recordset>"
                 + "".join(record.format(n=n) for n in range(3)) + "</recordset>{total}</datastore></script></div>")
    base = "http://127.0.0.1:1/module/web/jpage/dataproxy.jsp?page=1&columnid=9"
    column = "http://127.0.0.1:1/col/col9/index.html"
    jpage = "<script>$('#4363').jpage({ dataStore: '#4363 script', perPage: 3, totalRecord: 8 });</script>"
    assert datastore_proxy_urls(datastore.format(total="") + jpage, column) == [
        f"{base}&startrecord=4&endrecord=6&perpage=3", f"{base}&startrecord=7&endrecord=8&perpage=3"]
    pages_only = datastore.format(total="<totalpage>3</totalpage>") + jpage.replace(", totalRecord: 8", "")
    assert datastore_proxy_urls(pages_only, column) == [  # at most 3 pages of 3: 9 records
        f"{base}&startrecord=4&endrecord=6&perpage=3", f"{base}&startrecord=7&endrecord=9&perpage=3"]
    # Nothing says how many: the next group, whose reply will, and what follows it (proxy_groups_after).
    assert datastore_proxy_groups(datastore.format(total=""), column) == (
        [f"{base}&startrecord=4&endrecord=6&perpage=15"], True)
    assert datastore_proxy_groups(datastore.format(total="") + jpage, column)[1] is False  # all asked for at once
    assert datastore_proxy_groups("<p>no datastore</p>", column) == ([], False)


def test_the_groups_after_a_reply_come_from_the_total_it_states_or_from_a_full_group() -> None:
    record = "<record><![CDATA[<li><a href='/art/2026/1/1/art_1_{n}.html'>标题{n}</a></li>]]></record>"
    base = "http://127.0.0.1:1/module/web/jpage/dataproxy.jsp?page=1&columnid=9"
    asked = f"{base}&startrecord=4&endrecord=6&perpage=15"

    def reply(records: int, total: str = "") -> str:
        return f"<datastore>{total}<recordset>" + "".join(record.format(n=n) for n in range(records)) + "</recordset></datastore>"

    assert proxy_groups_after(reply(3, "<totalrecord>11</totalrecord>"), asked) == [
        f"{base}&startrecord=7&endrecord=9&perpage=15", f"{base}&startrecord=10&endrecord=11&perpage=15"]
    assert proxy_groups_after(reply(3, "<totalpage>1</totalpage>"), asked) == [  # pages of the size asked for
        f"{base}&startrecord=7&endrecord=9&perpage=15", f"{base}&startrecord=10&endrecord=12&perpage=15",
        f"{base}&startrecord=13&endrecord=15&perpage=15"]
    assert proxy_groups_after(reply(3), asked) == [f"{base}&startrecord=7&endrecord=9&perpage=15"]  # full: go on
    assert proxy_groups_after(reply(2), asked) == []  # a short group is the column's last
    assert proxy_groups_after(reply(3, "<totalrecord>6</totalrecord>"), asked) == []
    assert proxy_groups_after(reply(3), base) == []  # not one of ours
    last = f"{base}&startrecord={3 * PROXY_GROUP_LIMIT - 2}&endrecord={3 * PROXY_GROUP_LIMIT}&perpage=15"
    assert proxy_groups_after(reply(3), last) == []  # the column's bound


CHENGDU_PAGER = """<div class="pagination"><script type="text/javascript">
var totalPage = 12;//总页数
var currentPage = 1;//当前页
for (var i = 1; i <= totalPage; i++) {
  if (i == currentPage) { document.write('<span class="current">' + i + '</span>'); }
  else { document.write('<a href="column-index-' + i + '.shtml">' + i + '</a>'); }
}
</script></div>"""


def test_script_pager_with_a_page_count_and_a_one_based_current_page() -> None:
    assert page_urls(CHENGDU_PAGER, "http://gk.example.gov.cn/c131029/index.shtml") == [
        f"http://gk.example.gov.cn/c131029/column-index-{n}.shtml" for n in range(2, 13)
    ]


def test_script_pager_with_a_zero_based_current_page() -> None:
    html = """<div class="page"><script>
    var countPage = 5, currentPage = 0;
    for (var i = 0; i < countPage; i++) {
      var href = i == 0 ? "index.shtml" : "index_" + i + ".shtml";
      document.write("<a href='" + href + "'>" + (i + 1) + "</a>");
    }</script></div>"""
    assert page_urls(html, "http://www.example.gov.cn/zwgk/tzgg/") == [
        f"http://www.example.gov.cn/zwgk/tzgg/index_{n}.shtml" for n in range(1, 5)
    ]


def test_script_pager_in_a_json_config_with_list_files() -> None:
    html = """<script>var pager = {"page_count": "3", "curr_page": 0};
    $("#pager").html(pages.map(function (n) { return '<a href="list_' + n + '.html">' + n + '</a>'; }));</script>"""
    assert page_urls(html, "http://www.example.gov.cn/xwzx/list.html") == [
        "http://www.example.gov.cn/xwzx/list_1.html", "http://www.example.gov.cn/xwzx/list_2.html"]


def test_script_query_pager_is_one_based_unless_the_page_says_otherwise() -> None:
    html = """<script>var pageCount = 4;
    function goPage(n) { location.href = "?pageNo=" + n; }</script>"""
    url = "http://www.example.gov.cn/zwgk/list.jsp"
    assert page_urls(html, url) == [f"{url}?pageNo={n}" for n in (2, 3, 4)]
    zero_based = html.replace("var pageCount = 4;", "var pageCount = 4; var pageIndex = 0;")
    assert page_urls(zero_based, url) == [f"{url}?pageNo={n}" for n in (1, 2, 3)]


def test_script_query_pager_keeps_the_parameters_the_script_writes() -> None:
    html = """<script>var totalPages = 3; var curPage = 1;
    window.location.href = "iList.jsp?node_id=GKmzs&cat_id=15971&currPage=" + page;</script>"""
    assert page_urls(html, "http://www.example.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971") == [
        f"http://www.example.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971&currPage={n}" for n in (2, 3)
    ]


def test_script_page_count_with_the_first_rendered_pager_link() -> None:
    html = """<div class="pages"><span class="on">1</span><a href="NewsList.aspx?PageIndex=2">2</a>
    <a href="NewsList.aspx?PageIndex=3">3</a><span>…</span></div>
    <script>var totalpage = 6; renderPager("pages", totalpage);</script>"""
    assert page_urls(html, "http://www.example.gov.cn/NewsList.aspx") == [
        f"http://www.example.gov.cn/NewsList.aspx?PageIndex={n}" for n in range(2, 7)
    ]


def test_rendered_links_of_another_list_give_no_shape() -> None:
    html = """<div class="side"><a href="/xxgk/tzgg/index_2.html">通知公告第2页</a></div>
    <script>var totalpage = 6;</script>"""
    assert page_urls(html, "http://www.example.gov.cn/xwzx/zwyw/index.html") == []


def test_script_pager_is_capped() -> None:
    pages = page_urls(CHENGDU_PAGER.replace("= 12;", "= 100000;"), "http://gk.example.gov.cn/c131029/index.shtml")
    assert len(pages) == 499 and pages[-1] == "http://gk.example.gov.cn/c131029/column-index-500.shtml"


def test_script_pager_needs_a_count_a_shape_and_a_numbering() -> None:
    url = "http://www.example.gov.cn/zwgk/tzgg/index.shtml"
    loop = "var href = 'index_' + i + '.shtml';"
    for script in (
        "var pageCount = 15; // 每页条数, and no page link anywhere",
        loop + " var page = 2;",  # a shape, no count
        loop + " if (totalPage == 1) { hide(); }",  # a comparison is not a count
        loop + " var totalPage = 8;",  # 0- or 1-based? index_1 or index_8 would be a guess
        "var totalPage = 8; var currentPage = 0; var next = 't20261120_' + id + '.html';",  # a document id
    ):
        assert page_urls(f"<script>{script}</script>", url) == [], script


def test_script_pager_is_expanded_from_the_first_page_only() -> None:
    # On column-index-3 the current page is 3 in both numberings: the first page listed them all.
    inner = CHENGDU_PAGER.replace("currentPage = 1", "currentPage = 3")
    assert page_urls(inner, "http://gk.example.gov.cn/c131029/column-index-3.shtml") == []


def test_pager_anchors_of_chengdu_column_index_pages() -> None:
    html = '<a href="column-index-2.shtml">下一页</a><a href="column-index-4.shtml">尾页</a>'
    assert page_urls(html, "http://gk.example.gov.cn/c131029/index.shtml") == [
        f"http://gk.example.gov.cn/c131029/column-index-{n}.shtml" for n in (2, 3, 4)
    ]


def _root(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


COMMENTED_LIST = """<html><body><div class="list-box"><h3>通知公告</h3>
<ul id="newsList"><!--
<li><a href="./202611/t20261120_3001.html" title="关于2026年冬季清洁取暖补贴申报的通知">关于2026年冬季清洁取暖…</a><span>2026-11-20</span></li>
<li><a href="./202611/t20261118_3002.html">县政府召开第12次常务会议</a><span>2026-11-18</span></li>
--></ul></div>
<script type="text/javascript">
var box = document.getElementById("newsList");
box.innerHTML = box.innerHTML.replace(/<!--|-->/g, "");
</script></body></html>"""


def test_commented_list_a_script_renders() -> None:
    assert script_list_items(_root(COMMENTED_LIST), "http://www.example.gov.cn/zwgk/tzgg/index.html", TODAY_NOV) == [
        ListItem("关于2026年冬季清洁取暖补贴申报的通知", "http://www.example.gov.cn/zwgk/tzgg/202611/t20261120_3001.html",
                 date(2026, 11, 20)),
        ListItem("县政府召开第12次常务会议", "http://www.example.gov.cn/zwgk/tzgg/202611/t20261118_3002.html",
                 date(2026, 11, 18)),
    ]


def test_commented_markup_nobody_renders_is_not_a_list() -> None:
    base = "http://www.example.gov.cn/zwgk/tzgg/index.html"
    unnamed = COMMENTED_LIST.replace('getElementById("newsList")', 'getElementById("pager")')
    assert script_list_items(_root(unnamed), base, TODAY_NOV) == []
    disabled = COMMENTED_LIST.replace(
        '<ul id="newsList"><!--', '<ul id="newsList"><li><a href="./a.html">现行条目</a><span>2026-11-21</span></li><!--')
    assert script_list_items(_root(disabled), base, TODAY_NOV) == []


def test_commented_table_rows_named_through_their_wrapper() -> None:
    html = """<html><body><div class="gk-list"><table><tbody><!--
    <tr><td><a href="/xxgk/202611/t20261117_5001.html">关于公布2026年行政事业性收费目录的通知</a></td>
        <td>000014349/2026-00110</td><td>2026年11月17日</td></tr>
    --></tbody></table></div>
    <script>$(".gk-list tbody").html($(".gk-list tbody").html().replace("<!--", "").replace("-->", ""));</script>
    </body></html>"""
    assert script_list_items(_root(html), "http://www.example.gov.cn/xxgk/", TODAY_NOV) == [
        ListItem("关于公布2026年行政事业性收费目录的通知", "http://www.example.gov.cn/xxgk/202611/t20261117_5001.html",
                 date(2026, 11, 17)),
    ]


def test_json_list_data_rendered_by_a_template() -> None:
    html = r"""<html><body><ul id="list"></ul><script>
    var listData = [
      {"title": "关于2026年冬季供暖的通知", "url": "/zwgk/tzgg/202611/t20261120_4001.html", "date": "2026-11-20"},
      {"title": "县政府常务会议研究\u519c\u6751\u516c\u8def建设", "url": ".\/202611\/t20261119_4002.html",
       "date": "2026-11-19 15:30:00", "tags": [{"name": "会议"}]},
      {"title": "无日期的记录", "url": "/zwgk/tzgg/202611/t1.html", "date": ""},
      {"title": "无链接的记录", "date": "2026-11-18"}
    ];
    render("#list", listData);
    </script></body></html>"""
    assert script_list_items(_root(html), "http://www.example.gov.cn/zwgk/tzgg/index.html", TODAY_NOV) == [
        ListItem("关于2026年冬季供暖的通知", "http://www.example.gov.cn/zwgk/tzgg/202611/t20261120_4001.html",
                 date(2026, 11, 20)),
        ListItem("县政府常务会议研究农村公路建设", "http://www.example.gov.cn/zwgk/tzgg/202611/t20261119_4002.html",
                 date(2026, 11, 19)),
    ]


def test_javascript_literal_records_and_generic_data_arrays() -> None:
    html = """<html><body><script>
    var pageData = { total: 2, infoList: [
      {docTitle: '<font color="red">关于征集2027年民生实事项目的公告</font>', DOCPUBURL: '../202611/t20261121_6001.html', pubDate: '2026/11/21'},
      {docTitle: '县长\\'s 信箱回复', DOCPUBURL: '../202611/t20261116_6002.html', pubDate: '2026/11/16'}
    ]};
    var menu = new Vue({ data: { items: [] }, nav: { data: [{name: '首页', url: '/'}, {name: '政务公开', url: '/zwgk/'}] } });
    chart.setOption({ series: [{ type: 'pie', data: [{value: 335, name: '直接访问'}, {value: 310, name: '邮件营销'}] }] });
    </script></body></html>"""
    assert script_list_items(_root(html), "http://www.example.gov.cn/zwgk/xwdt/index.html", TODAY_NOV) == [
        ListItem("关于征集2027年民生实事项目的公告", "http://www.example.gov.cn/zwgk/202611/t20261121_6001.html",
                 date(2026, 11, 21)),
        ListItem("县长's 信箱回复", "http://www.example.gov.cn/zwgk/202611/t20261116_6002.html", date(2026, 11, 16)),
    ]


# -- issue 22: numbered first pages, pager descriptions, empty lists ------------------------------------


def test_a_script_pager_whose_first_page_is_itself_numbered() -> None:
    first = "http://gk.example.gov.cn/c131029/column-index-1.shtml"
    assert page_urls(CHENGDU_PAGER, first) == [
        f"http://gk.example.gov.cn/c131029/column-index-{n}.shtml" for n in range(2, 13)]
    assert pager_of(CHENGDU_PAGER, first) == Pager("column-index-N", 12, 1)
    last = CHENGDU_PAGER.replace("currentPage = 1", "currentPage = 12")
    assert pager_of(last, "http://gk.example.gov.cn/c131029/column-index-12.shtml") == Pager("column-index-N", 12, 12)


def test_a_numbered_first_page_of_a_query_pager() -> None:
    html = """<script>var totalPage = 3; var pageNo = 1;
    function go(n) { location.href = "list.jsp?catid=7&pageNo=" + n; }</script>"""
    url = "http://www.example.gov.cn/gk/list.jsp?catid=7&pageNo=1"
    assert page_urls(html, url) == [f"http://www.example.gov.cn/gk/list.jsp?catid=7&pageNo={n}" for n in (2, 3)]
    assert pager_of(html, url) == Pager("pageNo=", 3, 1)


def test_trs_index_1_alone_is_never_a_first_page() -> None:
    html = "<script>var totalPage = 5; var href = 'index_' + i + '.html';</script>"
    assert page_urls(html, "http://www.example.gov.cn/tzgg/index_1.html") == []


@pytest.mark.parametrize("html, url, pager", [
    ('<script>var currentPage = 0; var countPage = 56; createPageHTML(countPage, currentPage, "index", "html");</script>',
     "http://www.example.gov.cn/xxgk/", Pager("createPageHTML", 56, 1)),
    ('<script>var currentPage = 55; var countPage = 56; createPageHTML(countPage, currentPage, "index", "html");</script>',
     "http://www.example.gov.cn/xxgk/index_55.html", Pager("createPageHTML", 56, 56)),
    ('<a href="index_1.html">2</a><a href="index_4.html">尾页</a>', "http://www.example.gov.cn/a/", Pager("index_N", 5, 1)),
    ('<a href="node_12_2.htm">2</a><a href="node_12_7.htm">末页</a>', "http://www.example.gov.cn/node_12.htm",
     Pager("_N.html", 7, 1)),
    ('<a href="?page=2">2</a><a href="?page=9">尾页</a>', "http://www.example.gov.cn/list.jsp", Pager("?page=N", 9, 1)),
    ('<script type="text/xml"><datastore><totalrecord>100</totalrecord></datastore></script>'
     '<script>perpage:20</script>', "http://www.example.gov.cn/col/col9/index.html", Pager("datastore", 5, 1)),
    ("<ul><li>no pager</li></ul>", "http://www.example.gov.cn/a/", Pager()),
])
def test_pager_family_pages_and_position(html: str, url: str, pager: Pager) -> None:
    assert pager_of(html, url) == pager


@pytest.mark.parametrize("html, empty", [
    ('<ul class="list"></ul>', True),
    ('<div id="newsList">  </div>', True),
    ('<ul class="list"></ul><script>$.ajax({url: "/api/list"})</script>', False),  # fetched at run time
    ('<ul class="list"><li><a href="/a.html">条目</a></li></ul>', False),
    ('<ul class="nav"></ul>', False),
    ('<script type="text/xml"><datastore><recordset></recordset></datastore></script>', True),
    ('<script type="text/xml"><datastore><recordset><record><![CDATA[<li>x</li>]]></record></recordset>'
     '</datastore></script>', False),
])
def test_empty_lists(html: str, empty: bool) -> None:
    page = f"<html><body>{html}</body></html>"
    assert shows_empty_list(_root(page), page) is empty


def test_an_empty_recordset_asks_its_proxy_for_the_first_group() -> None:
    html = """<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&columnid=9"></a>]]></nextgroup>
    <recordset></recordset></datastore></script>"""
    assert datastore_proxy_urls(html, "http://www.example.gov.cn/col/col9/index.html") == [
        "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?page=1&appid=1&columnid=9"
        "&startrecord=1&endrecord=15&perpage=15"]


def test_items_in_noscript_and_template_data() -> None:
    html = """<html><body><noscript><ul>
    <li><a href="./202611/t20261120_1.html">关于开展冬季消防检查的通知</a><span>2026-11-20</span></li></ul></noscript>
    <script id="tpl" type="text/x-handlebars-template">{{#each rows}}<li><a href="{{url}}">{{title}}</a><span>{{date}}</span></li>{{/each}}</script>
    <script>var rows = [{"title": "县政府召开常务会议", "url": "./202611/t20261118_2.html", "date": "2026-11-18"}];
    $("#list").html(Handlebars.compile($("#tpl").html())({rows: rows}));</script></body></html>"""
    page, _ = extract_page("http://www.example.gov.cn/zwgk/tzgg/", html, site="县", today=TODAY_NOV)
    assert [(item.title, item.date) for item in page.list_items] == [
        ("县政府召开常务会议", date(2026, 11, 18)), ("关于开展冬季消防检查的通知", date(2026, 11, 20))]


def test_an_empty_container_counts_only_on_a_page_that_says_it_is_a_column() -> None:
    page = '<html><body><ul class="list"></ul><script src="/js/loadList.js"></script></body></html>'
    assert shows_empty_list(_root(page), page, column_page=False) is False
    crumb = page.replace("<body>", "<body><div>当前位置：首页 &gt; 通知公告</div>")
    parsed, _ = extract_page("http://www.example.gov.cn/tzgg/", crumb, site="县", today=TODAY_NOV)
    bare, _ = extract_page("http://www.example.gov.cn/tzgg/", page, site="县", today=TODAY_NOV)
    assert (parsed.empty_list, bare.empty_list) == (True, False)
