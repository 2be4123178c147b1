"""The dates a policy ambiguity's other reading gives, without replaying the whole case.

A reading's overrides usually change one stage (a longer stage 2 timescale, another window).
Replaying the case under the changed policy then recomputes everything that cannot have
changed: the deemed receipt, the replay of events, the time limit and every other stage.  When
the reading changes nothing but stage definitions, this module takes the base timeline and
recomputes only the changed stages' deadlines and window, plus the Ombudsman's time limit (which
reads the stages); any other difference falls back to the full replay.  Only due dates are
compared, and suspension after a withdrawal or deferral never moves a due date, so the dates
are the full replay's exactly (the differential tests compare both on generated cases).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from dataclasses import fields, replace

from redress.evaluation.case import Case
from redress.evaluation.deadlines import Deadline
from redress.evaluation.stage_clock import StageClock, stage_deadlines, window_deadline
from redress.evaluation.time_limits import ombudsman_time_limit
from redress.evaluation.timeline import Timeline, _calendars, build_timeline
from redress.policy.model import Policy

# Fields that do not bear on a timeline's dates, or that are compared stage by stage.
_NOT_COMPARED = frozenset({"stages", "raw", "ambiguities"})
Plans = MutableMapping[tuple[str, str, str], frozenset[str] | None]


def changed_stages(policy: Policy, alt: Policy) -> frozenset[str] | None:
    """Ids of the stages whose definitions differ, or None when anything else differs."""
    for f in fields(Policy):
        if f.name not in _NOT_COMPARED and getattr(policy, f.name) != getattr(alt, f.name):
            return None
    if [s.id for s in policy.stages] != [s.id for s in alt.stages]:
        return None
    return frozenset(a.id for a, b in zip(policy.stages, alt.stages, strict=True) if a != b)


def all_dates(case: Case, as_of: dt.date, policy: Policy, timeline: Timeline,
              body: str | None) -> dict[str, str]:
    """Every deadline date of a timeline, with the Ombudsman's time limit for ``body``."""
    return _dates(case, as_of, policy, timeline.deadlines, timeline, body)


def _dates(case: Case, as_of: dt.date, policy: Policy, deadlines: tuple[Deadline, ...],
           timeline: Timeline, body: str | None) -> dict[str, str]:
    dates = {d.key: d.due.isoformat() for d in deadlines}
    route = policy.route(body) if body else None
    if route is not None and route.time_limit is not None:
        limit = ombudsman_time_limit(case, route.time_limit, route.body, timeline.stages,
                                     timeline.calendar, as_of, timeline.referral)
        if limit is not None:
            dates[limit.key] = limit.due.isoformat()
    return dates


def reading_dates(case: Case, as_of: dt.date, policy: Policy, alt: Policy, timeline: Timeline,
                  body: str | None, reading_id: str, plans: Plans | None = None
                  ) -> dict[str, str]:
    """``all_dates`` of the case replayed under ``alt`` (``policy`` with the overrides of the
    reading ``reading_id``), given ``timeline``, the case replayed under ``policy``.  ``plans``
    caches which stages each reading changes."""
    key = (policy.id, policy.version.id, reading_id)
    if plans is not None and key in plans:
        changed = plans[key]
    else:
        changed = changed_stages(policy, alt)
        if plans is not None:
            plans[key] = changed
    if changed is None:
        return all_dates(case, as_of, alt, build_timeline(case, alt, as_of), body)
    if not changed:
        return all_dates(case, as_of, alt, timeline, body)
    calendars = _calendars(alt)
    definitions = {s.id: s for s in alt.stages}
    stages = tuple(replace(p, stage=definitions[p.id]) if p.id in changed else p
                   for p in timeline.stages)
    matter = {"occurred": case.matter_date("occurred"), "aware": case.matter_date("aware")}
    deadlines: list[Deadline] = []
    for d in timeline.deadlines:  # deadlines of a stage are contiguous, in stage order
        if d.stage not in changed:
            deadlines.append(d)
    recomputed: dict[str, list[Deadline]] = {}
    for i, progress in enumerate(stages):
        if progress.id not in changed:
            continue
        made = stage_deadlines(StageClock(progress, calendars, as_of))
        if progress.stage.window:
            following = stages[i + 1] if i + 1 < len(stages) else None
            window = window_deadline(progress, following,
                                     calendars[progress.stage.window.calendar], as_of, matter)
            if window:
                made.append(window)
        recomputed[progress.id] = made
    ordered = _in_stage_order(timeline, deadlines, recomputed, [p.id for p in stages])
    alt_timeline = replace(timeline, stages=stages)
    return _dates(case, as_of, alt, tuple(ordered), alt_timeline, body)


def _in_stage_order(timeline: Timeline, kept: list[Deadline],
                    recomputed: dict[str, list[Deadline]], order: list[str]) -> list[Deadline]:
    """The kept and recomputed deadlines in the order a full replay lists them: the complaint
    time limit first, then stage by stage."""
    by_stage: dict[str, list[Deadline]] = {}
    for d in kept:
        by_stage.setdefault(d.stage, []).append(d)
    out = [d for d in kept if d.stage not in order]
    for stage_id in order:
        out.extend(recomputed.get(stage_id, by_stage.get(stage_id, [])))
    return out
