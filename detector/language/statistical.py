"""The suspected layer (rule `statistical`): a common word with one character slipped, where the
segmenter shows the slip broke the word — probable, not certain, so reported as `suspected_typo` for a
person to confirm (`govwatch review`), never ticketed before.

Vocabulary: jieba's dictionary words of two characters counted at least `MIN_COUNT` times (1,028, the
common words of any writing, official writing included: 城市, 政府, 发展), of common characters. Each
yields the strings one sound- or shape-alike away (confusion.py), the slipped character not among the
`COMMONEST` characters, that are no dictionary word nor the start of one: 城市 → 城施. Many such strings
are real words jieba lacks (限行, 视情, 还湿) or real sequences it cuts as it would a slip (暂不付表决):
the strings this rule reports in 19 million characters of correct official writing (laws and work
reports, none of the precision corpus) are listed in wordlists/language/attested.tsv and left out.
Without that list a vocabulary from a count of 5,000 flagged correct prose eight times as often as
one from 20,000 (about 150 words); with it, at 5,000, the precision corpus draws 18 suspicions on
5.12 MB (BENCHMARKS.md). A hit must lie on word boundaries, as
every non-strict term does (全部暑期 is 全部/暑期: no 部暑), and, here, break into tokens of one
character each (置办/年/贷): a stretch jieba reads as a word of its own (a name, a term) is not a slip.
Sparse by design: on real government prose it must stay below about one per 100,000 characters.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from wordlists import Entry

from .base import Hit, Rule, attested
from .confusion import common_chars, shape_alikes, sound_alikes
from .nearmiss import substrings
from .segmenter import tokenizer, tokens

MIN_COUNT = 5000
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
    """Suspect entries for the slips of the vocabulary that no listed or fixed name holds and that
    correct official writing does not hold."""
    return tuple(e for e in candidates(lexicon) if e.term not in attested())


@lru_cache(maxsize=4)
def candidates(lexicon: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Suspect entries for the slips of the vocabulary that no listed or fixed name holds, before the
    attested ones are left out (bench/language/attested.py counts these in correct writing)."""
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
