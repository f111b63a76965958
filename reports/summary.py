"""Plain-text output for the terminal: counts per site and kind, and one line per finding.

Crawled text may carry control characters (an ESC sequence can rewrite a reviewer's terminal),
so everything shown here passes through `printable`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Sequence

from core.model import KINDS, SEVERITY_LABELS, Finding


def printable(text: str) -> str:
    """`text` with control characters (C0, C1, ESC, bidi overrides) shown as spaces."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)


def per_site_and_kind(findings: Sequence[Finding]) -> list[str]:
    counts = Counter((f.site or "（未知站点）", f.kind) for f in findings)
    lines = []
    for site in sorted({site for site, _ in counts}):
        parts = [f"{KINDS[kind].label} {n}" for (s, kind), n in sorted(counts.items()) if s == site]
        lines.append(f"  {printable(site)}：{'，'.join(parts)}")
    return lines


def finding_line(f: Finding) -> str:
    extra = f"（{f.context}）" if f.kind in ("dead_link", "site_unreachable") and f.context else ""
    suggestion = f" → {f.suggestion}" if f.suggestion and f.kind == "erroneous_expression" else ""
    head = printable(f"[{SEVERITY_LABELS[f.severity]}] {KINDS[f.kind].label}：{f.evidence}{extra}{suggestion}")
    return f"{head}\n      位置：{printable(f.url)}"
