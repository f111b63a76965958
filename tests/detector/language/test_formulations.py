"""Rule `formulation`: corruptions of fixed political formulations and of the congresses' numbers."""

from __future__ import annotations

import pytest

import wordlists
from detector.language.formulations import MAX_SERIES, SERIES_SEPARATOR, FormulationRule
from detector.words import WordMatcher


@pytest.fixture(scope="module")
def matcher() -> WordMatcher:
    return WordMatcher(wordlists.parse("三个自信\terror\t四个自信\tafter=2016-07-01\n"), rules=[FormulationRule])


def found(matcher: WordMatcher, text: str) -> list[tuple[str, str]]:
    return [(h.entry.term, h.entry.suggestion) for h in matcher.find(text)]


@pytest.mark.parametrize("text, wrong, correct", [
    ("深入学习习近平新时代特色社会主义思想", "习近平新时代特色社会主义思想", "习近平新时代中国特色社会主义思想"),  # dropped
    ("紧密团结在以习近平同志为核心党中央周围", "以习近平同志为核心党中央", "以习近平同志为核心的党中央"),  # 的
    ("统筹推进五位一体总体布局，协调推进三个全面战略布局", "三个全面", "四个全面"),  # wrong numeral
    ("党的十八届八中全会", "十八届八中全会", "十八届一中全会至七中全会"),
    ("全国人大十四届二次会议", "全国人大十四届二次会议", "十四届全国人大二次会议"),  # term and body swapped
    ("十四届全国政协二次会议", "十四届全国政协二次会议", "全国政协十四届二次会议"),
    ("十四届全国人大一次会议开幕式", "十四届全国人大一次会议开幕式", "十四届全国人大一次会议开幕会"),
    ("坚持三个毫不动摇", "三个毫不动摇", "两个毫不动摇"),
    ("牢记四个务必", "四个务必", "三个务必"),  # the current one (2022) first: 两个务必 (1949) is listed after it
    ("坚持全心全意为服务的宗旨", "全心全意为服务", "全心全意为人民服务"),
    ("贯彻协调、创新、绿色、开放、共享的新发展理念", "协调、创新、绿色、开放、共享", "创新、协调、绿色、开放、共享"),
    ("一体推进不能腐、不敢腐、不想腐", "不能腐、不敢腐、不想腐", "不敢腐、不能腐、不想腐"),
    ("增强政治意识、大局意识、核心意识、服从意识", "服从意识", "看齐意识"),  # an item replaced: the last
    ("坚定道路自信、理论自信、文明自信、文化自信", "文明自信", "制度自信"),  # inside
    ("坚定道理自信、理论自信、制度自信、文化自信", "道理自信", "道路自信"),  # the first
    ("扎实做好稳就业、稳金融、稳外贸、稳外资、稳投资、稳物价工作", "稳物价", "稳预期"),
])
def test_corruptions_are_found(matcher: WordMatcher, text: str, wrong: str, correct: str) -> None:
    assert found(matcher, text) == [(wrong, correct)]


@pytest.mark.parametrize("text", [
    "深入学习习近平新时代中国特色社会主义思想",
    "紧密团结在以习近平同志为核心的党中央周围",
    "构建三位一体工作格局",  # a word of its own
    "两个代表团出席",  # segmentation: no 两个代表
    "十四届全国人大二次会议、全国政协十四届二次会议",
    "党的二十届五中全会",  # the sitting Central Committee is not judged
    "坚定三个自信",  # listed and dated: the list rules it
    "牢记两个务必，践行三个务必",  # both formulations: neither is a corruption of the other
    "贯彻创新、协调、绿色、开放、共享的新发展理念",
    "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治，倡导爱国、敬业、诚信、友善",
    "坚持绿色、开放、共享",  # part of a series, in its order
    "增强政治意识、大局意识、核心意识、看齐意识，坚定道路自信、理论自信、制度自信、文化自信",
    "政治意识、大局意识、看齐意识",  # an item left out: part of a series, not a replaced item
    "经济建设、政治建设、文化建设、社会建设、党的建设",  # another item, of another length
    "政治意识、大局意识、核心意识、看齐意识、服务意识",  # the series, and one more
])
def test_correct_text_is_silent(matcher: WordMatcher, text: str) -> None:
    assert found(matcher, text) == []


@pytest.mark.parametrize("text, wrong, correct", [
    ("省人力资源与社会保障厅发布通知", "人力资源与社会保障厅", "人力资源和社会保障厅"),
    ("住房及城乡建设部", "住房及城乡建设部", "住房和城乡建设部"),
])
def test_a_joined_name_with_another_conjunction_is_a_slip(text: str, wrong: str, correct: str) -> None:
    lists = "人力资源和社会保障厅\tname\n住房和城乡建设部\tname\n中华人民共和国\tname\n"
    matcher = WordMatcher(wordlists.parse(lists), rules=[FormulationRule])
    assert found(matcher, text) == [(wrong, correct)]
    assert found(matcher, "中华人民共与国") == []  # 和 inside a word is no joint


@pytest.mark.parametrize("text, wrong, correct", [
    ("已亥年春节", "已亥年", "己亥年"),
    ("成了丙戍年贺卡的主角", "丙戍年", "丙戌年"),
    ("农历已亥", "已亥", "己亥"),
])
def test_a_name_of_the_sexagenary_cycle_with_a_shape_alike_is_a_slip(matcher: WordMatcher, text: str, wrong: str,
                                                                   correct: str) -> None:
    assert found(matcher, text) == [(wrong, correct)]


@pytest.mark.parametrize("text", ["己亥年春节", "戊戌变法", "孔乙己的长衫", "甲、乙已经签字", "任务已未按期完成"])
def test_the_cycle_spares_correct_text(matcher: WordMatcher, text: str) -> None:
    assert found(matcher, text) == []


def test_every_series_is_short_enough_to_list_its_orders() -> None:
    """Each order of a series is an automaton term: 720 for six items, 5,040 for seven."""
    series = [row[0] for row in wordlists.language_data("formulations.tsv") if row[1] == "series"]
    assert series and all(2 <= len(s.split(SERIES_SEPARATOR)) <= MAX_SERIES for s in series)
