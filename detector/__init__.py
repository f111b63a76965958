"""The detector: page models (and the crawled estate) in, findings out. No I/O happens here."""

from __future__ import annotations

from core.model import Estate, Finding, Page

from .base import Context
from .registry import ESTATE_CHECKS, PAGE_CHECKS
from .words import WordMatcher

__all__ = ["Context", "WordMatcher", "check_page", "check_estate", "kinds"]


def check_page(page: Page, ctx: Context) -> list[Finding]:
    """Every page check over one page (an HTML page or an attachment's text)."""
    return [finding for check in PAGE_CHECKS for finding in check.check(page, ctx)]


def check_estate(estate: Estate, ctx: Context) -> list[Finding]:
    """Checks that need the whole crawl: unreachable sites, dead links."""
    return [finding for check in ESTATE_CHECKS for finding in check.check(estate, ctx)]


def kinds() -> list[str]:
    """The finding kinds the registered checks can emit today."""
    return [kind for check in (*PAGE_CHECKS, *ESTATE_CHECKS) for kind in check.kinds]
