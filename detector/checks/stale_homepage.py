"""首页不更新 (a veto item): a homepage whose newest dated item is older than 14 days.

Year-less dates (11-20) on homepages are already resolved by the crawler. A homepage that is only a
navigation entry is judged by its second-level pages, as the inspection does; where nothing dated
can be found at all it counts as not updated.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from core.model import Finding

from ..base import Context, EstateView

LIMIT_DAYS = 14


class StaleHomepageCheck:
    name = "stale_homepage"
    kinds = ("stale_homepage",)

    def check(self, estate: EstateView, ctx: Context) -> Iterable[Finding]:
        for home in estate.homepages():
            if home.newest is not None and home.newest >= ctx.today - timedelta(days=LIMIT_DAYS):
                continue
            if home.newest is None:
                evidence, context = "首页未见带日期的信息", "首页没有任何带发布日期的信息，按首页不更新计"
            else:
                age = (ctx.today - home.newest).days
                where = "首页链接的二级页面" if home.navigation_entry else "首页"
                evidence = f"{where}最新信息为 {home.newest.isoformat()}"
                context = f"{where}最新信息发布于 {home.newest.isoformat()}，已 {age} 天未更新（超过 {LIMIT_DAYS} 天即单项否决）"
            yield Finding(kind="stale_homepage", url=home.url, evidence=evidence, site=home.site, unit=home.unit,
                          context=context, suggestion="立即更新首页动态要闻等栏目，首页 2 周内必须有更新",
                          details={"newest": home.newest.isoformat() if home.newest else None,
                                   "limit_days": LIMIT_DAYS, "navigation_entry": home.navigation_entry})


CHECK = StaleHomepageCheck()
