"""Time limits: for complaining at all, and for taking the case to an Ombudsman."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from redress.calendar import WorkingDayCalendar
from redress.case import Case, Event
from redress.counting import count_period
from redress.deadlines import (
    ANCHOR_WORDS,
    MET,
    MISSED,
    Deadline,
    StageProgress,
    basis_text,
    deadline_state,
    remaining_working_days,
)
from redress.model import Policy, TimeLimit


def _time_limit_anchor(case: Case, anchor: str) -> tuple[dt.date | None, str]:
    occurred, aware = case.matter_date("occurred"), case.matter_date("aware")
    if anchor == "occurred":
        return occurred, ANCHOR_WORDS["occurred"]
    if anchor == "aware":
        if aware is None and occurred is not None:
            return occurred, "matter occurred (no awareness date given)"
        return aware, ANCHOR_WORDS["aware"]
    days = [d for d in (occurred, aware) if d is not None]
    return (max(days) if days else None), ANCHOR_WORDS["later_of_occurred_or_aware"]


def complaint_time_limit(case: Case, policy: Policy, cal: WorkingDayCalendar,
                         as_of: dt.date) -> Deadline | None:
    limit = policy.time_limit
    if limit is None:
        return None
    anchor_date, label = _time_limit_anchor(case, limit.anchor)
    if anchor_date is None:
        return None
    count = count_period(cal, limit.period, anchor_date, limit.counting)
    state = MET if case.received <= count.due else MISSED
    flags: tuple[str, ...] = ("end-of-month",) if count.end_of_month_rule else ()
    if state == MISSED:
        flags = (*flags, f"late-{limit.late}")
    return Deadline(stage="intake", kind="complaint_time_limit", title="Time limit for complaining",
                    due=count.due, anchor=limit.anchor, anchor_date=anchor_date,
                    basis=basis_text(count, label), state=state, met_on=case.received,
                    working_days_remaining=None, citation=limit.citation, flags=flags,
                    note=limit.note)


def ombudsman_time_limit(case: Case, limit: TimeLimit, body: str,
                         stages: Iterable[StageProgress], cal: WorkingDayCalendar,
                         as_of: dt.date, referral: Event | None) -> Deadline | None:
    """The time limit for taking the case to ``body``, counted as its statute says."""
    if limit.anchor == "final_response":
        last = [p for p in stages if p.stage.next_stage is None and p.responded_on]
        anchor_date = last[0].responded_on if last else None
        label = ANCHOR_WORDS["final_response"]
    else:
        anchor_date, label = _time_limit_anchor(case, limit.anchor)
        if anchor_date is None:
            anchor_date, label = case.received, "complaint received (no awareness date given)"
    if anchor_date is None:
        return None
    count = count_period(cal, limit.period, anchor_date, limit.counting)
    met_on = referral.date if referral else None
    state = deadline_state(count.due, met_on, as_of)
    flags: tuple[str, ...] = ("end-of-month",) if count.end_of_month_rule else ()
    if state == MISSED:
        flags = (*flags, f"late-{limit.late}")
    return Deadline(stage="ombudsman", kind="ombudsman_time_limit",
                    title=f"Time limit for complaining to the {body}", due=count.due,
                    anchor=limit.anchor, anchor_date=anchor_date, basis=basis_text(count, label),
                    state=state, met_on=met_on,
                    working_days_remaining=remaining_working_days(cal, count.due, as_of, state),
                    citation=limit.citation, flags=flags, note=limit.note)
