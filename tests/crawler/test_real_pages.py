"""Real list pages saved from public repositories (tests/crawler/real_pages/, origin and hand labels in
LABELS.toml): what govwatch reads on them matches the labels, and judged at their own dates they give
no false column or source finding."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.model import Column
from crawler.columns import column_of
from crawler.extract import extract_page
from detector import Context, check_page
from detector.checks.columns import CHECK as COLUMNS
from detector.describe import describe

HERE = Path(__file__).parent / "real_pages"
LABELS: dict[str, dict[str, Any]] = tomllib.loads((HERE / "LABELS.toml").read_text(encoding="utf-8"))["pages"]


def _read(name: str) -> tuple[Any, dict[str, Any], Column]:
    label = LABELS[name]
    today = date.fromisoformat(label["day"])
    page, _ = extract_page(label["url"], (HERE / name).read_text(encoding="utf-8"), site="站", today=today)
    page.column_url, page.empty_notice, page.fixed_content = column_of(page)
    dates = [item.date for item in page.list_items if item.date]
    column = Column("站", page.column_url, page.column, items=len(page.list_items), newest=max(dates, default=None),
                    crumbs=page.breadcrumb, pages=page.list_pages, pager=page.pager, first_page=page.list_page == 1)
    return page, label, column


@pytest.mark.parametrize("name", sorted(LABELS))
def test_what_is_read_matches_the_hand_labels(name: str) -> None:
    page, label, column = _read(name)
    seen = describe(page, date.fromisoformat(label["day"]), column)
    assert (seen["title"], seen["published"] or "", seen["source"]) == (label["title"], label["published"], label["source"])
    assert seen["kind"] == label.get("kind", "list")
    if "items" not in label:  # an article or a document page: no list of its own
        assert "items" not in seen
        return
    assert (seen["items"], seen["newest"], seen["pages"], seen["pager"]) == (
        label["items"], label["newest"], label["pages"], label["pager"])
    assert (seen["category"]["category"], seen["category"]["from"]) == (label["category"], label["category_from"])


@pytest.mark.parametrize("name", sorted(LABELS))
def test_judged_at_its_own_date_nothing_false_is_found(name: str) -> None:
    page, label, column = _read(name)
    ctx = Context(today=date.fromisoformat(label["day"]))

    class Estate:
        def columns(self) -> list[Column]:
            return [column]

    if page.column_url:
        assert list(COLUMNS.check(Estate(), ctx)) == []  # type: ignore[arg-type]
    kinds = {f.kind for f in check_page(page, ctx)}
    assert not kinds & {"missing_source", "unauthorized_source", "unanswered_message", "late_reply"}
