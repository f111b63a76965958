"""Privacy-leak cases (cases/privacy.toml), plus the rule that no finding ever shows a full number."""

from __future__ import annotations

import json
import re

import pytest

from casefile import context_of, load_cases, page_of, params
from detector.checks.privacy import CHECK

# An 11+ digit run, or a mobile written with separators, left unmasked.
UNMASKED = re.compile(r"\d{11,}|1[3-9]\d[ -]\d{4}[ -]\d{4}")


@pytest.mark.parametrize("case", params("privacy"))
def test_case(case: dict) -> None:
    found = {f"{f.kind}:{f.evidence}" for f in CHECK.check(page_of(case), context_of(case))}
    assert found == set(case["expect"])


def test_findings_never_show_a_full_number() -> None:
    cases = load_cases("privacy")
    findings = [f for case in cases for f in CHECK.check(page_of(case), context_of(case))]
    assert findings
    for finding in findings:
        shown = json.dumps(finding.to_json(), ensure_ascii=False)
        assert not UNMASKED.search(shown), shown


def test_one_finding_per_masked_number_with_pii_detail() -> None:
    text = "身份证号：110105198001011238\n复核：110105198001011238\n银行卡号：6222021234567890128"
    findings = list(CHECK.check(page_of({"text": text}), context_of({})))
    assert [(f.evidence, f.details["pii"]) for f in findings] == [
        ("110105********1238", "id_card"), ("6222***********0128", "bank_card")]
