"""Untrusted crawled text is escaped in the HTML report and made harmless on the terminal."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from core.model import Finding
from reports import findings_json, html_report, summary

HOSTILE = Finding(kind="sensitive_word", url="http://127.0.0.1:1/a.html", evidence="网上赌场",
                  site="某某县<script>alert(1)</script>", unit="县政府办",
                  context="<img src=x onerror=alert(1)>网上赌场\x1b[2J", suggestion="立即删除")


def render() -> str:
    return html_report.render([HOSTILE], title="报告", generated=datetime(2026, 11, 23, 0, 30, tzinfo=timezone.utc),
                              tz="Asia/Shanghai", pages=1, links=0, failed=0)


def test_html_report_escapes_page_text_and_highlights_the_term() -> None:
    html = render()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<mark>网上赌场</mark>" in html


def test_html_report_times_are_local() -> None:
    html = render()
    assert "2026-11-23 08:30" in html


def test_terminal_lines_drop_control_characters() -> None:
    line = summary.finding_line(HOSTILE)
    assert "\x1b" not in line and "网上赌场" in line and "位置：http://127.0.0.1:1/a.html" in line


def test_finding_json_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    findings_json.write(out, [HOSTILE])
    [data] = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert data["kind"] == "sensitive_word" and data["fingerprint"] == HOSTILE.fingerprint
    assert data["severity"] == "veto" and data["first_seen"] is None
