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
from redress.evaluation.limits import complaint_limit, ombudsman_limit
from redress.evaluation.timeline import (
    PolicyCode,
    Timeline,
    deemed_receipt,
    replay,
    run_timeline,
    stage_clocks,
)
from redress.evaluation.wording import RECEIPT_READINGS, ambiguity_text, receipt_day_text
from redress.policy.model import Ambiguity, Policy, Reading
from redress.policy.reading_plan import Plan

AFTER_HOURS = dt.time(17, 0)  # when a policy names no cut-off, the end of the working day
Compiled = Callable[[Policy, Reading], tuple[PolicyCode, Plan | None]]


Dates = dict[str, dt.date]
OMBUDSMAN_LIMIT = "ombudsman.ombudsman_time_limit"  # the key of the Ombudsman's time limit


def _ombudsman_date(case: Case, as_of: dt.date, code: PolicyCode, stages: tuple[Progress, ...],
                    timeline: Timeline, body: str | None, known: Clock | None = None) -> Dates:
    """The Ombudsman's time limit for ``body`` under ``code``, by its key; ``known`` is that
    limit when the result has worked it out already (same route, same stages)."""
    route = code.policy.route(body) if body else None
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
    dates = {d.key: d.due for d in timeline.deadlines}
    dates.update(_ombudsman_date(case, as_of, code, timeline.stages, timeline, body, known))
    return dates


def reading_dates(case: Case, as_of: dt.date, alt: PolicyCode, plan: Plan | None,
                  timeline: Timeline, body: str | None, base: Dates) -> Dates:
    """``all_dates`` of the case under a reading's policy ``alt``, given ``timeline`` (the
    case under the policy itself) and its dates ``base``: only what the reading changes is
    worked out again."""
    if plan is None:
        return all_dates(case, as_of, alt, run_timeline(case, alt, as_of), body)
    occurred, aware = case.occurred, case.aware
    dates = {d.key: d.due for d in timeline.deadlines
             if d.stage not in plan.stages
             and not (plan.time_limit and d.kind == "complaint_time_limit")}
    if plan.time_limit and alt.time_limit is not None:
        limit = complaint_limit(alt.time_limit, alt.calendar, case.received, occurred, aware)
        if limit is not None:
            dates[limit.key] = limit.due
    if not plan.stages and not plan.routes:
        # Same stages, same routes: the Ombudsman's time limit is the one already worked out.
        if OMBUDSMAN_LIMIT in base:
            dates[OMBUDSMAN_LIMIT] = base[OMBUDSMAN_LIMIT]
        return dates
    stages = tuple(msgspec.structs.replace(p, stage=alt.policy.stages[alt.index[p.id]])
                   if p.id in plan.stages else p for p in timeline.stages)
    if plan.stages:
        made, _late = stage_clocks(alt, stages, as_of, occurred, aware, plan.stages)
        dates.update((d.key, d.due) for d in made)
    if not plan.routes and _same_final(stages, timeline.stages):
        # The Ombudsman's limit reads only the routes and which stage is the last: unchanged.
        if OMBUDSMAN_LIMIT in base:
            dates[OMBUDSMAN_LIMIT] = base[OMBUDSMAN_LIMIT]
        return dates
    dates.update(_ombudsman_date(case, as_of, alt, stages, timeline, body))
    return dates


def _same_final(alt: tuple[Progress, ...], stages: tuple[Progress, ...]) -> bool:
    """Whether the same stages are the last of their procedure under both policies."""
    return all((a.stage.next_stage is None) == (s.stage.next_stage is None)
               for a, s in zip(alt, stages, strict=True))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _reading(amb: Ambiguity, reading: Reading, case: Case, as_of: dt.date, code: PolicyCode,
             timeline: Timeline, base: Dates, body: str | None,
             compiled: Compiled) -> ReadingRec:
    if reading.id == amb.default or not reading.overrides:
        return ReadingRec(reading.id, reading.description, reading.id == amb.default, {})
    alt, plan = compiled(code.policy, reading)
    alt_dates = reading_dates(case, as_of, alt, plan, timeline, body, base)
    # Sorted: a set's order varies between processes (string-hash seeds).
    changed = {k: _iso(alt_dates.get(k)) for k in sorted(base.keys() | alt_dates.keys())
               if alt_dates.get(k) != base.get(k)}
    return ReadingRec(reading.id, reading.description, False, changed)


def ambiguity_flags(case: Case, as_of: dt.date, code: PolicyCode, timeline: Timeline,
                    body: str | None, compiled: Compiled,
                    known: Clock | None = None) -> list[FlagRec]:
    """Each policy ambiguity that bears on this case, with the dates every reading gives;
    ``known`` is the Ombudsman's time limit for ``body`` as the result has it."""
    flags: list[FlagRec] = []
    if code.policy.ambiguities:
        base = all_dates(case, as_of, code, timeline, body, known)
        opened = {p.id for p in timeline.stages}
    for amb, touched in zip(code.policy.ambiguities, code.touched, strict=True):
        readings = [_reading(amb, r, case, as_of, code, timeline, base, body, compiled)
                    for r in amb.readings]
        if not (touched & opened) and not any(r.dates for r in readings):
            continue
        default_dates = {k: _iso(base.get(k)) for r in readings for k in r.dates}
        readings = [ReadingRec(r.id, r.description, True, default_dates) if r.default else r
                    for r in readings]
        flags.append(flag_rec(f"ambiguity:{amb.id}", "ambiguity", (ambiguity_text, amb),
                              readings=tuple(readings), citation=amb.citation))
    flags.extend(receipt_flag(case, as_of, code, timeline))
    return flags


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
    base = {d.key: d.due.isoformat() for d in timeline.deadlines if d.stage == "stage1"}
    received, _flags = deemed_receipt(case, code, "next_working_day", cutoff)
    made, _late = stage_clocks(code, replay(case, code, received), as_of,
                               case.occurred, case.aware,
                               frozenset({"stage1"}))
    alt_dates = {d.key: d.due.isoformat() for d in made}
    changed = [k for k in base if alt_dates.get(k) != base[k]]
    if not changed:
        return []
    return [flag_rec("ambiguity:receipt-day", "ambiguity",
                     (receipt_day_text, after_hours, timeline.received), "stage1",
                     policy.receipt_citation,
                     (ReadingRec(*RECEIPT_READINGS[0], True, {k: base[k] for k in changed}),
                      ReadingRec(*RECEIPT_READINGS[1], False,
                                 {k: alt_dates.get(k) for k in changed})))]


__all__ = ["all_dates", "ambiguity_flags", "reading_dates", "receipt_flag"]
