"""错敏信息: listed sensitive words and erroneous expressions in a page's text.

One finding per (page, term): the first occurrence gives the context, `details.count` the rest,
`details.rule` the language rule that found it (detector/language/) and, for a term wrong only from a
date on, `details.since` that date. A suspected typo (疑似错别字) waits for a person's review before it
is ticketed: a confirmed one is reported as an erroneous expression, a rejected one no more
(`Context.reviews`, by the suspected text).
"""

from __future__ import annotations

from typing import Iterable

from core.model import Finding, Page

from ..base import Context, excerpt, page_finding

_KIND_BY_CATEGORY = {"sensitive": "sensitive_word", "error": "erroneous_expression", "suspect": "suspected_typo"}
_DEFAULT_SUGGESTION = {
    "sensitive_word": "立即删除或屏蔽该内容，并排查发布来源",
    "erroneous_expression": "核实后更正该表述",
    "suspected_typo": "人工核实是否为错别字",
}


class WordCheck:
    name = "words"
    kinds = ("sensitive_word", "erroneous_expression", "suspected_typo")

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
            severity = entry.severity
            if kind == "suspected_typo":
                decision = ctx.reviews.get(entry.term)
                if decision == "rejected":
                    continue
                if decision == "confirmed":
                    kind, severity = "erroneous_expression", ""
            suggestion = _suggestion(kind, entry.suggestion)
            finding = page_finding(
                page, kind, entry.term,
                context=excerpt(page.text, hit.start, hit.end),
                suggestion=suggestion, severity=severity,
                topic=entry.topic, wordlist=entry.source, rule=entry.rule,
                since=entry.after.isoformat() if entry.after else None,
            )
            finding.details["count"] = 1
            first[entry.term] = finding
        return list(first.values())


def _suggestion(kind: str, correct: str) -> str:
    if not correct or kind == "sensitive_word":
        return correct or _DEFAULT_SUGGESTION[kind]
    return f"疑为“{correct}”之误，请人工核实" if kind == "suspected_typo" else f"应为“{correct}”"


CHECK = WordCheck()
