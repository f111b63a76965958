"""转载来源: an article must say where it comes from, and a repost must come from someone who may be reposted.

《政府网站发展指引》 asks every article to name its source (来源) and the provinces' rules allow
reposts only from Party and government bodies and authoritative news media (江苏: 人民日报、新华社、
中央人民政府网站 …, naming the source site, time and link; since 2021 the national
互联网新闻信息稿源单位名单). Self-media (今日头条, 百家号, 微信公众号 …) never qualify.

Only articles are judged, as every false flag is a ticket to a real office; a letter page (a message of a
consultation column and its reply) is not an article. A source only the ContentSource meta states is
not judged where the page names its publisher (发布机构 …) in its text. An article is an HTML
page that is not a homepage nor the 网站地图, states a publication date (`page.published`: the
header's 发布时间 or the PubDate meta), lists fewer than five dated entries (column pages list
more) and has a body: at least 30 characters of running text (lines with sentence punctuation)
outside links. Attachments are not articles: their source is the page that links them.

The stated source is the 来源 field (`page.source`: 来源, 信息来源, 文章来源 or the ContentSource meta);
only it is judged as a repost's source. A source is not missing either where a note opening a line
or a bracket names one (（转自新华网）, 本文来源：…), or where a 政府信息公开 page names its 发布机构 or
发文机关, or a letter page its 答复单位 or 回复部门: prose (资金来源于…, 以下内容摘自《条例》) is never read as a source.
"""

from __future__ import annotations

import re
from typing import Iterable

from core.model import Finding, Page

from ..base import Context, excerpt, page_finding

MISSING = "missing_source"
UNAUTHORIZED = "unauthorized_source"

MAX_LIST_ITEMS = 5  # a page listing this many dated entries is a column page
MIN_BODY = 30  # characters of running text outside links
_PROSE = re.compile("[。！？，；]")

_EMPTY = {"无", "暂无", "空", "未知", "不详", "null", "none", "-", "—", "/"}  # a field's placeholders
_PLACEHOLDER = "|".join(sorted(map(re.escape, _EMPTY), key=lambda p: (-len(p), p)))

# A source named elsewhere: a note opening a line or a bracket, where the template has no 来源
# field; the publisher in a 政府信息公开 metadata table; the answering body of a letter page. The
# publisher is a value: not blank (the next field's label then follows), not a placeholder (无).
_NAMED_ELSEWHERE = re.compile(
    r"(?:^|[（(【\[])\s*(?:本文来源|(?:本文|文章)?(?:转载自|转自|摘自|原载于?|选自))\s*[:：]?\s*[^\s，。；,;：:）)】]"
    r"|(?:发布机构|发文机关|发文机构|发文单位|发布单位|来源单位|答复单位|回复单位|办理单位|答复机构|回复部门|答复部门"
    r"|办理部门|回复机构)\s*[:：]?\s*(?![^\s:：]{1,8}\s*[:：])" rf"(?!(?i:{_PLACEHOLDER})(?:\s|$))[^\s:：]",
    re.M)

# One stated source may name several (新华社、人民网); each must qualify.
_SEPARATORS = re.compile(r"[、，,；;|｜]")  # not "/": a source may be an address
_BRACKETED = re.compile(r"[（(【\[〔][^）)】\]〕]*[）)】\]〕]")
_QUOTES = re.compile("[“”\"'‘’「」『』《》〈〉]")
_LEAD = re.compile(r"^(?:转载自|转自|摘自|来自|选自|原载于?|综合自?|整理自|据)")
# Where a body publishes: its accounts and sites (某某县教育局公众号 is 某某县教育局).
_CHANNEL = re.compile(r"(?:官方)?(?:微信公众号|公众号|微信|微博|客户端|官网|网站|头条号|抖音号|视频号|网)$")

# Party and government bodies, people's organisations and their offices, by name.
_BODY_WORD = re.compile(
    r"政府|人大|政协|法院|检察院|国务院|党委|纪委|监委|委员会|管委会|中共|共青团|团委|党校|公安|派出所|消防救援"
    r"|海关|税务|气象|边检|街道|社区|居委会|村委会|办事处|总工会|妇联|残联|科协|侨联|文联|工商联|红十字会|联合会")
