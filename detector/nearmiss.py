"""Near-miss typos of fixed names, generated rather than listed.

Inspections count a misspelt state organ or leader's name as a serious error, and the misspellings
are too many to list by hand. For every `name` entry we generate the strings one slip away from it:
one character replaced by a same-sounding character (the pinyin input method's typical slip: the
same syllable in any tone, among the usual readings of common GB2312 level-1 characters) or by a
look-alike from the hand-made table below, one inner character dropped, or one inner character
doubled. Each becomes a `strict` error entry whose suggestion is the name.

A strict entry skips segmentation, so a variant that correct text can contain would flag correct
pages. Variants are therefore dropped when they are dictionary words, lie inside an allow or name
entry, contain a listed typo, or read as ordinary words (`_reads_as_words`). Bare names shorter than
three characters are skipped: every slip of 烈士 is somebody's ordinary word. A person's name is only
matched next to one of its titles (`titles=` in leaders.tsv), because the slips of a bare name are
often other people's names (刘国中 → 刘国忠).

Pure: reads only the dictionaries shipped with pypinyin and jieba.
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import cache, lru_cache
from typing import Iterable, Iterator

import jieba

from wordlists import Entry

# Shape confusions seen in official writing, one group per string: every character of a group may
# be mistaken for any other of it. Kept small and hand-checked; sound-alikes come from pypinyin.
SHAPES = (
    "己已巳", "戊戌戍戎", "未末", "士土干", "人入八", "民氏", "日曰", "大太犬", "天夭", "王玉主",
    "干千于", "午牛", "今令", "冶治", "侯候", "拔拨", "券卷", "栗粟", "赢嬴", "辨辩辫", "祟崇",
    "撤撒澈", "贯惯", "坚竖", "析折", "竞竟", "盲肓", "免兔", "鸟乌", "历厉励", "暑署", "陈阵",
    "问间", "拆折", "科料", "业亚", "设没", "贫贪", "攻功巧", "廉谦兼", "思恩", "代伐", "史吏",
    "使便", "观规现", "维推唯惟", "护沪", "识织职帜", "检捡俭验险", "察祭擦蔡", "院完皖",
    "管菅", "宫官", "党赏常堂", "政玫", "务条", "理埋", "治怡", "军车", "组阻祖", "城域",
    "援缓", "抗坑", "陵凌", "碑牌", "烈裂", "国囯固", "团困园", "银很根", "税锐脱", "贷货",
    "委季", "议仪", "协胁", "振赈", "建健", "律津", "武式", "复夏", "衷哀衰", "表衰", "休体",
)
MIN_LENGTH = 3  # bare names, and their variants, shorter than this are not generated
_READING_USES = 5  # phrases using a character's other reading before it counts as a sound of it
_COMMON = 10  # jieba's count from which a word is common enough to occur beside a variant
_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")  # as Style.NORMAL
# Single characters that stand as words of their own: a variant split around one of them may be
# ordinary text (中华人民和国 → …人民/和/国家…).
_FUNCTION = frozenset("的地得了着过和与及或是在为对把被从向于以而之其也都就还又再很不没等个这那各每有将并由给让使至到上下中内外前后里")


@cache
def tokenizer() -> jieba.Tokenizer:
    """jieba with its dictionary loaded (about half a second), shared by the process: the matcher
    confirms hits with it, and the filter below reads its word counts."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@lru_cache(maxsize=4)
