"""The detector: page models (and the stored estate) in, findings out. No I/O happens here.

Each check fails alone: a check that raises on one page is logged with its name and counted in
`failures`, and the other checks' findings of that page are kept.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Iterable

from core.model import Finding, Page

from .base import Context, EstateView
from .registry import ESTATE_CHECKS, PAGE_CHECKS
from .words import WordMatcher

__all__ = ["Context", "EstateView", "WordMatcher", "check_page", "check_estate", "kinds"]

log = logging.getLogger(__name__)


def check_page(page: Page, ctx: Context, failures: Counter[str] | None = None) -> list[Finding]:
    """Every page check over one page (an HTML page or an attachment's text)."""
    return _run(PAGE_CHECKS, page, ctx, page.url, failures)


def check_estate(estate: EstateView, ctx: Context, failures: Counter[str] | None = None,
                 only: Iterable[str] = ()) -> list[Finding]:
    """Checks that need the whole estate (unreachable sites, dead links, columns …); `only` names a few."""
    names = set(only)
    return _run([c for c in ESTATE_CHECKS if not names or c.name in names], estate, ctx, "estate", failures)


def _run(checks: Iterable[Any], subject: Any, ctx: Context, where: str,
         failures: Counter[str] | None) -> list[Finding]:
    found: list[Finding] = []
    for check in checks:
        try:
            found.extend(check.check(subject, ctx))
        except Exception:
            if failures is None:
                raise
            log.exception("check %s failed on %s", check.name, where)
            failures[check.name] += 1
    for finding in found:
        finding.identify(ctx.site_netlocs)
    return found


def page_kinds() -> frozenset[str]:
    """The kinds page checks decide: what any scan that checked a page has judged there."""
    return frozenset(kind for check in PAGE_CHECKS for kind in check.kinds)


def estate_check(name: str) -> Any:
    return next(check for check in ESTATE_CHECKS if check.name == name)


def kinds() -> list[str]:
    """The finding kinds the registered checks can emit today."""
    return [kind for check in (*PAGE_CHECKS, *ESTATE_CHECKS) for kind in check.kinds]
