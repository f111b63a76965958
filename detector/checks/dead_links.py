"""错链/断链: link targets that could not be opened, one finding per (site, target).

The inspection deducts per link and counts homepage links apart (0.2 vs 0.1 points), so each finding
records whether a homepage refers to it and which pages do.
"""

from __future__ import annotations

from typing import Iterable

from core.model import Estate, Finding


class DeadLinkCheck:
    name = "dead_links"
    kinds = ("dead_link",)

    def check(self, estate: Estate, ctx: object) -> Iterable[Finding]:
        for (target, _site), refs in sorted(estate.referrers.items()):
            status = estate.links.get(target)
            if status is None or status.ok:
                continue
            # The homepage if it refers, else the first referrer in a stable order: the
            # finding's url, and so part of its fingerprint.
            where = refs.homepage or min(refs.pages)
            column = refs.columns[refs.pages.index(where)] if where in refs.pages else ""
            yield Finding(
                kind="dead_link", url=where, evidence=target, site=refs.site, unit=refs.unit,
                column=column, context=status.reason,
                suggestion="修复或删除该链接" + ("（首页链接，检查时单独计分）" if refs.homepage else ""),
                details={"reason": status.reason, "status": status.status, "referrers": refs.pages,
                         "referrer_count": refs.count, "on_homepage": bool(refs.homepage)},
            )


CHECK = DeadLinkCheck()
