"""How link outcomes are judged: statuses, soft 404s and failure reasons.

Soft-404 pages are read with `title_heading_text`, as the spider reads a link target.
"""

from __future__ import annotations

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest
from twisted.python.failure import Failure

from crawler import linkcheck
from crawler.extract import title_heading_text


_NAV = ('<div class="top"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/zwfw/">政务服务</a> '
        '<a href="/hdjl/">互动交流</a> <a href="/zjxq/">走进某某</a></div>')
_FOOTER = ('<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>'
           '<p>主办：某某县人民政府办公室　承办：某某县大数据发展中心</p>'
           '<p>网站标识码：5115230001　蜀ICP备12345678号-1　川公网安备 51152302000123号</p></div>')

# Error pages as servers and CMSs send them with status 200.
SOFT_404_PAGES = {
    "nginx default": (
        "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center>"
        "<hr><center>nginx/1.20.1</center></body></html>", "404 Not Found"),
    "Apache default": (
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
        "<p>The requested URL /xxgk/tzgg/202001/t20200101_1.html was not found on this server.</p>"
        "</body></html>",
        "404 Not Found"),
    "Apache default, title lost": (
        "<html><body><h1>Not Found</h1>"
        "<p>The requested URL /art/2019/3/1/art_1_99.html was not found on this server.</p></body></html>",
        "Not Found"),
    "IIS 6 Chinese": (
        "<html><head><title>无法找到该页</title></head><body><h1>无法找到该页</h1>"
        "您正在搜索的页面可能已经删除、更名或暂时不可用。<hr><p>请尝试以下操作：</p><ul>"
        "<li>确保浏览器的地址栏中显示的网站地址的拼写和格式正确无误。</li></ul>"
        "<h2>HTTP 错误 404 - 文件或目录未找到。<br>Internet 信息服务 (IIS)</h2></body></html>", "无法找到该页"),
    "IIS 7 Chinese": (
        "<html><head><title>404 - 找不到文件或目录。</title></head><body><div id=\"header\"><h1>服务器错误</h1>"
        "</div><div id=\"content\"><fieldset><h2>404 - 找不到文件或目录。</h2>"
        "<h3>您要查找的资源可能已被删除，已更改名称或者暂时不可用。</h3></fieldset></div></body></html>", "404"),
    "IIS 7.5 detailed": (
        "<html><head><title>IIS 7.5 详细错误 - 404.0 - Not Found</title></head><body>"
        "<div id=\"header\"><h1>HTTP 错误 404.0 - Not Found</h1></div>"
        "<h2>您要找的资源已被删除、已更名或暂时不可用。</h2></body></html>", "404.0"),
    "ASP.NET": (
        "<html><head><title>The resource cannot be found.</title></head><body>"
        "<h1>Server Error in '/' Application.</h1><h2><i>The resource cannot be found.</i></h2>"
        "<b>Requested URL: </b>/web/detail.aspx</body></html>", "The resource cannot be found"),
    "Tomcat": (
        "<html lang=\"en\"><head><title>HTTP Status 404 – Not Found</title></head><body>"
        "<h1>HTTP Status 404 – Not Found</h1><hr class=\"line\" /><p><b>Type</b> Status Report</p>"
        "<p><b>Message</b> /jcms/jcms_files/jcms1/web1/site/art/2009/10/19/art_140_21.html</p>"
        "<p><b>Description</b> The origin server did not find a current representation for the target "
        "resource or is not willing to disclose that one exists.</p><hr class=\"line\" />"
        "<h3>Apache Tomcat/8.5.51</h3></body></html>", "HTTP Status 404"),
    "WebLogic": (
        "<html><head><title>Error 404--Not Found</title></head><body><h2>Error 404--Not Found</h2>"
        "<h3>From RFC 2068 Hypertext Transfer Protocol -- HTTP/1.1:</h3><h4>10.4.5 404 Not Found</h4>"
        "<p>The server has not found anything matching the Request-URI.</p></body></html>", "Error 404"),
    "TRS template, site name as title": (
        f"<html><head><title>某某市人民政府门户网站</title></head><body>{_NAV}"
        "<div class=\"error\"><img src=\"/images/404.png\"><p>抱歉，您访问的页面不存在或已被删除！</p>"
        f"<p><span id=\"sec\">5</span>秒后自动返回首页</p></div>{_FOOTER}</body></html>",
        "您访问的页面不存在或已被删除"),
    "TRS template with a dated hot-news list": (
        f"<html><head><title>某某市人民政府门户网站</title></head><body>{_NAV}"
        "<div class=\"error\"><p>对不起，您访问的页面不存在！</p></div><div class=\"rdxw\"><h3>热点新闻</h3><ul>"
        "<li><a href=\"/xwzx/1.html\">我县召开2025年冬季森林防火工作会议</a><span>2025-11-20</span></li></ul></div>"
        f"{_FOOTER}</body></html>", "您访问的页面不存在"),
    "Hanweb deleted article": (
        "<html><head><title>提示信息</title></head><body><table><tr><td>"
        "<div class=\"msg\">该信息已被删除或不存在！</div><a href=\"javascript:history.back()\">返回</a>"
        "</td></tr></table></body></html>", "该信息已被删除或不存在"),
    "Hanweb column gone": (
        "<html><head><title>错误提示</title></head><body><p>温馨提示：您要访问的栏目不存在，请与网站管理员联系。</p>"
        "</body></html>", "您要访问的栏目不存在"),
    "error phrase and site name in the title": (
        f"<html><head><title>页面不存在 - 某某县人民政府</title></head><body>{_NAV}"
        f"<div class=\"main\">{'某某县人民政府欢迎您。' * 100}</div>{_FOOTER}</body></html>", "页面不存在"),
    "site name first, underscore": (
        "<html><head><title>某某县人民政府_您访问的页面不存在</title></head><body></body></html>",
        "您访问的页面不存在"),
    "404 with words in the title": (
        "<html><head><title>404错误页面</title></head><body><div class=\"e404\"></div></body></html>", "404错误页面"),
    "bare 404 title": ("<html><head><title>404</title></head><body><p>页面走丢了</p></body></html>", "404"),
    "message only in the heading": (
        f"<html><head><title>某某县人民政府</title></head><body>{_NAV}"
        "<h1>抱歉，您访问的页面不存在，请返回首页</h1>"
        f"<div class=\"main\">{'推荐阅读：政务公开 政务服务 互动交流。' * 60}</div>{_FOOTER}</body></html>",
        "您访问的页面不存在"),
    "cloud platform": (
        "<html><head><title>某某省政府网站集约化平台</title></head><body><div class=\"box\"><span>404</span>"
        "<p>Oops! 页面走丢了~</p><a href=\"/\">返回首页</a></div></body></html>", "页面走丢了"),
    "404 beside the message": (
        f"<html><head><title>某某县人民政府</title></head><body>{_NAV}<div><b>404</b> <p>页面不存在</p>"
        f"<a href=\"/\">返回首页</a></div>{_FOOTER}</body></html>", "404 页面不存在"),
    "English page not found": (
        "<html><head><title>Page Not Found | 某某县人民政府</title></head><body><p>Sorry.</p></body></html>",
        "Page Not Found"),
    "IE-style message": (
        "<html><head><title>某某区</title></head><body><p>找不到网页</p></body></html>", "找不到网页"),
}


