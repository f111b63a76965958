"""站点无法访问 (a veto item): a site whose homepage this scan could not fetch after retries, or whose
homepage probes (`govwatch probe`) failed too often over the window.

The inspection vetoes a site that fails 5 % of its probes over a week (at least 20 a day, a probe
failing past 15 s); `probe.warn_rate` (3 % by default) raises it before the inspector does. Both are
one problem per site.
"""

from __future__ import annotations

from typing import Iterable

from core.model import Finding

from ..base import Context, EstateView

SUGGESTION = "立即排查服务器、网络与域名解析，恢复站点访问"


class SiteUnreachableCheck:
    name = "site_unreachable"
    kinds = ("site_unreachable",)

    def check(self, estate: EstateView, ctx: Context) -> Iterable[Finding]:
        down = set()
        for site in estate.site_checks():
            if not site.ok:
                down.add(site.name)
                yield Finding(kind="site_unreachable", url=site.url, evidence=site.url,
                              details={"reason": site.reason},
                              site=site.name, unit=site.unit, context=f"首页无法打开：{site.reason}",
                              suggestion=SUGGESTION)
        window, limit = ctx.probe.window_days, ctx.probe.warn_rate
        for seen in estate.availability(window):
            if seen.site in down or seen.probes < ctx.probe.min_probes or seen.rate < limit:
                continue
            yield Finding(kind="site_unreachable", url=seen.url, evidence=seen.url, site=seen.site,
                          unit=seen.unit, suggestion=SUGGESTION,
                          context=(f"近 {window} 天首页探测 {seen.probes} 次，失败 {seen.failures} 次"
                                   f"（{seen.rate:.1%}），超过预警线 {limit:.0%}（检查指标：5% 即单项否决）"),
                          details={"probes": seen.probes, "failures": seen.failures,
                                   "rate": round(seen.rate, 4), "window_days": window})


CHECK = SiteUnreachableCheck()
