"""Views of one procedure through time: each month and quarter of the period (received,
responded, share on time), the time from receipt to the last response across every stage, and
the backlog of complaints still open at the period's end.

Months and quarters run from the period's first month (a year from 1 April gives the financial
quarters); without a start they start at the first month any complaint was received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from redress.calendar import get_calendar
from redress.errors import CalendarRangeError
from redress.evaluation.record_types import NATION_CALENDARS
from redress.report.figures import (
    STAGES,
    Period,
    Record,
    complaint_start,
    day_of,
    in_time_share,
    mean,
    median,
    record_of,
    response_kind,
    responses_in,
    stage_record,
)

# Statuses that end a complaint without a response date (so it is not in a backlog).
ENDED_WITHOUT_RESPONSE = frozenset({"resolved", "withdrawn", "excluded", "closed",
                                    "not_a_complaint", "no_procedure"})


def months_of(period: Period, rows: Sequence[Record]) -> list[dt.date]:
    """The first day of each month of the period (bounded by the data where it is open)."""
    starts = [d for r in rows if (d := complaint_start(r))]
    first = period.start or (min(starts) if starts else None)
    last = period.end or (max(starts) if starts else None)
    if first is None or last is None:
        return []
    month, out = first.replace(day=1), list[dt.date]()
    while month <= last and len(out) < 240:  # twenty years of months at most
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def _view(rows: Sequence[Record], span: Period) -> dict[str, Any]:
    responses = responses_in(rows, span)
    return {"from": _iso(span.start), "to": _iso(span.end),
            "received": sum(1 for r in rows if span.holds(complaint_start(r))),
            "responded": len(responses), "on_time": in_time_share(responses)}


def monthly(rows: Sequence[Record], months: Sequence[dt.date], period: Period) -> list[dict[str, Any]]:
    return [{"month": m.strftime("%Y-%m"), **_view(rows, _clip(m, 1, period))} for m in months]


def quarterly(rows: Sequence[Record], months: Sequence[dt.date],
              period: Period) -> list[dict[str, Any]]:
    return [{"quarter": f"Q{i // 3 + 1}", **_view(rows, _clip(months[i], 3, period))}
            for i in range(0, len(months), 3)]


def _clip(month: dt.date, length: int, period: Period) -> Period:
    end = month
    for _ in range(length):
        end = (end + dt.timedelta(days=32)).replace(day=1)
    last = end - dt.timedelta(days=1)
    start = max(month, period.start) if period.start else month
    return Period(start, min(last, period.end) if period.end else last)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def end_to_end(rows: Sequence[Record], period: Period) -> dict[str, Any]:
    """Working days from receipt to the last response, for complaints whose last response (at
    any stage) was sent in the period."""
    days = []
    for r in rows:
        last = max((d for s in STAGES if (d := day_of((stage_record(r, s) or {})
                                                        .get("responded")))), default=None)
        start = complaint_start(r)
        if last is None or start is None or not period.holds(last):
            continue
        counted = _working_days(str(record_of(r).get("nation") or ""), start, last)
        if counted is not None:
            days.append(counted)
    return {"complaints": len(days), "mean": mean(days), "median": median(days)}


def _working_days(nation: str, start: dt.date, end: dt.date) -> int | None:
    try:
        calendar = get_calendar(NATION_CALENDARS.get(nation, "england-and-wales"))
        return calendar.working_days_between(start, end)
    except CalendarRangeError:
        return None


def backlog(rows: Sequence[Record], at: dt.date | None) -> dict[str, Any] | None:
    """Complaints open on ``at`` (received by then, at a stage not yet answered, not withdrawn),
    each at its latest open stage; ``past_due``: of those, how many had passed the stage's
    response date by then."""
    if at is None:
        return None
    by_stage: dict[str, int] = {}
    past_due = 0
    for r in rows:
        stage = _open_stage(r, at)
        if stage is None:
            continue
        by_stage[stage] = by_stage.get(stage, 0) + 1
        due = _response_due(r, stage)
        past_due += due is not None and due < at
    return {"at": at.isoformat(), "open": sum(by_stage.values()), "past_due": past_due,
            "by_stage": dict(sorted(by_stage.items()))}


def _open_stage(r: Record, at: dt.date) -> str | None:
    withdrawn = day_of(record_of(r).get("withdrawn"))
    if withdrawn is not None and withdrawn <= at:
        return None
    for stage in reversed(STAGES):
        found = stage_record(r, stage)
        opened = day_of((found or {}).get("opened"))
        if found is None or opened is None or opened > at:
            continue
        responded = day_of(found.get("responded"))
        if responded is not None and responded <= at:
            return None
        if responded is None and str(r.get("status")) in ENDED_WITHOUT_RESPONSE:
            return None
        return stage
    return None


def _response_due(r: Record, stage: str) -> dt.date | None:
    kind = response_kind(r, stage)
    found = {d.get("kind"): d for d in r.get("deadlines") or () if d.get("stage") == stage}
    base = found.get(kind)
    if base is None:
        return None
    extended = found.get(f"{kind}_extended")
    if base.get("state") == "not_applicable" and extended is not None:
        return day_of(extended.get("due"))
    return day_of(base.get("due"))


__all__ = ["backlog", "end_to_end", "monthly", "months_of", "quarterly"]
