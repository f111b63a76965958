"""Data-driven detector cases: `tests/detector/cases/<name>.toml`, one `[[case]]` table per case.

Kept as a plain module (not fixtures) so test modules can parametrize at collection time.
A case has `name`, `expect` (a list of "kind:evidence") and the page parts it needs: `text`, or
`html` with `url` and `estate` (netlocs of the configured sites).
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from detector.base import Context
from core.model import Page
from wordlists.hosts import hidden_link_allow

CASES_DIR = Path(__file__).parent / "cases"
TODAY = date(2026, 11, 23)
DEFAULT_URL = "http://127.0.0.1:8001/index.html"
DEFAULT_ESTATE = ["127.0.0.1:8001"]


def load_cases(name: str) -> list[dict[str, Any]]:
    with open(CASES_DIR / f"{name}.toml", "rb") as f:
        cases = tomllib.load(f)["case"]
    names = [case["name"] for case in cases]
    assert len(names) == len(set(names)), f"duplicate case names in {name}.toml"
    return cases


def params(name: str) -> list[Any]:
    """The cases of one file as pytest params, each with the case name as its test id."""
    return [pytest.param(case, id=case["name"]) for case in load_cases(name)]


def page_of(case: dict[str, Any]) -> Page:
    return Page(url=case.get("url", DEFAULT_URL), site="测试站", kind=case.get("kind", "html"),
                text=case.get("text", ""), html=case.get("html", ""))


def context_of(case: dict[str, Any]) -> Context:
    return Context(estate_hosts=frozenset(case.get("estate", DEFAULT_ESTATE)), today=TODAY,
                   hidden_link_allow=hidden_link_allow(case.get("allow", [])))
