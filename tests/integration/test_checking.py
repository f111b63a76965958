"""Page checks in checker processes: the same findings as checking in the scan's process, in the order
the events came; a checker that dies costs nothing but time; what ends the events ends the checking."""

from __future__ import annotations

import time
from datetime import date
from typing import Iterator

import psutil
import pytest

import wordlists
from bench.layout import id_number
from core.events import DoneEvent, Event, LinkEvent, PageEvent
from core.model import LinkStatus, Page
from crawler.extract import extract_page
from crawler.process import CrawlError
from detector import Context, WordMatcher
from govwatch import checking
from govwatch.checking import CheckerPool, check

H = "http://www.example.gov.cn"
TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(today=TODAY, estate_hosts=frozenset({"www.example.gov.cn"}),
                   site_netlocs={"www.example.gov.cn": "某某县人民政府"},
                   matcher=WordMatcher(wordlists.load()).prepare())


def _events(pages: int = 40) -> list[Event]:
    """Pages, every third with an erroneous expression and every fifth with an ID number, and a link
    outcome after each."""
    found: list[Event] = []
    for n in range(pages):
        text = f"第{n}篇通知。" + ("根据《中华人民共合国政府信息公开条例》。" if n % 3 == 0 else "") + (
            f"联系人身份证号{id_number(n)}。" if n % 5 == 0 else "")
        html = (f"<html><head><title>第{n}篇通知</title></head><body><h1>第{n}篇通知</h1><p>{text}</p>"
                f'<a href="{H}/a{n + 1}.html">下一篇</a></body></html>')
        page, _ = extract_page(f"{H}/a{n}.html", html, site="某某县人民政府", today=TODAY)
        found += [PageEvent(page, pending=pages - n), LinkEvent(LinkStatus(f"{H}/a{n}.html", True, 200))]
    return found + [DoneEvent("finished", {})]


def _expected(events: list[Event], ctx: Context) -> list[tuple[str, object]]:
    return [(type(e).__name__, check(e.page, ctx)[0] if isinstance(e, PageEvent) else None) for e in events]


def _seen(checked: Iterator[tuple[Event, object]]) -> list[tuple[str, object]]:
    return [(type(e).__name__, c[0] if c else None) for e, c in checked]  # type: ignore[index]


def _once_ready(pool: CheckerPool, events: list[Event]) -> Iterator[Event]:
    """The events, once every checker has its context (read by the pool's reading thread, as it asks)."""
    deadline = time.monotonic() + 60
    while not all(checker.is_ready() for checker in pool._checkers):
        assert time.monotonic() < deadline, "checkers not ready"
        time.sleep(0.05)
    yield from events


def test_checker_processes_find_what_the_scan_s_process_finds_in_the_order_events_came(
        ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    events = _events()
    expected = _expected(events, ctx)
    assert sum(len(found) for _, found in expected if found) >= 20  # the pages do carry findings
    here: list[str] = []

    def counted(page: Page, ctx: Context) -> checking.Checked:
        here.append(page.url)
        return check(page, ctx)

    monkeypatch.setattr(checking, "check", counted)
    with CheckerPool(2) as pool:
        assert _seen(pool.checked(_once_ready(pool, events), ctx)) == expected
    pages = [e.page.url for e in events if isinstance(e, PageEvent)]
    assert here == pages[2::3]  # the scan's own share: every third page, the checkers took the rest


def test_pages_are_checked_in_the_scan_s_process_until_checkers_are_ready(ctx: Context) -> None:
    events = _events(6)
    with CheckerPool(2) as pool:
        for checker in pool._checkers:
            checker.child.kill()  # never ready
        assert _seen(pool.checked(iter(events), ctx)) == _expected(events, ctx)


def test_a_checker_that_dies_costs_no_finding(ctx: Context) -> None:
    events = _events()
    expected = _expected(events, ctx)

    def killing() -> Iterator[Event]:
        for n, event in enumerate(_once_ready(pool, events)):
            if n == 20:
                checker = pool._checkers[0].child
                psutil.Process(checker.pid).kill()
                checker.wait()
            yield event

    with CheckerPool(2) as pool:
        assert _seen(pool.checked(killing(), ctx)) == expected
        assert not pool._checkers[0].alive and pool._checkers[1].alive


def test_what_ends_the_events_is_raised_after_the_events_before_it(ctx: Context) -> None:
    events = _events(6)[:6]

    def dying() -> Iterator[Event]:
        yield from events
        raise CrawlError("爬取进程异常退出")

    taken = []
    with CheckerPool(2) as pool, pytest.raises(CrawlError):
        for event, _ in pool.checked(dying(), ctx):
            taken.append(event)
    assert taken == events
    assert all(checker.child.poll() is not None for checker in pool._checkers)  # closed with the pool
