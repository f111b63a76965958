"""站点无法访问: a configured site whose homepage could not be fetched after retries (a veto item)."""

from __future__ import annotations

from typing import Iterable

from core.model import Finding

from ..base import Context, EstateView


class SiteUnreachableCheck:
    name = "site_unreachable"
    kinds = ("site_unreachable",)

    def check(self, estate: EstateView, ctx: Context) -> Iterable[Finding]:
        for site in estate.site_checks():
            if not site.ok:
                yield Finding(kind="site_unreachable", url=site.url, evidence=site.url,
                              details={"reason": site.reason},
                              site=site.name, unit=site.unit, context=f"首页无法打开：{site.reason}",
                              suggestion="立即排查服务器、网络与域名解析，恢复站点访问")


CHECK = SiteUnreachableCheck()
