"""Ambiguities: each unsettled reading of a policy, and the dates it would give this case.

A reading's overrides make another version of the policy (``Library.under_reading``), compiled
once like any other.  Its dates for a case are the case's dates under the policy with only what
the reading changes worked out again (``policy.reading_plan``): the changed stages' clocks, the
time limit, the Ombudsman's time limit; a reading that changes anything else replays the whole
case.  The dates that differ are listed in the flag.  The receipt-day question (a complaint
arriving on a non-working day or after hours, with no rule saying when it is received) is the
same idea with the deemed-receipt reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import msgspec

from redress.evaluation.case import Case
from redress.evaluation.clock import Clock, Progress
from redress.evaluation.flag_values import FlagRec, ReadingRec, flag_rec
from redress.evaluation.limits import complaint_due, ombudsman_due, ombudsman_limit
from redress.evaluation.timeline import (
    PolicyCode,
    Timeline,
    notified_on,
    replay,
    run_timeline,
    stage_dues,
)
from redress.evaluation.wording import RECEIPT_READINGS, ambiguity_text, receipt_day_text
from redress.policy.model import Ambiguity, Policy, Reading
from redress.policy.reading_plan import Plan

AFTER_HOURS = dt.time(17, 0)  # when a policy names no cut-off, the end of the working day
Compiled = Callable[[Policy, Reading], tuple[PolicyCode, Plan | None]]


Dates = dict[str, dt.date]
OMBUDSMAN_LIMIT = "ombudsman.ombudsman_time_limit"  # the key of the Ombudsman's time limit
TIME_LIMIT = "intake.complaint_time_limit"  # the key of the time limit for complaining


def _ombudsman_date(case: Case, as_of: dt.date, code: PolicyCode, stages: tuple[Progress, ...],
                    timeline: Timeline, body: str | None, known: Clock | None = None) -> Dates:
    """The Ombudsman's time limit for ``body`` under ``code``, by its key; ``known`` is that
    limit when the result has worked it out already (same route, same stages)."""
    route = code.bodies.get(body) if body else None
    if route is None or route.time_limit is None:
        return {}
    if known is not None:
        return {OMBUDSMAN_LIMIT: known.due}
    limit = ombudsman_limit(code.routes[route.body], route.body, stages, timeline.calendar,
                            as_of, timeline.referral, case.received, case.occurred,
                            case.aware)
    return {OMBUDSMAN_LIMIT: limit.due} if limit is not None else {}


def all_dates(case: Case, as_of: dt.date, code: PolicyCode, timeline: Timeline,
              body: str | None, known: Clock | None = None) -> Dates:
    """Every deadline date of a timeline, with the Ombudsman's time limit for ``body``
    (``known``: that limit as the result has it, when it has one)."""
    dates = {f"{d.stage}.{d.kind}": d.due for d in timeline.deadlines}
    dates.update(_ombudsman_date(case, as_of, code, timeline.stages, timeline, body, known))
    return dates


def reading_dates(case: Case, alt: PolicyCode, plan: Plan, timeline: Timeline,
                  body: str | None) -> tuple[Dates, set[str]]:
    """The dates of the case under a reading's policy ``alt`` that the reading can change, and
    the keys of every date it can change (a key it can change but gives no date is gone).

    Only what ``plan`` says the reading changes is worked out, and only as due dates: the time
    limit, the stages it changes that the case opened (their deadlines and window), and the
    Ombudsman's time limit where the routes or the last stage differ.  The rest of the case's
    dates are those of ``timeline`` (the case under the policy itself)."""
    occurred, aware = case.occurred, case.aware
    dates: Dates = {}
    keys: set[str] = set()
    if plan.time_limit:
        keys.add(TIME_LIMIT)
        if alt.time_limit is not None:
            due = complaint_due(alt.time_limit, alt.calendar, occurred, aware)
            if due is not None:
                dates[TIME_LIMIT] = due
    changed: list[Progress] = []
    if plan.stages:
        for progress in timeline.stages:
            sid = progress.stage.id
            if sid in plan.stages:
                changed.append(progress)
                for kind, due in stage_dues(alt, progress, occurred, aware).items():
                    dates[f"{sid}.{kind}"] = due
        if changed:
            for d in timeline.deadlines:
                if d.stage in plan.stages:
                    keys.add(f"{d.stage}.{d.kind}")
    if plan.routes or (changed and not _same_final(alt, changed)):
        # The Ombudsman's limit reads only the routes and which stage is the last.
        keys.add(OMBUDSMAN_LIMIT)
        stages = tuple(msgspec.structs.replace(p, stage=alt.policy.stages[alt.index[p.stage.id]])
                       if p.stage.id in plan.stages else p for p in timeline.stages)
        due = _ombudsman_due(case, alt, stages, timeline, body)
        if due is not None:
            dates[OMBUDSMAN_LIMIT] = due
    keys.update(dates)
    return dates, keys


def _ombudsman_due(case: Case, code: PolicyCode, stages: tuple[Progress, ...],
                   timeline: Timeline, body: str | None) -> dt.date | None:
    """``_ombudsman_date``'s date under ``code``, without the Clock."""
    route = code.bodies.get(body) if body else None
    if route is None or route.time_limit is None:
        return None
    return ombudsman_due(code.routes[route.body], stages, timeline.calendar, case.received,
                         case.occurred, case.aware)


