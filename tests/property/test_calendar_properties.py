"""Working-day arithmetic, checked as properties over 2000–2040 for all three nations.

The reference is deliberately naive: it walks one day at a time over a set of non-working days
built here from the ``holidays`` package, ``calendar/overrides.json`` and the days the
regulations name (Christmas Day, Boxing Day, Good Friday).  The calendar under test answers
from precomputed cumulative tables instead, so the two share no arithmetic.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from importlib.resources import files

import holidays
from dateutil.easter import easter
from hypothesis import given
from hypothesis import strategies as st

from redress.calendar import CALENDAR_NAMES, COVERED_END, COVERED_START, get_calendar

SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
LONGEST = 400  # working days: well over a year, longer than any period in a policy

nations = st.sampled_from(CALENDAR_NAMES)
# Far enough inside the covered range that LONGEST working days either way stay inside it.
days = st.dates(COVERED_START + dt.timedelta(days=600), COVERED_END - dt.timedelta(days=600))
counts = st.integers(min_value=0, max_value=LONGEST)


@functools.cache
def non_working(nation: str) -> frozenset[dt.date]:
    years = range(COVERED_START.year, COVERED_END.year + 1)
    off = set(holidays.country_holidays("GB", subdiv=SUBDIVISIONS[nation], years=years))
    text = files("redress.calendar").joinpath("overrides.json").read_text(encoding="utf-8")
    for entry in json.loads(text)["entries"]:
        if nation in entry["nations"]:
            day = dt.date.fromisoformat(entry["date"])
            if entry.get("action", "add") == "add":
                off.add(day)
            else:
                off.discard(day)
    for year in years:
        off |= {dt.date(year, 12, 25), dt.date(year, 12, 26), easter(year) - dt.timedelta(days=2)}
    return frozenset(off)


def naive_working(nation: str, day: dt.date) -> bool:
    return day.weekday() < 5 and day not in non_working(nation)


def naive_add(nation: str, start: dt.date, n: int) -> dt.date:
    day, step = start, (1 if n >= 0 else -1)
    for _ in range(abs(n)):
        day += dt.timedelta(days=step)
        while not naive_working(nation, day):
            day += dt.timedelta(days=step)
    return day


@given(nations, days, counts)
def test_adding_then_counting_round_trips(nation: str, start: dt.date, n: int) -> None:
    cal = get_calendar(nation)
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@given(nations, days, st.integers(min_value=1, max_value=LONGEST))
def test_counting_back_from_a_working_day_undoes_counting_forward(
        nation: str, start: dt.date, n: int) -> None:
    cal = get_calendar(nation)
    working = start if cal.is_working_day(start) else cal.next_working_day(start)
    assert cal.add_working_days(cal.add_working_days(working, n), -n) == working


@given(nations, days, st.integers(min_value=-LONGEST, max_value=LONGEST).filter(bool))
def test_every_result_is_a_working_day(nation: str, start: dt.date, n: int) -> None:
    due = get_calendar(nation).add_working_days(start, n)
    assert naive_working(nation, due)
    assert (due > start) == (n > 0)


@given(nations, days, counts, counts)
def test_more_working_days_never_end_earlier(nation: str, start: dt.date, a: int, b: int) -> None:
    cal = get_calendar(nation)
    low, high = sorted((a, b))
    assert cal.add_working_days(start, low) <= cal.add_working_days(start, high)
    if low < high:
        assert cal.add_working_days(start, low) < cal.add_working_days(start, high)


@given(nations, days, st.integers(min_value=0, max_value=30), counts)
def test_a_later_start_never_ends_earlier(nation: str, start: dt.date, gap: int, n: int) -> None:
    cal = get_calendar(nation)
    later = start + dt.timedelta(days=gap)
    assert cal.add_working_days(start, n) <= cal.add_working_days(later, n)


@given(nations, days, st.integers(min_value=-LONGEST, max_value=LONGEST))
def test_adding_agrees_with_the_naive_walk(nation: str, start: dt.date, n: int) -> None:
    assert get_calendar(nation).add_working_days(start, n) == naive_add(nation, start, n)


@given(nations, days, st.integers(min_value=-600, max_value=600))
def test_counting_agrees_with_the_naive_walk(nation: str, start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    low, high = sorted((start, end))
    naive = sum(1 for k in range(1, (high - low).days + 1)
                if naive_working(nation, low + dt.timedelta(days=k)))
    expected = naive if end >= start else -naive
    assert get_calendar(nation).working_days_between(start, end) == expected


@given(nations, st.dates(COVERED_START, COVERED_END))
def test_each_day_is_classified_as_the_naive_reference_does(nation: str, day: dt.date) -> None:
    assert get_calendar(nation).is_working_day(day) == naive_working(nation, day)


def test_every_day_from_2000_to_2040_is_classified_as_the_naive_reference_does() -> None:
    # Exhaustive, not sampled: 15,000 days a nation cost well under a second.
    for nation in CALENDAR_NAMES:
        cal = get_calendar(nation)
        day, differ = COVERED_START, []
        while day <= COVERED_END:
            if cal.is_working_day(day) != naive_working(nation, day):
                differ.append(day)
            day += dt.timedelta(days=1)
        assert differ == [], nation
