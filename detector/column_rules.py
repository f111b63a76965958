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

from core.model import Column

# Category by the column's name; the first that matches wins (周动态 is weekly before it is news).
_CATEGORIES = (
    ("yearly", re.compile(r"年报|年度报告|年度工作报告")),
    ("quarterly", re.compile(r"季度|季报")),
    ("monthly", re.compile(r"月报|月度|月小结|每月")),
    ("weekly", re.compile(r"周报|周动态|每周|一周")),
    ("notice", re.compile(r"通知|公告|公示|政策|文件|法规|规章|决策|解读")),
    ("news", re.compile(r"动态|要闻|新闻|资讯|快讯|进展|工作信息|政务信息|图片|视频")),
)
CATEGORY_LABELS = {"fixed": "固定信息类", "news": "动态要闻类", "notice": "通知公告和政策文件类", "weekly": "周更新类",
                   "monthly": "月更新类", "quarterly": "季度更新类", "yearly": "年度报告类", "other": "其他"}
# Days allowed since the newest item: the period plus a grace for the periodic ones.
_LIMIT_DAYS = {"news": 14, "weekly": 7 + 3, "monthly": 31 + 7, "quarterly": 92 + 15, "other": 365}
NOTICE_DAYS = {1: 180, 2: 365}
_TOPIC = re.compile(r"专题|专栏")


@dataclass
class Verdict:
    category: str
    level: int
    limit_days: int | None  # None: judged by the statutory date (yearly reports)
    stale: bool
    age_days: int


def category_of(name: str) -> str:
    return next((category for category, words in _CATEGORIES if words.search(name)), "other")


def level_of(column: Column) -> int:
    """1 for a portal's own columns; 2 (and above) for 专题 and for every column of a subsite."""
    return 2 if column.subsite or _TOPIC.search(column.name) or "/zt" in column.url else 1


def judge(column: Column, today: date, *, category: str = "", max_age_days: int | None = None) -> Verdict:
    """Whether the column's newest item is too old. It must have a dated item to be judged."""
    assert column.newest is not None
    category = category or category_of(column.name)
    level = level_of(column)
    age = (today - column.newest).days
    if max_age_days is not None:
        return Verdict(category, level, max_age_days, age > max_age_days, age)
    if category == "yearly":
        # The report of year Y-1 is due by 31 January of year Y (政府信息公开工作年度报告).
        due_year = today.year if today > date(today.year, 1, 31) else today.year - 1
        return Verdict(category, level, None, column.newest < date(due_year, 1, 1), age)
    limit = NOTICE_DAYS[min(level, 2)] if category == "notice" else _LIMIT_DAYS[category]
    return Verdict(category, level, limit, column.newest < today - timedelta(days=limit), age)


def fixed_is_current(column: Column, today: date) -> bool:
    """Fixed content (概况, 政府信息公开指南 …) carries this year's 年版 in its title or was revised this year."""
    return f"{today.year}年版" in column.title or (column.newest is not None and column.newest.year == today.year)
