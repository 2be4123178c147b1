"""Month, year and week periods: redress.calendar.periods (regimes.md §0.3.3 and §0.3.5).

Expected dates were worked out by hand on a paper calendar from the readings in regimes.md
§0.3, never copied from the code's output.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from redress.calendar.periods import PeriodReading, PeriodUnit, add_months, add_weeks, add_years

AFTER = PeriodReading.AFTER
BEGINNING_WITH = PeriodReading.BEGINNING_WITH
D = date.fromisoformat

# (start, months, reading, expected end, end-of-month rule applied)
MONTH_CASES = [
    # "not later than 12 months after": the corresponding date is the last permitted day.
    ("2024-03-01", 12, AFTER, "2025-03-01", False),
    ("2025-12-24", 6, AFTER, "2026-06-24", False),
    # No 29 Feb 2025: the last day of February instead.
    ("2024-02-29", 12, AFTER, "2025-02-28", True),
    # 29 Feb 2028 exists.
    ("2024-02-29", 48, AFTER, "2028-02-29", False),
    ("2025-01-31", 1, AFTER, "2025-02-28", True),
    ("2024-01-31", 1, AFTER, "2024-02-29", True),
    ("2025-01-30", 1, AFTER, "2025-02-28", True),
    ("2025-08-31", 1, AFTER, "2025-09-30", True),
    ("2025-05-31", 6, AFTER, "2025-11-30", True),
    # Not rolled forward: Sun 1 Mar 2026 and Christmas Day 2025 stay as they are.
    ("2025-03-01", 12, AFTER, "2026-03-01", False),
    ("2024-12-25", 12, AFTER, "2025-12-25", False),
    # "beginning with": the period includes the start day, so ends the day before.
    ("2025-03-10", 12, BEGINNING_WITH, "2026-03-09", False),
    ("2025-12-24", 6, BEGINNING_WITH, "2026-06-23", False),
    ("2025-01-01", 12, BEGINNING_WITH, "2025-12-31", False),
    # No 30 Feb 2026 (nor 31st, nor 29th): the period ends on the last day of February.
    ("2025-08-30", 6, BEGINNING_WITH, "2026-02-28", True),
    ("2025-08-31", 6, BEGINNING_WITH, "2026-02-28", True),
    ("2025-08-29", 6, BEGINNING_WITH, "2026-02-28", True),
    # 29 Feb 2028 exists, so the day before it.
    ("2027-08-29", 6, BEGINNING_WITH, "2028-02-28", False),
    ("2025-03-31", 6, BEGINNING_WITH, "2025-09-30", True),
    ("2024-02-29", 12, BEGINNING_WITH, "2025-02-28", True),
]


@pytest.mark.parametrize(("start", "months", "reading", "end", "eom"), MONTH_CASES)
def test_add_months_ends_on_the_day_the_reading_gives(
    start: str, months: int, reading: PeriodReading, end: str, eom: bool
) -> None:
    result = add_months(D(start), months, reading)
    assert (result.end, result.end_of_month_rule) == (D(end), eom)
    assert (result.start, result.amount, result.unit, result.reading) == (
        D(start), months, PeriodUnit.MONTHS, reading
    )


@pytest.mark.parametrize(
    ("start", "years", "reading", "end", "eom"),
    [
        # Health Service Commissioners Act 1993 s9(4): "more than a year after" — a complaint
        # on the anniversary is in time, so the anniversary is the last permitted day.
        ("2025-06-10", 1, AFTER, "2026-06-10", False),
        ("2024-02-29", 1, AFTER, "2025-02-28", True),
        ("2024-02-29", 4, AFTER, "2028-02-29", False),
        ("2025-03-10", 1, BEGINNING_WITH, "2026-03-09", False),
    ],
)
def test_add_years_is_twelve_calendar_months(
    start: str, years: int, reading: PeriodReading, end: str, eom: bool
) -> None:
    result = add_years(D(start), years, reading)
    assert (result.end, result.end_of_month_rule, result.unit) == (D(end), eom, PeriodUnit.YEARS)


@pytest.mark.parametrize(
    ("start", "weeks", "reading", "end"),
    [
        # LGSCO's "12 weeks": start + 84 days.
        ("2026-04-01", 12, AFTER, "2026-06-24"),
        ("2026-04-01", 12, BEGINNING_WITH, "2026-06-23"),
        ("2025-12-30", 1, AFTER, "2026-01-06"),
    ],
)
def test_add_weeks_counts_seven_calendar_days_a_week(
    start: str, weeks: int, reading: PeriodReading, end: str
) -> None:
    result = add_weeks(D(start), weeks, reading)
    assert (result.end, result.end_of_month_rule, result.unit) == (D(end), False, PeriodUnit.WEEKS)


def test_the_basis_names_the_corresponding_date_and_says_no_working_day_roll() -> None:
    basis = add_months(D("2024-03-01"), 12, AFTER).basis
    assert "corresponding date, 1 March 2025" in basis
    assert "not moved to a working day" in basis


def test_the_basis_of_a_beginning_with_period_explains_the_day_before() -> None:
    basis = add_months(D("2025-03-10"), 12, BEGINNING_WITH).basis
    assert "ends on 9 March 2026, the day before the corresponding date 10 March 2026" in basis


def test_the_basis_flags_the_leap_day_ambiguity() -> None:
    basis = add_months(D("2024-02-29"), 12, AFTER).basis
    assert "there is no 29 February 2025" in basis
    assert "end-of-month rule" in basis
    assert "leap-day" in basis


def test_a_missing_thirty_first_uses_the_rule_without_the_leap_day_caveat() -> None:
    basis = add_months(D("2025-08-31"), 1, AFTER).basis
    assert "there is no 31 September 2025" in basis
    assert "leap-day" not in basis


@pytest.mark.parametrize("amount", [0, -1, True, 1.5])
def test_a_period_must_be_a_whole_number_of_at_least_one(amount: object) -> None:
    with pytest.raises(ValueError):
        add_months(D("2025-01-01"), amount, AFTER)  # type: ignore[arg-type]


def test_a_datetime_start_is_refused() -> None:
    with pytest.raises(TypeError):
        add_months(datetime(2025, 1, 1, 9, 0), 1, AFTER)


def test_readings_have_the_names_used_on_the_command_line() -> None:
    assert [r.value for r in PeriodReading] == ["after", "beginning-with"]


def test_the_result_is_frozen() -> None:
    result = add_months(D("2025-01-01"), 1, AFTER)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.end = D("2030-01-01")  # type: ignore[misc]
