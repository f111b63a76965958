"""Rule `traditional`: a traditional or variant character in simplified text, outside the 通用规范汉字表
(2013) and mapped by OpenCC to a character inside it, as a suspected typo with its standard form."""

from __future__ import annotations

import pickle

import wordlists
from detector.language.lexicon import ListRule
from detector.language.traditional import TraditionalRule
from detector.words import WordMatcher


def found(text: str, lists: str = "") -> list[tuple[str, str, str]]:
    matcher = WordMatcher(wordlists.parse(lists), rules=[ListRule, TraditionalRule])  # ListRule: allow entries
    return [(text[h.start:h.end], h.entry.suggestion, h.entry.category) for h in matcher.find(text)]


def test_a_traditional_character_is_suspected_with_its_standard_form() -> None:
    assert found("二〇〇九年是己醜年") == [("醜", "丑", "suspect")]
    assert found("美容美發中心开业") == [("發", "发", "suspect")]
    assert found("竄改历史，美容美發") == [("竄", "窜", "suspect"), ("發", "发", "suspect")]


def test_characters_the_standard_table_keeps_are_not() -> None:
    assert found("扭转乾坤，著作权保护，瞭望塔，於姓村民") == []
    assert found("根据《中华人民共和国政府信息公开条例》规定") == []


def test_a_page_written_in_traditional_characters_is_a_version_not_a_slip() -> None:
    page = "根據《中華人民共和國政府信息公開條例》規定，現將本機關年度報告予以公佈，歡迎監督。"
    assert found(page) == []
    # the same characters, a few among much simplified text, are slips
    assert [f[0] for f in found("现将本机关年度报告予以公佈，欢迎监督。" * 3)] == ["佈"] * 3


def test_the_link_to_a_traditional_version_is_allowed() -> None:
    allow = "繁體\tallow\n繁體中文\tallow\n"
    assert found("首页 | 繁體中文 | 无障碍浏览", allow) == []
    assert found("首页 | 繁體 | 无障碍浏览", allow) == []


def test_the_rule_survives_a_pickle() -> None:
    rule = pickle.loads(pickle.dumps(TraditionalRule(())))
    assert [h.entry.suggestion for h in rule.scan("己醜年", None)] == ["丑"]
