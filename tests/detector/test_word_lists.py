"""The shipped word lists measured: every real-world error line found, no correct line flagged.

Cases: cases/word_errors.toml (error lines, each with its corrected line) and cases/word_correct.toml
(correct lines, above all the names near-miss generation could endanger). When a case fails after a
list change, fix the list, not the case, unless the new behaviour is intended.
"""

from __future__ import annotations

from datetime import date

import pytest

from casefile import load_cases, params
from detector.base import Context
from detector.words import WordMatcher
from wordstats import findings, measure


@pytest.fixture(scope="module")
def ctx(shipped_matcher: WordMatcher) -> Context:
    return Context(today=date(2026, 11, 23), matcher=shipped_matcher)


@pytest.mark.parametrize("case", params("word_errors"))
def test_error_line_is_found(case: dict, ctx: Context) -> None:
    assert findings(case, ctx) == sorted(case["expect"])


@pytest.mark.parametrize("case", params("word_errors"))
def test_corrected_line_is_silent(case: dict, ctx: Context) -> None:
    assert findings(case, ctx, case["correct"]) == []


@pytest.mark.parametrize("case", params("word_correct"))
def test_correct_line_is_silent(case: dict, ctx: Context) -> None:
    assert findings(case, ctx) == []


def test_measurement_is_large_enough_and_perfect(ctx: Context) -> None:
    stats = measure(ctx)
    assert stats.error_lines >= 200
    assert len(load_cases("word_correct")) >= 200
    assert (stats.recall, stats.flagged) == (1.0, [])
