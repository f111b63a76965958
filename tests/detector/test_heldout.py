"""The held-out error set (bench/language/heldout-*.tsv) stays well formed and split as it was, and
the harness that measures recall on it counts a row only when a word finding lies over its slip.

Rows are real published errors the word lists were not written from; mechanisms are tuned on the
tuning half and recall is reported on the test half (`python -m bench.language`). A row may never move
between halves, so each must sit in the half the sha1 of its erroneous text names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import wordlists
from bench.language import ecspell, heldout
from bench.language.evaluate import build_matcher, judge_row
from bench.language.heldout import Row, RowError, half_of, parse_row
from detector.words import WordMatcher


@pytest.fixture(scope="module")
def halves() -> dict[str, list[Row]]:
    return {half: heldout.load(half) for half in heldout.HALVES}  # a malformed row raises, naming file:line


def test_set_is_large_enough(halves: dict[str, list[Row]]) -> None:
    assert len(halves["tuning"]) + len(halves["test"]) >= 300
    assert min(len(rows) for rows in halves.values()) >= 100


def test_each_row_is_in_the_half_its_hash_names(halves: dict[str, list[Row]]) -> None:
    misplaced = [(half, row.erroneous) for half, rows in halves.items() for row in rows
                 if half_of(row.erroneous) != half]
    assert misplaced == []


def test_no_erroneous_text_appears_twice(halves: dict[str, list[Row]]) -> None:
    texts = [row.erroneous for rows in halves.values() for row in rows]
    assert len(texts) == len(set(texts))


def test_no_row_is_held_by_the_lists(halves: dict[str, list[Row]]) -> None:
    """A list entry taken in later that holds a row's error makes it memory: `heldout prune` drops it."""
    known = heldout.known_errors()
    held = [row.erroneous for rows in halves.values() for row in rows if heldout.already_known(row, known)]
    assert held == []


def test_every_row_has_an_erroneous_span(halves: dict[str, list[Row]]) -> None:
    for row in (row for rows in halves.values() for row in rows):
        start, end = row.span
        assert 0 <= start < end <= len(row.erroneous), row.erroneous


GOOD = "齐齐哈市\t齐齐哈尔市\tgeography\t2019\thttp://example.org/a"


@pytest.mark.parametrize("line, problem", [
    ("齐齐哈市\t齐齐哈尔市\tgeography\t2019", "5 tab-separated columns"),
    (GOOD + "\textra", "5 tab-separated columns"),
    ("\t齐齐哈尔市\tgeography\t2019\thttp://example.org/a", "empty"),
    ("齐齐哈市\t \tgeography\t2019\thttp://example.org/a", "empty"),
    ("齐齐哈尔市\t齐齐哈尔市\tgeography\t2019\thttp://example.org/a", "equals"),
    ("齐齐哈市\t齐齐哈尔市\tplace\t2019\thttp://example.org/a", "unknown class"),
    ("齐齐哈市\t齐齐哈尔市\tgeography\t19\thttp://example.org/a", "YYYY or YYYY-MM-DD"),
    ("齐齐哈市\t齐齐哈尔市\tgeography\t2019-02\thttp://example.org/a", "YYYY or YYYY-MM-DD"),
    ("齐齐哈市\t齐齐哈尔市\tgeography\t2019-02-30\thttp://example.org/a", "no such date"),
    ("齐齐哈市\t齐齐哈尔市\tgeography\t2019\texample.org/a", "http"),
])
def test_malformed_row_is_refused_with_its_line(line: str, problem: str) -> None:
    with pytest.raises(RowError, match=problem) as refused:
        parse_row(line, "heldout-test.tsv:7")
    assert str(refused.value).startswith("heldout-test.tsv:7: ")


def test_span_and_date_of_a_row() -> None:
    deletion = parse_row(GOOD, "x")
    assert deletion.erroneous[slice(*deletion.span)] == "哈市"  # the gap's neighbours
    substitution = parse_row("市商务局攻府信息\t市商务局政府信息\ttwo_char\t2019-02-25\thttp://e.org", "x")
    assert substitution.erroneous[slice(*substitution.span)] == "攻"
    assert str(deletion.page_date) == "2019-12-31" and str(substitution.page_date) == "2019-02-25"


@pytest.fixture(scope="module")
def matcher() -> WordMatcher:
    return build_matcher()[0]


def test_harness_counts_a_word_finding_over_the_span(matcher: WordMatcher) -> None:
    row = parse_row("根据《中华人民共合国宪法》第三十三条\t根据《中华人民共和国宪法》第三十三条\tfixed_name\t2019"
                    "\thttp://e.org", "x")
    result = judge_row(matcher, row)
    assert (result.caught, result.unlocated, result.false_flags) == (True, False, [])


def test_harness_ignores_a_word_finding_elsewhere(matcher: WordMatcher) -> None:
    # A listed error away from the row's own slip (攻府) does not make the row caught.
    row = parse_row("中华人民共合国攻府\t中华人民共合国政府\ttwo_char\t2019\thttp://e.org", "x")
    result = judge_row(matcher, row)
    assert not result.caught
    assert [f.evidence for f in result.false_flags] == ["中华人民共合国"]


def test_ecspell_halves_are_as_published_and_well_formed() -> None:
    halves = {half: ecspell.load(half) for half in ecspell.HALVES}
    assert (len(halves["tuning"]), len(halves["test"])) == (1719, 500)
    assert all(len(s.erroneous) == len(s.corrected) for rows in halves.values() for s in rows)
    assert sum(bool(s.errors) for s in halves["test"]) >= 250


def test_ecspell_counts_an_error_only_under_a_word_finding() -> None:
    matcher = WordMatcher(wordlists.parse("中华人民共和国\tname\n"))
    sentences = [ecspell.Sentence("中华人民大和国宪法和法律", "中华人民共和国宪法和法律"),  # 大: caught
                 ecspell.Sentence("遵守宪法和法侓", "遵守宪法和法律"),  # 侓: no rule knows it
                 ecspell.Sentence("遵守宪法和法律", "遵守宪法和法律")]
    result = ecspell.measure(matcher, sentences)
    assert (result.errors, result.caught, result.sentences_with_errors, result.sentences_caught) == (2, 1, 2, 1)
    assert result.flagged == [] and result.missed == [("宪法和法侓", "宪法和法律")]


def test_prune_drops_the_rows_the_lists_now_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    halves = {"tuning": tmp_path / "tuning.tsv", "test": tmp_path / "test.tsv"}
    halves["tuning"].write_text("# 说明\n" + GOOD + "\n" + GOOD.replace("齐齐哈市", "侯车室", 1) + "\n", encoding="utf-8")
    halves["test"].write_text("# 说明\n", encoding="utf-8")
    monkeypatch.setattr(heldout, "HALVES", halves)
    heldout.prune()  # 侯车室 is in errors.tsv (《咬文嚼字》's 100 commonest 别字), 齐齐哈市 in no list
    assert halves["tuning"].read_text(encoding="utf-8") == "# 说明\n" + GOOD + "\n"
    assert halves["test"].read_text(encoding="utf-8") == "# 说明\n"