def _same_final(alt: PolicyCode, changed: list[Progress]) -> bool:
    """Whether the stages a reading changes are the last of their procedure under both
    policies."""
    stages, index = alt.policy.stages, alt.index
    for progress in changed:
        stage = progress.stage
        if (stages[index[stage.id]].next_stage is None) != (stage.next_stage is None):
            return False
    return True


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _changed(reading: Reading, case: Case, as_of: dt.date, code: PolicyCode,
             timeline: Timeline, base: Dates, body: str | None,
             compiled: Compiled) -> dict[str, str | None]:
    """The dates a reading that is not the default gives that differ from ``base``."""
    alt, plan = compiled(code.policy, reading)
    if plan is None:  # the reading changes more than dates: the case replayed under it
        alt_dates = all_dates(case, as_of, alt, run_timeline(case, alt, as_of), body)
        keys: set[str] = base.keys() | alt_dates.keys()
    else:
        alt_dates, keys = reading_dates(case, alt, plan, timeline, body)
    changed: dict[str, str | None] = {}
    # Sorted: a set's order varies between processes (string-hash seeds).
    for key in sorted(keys):
        day = alt_dates.get(key)
        if day != base.get(key):
            changed[key] = day.isoformat() if day is not None else None
    return changed


def _flag(amb: Ambiguity, changes: dict[str, dict[str, str | None]], base: Dates) -> FlagRec:
    """The flag of an ambiguity: every reading, the default with its own dates for each key
    another reading changes (``changes``: the dates of each reading that changes any)."""
    default_dates: dict[str, str | None] = {}
    for changed in changes.values():
        for key in changed:
            default_dates[key] = _iso(base.get(key))
    default = amb.default
    readings = tuple(ReadingRec(r.id, r.description, True, default_dates) if r.id == default
                     else ReadingRec(r.id, r.description, False, changes.get(r.id) or {})
                     for r in amb.readings)
    return flag_rec(f"ambiguity:{amb.id}", "ambiguity", (ambiguity_text, amb),
                    readings=readings, citation=amb.citation)


def ambiguity_flags(case: Case, as_of: dt.date, code: PolicyCode, timeline: Timeline,
                    body: str | None, compiled: Compiled,
                    known: Clock | None = None) -> list[FlagRec]:
    """Each policy ambiguity that bears on this case, with the dates every reading gives;
    ``known`` is the Ombudsman's time limit for ``body`` as the result has it."""
    flags: list[FlagRec] = []
    if code.policy.ambiguities:
        base = all_dates(case, as_of, code, timeline, body, known)
        opened = {p.stage.id for p in timeline.stages}
        for amb, touched, changing in code.open_questions:
            changes = {r.id: _changed(r, case, as_of, code, timeline, base, body, compiled)
                       for r in changing}
            if any(changes.values()) or touched & opened:
                flags.append(_flag(amb, changes, base))
    flags.extend(receipt_flag(case, as_of, code, timeline))
    return flags


def _first_stage(case: Case, code: PolicyCode, timeline: Timeline,
                 received: dt.date) -> Progress | None:
    """Stage 1's progress had the complaint been received on ``received``, a later day.

    That is the timeline's own stage 1 with the later day, unless a request for another stage
    is dated on or before it (then which stage a later event belongs to may change): the case
    is replayed from the later day."""
    stages = timeline.stages
    if stages and stages[0].stage.id == "stage1" and all(
            e.date > received for e in case.events
            if e.type == "escalation_requested" and e.to and e.to in code.index):
        first = stages[0]
        return msgspec.structs.replace(first, opened_on=received, dates={
            **first.dates, "received": received, "escalation_requested": received,
            "notified": notified_on(case, received)})
    return next((p for p in replay(case, code, received) if p.stage.id == "stage1"), None)


def receipt_flag(case: Case, as_of: dt.date, code: PolicyCode,
                 timeline: Timeline) -> list[FlagRec]:
    """When a complaint arrives on a non-working day or after hours, both readings' dates."""
    policy = code.policy
    if policy.receipt_rule != "as_received":
        return []
    cutoff = policy.after_hours_from or AFTER_HOURS
    after_hours = case.received_time is not None and case.received_time >= cutoff
    if any(e.type == "forwarded" for e in case.events):
        return []
    if code.calendar.is_working(timeline.received) and not after_hours:
        return []
    base = {d.kind: d.due for d in timeline.deadlines if d.stage == "stage1"}
    # Received as it came (no forwarding, the rule ``as_received``) on a non-working day or
    # after hours: the other reading deems it received the next working day.
    first = _first_stage(case, code, timeline, code.calendar.shift(case.received, 1))
    alt = stage_dues(code, first, case.occurred, case.aware) if first is not None else {}
    changed = [k for k, due in base.items() if alt.get(k) != due]
    if not changed:
        return []
    return [flag_rec("ambiguity:receipt-day", "ambiguity",
                     (receipt_day_text, after_hours, timeline.received), "stage1",
                     policy.receipt_citation,
                     (ReadingRec(*RECEIPT_READINGS[0], True,
                                 {f"stage1.{k}": base[k].isoformat() for k in changed}),
                      ReadingRec(*RECEIPT_READINGS[1], False,
                                 {f"stage1.{k}": _iso(alt.get(k)) for k in changed})))]


__all__ = ["all_dates", "ambiguity_flags", "reading_dates", "receipt_flag"]
