"""Homophone slips of dictionary words (rule `homophone`): 美伦美奂 for 美轮美奂, 竹桶倒豆子 for 竹筒倒豆子.

Writers type Chinese by pinyin, so the commonest slip is a character read the same way. Listing the
slips of every word would take millions of automaton terms; instead the text is read a second time
as sounds. Each Han character is replaced by a code for its toneless syllable (its first reading in
pypinyin's dictionary), and one automaton over the coded vocabulary finds every stretch that sounds
like a word. Where the characters are not that word and differ from it in one place, it is a slip;
so too where a word of `PAIR_LENGTH` characters or more differs in two neighbouring ones, an input
method's wrong candidate for a two-character part of it (营业支招 for 营业执照, 联席悔意 for 联席会议),
the rest anchoring it: on the tuning halves, 38 more of ECSpell's errors and one more held-out row for
3 more false suspicions on the precision corpus (经济提质 and 教育提质: 提质 is newer than jieba).

The vocabulary is jieba's dictionary words of three characters counted at least `MIN_COUNT` times,
and every one of four to eight: two-character words have too many real homophones (公式/公事) for a
slip to show, rare three-character ones too (第三纪/第三极), but an idiom or set phrase is fixed however
rarely jieba's corpus counted it (夙兴夜寐 4 times, 一年之计在于春 3): on the tuning halves, the longer
words without a count caught 39 more of ECSpell's errors and 5 more held-out rows for 2 more false
suspicions on the precision corpus (BENCHMARKS.md). A word of the vocabulary stands as a word unless
one of its sound is `RATIO` times commoner: jieba lists common misspellings too (竭泽而鱼 3 times
beside 竭泽而渔 21). A stretch is then reported, as a `suspected_typo` for a person to confirm, only
when
- the characters written are common ones (GB2312 level 1), as in every confusion set here: an input
  method offers common characters first, and a rare one is more often a variant form (勠力同心);
- it is far rarer than the word: `RATIO` times, in jieba's counts;
- it is not cut by the segmentation of its context (一式三份 holds no 一十三), and lies in no `allow`
  or `name` entry;
- its sentence reads at least e^`MARGIN` times likelier with the word (jieba's word counts as a
  unigram model), so a stretch that ordinary words explain better stays silent; and e^`WORDS_MARGIN`
  times when the stretch itself reads as ordinary words: 法治建设 is 法治/建设, not a slip of 法制建设,
  but 生活必须品 (生活/必须/品) is one of 生活必需品, a word the unigram model finds overwhelmingly
  likelier there. Set on the tuning half and the precision corpus: at e^10 a real 狭水道 was
  suspected, at e^12 the slip 生活必须品 was not. Two characters slipped are a larger claim than
  one: e^`PAIR_MARGIN` (是指机关 is no slip of 市直机关). A person's name is no such word: 张国青
  (张/国青) is someone else than 张国庆.
Real but rare words jieba does not know (自住性 beside 自主性) remain: hence `suspected_typo`, which
a person confirms or rejects once; those that correct official writing holds (报装材料, 主辅食品: laws
and work reports, none of the precision corpus) are listed in wordlists/language/attested.tsv, as the
`statistical` rule's are, and left out. Tuned on the precision corpus and the tuning half of the
held-out errors (BENCHMARKS.md).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache
from typing import Iterable, Iterator

import ahocorasick

from wordlists import Entry

from .base import Hit, Rule, attested
from .confusion import common_chars, first_reading
from .nearmiss import substrings
from .segmenter import is_cjk, person_names, reads_as_words, splits_at, tokenizer

MIN_COUNT = 10  # for words of three characters; longer ones need only be in the dictionary
MIN_LENGTH, MAX_LENGTH = 3, 8
RATIO = 5  # the word must be counted this many times more often than the stretch
MARGIN = 1.5  # natural log: the corrected sentence must be e^1.5 (4.5) times likelier
WORDS_MARGIN = 11.0  # e^11 (about 60,000) times, for a stretch that reads as ordinary words
PAIR_LENGTH = 4  # a word this long may have two neighbouring characters slipped, the rest anchoring it
PAIR_MARGIN = 4.0  # e^4 (about 55) times, for two characters slipped: a larger claim than one
_REACH = 6  # characters of context either side, within the run of Han characters
_BEYOND = re.compile("[\U00010000-\U0010ffff]")
_BLANK = "  "  # the code of anything that is not a Han character with a reading: in no key


class HomophoneRule(Rule):
    name = "homophone"

    def __init__(self, lexicon: tuple[Entry, ...]) -> None:
        super().__init__(lexicon)
        self._shields = substrings(e.term for e in lexicon if e.category in ("allow", "name"))
        # built with the matcher, so that a kept matcher (govwatch.matchers) holds them
        self._codes, self._index, self._names = _codes(), _index(), _names()
        self._attested = attested()

    def scan(self, text: str, published: date | None) -> Iterable[Hit]:
        if not self._index:
            return
        for last, (length, words, standing) in self._index.iter(_coded(text, self._codes)):
            end = (last + 1) // 2  # every key is whole two-letter codes, so a match is aligned
            start = end - length
            span = text[start:end]
            if span in standing or span in self._shields or span in self._attested:
                continue
            for word in words:
                if _slip_of(text, start, end, word, word in self._names):
                    yield Hit(Entry(span, "suspect", word, rule=self.name, source="常用词（同音）"), start, end)
                    break


def _slip_of(text: str, start: int, end: int, word: str, name: bool) -> bool:
    margin = _margin(text[start:end], word, name)
    return (margin is not None
            and splits_at(text, (start, end), _REACH)
            and _likelier(text, start, end, word, margin))


@lru_cache(maxsize=1 << 16)
def _margin(span: str, word: str, name: bool) -> float | None:
    """What the stretch alone says (cached: a site repeats its phrases from page to page): None when
    it is no slip of `word` (a person's name when `name`), else by how much its sentence must read
    likelier corrected."""
    slipped = [i for i, (a, b) in enumerate(zip(span, word)) if a != b]
    freq = tokenizer().FREQ
    if not (len(slipped) == 1 or _word_slipped(slipped, word)) or any(span[i] not in _common() for i in slipped) \
            or (freq.get(span) or 0) * RATIO >= freq[word]:
        return None
    if not reads_as_words(span, whole=False):
        return MARGIN if len(slipped) == 1 else PAIR_MARGIN
    if name:
        return None
    # Ordinary words: the stretch alone must already read that much likelier as the word, a test
    # cached here, so that the common case (公式 beside 公事) never costs the sentence's segmentation.
    return WORDS_MARGIN if _log_likelihood(word) - _log_likelihood(span) >= WORDS_MARGIN else None


def _word_slipped(slipped: list[int], word: str) -> bool:
    """Whether two neighbouring characters of a word of `PAIR_LENGTH` or more slipped: an input
    method's wrong candidate for a two-character part of it (营业支招 for 营业执照), the rest intact."""
    return len(word) >= PAIR_LENGTH and len(slipped) == 2 and slipped[1] == slipped[0] + 1


def _likelier(text: str, start: int, end: int, word: str, margin: float) -> bool:
    left, right = start, end
    while left > max(0, start - _REACH) and is_cjk(text[left - 1]):
        left -= 1
    while right < min(len(text), end + _REACH) and is_cjk(text[right]):
        right += 1
    corrected = text[left:start] + word + text[end:right]
    return _log_likelihood(corrected) - _log_likelihood(text[left:right]) >= margin


@lru_cache(maxsize=4096)
def _log_likelihood(sentence: str) -> float:
    """The log probability of jieba's best segmentation of `sentence` (its unigram word model)."""
    tok = tokenizer()
    route: dict[int, tuple[float, int]] = {}
    tok.calc(sentence, tok.get_DAG(sentence), route)
    return route[0][0]


def _coded(text: str, codes: list[str]) -> str:
    """The text as sounds, two letters a character (str.translate at C speed)."""
    coded = text.translate(codes)
    if len(coded) != 2 * len(text):  # a character beyond the table (an emoji) was left as it was
        coded = _BEYOND.sub("\x00", text).translate(codes)
    return coded


@cache
def _common() -> frozenset[str]:
    return frozenset(common_chars())


@cache
def _codes() -> list[str]:
    """str.translate's table, by code point: each Han character to two letters naming its syllable
    (an upper-case letter, then a lower-case one, so a match can only start on a character), every
    other character of the Basic Multilingual Plane to blanks (a list indexes faster than a dict)."""
    syllables: dict[str, int] = {}
    table = [_BLANK] * 0x10000
    for code in range(0x4E00, 0xA000):
        syllable = first_reading(chr(code))
        if syllable:
            n = syllables.setdefault(syllable, len(syllables))
            table[code] = chr(0x41 + n // 26) + chr(0x61 + n % 26)
    return table


@cache
def _index() -> ahocorasick.Automaton | None:
    """The coded vocabulary: built once per process (about a second), shared by every matcher."""
    codes = _codes()
    by_sound: dict[str, list[str]] = {}
    for word in _vocabulary():
        by_sound.setdefault(word.translate(codes), []).append(word)
    if not by_sound:
        return None
    freq = tokenizer().FREQ
    automaton = ahocorasick.Automaton()
    for key, words in by_sound.items():
        # A word stands unless a word of its sound is `RATIO` times commoner (竭泽而鱼 beside 竭泽而渔).
        standing = tuple(word for word in words if not any(freq[word] * RATIO < freq[other] for other in words))
        words = tuple(words)  # one tuple for both where all stand (most keys hold one word): 115,000 keys
        automaton.add_word(key, (len(key) // 2, words, words if standing == words else standing))
    automaton.make_automaton()
    return automaton


def _vocabulary() -> Iterator[str]:
    codes = _codes()
    for word, count in tokenizer().FREQ.items():
        if (count >= (MIN_COUNT if len(word) == MIN_LENGTH else 1) and MIN_LENGTH <= len(word) <= MAX_LENGTH
                and all(is_cjk(c) and codes[ord(c)] != _BLANK for c in word)):
            yield word


@cache
def _names() -> frozenset[str]:
    """The vocabulary's people's names (as jieba tags them, not always rightly: 美轮美奂)."""
    names = person_names()
    return frozenset(word for word in _vocabulary() if word in names)
