"""The matcher's own rules, on small hand-made lists (independent of the shipped data)."""

from __future__ import annotations

import random
from datetime import date

import pytest

import wordlists
from casefile import load_cases
from detector.language.lexicon import ListRule
from detector.language.nearmiss import NearMissRule
from detector.language.segmenter import tokenizer
from detector.words import (_FOLD, WordMatcher, _any_of, _CharOffsets, _common_first, _scan, _token_spans,
                            encode)

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


def test_key_is_the_folded_utf8_bytes_one_character_each() -> None:
    assert encode("ＶＰＮ台A") == "vpn台a".encode("utf-8").decode("latin-1")


def test_offsets_survive_every_utf8_length_and_lone_surrogates() -> None:
    matcher = WordMatcher(wordlists.parse(LIST))
    text = "aé😀\ud800台中华人名共和国，x中华人名共和国"
    hits = matcher.find(text)
    assert [text[h.start:h.end] for h in hits] == ["中华人名共和国"] * 2
    assert [h.start for h in hits] == [5, 14]


def test_scan_in_chunks_finds_matches_across_chunk_boundaries() -> None:
    matcher = WordMatcher(wordlists.parse(LIST), rules=[ListRule, NearMissRule])  # no probes: listed terms only
    text = "支持台独，" * 3 + "中华人名共和国台独赌博"
    haystack = matcher._folding(text).decode("latin-1")
    whole = list(matcher._automaton.iter(haystack))
    assert len(whole) == 6
    for chunk in (1, 2, 3, 5, 7, len(haystack)):
        assert list(_scan(matcher._automaton, haystack, chunk)) == whole, chunk


def test_segmenting_block_by_block_gives_the_window_s_tokens() -> None:
    """_token_spans segments only the jieba blocks a hit overlaps; over the real case lines, every
    window cut block by block must give exactly jieba's tokens of the whole window."""
    lines = [case["text"] for name in ("word_errors", "word_correct", "words")
             for case in load_cases(name) if "text" in case]
    assert len(lines) > 500
    for line in lines:
        for left in range(0, len(line), 7):
            window = line[left:left + 24]
            spans = _token_spans(window, 0, len(window))
            assert [window[a:b] for a, b in spans] == list(tokenizer().cut(window, HMM=False)), window


def test_blocks_away_from_the_hit_are_not_segmented() -> None:
    window = "如下。我们搭建平台独立运营，服务企业发"
    start = window.index("台独")
    spans = list(_token_spans(window, start, start + 2))
    assert window[spans[0][0]:spans[-1][1]] == "我们搭建平台独立运营"


def test_char_offsets_count_characters_of_each_utf8_length() -> None:
    offset = _CharOffsets("aé台😀b".encode("utf-8"))
    assert [offset(b) for b in (0, 1, 3, 3, 6, 10, 11)] == [0, 1, 2, 2, 3, 4, 5]


FOLDING = """\
甲，乙\tsensitive\t\tstrict
"一带一路"战略\terror\t“一带一路”倡议\tstrict
pk10计划\tsensitive\t\tstrict
"""


def test_full_width_punctuation_in_a_term_matches_either_width() -> None:
    matcher = WordMatcher(wordlists.parse(FOLDING))
    for text in ("甲，乙", "甲,乙", "推进＂一带一路＂战略", '推进"一带一路"战略'):
        assert len(matcher.find(text)) == 1, text


def test_full_width_letters_and_digits_are_folded_wherever_they_are() -> None:
    matcher = WordMatcher(wordlists.parse(FOLDING))
    assert terms(matcher, "最新ＰＫ１０计划") == ["pk10计划"]
    assert terms(matcher, "ＰＫ１０计划，第１期，Pk10计划") == ["pk10计划"] * 2


def automaton_spans(matcher: WordMatcher, data: bytes) -> list[tuple[int, int]]:
    """The character spans the automaton matches in folded UTF-8 `data`, before any confirmation."""
    offset = _CharOffsets(data)
    return [(offset(last + 1) - length, offset(last + 1))
            for last, (length, *_) in matcher._automaton.iter(data.decode("latin-1"))]


def test_folding_only_the_forms_in_keys_matches_what_a_full_fold_matches() -> None:
    """The matcher folds only the full-width forms whose half-width form is in a key; over the terms
    written in random mixtures of widths and cases, among other full-width characters, its automaton
    must match exactly the spans it matches in a fold of the whole text."""
    matcher = WordMatcher(wordlists.parse(FOLDING))
    rng = random.Random(5)
    forms = {c: [c, c.upper(), chr(ord(c) + 0xFEE0), chr(ord(c.upper()) + 0xFEE0)] for c in ',"pk10'}
    noise = ["台", "（", "：", "Ｘ", "５", "x", " ", "，"]
    found = 0
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 4)):
            term = rng.choice(["甲,乙", '"一带一路"战略', "pk10计划"])
            parts.append("".join(rng.choice(forms.get(c, [c])) for c in term))
            parts.append("".join(rng.choice(noise) for _ in range(rng.randint(0, 3))))
        text = "".join(parts)
        spans = automaton_spans(matcher, matcher._folding(text))
        assert spans == automaton_spans(matcher, encode(text).encode("latin-1")), text
        found += len(spans)
    assert found > 300


def test_any_of_finds_exactly_the_given_full_width_characters() -> None:
    pattern = _any_of(["０", "ａ", "Ｚ"])
    assert pattern is not None
    assert [bool(pattern.search(c.encode("utf-8"))) for c in "０ａＺ１，ｚ0a"] == [True] * 3 + [False] * 5
    assert _any_of([]) is None


def test_terms_of_common_characters_are_added_first() -> None:
    assert sorted(["曌曌", "的曌", "曌的"], key=_common_first) == ["的曌", "曌的", "曌曌"]


def test_malformed_line_names_file_and_line() -> None:
    with pytest.raises(wordlists.WordListError, match="词库 my.tsv 第 2 行：未知类别"):
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
    with pytest.raises(wordlists.WordListError, match="titles= 只能用于 name 条目"):
        wordlists.parse("李强\terror\t\ttitles=总理\n")
