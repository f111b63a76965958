"""The rules composed: one ordered list, every word finding naming its rule; user lists refused line by line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import wordlists
from core.model import Page
from detector.base import Context
from detector.checks.words import CHECK
from detector.language import RULES
from detector.words import WordMatcher

RULE_NAMES = {"list", "nearmiss", "edit", "formulation", "gazetteer", "renamed", "statistical", "homophone",
              "traditional", "approximate"}


def test_the_rules_are_one_ordered_list_of_distinct_documented_names() -> None:
    names = [rule.name for rule in RULES]
    assert names[0] == "list" and len(set(names)) == len(names) and set(names) == RULE_NAMES


def test_every_word_finding_names_its_rule_and_a_correct_form(shipped_matcher: WordMatcher) -> None:
    ctx = Context(today=date(2026, 11, 23), matcher=shipped_matcher)
    text = ("网上赌场。中华人名共和国成立。国家主席习近乎出席。甘肃银川举行。十八届八中全会召开。"
            "按照农业部要求。不忘实心、牢记使命。人民证府办公室。展厅美伦美奂。己醜年春节。场所约80多平方米。")
    found = CHECK.check(Page(url="http://127.0.0.1:1/", site="站", text=text, published=date(2024, 1, 1)), ctx)
    rules = {f.evidence: f.details["rule"] for f in found}
    assert rules == {"网上赌场": "list", "中华人名共和国": "list", "国家主席习近乎": "edit", "甘肃银川": "gazetteer",
                     "十八届八中全会": "formulation", "农业部": "renamed", "不忘实心、牢记使命": "edit",
                     "人民证府": "nearmiss", "美伦美奂": "homophone", "醜": "traditional",
                     "约80多": "approximate"}
    assert all(f.suggestion.startswith("应为“") for f in found if f.kind == "erroneous_expression")
    assert [f.details.get("since") for f in found if f.evidence == "农业部"] == ["2018-04-03"]


@pytest.mark.parametrize("line, message", [
    ("中华人名共和国 error 中华人民共和国", "缺少制表符"),  # no tab
    ("\terror\t中华人民共和国", "词语为空"),  # empty term
    ("农业部\terror\t农业农村部\tafter=2018-13-01", "after= 应为 YYYY-MM-DD 格式的日期"),  # bad date
    ("城施\terror\t城市\tseverity=review", "未知级别“review”"),  # the suspected layer's own
])
def test_a_user_list_with_a_bad_line_is_refused_naming_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    mine = tmp_path / "mine.tsv"
    mine.write_text(f"# version: 2026.12.1\n好词\tallow\n{line}\n", encoding="utf-8")
    with pytest.raises(wordlists.WordListError, match=f"词库 {re.escape(str(mine))} 第 3 行：{message}"):
        wordlists.load([mine])
