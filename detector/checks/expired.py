"""文件已失效未标注: a document whose own text says its validity has ended, and nothing marks it so.

《政府网站发展指引》: 文件修改、废止、失效应明确标注. A 规范性文件 or 制度 states its validity in its
last article: 本办法自2019年1月1日起施行，有效期5年 / 有效期至2022年4月30日 / 有效期为…至…. Only
such self-declarations count: the sentence (or, for a sentence that opens with 有效期, the one
before it) names the document itself (本办法, 本制度, 本通知 …). A certificate's 有效期至 in a 公示
list, or a news report about another document (该办法, 《办法》), is never the page's own validity.

The end is the stated date (a year-month or a year alone: its last day); for 有效期N年 (N个月), the
day before the anniversary of the stated start (自YYYY年M月D日起), or of the page's publication date
when the start is 印发/发布/公布之日; without a start there is no verdict. Of several statements
(有效期延长至…) the latest end counts. The document has expired when that end is before today.

Marked, so silent: a title saying 失效, 废止, 作废, 已修订, 停止执行 …; a metadata field 有效性 (时效性,
效力状态) whose value says so; a mark such as 【已废止】 or a note 此件已失效 in the page.
Attachments are not judged: their marks sit on the page that links them, which they do not carry.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Iterable

from core.model import Finding, Page
from core.text import CharMap

from ..base import Context, excerpt, page_finding

KIND = "expired_document"

_FULLWIDTH = CharMap("０１２３４５６７８９－／．：", "0123456789-/.:")  # one-to-one: offsets stay valid

_CN_DIGITS = {**dict.fromkeys("〇○零", 0), **{c: i for i, c in enumerate("一二三四五六七八九", 1)}, "两": 2}
_CN_MONTH = "十[一二]?|[一二三四五六七八九]"
_CN_DAY = "[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
# A date as a validity phrase writes it: 2022年4月30日, 2022-04-30, 2022年4月, 2022年底, 二〇二二年四月三十日.
_DATE = (r"(?<!\d)(?:\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?!\d)"
         r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?(?:底|末)?"
         rf"|[〇○零一二三四五六七八九]{{4}}\s*年(?:\s*(?:{_CN_MONTH})\s*月(?:\s*(?:{_CN_DAY})\s*[日号])?)?)")
_DATE_PARTS = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]?\s*(?:(?P<m>\d{1,2})\s*[-/.月]?\s*(?:(?P<d>\d{1,2})\s*[日号]?)?)?"
    r"|(?P<hy>[〇○零一二三四五六七八九]{4})\s*年\s*(?:(?P<hm>[十一二三四五六七八九]+)\s*月\s*(?:(?P<hd>[十一二三四五六七八九]+))?)?")

_VALID = r"有效期限?"
_COUNT = r"\d{1,2}|[一二两三四五六七八九十]{1,3}"
_STATEMENTS = re.compile(
    # 有效期为2020年1月1日至2024年12月31日
    rf"{_VALID}\s*[:：]?\s*(?:为|是)?\s*(?:自|从)?\s*{_DATE}\s*起?\s*(?:至|到|—|－|-|~|～)\s*(?P<range_end>{_DATE})"
    # 有效期至2022年4月30日, 有效期延长至…
    rf"|{_VALID}\s*(?:延长)?\s*[:：]?\s*(?:为|是)?\s*(?:至|到|截至|截止(?:至|到)?)\s*(?P<end>{_DATE})"
    # 有效期5年, 有效期自印发之日起3年, 有效期暂定为两年
    rf"|{_VALID}\s*[:：]?\s*(?:为|是)?\s*(?:自[^，。；,;]{{1,20}}?起(?:计算)?\s*)?(?:为|暂定为?)?"
    rf"\s*(?P<count>{_COUNT})\s*(?P<unit>年|个月)"
    # 自2019年1月1日起施行，至2023年12月31日止
    rf"|(?:施行|实施|执行)\s*[，,]?\s*(?:至|到)\s*(?P<until>{_DATE})\s*止")
_EXPLICIT_START = re.compile(rf"自\s*(?P<start>{_DATE})\s*(?:起|开始)")
_PUBLISHED_START = re.compile(r"自\s*(?:印发|发布|公布|颁布|下发|签发|发文|公告)之日起")
# The document speaking of itself: 本办法, 本实施意见, 本暂行规定 …
_SELF = re.compile(r"本(?:实施|暂行|管理|试行)?(?:制度|办法|规定|规范|通知|意见|细则|方案|规划|计划|纲要|决定"
                   r"|公告|通告|文件|政策|措施|条例|规则|规程|标准|准则|指引|指南|目录|清单)")
_SENTENCE_END = re.compile("[。！？\n]")
_MAX_SENTENCE = 200  # characters looked at either side of a statement: bounded work on any page
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+条|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])?\s*")

_MARK_WORDS = re.compile(r"失效|废止|作废|已修订|已修改|停止执行|已过期|已到期")
_STATUS_FIELD = re.compile(r"(?:有效性|时效性|效力状态|文件效力)\s*[:：]?\s*(?P<value>[^\s，。；、,;]+)")
_STATUS_WORDS = re.compile(r"失效|废止|作废|修订|修改|过期|到期|无效|停止")
_MARK = re.compile(
    r"[【\[（(〔]\s*(?:已|该文件已|此件已)?(?:失效|废止|作废|修订|过期)\s*[】\]）)〕]"
    r"|(?:此件|该文件|本文件|该文|此文件)已(?:被)?(?:失效|废止|作废|修订)"
    r"|^\s*已(?:失效|废止|作废|修订)\s*$", re.M)


class ExpiredDocumentCheck:
    """A document past the validity it declares, not marked 失效/废止 in its title or metadata."""

    name = "expired_document"
    kinds = (KIND,)

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]:
        if page.kind != "html":
            return []
        text = _FULLWIDTH(page.text)
        ends = [(end, match) for match in _STATEMENTS.finditer(text)
                if (end := _end(text, match, page.published)) is not None]
        if not ends:
            return []
        end, match = max(ends, key=lambda pair: pair[0])
        if end >= ctx.today or _marked(page, text):
            return []
        evidence = page.text[match.start():match.end()]
        return [page_finding(
            page, KIND, evidence, context=excerpt(page.text, match.start(), match.end()),
            suggestion=(f"该文件有效期已于{end.year}年{end.month}月{end.day}日届满，请在标题和“有效性”信息中标注"
                        "“已失效”（已废止、已修订的标注相应状态）；如已延期，请注明延期依据"),
            end=end.isoformat())]


def _end(text: str, match: re.Match[str], published: date | None) -> date | None:
    """The last valid day `match` states, when its sentence is the document's own; else None."""
    sentence = _sentence(text, match)
    if not _SELF.search(sentence):
        return None
    stated = match["range_end"] or match["end"] or match["until"]
    if stated:
        return _parse(stated, last=True)
    start = _start(sentence, published)
    if start is None:
        return None
    count = _count(match["count"])
    months = count * 12 if match["unit"] == "年" else count
    return _add_months(start, months) - timedelta(days=1)


