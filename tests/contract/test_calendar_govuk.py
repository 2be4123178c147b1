"""Contract: our calendars against the official GOV.UK bank-holiday list.

The oracle is the copy of https://www.gov.uk/bank-holidays.json bundled in the test-only package
``govuk-bank-holidays`` 0.19 (the Ministry of Justice cache of February 2026, covering
2012-2028).  It is read from the installed package, never fetched from the network, so the
test is reproducible offline.

For every year in the file and each of the three divisions, the set of non-working weekdays in
our calendar must equal the GOV.UK set exactly, apart from the known differences listed in
``EXPECTED_ADDITIONS``.  When the two disagree the official list wins: add the day to
``engine/redress/calendar/overrides.json`` (and, for a day GOV.UK proclaimed after this cache,
to ``EXPECTED_ADDITIONS`` here with the reason).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import metadata
from importlib.resources import files

import holidays
import pytest

from redress.calendar import CALENDAR_NAMES, COVERED_END, COVERED_START, get_calendar

_FEED = json.loads(
    files("govuk_bank_holidays").joinpath("bank-holidays.json").read_text(encoding="utf-8")
)

# Days that are bank holidays under a later official list than the bundled February 2026 cache.
EXPECTED_ADDITIONS: dict[str, set[date]] = {
    "england-and-wales": set(),
    # Proclaimed on 4 February 2026 (Banking and Financial Dealings Act 1971 s1(3)); listed on
    # gov.uk from later in 2026, but missing from the cache.  See calendar/overrides.json.
    "scotland": {date(2026, 6, 15)},
    "northern-ireland": set(),
}


def _govuk_days(division: str) -> set[date]:
    return {date.fromisoformat(e["date"]) for e in _FEED[division]["events"]}


def _years(division: str) -> list[int]:
    return sorted({d.year for d in _govuk_days(division)})


CASES = [(division, year) for division in CALENDAR_NAMES for year in _years(division)]


def _our_non_working_weekdays(division: str, year: int) -> set[date]:
    cal = get_calendar(division)
    first = date(year, 1, 1)
    days = (first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days))
    return {d for d in days if d.weekday() < 5 and not cal.is_working_day(d)}


def test_the_feed_covers_the_three_divisions_from_2012_to_2028() -> None:
    assert set(_FEED) == set(CALENDAR_NAMES)
    for division in CALENDAR_NAMES:
        years = _years(division)
        assert (years[0], years[-1]) == (2012, 2028)
        assert years == list(range(2012, 2029))


def test_every_govuk_bank_holiday_falls_on_a_weekday() -> None:
    # So comparing weekday sets loses nothing.
    for division in CALENDAR_NAMES:
        assert all(d.weekday() < 5 for d in _govuk_days(division))


@pytest.mark.parametrize(("division", "year"), CASES)
def test_non_working_weekdays_equal_the_govuk_list(division: str, year: int) -> None:
    expected = {d for d in _govuk_days(division) | EXPECTED_ADDITIONS[division] if d.year == year}
    ours = _our_non_working_weekdays(division, year)
    assert sorted(ours - expected) == [], "days we treat as bank holidays that GOV.UK does not"
    assert sorted(expected - ours) == [], "GOV.UK bank holidays missing from our calendar"


def test_the_expected_additions_are_in_the_overrides_file() -> None:
    from redress.calendar import shipped_overrides

    _, entries = shipped_overrides()
    shipped = {(n, e.day) for e in entries if e.action == "add" for n in e.nations}
    for division, days in EXPECTED_ADDITIONS.items():
        for day in days:
            assert (division, day) in shipped


def test_holidays_is_the_pinned_release() -> None:
    # One-off days only arrive with releases: re-run this contract when re-pinning.
    assert metadata.version("holidays") == "0.108"


def test_holidays_england_and_wales_subdivisions_are_identical() -> None:
    # Justifies building the england-and-wales calendar from subdiv ENG alone.
    years = range(COVERED_START.year, COVERED_END.year + 1)
    eng = holidays.country_holidays("GB", subdiv="ENG", years=years)
    wls = holidays.country_holidays("GB", subdiv="WLS", years=years)
    assert dict(eng.items()) == dict(wls.items())
