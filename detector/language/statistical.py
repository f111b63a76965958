"""The suspected layer (rule `statistical`): a common word with one character slipped, where the
segmenter shows the slip broke the word — probable, not certain, so reported as `suspected_typo` for a
person to confirm (`govwatch review`), never ticketed before.

Vocabulary: jieba's dictionary words of two characters counted at least `MIN_COUNT` times (about 150,
the commonest words of any writing, official writing included: 城市, 政府, 发展), of common characters.
Each yields the strings one sound- or shape-alike away (confusion.py), the slipped character not among
the `COMMONEST` characters, that are no dictionary word nor the start of one: 城市 → 城施. Measured on
the precision corpus, a larger vocabulary (two characters from a count of 3,000, or three characters)
flagged correct prose dozens of times per million characters and tripled the matcher's build time for a
handful of real slips. A hit must lie on word boundaries, as
every non-strict term does (全部暑期 is 全部/暑期: no 部暑), and, here, break into tokens of one
character each (置办/年/贷): a stretch jieba reads as a word of its own (a name, a term) is not a slip.
Sparse by design: on real government prose it must stay below about one per 100,000 characters.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from wordlists import Entry

from .base import Hit, Rule
from .confusion import common_chars, shape_alikes, sound_alikes
from .nearmiss import substrings
from .segmenter import tokenizer, tokens

MIN_COUNT = 20000
COMMONEST = 1000  # a slip into one of the commonest characters (的, 日, 起 …) is too often a word boundary
_WINDOW = 8  # characters segmented on either side of a hit


class StatisticalRule(Rule):
    name = "statistical"

    def entries(self) -> Iterable[Entry]:
        return suspects(self.lexicon)

    def confirm(self, text: str, hit: Hit) -> bool:
        left = max(0, hit.start - _WINDOW)
        return _broken(text[left:hit.end + _WINDOW], hit.start - left, hit.end - left)


@lru_cache(maxsize=4)
def suspects(lexicon: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Suspect entries for the slips of the vocabulary that no listed or fixed name holds."""
    shields = substrings(e.term for e in lexicon if e.category in ("allow", "name"))
    freq = tokenizer().FREQ
    found: dict[str, str] = {}
    for word in _vocabulary():
        for variant in _slips(word):
            if variant not in freq and variant not in shields:
                found.setdefault(variant, word)
    return tuple(Entry(v, "suspect", w, rule=StatisticalRule.name, source="常用词（统计）") for v, w in found.items())


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[str, ...]:
    common = set(common_chars())
    return tuple(w for w, n in tokenizer().FREQ.items() if len(w) == 2 and n >= MIN_COUNT and all(c in common for c in w))


def _slips(word: str) -> Iterator[str]:
    commonest = _commonest()
    for i, char in enumerate(word):
        for other in _alikes(char) - commonest:
            yield word[:i] + other + word[i + 1:]


@lru_cache(maxsize=1)
def _commonest() -> frozenset[str]:
    freq = tokenizer().FREQ
    return frozenset(sorted(common_chars(), key=lambda c: -freq.get(c, 0))[:COMMONEST])


@lru_cache(maxsize=None)
def _alikes(char: str) -> frozenset[str]:
    return (sound_alikes(char) | shape_alikes(char)) & frozenset(common_chars())


@lru_cache(maxsize=4096)
def _broken(window: str, start: int, end: int) -> bool:
    """Whether jieba cuts the window's stretch [start, end) into one-character tokens only."""
    pos = 0
    for token in tokens(window):
        token_end = pos + len(token)
        if pos < end and start < token_end and (len(token) > 1 or pos < start or token_end > end):
            return False
        pos = token_end
    return True
