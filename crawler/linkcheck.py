"""How a link target's outcome is judged: dead reasons in Chinese, and soft-404 pages.

Dead: HTTP ≥ 400, refused or reset connections, DNS or TLS failures, timeouts, redirect loops, and
soft 404s — 200 pages that say they do not exist. A word is not enough: live notices carry 文号 such
as 〔2025〕404号 and 国务院令第404号, and rumour rebuttals say that something 不存在. A page is a soft
404 when
- its title or main heading (h1) *is* an error phrase: a segment of it, between separators such as
  ` - `, `_`, `|`, matches one whole (`页面不存在 - 某某县人民政府`, `404 Not Found`,
  `抱歉，您访问的页面不存在！`); or
- its visible text is short (no article, only a template around a message) and holds an error
  phrase as a clause of its own — starting the text, a line or a sentence, or after 对不起/抱歉 —
  that speaks of the page (您访问的页面不存在, 404 Not Found); a phrase that speaks of an item
  (该信息已被删除) counts only when the text carries no date, since a dated text is an article
  (a rebuttal saying 经核实，该信息不存在 is one).
"""

from __future__ import annotations

import re

import ahocorasick

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from core.model import LinkStatus

from .dates import states_a_date

_SHORT_BODY = 1000  # characters: a template's navigation and footer fit, an article with them does not

# "404" with what error pages put around it: HTTP 错误 404.0, HTTP Status 404, Error 404, 404错误页面.
_CODE = r"(?:http\s*)?(?:(?:error|错误|status)\s*)?404(?:\.\d+)?(?:\s*(?:error|错误)(?:页面?)?)?"
# The same, but never a bare 404: in running text that is too often a document number.
_CODE_WORDED = (r"(?:http|error|错误|status)\s*(?:(?:error|错误|status)\s*)?404(?:\.\d+)?"
                r"|404\s*(?:error|错误)(?:页面?)?")
_OR_GONE = r"(?:或(?:已(?:被)?)?(?:删除|移除|撤销|撤回|下线|失效|过期|不存在))?"
_PAGE_GONE = r"(?:不存在|未找到|找不到了?|无法找到|已(?:被)?(?:删除|移除|撤销|撤回|下线|失效|过期)|失效了|走丢了|不见了)"
# Statements about the requested page itself.
_PAGE_PHRASE = (
    r"(?:(?:您|你)?(?:所|要)?(?:访问|请求|查找|浏览|打开|查看|找)的"
    r"(?:页面|网页|网址|链接|地址|文件|信息|文章|内容|栏目|资源|稿件)"
    r"|(?:该|此|当前)?(?:页面|网页|网址|链接))" + _PAGE_GONE + _OR_GONE
    + r"|(?:找不到|无法找到|未找到)(?:该|此|您要的|你要的|您要访问的|您所访问的|您访问的|您请求的|所请求的|相关|指定的)?"
    r"(?:页面|网页|文件或目录|网址|页)"
    r"|错误页面?|页面出错了?|出错了|出错啦"
    r"|(?:the\s+)?(?:requested\s+)?(?:page|file|resource|url|document)(?:\s+or\s+directory)?"
    r"(?:\s+(?:you\s+(?:are\s+looking\s+for|requested)|\S+))?"
    r"\s+(?:(?:was|could|can)\s*not\s+(?:be\s+)?found|cannot\s+be\s+found|does\s+not\s+exist|not\s+found)"
    r"(?:\s+on\s+this\s+server)?"
    r"|(?:page\s+)?not\s+found"
)
# Statements about an item (an article, a record): a rebuttal or a notice may say these too.
_ITEM_PHRASE = (r"(?:该|此|当前)?(?:信息|文章|内容|稿件|文档|文件|新闻|栏目|记录)"
                r"(?:不存在|已(?:被)?(?:删除|移除|撤销|撤回|下线))" + _OR_GONE)
_PHRASE = (rf"(?:{_CODE}\s*[-–—:：|]*\s*)?(?:(?P<page>{_PAGE_PHRASE})|(?P<item>{_ITEM_PHRASE}))"
           rf"(?:\s*[(（]\s*404\s*[)）])?")
_BODY_PHRASE = re.compile(rf"{_PHRASE}|(?P<code>{_CODE_WORDED})", re.I)
# Every match of _BODY_PHRASE and of _WHOLE_PHRASE holds one of these (lower case): a text or a
# title without any is not searched, since trying the phrase at every position of a short page cost
# more than the rest of judging it, and the titles of a crawl's pages a per cent of its time.
_BODY_PHRASE_WORDS = ("不存在", "找到", "找不到", "删除", "移除", "撤销", "撤回", "下线", "失效", "过期",
                      "走丢", "不见", "错误", "出错", "found", "exist", "404")
_WHOLE_PHRASE = re.compile(rf"{_PHRASE}|{_CODE}", re.I)

