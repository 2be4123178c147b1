"""Working-day calendars: redress.calendar.

Every expected date below was worked out by hand from the official GOV.UK bank-holiday list
(https://www.gov.uk/bank-holidays) and a paper calendar, never copied from the code's output.
The counting convention is regimes.md §0.3: the start date is day 0 and day 1 is the first
working day strictly after it; elapsed working days from a to b are those w with a < w <= b.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from redress.calendar import (
    CALENDAR_NAMES,
    COVERED_END,
    COVERED_START,
    Override,
    SkippedDay,
    UnknownCalendarError,
    WorkingDaySpan,
    build_calendar,
    get_calendar,
    parse_overrides,
    shipped_overrides,
)
from redress.errors import CalendarRangeError, RedressError

EW = "england-and-wales"
SCO = "scotland"
NI = "northern-ireland"
D = date.fromisoformat


# -- the counting convention: spot checks --------------------------------------------------------

# (calendar, start, n, expected) — each worked by hand; the comment says what is skipped.
ADD_CASES = [
    # Saturday start: day 0 is the Saturday, day 1 the Monday.
    (EW, "2022-06-04", 1, "2022-06-06"),
    # Wednesday + 1 skips Thu 2 June (spring bank holiday) and Fri 3 June (Platinum Jubilee).
    (EW, "2022-06-01", 1, "2022-06-06"),
    # Fri 28 Apr 2023 + 20 skips 1 May, 8 May (coronation) and 29 May.
    (EW, "2023-04-28", 20, "2023-05-31"),
    # Mon 14 Apr 2025 + 25 skips Good Friday 18 Apr, Easter Monday 21 Apr, 5 May.
    (EW, "2025-04-14", 25, "2025-05-22"),
    # Scotland has no Easter Monday bank holiday, so the same count ends a day earlier.
    (SCO, "2025-04-14", 25, "2025-05-21"),
    (SCO, "2025-04-17", 1, "2025-04-21"),
    (EW, "2025-04-17", 1, "2025-04-22"),
    # A bank holiday as the start date is still day 0.
    (EW, "2025-04-18", 1, "2025-04-22"),
    # n = 0 returns the start date itself, even a non-working one.
    (EW, "2025-04-19", 0, "2025-04-19"),
    (EW, "2025-04-22", 0, "2025-04-22"),
    # Christmas 2021 fell on a weekend: substitutes Mon 27 and Tue 28 December.
    (EW, "2021-12-24", 1, "2021-12-29"),
    # New Year 2022 fell on a Saturday: substitute Mon 3 January; Scotland also Tue 4 January.
    (EW, "2021-12-31", 1, "2022-01-04"),
    (SCO, "2021-12-31", 1, "2022-01-05"),
    # Christmas Day 2022 was a Sunday: Boxing Day Mon 26, Christmas substitute Tue 27.
    (EW, "2022-12-23", 1, "2022-12-28"),
    # Boxing Day 2026 is a Saturday: substitute Mon 28 December.
    (EW, "2026-12-24", 1, "2026-12-29"),
    # St Andrew's Day: Sun 30 Nov 2025 -> Mon 1 Dec; Sat 30 Nov 2024 -> Mon 2 Dec; Mon 30 Nov 2026.
    (SCO, "2025-11-28", 1, "2025-12-02"),
    (EW, "2025-11-28", 1, "2025-12-01"),
    (SCO, "2024-11-29", 1, "2024-12-03"),
    (SCO, "2026-11-27", 1, "2026-12-01"),
    # St Patrick's Day: Sun 17 Mar 2024 -> Mon 18 Mar; Tue 17 Mar 2026.
    (NI, "2024-03-15", 1, "2024-03-19"),
    (EW, "2024-03-15", 1, "2024-03-18"),
    (NI, "2026-03-16", 1, "2026-03-18"),
    # Battle of the Boyne: Sat 12 Jul 2025 -> Mon 14 Jul; Sun 12 Jul 2026 -> Mon 13 Jul; Wed 2023.
    (NI, "2025-07-11", 1, "2025-07-15"),
    (EW, "2025-07-11", 1, "2025-07-14"),
    (NI, "2026-07-10", 1, "2026-07-14"),
    (NI, "2023-07-11", 1, "2023-07-13"),
    # Scotland's one-off World Cup bank holiday, Mon 15 June 2026 (Scotland only).
    (SCO, "2026-06-12", 1, "2026-06-16"),
    (EW, "2026-06-12", 1, "2026-06-15"),
    (NI, "2026-06-12", 1, "2026-06-15"),
    # Summer bank holiday: first Monday of August in Scotland, last Monday elsewhere.
    (SCO, "2025-08-01", 1, "2025-08-05"),
    (EW, "2025-08-01", 1, "2025-08-04"),
    (EW, "2025-08-22", 1, "2025-08-26"),
    # Negative n: the k-th working day strictly before the date.
    (EW, "2025-04-22", -1, "2025-04-17"),
    (EW, "2022-06-04", -1, "2022-06-01"),
    (EW, "2025-05-06", -1, "2025-05-02"),
    (EW, "2025-05-22", -25, "2025-04-14"),
]


@pytest.mark.parametrize(("name", "start", "n", "expected"), ADD_CASES)
def test_add_working_days_gives_the_nth_working_day_after_the_start(
    name: str, start: str, n: int, expected: str
) -> None:
    assert get_calendar(name).add_working_days(D(start), n) == D(expected)


# (calendar, a, b, expected count of working days w with a < w <= b) — by hand.
BETWEEN_CASES = [
    (EW, "2025-04-14", "2025-05-22", 25),
    (SCO, "2025-04-14", "2025-05-22", 26),
    (EW, "2023-04-28", "2023-05-31", 20),
    (EW, "2022-06-01", "2022-06-06", 1),
    (EW, "2022-06-04", "2022-06-05", 0),
    (EW, "2025-04-22", "2025-04-22", 0),
    # A bank holiday as the first date is not counted; the working last date is.
    (EW, "2025-04-18", "2025-04-22", 1),
    # Dec 29, 30, 31 and Jan 4 (3 Jan is the New Year substitute day).
    (EW, "2021-12-24", "2022-01-04", 4),
    # Scotland also loses Tue 4 January 2022, the substitute for 2 January.
    (SCO, "2021-12-24", "2022-01-05", 4),
    # Reversed dates give the negative count.
    (EW, "2025-05-22", "2025-04-14", -25),
]


@pytest.mark.parametrize(("name", "a", "b", "expected"), BETWEEN_CASES)
def test_working_days_between_counts_days_after_a_up_to_and_including_b(
    name: str, a: str, b: str, expected: int
) -> None:
    assert get_calendar(name).working_days_between(D(a), D(b)) == expected


@pytest.mark.parametrize(
    ("name", "day", "reason"),
    [
        (EW, "2025-04-18", "Good Friday"),
        (EW, "2025-04-21", "Easter Monday"),
        (EW, "2025-04-19", "Saturday"),
        (EW, "2025-04-20", "Sunday"),
        (EW, "2022-12-25", "Sunday (Christmas Day)"),
        (EW, "2022-12-27", "Christmas Day (substitute day)"),
        (EW, "2026-12-28", "Boxing Day (substitute day)"),
        (SCO, "2025-12-01", "Saint Andrew's Day (substitute day)"),
        (SCO, "2026-11-30", "Saint Andrew's Day"),
        (SCO, "2022-01-04", "New Year Holiday (substitute day)"),
        (NI, "2025-03-17", "Saint Patrick's Day"),
        (NI, "2024-03-18", "Saint Patrick's Day (substitute day)"),
        (NI, "2025-07-14", "Battle of the Boyne (substitute day)"),
        (SCO, "2026-06-15", "World Cup bank holiday"),
        (EW, "2023-05-08", "Coronation of Charles III"),
        (EW, "2025-04-22", None),
        (SCO, "2025-04-21", None),
    ],
)
def test_non_working_reason_names_the_holiday_or_weekend(
    name: str, day: str, reason: str | None
) -> None:
    assert get_calendar(name).non_working_reason(D(day)) == reason


@pytest.mark.parametrize(
    ("name", "day", "working"),
    [
        (EW, "2025-04-17", True),
        (EW, "2025-04-18", False),
        (EW, "2025-04-19", False),
        (SCO, "2025-04-21", True),
        (EW, "2025-04-21", False),
        (NI, "2025-03-17", False),
        (EW, "2025-03-17", True),
    ],
)
def test_is_working_day(name: str, day: str, working: bool) -> None:
    assert get_calendar(name).is_working_day(D(day)) is working


def test_next_working_day_is_strictly_after_the_date() -> None:
    cal = get_calendar(EW)
    assert cal.next_working_day(D("2025-04-17")) == D("2025-04-22")
    assert cal.next_working_day(D("2025-04-22")) == D("2025-04-23")


# -- skipped days and the explained variant -----------------------------------------------------


def test_explain_add_lists_the_bank_holidays_it_skipped() -> None:
    span = get_calendar(EW).explain_add(D("2025-04-14"), 25)
    assert span == WorkingDaySpan(
        start=D("2025-04-14"),
        n=25,
        due=D("2025-05-22"),
        skipped=(
            SkippedDay(D("2025-04-18"), "Good Friday"),
            SkippedDay(D("2025-04-21"), "Easter Monday"),
            SkippedDay(D("2025-05-05"), "May Day"),
        ),
        calendar=EW,
    )
    assert str(span) == (
        "25 working days after 2025-04-14 is 2025-05-22 (england-and-wales); skips "
        "2025-04-18 Good Friday, 2025-04-21 Easter Monday, 2025-05-05 May Day"
    )


def test_skipped_day_reads_as_date_and_reason() -> None:
    assert str(SkippedDay(D("2025-04-18"), "Good Friday")) == "2025-04-18 Good Friday"


def test_results_are_frozen() -> None:
    span = get_calendar(EW).explain_add(D("2025-04-14"), 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.due = D("2030-01-01")  # type: ignore[misc]


def test_skipped_days_excludes_the_start_day_and_weekends() -> None:
    cal = get_calendar(EW)
    assert cal.skipped_days(D("2025-04-18"), D("2025-04-22")) == (
        SkippedDay(D("2025-04-21"), "Easter Monday"),
    )
    assert cal.skipped_days(D("2025-04-22"), D("2025-04-30")) == ()


def test_skipped_days_backwards_lists_the_days_passed_over() -> None:
    # Walking back from Tue 22 Apr to Thu 17 Apr 2025 passes Easter Monday and Good Friday.
    cal = get_calendar(EW)
    assert [s.day for s in cal.skipped_days(D("2025-04-22"), D("2025-04-17"))] == [
        D("2025-04-18"),
        D("2025-04-21"),
    ]
    assert cal.explain_add(D("2025-04-22"), -1).skipped == cal.skipped_days(
        D("2025-04-22"), D("2025-04-17")
    )


def test_explain_add_with_zero_days_skips_nothing() -> None:
    span = get_calendar(EW).explain_add(D("2025-04-18"), 0)
    assert (span.due, span.skipped) == (D("2025-04-18"), ())


# -- the statutory days and the overrides ------------------------------------------------------


@pytest.mark.parametrize("name", CALENDAR_NAMES)
def test_christmas_boxing_day_and_good_friday_are_never_working_days(name: str) -> None:
    # Named in SI 2006/1738 reg 2, SI 2009/309 reg 2(1) and SI 2014/1794 reg 2.
    from dateutil.easter import easter

    cal = get_calendar(name)
    for year in range(COVERED_START.year, COVERED_END.year + 1):
        for day in (date(year, 12, 25), date(year, 12, 26), easter(year) - timedelta(days=2)):
            assert not cal.is_working_day(day), day


def _override(day: str, action: str, name: str = "Test day") -> Override:
    return Override(D(day), action, (EW,), name, "https://example.org/test")  # type: ignore[arg-type]


def test_an_override_cannot_make_good_friday_a_working_day() -> None:
    cal = build_calendar(EW, [_override("2025-04-18", "remove")], overrides_revised="test")
    assert cal.non_working_reason(D("2025-04-18")) == "Good Friday"


def test_a_remove_override_makes_a_listed_bank_holiday_a_working_day() -> None:
    cal = build_calendar(EW, [_override("2025-04-21", "remove")], overrides_revised="test")
    assert cal.is_working_day(D("2025-04-21"))
    assert cal.add_working_days(D("2025-04-17"), 1) == D("2025-04-21")


def test_an_add_override_applies_only_to_the_nations_it_names() -> None:
    overrides = [_override("2025-06-02", "add", "Proclaimed one-off day")]
    ew = build_calendar(EW, overrides, overrides_revised="test")
    sco = build_calendar(SCO, overrides, overrides_revised="test")
    assert ew.non_working_reason(D("2025-06-02")) == "Proclaimed one-off day"
    assert sco.is_working_day(D("2025-06-02"))
    assert ew.data_version.endswith("overrides test")


def test_the_shipped_overrides_file_is_well_formed_and_cited() -> None:
    revised, entries = shipped_overrides()
    assert date.fromisoformat(revised)
    assert entries
    for entry in entries:
        assert entry.source.startswith("https://")
        assert set(entry.nations) <= set(CALENDAR_NAMES)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ('{"entries": []}', "revised"),
        ('{"revised": "2026-01-01", "entries": [{"date": "2026-01-05", "nations": ["wales"],'
         ' "name": "x", "source": "y"}]}', "unknown nations"),
        ('{"revised": "2026-01-01", "entries": [{"date": "2026-01-05", "action": "move",'
         ' "nations": ["scotland"], "name": "x", "source": "y"}]}', "action"),
        ('{"revised": "2026-01-01", "entries": [{"date": "2026-13-05",'
         ' "nations": ["scotland"], "name": "x", "source": "y"}]}', "malformed"),
        ('{"revised": "2026-01-01", "entries": [{"date": "2026-01-05",'
         ' "nations": ["scotland"], "name": "x", "source": ""}]}', "source"),
    ],
)
def test_malformed_overrides_are_rejected(doc: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_overrides(doc, "test.json")


# -- names, caching, audit stamp ------------------------------------------------------------------


def test_the_calendar_names_are_the_three_govuk_divisions() -> None:
    assert CALENDAR_NAMES == ("england-and-wales", "scotland", "northern-ireland")


def test_get_calendar_builds_each_calendar_once() -> None:
    assert get_calendar(SCO) is get_calendar(SCO)


def test_an_unknown_calendar_name_lists_the_valid_ones_and_suggests_one() -> None:
    with pytest.raises(UnknownCalendarError) as info:
        get_calendar("scotlnd")
    assert isinstance(info.value, KeyError)
    text = str(info.value)
    assert "did you mean 'scotland'?" in text
    for name in CALENDAR_NAMES:
        assert name in text


def test_data_version_and_covered_range_stamp_the_calendar() -> None:
    cal = get_calendar(EW)
    revised, _ = shipped_overrides()
    assert cal.data_version == f"holidays 0.108 + overrides {revised}"
    assert cal.covered_range == (date(2000, 1, 1), date(2040, 12, 31))
    assert cal.name == EW


# -- range and type errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_working_day(D("1999-12-31")),
        lambda c: c.non_working_reason(D("2041-01-01")),
        lambda c: c.add_working_days(D("1999-12-31"), 1),
        lambda c: c.add_working_days(D("2040-12-28"), 2),
        lambda c: c.add_working_days(D("2000-01-04"), -5),
        lambda c: c.working_days_between(D("2025-01-01"), D("2041-01-01")),
        lambda c: c.skipped_days(D("1999-06-01"), D("2025-01-01")),
        lambda c: c.next_working_day(D("2040-12-31")),
    ],
)
def test_dates_and_results_outside_the_covered_range_raise(call: object) -> None:
    cal = get_calendar(EW)
    with pytest.raises(CalendarRangeError) as info:
        call(cal)  # type: ignore[operator]
    assert isinstance(info.value, RedressError)
    assert isinstance(info.value, ValueError)
    assert "england-and-wales" in str(info.value)


def test_the_last_covered_day_is_still_answered() -> None:
    # 2040-12-31 is a Monday; Fri 28 Dec 2040 + 1 lands on it.
    cal = get_calendar(EW)
    assert cal.next_working_day(D("2040-12-28")) == D("2040-12-31")
    assert cal.add_working_days(D("2040-12-31"), 0) == D("2040-12-31")


def test_an_out_of_range_result_explains_the_limit() -> None:
    with pytest.raises(CalendarRangeError, match="falls after 2040-12-31"):
        get_calendar(EW).add_working_days(D("2040-12-20"), 30)


def test_a_datetime_is_refused_so_the_time_of_day_is_never_silently_dropped() -> None:
    with pytest.raises(TypeError, match="datetime"):
        get_calendar(EW).add_working_days(datetime(2025, 4, 14, 17, 30), 1)
    with pytest.raises(TypeError, match="datetime"):
        get_calendar(EW).is_working_day(datetime(2025, 4, 14, 17, 30))


def test_a_non_integer_count_is_refused() -> None:
    with pytest.raises(TypeError):
        get_calendar(EW).add_working_days(D("2025-04-14"), 2.5)  # type: ignore[arg-type]


# -- local closures layer -----------------------------------------------------------------------

CLOSURE = "Council Christmas closure"
EXAMPLESHIRE = [
    (D("2025-12-24"), CLOSURE),
    (D("2025-12-25"), CLOSURE),
    (D("2025-12-29"), CLOSURE),
    (D("2025-12-30"), CLOSURE),
    (D("2025-12-31"), CLOSURE),
]


def test_closures_make_a_new_named_calendar_and_leave_the_base_untouched() -> None:
    base = get_calendar(EW)
    local = base.with_closures("exampleshire-christmas-closure", EXAMPLESHIRE)
    assert local.name == "england-and-wales+exampleshire-christmas-closure"
    assert local.layers == ("exampleshire-christmas-closure",)
    assert "closures exampleshire-christmas-closure" in local.data_version
    # By hand: 24 Dec closure, 25-26 Dec bank holidays, weekend, 29-31 Dec closure,
    # 1 Jan bank holiday; Friday 2 January 2026 is the first working day.
    assert local.add_working_days(D("2025-12-23"), 1) == D("2026-01-02")
    assert base.add_working_days(D("2025-12-23"), 1) == D("2025-12-24")
    assert get_calendar(EW).is_working_day(D("2025-12-24"))


def test_closures_appear_in_skipped_days_with_their_reason() -> None:
    local = get_calendar(EW).with_closures("exampleshire-christmas-closure", EXAMPLESHIRE)
    assert [str(s) for s in local.skipped_days(D("2025-12-23"), D("2026-01-02"))] == [
        "2025-12-24 Council Christmas closure",
        "2025-12-25 Christmas Day; Council Christmas closure",
        "2025-12-26 Boxing Day",
        "2025-12-29 Council Christmas closure",
        "2025-12-30 Council Christmas closure",
        "2025-12-31 Council Christmas closure",
        "2026-01-01 New Year's Day",
    ]


def test_closure_layers_stack() -> None:
    local = (
        get_calendar(SCO)
        .with_closures("a-council", [(D("2025-07-21"), "Local holiday")])
        .with_closures("b-council", [(D("2025-07-22"), "Staff training day")])
    )
    assert local.name == "scotland+a-council+b-council"
    assert local.add_working_days(D("2025-07-18"), 1) == D("2025-07-23")


@pytest.mark.parametrize(
    ("layer", "closures", "error"),
    [
        ("Exampleshire Closure", [], ValueError),
        ("exampleshire", [(D("2025-12-24"), " ")], ValueError),
        ("exampleshire", [(D("2041-12-24"), "Closure")], CalendarRangeError),
        ("exampleshire", [(datetime(2025, 12, 24), "Closure")], TypeError),
    ],
)
def test_invalid_closure_layers_are_refused(
    layer: str, closures: list[tuple[date, str]], error: type[Exception]
) -> None:
    with pytest.raises(error):
        get_calendar(EW).with_closures(layer, closures)


# -- properties, with numpy's business-day functions as an independent arithmetic oracle ---------


def _numpy_calendar(name: str) -> np.busdaycalendar:
    cal = get_calendar(name)
    first, last = cal.covered_range
    days = [s.day for s in cal.skipped_days(first, last)]
    return np.busdaycalendar(weekmask="1111100", holidays=np.array(days, dtype="datetime64[D]"))


@pytest.mark.parametrize("name", CALENDAR_NAMES)
def test_add_and_between_agree_with_numpy_on_random_inputs(name: str) -> None:
    cal = get_calendar(name)
    npcal = _numpy_calendar(name)
    rng = random.Random(20251123)
    for _ in range(3000):
        start = date(2001, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
        n = rng.randint(-130, 130)
        if n > 0:  # roll back off a non-working start, then count forward: strictly after
            expected = np.busday_offset(start, n, roll="backward", busdaycal=npcal)
        elif n < 0:  # roll forward off a non-working start, then count back: strictly before
            expected = np.busday_offset(start, n, roll="forward", busdaycal=npcal)
        else:
            expected = np.datetime64(start, "D")
        assert np.datetime64(cal.add_working_days(start, n), "D") == expected, (start, n)
        other = start + timedelta(days=rng.randint(-400, 400))
        lo, hi = min(start, other), max(start, other)
        # numpy counts [begin, end); shift both ends by a day to count (lo, hi].
        one = timedelta(days=1)
        count = int(np.busday_count(lo + one, hi + one, busdaycal=npcal))
        sign = 1 if other >= start else -1
        assert cal.working_days_between(start, other) == sign * count, (start, other)


@pytest.mark.parametrize("name", CALENDAR_NAMES)
def test_counting_back_what_was_added_returns_the_start(name: str) -> None:
    cal = get_calendar(name)
    rng = random.Random(7)
    for _ in range(2000):
        start = date(2001, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
        n = rng.randint(0, 130)
        due = cal.add_working_days(start, n)
        assert cal.working_days_between(start, due) == n
        assert cal.working_days_between(due, start) == -n
        if cal.is_working_day(start):
            assert cal.add_working_days(due, -n) == start
