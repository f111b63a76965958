"""Rule `edit`: any one-character slip inside a long fixed name, or in a leader's name beside a title."""

from __future__ import annotations

import pytest

import wordlists
from detector.language.edit import _inside, _one_edit
from detector.words import WordMatcher

LIST = ("中华人民共和国\tname\n不忘初心、牢记使命\tname\n全国人民代表大会\tname\n人民代表大会\tname\n"
        "习近平\tname\t\ttitles=国家主席|总书记\n王沪宁\tname\t\ttitles=全国政协主席|主席\n")


@pytest.fixture(scope="module")
def matcher() -> WordMatcher:
    return WordMatcher(wordlists.parse(LIST, source="mine.tsv"))


def found(matcher: WordMatcher, text: str) -> list[tuple[str, str, str]]:
    return [(h.entry.term, h.entry.suggestion, h.entry.rule) for h in matcher.find(text) if h.entry.rule == "edit"]


@pytest.mark.parametrize("text, slip, correct", [
    ("坚持不忘实心、牢记使命", "不忘实心、牢记使命", "不忘初心、牢记使命"),  # neither sound- nor shape-alike
    ("中华人民大和国成立", "中华人民大和国", "中华人民共和国"),
    ("中华人民和共国成立", "中华人民和共国", "中华人民共和国"),  # two neighbours swapped
    ("不忘初心、要牢记使命", "不忘初心、要牢记使命", "不忘初心、牢记使命"),  # one inserted
    ("国家主席习近乎在釜山", "国家主席习近乎", "国家主席习近平"),  # a leader's name after the title
    ("习近乎总书记指出", "习近乎总书记", "习近平总书记"),
])
def test_one_slip_inside_a_name_is_found(matcher: WordMatcher, text: str, slip: str, correct: str) -> None:
    assert found(matcher, text) == [(slip, correct, "edit")]


@pytest.mark.parametrize("text", [
    "中华人民共和国宪法",  # the name itself, inside a longer one
    "学习习近平讲话",  # a repeated first character is no slip
    "召开人民代表会议",  # 人民代表会 + 议: ordinary words
    "中华人民\n共和国",  # layout, not a slip
    "全国政协主席王沪宁",  # another leader sharing the title
    "国家主席胡锦涛",  # more than one slip away: another person
    "国家主席李近平",  # the surname changed: another person
])
def test_correct_text_is_not_a_slip(matcher: WordMatcher, text: str) -> None:
    assert found(matcher, text) == []


def test_a_slip_already_reported_by_another_rule_is_not_reported_twice() -> None:
    matcher = WordMatcher(wordlists.parse(LIST + "中华人民共合国\terror\t中华人民共和国\tstrict\n"))
    assert [(h.entry.term, h.entry.rule) for h in matcher.find("中华人民共合国")] == [("中华人民共合国", "list")]


def test_one_edit_and_inside() -> None:
    assert _one_edit("abxde", "abcde") and _one_edit("abde", "abcde") and _one_edit("abccde", "abcde")
    assert _one_edit("acbde", "abcde") and not _one_edit("axxde", "abcde") and not _one_edit("abdce", "abced")
    assert _inside("abxde", "abcde") and not _inside("aabcde", "abcde") and not _inside("xbcde", "abcde")


def test_former_leaders_beside_their_titles_and_one_name_never_a_slip_of_another(
        shipped_matcher: WordMatcher) -> None:
    matcher = shipped_matcher
    assert [(h.entry.term, h.entry.suggestion) for h in matcher.find("国务院总理温家室出席")] == [
        ("国务院总理温家室", "国务院总理温家宝")]
    assert matcher.find("国务院总理李强、国务院总理李克强、国务院总理温家宝") == []  # 李克强 less 克 is 李强
