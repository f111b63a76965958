"""错敏信息: listed sensitive words and erroneous expressions in a page's text.

One finding per (page, term): the first occurrence gives the context, `details.count` the rest.
"""

from __future__ import annotations

from typing import Iterable

from core.model import Finding, Page

from ..base import Context, excerpt, page_finding

_KIND_BY_CATEGORY = {"sensitive": "sensitive_word", "error": "erroneous_expression"}
_DEFAULT_SUGGESTION = {
    "sensitive_word": "立即删除或屏蔽该内容，并排查发布来源",
    "erroneous_expression": "核实后更正该表述",
}


class WordCheck:
    name = "words"
    kinds = ("sensitive_word", "erroneous_expression")

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]:
        if ctx.matcher is None:
            return []
        first: dict[str, Finding] = {}
        for hit in ctx.matcher.find(page.text, page.published):
            entry = hit.entry
            if entry.term in first:
                first[entry.term].details["count"] += 1
                continue
            kind = _KIND_BY_CATEGORY[entry.category]
            suggestion = (f"应为“{entry.suggestion}”" if kind == "erroneous_expression" and entry.suggestion
                          else entry.suggestion or _DEFAULT_SUGGESTION[kind])
            finding = page_finding(
                page, kind, entry.term,
                context=excerpt(page.text, hit.start, hit.end),
                suggestion=suggestion, severity=entry.severity,
                topic=entry.topic, wordlist=entry.source,
            )
            finding.details["count"] = 1
            first[entry.term] = finding
        return list(first.values())


CHECK = WordCheck()
