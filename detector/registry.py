"""Every check, in the order it runs. Adding a check means adding its module and one line here."""

from __future__ import annotations

from .checks import (columns, dead_links, expired, hidden_links, interaction, interpretations, privacy, reposts,
                     secret_marking, site_unreachable, sources, stale_homepage, words)

PAGE_CHECKS = [
    words.CHECK,
    privacy.CHECK,
    secret_marking.CHECK,
    hidden_links.CHECK,
    sources.CHECK,
    expired.CHECK,
    interaction.CHECK,
]

ESTATE_CHECKS = [
    site_unreachable.CHECK,
    dead_links.CHECK,
    stale_homepage.CHECK,
    columns.CHECK,
    reposts.CHECK,
    interpretations.CHECK,
]
