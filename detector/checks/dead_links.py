"""错链/断链: link targets that could not be opened, one finding per (site, target).

The inspection deducts per link and counts homepage links apart (0.2 vs 0.1 points), so each finding
records whether a homepage refers to it and which pages do. Its identity is the site and the target,
so it stays one problem whichever pages refer to it from scan to scan.
"""

from __future__ import annotations

from typing import Iterable

from core.model import Finding

from ..base import Context, EstateView


class DeadLinkCheck:
    name = "dead_links"
    kinds = ("dead_link",)

    def check(self, estate: EstateView, ctx: Context) -> Iterable[Finding]:
        for broken in estate.broken_links():
            status = broken.status
            # The referrers come homepage first, then in URL order: the first is where to look.
            yield Finding(
                kind="dead_link", url=broken.referrers[0], evidence=status.url, site=broken.site,
                unit=broken.unit, column=broken.columns[0], context=status.reason,
                suggestion="修复或删除该链接" + ("（首页链接，检查时单独计分）" if broken.on_homepage else ""),
                details={"reason": status.reason, "status": status.status, "referrers": broken.referrers,
                         "referrer_count": broken.count, "on_homepage": broken.on_homepage},
            )


CHECK = DeadLinkCheck()
