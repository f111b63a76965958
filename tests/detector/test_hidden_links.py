"""Hidden-link cases (cases/hidden_links.toml) and what a finding tells the inspector."""

from __future__ import annotations

import pytest

from casefile import context_of, page_of, params
from detector.checks.hidden_links import CHECK


@pytest.mark.parametrize("case", params("hidden_links"))
def test_case(case: dict) -> None:
    found = {f"{f.kind}:{f.evidence}" for f in CHECK.check(page_of(case), context_of(case))}
    assert found == set(case["expect"])


def test_finding_names_text_and_technique_once_per_target() -> None:
    html = """<html><body>
    <div style="display:none"><a href="http://x.bet/">澳门 赌场</a></div>
    <p style="font-size:0"><a href="http://x.bet/">again</a></p>
    <script>document.write('<div style="display:none"><a href="http://y.bet/">y</a></div>');</script>
    </body></html>"""
    findings = list(CHECK.check(page_of({"html": html}), context_of({})))
    assert [(f.evidence, f.context, f.details["technique"]) for f in findings] == [
        ("http://x.bet/", "澳门 赌场（display:none）", "display:none"),
        ("http://y.bet/", "y（document.write+display:none）", "document.write+display:none"),
    ]
    assert all(f.severity == "veto" and f.suggestion for f in findings)