def _sentence(text: str, match: re.Match[str]) -> str:
    """The sentence holding `match`; with the one before when it opens with the validity itself."""
    start = _sentence_start(text, match.start())
    end_match = _SENTENCE_END.search(text, match.end(), match.end() + _MAX_SENTENCE)
    end = end_match.start() if end_match else min(len(text), match.end() + _MAX_SENTENCE)
    if not _NUMBERING.sub("", text[start:match.start()]).strip():
        start = _sentence_start(text, max(start - 1, 0))
    return text[start:end]


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts, looking back at most _MAX_SENTENCE characters."""
    low = max(0, pos - _MAX_SENTENCE)
    return max((m.end() for m in _SENTENCE_END.finditer(text, low, pos)), default=low)


def _start(sentence: str, published: date | None) -> date | None:
    explicit = _EXPLICIT_START.search(sentence)
    if explicit:
        return _parse(explicit["start"], last=False)
    return published if _PUBLISHED_START.search(sentence) else None


def _parse(written: str, *, last: bool) -> date | None:
    """A written date; a year-month or a year alone is its last day (`last`) or its first."""
    parts = _DATE_PARTS.match(written.strip())
    if parts is None:
        return None
    if parts["hy"]:
        year = int("".join(str(_CN_DIGITS[c]) for c in parts["hy"]))
        month = _count(parts["hm"]) if parts["hm"] else None
        day = _count(parts["hd"]) if parts["hd"] else None
    else:
        year = int(parts["y"])
        month = int(parts["m"]) if parts["m"] else None
        day = int(parts["d"]) if parts["d"] else None
    try:
        if month is None:
            return date(year, 12, 31) if last else date(year, 1, 1)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError:
        return None


def _count(written: str) -> int:
    """1–99 in digits or Chinese: 5, 两, 十, 十二, 二十."""
    if written.isdigit():
        return int(written)
    tens, ten, units = written.rpartition("十")
    if not ten:
        return _CN_DIGITS[units]
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _add_months(start: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (29 Feb → 28 Feb)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _marked(page: Page, text: str) -> bool:
    """Whether the title, a status field or a mark in the page already says the document is no longer valid."""
    titles = (page.title, page.heading, page.meta.get("ArticleTitle", ""))
    if any(_MARK_WORDS.search(title) for title in titles):
        return True
    if any(_STATUS_WORDS.search(field["value"]) for field in _STATUS_FIELD.finditer(text)):
        return True
    return bool(_MARK.search(text))


CHECK = ExpiredDocumentCheck()
