"""Data-driven 错敏 cases against the shipped word lists (tests/detector/cases/words.toml)."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from detector.base import Context
from detector.checks.words import CHECK
from detector.words import WordMatcher
from core.model import Page

CASES = tomllib.loads((Path(__file__).parent / "cases" / "words.toml").read_text("utf-8"))["case"]


@pytest.fixture(scope="module")
def ctx(shipped_matcher: WordMatcher) -> Context:
    return Context(today=date(2026, 11, 23), matcher=shipped_matcher)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict, ctx: Context) -> None:
    published = date.fromisoformat(case["published"]) if case.get("published") else None
    page = Page(url="http://127.0.0.1:1/a.html", site="测试站", text=case["text"], published=published)
    found = sorted(f"{f.kind}:{f.evidence}" for f in CHECK.check(page, ctx))
    assert found == sorted(case["expect"])
