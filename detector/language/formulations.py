"""Fixed political formulations and their usual corruptions (rule `formulation`), generated.

The formulations (wordlists/language/formulations.tsv) yield, as strict errors:
- `phrase`: an inner word dropped (习近平中国特色社会主义思想), two inner words swapped, a 的 dropped
  (以习近平同志为核心党中央) — words as jieba cuts them; the first and last words stay, as a
  truncation at either end is often a correct shorter phrase;
- `numbered`: the numeral changed (三个全面, 六位一体), confirmed by segmentation as listed words are
  (两个代表团 is no 两个代表), and only where the changed form is no formulation or word of its own
  (三位一体);
- `series`: its items (separated by 、) in any other order (协调、创新、绿色、开放、共享): the order of a
  fixed series is part of it; and, where the items share a head or a tail (政治意识、大局意识 …), one
  item replaced by another of that shape and length, the rest in place (政治意识、大局意识、核心意识、
  服从意识; 道路自信、理论自信、制度自信、文明自信). Searched from probes: the items before the one
  replaced (those after it, for the first), then judged by `expand`.
And every fixed name (`name` entries) whose parts are joined by 和 with 与 or 及 instead (人力资源与社会保障厅:
the names of the organs are fixed, and the conjunction is their commonest slip; 和 inside a word, as in
共和国, is not a joint). And the congresses' numbers: a plenum beyond the last one of a finished Central Committee (十八届八中
全会: the 12th to 19th held seven, the 14th five), an NPC or CPPCC session beyond the fifth of a term,
the wrong order of term and body (全国人大十四届二次会议 for 十四届全国人大二次会议, 十四届全国政协二次
会议 for 全国政协十四届二次会议), and 开幕式/闭幕式 for the sessions' 开幕会/闭幕会. And the sixty names of the sexagenary cycle with a
character mistaken for a shape-alike (已亥 for 己亥, 丙戍 for 丙戌).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from itertools import chain, permutations
from os.path import commonprefix
from typing import Iterable, Iterator

import wordlists
from wordlists import Entry

from .base import Hit, Rule
from .confusion import shape_alikes
from .nearmiss import substrings
from .segmenter import is_cjk, tokenizer

NUMERALS = "一二三四五六七八九十"
_SOURCE = "规范提法（自动生成）"
# Plenums held by each finished Central Committee (the 20th, still sitting, is not judged).
_LAST_PLENUM = {"十二": 7, "十三": 7, "十四": 5, "十五": 7, "十六": 7, "十七": 7, "十八": 7, "十九": 7}
_TERMS = ("九", "十", "十一", "十二", "十三", "十四", "十五")  # NPC and CPPCC terms, five sessions each
_SESSIONS = 5
STEMS, BRANCHES = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌亥"
_MISTAKEN = frozenset(STEMS + BRANCHES + "已戍戎末")  # what is written for them: 已 for 己, 戍 for 戌
SERIES_SEPARATOR, MAX_SERIES = "、", 6  # 720 orders of six items, 5,040 of seven: longer ones are split
_COMMON_CHAR = 10000  # jieba's count of a character as a word of its own from which it is common


class FormulationRule(Rule):
    name = "formulation"

    def entries(self) -> Iterable[Entry]:
        shields = substrings(e.term for e in self.lexicon if e.category in ("allow", "name"))
        listed = {e.term for e in self.lexicon}  # a listed form rules itself: 三个自信 is dated, not wrong
        errors = [e.term for e in self.lexicon if e.category in ("error", "sensitive")]
        joints = _joints(tuple(e for e in self.lexicon if e.category == "name" and not e.titles))
        generated = (e for e in (*_generated(), *joints) if e.term not in shields and e.term not in listed
                     and not any(t in e.term for t in errors))  # a listed error inside it reports it already
        return chain(generated, (Entry(frame, "probe", rule=self.name) for frame in _frames()))

    def expand(self, text: str, probe: Hit, published: date | None) -> Iterator[Hit]:
        for items, i in _frames()[probe.entry.term]:
            item = items[i]
            if i:  # the probe is the items before it, those after it must follow
                start = probe.end
                after = "".join(SERIES_SEPARATOR + later for later in items[i + 1:])
                if not text.startswith(after, start + len(item)):
                    continue
            else:  # the probe is the items after it
                start = probe.start - len(item)
            written = text[max(0, start):start + len(item)]
            if len(written) == len(item) and _replaces(written, item, items):
                yield Hit(Entry(written, "error", item, strict=True, source=_SOURCE, rule=self.name),
                          start, start + len(item))


def _replaces(written: str, item: str, items: tuple[str, ...]) -> bool:
    """Whether `written` stands for `item` of a series: another string of its shape (the items'
    shared head and tail), no item of it, and all Han characters (not a shorter item and a comma)."""
    head, tail = _affixes(items)
    return (written not in items and written.startswith(head) and written.endswith(tail)
            and all(is_cjk(c) for c in written))


@lru_cache(maxsize=None)  # a handful of series, asked at every probe hit
def _affixes(items: tuple[str, ...]) -> tuple[str, str]:
    """What every item of a series begins and ends with (意识 of 政治意识、大局意识 …)."""
    head = commonprefix(list(items))
    tail = commonprefix([item[::-1] for item in items])[::-1]
    return head, tail


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, ...], ...]:
    """The rows of formulations.tsv, read once for the generated entries and the series' probes."""
    return wordlists.language_data("formulations.tsv")


