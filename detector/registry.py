"""Every check, in the order it runs. Adding a check means adding its module and one line here."""

from __future__ import annotations

from .checks import columns, dead_links, hidden_links, privacy, secret_marking, site_unreachable, stale_homepage, words

PAGE_CHECKS = [
    words.CHECK,
    privacy.CHECK,
    secret_marking.CHECK,
    hidden_links.CHECK,
]

ESTATE_CHECKS = [
    site_unreachable.CHECK,
    dead_links.CHECK,
    stale_homepage.CHECK,
    columns.CHECK,
]
