"""Periods in calendar months, years and weeks (regimes.md §0.3.3 and §0.3.5).

Two readings of "N months" appear in the instruments:

``PeriodReading.AFTER``
    "not later than 12 months after the date on which..." (SI 2009/309 reg 12), "more than one
    year after" (SI 2006/1738 reg 9; Health Service Commissioners Act 1993 s9(4)).  The last
    permitted day is the *corresponding date*: 1 Mar 2024 + 12 months ends on 1 Mar 2025, so a
    complaint made on the anniversary is in time.

``PeriodReading.BEGINNING_WITH``
    "the period of 12 months beginning with the day on which..." (Local Government Act 1974
    s26B, s34D), "six months commencing on the day on which the complaint was received"
    (SI 2009/309).  The period includes its first day, so it ends the day *before* the
    corresponding date: 10 Mar 2025 + 12 months ends on 9 Mar 2026.

Where the corresponding date does not exist (29 February in a common year, the 30th or 31st of a
shorter month), both readings end the period on the last day of that month: 29 Feb 2024 + 12
months AFTER ends on 28 Feb 2025, and 6 months BEGINNING_WITH 30 Aug 2025 ends on 28 Feb 2026.
The result then carries ``end_of_month_rule=True``, because courts have not been consistent about
the leap-day case and the engine should say so.

Month and year periods are never moved to a working day when they end on a weekend or bank
holiday.  Weeks are calendar weeks: N weeks is 7N days.  Month arithmetic is plain year/month
arithmetic that clamps a missing day to the end of the month, exactly as
``dateutil.relativedelta(months=N)`` does (tested against it on every day of many years) at a
seventh of the cost.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import Enum

from redress.frozen_dataclass import frozen_dataclass

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class PeriodReading(Enum):
    """How a period's wording relates its first day to the corresponding date."""

    AFTER = "after"
    BEGINNING_WITH = "beginning-with"


class PeriodUnit(Enum):
    MONTHS = "months"
    YEARS = "years"
    WEEKS = "weeks"


@frozen_dataclass
class PeriodEnd:
    """The last day of a period and how it was worked out.

    ``end`` is the last permitted day (AFTER) or the last day of the period (BEGINNING_WITH).
    ``end_of_month_rule`` is true when the corresponding date does not exist and the period was
    ended on the last day of the month instead.  ``basis`` explains the result in plain English.
    """

    start: date
    amount: int
    unit: PeriodUnit
    reading: PeriodReading
    end: date
    end_of_month_rule: bool
    basis: str


def add_months(start: date, months: int, reading: PeriodReading) -> PeriodEnd:
    """The end of a period of ``months`` calendar months from ``start``, read as ``reading``."""
    _check(start, months)
    return _calendar_period(start, months, PeriodUnit.MONTHS, months, reading)


def add_years(start: date, years: int, reading: PeriodReading) -> PeriodEnd:
    """The end of a period of ``years`` years from ``start`` (a year is 12 calendar months)."""
    _check(start, years)
    return _calendar_period(start, years, PeriodUnit.YEARS, 12 * years, reading)


def add_weeks(start: date, weeks: int, reading: PeriodReading) -> PeriodEnd:
    """The end of a period of ``weeks`` calendar weeks (7 days each) from ``start``.

    AFTER gives ``start + 7 * weeks`` (LGSCO's "12 weeks" is start + 84 days); BEGINNING_WITH
    gives the day before that.
    """
    _check(start, weeks)
    corresponding = start + timedelta(weeks=weeks)
    wording = _span(weeks, "week")
    if reading is PeriodReading.AFTER:
        end = corresponding
        basis = f"{wording} after {_fmt(start)}: the period ends {7 * weeks} days later, on "
        basis += _fmt(end)
    else:
        end = corresponding - timedelta(days=1)
        basis = (
            f"{wording} beginning with {_fmt(start)}: the period includes that day, so it ends "
            f"on {_fmt(end)}, the day before {_fmt(corresponding)}"
        )
    return PeriodEnd(start, weeks, PeriodUnit.WEEKS, reading, end, False, basis + ".")


def _calendar_period(
    start: date, amount: int, unit: PeriodUnit, months: int, reading: PeriodReading
) -> PeriodEnd:
    # A day that the target month lacks is clamped to that month's last day, so a change of
    # day-of-month is exactly the "no corresponding date" case.
    clamped = plus_months(start, months)
    no_corresponding = clamped.day != start.day
    wording = _span(amount, unit.value.rstrip("s"))
    if no_corresponding:
        end = clamped  # both readings: the last day of the month (see module docstring)
        caveat = ""
        if _missing_leap_day(start, clamped):
            caveat = "; courts have not been consistent on the leap-day case"
        basis = (
            f"{wording} {_reading_words(reading)} {_fmt(start)}: there is no "
            f"{start.day} {_MONTH_NAMES[clamped.month - 1]} {clamped.year}, so the period ends "
            f"on the last day of that month, {_fmt(end)} (end-of-month rule{caveat})"
        )
    elif reading is PeriodReading.AFTER:
        end = clamped
        basis = f"{wording} after {_fmt(start)}: the period ends on the corresponding date, "
        basis += _fmt(end)
    else:
        end = clamped - timedelta(days=1)
        basis = (
            f"{wording} beginning with {_fmt(start)}: the period includes that day, so it ends "
            f"on {_fmt(end)}, the day before the corresponding date {_fmt(clamped)}"
        )
    basis += ". A month or year period is not moved to a working day."
    return PeriodEnd(start, amount, unit, reading, end, no_corresponding, basis)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def plus_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the last day of that month if it has
    no such day (what ``start + relativedelta(months=months)`` gives)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    length = _MONTH_DAYS[month - 1]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        length = 29
    return date(year, month, min(start.day, length))


def _check(start: date, amount: int) -> None:
    if isinstance(start, datetime) or not isinstance(start, date):
        raise TypeError(f"the start must be a datetime.date, not {start!r}")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValueError(f"a period must be a whole number of at least 1, not {amount!r}")


def _missing_leap_day(start: date, clamped: date) -> bool:
    # The corresponding date that does not exist is a 29 February.
    return start.day == 29 and clamped.month == 2


def _reading_words(reading: PeriodReading) -> str:
    return "after" if reading is PeriodReading.AFTER else "beginning with"


def _span(amount: int, unit: str) -> str:
    return f"{amount} {unit}" if amount == 1 else f"{amount} {unit}s"


def _fmt(d: date) -> str:
    return f"{d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


@frozen_dataclass
class Period:
    """A length of time as a policy states it: an amount of one unit (working days, weeks, ...)."""

    unit: str
    amount: int

    def describe(self) -> str:
        words = {"working_days": "working day", "calendar_days": "day", "weeks": "week",
                 "months": "month", "years": "year"}[self.unit]
        return f"{self.amount} {words}{'' if self.amount == 1 else 's'}"



__all__ = ["Period", "PeriodEnd", "PeriodReading", "PeriodUnit", "add_months", "add_weeks", "add_years"]
