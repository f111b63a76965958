"""空白栏目 and 栏目不更新: columns with no items, columns whose newest item is too old, and fixed content
(概况, 政府信息公开指南 …) without this year's 年版.

A column is known by its list (all pages of its pagination, script-built or not, datastore and
data-proxy records included), so a list whose items live in a script is not blank. Columns pinned in
the config (`[[columns]]`) take their category, limit or unit from there, or are ignored.
"""

from __future__ import annotations

from typing import Iterable

from core.model import Finding

from ..base import Context, EstateView
from ..column_rules import CATEGORY_LABELS, fixed_is_current, judge, level_of


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
            if column.items == 0:
                yield Finding(kind="blank_column", evidence=column.empty_notice or "栏目无任何信息", **where,
                              context=f"栏目“{name}”" + (f"显示“{column.empty_notice}”" if column.empty_notice
                                                         else "没有任何信息条目"),
                              suggestion="补充栏目内容；确无内容的栏目应合并或撤销，不得保留空白栏目")
                continue
            if column.newest is None:
                continue  # an undated list cannot be judged by its dates
            verdict = judge(column, ctx.today, category=pinned.category if pinned else "",
                            max_age_days=pinned.max_age_days if pinned and pinned.max_age_days else None)
            if not verdict.stale:
                continue
            rule = (f"应在 {verdict.limit_days} 天内更新" if verdict.limit_days is not None
                    else "应在法定期限（1 月 31 日）前发布上一年度报告")
            label = CATEGORY_LABELS[verdict.category]
            yield Finding(kind="stale_column", **where,
                          evidence=f"{label}栏目{rule}，最新信息为 {column.newest.isoformat()}",
                          context=f"栏目“{name}”最新信息发布于 {column.newest.isoformat()}，已 {verdict.age_days} 天未更新",
                          suggestion="及时更新栏目内容；确实无法保障更新的栏目应整合或关停",
                          details={"category": verdict.category, "level": verdict.level,
                                   "limit_days": verdict.limit_days, "age_days": verdict.age_days,
                                   "newest": column.newest.isoformat(), "items": column.items})


CHECK = ColumnCheck()
