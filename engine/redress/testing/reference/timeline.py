"""Replay a case's events through a policy version, as the evaluation path before issue 24 did.

Pure functions of (case, policy, calendar, as-of date).  Everything temporal is worked out here,
in Python, with the calendar; the rules only ever see the flat results (``facts.py``).  The
values live in ``deadlines.py``, a stage's clocks in ``stage_clock.py`` and the time limits in
``time_limits.py``; this module replays the events and puts them together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from redress.calendar import WorkingDayCalendar
from redress.evaluation.case import Event
from redress.evaluation.case_ends import case_ends, stopped
from redress.evaluation.deadlines import ANCHOR_WORDS, MISSED, Deadline, Flag
from redress.evaluation.timeline import Replayed
from redress.evaluation.wording import deemed_text, deferral_clock_text, forwarded_text
from redress.policy.calendars import policy_calendar
from redress.policy.model import Policy
from redress.testing.reference.case import Case
from redress.testing.reference.progress import StageProgress
from redress.testing.reference.stage_clock import StageClock, stage_deadlines, window_deadline
from redress.testing.reference.time_limits import complaint_time_limit

Timeline = Replayed[Deadline, Flag]


# ---------------------------------------------------------------------------------------------


def deemed_receipt(case: Case, policy: Policy,
                   calendar: WorkingDayCalendar) -> tuple[dt.date, list[Flag]]:
    """The date the clocks run from, and flags about how it was chosen."""
    flags: list[Flag] = []
    received = case.received
    forwarded = [e for e in case.of_type("forwarded") if e.received]
    if forwarded:
        received = max(e.received for e in forwarded if e.received)
        flags.append(Flag("forwarded", "info", forwarded_text(forwarded[-1].body, received)))
    after_hours = (policy.after_hours_from is not None and case.received_time is not None
                   and case.received_time >= policy.after_hours_from and not forwarded)
    non_working = not calendar.is_working_day(received)
    if (non_working or after_hours) and policy.receipt_rule == "next_working_day":
        nxt = calendar.next_working_day(received)
        flags.append(Flag("receipt-deemed", "info", deemed_text(received, after_hours, nxt),
                          "stage1", citation=policy.receipt_citation))
        received = nxt
    return received, flags


def _stage_of(event: Event, opened: Mapping[str, dt.date]) -> str:
    if event.stage:
        return event.stage
    return max(opened, key=lambda s: (opened[s], s))


def replay(case: Case, policy: Policy, received: dt.date) -> list[StageProgress]:
    """Which stages opened, and when each of their events happened."""
    first = policy.stages[0].id
    opened: dict[str, dt.date] = {first: received}
    passed_on = [e.date for e in case.of_type("forwarded")]
    dates: dict[str, dict[str, dt.date]] = {first: {
        "received": received, "escalation_requested": received,
        "notified": max(passed_on) if passed_on else received}}
    outcomes: dict[str, str | None] = {}
    extensions: dict[str, list[Event]] = {}
    agreed: dict[str, list[Event]] = {}
    for event in case.events:
        if event.type == "escalation_requested" and event.to and policy.stage(event.to):
            if event.to not in opened:
                opened[event.to] = event.date
                dates[event.to] = {"received": event.date, "escalation_requested": event.date}
            continue
        stage = _stage_of(event, opened)
        if stage not in dates:
            continue
        if event.type == "extension":
            extensions.setdefault(stage, []).append(event)
        elif event.type == "period_agreed":
            agreed.setdefault(stage, []).append(event)
        elif event.type in ANCHOR_WORDS:
            dates[stage].setdefault(event.type, event.date)
            if event.type == "responded":
                outcomes.setdefault(stage, event.outcome)
                if event.received is not None:  # the complainant's receipt of the response
                    dates[stage].setdefault("response_received", event.received)
    order = [s.id for s in policy.stages]
    return [StageProgress(stage=policy.stages[order.index(sid)], opened_on=day,
                          dates=dates[sid], outcome=outcomes.get(sid),
                          extensions=tuple(extensions.get(sid, ())),
                          agreed_periods=tuple(agreed.get(sid, ())))
            for sid, day in sorted(opened.items(), key=lambda kv: order.index(kv[0]))]


def _calendars(policy: Policy) -> dict[str, WorkingDayCalendar]:
    names = {policy.calendar}
    names.update(d.calendar for s in policy.stages for d in s.deadlines)
    names.update(s.window.calendar for s in policy.stages if s.window)
    return {name: policy_calendar(policy, name) for name in names}


def build_timeline(case: Case, policy: Policy, as_of: dt.date) -> Timeline:
    """Replay the case through the policy and compute every deadline as of ``as_of``."""
    calendars = _calendars(policy)
    cal = calendars[policy.calendar]
    received, flags = deemed_receipt(case, policy, cal)
    stages = replay(case, policy, received)
    deadlines: list[Deadline] = []
    time_limit = complaint_time_limit(case, policy, cal, as_of)
    if time_limit:
        deadlines.append(time_limit)
    escalation_late = False
    matter = {"occurred": case.matter_date("occurred"), "aware": case.matter_date("aware")}
    for i, progress in enumerate(stages):
        clock = StageClock(progress, calendars, as_of)
        deadlines.extend(stage_deadlines(clock))
        following = stages[i + 1] if i + 1 < len(stages) else None
        if progress.stage.window:
            window = window_deadline(progress, following,
                                     calendars[progress.stage.window.calendar], as_of, matter)
            if window:
                deadlines.append(window)
                escalation_late |= window.state == MISSED and following is not None
    ends = case_ends(case.events)
    deadlines = stopped(deadlines, case.events, ends, replace)
    if ends.resumed:
        flags.append(Flag("ambiguity:deferral-clock", "ambiguity",
                          deferral_clock_text(*ends.resumed)))
    withdrawn, resolved, deferred = ends.withdrawn, ends.resolved, ends.deferred
    return Replayed(received=received, stages=tuple(stages), deadlines=tuple(deadlines),
                    flags=tuple(flags), withdrawn_on=withdrawn.date if withdrawn else None,
                    resolved_on=resolved.date if resolved else None,
                    deferred_on=deferred.date if deferred else None,
                    referral=ends.referral, escalation_late=escalation_late, calendar=cal)

__all__ = ["Timeline", "build_timeline", "deemed_receipt", "policy_calendar", "replay"]
