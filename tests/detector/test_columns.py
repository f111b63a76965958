"""Column freshness rules: categories by name, limits by category and level, pinned overrides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.config import ColumnConfig
from core.model import Column
from detector import Context
from detector.checks.columns import CHECK
from detector.column_rules import category_of, judge, level_of

TODAY = date(2026, 11, 23)


def column(name: str, age: int | None, *, subsite: bool = False, url: str = "http://x/col/", items: int = 5) -> Column:
    newest = TODAY - timedelta(days=age) if age is not None else None
    return Column("站", url, name, "办", subsite, items, newest)


@pytest.mark.parametrize("name, category", [
    ("工作动态", "news"), ("政务要闻", "news"), ("乡镇动态", "news"), ("通知公告", "notice"),
    ("规范性文件", "notice"), ("政策解读", "notice"), ("周动态", "weekly"), ("月度工作小结", "monthly"),
    ("季度情况通报", "quarterly"), ("政府信息公开工作年度报告", "yearly"), ("领导信息", "other"),
])
def test_category_from_the_name(name: str, category: str) -> None:
    assert category_of(name) == category


@pytest.mark.parametrize("name, age, stale", [
    ("工作动态", 14, False), ("工作动态", 15, True),
    ("月报", 38, False), ("月报", 39, True),
    ("季度情况", 107, False), ("季度情况", 108, True),
    ("领导信息", 365, False), ("领导信息", 366, True),
])
def test_limits_by_category(name: str, age: int, stale: bool) -> None:
    assert judge(column(name, age), TODAY).stale is stale


def test_notice_limits_by_level() -> None:
    assert judge(column("通知公告", 190), TODAY).stale
    assert not judge(column("通知公告", 190, subsite=True), TODAY).stale
    assert not judge(column("通知公告", 190, url="http://x/zt/2026/tzgg/"), TODAY).stale
    assert level_of(column("专题专栏通知", 1)) == 2


def test_yearly_reports_by_the_statutory_date() -> None:
    report = Column("站", "http://x/ndbg/", "政府信息公开工作年度报告", "", False, 3, date(2025, 1, 20))
    assert judge(report, date(2026, 1, 31)).stale is False  # last year's report is still the latest due
    assert judge(report, date(2026, 2, 1)).stale is True  # 2025's report was due by 2026-01-31


def test_pinned_columns_override_or_are_ignored() -> None:
    url = "http://x/col/"
    stale = column("工作动态", 20, url=url)

    class Estate:
        def columns(self) -> list[Column]:
            return [stale]

    def found(pinned: ColumnConfig) -> list:
        return list(CHECK.check(Estate(), Context(today=TODAY, columns={url: pinned})))  # type: ignore[arg-type]

    assert found(ColumnConfig(url=url, max_age_days=30)) == []
    assert found(ColumnConfig(url=url, ignore=True)) == []
    assert found(ColumnConfig(url=url, category="notice")) == []  # 20 days is fine for notices
    [finding] = found(ColumnConfig(url=url, unit="县融媒体中心", name="要闻"))
    assert (finding.kind, finding.unit, finding.column, finding.details["limit_days"]) == \
        ("stale_column", "县融媒体中心", "要闻", 14)


def test_fixed_content_needs_this_years_edition_or_a_revision_this_year() -> None:
    from detector.column_rules import fixed_is_current

    def fixed(title: str, revised: date | None) -> Column:
        return Column("站", "http://x/gkzn/", "政府信息公开指南", "", False, 0, revised, "", True, title)

    assert not fixed_is_current(fixed("信息公开指南（2025年版）", date(2025, 3, 1)), TODAY)
    assert fixed_is_current(fixed("信息公开指南（2026年版）", None), TODAY)
    assert fixed_is_current(fixed("信息公开指南", date(2026, 2, 1)), TODAY)
    assert not fixed_is_current(fixed("信息公开指南", None), TODAY)
