"""The word matcher kept between processes: read back only for the same entries, code and data,
only from a folder no one else may write to, and never at the cost of a scan."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import wordlists
from detector.words import WordMatcher
from govwatch.matchers import word_matcher
from wordlists import Entry

TEXT = "中华人民共合国国务院办公厅关于印发通知，平台独立运营。"


def _hits(matcher: WordMatcher) -> list[tuple[str, int, int]]:
    return [(hit.entry.term, hit.start, hit.end) for hit in matcher.find(TEXT)]


def test_the_kept_matcher_finds_what_a_built_one_finds_and_is_read_back(tmp_path: Path) -> None:
    entries = wordlists.load([])
    built = word_matcher(entries, tmp_path)
    kept = list(tmp_path.glob("matcher-*.pickle"))
    assert len(kept) == 1 and _hits(built) and _hits(built) == _hits(WordMatcher(entries))
    # What is read back is the file: a matcher of other entries, put in its place, is what comes out.
    kept[0].write_bytes(pickle.dumps(WordMatcher([Entry("合国国务", "error", strict=True)])))
    assert [term for term, _, _ in _hits(word_matcher(entries, tmp_path))] == ["合国国务"]


def test_other_entries_build_their_own_and_the_old_one_is_removed(tmp_path: Path) -> None:
    word_matcher(wordlists.load([]), tmp_path)
    first = set(tmp_path.glob("matcher-*.pickle"))
    other = word_matcher([*wordlists.load([]), Entry("平台独立运营", "error", strict=True)], tmp_path)
    assert ("平台独立运营", 20, 26) in _hits(other)
    second = set(tmp_path.glob("matcher-*.pickle"))
    assert len(second) == 1 and second != first


def test_a_cut_file_is_built_again_and_replaced(tmp_path: Path) -> None:
    entries = wordlists.load([])
    word_matcher(entries, tmp_path)
    (kept,) = tmp_path.glob("matcher-*.pickle")
    kept.write_bytes(kept.read_bytes()[:1000])
    assert _hits(word_matcher(entries, tmp_path)) == _hits(WordMatcher(entries))
    assert pickle.loads(kept.read_bytes()).size == WordMatcher(entries).size


def test_nothing_is_read_from_or_kept_in_a_folder_others_may_write_to(tmp_path: Path) -> None:
    entries = wordlists.load([])
    word_matcher(entries, tmp_path)
    (kept,) = tmp_path.glob("matcher-*.pickle")
    planted = pickle.dumps(WordMatcher([Entry("合国国务", "error", strict=True)]))
    kept.write_bytes(planted)
    os.chmod(tmp_path, 0o777)
    assert _hits(word_matcher(entries, tmp_path)) == _hits(WordMatcher(entries))
    assert kept.read_bytes() == planted  # nothing written there either
