"""The listed terms without a date (rule `list`): sensitive words, erroneous expressions and allow
entries as written in the shipped and the user's word lists. Dated entries belong to renamed.py."""

from __future__ import annotations

from typing import Iterable

from wordlists import Entry

from .base import Rule


class ListRule(Rule):
    name = "list"

    def entries(self) -> Iterable[Entry]:
        return (e for e in self.lexicon if e.category != "name" and e.after is None)
