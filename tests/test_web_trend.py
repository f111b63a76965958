"""The dashboard's 30-day trend: open at each day's end, new and fixed per day, from tickets' histories."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from core.model import Ticket
from govwatch.web.trend import DAYS, chart, days

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 6)


def at(day: int, hour: int) -> datetime:
    """A moment on December `day`, local time."""
    return datetime(2026, 12, day, hour, tzinfo=TZ).astimezone(timezone.utc)


def ticket(n: int, steps: list[tuple[datetime, str]]) -> Ticket:
    created = steps[0][0]
    return Ticket(n, f"f{n}", "dead_link", "站", "单位", "http://x/", "", "", "low", steps[-1][1], created,
                  created + timedelta(days=1), None, [{"at": t.isoformat(), "status": s, "note": "", "by": "",
                                                       "scan": None} for t, s in steps])


def test_open_new_and_fixed_per_local_day() -> None:
    tickets = [ticket(1, [(at(4, 1), "open"), (at(5, 9), "fixed")]),  # 01:00 local on the 4th is the 3rd in UTC
               ticket(2, [(at(4, 10), "open"), (at(5, 11), "overdue"), (at(6, 8), "dismissed")]),
               ticket(3, [(at(6, 7), "open")])]
    series = days(tickets, TODAY, TZ)
    assert len(series) == DAYS and series[-1].day == TODAY
    by_day = {d.day.day: (d.open, d.new, d.fixed) for d in series[-3:]}
    assert by_day == {4: (2, 2, 0), 5: (1, 0, 1), 6: (1, 1, 0)}
    assert all((d.open, d.new, d.fixed) == (0, 0, 0) for d in series[:-3])


def test_the_chart_scales_to_a_round_top_and_labels_weeks_ending_today() -> None:
    drawn = chart(days([ticket(n, [(at(6, 7), "open")]) for n in range(7)], TODAY, TZ))
    assert drawn.top == 10 and [label for _, label in drawn.ticks] == ["0", "5", "10"]
    assert drawn.labels[-1][1] == "12-06" and len(drawn.labels) == 5
    assert len(drawn.open_line.split()) == DAYS and len(drawn.bars) == 1
