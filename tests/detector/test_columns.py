"""Column freshness rules: categories by name, limits by category and level, pinned overrides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.config import ColumnConfig
from core.model import Column
from detector import Context
from detector.checks.columns import CHECK
from detector.column_rules import Category, categorize, category_of, judge, level_of

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


# -- issue 22: the category from the column's context ---------------------------------------------------


def _in_context(name: str, age: int, **context: object) -> Column:
    found = column(name, age, url="http://x/ghxx/gzjz/")
    for key, value in context.items():
        setattr(found, key, value)
    return found


@pytest.mark.parametrize("context, category, source, by", [
    ({}, "news", "name", "工作进展情况"),
    ({"crumbs": ["首页", "规划信息", "工作进展情况"]}, "planning", "breadcrumb", "规划信息"),
    ({"parent": "规划信息"}, "planning", "parent", "规划信息"),
    ({"section": "人事规划"}, "planning", "sitemap", "人事规划"),
    ({"crumbs": ["首页", "政务公开", "工作进展情况"]}, "news", "name", "工作进展情况"),
])
def test_category_from_the_breadcrumb_parent_and_site_map(context: dict, category: str, source: str, by: str) -> None:
    found = categorize(_in_context("工作进展情况", 30, **context))
    assert (found.category, found.source, found.by) == (category, source, by)


def test_a_name_that_says_nothing_takes_its_parents_category() -> None:
    found = categorize(_in_context("领导信息", 30, crumbs=["首页", "政民互动", "领导信息"]))
    assert (found.category, found.source) == ("interaction", "breadcrumb")
    assert categorize(_in_context("其他", 30, parent="新闻中心")).category == "news"
    assert categorize(_in_context("工作进展情况", 30), "notice") == Category("notice", "config")


def _judged(found: Column, ctx: Context | None = None) -> list:
    class Estate:
        def columns(self) -> list[Column]:
            return [found]

    return list(CHECK.check(Estate(), ctx or Context(today=TODAY)))  # type: ignore[arg-type]


def test_planning_information_is_not_judged_as_news_and_says_why() -> None:
    assert _judged(_in_context("工作进展情况", 30, crumbs=["首页", "规划信息", "工作进展情况"])) == []
    [finding] = _judged(_in_context("工作进展情况", 400, crumbs=["首页", "规划信息", "工作进展情况"]))
    assert finding.details["category"] == "planning"
    assert (finding.details["category_from"], finding.details["category_by"]) == ("breadcrumb", "规划信息")
    assert "当前位置“规划信息”" in finding.context and finding.evidence.startswith("人事、规划计划类栏目应在 365 天内更新")


def test_consultation_columns_are_fresh_for_interaction_column_days() -> None:
    from core.config import InteractionConfig
    assert category_of("县长信箱") == category_of("咨询投诉") == category_of("我为政府网站找错") == "interaction"
    assert category_of("人大代表建议办理") != "interaction"
    assert _judged(column("县长信箱", 60)) == []
    [finding] = _judged(column("县长信箱", 61))
    assert finding.details["limit_days"] == 60
    assert _judged(column("县长信箱", 61), Context(today=TODAY, interaction=InteractionConfig(column_days=90))) == []


def test_a_column_read_only_from_a_later_page_is_not_judged() -> None:
    last = column("通知公告", 1000, items=2)
    last.first_page, last.pages = False, 37
    assert _judged(last) == []
    blank = column("通知公告", None, items=0)
    blank.first_page = False
    assert _judged(blank) == []
