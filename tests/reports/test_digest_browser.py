"""The HTML digest in a real headless Chromium: no sideways scrolling on a phone or a desktop, and the
hostile page title stays text. GOVWATCH_WRITE_SCREENSHOTS=1 also refreshes docs/digest.png for the README."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from reports.digest import render_html
from test_digest import HOSTILE_TITLE, hostile_digest, sample_digest

DOCS_SCREENSHOT = Path(__file__).parents[2] / "docs" / "digest.png"
PHONE, DESKTOP = 375, 1280


def show(chrome: Any, page: Path, width: int, height: int = 800) -> None:
    """`page` at a viewport `width` CSS pixels wide; a phone width is emulated as a phone (viewport meta)."""
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 2 if width == PHONE else 1,
                            "mobile": width == PHONE})
    chrome.get(page.as_uri())


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_horizontal_scrolling_and_hostile_title_stays_text(browser: Any, tmp_path: Path, width: int) -> None:
    page = tmp_path / "digest.html"
    page.write_text(render_html(hostile_digest()), encoding="utf-8")
    show(browser, page, width)
    scroll_width, inner_width = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert inner_width == width and scroll_width <= inner_width
    assert browser.execute_script("return document.scripts.length + document.images.length") == 0
    assert browser.execute_script("return window.pwned") is None, "the hostile title ran"
    body = browser.execute_script("return document.body.innerText")
    assert '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">关于' in body
    height = browser.execute_script("return document.documentElement.scrollHeight")
    show(browser, page, width, height)
    assert browser.save_screenshot(str(tmp_path / f"digest-{width}.png"))


def test_screenshot_for_the_readme(browser: Any, tmp_path: Path) -> None:
    """The phone view of a realistic morning; written to docs/ only when asked, to keep the tree clean."""
    page = tmp_path / "digest.html"
    page.write_text(render_html(sample_digest()), encoding="utf-8")
    show(browser, page, PHONE)
    show(browser, page, PHONE, browser.execute_script("return document.documentElement.scrollHeight"))
    shot = tmp_path / "digest.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    if os.environ.get("GOVWATCH_WRITE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS_SCREENSHOT)


def test_the_scan_report_keeps_hostile_crawled_text_as_text(browser: Any, tmp_path: Path) -> None:
    """The reviewer's HTML report, opened as they open it: crawled text never runs."""
    from datetime import datetime, timezone

    from core.model import Finding
    from reports import html_report

    hostile = Finding(kind="sensitive_word", url="http://127.0.0.1:1/a.html", evidence="网上赌场",
                      site="某某县<script>window.pwned=1</script>", unit="县政府办", suggestion="立即删除",
                      context='<img src=x onerror="window.pwned=2">网上赌场', title="<b onclick=x>通知</b>",
                      first_seen=datetime(2026, 11, 23, tzinfo=timezone.utc))
    page = tmp_path / "report.html"
    page.write_text(html_report.render(
        [hostile], title="报告", generated=datetime(2026, 11, 23, tzinfo=timezone.utc), tz="Asia/Shanghai", pages=1,
        links=0, failed=0, assessments=[{"site": "<i>站</i>", "url": "http://x/", "verdict": "不合格", "score": 95,
                                         "vetoes": [{"item": "严重问题", "evidence": "<script>x</script>"}],
                                         "deductions": []}]), encoding="utf-8")
    show(browser, page, DESKTOP)
    assert browser.execute_script("return window.pwned") is None, "crawled text ran in the report"
    assert browser.execute_script("return document.scripts.length + document.images.length") == 0
    body = browser.execute_script("return document.body.innerText")
    assert "<b onclick=x>通知</b>" in body and "某某县<script>window.pwned=1</script>" in body
    assert "<script>x</script>" in body
