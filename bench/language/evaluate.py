"""Detection quality measured the way a scan judges pages: the shipped word lists built into the
matcher as the scan builds it, every page check run on a page holding the text, dated as published.

Recall on the held-out errors (a row is caught when a word finding overlaps its erroneous span),
false flags on their corrected texts, and what the detector says about real government prose judged
at each document's own date.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

import wordlists
from core.model import Finding, Page
from detector import Context, check_page
from detector.words import WordMatcher

from .heldout import CLASSES, Row
from .prose import Document

WORD_KINDS = ("erroneous_expression", "sensitive_word", "suspected_typo")
_URL = "http://127.0.0.1/heldout.html"


def build_matcher() -> tuple[WordMatcher, float]:
    """The matcher from the shipped lists, and the seconds its build took (jieba's dictionary included)."""
    start = time.perf_counter()
    matcher = WordMatcher(wordlists.load()).prepare()
    return matcher, time.perf_counter() - start


def findings(matcher: WordMatcher, text: str, published: date | None, today: date | None = None) -> list[Finding]:
    """Every page check over a page of `text` published on `published`, judged on that day (an undated
    page, as a scan judges one, on `today`)."""
    page = Page(url=_URL, site="held-out", text=text, published=published)
    return check_page(page, Context(today=published or today or date.today(), matcher=matcher))


def rule_of(finding: Finding) -> str:
    return str(finding.details.get("rule", "(none)"))


def _fold(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text).lower()


def overlaps(finding: Finding, text: str, span: tuple[int, int]) -> bool | None:
    """Whether the finding lies over the span: by its `details` offsets when it gives them, else by
    where its evidence occurs in the text; None when it can be located neither way."""
    start, end = span
    if isinstance(finding.details.get("start"), int) and isinstance(finding.details.get("end"), int):
        return finding.details["start"] < end and start < finding.details["end"]
    evidence = _fold(finding.evidence)
    if not evidence:
        return None
    positions = [m.start() for m in re.finditer(re.escape(evidence), _fold(text))]
    if not positions:
        return None
    return any(at < end and start < at + len(evidence) for at in positions)


@dataclass
class RowResult:
    row: Row
    caught: bool
    unlocated: bool  # caught only by a word finding whose place in the text is unknown
    rules: list[str]
    false_flags: list[Finding]  # word findings on the corrected text


def judge_row(matcher: WordMatcher, row: Row) -> RowResult:
    span = row.span
    word = [f for f in findings(matcher, row.erroneous, row.page_date) if f.kind in WORD_KINDS]
    placed = [(f, overlaps(f, row.erroneous, span)) for f in word]
    hits = [f for f, over in placed if over]
    unlocated = [f for f, over in placed if over is None]
    # Only word findings judge wording: a row quoted alone also draws page checks such as a repost's
    # missing 来源, on the erroneous and the corrected text alike.
    flags = [f for f in findings(matcher, row.corrected, row.page_date) if f.kind in WORD_KINDS]
    return RowResult(row, bool(hits or unlocated), not hits and bool(unlocated),
                     [rule_of(f) for f in hits or unlocated], flags)


@dataclass
class Recall:
    results: list[RowResult]

    def by_class(self) -> list[tuple[str, int, int]]:
        rows: Counter[str] = Counter(r.row.cls for r in self.results)
        caught: Counter[str] = Counter(r.row.cls for r in self.results if r.caught)
        return [(cls, rows[cls], caught[cls]) for cls in CLASSES if rows[cls]]

    @property
    def caught(self) -> int:
        return sum(r.caught for r in self.results)

    @property
    def false_flags(self) -> list[RowResult]:
        return [r for r in self.results if r.false_flags]


def recall(matcher: WordMatcher, rows: Iterable[Row]) -> Recall:
    return Recall([judge_row(matcher, row) for row in rows])


@dataclass
class Flag:
    doc: Document
    finding: Finding


@dataclass
class Precision:
    documents: int = 0
    chars: int = 0
    bytes: int = 0
    flags: list[Flag] = field(default_factory=list)
    seconds: float = 0.0

    def of_kind(self, kind: str) -> list[Flag]:
        return [f for f in self.flags if f.finding.kind == kind]

    def occurrences(self, kind: str) -> int:
        return sum(int(f.finding.details.get("count", 1)) for f in self.of_kind(kind))


def precision(matcher: WordMatcher, corpus: Iterable[tuple[Document, str]]) -> Precision:
    """Each document as one page published on its own date, judged on that day."""
    result = Precision()
    start = time.perf_counter()
    for doc, text in corpus:
        result.documents += 1
        result.chars += len(text)
        result.bytes += len(text.encode("utf-8"))
        result.flags += [Flag(doc, f) for f in findings(matcher, text, doc.date) if f.kind in WORD_KINDS]
    result.seconds = time.perf_counter() - start
    return result
