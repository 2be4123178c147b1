"""Time limits, for complaining and for an Ombudsman, as the evaluation path before issue 24
worked them out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from redress.calendar import WorkingDayCalendar
from redress.calendar.counting import Count, count_period
from redress.evaluation.case import Event
from redress.evaluation.deadlines import (
    ANCHOR_WORDS,
    MET,
    MISSED,
    Deadline,
    deadline_state,
    matter_anchor,
    remaining_working_days,
)
from redress.evaluation.wording import limit_basis
from redress.policy.model import Policy, TimeLimit
from redress.testing.reference.case import Case
from redress.testing.reference.progress import StageProgress


def _time_limit_anchor(case: Case, anchor: str) -> tuple[dt.date | None, str]:
    return matter_anchor(anchor, case.matter_date("occurred"), case.matter_date("aware"))


@dataclass(frozen=True)
class _Limit:
    """The due date a time limit gives, after any outer limit, and how it was reached."""

    count: Count
    anchor: str
    anchor_date: dt.date
    basis: str


def _with_outer_limit(case: Case, limit: TimeLimit, cal: WorkingDayCalendar, count: Count,
                      anchor_date: dt.date, label: str) -> _Limit:
    """The earlier of the main limit and the policy's ``outer_limit`` (when it has one)."""
    outer = limit.outer_limit
    if outer is None:
        return _Limit(count, limit.anchor, anchor_date, limit_basis(count, label))
    outer_date, outer_label = _time_limit_anchor(case, outer.anchor)
    capped = None if outer_date is None else count_period(cal, outer.period, outer_date,
                                                          outer.counting)
    basis = limit_basis(count, label, outer, capped, outer_label)
    if capped is not None and outer_date is not None and capped.due < count.due:
        return _Limit(capped, outer.anchor, outer_date, basis)
    return _Limit(count, limit.anchor, anchor_date, basis)


def complaint_time_limit(case: Case, policy: Policy, cal: WorkingDayCalendar,
                         as_of: dt.date) -> Deadline | None:
    limit = policy.time_limit
    if limit is None:
        return None
    anchor_date, label = _time_limit_anchor(case, limit.anchor)
    if anchor_date is None:
        return None
    made = _with_outer_limit(case, limit, cal,
                             count_period(cal, limit.period, anchor_date, limit.counting),
                             anchor_date, label)
    count = made.count
    state = MET if case.received <= count.due else MISSED
    flags: tuple[str, ...] = ("end-of-month",) if count.end_of_month_rule else ()
    if state == MISSED:
        flags = (*flags, f"late-{limit.late}")
    return Deadline(stage="intake", kind="complaint_time_limit", title="Time limit for complaining",
                    due=count.due, anchor=made.anchor, anchor_date=made.anchor_date,
                    basis=made.basis, state=state, met_on=case.received,
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
    made = _with_outer_limit(case, limit, cal,
                             count_period(cal, limit.period, anchor_date, limit.counting),
                             anchor_date, label)
    count = made.count
    met_on = referral.date if referral else None
    state = deadline_state(count.due, met_on, as_of)
    flags: tuple[str, ...] = ("end-of-month",) if count.end_of_month_rule else ()
    if state == MISSED:
        flags = (*flags, f"late-{limit.late}")
    return Deadline(stage="ombudsman", kind="ombudsman_time_limit",
                    title=f"Time limit for complaining to the {body}", due=count.due,
                    anchor=made.anchor, anchor_date=made.anchor_date, basis=made.basis,
                    state=state, met_on=met_on,
                    working_days_remaining=remaining_working_days(cal, count.due, as_of, state),
                    citation=limit.citation, flags=flags, note=limit.note)
