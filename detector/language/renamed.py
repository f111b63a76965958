"""Renamed and abolished organs, renamed diseases, repealed laws: wrong only from a date on (rule
`renamed`, every listed entry with `after=`), judged against the page's own publication date.

A page published before the date is not judged (the matcher gates `after=`), and two uses stay correct
after it: a name after 原 (原农业部, the body as it was), and a citation of a historical document by
its issuing order (2004年7月1日农业部令第38号公布), which names the body that issued it.
"""

from __future__ import annotations

import re
from typing import Iterable

from wordlists import Entry

from .base import Hit, Rule

_FORMER = "原"  # 原农业部: the body as it was
# 农业部令第38号, 农业部令〔2004〕第38号, 中国银保监会令2020年第7号
_ORDER = re.compile(r"^[^。；;\n]{0,12}?令(?:[〔\[（(]?\d{4}[〕\]）)]?年?)?第?[〇零一二三四五六七八九十百千\d]+号")
_ORDER_REACH = 40


class RenamedRule(Rule):
    name = "renamed"

    def entries(self) -> Iterable[Entry]:
        return (e for e in self.lexicon if e.category in ("error", "sensitive") and e.after is not None)

    def confirm(self, text: str, hit: Hit) -> bool:
        if hit.start and text[hit.start - 1] in _FORMER:
            return False
        return not _ORDER.match(text[hit.end:hit.end + _ORDER_REACH])
