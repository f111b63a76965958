"""Traditional characters in simplified text (rule `traditional`): 己醜年 for 己丑年, 美容美發.

The 国家通用语言文字法 makes the standard characters the writing of official texts, and the 通用规范汉字表
(2013) is their list. A character outside it that OpenCC maps to one inside it (醜 → 丑, 竄 → 窜) is a
traditional or variant form, typed with a traditional input setting or pasted from a source written in
them (wordlists/language/traditional.tsv). Characters the table keeps for their own uses (乾坤, 著作,
瞭望) are no such form.

A page written in traditional characters throughout (a site's 繁体版) is a version for the readers who
use them: when such characters make up `VERSION_SHARE` of its Han characters or more (and are at least
`VERSION_LEAST`), none is reported. A site's link to that version (繁體) is an `allow` entry. Reported
as `suspected_typo`, for a person to confirm: people's names keep the forms they were registered with
(邓湧川, a county head on a real list page).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Iterable

import wordlists
from wordlists import Entry

from .base import Hit, Rule

VERSION_SHARE = 0.1  # of a page's Han characters: from this share on, the page is a traditional version
VERSION_LEAST = 10  # characters, for that: a short quotation (己醜年) is a slip, whatever its share
_HAN = re.compile("[\u4e00-\u9fff]")
_SOURCE = "通用规范汉字表（2013）"


class TraditionalRule(Rule):
    name = "traditional"

    def __init__(self, lexicon: tuple[Entry, ...]) -> None:
        super().__init__(lexicon)
        self._standard, self._pattern = _table()

    def scan(self, text: str, published: date | None) -> Iterable[Hit]:
        if self._pattern.search(text) is None:  # nearly every page: one pass at C speed
            return []
        found = list(self._pattern.finditer(text))
        if len(found) >= max(VERSION_LEAST, VERSION_SHARE * len(_HAN.findall(text))):
            return []
        return [Hit(Entry(m.group(), "suspect", self._standard[m.group()], strict=True, source=_SOURCE,
                          rule=self.name), m.start(), m.end()) for m in found]


@cache
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    standard = {char: form for char, form in wordlists.language_data("traditional.tsv")}
    return standard, re.compile("[" + "".join(sorted(standard)) + "]")
