"""Time limits, for complaining at all and for taking the case to an Ombudsman, on plain dates.

A :class:`LimitCode` is a policy's (or a rule's) ``TimeLimit`` with its counts made once; the
functions give the limit's :class:`Clock` for a case, its basis kept as a recipe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from msgspec import Struct

from redress.calendar import WorkingDayCalendar
from redress.evaluation.case import Event
from redress.evaluation.clock import Clock, Progress, state_of
from redress.evaluation.counting import Counter, counter
from redress.evaluation.deadlines import ANCHOR_WORDS, MET, MISSED, PENDING, matter_anchor
from redress.evaluation.wording import limit_words
from redress.policy.model import TimeLimit

NO_AWARENESS = "complaint received (no awareness date given)"


class LimitCode(Struct, frozen=True):
    limit: TimeLimit
    count: Counter
    outer: Counter | None

    @classmethod
    def of(cls, limit: TimeLimit) -> LimitCode:
        outer = limit.outer_limit
        return cls(limit, counter(limit.period, limit.counting),
                   counter(outer.period, outer.counting) if outer else None)


class _Due(NamedTuple):
    """A limit's last day and what it was counted from (a tuple: made for every limit)."""

    due: dt.date
    end_of_month: bool
    anchor: str
    anchor_date: dt.date
    why: tuple[object, ...]


def _due(code: LimitCode, cal: WorkingDayCalendar, anchor_date: dt.date, label: str,
         occurred: dt.date | None, aware: dt.date | None) -> _Due:
    """The earlier of the limit and its ``outer_limit`` (when it has one and a date)."""
    limit = code.limit
    due, eom = code.count(cal, anchor_date)
    anchor, counted_from = limit.anchor, anchor_date
    outer_date, outer_label = None, ""
    if limit.outer_limit is not None and code.outer is not None:
        outer_date, outer_label = matter_anchor(limit.outer_limit.anchor, occurred, aware)
        if outer_date is not None:
            capped, capped_eom = code.outer(cal, outer_date)
            if capped < due:
                due, eom, anchor, counted_from = (capped, capped_eom, limit.outer_limit.anchor,
                                                  outer_date)
    why = (limit_words, cal, limit, anchor_date, label, outer_date, outer_label)
    return _Due(due, eom, anchor, counted_from, why)


def _due_date(code: LimitCode, cal: WorkingDayCalendar, anchor_date: dt.date,
              occurred: dt.date | None, aware: dt.date | None) -> dt.date:
    """``_due(...).due``: the last day only, for an alternative reading's dates."""
    limit = code.limit
    due = code.count(cal, anchor_date)[0]
    if limit.outer_limit is not None and code.outer is not None:
        outer_date = matter_anchor(limit.outer_limit.anchor, occurred, aware)[0]
        if outer_date is not None:
            due = min(due, code.outer(cal, outer_date)[0])
    return due


def _flags(found: _Due, state: str, limit: TimeLimit) -> tuple[str, ...]:
    flags: tuple[str, ...] = ("end-of-month",) if found.end_of_month else ()
    return (*flags, f"late-{limit.late}") if state == MISSED else flags


def complaint_limit(code: LimitCode, cal: WorkingDayCalendar, received: dt.date,
                    occurred: dt.date | None, aware: dt.date | None) -> Clock | None:
    """The time limit for complaining: met when the complaint came in by its last day."""
    limit = code.limit
    anchor_date, label = matter_anchor(limit.anchor, occurred, aware)
    if anchor_date is None:
        return None
    found = _due(code, cal, anchor_date, label, occurred, aware)
    state = MET if received <= found.due else MISSED
    return Clock("intake", "complaint_time_limit", "Time limit for complaining", found.due,
                 found.anchor, found.anchor_date, state, received, None, limit.citation,
                 _flags(found, state, limit), False, limit.note, found.why)


def complaint_due(code: LimitCode, cal: WorkingDayCalendar, occurred: dt.date | None,
                  aware: dt.date | None) -> dt.date | None:
    """The due date of ``complaint_limit``'s Clock, without the Clock."""
    anchor_date = matter_anchor(code.limit.anchor, occurred, aware)[0]
    return None if anchor_date is None else _due_date(code, cal, anchor_date, occurred, aware)


def _ombudsman_anchor(limit: TimeLimit, stages: Sequence[Progress], received: dt.date,
                      occurred: dt.date | None,
                      aware: dt.date | None) -> tuple[dt.date | None, str]:
    if limit.anchor == "final_response":
        last = [p for p in stages if p.stage.next_stage is None and p.responded_on]
        return (last[0].responded_on if last else None), ANCHOR_WORDS["final_response"]
    anchor_date, label = matter_anchor(limit.anchor, occurred, aware)
    if anchor_date is None:
        return received, NO_AWARENESS
    return anchor_date, label


def ombudsman_limit(code: LimitCode, body: str, stages: Sequence[Progress],
                    cal: WorkingDayCalendar, as_of: dt.date, referral: Event | None,
                    received: dt.date, occurred: dt.date | None,
                    aware: dt.date | None) -> Clock | None:
    """The time limit for taking the case to ``body``, counted as its statute says."""
    limit = code.limit
    anchor_date, label = _ombudsman_anchor(limit, stages, received, occurred, aware)
    if anchor_date is None:
        return None
    found = _due(code, cal, anchor_date, label, occurred, aware)
    met_on = referral.date if referral else None
    state = state_of(found.due, met_on, as_of)
    remaining = cal.elapsed(as_of, found.due) if state == PENDING else None
    return Clock("ombudsman", "ombudsman_time_limit", f"Time limit for complaining to the {body}",
                 found.due, found.anchor, found.anchor_date, state, met_on, remaining,
                 limit.citation, _flags(found, state, limit), False, limit.note, found.why)


def ombudsman_due(code: LimitCode, stages: Sequence[Progress], cal: WorkingDayCalendar,
                  received: dt.date, occurred: dt.date | None,
                  aware: dt.date | None) -> dt.date | None:
    """The due date of ``ombudsman_limit``'s Clock, without the Clock."""
    anchor_date = _ombudsman_anchor(code.limit, stages, received, occurred, aware)[0]
    return None if anchor_date is None else _due_date(code, cal, anchor_date, occurred, aware)


__all__ = ["LimitCode", "complaint_due", "complaint_limit", "ombudsman_due", "ombudsman_limit"]
