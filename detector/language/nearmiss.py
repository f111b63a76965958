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
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from wordlists import Entry

from .base import Rule
from .confusion import shape_alikes, sound_alikes
from .segmenter import is_cjk, reads_as_words, tokenizer

MIN_LENGTH = 3  # bare names, and their variants, shorter than this are not generated


class NearMissRule(Rule):
    name = "nearmiss"

    def entries(self) -> Iterable[Entry]:
        return near_misses(self.lexicon)


@lru_cache(maxsize=4)
def near_misses(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Strict error entries for the slips of every `name` entry that no correct text contains.
    Cached: the matchers built from the same lists (each scan, each test module) share one run."""
    listed: dict[str, list[str]] = {}  # reported terms by their first two characters
    for entry in entries:
        if entry.category in ("error", "sensitive"):
            listed.setdefault(entry.term[:2], []).append(entry.term)
    shields = substrings(e.term for e in entries if e.category in ("allow", "name"))
    names = frozenset(e.term for e in entries if e.category == "name")
    generated: dict[str, Entry] = {}
    for name in (e for e in entries if e.category == "name"):
        for term, suggestion in _candidates(name, names):
            if term in generated or term in shields or any(
                    term.startswith(typo, i) and typo not in suggestion
                    for i in range(len(term) - 1) for typo in listed.get(term[i:i + 2], ())):
                continue  # a listed typo inside it (人民检查院 ⊃ 检查院) already reports it
            generated[term] = Entry(term, "error", suggestion, strict=True, severity=name.severity,
                                    source=f"{name.source}（自动生成）", rule=NearMissRule.name)
    return tuple(generated.values())


def _candidates(name: Entry, names: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(variant, correct form) pairs: the bare variants of a fixed name, title-bound ones of a person,
    save those that are another name (李克强 less 克 is 李强)."""
    if not name.titles:
        if len(name.term) >= MIN_LENGTH:
            yield from ((v, name.term) for v in variants(name.term) if _safe_alone(v))
        return
    for v in variants(name.term) - names:
        for title in name.titles:
            yield f"{title}{v}", f"{title}{name.term}"
            yield f"{v}{title}", f"{name.term}{title}"


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


def _safe_alone(variant: str) -> bool:
    """A bare variant may be strict only if correct text cannot contain it."""
    return len(variant) >= MIN_LENGTH and not tokenizer().FREQ.get(variant) and not reads_as_words(variant)


def substrings(terms: Iterable[str]) -> set[str]:
    """Every substring of two characters or more."""
    return {t[i:j] for t in terms for i in range(len(t)) for j in range(i + 2, len(t) + 1)}
