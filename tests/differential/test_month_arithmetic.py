"""Plain month arithmetic (``periods.plus_months``) equals ``dateutil.relativedelta``, which
Redress used before, on every day from 1999 to 2041 for every month and year step it uses."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from redress.calendar.periods import plus_months


def test_plus_months_equals_relativedelta_on_every_day() -> None:
    day = dt.date(1999, 1, 1)
    checked = 0
    while day <= dt.date(2041, 12, 31):
        for months in (*range(1, 25), 36, 48, 60, 120):
            assert plus_months(day, months) == day + relativedelta(months=months), (day, months)
            checked += 1
        for years in (1, 2, 3, 4, 6):
            assert plus_months(day, 12 * years) == day + relativedelta(years=years), (day, years)
        day += dt.timedelta(days=1)
    assert checked > 400_000


def test_end_of_month_clamping_examples() -> None:
    # Worked by hand: there is no 30 February, 29 February 2025 or 31 April.
    assert plus_months(dt.date(2025, 8, 30), 6) == dt.date(2026, 2, 28)
    assert plus_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert plus_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert plus_months(dt.date(2025, 3, 31), 1) == dt.date(2025, 4, 30)
    assert plus_months(dt.date(2099, 12, 15), 1) == dt.date(2100, 1, 15)
    assert plus_months(dt.date(2100, 1, 29), 1) == dt.date(2100, 2, 28)  # 2100 is not a leap year
