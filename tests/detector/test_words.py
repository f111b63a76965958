"""The matcher's own rules, on small hand-made lists (independent of the shipped data)."""

from __future__ import annotations

from datetime import date

import pytest

import wordlists
from detector.words import WordMatcher, encode

LIST = """\
# version: test
台独\tsensitive\t\ttopic=分裂
赌博\tsensitive\t
中华人名共和国\terror\t中华人民共和国\tstrict
新型冠状病毒肺炎\terror\t新型冠状病毒感染\tafter=2022-12-26
VPN翻墙\tsensitive\t
反对赌博\tallow\t
BBIN\tsensitive\t
时时彩计划\tsensitive\t\tstrict
重庆时时彩计划\tsensitive\t\tstrict
"""


@pytest.fixture(scope="module")
def matcher() -> WordMatcher:
    return WordMatcher(wordlists.parse(LIST))


def terms(matcher: WordMatcher, text: str, published: date | None = None) -> list[str]:
    return [h.entry.term for h in matcher.find(text, published)]


def test_hit_on_word_boundaries_is_reported(matcher: WordMatcher) -> None:
    assert terms(matcher, "坚决反对台独分裂势力") == ["台独"]


def test_hit_across_a_word_boundary_is_dropped(matcher: WordMatcher) -> None:
    assert terms(matcher, "我们搭建平台独立运营") == []


def test_hit_inside_one_longer_word_is_kept(matcher: WordMatcher) -> None:
    assert terms(matcher, "严禁聚众赌博活动") == ["赌博"]


def test_strict_entry_skips_segmentation(matcher: WordMatcher) -> None:
    assert terms(matcher, "根据中华人名共和国宪法") == ["中华人名共和国"]


def test_allow_list_covers_a_hit(matcher: WordMatcher) -> None:
    assert terms(matcher, "我们反对赌博") == []


def test_after_gates_on_publication_date(matcher: WordMatcher) -> None:
    text = "新型冠状病毒肺炎疫情防控"
    assert terms(matcher, text, date(2022, 3, 1)) == []
    assert terms(matcher, text, None) == []
    assert terms(matcher, text, date(2023, 1, 5)) == ["新型冠状病毒肺炎"]


def test_ascii_and_fullwidth_are_folded(matcher: WordMatcher) -> None:
    assert terms(matcher, "提供ｖｐｎ翻墙服务") == ["VPN翻墙"]


def test_offsets_survive_astral_characters(matcher: WordMatcher) -> None:
    text = "😀😀反对台独"
    [hit] = matcher.find(text)
    assert text[hit.start:hit.end] == "台独"


def test_encoding_keeps_symbols_disjoint() -> None:
    encoded = encode("台a")
    assert len(encoded) == 4 and encoded[0] != encoded[1]


def test_malformed_line_names_file_and_line() -> None:
    with pytest.raises(wordlists.WordListError, match="my.tsv:2: unknown category"):
        wordlists.parse("a\tsensitive\t\nb\tbogus\t\n", source="my.tsv")


def test_empty_lists_find_nothing() -> None:
    assert WordMatcher([]).find("任何文本") == []


def test_ascii_term_needs_alphanumeric_boundaries(matcher: WordMatcher) -> None:
    assert terms(matcher, "注册BBINGO账号") == []
    assert terms(matcher, "BBIN真人娱乐") == ["BBIN"]


def test_hit_inside_a_longer_hit_of_the_same_category_is_dropped(matcher: WordMatcher) -> None:
    assert terms(matcher, "最新重庆时时彩计划") == ["重庆时时彩计划"]
