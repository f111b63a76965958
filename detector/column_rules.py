"""How old a column may get before it counts as not updated (栏目不更新), by category and level.

Defaults come from the national indicators and the county rules (万州 第二十条): news within 2
weeks; notices and policy documents within 6 months on the first level, 1 year above it; columns with
an evident rhythm by their period plus a grace; yearly reports by their statutory date; anything
else within a year. `[[columns]]` entries in the config pin a column's category or limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from core.config import InteractionConfig
from core.model import Column

# Category by the column's name; the first that matches wins (周动态 is weekly before it is news, 县长信箱
# is a consultation channel, 人事任免 and 规划计划 are yearly-updated 人事、规划计划类).
_CATEGORIES = (
    ("yearly", re.compile(r"年报|年度报告|年度工作报告")),
    ("quarterly", re.compile(r"季度|季报")),
    ("monthly", re.compile(r"月报|月度|月小结|每月")),
    ("weekly", re.compile(r"周报|周动态|每周|一周")),
    ("interaction", re.compile(r"留言|信箱|咨询|投诉|找错|纠错|互动|问政|来信|(?<!代表)(?<!委员)建议(?!提案|办理)")),
    ("planning", re.compile(r"规划|计划|人事|任免|招录|招考|招聘")),
    ("notice", re.compile(r"通知|公告|公示|政策|文件|法规|规章|决策|解读")),
    ("news", re.compile(r"动态|要闻|新闻|资讯|快讯|进展|工作信息|政务信息|图片|视频")),
)
# Categories a parent imposes on everything below it: 规划信息 › 工作进展情况 is planning information
# however its own name reads; 政民互动 › 网上调查 is a channel of interaction.
_DOMAINS = ("planning", "interaction")
CATEGORY_LABELS = {"fixed": "固定信息类", "news": "动态要闻类", "notice": "通知公告和政策文件类", "weekly": "周更新类",
                   "monthly": "月更新类", "quarterly": "季度更新类", "yearly": "年度报告类",
                   "planning": "人事、规划计划类", "interaction": "互动交流类", "other": "其他"}
SOURCE_LABELS = {"config": "配置", "name": "栏目名称", "breadcrumb": "当前位置", "parent": "上级栏目", "sitemap": "网站地图"}
# Days allowed since the newest item: the period plus a grace for the periodic ones.
_LIMIT_DAYS = {"news": 14, "weekly": 7 + 3, "monthly": 31 + 7, "quarterly": 92 + 15, "planning": 365, "other": 365}
INTERACTION_DAYS: int = InteractionConfig.column_days  # 留言公开: 2 个月内未更新扣分 (`interaction.column_days`)
_NOT_A_COLUMN = {"首页", "网站首页", "主页", "返回首页"}
NOTICE_DAYS = {1: 180, 2: 365}
_TOPIC = re.compile(r"专题|专栏")


@dataclass
class Verdict:
    category: str
    level: int
    limit_days: int | None  # None: judged by the statutory date (yearly reports)
    stale: bool
    age_days: int


@dataclass
class Category:
    """A column's category and what it was read from: `source` is config, name, breadcrumb, parent or
    sitemap, `by` the name that said it."""

    category: str
    source: str
    by: str = ""

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.category]


def category_of(name: str) -> str:
    return next((category for category, words in _CATEGORIES if words.search(name)), "other")


def categorize(column: Column, pinned: str = "") -> Category:
    """The column's category from its context as well as its name.

    A category the config pins wins. Then a parent that makes a domain (人事、规划计划, 互动交流)
    decides for every column below it; else the column's own name; else the nearest parent whose
    name says anything. Parents are read from the breadcrumb (nearest first), else the column above
    it by URL, else the 网站地图 section that lists it.
    """
    if pinned:
        return Category(pinned, "config")
    own = category_of(column.name)
    context = [(name, "breadcrumb") for name in reversed(column.crumbs)
               if name not in _NOT_A_COLUMN and name != column.name and name not in column.site]
    context += [(name, source) for name, source in ((column.parent, "parent"), (column.section, "sitemap")) if name]
    for name, source in context:
        if category_of(name) in _DOMAINS and own not in ("yearly",):
            return Category(category_of(name), source, name)
    if own != "other":
        return Category(own, "name", column.name)
    for name, source in context:
        if category_of(name) != "other":
            return Category(category_of(name), source, name)
    return Category("other", "name", column.name)


def level_of(column: Column) -> int:
    """1 for a portal's own columns; 2 (and above) for 专题 and for every column of a subsite."""
    return 2 if column.subsite or _TOPIC.search(column.name) or "/zt" in column.url else 1


def judge(column: Column, today: date, *, category: str = "", max_age_days: int | None = None,
          interaction_days: int = INTERACTION_DAYS) -> Verdict:
    """Whether the column's newest item is too old. It must have a dated item to be judged."""
    assert column.newest is not None
    category = category or categorize(column).category
    level = level_of(column)
    age = (today - column.newest).days
    if max_age_days is not None:
        return Verdict(category, level, max_age_days, age > max_age_days, age)
    if category == "yearly":
        # The report of year Y-1 is due by 31 January of year Y (政府信息公开工作年度报告).
        due_year = today.year if today > date(today.year, 1, 31) else today.year - 1
        return Verdict(category, level, None, column.newest < date(due_year, 1, 1), age)
    limit = (NOTICE_DAYS[min(level, 2)] if category == "notice" else interaction_days if category == "interaction"
             else _LIMIT_DAYS[category])
    return Verdict(category, level, limit, column.newest < today - timedelta(days=limit), age)


def fixed_is_current(column: Column, today: date) -> bool:
    """Fixed content (概况, 政府信息公开指南 …) carries this year's 年版 in its title or was revised this year."""
    return f"{today.year}年版" in column.title or (column.newest is not None and column.newest.year == today.year)


def rule_of(verdict: Verdict) -> str:
    """The freshness rule a verdict applied, as users read it."""
    if verdict.limit_days is None:
        return "应在法定期限（1 月 31 日）前发布上一年度报告"
    return f"应在 {verdict.limit_days} 天内更新"
