"""Apply a policy's period to an anchor date with its named counting convention.

This is the one place where ``counting: after | beginning_with`` is given meaning (see
``docs/guide/policy-language.md``, *Counting conventions*):

* working days, ``after``: the anchor is day 0 whatever it is; the due date is the Nth working
  day after it (``calendar.add_working_days``);
* working days, ``beginning_with``: the anchor is day 1 when it is a working day, otherwise the
  first working day after it is;
* months and years: ``redress.calendar.periods`` (corresponding-date rule, end-of-month clamping);
* ``before_corresponding_date`` (months and years): "12 months or more have passed since D" —
  in time only until the day before the corresponding date (itself clamped to the month's end);
* calendar days and weeks: ``after`` adds them; ``beginning_with`` ends a day earlier.
"""

from __future__ import annotations

import datetime as dt

from redress.calendar import SkippedDay, WorkingDayCalendar
from redress.calendar.periods import Period, PeriodReading, add_months, add_weeks, add_years
from redress.frozen_dataclass import frozen_dataclass


@frozen_dataclass
class Count:
    """A computed due date and how it was reached."""

    due: dt.date
    basis: str                       # "25 working days after 2025-04-14"
    skipped: tuple[SkippedDay, ...]  # non-working weekdays passed over
    end_of_month_rule: bool          # the corresponding date did not exist


def count_period(calendar: WorkingDayCalendar, period: Period, anchor: dt.date,
                 counting: str) -> Count:
    """The last permitted day of ``period`` counted from ``anchor``."""
    if period.unit == "working_days":
        return _working_days(calendar, period.amount, anchor, counting)
    reading = PeriodReading.BEGINNING_WITH if counting == "beginning_with" else PeriodReading.AFTER
    if period.unit in ("months", "years") and counting == "before_corresponding_date":
        step = add_months if period.unit == "months" else add_years
        corresponding = step(anchor, period.amount, PeriodReading.AFTER)
        last = corresponding.end - dt.timedelta(days=1)
        return Count(last, f"the day before {period.describe()} have passed since "
                          f"{anchor.isoformat()} (on {corresponding.end.isoformat()})",
                     (), corresponding.end_of_month_rule)
    if period.unit in ("months", "years"):
        step = add_months if period.unit == "months" else add_years
        end = step(anchor, period.amount, reading)
        word = "beginning with" if counting == "beginning_with" else "after"
        return Count(end.end, f"{period.describe()} {word} {anchor.isoformat()}", (),
                     end.end_of_month_rule)
    weeks = period.amount if period.unit == "weeks" else None
    if weeks is not None:
        end = add_weeks(anchor, weeks, reading)
        return Count(end.end, f"{period.describe()} after {anchor.isoformat()}", (), False)
    days = period.amount - (1 if counting == "beginning_with" else 0)
    due = anchor + dt.timedelta(days=days)
    return Count(due, f"{period.describe()} after {anchor.isoformat()}", (), False)


def _working_days(calendar: WorkingDayCalendar, n: int, anchor: dt.date,
                  counting: str) -> Count:
    if counting == "beginning_with" and calendar.is_working_day(anchor):
        span = calendar.explain_add(anchor, n - 1)
        word = "beginning with"
    else:
        span = calendar.explain_add(anchor, n)
        word = "beginning with" if counting == "beginning_with" else "after"
    return Count(span.due, f"{n} working day{'s' if n != 1 else ''} {word} {anchor.isoformat()}",
                 span.skipped, False)


def describe_skipped(skipped: tuple[SkippedDay, ...]) -> str:
    """``skips 18 Apr Good Friday, 21 Apr Easter Monday`` (empty when nothing was skipped)."""
    if not skipped:
        return ""
    return "skips " + ", ".join(f"{s.day.day} {s.day:%b} {s.reason}" for s in skipped)
