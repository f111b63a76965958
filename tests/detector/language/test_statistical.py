"""Rule `statistical`: a common word with one slipped character that breaks it, as a suspected typo."""

from __future__ import annotations

import wordlists
from detector.language import statistical
from detector.language.statistical import StatisticalRule
from detector.words import WordMatcher


def terms(lists: str, text: str) -> list[tuple[str, str, str]]:
    matcher = WordMatcher(wordlists.parse(lists), rules=[StatisticalRule])
    return [(h.entry.term, h.entry.suggestion, h.entry.category) for h in matcher.find(text)]


def test_suspects_are_non_words_one_alike_from_a_common_word() -> None:
    suspects = {e.term: e for e in statistical.suspects(())}
    assert suspects["城施"].suggestion == "城市"  # 施 sounds like 市
    assert "城市" not in suspects and "部署" not in suspects  # words are never suspects
    assert all(e.category == "suspect" and e.rule == "statistical" for e in suspects.values())


def test_a_word_broken_into_single_characters_is_suspected() -> None:
    assert terms("", "因城施策促进房地产市场平稳健康发展") == [("城施", "城市", "suspect")]


def test_a_suspect_across_a_word_boundary_or_inside_a_word_is_not() -> None:
    assert terms("", "城市建设") == []
    assert terms("", "坚持都城施工") == []  # 都城/施工


def test_an_allow_entry_silences_a_suspect() -> None:
    assert terms("因城施策\tallow\n", "因城施策促进房地产市场平稳健康发展") == []


def test_a_suspect_that_correct_official_writing_holds_is_left_out() -> None:
    every = {e.term for e in statistical.candidates(())}
    suspects = {e.term for e in statistical.suspects(())}
    assert {"限行", "视情"} <= every - suspects  # attested.tsv: laws hold them (区域限行, 视情处理)
    assert terms("", "对高污染机动车实施区域限行措施") == []
    assert "城施" in suspects
