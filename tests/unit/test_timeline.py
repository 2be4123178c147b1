"""Deadline states and counting conventions, as tables an officer could read.

Dates are worked by hand from the GOV.UK England and Wales calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest

from redress.calendar import get_calendar
from redress.calendar.counting import count_period
from redress.evaluation.deadlines import MET, MISSED, PENDING, deadline_state
from redress.policy.model import Period

d = dt.date


@pytest.mark.parametrize(("due", "done", "as_of", "expected"), [
    (d(2025, 3, 17), d(2025, 3, 14), d(2025, 5, 1), MET),      # done before the due date
    (d(2025, 3, 17), d(2025, 3, 17), d(2025, 5, 1), MET),      # on the due date is in time
    (d(2025, 3, 17), d(2025, 3, 18), d(2025, 5, 1), MISSED),   # a day late
    (d(2025, 3, 17), None, d(2025, 3, 17), PENDING),           # not done, due today
    (d(2025, 3, 17), None, d(2025, 3, 18), MISSED),            # not done, passed
])
def test_deadline_state(due: dt.date, done: dt.date | None, as_of: dt.date,
                        expected: str) -> None:
    assert deadline_state(due, done, as_of) == expected


EW = get_calendar("england-and-wales")


@pytest.mark.parametrize(("anchor", "period", "counting", "due"), [
    # Saturday receipt, "within 3 working days": Sat is day 0; Mon 1, Tue 2, Wed 3.
    (d(2025, 3, 1), Period("working_days", 3), "after", d(2025, 3, 5)),
    # Thursday 17 Apr 2025 + 3 working days skips Good Friday and Easter Monday.
    (d(2025, 4, 17), Period("working_days", 3), "after", d(2025, 4, 24)),
    # beginning_with on a working day: the anchor is day 1.
    (d(2025, 3, 3), Period("working_days", 5), "beginning_with", d(2025, 3, 7)),
    # beginning_with on a Saturday: Monday is day 1.
    (d(2025, 3, 1), Period("working_days", 5), "beginning_with", d(2025, 3, 7)),
    # Six months commencing on 3 Mar 2025 end the day before 3 Sep 2025.
    (d(2025, 3, 3), Period("months", 6), "beginning_with", d(2025, 9, 2)),
    # 12 months after 1 Mar 2024 is the corresponding date (in time on the anniversary).
    (d(2024, 3, 1), Period("months", 12), "after", d(2025, 3, 1)),
    # 29 Feb 2024 + 12 months: no corresponding date, so the end of February.
    (d(2024, 2, 29), Period("months", 12), "after", d(2025, 2, 28)),
    # A month period may end on a Saturday: never rolled forward.
    (d(2025, 2, 1), Period("months", 6), "after", d(2025, 8, 1)),
    (d(2024, 12, 1), Period("months", 6), "beginning_with", d(2025, 5, 31)),
    # 12 weeks is 84 calendar days.
    (d(2025, 1, 6), Period("weeks", 12), "after", d(2025, 3, 31)),
])
def test_counting_conventions(anchor: dt.date, period: Period, counting: str,
                              due: dt.date) -> None:
    assert count_period(EW, period, anchor, counting).due == due


def test_a_month_period_ending_on_a_weekend_is_not_moved() -> None:
    count = count_period(EW, Period("months", 6), d(2024, 12, 1), "beginning_with")
    assert count.due.weekday() == 5  # Saturday 31 May 2025


def test_the_leap_day_case_is_marked_for_a_flag() -> None:
    assert count_period(EW, Period("months", 12), d(2024, 2, 29), "after").end_of_month_rule
