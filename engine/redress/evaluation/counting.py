"""A policy's period and counting convention, made once into a function of an anchor date.

``calendar.counting.count_period`` gives a due date *and* its explanation (the skipped bank
holidays, the words); evaluation needs only the date, thousands of times a second.  So each
(period, convention) becomes a small function ``count(calendar, anchor) -> (due, end_of_month)``
with the same meaning (the differential tests compare both on every deadline of generated
cases); the explanation is written from ``count_period`` only when a result is read in full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

from redress.calendar import WorkingDayCalendar
from redress.calendar.periods import Period, plus_months

Counter = Callable[[WorkingDayCalendar, dt.date], tuple[dt.date, bool]]
ONE_DAY = dt.timedelta(days=1)


@cache
def counter(period: Period, counting: str) -> Counter:
    """The due date of ``period`` from an anchor, and whether the end-of-month rule applied."""
    n = period.amount
    if period.unit == "working_days":
        return _working_days(n, counting == "beginning_with")
    if period.unit in ("months", "years"):
        return _months(n * 12 if period.unit == "years" else n, counting)
    days = 7 * n if period.unit == "weeks" else n
    span = dt.timedelta(days=days - (1 if counting == "beginning_with" else 0))

    def count_days(_cal: WorkingDayCalendar, anchor: dt.date) -> tuple[dt.date, bool]:
        return anchor + span, False
    return count_days


def _working_days(n: int, beginning_with: bool) -> Counter:
    if not beginning_with:
        def after(cal: WorkingDayCalendar, anchor: dt.date) -> tuple[dt.date, bool]:
            return cal.shift(anchor, n), False
        return after

    def beginning(cal: WorkingDayCalendar, anchor: dt.date) -> tuple[dt.date, bool]:
        # A working day anchor is day 1 of the period; any other day is day 0.
        return cal.shift(anchor, n - 1 if cal.is_working(anchor) else n), False
    return beginning


def _months(months: int, counting: str) -> Counter:
    if counting == "before_corresponding_date":
        def before(_cal: WorkingDayCalendar, anchor: dt.date) -> tuple[dt.date, bool]:
            corresponding = plus_months(anchor, months)
            return corresponding - ONE_DAY, corresponding.day != anchor.day
        return before
    if counting == "beginning_with":
        def beginning(_cal: WorkingDayCalendar, anchor: dt.date) -> tuple[dt.date, bool]:
            corresponding = plus_months(anchor, months)
            if corresponding.day != anchor.day:  # no such day: the month's last day, both ways
                return corresponding, True
            return corresponding - ONE_DAY, False
        return beginning

    def after(_cal: WorkingDayCalendar, anchor: dt.date) -> tuple[dt.date, bool]:
        corresponding = plus_months(anchor, months)
        return corresponding, corresponding.day != anchor.day
    return after


__all__ = ["Counter", "counter"]
