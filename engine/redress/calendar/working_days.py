"""Working-day calendars for England and Wales, Scotland and Northern Ireland.

What counts as a working day
----------------------------
The complaints regulations define a working day as any day other than a Saturday, a Sunday,
Christmas Day, Good Friday or a bank holiday under the Banking and Financial Dealings Act 1971:

* SI 2006/1738 (children's representations, England) reg 2 also names Boxing Day;
* SI 2009/309 (adult social care and NHS, England) reg 2(1) names Christmas Day and Good Friday
  and refers to bank holidays in England; Boxing Day is one of those whenever it is a weekday;
* SI 2014/1794 (W.187) (social services, Wales) reg 2 also names Boxing Day.

Non-statutory codes (LGSCO, Housing Ombudsman, SPSO, NIPSO) use Monday to Friday less the
nation's bank holidays.  So each calendar here treats as non-working: weekends; every bank
holiday of its nation, including substitute days and one-off proclaimed days, taken from
``holidays.country_holidays("GB", subdiv=...)`` (``holidays`` 0.108 is pinned); the corrections in
``calendar/overrides.json``; and, always, Christmas Day, Boxing Day and Good Friday as the
regulations name them.  Local closures are never included unless a policy adds them as a named
layer with :meth:`WorkingDayCalendar.with_closures`.

Counting convention (regimes.md §0.3)
-------------------------------------
"Within N working days of X" and "not later than N working days after X" end on the N-th
working day *strictly after* X.  X is day 0 whether or not it is a working day; day 1 is the first
working day after X.  Elapsed working days from ``a`` to ``b`` are the working days ``w`` with
``a < w <= b``.  These are :meth:`~WorkingDayCalendar.add_working_days` and
:meth:`~WorkingDayCalendar.working_days_between`.

Every calendar precomputes a table of cumulative working-day counts over its covered range
(2000-01-01 to 2040-12-31), so each lookup is O(1).  A date or result outside that range raises
:class:`~redress.errors.CalendarRangeError` rather than giving a silently wrong answer.  Years
after the last one GOV.UK has published are projections from the rules in ``holidays``: a one-off
day proclaimed later only appears once it is added to the overrides file.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from itertools import accumulate, compress
from typing import Literal

from redress.errors import CalendarRangeError
from redress.frozen_dataclass import frozen_dataclass

COVERED_START = date(2000, 1, 1)
COVERED_END = date(2040, 12, 31)
# The last day of the official GOV.UK bank-holiday list the calendars were checked against
# (tests/contract/test_calendar_govuk.py).  Later years follow the holidays package's rules, but
# one-off days are proclaimed only months ahead, so results beyond this date carry a flag.
OFFICIAL_DATA_UNTIL = date(2028, 12, 31)

#: The named nation calendars, in the order the GOV.UK bank-holidays feed lists its divisions.
CALENDAR_NAMES: tuple[str, ...] = ("england-and-wales", "scotland", "northern-ireland")

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LAYER_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class UnknownCalendarError(KeyError):
    """No calendar has the requested name.  The message lists the valid names."""

    def __str__(self) -> str:
        # KeyError would show the message with quotes around it; show it as written.
        return str(self.args[0]) if self.args else ""


@frozen_dataclass
class SkippedDay:
    """A weekday that is not a working day, with the reason: ``2025-04-18 Good Friday``."""

    day: date
    reason: str

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.reason}"


@frozen_dataclass
class WorkingDaySpan:
    """The explained result of :meth:`WorkingDayCalendar.explain_add`.

    ``due`` is the ``n``-th working day after ``start`` (``start`` is day 0); ``skipped`` lists the
    non-working weekdays passed over on the way (weekends are not listed one by one).
    """

    start: date
    n: int
    due: date
    skipped: tuple[SkippedDay, ...]
    calendar: str

    def __str__(self) -> str:
        direction = "after" if self.n >= 0 else "before"
        days = "working day" if abs(self.n) == 1 else "working days"
        text = (
            f"{abs(self.n)} {days} {direction} {self.start.isoformat()} is "
            f"{self.due.isoformat()} ({self.calendar})"
        )
        if self.skipped:
            text += "; skips " + ", ".join(str(s) for s in self.skipped)
        return text


@frozen_dataclass
class Override:
    """One entry of ``calendar/overrides.json``: a correction to the ``holidays`` data."""

    day: date
    action: Literal["add", "remove"]
    nations: tuple[str, ...]
    name: str
    source: str


class WorkingDayCalendar:
    """A working-day calendar over a fixed range of dates, with O(1) arithmetic.

    Build one with :func:`get_calendar` (nation calendars) or :meth:`with_closures` (a nation
    calendar plus local closure days).  Instances are immutable.
    """

    __slots__ = (
        "_base",
        "_cum",
        "_named",
        "_size",
        "_skipped_ordinals",
        "_workdays",
        "data_version",
        "layers",
        "name",
    )

    def __init__(
        self,
        name: str,
        non_working: Mapping[date, str],
        *,
        data_version: str,
        layers: tuple[str, ...] = (),
        start: date = COVERED_START,
        end: date = COVERED_END,
    ) -> None:
        """Build the table.

        ``non_working`` maps each named non-working day (bank holiday, statutory day, closure)
        to its reason.  Weekends need not be listed: they are never working days.
        """
        self.name = name
        self.data_version = data_version
        self.layers = layers
        self._base = start.toordinal()
        self._size = end.toordinal() - self._base + 1
        self._named = {d: r for d, r in non_working.items() if start <= d <= end}
        # working[i] is 1 when the day at offset i is a working day.  _cum[i] = number of working
        # days in [start, start + i), so the count up to and including the date at offset o is
        # _cum[o + 1], and the count before it is _cum[o].
        working = _weekday_mask(self._base, self._size)
        skipped = []
        for day in self._named:
            offset = day.toordinal() - self._base
            if working[offset]:
                working[offset] = 0
                skipped.append(offset + self._base)
        self._cum = array("i", [0])
        self._cum.extend(accumulate(working))
        self._workdays = array("i", compress(range(self._base, self._base + self._size), working))
        self._skipped_ordinals = array("i", sorted(skipped))

    def __repr__(self) -> str:
        return f"<WorkingDayCalendar {self.name} ({self.data_version})>"

    @property
    def covered_range(self) -> tuple[date, date]:
        """The first and last dates this calendar can answer for, inclusive."""
        return (date.fromordinal(self._base), date.fromordinal(self._base + self._size - 1))

    # -- queries -----------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (Monday to Friday, not a named non-working day)."""
        o = self._offset(d)
        return self._cum[o + 1] != self._cum[o]

    def non_working_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day, or ``None`` if it is one.

        Weekdays give the holiday or closure name (``"Good Friday"``, ``"Boxing Day (substitute
        day)"``); weekends give the day's name, with any holiday on it in brackets
        (``"Sunday (Christmas Day)"``).
        """
        self._offset(d)
        weekday = d.weekday()
        named = self._named.get(d)
        if weekday >= 5:
            day_name = _WEEKDAY_NAMES[weekday]
            return f"{day_name} ({named})" if named else day_name
        return named

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day strictly after ``d``; ``d`` itself is day 0.

        ``n == 0`` returns ``d`` unchanged (even if it is not a working day).  A negative ``n``
        counts backwards: ``add_working_days(d, -k)`` is the ``k``-th working day strictly before
        ``d``, so for a working day ``d`` it is the inverse of the forward count.  Raises
        :class:`CalendarRangeError` if ``d`` or the result lies outside :attr:`covered_range`.
        """
        if isinstance(d, datetime):
            _reject_datetime(d)
        if not isinstance(n, int):
            raise TypeError(f"the number of working days must be an int, not {n!r}")
        return self.shift(d, n)

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days ``w`` with ``a < w <= b`` (elapsed working days).

        Antisymmetric: if ``b < a`` the result is ``-working_days_between(b, a)``.
        ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 0``.
        """
        return self._cum[self._offset(b) + 1] - self._cum[self._offset(a) + 1]

    # -- unchecked arithmetic for compiled policy code: the same answers, and the same errors,
    # as the public methods, for arguments that are already known to be plain dates and ints.

    def is_working(self, d: date) -> bool:
        o = d.toordinal() - self._base
        if 0 <= o < self._size:
            return self._cum[o + 1] != self._cum[o]
        raise self._out_of_range(d)

    def shift(self, d: date, n: int) -> date:
        """``add_working_days(d, n)`` for a date ``d`` and an int ``n``."""
        o = d.toordinal() - self._base
        if not 0 <= o < self._size:
            raise self._out_of_range(d)
        if n > 0:
            k = self._cum[o + 1] + n - 1
        elif n < 0:
            k = self._cum[o] + n
        else:
            return d
        if 0 <= k < len(self._workdays):
            return date.fromordinal(self._workdays[k])
        raise self._result_out_of_range(d, n)

    def elapsed(self, a: date, b: date) -> int:
        """``working_days_between(a, b)`` for two dates."""
        ob, oa = b.toordinal() - self._base, a.toordinal() - self._base
        if not 0 <= ob < self._size:
            raise self._out_of_range(b)
        if not 0 <= oa < self._size:
            raise self._out_of_range(a)
        return self._cum[ob + 1] - self._cum[oa + 1]

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def skipped_days(self, a: date, b: date) -> tuple[SkippedDay, ...]:
        """The non-working weekdays passed over walking from ``a`` to ``b``, with reasons.

        For ``a <= b`` these are the days in ``(a, b]``; for ``b < a`` (counting backwards) the
        days in ``[b, a)``.  The start ``a`` is day 0 and never listed.  Weekends are not listed
        individually: they are never working days.
        """
        oa = self._offset(a) + self._base
        ob = self._offset(b) + self._base
        ords = self._skipped_ordinals
        if oa <= ob:
            lo, hi = bisect_right(ords, oa), bisect_right(ords, ob)
        else:
            lo, hi = bisect_left(ords, ob), bisect_left(ords, oa)
        days = (date.fromordinal(o) for o in ords[lo:hi])
        return tuple(SkippedDay(d, self._named[d]) for d in days)

    def explain_add(self, d: date, n: int) -> WorkingDaySpan:
        """:meth:`add_working_days` with the non-working weekdays it skipped.

        ``str()`` of the result reads "25 working days after 2025-04-14 is 2025-05-22
        (england-and-wales); skips 2025-04-18 Good Friday, ...".
        """
        due = self.add_working_days(d, n)
        return WorkingDaySpan(d, n, due, self.skipped_days(d, due), self.name)

    # -- layers ------------------------------------------------------------------------------

    def with_closures(
        self, layer: str, closures: Iterable[tuple[date, str]]
    ) -> WorkingDayCalendar:
        """A new calendar: this one plus the body's own closure days as a named layer.

        ``layer`` is a lower-case hyphenated name (``"exampleshire-christmas-closure"``); the new
        calendar is called ``"<this name>+<layer>"`` and its :attr:`data_version` records the layer.
        ``closures`` are ``(date, reason)`` pairs.  This calendar is left unchanged.  Closures
        count only where a policy says so: the statutory definitions do not exclude them.
        """
        if not _LAYER_NAME.fullmatch(layer):
            raise ValueError(
                f"closure layer name {layer!r} must be lower-case words joined by hyphens"
            )
        merged = dict(self._named)
        added = 0
        for day, reason in closures:
            if isinstance(day, datetime) or not isinstance(day, date):
                raise TypeError(f"closure dates must be datetime.date values, not {day!r}")
            if not reason or not reason.strip():
                raise ValueError(f"closure on {day.isoformat()} needs a reason")
            self._offset(day)
            merged[day] = _join_reasons(merged.get(day), reason.strip())
            added += 1
        first, last = self.covered_range
        return WorkingDayCalendar(
            f"{self.name}+{layer}",
            merged,
            data_version=f"{self.data_version} + closures {layer} ({added} days)",
            layers=(*self.layers, layer),
            start=first,
            end=last,
        )

    # -- helpers -----------------------------------------------------------------------------

    def _offset(self, d: date) -> int:
        if isinstance(d, datetime):
            _reject_datetime(d)
        o = d.toordinal() - self._base
        if 0 <= o < self._size:
            return o
        raise self._out_of_range(d)

    def _out_of_range(self, d: date) -> CalendarRangeError:
        first, last = self.covered_range
        return CalendarRangeError(
            f"{d.isoformat()} is outside the {self.name} working-day calendar, "
            f"which covers {first.isoformat()} to {last.isoformat()}"
        )

    def _result_out_of_range(self, d: date, n: int) -> CalendarRangeError:
        first, last = self.covered_range
        if n > 0:
            where = f"after {last.isoformat()}, the last day"
        else:
            where = f"before {first.isoformat()}, the first day"
        return CalendarRangeError(
            f"{abs(n)} working days {'after' if n > 0 else 'before'} {d.isoformat()} falls "
            f"{where} the {self.name} working-day calendar covers"
        )


def _weekday_mask(base: int, size: int) -> bytearray:
    """1 for each Monday to Friday of the ``size`` days from ordinal ``base``, else 0."""
    first = (base + 6) % 7  # date.fromordinal(1) is a Monday
    week = bytes((1, 1, 1, 1, 1, 0, 0))
    week = week[first:] + week[:first]
    return bytearray((week * (size // 7 + 1))[:size])


def _reject_datetime(d: datetime) -> None:
    # A datetime would silently lose its time of day; when a complaint counts as received is a
    # policy decision (regimes.md §0.3.2), so the caller must pass the date it has decided on.
    raise TypeError(f"pass a datetime.date, not a datetime ({d.isoformat()}); use .date()")


def _join_reasons(existing: str | None, reason: str) -> str:
    if not existing or reason in existing.split("; "):
        return existing or reason
    return f"{existing}; {reason}"


def unknown_calendar(name: str) -> UnknownCalendarError:
    """The error for a calendar name that does not exist, suggesting the nearest one."""
    import difflib

    close = difflib.get_close_matches(name, CALENDAR_NAMES, n=1, cutoff=0.4)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    valid = ", ".join(CALENDAR_NAMES)
    return UnknownCalendarError(f"unknown calendar {name!r} (valid names: {valid}){hint}")


__all__ = [
    "CALENDAR_NAMES",
    "COVERED_END",
    "COVERED_START",
    "OFFICIAL_DATA_UNTIL",
    "Override",
    "SkippedDay",
    "UnknownCalendarError",
    "WorkingDayCalendar",
    "WorkingDaySpan",
    "unknown_calendar",
]
