"""Secret-marking cases (cases/secret_marking.toml) and the severity of a non-disclosure note."""

from __future__ import annotations

import pytest

from casefile import context_of, page_of, params
from detector.checks.secret_marking import CHECK


@pytest.mark.parametrize("case", params("secret_marking"))
def test_case(case: dict) -> None:
    found = {f"{f.kind}:{f.evidence}" for f in CHECK.check(page_of(case), context_of(case))}
    assert found == set(case["expect"])


def test_classification_is_veto_and_non_disclosure_is_high() -> None:
    findings = list(CHECK.check(page_of({"text": "秘密★1年\n（此件不公开）"}), context_of({})))
    assert [(f.evidence, f.severity, f.details["marking"]) for f in findings] == [
        ("秘密★1年", "veto", "classification"), ("此件不公开", "high", "non_disclosure")]