# Name endings of bodies and their sections (县委宣传部, 县政府办, 秘书科, 执法大队), schools under
# an education bureau, and 政务发布 accounts (上海发布).
_BODY_END = re.compile(r"(?:局|厅|部|委|署|办|办公室|处|科|股|中心|大队|支队|中队|村|学校|中学|小学|幼儿园|发布)$")
# Endings that name a public body only with a level in front (县图书馆, 市疾控中心 …).
_LOCAL_END = re.compile(r"(?:站|所|院|馆|队|协会|学会|大学)$")
_LEVEL = re.compile(r"国家|中国|中央|全国|省|市|县|区|州|盟|旗|镇|乡|村")
_OWN = re.compile(r"^(?:本|原创)")  # 本网, 本站, 本网讯, 原创
_GOV_HOST = re.compile(r"\.(?:gov\.cn|政务)(?:[/:]|$)")
# Self-media and content platforms: named in the suggestion when the source is one of them.
_PLATFORM = re.compile(
    r"今日头条|头条号|百家号|搜狐号|网易号|企鹅号|大鱼号|一点号|澎湃号|微信公众号|公众号|微信|知乎|微博|抖音|快手"
    r"|小红书|哔哩哔哩|bilibili|博客|blog|贴吧|论坛|豆瓣|简书|天涯", re.I)

_SUGGEST_MISSING = "在文章头部注明信息来源：原创稿件注明发布单位，转载稿件注明来源网站、转载时间和原文链接"
_SUGGEST_PLATFORM = ("“{platform}”等自媒体平台不是合规的转载来源，请改从党政机关网站或权威新闻媒体转载，"
                     "注明来源网站、转载时间和原文链接；无法核实原始出处的请撤下")
_SUGGEST_UNLISTED = ("“{source}”不是党政机关或权威新闻媒体（互联网新闻信息稿源单位），请核实原始出处，"
                     "改从合规来源转载并注明来源网站、转载时间和原文链接，或撤下该稿件")


class SourceCheck:
    """An article without a stated source, or reposted from a source that may not be reposted."""

    name = "sources"
    kinds = (MISSING, UNAUTHORIZED)

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]:
        if not is_article(page) or page.letters:  # a letter is no article: it needs no 来源
            return []
        source = _stated_source(page)
        if source and source not in page.text and _NAMED_ELSEWHERE.search(page.text):
            return []  # only a meta tag names it; the page itself names its publisher
        if not source:
            if _NAMED_ELSEWHERE.search(page.text):
                return []
            title = page.meta.get("ArticleTitle") or page.title or page.heading
            return [page_finding(page, MISSING, title, context=_header_line(page), suggestion=_SUGGEST_MISSING,
                                 published=str(page.published))]
        if not ctx.authoritative_sources:
            return []  # without the outlets list every media repost would look unauthorized
        rejected = [part for part in _SEPARATORS.split(source) if not _qualifies(part, page, ctx)]
        if not rejected:
            return []
        platform = next((m[0] for part in rejected if (m := _PLATFORM.search(part))), "")
        suggestion = (_SUGGEST_PLATFORM.format(platform=platform) if platform
                      else _SUGGEST_UNLISTED.format(source=source))
        at = page.text.find(source)
        return [page_finding(page, UNAUTHORIZED, source, suggestion=suggestion,
                             context=excerpt(page.text, at, at + len(source)) if at >= 0 else "",
                             rejected=[part.strip() for part in rejected], platform=platform)]


def is_article(page: Page) -> bool:
    """Whether `page` is an article (see the module's rule): the only pages a source is asked of."""
    if page.kind != "html" or page.is_homepage or page.sitemap or page.published is None:
        return False
    if len(page.list_items) >= MAX_LIST_ITEMS:
        return False
    link_texts = {link.text for link in page.links if link.text}
    body = sum(len(line) for line in page.text.splitlines() if line not in link_texts and _PROSE.search(line))
    return body >= MIN_BODY


def _stated_source(page: Page) -> str:
    """The 来源 the article states ('' for none or a placeholder such as 无)."""
    source = page.source.strip().strip("）)】]")  # a field closing a bracketed note: （来源：新华社）
    return "" if source.casefold() in _EMPTY else source


def _qualifies(part: str, page: Page, ctx: Context) -> bool:
    """Whether one named source is an authoritative outlet, a Party or government body, or the site itself."""
    name = _LEAD.sub("", _QUOTES.sub("", _BRACKETED.sub("", part)).strip()).casefold()
    if not name or any(outlet in name for outlet in ctx.authoritative_sources):
        return True
    return any(_is_body(token, page) for token in name.split())


def _is_body(token: str, page: Page) -> bool:
    if _OWN.match(token) or _GOV_HOST.search(token):
        return True
    if len(token) > 1 and any(token in own or own in token for own in (page.site, page.unit) if own):
        return True
    token = _CHANNEL.sub("", token) or token
    return bool(_BODY_WORD.search(token) or _BODY_END.search(token)
                or (_LOCAL_END.search(token) and _LEVEL.search(token)))


def _header_line(page: Page) -> str:
    """The text line stating the publication date: where the missing 来源 belongs."""
    day = page.published
    if day is None:
        return ""
    stamp = re.compile(rf"{day.year}\s*[-/.年]\s*0?{day.month}\s*[-/.月]\s*0?{day.day}(?!\d)")
    return next((line for line in page.text.splitlines() if stamp.search(line)), "")


CHECK = SourceCheck()
