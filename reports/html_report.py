"""The HTML scan report a reviewer opens: findings grouped by site, evidence highlighted."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from core.model import KINDS, REVIEW_KINDS, SEVERITIES, Finding, severity_rank

from .env import ENV


def render(findings: Sequence[Finding], *, title: str, generated: datetime, tz: str,
           pages: int, links: int, failed: int, notes: Sequence[str] = (),
           assessments: Sequence[dict[str, Any]] = (), new_since: datetime | None = None) -> str:
    """The report; `notes` are shown first (an interrupted scan, a bound that left pages out), then
    the self-assessment of each site (the assess JSON's `sites`), then the findings. A finding first seen
    at or after `new_since` (the scan's start) is marked new, the others known. Suspected problems
    (REVIEW_KINDS) are shown apart, after the problems: they wait for a person's review."""
    suspected = sorted((f for f in findings if f.kind in REVIEW_KINDS), key=lambda f: (f.site, f.url, f.evidence))
    findings = [f for f in findings if f.kind not in REVIEW_KINDS]
    by_site: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(findings, key=lambda f: (severity_rank(f.severity), f.kind, f.url)):
        by_site[f.site or "（未知站点）"].append(f)
    kind_counts = {k: sum(1 for f in findings if f.kind == k) for k in KINDS}
    severity_counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    return ENV.get_template("report.html").render(
        title=title, generated=generated, tz=tz, by_site=dict(sorted(by_site.items())),
        kind_counts={k: n for k, n in kind_counts.items() if n}, total=len(findings),
        pages=pages, links=links, failed=failed, notes=list(notes), assessments=list(assessments),
        severity_counts={s: n for s, n in severity_counts.items() if n}, new_since=new_since, suspected=suspected,
    )


def write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
