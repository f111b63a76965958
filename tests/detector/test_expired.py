"""Validity cases (cases/expired.toml): the phrase found, the end it reports and what to do."""

from __future__ import annotations

from typing import Any

import pytest

from casefile import TODAY, params
from detector.base import Context
from detector.checks.expired import CHECK
from pagecase import page_of


@pytest.mark.parametrize("case", params("expired"))
def test_case(case: dict[str, Any]) -> None:
    findings = list(CHECK.check(page_of(case), Context(today=TODAY)))
    assert {f"{f.kind}:{f.evidence}" for f in findings} == set(case["expect"])
    assert [f.details["end"] for f in findings] == ([case["end"]] if "end" in case else [])


def test_finding_says_when_it_ended_and_how_to_mark_it() -> None:
    case = {"title": "某某县农村公路养护管理办法", "body": """<h1>某某县农村公路养护管理办法</h1>
<div class="info">发布时间：2019-02-20 09:00 来源：县交通运输局</div>
<p>第三十一条 本办法自2019年3月1日起施行，有效期5年。</p>"""}
    [finding] = CHECK.check(page_of(case), Context(today=TODAY))
    assert (finding.kind, finding.severity) == ("expired_document", "medium")
    assert "本办法自2019年3月1日起施行，有效期5年" in finding.context
    assert "2024年2月29日届满" in finding.suggestion and "已失效" in finding.suggestion