def near_misses(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Strict error entries for the slips of every `name` entry that no correct text contains.
    Cached: the matchers built from the same lists (each scan, each test module) share one run."""
    listed: dict[str, list[str]] = {}  # reported terms by their first two characters
    for entry in entries:
        if entry.category in ("error", "sensitive"):
            listed.setdefault(entry.term[:2], []).append(entry.term)
    shields = _substrings(e.term for e in entries if e.category in ("allow", "name"))
    generated: dict[str, Entry] = {}
    for name in (e for e in entries if e.category == "name"):
        for term, suggestion in _candidates(name):
            if term in generated or term in shields or any(
                    term.startswith(typo, i) and typo not in suggestion
                    for i in range(len(term) - 1) for typo in listed.get(term[i:i + 2], ())):
                continue  # a listed typo inside it (人民检查院 ⊃ 检查院) already reports it
            generated[term] = Entry(term, "error", suggestion, strict=True, severity=name.severity,
                                    source=f"{name.source}（自动生成）")
    return tuple(generated.values())


def _candidates(name: Entry) -> Iterator[tuple[str, str]]:
    """(variant, correct form) pairs: the bare variants of a fixed name, title-bound ones of a person."""
    if not name.titles:
        if len(name.term) >= MIN_LENGTH:
            yield from ((v, name.term) for v in variants(name.term) if _safe_alone(v))
        return
    for v in variants(name.term):
        for title in name.titles:
            yield f"{title}{v}", f"{title}{name.term}"
            yield f"{v}{title}", f"{name.term}{title}"


def variants(name: str) -> set[str]:
    """Every string one slip from `name`: a CJK character replaced, or an inner one dropped or doubled."""
    from pypinyin import Style, pinyin  # its dictionaries take 0.4 s to load: only when names need them

    readings = [r[0] for r in pinyin(name, style=Style.NORMAL, errors=lambda s: [""] * len(s))]
    found: set[str] = set()
    for i, char in enumerate(name):
        if not _is_cjk(char):
            continue
        for other in _sound_alikes(readings[i]) | _look_alikes().get(char, frozenset()):
            found.add(name[:i] + other + name[i + 1:])
        if 0 < i < len(name) - 1:
            found.add(name[:i] + name[i + 1:])
            found.add(name[:i] + char + name[i:])
    found.discard(name)
    return {v for v in found if len(v) >= 2}


def _safe_alone(variant: str) -> bool:
    """A bare variant may be strict only if correct text cannot contain it."""
    return len(variant) >= MIN_LENGTH and not tokenizer().FREQ.get(variant) and not _reads_as_words(variant)


def _reads_as_words(text: str) -> bool:
    """Whether `text` could be a stretch of correct text: a run of common words (or words of one
    character such as 和), perhaps after a character ending a word outside it and before the start
    of a word outside it: 社会/主意, 前往/沪宁, 个人/政府, 国家/医疗/保障 + 居民, 确认/民政/协议."""
    freq = tokenizer().FREQ  # every word and every prefix of a word (prefixes with count 0)
    reachable = [True, True] + [False] * (len(text) - 1)  # the first character may end a word
    for i in range(len(text)):
        if not reachable[i]:
            continue
        for j in range(i + 1, len(text) + 1):
            piece = text[i:j]
            if piece not in freq:
                break  # no word starts with it, nor with anything longer
            if j == len(text):
                return True  # the last piece may start a word outside the text
            if (j - i > 1 and freq[piece] >= _COMMON) or piece in _FUNCTION:
                reachable[j] = True
    return False


@cache
def _sound_index() -> dict[str, frozenset[str]]:
    """Toneless pinyin syllable → the common characters read that way: by their first reading, or by
    another reading that pypinyin's phrase dictionary uses at least `_READING_USES` times (长 is cháng
    as well as zhǎng; 市 is not fú). Rare readings would make nonsense slips: nobody types shù for 野."""
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {char: pinyin_dict.get(ord(char), "").split(",") for char in _common_chars()}
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


def _sound_alikes(syllable: str) -> frozenset[str]:
    return _sound_index().get(syllable, frozenset()) if syllable else frozenset()


@cache
def _look_alikes() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in SHAPES:
        for char in group:
            table.setdefault(char, set()).update(group.replace(char, ""))
    return {char: frozenset(others) for char, others in table.items()}


@cache
def _common_chars() -> str:
    """GB2312 level 1: the 3,755 most frequent characters (rows 16–55)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # the unused tail of row 55
    return "".join(chars)


def _substrings(terms: Iterable[str]) -> set[str]:
    """Every substring of two characters or more."""
    return {t[i:j] for t in terms for i in range(len(t)) for j in range(i + 2, len(t) + 1)}


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"
