"""jieba, loaded once per process, and what the rules ask of its dictionary.

jieba is imported where it is first used, not with the detector: its import (it imports
pkg_resources) took 0.07–0.13 s of a scan's start before the crawl could be given its plan."""

from __future__ import annotations

import logging
import marshal
import os
import re
import tempfile
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from core.collector import paused

if TYPE_CHECKING:
    import jieba

_NAME_TAGS = frozenset({"nr", "nrfg", "nrt"})  # jieba's tags of people's names
_COMMON = 10  # jieba's count from which a word is common enough to occur beside a variant
# Single characters that stand as words of their own: a variant split around one of them may be
# ordinary text (中华人民和国 → …人民/和/国家…).
FUNCTION_CHARS = frozenset("的地得了着过和与及或是在为对把被从向于以而之其也都就还又再很不没等个这那各每有将并由给让使至到上下中内外前后里")


@cache
def tokenizer() -> jieba.Tokenizer:
    """jieba with its dictionary loaded, shared by the process: the matcher confirms hits with it,
    and the rules read its word counts.

    jieba keeps its prefix dictionary in a cache file of its own, but reads it with `marshal.load`
    from an open file, which takes it object by object through Python calls: 0.65 s of every scan's
    and `check`'s start. Read whole and decoded at once, with the collector paused, it takes 0.2 s.
    Without that file (or with one that does not read), jieba builds it and writes it as before."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    with paused():
        loaded = _cached_prefix_dictionary(tok)
        if loaded is None:
            tok.initialize()
        else:
            tok.FREQ, tok.total = loaded
            tok.initialized = True
    return tok


def _cached_prefix_dictionary(tok: jieba.Tokenizer) -> tuple[dict[str, int], int] | None:
    """What `tok.initialize()` would read from jieba's cache of its default dictionary (the path
    as jieba makes it), or None."""
    import jieba

    if tok.dictionary != jieba.DEFAULT_DICT or tok.cache_file:
        return None
    try:
        with open(os.path.join(tok.tmp_dir or tempfile.gettempdir(), "jieba.cache"), "rb") as file:
            freq, total = marshal.loads(file.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return (freq, total) if isinstance(freq, dict) and isinstance(total, int) else None


def blocks(text: str) -> list[str]:
    """The blocks jieba segments one by one: runs of Han characters, letters and digits, and what
    lies between them."""
    return _block_pattern().split(text)


@cache
def _block_pattern() -> re.Pattern[str]:
    import jieba

    return jieba.re_han_default


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """jieba's tokens of a window around a hit, without its HMM guesses at unknown words. Cached:
    boilerplate (navigation, footers, set phrases) puts the same window around the same hit on page
    after page of a site."""
    return tuple(tokenizer().cut(text, HMM=False))


def splits_at(text: str, positions: tuple[int, ...], reach: int) -> bool:
    """Whether jieba's tokens of the window around `positions` (`reach` characters beyond the outermost)
    cut no word at any of them: each is a word boundary."""
    left = max(0, min(positions) - reach)
    pos = left
    for token in tokens(text[left:max(positions) + reach]):
        if any(pos < at < pos + len(token) for at in positions):
            return False
        pos += len(token)
    return True


@cache
def person_names() -> frozenset[str]:
    """The words jieba's dictionary tags as people's names (nr, nrfg, nrt: 张国庆, 欧阳修). Read from
    its dictionary file once (half a second), as its part-of-speech tokenizer would."""
    names = set()
    with tokenizer().get_dict_file() as lines:  # "word count tag" a line
        for line in lines:
            word, *rest = line.decode("utf-8").split()
            if rest[1:2] and rest[1] in _NAME_TAGS:
                names.add(word)
    return frozenset(names)


def is_word(text: str) -> bool:
    """A word of jieba's dictionary (its FREQ also holds every prefix of a word, with count 0)."""
    return bool(tokenizer().FREQ.get(text))


def reads_as_words(text: str, whole: bool = True) -> bool:
    """Whether `text` could be a stretch of correct text: a run of common words (or words of one
    character such as 和), perhaps after a character ending a word outside it and before the start
    of a word outside it: 社会/主意, 前往/沪宁, 个人/政府, 国家/医疗/保障 + 居民, 确认/民政/协议.
    `whole=False` does not take the whole text as one word: jieba's dictionary, counted from real
    writing, lists common misspellings too (竭泽而鱼, 3 times against 竭泽而渔's 21)."""
    freq = tokenizer().FREQ
    reachable = [True, True] + [False] * (len(text) - 1)  # the first character may end a word
    for i in range(len(text)):
        if not reachable[i]:
            continue
        for j in range(i + 1, len(text) + 1):
            piece = text[i:j]
            if piece not in freq:
                break  # no word starts with it, nor with anything longer
            if not whole and (i, j) == (0, len(text)):
                continue
            if j == len(text):
                return True  # the last piece may start a word outside the text
            if (j - i > 1 and freq[piece] >= _COMMON) or piece in FUNCTION_CHARS:
                reachable[j] = True
    return False


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"