@pytest.mark.parametrize("html, phrase", SOFT_404_PAGES.values(), ids=SOFT_404_PAGES.keys())
def test_soft_404_pages(html: str, phrase: str) -> None:
    title, heading, text = title_heading_text(html)
    assert linkcheck.soft_404(title, text, heading=heading) == phrase
    status = linkcheck.from_status("http://x/", 200, title, text, heading=heading)
    assert not status.ok and status.reason == f"疑似软404：页面提示“{phrase}”"


@pytest.mark.parametrize("html", [html for html, _ in SOFT_404_PAGES.values()], ids=SOFT_404_PAGES.keys())
def test_the_html_of_every_soft_404_page_may_say_not_found(html: str) -> None:
    """The spider parses a link target's HTML for a verdict only where this says it may."""
    assert linkcheck.html_may_say_not_found(html)


def test_words_written_as_character_references_may_say_not_found_and_plain_pages_may_not() -> None:
    words = "".join(f"&#{ord(c)};" for c in "页面不存在")
    html = f"<html><head><title>某某县人民政府</title></head><body><p>{words}</p></body></html>"
    title, heading, text = title_heading_text(html)
    assert linkcheck.soft_404(title, text, heading=heading) == "页面不存在"  # what the guard must not skip
    assert linkcheck.html_may_say_not_found(html)
    assert not linkcheck.html_may_say_not_found(
        "<html><head><title>通知公告</title></head><body><h1>关于开展安全检查的通知</h1><p>正文。</p></body></html>")


