"""Rule `homophone`: a dictionary word of three characters or more with one character typed by its
sound (侯车室 for 候车室), found in a second pass over the text read as sounds, as a suspected typo."""

from __future__ import annotations

import pickle

import wordlists
from detector.language.base import attested
from detector.language.homophone import HomophoneRule
from detector.words import WordMatcher


def found(text: str, lists: str = "") -> list[tuple[str, str, str, str]]:
    matcher = WordMatcher(wordlists.parse(lists), rules=[HomophoneRule])
    return [(text[h.start:h.end], h.entry.term, h.entry.suggestion, h.entry.category) for h in matcher.find(text)]


def test_a_slip_of_a_word_by_its_sound_is_suspected_with_the_word() -> None:
    assert found("旅客请到侯车室等候") == [("侯车室", "侯车室", "候车室", "suspect")]
    assert found("这种竭泽而鱼的做法不可取") == [("竭泽而鱼", "竭泽而鱼", "竭泽而渔", "suspect")]  # jieba lists it, rarely


def test_an_idiom_is_in_the_vocabulary_however_rarely_jieba_counted_it() -> None:
    # 夙兴夜寐 is counted 4 times in jieba's dictionary: below the count a three-character word needs
    assert found("领导干部夙兴夜昧，勤勉工作") == [("夙兴夜昧", "夙兴夜昧", "夙兴夜寐", "suspect")]
    assert found("领导干部第三极，勤勉工作") == []  # a rare three-character word (第三纪) is not


def test_two_neighbouring_characters_of_a_long_word_may_slip_together() -> None:
    # an input method's wrong candidate for 执照 inside 营业执照, the rest of the word intact
    assert found("持营业支招的个体工商户可以申请") == [("营业支招", "营业支招", "营业执照", "suspect")]
    assert found("召开部际联席悔意，研究部署") == [("联席悔意", "联席悔意", "联席会议", "suspect")]
    assert found("本法所称领导成员是指机关领导人员") == []  # 是指机关 is no slip of 市直机关 (e^4 is not met)


def test_the_word_itself_and_ordinary_words_that_sound_alike_are_not() -> None:
    assert found("旅客请到候车室等候") == []
    assert found("推进社会主义民主法治建设") == []  # 法治/建设, not a slip of 法制建设
    assert found("清单一式三份，写明财物") == []  # 一式三份 holds no 一十三
    assert found("旅客请到侯车试等候") == []  # two characters away from 候车室
    assert found("全党全国勠力同心") == []  # 勠 is no slip for 戮: a rare character is a variant form


def test_a_slip_that_reads_as_ordinary_words_needs_the_word_overwhelmingly_likelier() -> None:
    # 生活/必须/品 reads as words, but 生活必需品 is far likelier there: a real-word slip
    assert found("保障生活必须品供应") == [("生活必须品", "生活必须品", "生活必需品", "suspect")]
    # 狭/水道 reads as words and 下水道 is likelier, but not by enough: a real 狭水道 of the sea law
    assert found("船舶通过桥区水域、海峡、狭水道、重要渔业水域") == []
    # 张/国青 reads as words too, and 张国庆 is a name: someone else's, not a slip of it
    assert found("副县长张国青参加活动") == []


def test_an_allow_or_name_entry_silences_it() -> None:
    text = "支持居民自住性住房消费"
    assert [f[1] for f in found(text)] == ["自住性"]
    assert found(text, "自住性住房\tallow\n") == []
    assert found(text, "自住性住房\tname\n") == []


class _NothingAttested(HomophoneRule):
    def __init__(self, lexicon: tuple[wordlists.Entry, ...]) -> None:
        super().__init__(lexicon)
        self._attested = frozenset()


def test_a_stretch_that_correct_official_writing_holds_is_left_out() -> None:
    text = "公用企事业单位应当优化报装流程，精简报装材料"  # laws say 报装 (applying for a connection)
    assert "报装材料" in attested()
    assert found(text) == []
    every = WordMatcher(wordlists.parse(""), rules=[_NothingAttested]).find(text)
    assert [(h.entry.term, h.entry.suggestion) for h in every] == [("报装材料", "包装材料")]


def test_offsets_hold_past_characters_outside_the_basic_plane() -> None:
    text = "😀旅客😀请到侯车室等候"
    assert [(f[0], f[2]) for f in found(text)] == [("侯车室", "候车室")]


def test_the_index_is_built_with_the_rule_so_a_kept_matcher_holds_it() -> None:
    rule = pickle.loads(pickle.dumps(HomophoneRule(())))
    assert [h.entry.suggestion for h in rule.scan("请到侯车室等候", None)] == ["候车室"]
