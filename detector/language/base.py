"""What every language rule shares: the hit it reports and the hooks the word matcher calls.

A rule is built once per matcher from every loaded word-list entry (its `lexicon`) and contributes in
up to four ways, each optional, as a Scrapy middleware implements only the hooks it needs: `entries`
adds terms to the matcher's one Aho–Corasick automaton, `confirm` vetoes a hit of its own terms in its
context, and `expand` turns a hit of one of its `probe` terms (never reported themselves: an anchor
such as the first half of a long name) into the hits it finds around it, so a search beyond a fixed
list still costs no second pass over the text; `screen` first drops, in bytes, the probe hits that
cannot lead anywhere (the name itself), as probes may be frequent. `scan` is the one second pass, for
what the shared automaton cannot see: a rule reading the text in another form (as sounds). Rules are
pure: the data they read comes from wordlists/ or an installed package.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Iterable

import wordlists
from wordlists import Entry


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int
    end: int


class Rule:
    """A language rule; `name` is what a finding's `details.rule` shows."""

    name = ""

    def __init__(self, lexicon: tuple[Entry, ...]) -> None:
        self.lexicon = lexicon

    def entries(self) -> Iterable[Entry]:
        """Terms for the automaton; the matcher tags them as this rule's own."""
        return ()

    def confirm(self, text: str, hit: Hit) -> bool:
        """Whether a hit of one of this rule's own terms stands in its context."""
        return True

    def screen(self, data: bytes, end: int, probe: str) -> bool:
        """Whether a hit of the probe `probe` ending at byte `end` of the text's UTF-8 `data` may lead
        anywhere: a cheap test in bytes, so that most probe hits never cost a character offset."""
        return True

    def expand(self, text: str, probe: Hit, published: date | None) -> Iterable[Hit]:
        """The hits found around a hit of one of this rule's `probe` entries; they skip segmentation
        confirmation (the rule judges them itself) but not allow entries or mentions."""
        return ()

    def scan(self, text: str, published: date | None) -> Iterable[Hit]:
        """Hits the rule finds in a pass of its own over the text, judged as `expand`'s are."""
        return ()


def tagged(entries: Iterable[Entry], rule: str) -> Iterable[Entry]:
    """The entries marked as `rule`'s own."""
    return (e if e.rule == rule else replace(e, rule=rule) for e in entries)


@cache
def attested() -> frozenset[str]:
    """What the suspecting rules (statistical, homophone) would report in correct official writing,
    counted there by bench/language/attested.py (wordlists/language/attested.tsv): real words and
    sequences, never suspected."""
    return frozenset(string for string, *_ in wordlists.language_data("attested.tsv"))
