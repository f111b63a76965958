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


def test_report_marks_new_and_known_with_titles_and_severity_counts() -> None:
    from dataclasses import replace

    scan_start = datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc)
    new = replace(HOSTILE, first_seen=scan_start, title="<b>关于某某的通知</b>", fingerprint="n")
    known = replace(HOSTILE, evidence="中华人名共和国", severity="high", first_seen=datetime(2026, 11, 1, tzinfo=timezone.utc),
                    fingerprint="k")
    html = html_report.render([new, known], title="报告", generated=scan_start, tz="Asia/Shanghai", pages=2,
                              links=0, failed=0, new_since=scan_start)
    assert html.count("<b>新</b>") == 1 and html.count(">已知<") == 1
    assert "&lt;b&gt;关于某某的通知&lt;/b&gt;" in html and "<b>关于某某的通知</b>" not in html
    assert "条（否决级 1，严重 1）" in html


def test_report_shows_suspected_typos_apart_and_does_not_count_them_as_problems() -> None:
    start = datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc)
    problem = Finding("erroneous_expression", "http://127.0.0.1/a.html", "中华人名共和国", site="站", first_seen=start)
    suspect = Finding("suspected_typo", "http://127.0.0.1/b.html", "城施", site="站", first_seen=start,
                      context="因城施策<script>x</script>", suggestion="疑为“城市”之误，请人工核实")
    html = html_report.render([problem, suspect], title="报告", generated=start, tz="Asia/Shanghai", pages=2,
                              links=0, failed=0, new_since=start)
    assert "共发现问题 <strong>1</strong> 条" in html and "待确认" not in html.split("<h2")[0]
    assert "疑似错别字（1 条，待人工确认，确认前不生成工单）" in html and "govwatch review confirm" in html
    assert html.index("中华人名共和国") < html.index("疑似错别字（1 条") < html.index("城施")
    assert "<script>x</script>" not in html