# Live pages that mention 404, 不存在 or 删除.
LIVE_PAGES = {
    "document number 〔2025〕404号 in the title": (
        "<html><head><title>关于做好2026年元旦春节期间安全生产工作的通知（某府发〔2025〕404号）</title></head>"
        f"<body>{_NAV}<h1>关于做好2026年元旦春节期间安全生产工作的通知</h1>"
        "<p>某府发〔2025〕404号</p><p>各乡镇人民政府，县级各部门：</p><p>现将有关事项通知如下。</p>"
        f"<p>某某县人民政府</p><p>2025年12月20日</p>{_FOOTER}</body></html>"),
    "document number after a separator": (
        "<html><head><title>某某县人民政府 - 某府发〔2025〕404号</title></head><body><p>正文</p></body></html>"),
    "国务院令第404号": (
        "<html><head><title>中华人民共和国国务院令 第404号</title></head><body><h1>中华人民共和国国务院令</h1>"
        "<p>第 404 号</p><p>《某某条例》已经2004年3月24日国务院第45次常务会议通过，现予公布，自2004年6月1日起施行。</p>"
        "<p>总理 温家宝</p><p>二〇〇四年四月一日</p></body></html>"),
    "404号令 in a heading": (
        "<html><head><title>政策文件</title></head><body><h1>404号令</h1><p>某某市人民政府令第404号</p></body></html>"),
    "rumour rebuttal": (
        "<html><head><title>关于网传“我县将于本周末全城停水”不存在的情况说明</title></head><body>"
        f"{_NAV}<h1>关于网传“我县将于本周末全城停水”不存在的情况说明</h1>"
        "<p>近日，有网民在微信群中转发“我县将于本周末全城停水”的消息。经核实，该信息不存在，请广大市民不信谣、不传谣。</p>"
        f"<p>某某县水务局</p><p>2025年11月20日</p>{_FOOTER}</body></html>"),
    "short rebuttal whose first line says 该信息不存在": (
        "<html><head><title>辟谣</title></head><body><p>该信息不存在，请勿轻信转发。</p>"
        "<p>某某县公安局 二〇二五年十一月二十日</p></body></html>"),
    "report on fixing missing pages": (
        "<html><head><title>整改情况通报</title></head><body><p>关于网站页面不存在问题的整改情况说明</p>"
        "<p>经自查，我局网站存在部分页面不存在、链接失效等问题，现已全部整改。</p><p>2025-11-20</p></body></html>"),
    "a citizen quoting the message": (
        "<html><head><title>网民留言</title></head><body><p>留言内容：办事指南里的链接打开后显示“页面不存在”，请尽快修复。</p>"
        "<p>回复：感谢您的反馈，已修复。</p></body></html>"),
    "an article that deleted something": (
        "<html><head><title>关于删除过期信息的说明</title></head><body>"
        "<p>根据政府网站管理要求，已删除的过期信息共计404条，相关信息已被删除的原因见附件。</p></body></html>"),
    "long page with an error phrase": (
        "<html><head><title>整改情况通报</title></head><body><p>关于网站页面不存在问题的整改情况说明。</p>"
        f"<p>{'正文内容。' * 200}</p><p>您访问的页面不存在</p></body></html>"),
    "errata notice": (
        "<html><head><title>更正启事</title></head><body><p>原文中“404人”有误，应为“440人”。特此更正。</p>"
        "</body></html>"),
}


@pytest.mark.parametrize("html", LIVE_PAGES.values(), ids=LIVE_PAGES.keys())
def test_live_pages_mentioning_errors(html: str) -> None:
    title, heading, text = title_heading_text(html)
    assert linkcheck.soft_404(title, text, heading=heading) == ""
    assert linkcheck.from_status("http://x/", 200, title, text, heading=heading).ok


def test_a_message_only_in_the_heading_needs_the_heading() -> None:
    title, heading, text = title_heading_text(SOFT_404_PAGES["message only in the heading"][0])
    assert linkcheck.from_status("http://x/", 200, title, text).ok
    assert not linkcheck.from_status("http://x/", 200, title, text, heading=heading).ok


def test_item_message_counts_only_without_a_date() -> None:
    assert linkcheck.soft_404("提示", "该信息已被删除！ 返回首页") == "该信息已被删除"
    assert linkcheck.soft_404("提示", "该信息已被删除！ 返回首页 2025-11-20") == ""
    assert linkcheck.soft_404("提示", "您访问的信息已被删除！ 2025-11-20") == "您访问的信息已被删除"


def test_error_title_on_a_redirect_or_error_status_is_not_a_soft_404() -> None:
    assert linkcheck.from_status("http://x/", 302, "页面不存在").ok
    assert linkcheck.from_status("http://x/", 404, "页面不存在").reason == "HTTP 404"


@pytest.mark.parametrize("status, ok", [(200, True), (301, True), (404, False), (500, False), (403, False)])
def test_status_codes(status: int, ok: bool) -> None:
    assert linkcheck.from_status("http://x/", status).ok is ok


@pytest.mark.parametrize("exc, reason", [
    (CannotResolveHostError("x"), "域名解析失败"),
    (DownloadConnectionRefusedError("x"), "连接被拒绝"),
    (DownloadTimeoutError("Getting x took longer than 2 seconds."), "访问超时（超过 2 秒）"),
    (IgnoreRequest("max redirections reached"), "重定向循环或重定向次数过多"),
])
def test_failure_reasons(exc: Exception, reason: str) -> None:
    assert linkcheck.describe(Failure(exc), 2) == reason


# One short message per branch of the body phrase: each must get past the quick word filter.
BODY_MESSAGES = [
    "页面不存在", "网页未找到", "链接找不到了", "页面无法找到", "页面已被删除", "网址已移除", "链接已撤销",
    "页面已撤回", "页面已下线", "页面已失效", "页面已过期", "页面失效了", "页面走丢了", "页面不见了",
    "找不到文件或目录", "无法找到该页面", "错误页面", "页面出错了", "出错啦",
    "The page you are looking for could not be found", "File does not exist", "Page Not Found",
    "该信息不存在", "文章已被删除", "HTTP 404", "Error 404", "404错误",
]


@pytest.mark.parametrize("message", BODY_MESSAGES)
def test_every_body_message_is_found(message: str) -> None:
    assert linkcheck.soft_404("提示", f"某某县人民政府\n{message}\n返回首页") != ""
