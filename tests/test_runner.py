"""The run loop: pages checked and stored as they arrive; one bad page never stops a scan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import wordlists
from detector import Context, WordMatcher, registry
from core.config import SiteConfig
from core.model import Page
from govwatch.runner import RunResult, consume
from storage import Store

SITE = SiteConfig(name="某某县人民政府", url="http://127.0.0.1:1/", unit="县政府办")


class ExplodingCheck:
    name = "exploding"
    kinds = ("sensitive_word",)

    def check(self, page: Page, ctx: Context) -> list:
        if "爆炸" in page.text:
            raise RuntimeError("a check bug")
        return []


def page_event(url: str, text: str) -> dict:
    return {"event": "page", "page": Page(url=url, site=SITE.name, unit=SITE.unit, text=text).to_json(),
            "pending": 0}


def test_a_crashing_check_is_counted_and_the_scan_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "PAGE_CHECKS", [*registry.PAGE_CHECKS, ExplodingCheck()])
    monkeypatch.setattr("detector.PAGE_CHECKS", registry.PAGE_CHECKS)
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    result = RunResult(scan_id=store.begin_scan([SITE]))
    ctx = Context(today=date(2026, 11, 23), matcher=WordMatcher(wordlists.load()))
    events = [
        page_event("http://127.0.0.1:1/a.html", "页面爆炸"),
        {"event": "error", "url": "http://127.0.0.1:1/b.html", "message": "页面解析失败：bad"},
        page_event("http://127.0.0.1:1/c.html", "根据中华人民共合国宪法"),
    ]
    consume(events, result, ctx, store, None)
    assert result.stats.pages == 2 and result.stats.pages_failed == 2
    assert [f.evidence for f in store.findings()] == ["中华人民共合国"]
