"""A scan's outputs, written from the store: the HTML report and the finding JSON.

Used by `scan` and `demo` on the command line and by the daemon's scan job alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from core.config import Config
from core.model import Finding
from reports import findings_json, html_report, summary

from .service import ScanOutcome, assessments, open_store


@dataclass
class Published:
    report: Path
    findings: list[Finding]
    notes: list[str]


def publish(config: Config, outcome: ScanOutcome, json_path: Path | None = None) -> Published:
    store = open_store(config)
    try:
        findings = store.findings(scan_id=outcome.scan_id)
        assessed = assessments(store, outcome.scan_id, config, findings) if outcome.status == "finished" else []
    finally:
        store.close()
    notes = summary.scan_notes(outcome.status, outcome.stop_reason, outcome.stats.pages, outcome.limits,
                               outcome.restarts, outcome.quarantined)
    notes += summary.coverage_notes(outcome.errors, outcome.stats.pages_failed, outcome.truncated,
                                    outcome.truncated_count)
    report = Path(config.report.dir) / f"{outcome.report_stem}.html"
    kind = "扫描" if outcome.kind == "full" else summary.SCAN_KIND_LABELS.get(outcome.kind, outcome.kind)
    html_report.write(report, html_report.render(
        findings, title=f"政府网站巡检报告（第 {outcome.scan_id} 次{kind}）", generated=datetime.now(timezone.utc),
        tz=config.timezone, pages=outcome.stats.pages, links=outcome.stats.links_checked,
        failed=outcome.stats.pages_failed, notes=notes, assessments=[a.to_json() for a in assessed],
        new_since=outcome.started_at))
    if json_path:
        findings_json.write(json_path, findings, scan=scan_json(outcome, notes))
    return Published(report, findings, notes)


def scan_json(outcome: ScanOutcome, notes: list[str]) -> dict[str, object]:
    return {"id": outcome.scan_id, "status": outcome.status, "pages": outcome.stats.pages,
            "links_checked": outcome.stats.links_checked, "findings": outcome.stats.findings,
            "limits": outcome.limits, "notes": notes, "kind": outcome.kind, "restarts": outcome.restarts,
            "quarantined": outcome.quarantined}