@lru_cache(maxsize=1)
def _frames() -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """For every item of every series whose items share a head or a tail, the probe that leads to
    it: the items before it and a separator, or for the first item a separator and the items after."""
    frames: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for formulation, kind in _rows():
        items = tuple(formulation.split(SERIES_SEPARATOR))
        if kind != "series" or not any(_affixes(items)):
            continue
        for i in range(len(items)):
            before, after = items[:i], items[i + 1:]
            frame = "".join(x + SERIES_SEPARATOR for x in before) or "".join(SERIES_SEPARATOR + x for x in after)
            frames.setdefault(frame, []).append((items, i))
    return {frame: tuple(found) for frame, found in frames.items()}


@lru_cache(maxsize=1)
def _generated() -> tuple[Entry, ...]:
    found: dict[str, Entry] = {}
    rows = _rows()
    correct = {formulation for formulation, _ in rows}
    for formulation, kind in rows:
        pairs = (_phrase(formulation) if kind == "phrase" else _series(formulation) if kind == "series"
                 else _numbered(formulation, correct))
        for wrong, strict in pairs:
            if wrong not in correct and wrong not in found:
                found[wrong] = Entry(wrong, "error", formulation, strict=strict, source=_SOURCE,
                                     rule=FormulationRule.name)
    for wrong, right in _congresses():
        found.setdefault(wrong, Entry(wrong, "error", right, strict=True, source=_SOURCE, rule=FormulationRule.name))
    for wrong, right, strict in _cycle():
        found.setdefault(wrong, Entry(wrong, "error", right, strict=strict, source=_SOURCE, rule=FormulationRule.name))
    return tuple(found.values())


def _cycle() -> Iterator[tuple[str, str, bool]]:
    """The sixty names of the sexagenary cycle (干支纪年: 己亥, 戊戌) with one character mistaken for a
    shape-alike (已亥, 丙戍), where the result is no name of the cycle nor a word: strict before 年;
    alone, confirmed by segmentation, only when the mistaken character is none of the cycle's (孔乙己
    holds no 乙巳) and not both characters are common words of their own (已未: 已 and 未)."""
    freq = tokenizer().FREQ
    names = {STEMS[i % 10] + BRANCHES[i % 12] for i in range(60)}
    names_chars = frozenset(STEMS + BRANCHES)
    for name in sorted(names):
        for i, char in enumerate(name):
            for other in shape_alikes(char) & _MISTAKEN:
                wrong = name[:i] + other + name[i + 1:]
                if wrong in names or freq.get(wrong):
                    continue
                yield f"{wrong}年", f"{name}年", True
                if other not in names_chars and min(freq.get(wrong[0], 0), freq.get(wrong[1], 0)) < _COMMON_CHAR:
                    yield wrong, name, False


@lru_cache(maxsize=4)
def _joints(names: tuple[Entry, ...]) -> tuple[Entry, ...]:
    found = []
    for name in names:
        words = list(tokenizer().cut(name.term, HMM=False))
        for i in range(1, len(words) - 1):
            if words[i] == "和":
                for other in ("与", "及"):
                    wrong = "".join(words[:i] + [other] + words[i + 1:])
                    found.append(Entry(wrong, "error", name.term, strict=True, severity=name.severity,
                                       source=f"{name.source}（自动生成）", rule=FormulationRule.name))
    return tuple(found)


def _phrase(formulation: str) -> Iterator[tuple[str, bool]]:
    words = list(tokenizer().cut(formulation, HMM=False))
    for i in range(1, len(words) - 1):
        yield "".join(words[:i] + words[i + 1:]), True
        if i + 1 < len(words) - 1:
            yield "".join(words[:i] + [words[i + 1], words[i]] + words[i + 2:]), True
    for i, char in enumerate(formulation):
        if char == "的":
            yield formulation[:i] + formulation[i + 1:], True


def _series(formulation: str) -> Iterator[tuple[str, bool]]:
    items = formulation.split(SERIES_SEPARATOR)
    for order in permutations(items):  # a series has at most MAX_SERIES items (a test keeps it so)
        if list(order) != items:
            yield SERIES_SEPARATOR.join(order), True


def _numbered(formulation: str, correct: set[str]) -> Iterator[tuple[str, bool]]:
    numeral = next((c for c in formulation if c in NUMERALS or c == "两"), "")
    if not numeral:
        return
    for other in "两" + NUMERALS[2:9]:  # 两 … 九 (二 is written 两 in these formulas)
        wrong = formulation.replace(numeral, other, 1)
        if other != numeral and not tokenizer().FREQ.get(wrong):  # 三位一体 is a word of its own
            yield wrong, False


def _congresses() -> Iterator[tuple[str, str]]:
    for term, last in _LAST_PLENUM.items():
        for n in range(last + 1, 10):
            yield f"{term}届{NUMERALS[n - 1]}中全会", f"{term}届一中全会至{NUMERALS[last - 1]}中全会"
    for term in _TERMS:
        for n in range(1, 10):
            session = NUMERALS[n - 1]
            if n > _SESSIONS:
                yield f"{term}届全国人大{session}次会议", f"{term}届全国人大一次会议至五次会议"
                yield f"全国政协{term}届{session}次会议", f"全国政协{term}届一次会议至五次会议"
                continue
            yield f"全国人大{term}届{session}次会议", f"{term}届全国人大{session}次会议"
            yield f"{term}届全国政协{session}次会议", f"全国政协{term}届{session}次会议"
            for wrong, right in (("开幕式", "开幕会"), ("闭幕式", "闭幕会")):
                yield f"{term}届全国人大{session}次会议{wrong}", f"{term}届全国人大{session}次会议{right}"
                yield f"全国政协{term}届{session}次会议{wrong}", f"全国政协{term}届{session}次会议{right}"
