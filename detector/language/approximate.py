"""An approximate number said twice (rule `approximate`): 约80多平方米, 近百人左右.

约, 大约, 近, 将近 and 大概 before a number (约有, 约为 too) already make it approximate; 多, 余, 左右 and 上下 after it
say so again, a redundancy the style guides and proofreading references correct by dropping one of
the two (约80平方米 or 80多平方米). Found by one regular expression over the text, which runs only where
one of the leading words appears; the segmentation must start a word at the leading word
(签约10多家企业 holds no 约, 最近10多天 no 近). Reported as an erroneous expression with
the number kept once, without the trailing word.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from wordlists import Entry

from .base import Hit, Rule
from .segmenter import splits_at

_NUMBER = r"(?:[0-9０-９]+(?:[.．][0-9０-９]+)?|[一二两三四五六七八九十百千万亿零〇]+)"
_LEAD = r"(?P<lead>大约|将近|大概|约|近)"
# The number, and what may stand between it and 左右/上下: a unit or a measure word (平方米, 人, 公里).
_AGAIN = re.compile(_LEAD + r"(?P<verb>[有为])?(?P<number>" + _NUMBER + r")"
                    r"(?:(?P<more>[多余])|(?P<unit>[^\s\d０-９，。；：、,.;:！？!?（）()“”\"'多余]{0,4}?)(?P<around>左右|上下))")
_LEADS = ("约", "近", "大概")  # every lead word holds one of these
_REACH = 4  # characters of context around the lead word, for its segmentation
_SOURCE = "概数重复"


class ApproximateRule(Rule):
    name = "approximate"

    def scan(self, text: str, published: date | None) -> Iterable[Hit]:
        if not any(lead in text for lead in _LEADS):
            return []
        # the lead word starts a word (签约, 最近 are no 约, 近); it may run into the number (近百 is a word)
        return [self._hit(m) for m in _AGAIN.finditer(text) if splits_at(text, (m.start(),), _REACH)]

    def _hit(self, m: re.Match[str]) -> Hit:
        kept = m["lead"] + (m["verb"] or "") + m["number"] + (m["unit"] or "")
        return Hit(Entry(m.group(), "error", kept, strict=True, severity="low", source=_SOURCE, rule=self.name),
                   m.start(), m.end())

