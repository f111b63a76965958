"""空白栏目 and 栏目不更新: columns with no items, columns whose newest item is too old, and fixed content
(概况, 政府信息公开指南 …) without this year's 年版.

A column's category comes from its context as well as its name (`column_rules.categorize`: the config,
a parent that makes a domain, the name, the breadcrumb, the parent column, the 网站地图); the finding's
`details` say which (`category_from`, `category_by`, `category_rule`). A column only later pages of
whose pager were read is not judged: its newest items are on its first page.

A column is known by its list (all pages of its pagination, script-built or not, datastore and
data-proxy records included), so a list whose items live in a script is not blank. Columns pinned in
the config (`[[columns]]`) take their category, limit or unit from there, or are ignored.
"""

from __future__ import annotations

from typing import Iterable

from core.model import Finding

from ..base import Context, EstateView
from ..column_rules import SOURCE_LABELS, categorize, fixed_is_current, judge, level_of, rule_of


class ColumnCheck:
    name = "columns"
    kinds = ("blank_column", "stale_column")

    def check(self, estate: EstateView, ctx: Context) -> Iterable[Finding]:
        for column in estate.columns():
            pinned = ctx.columns.get(column.url)
            if pinned is not None and pinned.ignore:
                continue
            unit = pinned.unit if pinned and pinned.unit else column.unit
            name = (pinned.name if pinned and pinned.name else column.name) or column.url
            where = {"url": column.url, "site": column.site, "unit": unit, "column": name}
            if column.fixed:
                if not fixed_is_current(column, ctx.today):
                    yield Finding(kind="stale_column", **where,
                                  evidence=f"固定信息类栏目应每年修订，标题应注明“{ctx.today.year}年版”",
                                  context=f"“{column.title}”未注明 {ctx.today.year} 年版，今年也未见修订",
                                  suggestion=f"核对更新内容，并在标题中注明“{ctx.today.year}年版”",
                                  details={"category": "fixed", "level": level_of(column), "title": column.title,
                                           "newest": column.newest.isoformat() if column.newest else None})
                continue
            if not column.first_page:
                continue  # only later pages of its pager were read: its newest items are on the first
            if column.items == 0:
                yield Finding(kind="blank_column", evidence=column.empty_notice or "栏目无任何信息", **where,
                              context=f"栏目“{name}”" + (f"显示“{column.empty_notice}”" if column.empty_notice
                                                         else "没有任何信息条目"),
                              suggestion="补充栏目内容；确无内容的栏目应合并或撤销，不得保留空白栏目")
                continue
            if column.newest is None:
                continue  # an undated list cannot be judged by its dates
            category = categorize(column, pinned.category if pinned else "")
            verdict = judge(column, ctx.today, category=category.category,
                            max_age_days=pinned.max_age_days if pinned and pinned.max_age_days else None,
                            interaction_days=ctx.interaction.column_days)
            if not verdict.stale:
                continue
            rule = rule_of(verdict)
            by = f"（据{SOURCE_LABELS[category.source]}“{category.by}”）" if category.source != "name" and category.by else ""
            yield Finding(kind="stale_column", **where,
                          evidence=f"{category.label}栏目{rule}，最新信息为 {column.newest.isoformat()}",
                          context=f"栏目“{name}”{by}最新信息发布于 {column.newest.isoformat()}，"
                                  f"已 {verdict.age_days} 天未更新",
                          suggestion="及时更新栏目内容；确实无法保障更新的栏目应整合或关停",
                          details={"category": verdict.category, "level": verdict.level,
                                   "limit_days": verdict.limit_days, "age_days": verdict.age_days,
                                   "newest": column.newest.isoformat(), "items": column.items,
                                   "category_from": category.source, "category_by": category.by,
                                   "category_rule": rule, "pages": column.pages, "pager": column.pager})


CHECK = ColumnCheck()
