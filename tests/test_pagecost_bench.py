"""The benchmark of the scan's own process per page (bench/pagecost.py): its events are the ones a
crawl of the generated site sends, and its replay checks them as a scan does."""

from __future__ import annotations

from datetime import date

import pytest

from bench.layout import Layout
from bench.pagecost import bench, crawled_events, table
from core import events
from core.events import PageEvent
from detector.registry import PAGE_CHECKS

LAYOUT = Layout(150, date(2026, 12, 6))


def test_every_html_page_is_one_event_left_to_the_parent_but_the_homepage() -> None:
    decoded = [events.decode(line) for line in crawled_events(LAYOUT)]
    assert len(decoded) == LAYOUT.pages and all(isinstance(e, PageEvent) for e in decoded)
    home = [e for e in decoded if e.page.is_homepage]  # type: ignore[union-attr]
    assert len(home) == 1 and home[0].read_from == "" and home[0].page.title  # type: ignore[union-attr]
    rest = [e for e in decoded if not e.page.is_homepage]  # type: ignore[union-attr]
    assert all(e.read_from == e.page.url and not e.page.text for e in rest)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def replayed() -> dict[str, float]:
    return bench(LAYOUT.pages, rounds=1)


def test_the_replay_times_every_stage_and_finds_what_was_planted(replayed: dict[str, float]) -> None:
    assert replayed["pages"] == LAYOUT.pages
    for stage in ("decode", "read", *(check.name for check in PAGE_CHECKS), "identify"):
        assert replayed[stage] > 0, stage
    planted = Layout(LAYOUT.pages).planted()  # the bench's own layout is dated today: the same articles
    assert replayed["found erroneous_expression"] == planted["erroneous_expression"]
    # privacy leaks in page text only: a DOCX attachment's leak is found when the scan reads it
    assert replayed["found privacy_leak"] == sum(a.full_id is not None for a in Layout(LAYOUT.pages).articles())
    assert {key for key in replayed if key.startswith("found ")} == {"found erroneous_expression", "found privacy_leak"}


def test_the_table_gives_each_stage_per_page_and_the_findings(replayed: dict[str, float]) -> None:
    text = table(replayed)
    assert text.startswith("| stage | ms per page | share |")
    assert "| decode |" in text and "| words |" in text and "| **all** |" in text
    assert f"{LAYOUT.pages} pages replayed; findings: erroneous_expression" in text
