"""Plain-text output for the terminal: counts per site and kind, and one line per finding."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from govwatch.model import KINDS, SEVERITY_LABELS, Finding


def per_site_and_kind(findings: Sequence[Finding]) -> list[str]:
    counts = Counter((f.site or "（未知站点）", f.kind) for f in findings)
    lines = []
    for site in sorted({site for site, _ in counts}):
        parts = [f"{KINDS[kind].label} {n}" for (s, kind), n in sorted(counts.items()) if s == site]
        lines.append(f"  {site}：{'，'.join(parts)}")
    return lines


def finding_line(f: Finding) -> str:
    where = f.url
    extra = f"（{f.context}）" if f.kind in ("dead_link", "site_unreachable") and f.context else ""
    suggestion = f" → {f.suggestion}" if f.suggestion and f.kind == "erroneous_expression" else ""
    return f"[{SEVERITY_LABELS[f.severity]}] {KINDS[f.kind].label}：{f.evidence}{extra}{suggestion}\n      位置：{where}"