_TITLE_SEPARATOR = re.compile(r"\s*[-–—_|｜·•:：>»]+\s*|\s{2,}|\u3000")
_APOLOGY = r"(?:(?:很|非常)?(?:对不起|抱歉)|sorry|oops)[，,!！.。~～\s]*"
_LEADING_APOLOGY = re.compile(rf"^\s*{_APOLOGY}", re.I)
_APOLOGY_BEFORE = re.compile(rf"{_APOLOGY}$", re.I)
_TRAILING_ADVICE = re.compile(
    r"[，,]\s*(?:请|返回|点击|您可以|你可以|可能|系统将|\d+\s*秒).*$|[!！。.~～…\s]+$", re.S)
_CLAUSE_START = "。！!？?；;：:|>】]）)"
_CLAUSE_END = "，,。！!？?；;.…~～|（(【[<"
_ADVICE_START = ("请", "返回", "点击")


def soft_404(title: str, text: str, *, heading: str = "") -> str:
    """The error phrase that marks a 200 page as “not found”, or "".

    `heading` is the page's main heading (its first h1), where templates that keep the site's
    name as the title put the message.
    """
    for line in (title, heading):
        if not may_say_not_found(line):  # nearly every title: no segment of it can be a phrase
            continue
        for segment in _TITLE_SEPARATOR.split(line):
            segment = _TRAILING_ADVICE.sub("", _LEADING_APOLOGY.sub("", segment.strip()))
            if segment and _WHOLE_PHRASE.fullmatch(segment):
                return segment
    if len(text) > _SHORT_BODY or not may_say_not_found(text):
        return ""
    for match in _BODY_PHRASE.finditer(text):
        if _is_clause(text, match.start(), match.end()) and (
                not match["item"] or not states_a_date(text)):
            return " ".join(match.group(0).split())
    return ""


def _any_of(words: tuple[str, ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


_PHRASE_WORD_FINDER = _any_of(_BODY_PHRASE_WORDS)  # one pass over the text, where `in` made one a word


def may_say_not_found(text: str) -> bool:
    """Whether `text` holds a word every error phrase holds (see _BODY_PHRASE_WORDS): a text
    without one never makes a page a soft 404. Run on every page's HTML and on titles: one
    automaton pass took half the time of one `in` a word, on both."""
    return next(_PHRASE_WORD_FINDER.iter(text.lower()), None) is not None


def html_may_say_not_found(html: str) -> bool:
    """Whether a page may say "not found" anywhere a soft-404 verdict reads (title, heading, text),
    judged on its HTML: these hold no word the HTML does not, unless written as character
    references. Spares parsing the pages that cannot."""
    return "&#" in html or may_say_not_found(html)


def _is_clause(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands as a clause of its own, not as part of a longer sentence."""
    before, after = text[:start], text[end:]
    starts = (not before or before[-1].isspace() or before[-1] in _CLAUSE_START
              or bool(_APOLOGY_BEFORE.search(before[-20:])))
    ends = not after or after[0].isspace() or after[0] in _CLAUSE_END or after.startswith(_ADVICE_START)
    return starts and ends


def from_status(url: str, status: int, title: str = "", text: str = "", *, heading: str = "") -> LinkStatus:
    if status >= 400:
        return LinkStatus(url, False, status, f"HTTP {status}")
    phrase = soft_404(title, text, heading=heading) if status < 300 else ""
    if phrase:
        return LinkStatus(url, False, status, f"疑似软404：页面提示“{phrase}”")
    return LinkStatus(url, True, status)


def from_failure(url: str, failure: Failure, timeout: float) -> LinkStatus:
    return LinkStatus(url, False, None, describe(failure, timeout))


def describe(failure: Failure, timeout: float) -> str:
    exc = failure.value
    if isinstance(exc, IgnoreRequest) and "redirect" in str(exc).lower():
        return "重定向循环或重定向次数过多"
    if isinstance(exc, (CannotResolveHostError, net.DNSLookupError)):
        return "域名解析失败"
    if isinstance(exc, (DownloadConnectionRefusedError, net.ConnectionRefusedError)):
        return "连接被拒绝"
    if isinstance(exc, (DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError)):
        return f"访问超时（超过 {timeout:g} 秒）"
    if _is_tls(exc):
        return "TLS/SSL 握手失败"
    if isinstance(exc, (DownloadFailedError, ResponseDataLossError, ResponseNeverReceived,
                        ResponseFailed, net.ConnectionLost, net.ConnectionDone, net.ConnectError)):
        return "连接被重置或中断"
    return f"无法访问：{type(exc).__name__}"


def _is_tls(exc: BaseException) -> bool:
    reasons = getattr(exc, "reasons", None) or []
    texts = [repr(exc)] + [repr(getattr(r, "value", r)) for r in reasons]
    return any("SSL" in t or "ssl" in t or "TLS" in t for t in texts)
