"""``GET /v1/calendars/{id}/add`` and ``/between``: working-day arithmetic as the engine counts.

``add`` gives the ``n``-th working day after ``date`` (the start is day 0); ``between`` the
number of working days after ``from`` up to and including ``to`` (negative when ``to`` is the
earlier), with the non-working weekdays passed over: the semantics of ``redress calendar add``
and ``redress calendar between``.  With ``procedure``, the count uses that procedure's calendar
on the start date (``Engine.calendar_for``): the nation's bank holidays plus the closure days
its local policy adds, exactly as its deadlines are counted; the ``{id}`` must then be the
nation that policy counts in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request

from redress.calendar import CALENDAR_NAMES, UnknownCalendarError, WorkingDayCalendar, get_calendar
from redress.errors import CalendarRangeError
from redress.evaluation.evaluate import Engine
from redress.evaluation.records import Problem
from redress.findings import did_you_mean
from redress.serve.params import int_param, required_date
from redress.serve.problems import ServiceError, bad_parameter

MAX_WORKING_DAYS = 3660


def calendar_of(engine: Engine, request: Request, on: dt.date) -> WorkingDayCalendar:
    """The calendar named in the path, or the procedure's own calendar of that nation."""
    name = str(request.path_params["id"])
    try:
        nation = get_calendar(name)
    except UnknownCalendarError:
        hint = did_you_mean(name, CALENDAR_NAMES)
        raise ServiceError(404, "not_found", f"no calendar {name!r}"
                           + (f" ({hint})" if hint else "")) from None
    procedure = request.query_params.get("procedure")
    if procedure is None:
        return nation
    own = engine.calendar_for(procedure, on)
    if own is None:
        hint = None if engine.library.has(procedure) else \
            did_you_mean(procedure, engine.library.policies)
        raise bad_parameter("procedure", f"no procedure {procedure!r} is in force on "
                            f"{on.isoformat()}" + (f" ({hint})" if hint else ""))
    if own.name.split("+")[0] != nation.name:
        raise bad_parameter("procedure", f"{procedure!r} counts in the "
                            f"{own.name.split('+')[0]} calendar, not {nation.name}")
    return own


def add(engine: Engine, request: Request) -> dict[str, Any]:
    """The answer of ``/add``."""
    start = required_date(request, "date")
    n = int_param(request, "n", -MAX_WORKING_DAYS, MAX_WORKING_DAYS)
    cal = calendar_of(engine, request, start)
    try:
        return added(cal, start, n)
    except CalendarRangeError as exc:
        raise _outside(exc, "date") from None


def between(engine: Engine, request: Request) -> dict[str, Any]:
    """The answer of ``/between``."""
    first = required_date(request, "from")
    last = required_date(request, "to")
    cal = calendar_of(engine, request, first)
    try:
        return counted(cal, first, last)
    except CalendarRangeError as exc:
        raise _outside(exc, "from" if _outside_range(cal, first) else "to") from None


def added(cal: WorkingDayCalendar, start: dt.date, n: int) -> dict[str, Any]:
    """The ``n``-th working day after ``start`` (raises ``CalendarRangeError``)."""
    span = cal.explain_add(start, n)
    return {"calendar": cal.name, "start": start.isoformat(), "working_days": n,
            "due": span.due.isoformat(),
            "skipped": [{"date": s.day.isoformat(), "reason": s.reason} for s in span.skipped],
            **_stamp(cal)}


def counted(cal: WorkingDayCalendar, first: dt.date, last: dt.date) -> dict[str, Any]:
    """The working days after ``first`` up to ``last`` (raises ``CalendarRangeError``)."""
    count = cal.working_days_between(first, last)
    return {"calendar": cal.name, "from": first.isoformat(), "to": last.isoformat(),
            "working_days": count, "skipped": _skipped(cal, min(first, last), max(first, last)),
            **_stamp(cal)}


def _skipped(cal: WorkingDayCalendar, a: dt.date, b: dt.date) -> list[dict[str, str]]:
    return [{"date": s.day.isoformat(), "reason": s.reason} for s in cal.skipped_days(a, b)]


def _stamp(cal: WorkingDayCalendar) -> dict[str, Any]:
    first, last = cal.covered_range
    return {"data_version": cal.data_version, "covered_range": [first.isoformat(),
                                                                last.isoformat()]}


def _outside_range(cal: WorkingDayCalendar, day: dt.date) -> bool:
    first, last = cal.covered_range
    return not first <= day <= last


def _outside(exc: CalendarRangeError, name: str) -> ServiceError:
    return ServiceError(422, "out_of_calendar", str(exc), (Problem(name, None, None, str(exc)),))


__all__ = ["MAX_WORKING_DAYS", "add", "added", "between", "calendar_of", "counted"]
