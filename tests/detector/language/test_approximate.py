"""Rule `approximate`: an approximate number said twice (约80多平方米, 近百人左右), reported with the
number kept once."""

from __future__ import annotations

import pytest

import wordlists
from detector.language.approximate import ApproximateRule
from detector.words import WordMatcher


@pytest.fixture(scope="module")
def matcher() -> WordMatcher:
    return WordMatcher(wordlists.parse(""), rules=[ApproximateRule])


def found(matcher: WordMatcher, text: str) -> list[tuple[str, str]]:
    return [(h.entry.term, h.entry.suggestion) for h in matcher.find(text)]


@pytest.mark.parametrize("text, wrong, kept", [
    ("他们的活动场所约80多平方米", "约80多", "约80"),
    ("近百人左右参加了培训", "近百人左右", "近百人"),  # 近百 is one word: the lead may run into the number
    ("大约十一点左右到达现场", "大约十一点左右", "大约十一点"),
    ("全县约有30余家企业参与", "约有30余", "约有30"),
    ("增长率约为3.5%左右", "约为3.5%左右", "约为3.5%"),
])
def test_a_number_made_approximate_twice_is_found(matcher: WordMatcher, text: str, wrong: str, kept: str) -> None:
    assert found(matcher, text) == [(wrong, kept)]


@pytest.mark.parametrize("text", [
    "他们的活动场所约80平方米",
    "他们的活动场所80多平方米",
    "签约10多家企业",  # 签约, not 约
    "最近10多天持续降雨",  # 最近, not 近
    "节约30多万元，附近100多户受益",
    "近5年多措并举推进改革",  # 多措并举 is no 多 after the number
    "将近一半的村庄完成改造",
])
def test_a_number_made_approximate_once_is_not(matcher: WordMatcher, text: str) -> None:
    assert found(matcher, text) == []
