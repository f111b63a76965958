"""Re-checking a ticket's place now, as `govwatch check` would, for "已整改" claimed by a person.

The ticket service (storage.tickets) decides what a re-check means for the ticket; this module only
looks: it runs `check_url` (the scan's own path, nothing stored) on the place the problem lives and
says whether the same problem (the same fingerprint) is still there, or why it could not tell (the
place would not open, or was read only in part: the problem may lie in the rest).
"""

from __future__ import annotations

from typing import Callable

from core.config import Config
from core.model import SITE_KINDS, Ticket
from storage.tickets import Recheck

from .service import ScanFailed, check_url

# Kinds that one page read now cannot judge: they wait for the check that judges them.
NOT_NOW = {"repost_overdue": "上级文件转载超时由每小时的转载检查复查，无法立即复查"}


def place(config: Config, ticket: Ticket) -> str:
    """The URL whose check shows the problem: the site's homepage for a site-wide one, else the ticket's page
    (for a dead link, the page that referred to it)."""
    if ticket.kind in SITE_KINDS and (site := config.site(ticket.site)):
        return site.url
    return ticket.url


def rechecker(config: Config) -> Callable[[Ticket], Recheck]:
    def recheck(ticket: Ticket) -> Recheck:
        if ticket.kind in NOT_NOW:
            return Recheck(None, NOT_NOW[ticket.kind])
        url = place(config, ticket)
        try:
            outcome = check_url(config, url)
        except ScanFailed as exc:
            return Recheck(None, f"复查失败：{exc}")
        if not outcome.pages:
            if ticket.kind == "site_unreachable":
                return Recheck(True)  # not opening is the problem itself
            return Recheck(None, f"无法打开页面 {url}：{outcome.why_unopened()}")
        if any(f.fingerprint == ticket.fingerprint for f in outcome.findings):
            return Recheck(True)
        if {url, ticket.url} & outcome.partly_checked:  # the problem may lie in the part not read
            notes = "；".join(n for n in outcome.notes if url in n or ticket.url in n)
            return Recheck(None, f"页面 {url} 只检查了一部分或未能检查，无法确认已整改" + (f"：{notes}" if notes else ""))
        return Recheck(False)

    return recheck
