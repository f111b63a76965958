"""Renamed and abolished organs, renamed diseases, repealed laws: wrong only from a date on (rule
`renamed`, every listed entry with `after=`), judged against the page's own publication date.

A page published before the date is not judged (the matcher gates `after=`), and these uses stay
correct after it: a name after 原 (原农业部, the body as it was); a citation of a historical document
by its issuing order (2004年7月1日农业部令第38号公布) or by its date and issuers (1988年1月14日由卫生部、
国家旅游局发布的《…》), which names the bodies that issued it; and the clause that repeals a law
(《中华人民共和国婚姻法》…同时废止, as the Civil Code ends), which must name it. Laws in force and the
pages that reproduce them hold all of these.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterable

from wordlists import Entry

from .base import Hit, Rule

_FORMER = "原"  # 原农业部: the body as it was
# 农业部令第38号, 农业部令〔2004〕第38号, 中国银保监会令2020年第7号
_ORDER = re.compile(r"^[^。；;\n]{0,12}?令(?:[〔\[（(]?\d{4}[〕\]）)]?年?)?第?[〇零一二三四五六七八九十百千\d]+号")
_CLAUSE_ENDS = "，,。；;\n"
# 2001年4月3日 (or 1988年) before the issuers, in the same clause; 发布的《 after them
_ISSUED_ON = re.compile(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?")
_ISSUED = re.compile(r"^[^，,。；;：:\n]{0,60}?(?:联合)?(?:发布|公布|印发|颁布|制定|下发)的《")
_REPEALED = "废止"
_REACH = 160  # characters searched for an issuing order, the clause's date or 废止


class RenamedRule(Rule):
    name = "renamed"

    def entries(self) -> Iterable[Entry]:
        return (e for e in self.lexicon if e.category in ("error", "sensitive") and e.after is not None)

    def confirm(self, text: str, hit: Hit) -> bool:
        if hit.start and text[hit.start - 1] in _FORMER:
            return False
        after = text[hit.end:hit.end + _REACH]
        return not (_ORDER.match(after) or _cited_by_date(text, hit, after) or _repealed(text, hit, after))


def _cited_by_date(text: str, hit: Hit, after: str) -> bool:
    """2001年4月3日信息产业部、文化部发布的《…》: a document issued before the renaming, cited by its
    date with the bodies that issued it."""
    if not _ISSUED.match(after) or hit.entry.after is None:
        return False
    dates = list(_ISSUED_ON.finditer(_clause_before(text, hit.start)))
    return bool(dates) and _latest(dates[-1]) <= hit.entry.after


def _repealed(text: str, hit: Hit, after: str) -> bool:
    """The clause repeals the law it names: 《…婚姻法》、《…继承法》…同时废止, 决定废止《…》 (a body
    named beside 废止 is no law repealed: 农业部决定废止… stays an error)."""
    if not hit.entry.term.startswith("《"):
        return False
    ends = [i for i in (after.find(c) for c in _CLAUSE_ENDS) if i >= 0]
    return _REPEALED in _clause_before(text, hit.start) or _REPEALED in after[:min(ends, default=len(after))]


def _clause_before(text: str, start: int) -> str:
    before = text[max(0, start - _REACH):start]
    return before[max(before.rfind(c) for c in _CLAUSE_ENDS) + 1:]


def _latest(match: re.Match[str]) -> date:
    """The last day a date as precise as written can mean: 2001年 → 2001-12-31, 2001年4月 → 2001-04-30."""
    year, month, day = int(match[1]), int(match[2] or 12), int(match[3] or 0)
    try:
        if day:
            return date(year, month, day)
        return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    except ValueError:  # no such date (2001年13月, 0000年): cites nothing
        return date.max
