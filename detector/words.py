"""Term matching for 错敏 words: one Aho–Corasick automaton, hits confirmed by jieba segmentation.

Speed: pyahocorasick looks up a node's children linearly, so with thousands of CJK terms the root
fans out to thousands of characters and throughput falls about tenfold. We therefore match over an
*encoded* text in which every BMP character becomes two symbols (high byte, low byte) taken from two
disjoint private-use ranges: no node has more than 256 children, and because the two ranges are
disjoint a match can only start on a character boundary. Offsets map back by halving.

Precision: a hit whose start or end falls strictly inside a jieba token that does not wholly contain
it straddles a word boundary (台独 in 平台/独立) and is dropped, unless its entry is `strict`. Only a
small window around each hit is segmented. Hits covered by an allow-list match are dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

import ahocorasick
import jieba

from wordlists import Entry

_HIGH, _LOW = 0xE000, 0xE100  # two disjoint private-use ranges of 256 symbols each
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_WINDOW = 10  # characters segmented on either side of a hit


def _fold(code: int) -> int:
    """Case-fold ASCII and map full-width ASCII to half-width, so Ａｂｃ matches abc."""
    if 0xFF01 <= code <= 0xFF5E:
        code -= 0xFEE0
    if 0x41 <= code <= 0x5A:
        code += 0x20
    return code


# Indexed by code point: the two-symbol encoding of each (folded) BMP character.
_TABLE = [chr(_HIGH + (_fold(c) >> 8)) + chr(_LOW + (_fold(c) & 0xFF)) for c in range(0x10000)]


def encode(text: str) -> str:
    if _ASTRAL.search(text):
        text = _ASTRAL.sub("\ufffd", text)  # one char for one char: offsets stay valid
    return text.translate(_TABLE)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int
    end: int


class WordMatcher:
    """Finds confirmed hits of the word-list entries in a text. Build once per process, reuse."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        by_term: dict[str, list[Entry]] = {}
        for entry in entries:
            by_term.setdefault(encode(entry.term), []).append(entry)
        self._automaton = ahocorasick.Automaton()
        for key, group in by_term.items():
            self._automaton.add_word(key, (len(key) // 2, tuple(group)))
        self.size = len(by_term)
        if self.size:
            self._automaton.make_automaton()
        self._tokenizer: jieba.Tokenizer | None = None

    def find(self, text: str, published: date | None = None) -> list[Hit]:
        """Confirmed hits in order of appearance. `published` gates entries marked `after=`."""
        if not self.size or not text:
            return []
        allowed: list[tuple[int, int]] = []
        candidates: list[Hit] = []
        for end2, (length, group) in self._automaton.iter(encode(text)):
            end = end2 // 2 + 1
            start = end - length
            for entry in group:
                if entry.category == "allow":
                    allowed.append((start, end))
                elif entry.after is None or (published is not None and published > entry.after):
                    candidates.append(Hit(entry, start, end))
        confirmed = [
            hit for hit in candidates
            if not any(a <= hit.start and hit.end <= b for a, b in allowed)
            and _ascii_bounded(text, hit.start, hit.end)
            and (hit.entry.strict or self._on_word_boundaries(text, hit.start, hit.end))
        ]
        return _outermost(sorted(confirmed, key=lambda h: (h.start, -h.end)))

    def _on_word_boundaries(self, text: str, start: int, end: int) -> bool:
        left = max(0, start - _WINDOW)
        window = text[left:min(len(text), end + _WINDOW)]
        s, e = start - left, end - left
        pos = 0
        for token in self._tokens(window):
            t_start, t_end = pos, pos + len(token)
            pos = t_end
            contains_hit = t_start <= s and e <= t_end
            if contains_hit:
                return True
            if t_start < s < t_end or t_start < e < t_end:
                return False  # the hit cuts a word in two: 台独 in 平台/独立
        return True

    def prepare(self) -> WordMatcher:
        """Load jieba's dictionary now (about half a second) rather than at the first hit."""
        if self._tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            self._tokenizer = jieba.Tokenizer()
            self._tokenizer.initialize()
        return self

    def _tokens(self, text: str) -> Iterator[str]:
        return self.prepare()._tokenizer.cut(text, HMM=False)  # type: ignore[union-attr]


def _ascii_bounded(text: str, start: int, end: int) -> bool:
    """An ASCII term must not run on into letters or digits: BBIN is not inside BBINGO."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return not ((text[start].isascii() and before.isascii() and before.isalnum())
                or (text[end - 1].isascii() and after.isascii() and after.isalnum()))


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Drop a hit lying inside another hit of the same category: 重庆时时彩计划 is one finding."""
    kept: list[Hit] = []
    for hit in hits:
        if not any(k.entry.category == hit.entry.category and k.start <= hit.start and hit.end <= k.end
                   and (k.start, k.end) != (hit.start, hit.end) for k in kept):
            kept.append(hit)
    return kept
