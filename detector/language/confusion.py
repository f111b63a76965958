"""Confusion sets: which characters a writer mistakes for which, from maintained data, not a hand table.

Sound: the pinyin input method's typical slip, the same syllable in any tone, among the usual readings
(pypinyin's dictionaries) of the 3,755 common characters of GB2312 level 1. Shape: pycorrector's
same-stroke groups (wordlists/language/same_stroke.tsv), and characters with the same four-corner
code whose stroke counts differ by at most one, the mistaken one common (char-similar's data,
four_corner.tsv): 戊/戌/戍, 己/已, 耒/来;
and the few classic confusions both tables lack (shapes_seen.tsv: 民/氏, 人/入/八).
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import wordlists

_READING_USES = 5  # phrases using a character's other reading before it counts as a sound of it
_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")  # as Style.NORMAL


def sound_alikes(char: str, syllable: str = "") -> frozenset[str]:
    """Common characters read like `char` (in any tone): as `syllable` (toneless, the reading in its
    word) when given, else by its first reading."""
    return _sound_index().get(syllable or first_reading(char), frozenset()) - {char}


def shape_alikes(char: str) -> frozenset[str]:
    return _shape_index().get(char, frozenset())


def confusables(char: str) -> frozenset[str]:
    return sound_alikes(char) | shape_alikes(char)


def corner_likeness(a: str, b: str) -> int:
    """How many of the four corners two characters share (四角号码, without the 附角 digit): 荣 4490
    and 荥 4490 all four, 彬 4292 and 郴 4792 three, 衮 0073 and 兖 0021 two; 0 without a code."""
    codes = _four_corners()
    (x, _), (y, _) = codes.get(a, ("", 0)), codes.get(b, ("", 0))
    return sum(p == q for p, q in zip(x[:4], y[:4]))


@cache
def _four_corners() -> dict[str, tuple[str, int]]:
    """Each character's four-corner code and stroke count (four_corner.tsv, read once)."""
    return {char: (code, int(strokes)) for char, code, strokes in wordlists.language_data("four_corner.tsv")}


@cache
def first_reading(char: str) -> str:
    """The toneless syllable of `char`'s first reading in pypinyin's dictionary ("" when it has none)."""
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict.get(ord(char), "").split(",")[0].translate(_TONELESS)


@cache
def _sound_index() -> dict[str, frozenset[str]]:
    """Toneless pinyin syllable → the common characters read that way: by their first reading, or by
    another reading that pypinyin's phrase dictionary uses at least `_READING_USES` times (长 is cháng
    as well as zhǎng; 市 is not fú). Rare readings would make nonsense slips: nobody types shù for 野."""
    from pypinyin.phrases_dict import phrases_dict  # 0.4 s to load: only when a rule needs it
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {char: pinyin_dict.get(ord(char), "").split(",") for char in common_chars()}
    several = {char for char, these in readings.items() if len(these) > 1}
    uses: Counter[tuple[str, str]] = Counter()
    for phrase, phrase_readings in phrases_dict.items():
        if len(phrase) == len(phrase_readings):
            for char, reading in zip(phrase, phrase_readings):
                if char in several:
                    uses[char, reading[0]] += 1
    index: dict[str, set[str]] = {}
    for char, these in readings.items():
        for rank, reading in enumerate(these):
            if reading and (rank == 0 or uses[char, reading] >= _READING_USES):
                index.setdefault(reading.translate(_TONELESS), set()).add(char)
    return {syllable: frozenset(chars) for syllable, chars in index.items()}


@cache
def _shape_index() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in (*wordlists.language_data("same_stroke.tsv"), *wordlists.language_data("shapes_seen.tsv")):
        members = [c for c in group if len(c) == 1]
        for char in members:
            table.setdefault(char, set()).update(members)
    by_code: dict[str, list[tuple[str, int]]] = {}
    for char, (code, strokes) in _four_corners().items():
        by_code.setdefault(code, []).append((char, strokes))
    common = frozenset(common_chars())
    for members in by_code.values():
        for char, strokes in members:  # a rare character (耒) may be mistaken for a common one (来)
            table.setdefault(char, set()).update(c for c, s in members if abs(s - strokes) <= 1 and c in common)
    return {char: frozenset(others - {char}) for char, others in table.items()}


@cache
def common_chars() -> str:
    """GB2312 level 1: the 3,755 most frequent characters (rows 16–55)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # the unused tail of row 55
    return "".join(chars)
