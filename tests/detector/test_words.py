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
一带一路战略\terror\t“一带一路”倡议
环境保护部\terror\t生态环境部
刑事被告\terror\t刑事被告人
两岸三地\terror\t海峡两岸暨香港、澳门
海峡中线\terror\t所谓“海峡中线”
农业部\terror\t农业农村部\tafter=2018-04-03
中华人民共和国\tname
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


def test_phrase_whose_last_word_fuses_with_the_next_word_is_kept(matcher: WordMatcher) -> None:
    # jieba: 一带/一路/战略部署 — the phrase's last word 战略 fused with the word 部署
    assert terms(matcher, "主动融入一带一路战略部署") == ["一带一路战略"]
    assert terms(matcher, "抢抓一带一路战略合作机遇") == ["一带一路战略"]


def test_word_cut_by_the_next_word_stays_dropped(matcher: WordMatcher) -> None:
    assert terms(matcher, "会议对生态环境保护部署作出安排") == []  # 环境保护/部署: one word, cut
    assert terms(matcher, "刑事被告人依法享有辩护权") == []  # 被告人 is 被告 + 人, not two words
    assert terms(matcher, "刑事被告依法享有辩护权") == ["刑事被告"]


def test_quoted_sensitive_term_is_a_mention(matcher: WordMatcher) -> None:
    assert terms(matcher, "坚决反对“台独”分裂行径") == []
    assert terms(matcher, "坚决反对‘台独’和「台独」") == []
    assert terms(matcher, "支持台独") == ["台独"]


def test_quoted_error_is_reported_unless_the_text_discusses_the_wording(matcher: WordMatcher) -> None:
    assert terms(matcher, "举办“两岸三地”青年交流营") == ["两岸三地"]
    assert terms(matcher, "报道中不使用“两岸三地”的提法") == []
    assert terms(matcher, "将“两岸三地”改为“海峡两岸暨香港、澳门”") == []


def test_quoted_error_is_correct_where_its_suggestion_quotes_it(matcher: WordMatcher) -> None:
    assert terms(matcher, "在“海峡中线”以东演练") == []
    assert terms(matcher, "在海峡中线以东演练") == ["海峡中线"]


def test_renamed_body_in_a_cited_title_is_not_reported(matcher: WordMatcher) -> None:
    later = date(2020, 3, 1)
    assert terms(matcher, "根据《农业部关于加强动物防疫工作的通知》要求", later) == []
    assert terms(matcher, "根据农业部办公厅通知要求", later) == ["农业部"]
    assert terms(matcher, "根据《中华人名共和国宪法》") == ["中华人名共和国"]  # a typo stays a typo


def test_name_is_not_reported_but_its_typos_are(matcher: WordMatcher) -> None:
    assert terms(matcher, "中华人民共和国成立") == []
    assert terms(matcher, "中华人民共核国成立") == ["中华人民共核国"]


def test_titles_are_only_for_names() -> None:
    [entry] = wordlists.parse("李强\tname\t\ttitles=国务院总理|总理\n")
    assert entry.titles == ("国务院总理", "总理")
    with pytest.raises(wordlists.WordListError, match="titles= is only for name entries"):
        wordlists.parse("李强\terror\t\ttitles=总理\n")
