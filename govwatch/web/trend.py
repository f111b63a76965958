"""The dashboard's 30-day chart: tickets open at each day's end, new and fixed each day, drawn as SVG
on the server (no chart library, nothing fetched from a CDN, no script).

Each ticket's history says what status it had when; a day's open count is how many were open,
overdue or reopened at its end (local midnight in the configured time zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Sequence
from zoneinfo import ZoneInfo

from core.model import TICKET_STATUS_LABELS, Ticket

DAYS = 30
ACTIVE = frozenset({"open", "overdue", "reopened"})
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 600, 220, 34, 24, 12


@dataclass(frozen=True)
class Day:
    day: date
    open: int
    new: int
    fixed: int


@dataclass(frozen=True)
class Chart:
    """The days and their drawing: bars for new and fixed, a line for open; coordinates in a 600×220 box."""

    days: list[Day]
    top: int  # the value at the top of the scale
    open_line: str  # SVG polyline points
    bars: list[tuple[float, float, float, float, str]]  # x, y, width, height, class
    ticks: list[tuple[float, str]]  # y, label
    labels: list[tuple[float, str]]  # x, date label


def days(tickets: Sequence[Ticket], today: date, tz: ZoneInfo) -> list[Day]:
    first = today - timedelta(days=DAYS - 1)
    result = []
    for n in range(DAYS):
        day = first + timedelta(days=n)
        start = datetime.combine(day, time(), tz)
        end = start + timedelta(days=1)
        new = sum(start <= t.created_at < end for t in tickets)
        fixed = sum(start <= datetime.fromisoformat(step["at"]) < end
                    for t in tickets for step in t.history if step["status"] == "fixed")
        result.append(Day(day, sum(_status_at(t, end) in ACTIVE for t in tickets), new, fixed))
    return result


def chart(series: list[Day]) -> Chart:
    top = max([1, *(max(d.open, d.new, d.fixed) for d in series)])
    top = _nice(top)
    inner_w, inner_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    step = inner_w / len(series)

    def y(value: int) -> float:
        return round(TOP + inner_h * (1 - value / top), 1)

    bars = []
    points = []
    for i, d in enumerate(series):
        x = LEFT + i * step
        bar = max(1.0, step / 2 - 1)
        for offset, value, css in ((1, d.new, "bar-new"), (1 + bar, d.fixed, "bar-fixed")):
            if value:
                bars.append((round(x + offset, 1), y(value), round(bar, 1), round(y(0) - y(value), 1), css))
        points.append(f"{round(x + step / 2, 1)},{y(d.open)}")
    ticks = [(y(v), str(v)) for v in sorted({0, top // 2, top})]
    labels = [(round(LEFT + i * step + step / 2, 1), d.day.strftime("%m-%d"))
              for i, d in enumerate(series) if (len(series) - 1 - i) % 7 == 0]  # weekly, ending today
    return Chart(series, top, " ".join(points), bars, ticks, labels)


def _status_at(ticket: Ticket, moment: datetime) -> str:
    """The ticket's status at `moment`: its last status step by then ("" before it existed)."""
    status = ""
    for step in ticket.history:
        if step["status"] in TICKET_STATUS_LABELS and datetime.fromisoformat(step["at"]) < moment:
            status = step["status"]
    return status


def _nice(value: int) -> int:
    """A round top for the scale, at least `value`: 1, 2, 5, 10, 20, 50 …"""
    scale = 1
    while True:
        for m in (1, 2, 5):
            if m * scale >= value:
                return m * scale
        scale *= 10
