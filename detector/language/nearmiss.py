"""Near-miss typos of fixed names, generated rather than listed (rule `nearmiss`).

Inspections count a misspelt state organ or leader's name as a serious error, and the misspellings
are too many to list by hand. For every `name` entry we generate the strings one slip away from it:
one character replaced by a sound- or shape-alike (confusion.py), one inner character dropped, or one
inner character doubled. Each becomes a `strict` error entry whose suggestion is the name.

A strict entry skips segmentation, so a variant that correct text can contain would flag correct
pages. Variants are therefore dropped when they are dictionary words, lie inside an allow or name
entry, contain a listed typo, or read as ordinary words (`reads_as_words`). Bare names shorter than
three characters are skipped: every slip of 烈士 is somebody's ordinary word. A person's name is only
matched next to one of its titles (`titles=` in leaders.tsv), because the slips of a bare name are
often other people's names (刘国中 → 刘国忠).

A variant that only reads as ordinary words (民政部 → 民政不, 海关总署 → 海关总数) is still a slip where
the text lists organs: an item of an enumeration (…、X、…, …、X等负责) next to an item that ends with a
fixed name. Such variants are matched too, and stand only in that context (`in_enumeration`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from wordlists import Entry

from .base import Hit, Rule
from .confusion import shape_alikes, sound_alikes
from .segmenter import is_cjk, reads_as_words, tokenizer

MIN_LENGTH = 3  # bare names, and their variants, shorter than this are not generated
LIST_SEPARATOR = "、"
ITEM_BOUNDS = frozenset("、，,；;：:（(）)“”\"《》。 \n\t")  # what may stand either side of a listed item
# What may follow a list's last item: 等, and the verbs of the 按职责分工负责 lists of State Council documents.
LIST_ENDINGS = ("等", "按", "牵头", "负责", "会同", "联合", "分别", "共同", "配合", "和", "及")
LONGEST_ITEM = 20


class NearMissRule(Rule):
    name = "nearmiss"

    def __init__(self, lexicon: tuple[Entry, ...]) -> None:
        super().__init__(lexicon)
        self._entries, self._listed_only = _generated(lexicon)
        self._names = frozenset(e.term for e in lexicon if e.category == "name" and not e.titles)

    def entries(self) -> Iterable[Entry]:
        return self._entries

    def confirm(self, text: str, hit: Hit) -> bool:
        return hit.entry.term not in self._listed_only or in_enumeration(text, hit.start, hit.end, self._names)


def in_enumeration(text: str, start: int, end: int, names: frozenset[str]) -> bool:
    """Whether text[start:end] is a whole item of a list separated by 、 whose item beside it ends with
    a fixed name (市工商局 ends with a name as 工商局 would): 海关总署、税务总局按职责分工负责."""
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else "\n"
    ends_list = after in ITEM_BOUNDS or text.startswith(LIST_ENDINGS, end)
    if before not in ITEM_BOUNDS or not ends_list or LIST_SEPARATOR not in (before, after):
        return False
    neighbours = []
    if before == LIST_SEPARATOR:
        neighbours.append(_item_ending(text, start - 1))
    if after == LIST_SEPARATOR:
        neighbours.append(_item_starting(text, end + 1))
    return any(item[i:] in names for item in neighbours for i in range(len(item) - MIN_LENGTH + 1))


def _item_ending(text: str, end: int) -> str:
    start = end
    while start > max(0, end - LONGEST_ITEM) and text[start - 1] not in ITEM_BOUNDS:
        start -= 1
    return text[start:end]


def _item_starting(text: str, start: int) -> str:
    end = start
    while end < min(len(text), start + LONGEST_ITEM) and text[end] not in ITEM_BOUNDS \
            and not text.startswith(LIST_ENDINGS, end):
        end += 1
    return text[start:end]


def near_misses(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Strict error entries for the slips of every `name` entry that no correct text contains, and
    for those that only a list of organs tells apart."""
    return _generated(entries)[0]


@lru_cache(maxsize=4)
def _generated(entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], frozenset[str]]:
    """The near-miss entries, and those of their terms that stand only in a list of organs. Cached:
    the matchers built from the same lists (each scan, each test module) share one run."""
    listed: dict[str, list[str]] = {}  # reported terms by their first two characters
    for entry in entries:
        if entry.category in ("error", "sensitive"):
            listed.setdefault(entry.term[:2], []).append(entry.term)
    shields = substrings(e.term for e in entries if e.category in ("allow", "name"))
    names = frozenset(e.term for e in entries if e.category == "name")
    generated: dict[str, Entry] = {}
    listed_only: set[str] = set()
    for name in (e for e in entries if e.category == "name"):
        for term, suggestion, alone in _candidates(name, names):
            if term in generated or term in shields or any(
                    term.startswith(typo, i) and typo not in suggestion
                    for i in range(len(term) - 1) for typo in listed.get(term[i:i + 2], ())):
                continue  # a listed typo inside it (人民检查院 ⊃ 检查院) already reports it
            generated[term] = Entry(term, "error", suggestion, strict=True, severity=name.severity,
                                    source=f"{name.source}（自动生成）", rule=NearMissRule.name)
            if not alone:
                listed_only.add(term)
    return tuple(generated.values()), frozenset(listed_only)


def _candidates(name: Entry, names: frozenset[str]) -> Iterator[tuple[str, str, bool]]:
    """(variant, correct form, whether it stands alone) triples: the bare variants of a fixed name
    that are no dictionary word (those that read as words stand only in a list of organs),
    title-bound ones of a person; save those that are another name (李克强 less 克 is 李强)."""
    if not name.titles:
        if len(name.term) >= MIN_LENGTH:
            for v in variants(name.term) - names:
                if len(v) >= MIN_LENGTH and not tokenizer().FREQ.get(v):
                    yield v, name.term, not reads_as_words(v)
        return
    for v in variants(name.term) - names:
        for title in name.titles:
            yield f"{title}{v}", f"{title}{name.term}", True
            yield f"{v}{title}", f"{name.term}{title}", True


def variants(name: str) -> set[str]:
    """Every string one slip from `name`: a CJK character replaced, or an inner one dropped or doubled."""
    from pypinyin import Style, pinyin  # its dictionaries take 0.4 s to load: only when names need them

    readings = [r[0] for r in pinyin(name, style=Style.NORMAL, errors=lambda s: [""] * len(s))]
    found: set[str] = set()
    for i, char in enumerate(name):
        if not is_cjk(char):
            continue
        alikes = (sound_alikes(char, readings[i]) if readings[i] else frozenset()) | shape_alikes(char)
        for other in alikes:
            found.add(name[:i] + other + name[i + 1:])
        if 0 < i < len(name) - 1:
            found.add(name[:i] + name[i + 1:])
            found.add(name[:i] + char + name[i:])
    found.discard(name)
    return {v for v in found if len(v) >= 2}


def substrings(terms: Iterable[str]) -> set[str]:
    """Every substring of two characters or more."""
    return {t[i:j] for t in terms for i in range(len(t)) for j in range(i + 2, len(t) + 1)}
