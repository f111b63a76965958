"""Working days (工作日) as the PRC State Council's holiday arrangement counts them: weekends and
statutory holidays off, make-up workdays (调休上班) on. The calendar is the maintained
`chinese-calendar` package (MIT, https://github.com/LKI/chinese-calendar), which knows each year once
the State Council publishes it; for a year it does not know, Monday to Friday count, and the caller
is told so.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

MAX_SPAN_DAYS = 800  # a span longer than this is counted no further: it is late whatever the holidays


def working_days(start: date, end: date) -> tuple[int, bool]:
    """Working days after `start` up to and including `end`, and whether the official calendar knew
    every day counted (False: some were counted as weekdays)."""
    count, official = 0, True
    day = start + timedelta(days=1)
    last = min(end, start + timedelta(days=MAX_SPAN_DAYS))
    while day <= last:
        try:
            count += chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year whose arrangement the package does not carry yet
            official = False
            count += day.weekday() < 5
        day += timedelta(days=1)
    return count, official
