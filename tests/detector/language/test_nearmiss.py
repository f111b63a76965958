"""Near-miss typos generated from `name` entries (detector/language/nearmiss.py) and how the matcher adds them."""

from __future__ import annotations

from pathlib import Path

import pytest

import wordlists
from detector.language.nearmiss import NearMissRule, near_misses, variants
from detector.words import WordMatcher


def generated(lists: str) -> dict[str, wordlists.Entry]:
    return {e.term: e for e in near_misses(tuple(wordlists.parse(lists, source="mine.tsv")))}


def test_variants_replace_by_sound_or_shape_and_drop_or_double_inner_characters() -> None:
    found = variants("人民政府")
    assert {"人民证府", "人民正府"} <= found  # same sound: zheng
    assert "人氏政府" in found  # look-alike: 民/氏
    assert {"人政府", "人民府"} <= found  # an inner character dropped
    assert {"人民民政府", "人民政政府"} <= found  # an inner character doubled
    assert "民政府" not in found and "人民政府府" not in found  # never at either end


def test_generated_entries_are_strict_errors_suggesting_the_name() -> None:
    entries = generated("国家监察委员会\tname\n")
    assert "国家监查委员会" in entries
    assert all(e.category == "error" and e.strict and e.suggestion == "国家监察委员会"
               and e.source == "mine.tsv（自动生成）" for e in entries.values())


def test_variants_that_correct_text_can_contain_stand_only_in_a_list_of_organs() -> None:
    entries = generated("人民政府\tname\n四个意识\tname\n国家医疗保障局\tname\n")
    assert "人民证府" in entries
    assert "四个意思" not in entries  # 讲四个意思: a dictionary phrase, never a slip
    matcher = WordMatcher(wordlists.parse("人民政府\tname\n国家医疗保障局\tname\n"), rules=[NearMissRule])
    assert matcher.find("个人政府信息公开申请") == []  # 人政府 reads as words
    assert matcher.find("提高国家医疗保障居民待遇") == []


ORGANS = "海关总署\tname\n税务总局\tname\n商务部\tname\n民政部\tname\n财政部\tname\n"


@pytest.mark.parametrize("text, slip", [
    ("海关总署、水务总局按职责分工负责", "水务总局"),  # 水务/总局 reads as words: only a list tells
    ("财政部、商务不、海关总署等负责", "商务不"),
    ("财政部、民政不", "民政不"),  # the last item of the text
    ("（市海关总署、水务总局）", "水务总局"),  # a neighbour ending with a fixed name
    ("水务总局、海关总署牵头", "水务总局"),  # the neighbour after it
])
def test_a_slip_that_reads_as_words_is_found_in_a_list_of_organs(text: str, slip: str) -> None:
    [hit] = WordMatcher(wordlists.parse(ORGANS), rules=[NearMissRule]).find(text)
    assert text[hit.start:hit.end] == slip and hit.entry.rule == "nearmiss"


@pytest.mark.parametrize("text", [
    "省民政不同意",  # running text
    "设在民政不，承担日常工作",  # no list
    "海关总署、水务总局长",  # not a whole item
    "商务不、水务总局等负责",  # no neighbour is a fixed name
    "海关总署，水务总局按职责分工负责",  # a comma does not make a list
])
def test_outside_a_list_of_organs_such_a_slip_is_not_reported(text: str) -> None:
    assert WordMatcher(wordlists.parse(ORGANS), rules=[NearMissRule]).find(text) == []


def test_variant_inside_an_allow_or_name_entry_is_dropped() -> None:
    entries = generated("中国人民银行\tname\n中国人民很行业\tallow\n")
    assert "中国人民很行" not in entries and "中国人民银杭" in entries
    assert not any(term in "中国人民银行" for term in generated("人民银行\tname\n中国人民银行\tname\n"))


def test_listed_typo_inside_a_variant_is_left_to_the_list() -> None:
    entries = generated("人民检察院\tname\n检查院\terror\t检察院\n")
    assert "人民检查院" not in entries
    assert "人民检茶院" in entries


def test_person_is_matched_only_beside_a_title() -> None:
    entries = generated("刘国中\tname\t\ttitles=国务院副总理|副总理\n")
    assert entries["刘国忠副总理"].suggestion == "刘国中副总理"
    assert entries["国务院副总理刘国忠"].suggestion == "国务院副总理刘国中"
    assert not any(term.startswith("刘") and term[-1] != "理" for term in entries)  # no bare name


def test_short_names_generate_nothing() -> None:
    assert generated("烈士\tname\n宪法\tname\n") == {}


def test_matcher_adds_the_near_misses_of_user_names(tmp_path: Path) -> None:
    mine = tmp_path / "mine.tsv"
    mine.write_text("某某县人民政府\tname\n", encoding="utf-8")
    [hit] = WordMatcher(wordlists.load([mine])).find("某某县人民证府召开常务会议")
    assert (hit.entry.term, hit.entry.suggestion, hit.entry.strict) == ("某某县人民证府", "某某县人民政府", True)
    assert WordMatcher(wordlists.load([mine])).find("某某县人民政府召开常务会议") == []


def test_user_leaders_list_replaces_the_shipped_one(tmp_path: Path) -> None:
    leaders = tmp_path / "leaders.tsv"
    leaders.write_text("王大明\tname\t\ttitles=省长\n", encoding="utf-8")
    names = {e.term for e in wordlists.load([leaders]) if e.category == "name"}
    assert "王大明" in names and "李强" not in names and "中华人民共和国" in names
    other = tmp_path / "more.tsv"
    other.write_text("王大明\tname\t\ttitles=省长\n", encoding="utf-8")
    assert "李强" in {e.term for e in wordlists.load([other])}
