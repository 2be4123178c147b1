"""The dates a policy ambiguity's other reading gives, without replaying the whole case.

A reading's overrides usually change one stage (a longer stage 2 timescale, another window),
the complaint time limit or an Ombudsman route.  Replaying the case under the changed policy
then recomputes everything that cannot have changed: the deemed receipt, the replay of events
and every other stage.  When the reading changes nothing but stage definitions, the time limit
and Ombudsman routes, this module takes the base timeline and recomputes only what changed (the
changed stages' deadlines and window, the time limit) plus the Ombudsman's time limit (which
reads the stages); any other difference falls back to the full replay.  Only due dates are
compared, and suspension after a withdrawal or deferral never moves a due date, so the dates
are the full replay's exactly (the differential tests compare both on generated cases).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, MutableMapping

from msgspec import structs

from redress.evaluation.deadlines import Deadline
from redress.policy.model import Policy
from redress.policy.reading_plan import Plan, reading_plan
from redress.testing.reference.case import Case
from redress.testing.reference.stage_clock import StageClock, stage_deadlines, window_deadline
from redress.testing.reference.time_limits import complaint_time_limit, ombudsman_time_limit
from redress.testing.reference.timeline import (
    Timeline,
    _calendars,
    build_timeline,
    deemed_receipt,
    replay,
)

OMBUDSMAN_LIMIT = "ombudsman.ombudsman_time_limit"  # Deadline.key of the Ombudsman time limit
Plans = MutableMapping[tuple[str, str, str], Plan | None]


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
                  body: str | None, reading_id: str, plans: Plans | None = None,
                  base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``all_dates`` of the case replayed under ``alt`` (``policy`` with the overrides of the
    reading ``reading_id``), given ``timeline``, the case replayed under ``policy``.  ``plans``
    caches which stages each reading changes; ``base``, when given, is ``all_dates`` of
    ``timeline`` (its Ombudsman time limit is reused when nothing it depends on changed)."""
    key = (policy.id, policy.version.id, reading_id)
    if plans is not None and key in plans:
        plan = plans[key]
    else:
        plan = reading_plan(policy, alt)
        if plans is not None:
            plans[key] = plan
    if plan is None:
        return all_dates(case, as_of, alt, build_timeline(case, alt, as_of), body)
    changed = plan.stages
    kept = list(timeline.deadlines)
    if plan.time_limit:
        # The complaint time limit (stage "intake") comes first in a timeline, when there is one.
        kept = [d for d in kept if d.kind != "complaint_time_limit"]
        limit = complaint_time_limit(case, alt, timeline.calendar, as_of)
        if limit is not None:
            kept.insert(0, limit)
    if not changed:
        if base is not None and not plan.routes:
            # Same stages, same routes: the Ombudsman time limit is the one already worked out.
            dates = {d.key: d.due.isoformat() for d in kept}
            if OMBUDSMAN_LIMIT in base:
                dates[OMBUDSMAN_LIMIT] = base[OMBUDSMAN_LIMIT]
            return dates
        return _dates(case, as_of, alt, tuple(kept), timeline, body)
    calendars = _calendars(alt)
    definitions = {s.id: s for s in alt.stages}
    stages = tuple(structs.replace(p, stage=definitions[p.id]) if p.id in changed else p
                   for p in timeline.stages)
    matter = {"occurred": case.matter_date("occurred"), "aware": case.matter_date("aware")}
    deadlines = [d for d in kept if d.stage not in changed]
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
    alt_timeline = structs.replace(timeline, stages=stages)
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


def stage_dates(case: Case, policy: Policy, as_of: dt.date, stage_id: str) -> dict[str, str]:
    """The due dates of one stage's deadlines (its window included) when the case is replayed
    under ``policy``: what ``build_timeline`` gives for that stage, without the other stages,
    the time limit or the suspensions (which never move a due date)."""
    calendars = _calendars(policy)
    received, _flags = deemed_receipt(case, policy, calendars[policy.calendar])
    stages = replay(case, policy, received)
    matter = {"occurred": case.matter_date("occurred"), "aware": case.matter_date("aware")}
    dates: dict[str, str] = {}
    for i, progress in enumerate(stages):
        if progress.id != stage_id:
            continue
        made = stage_deadlines(StageClock(progress, calendars, as_of))
        if progress.stage.window:
            following = stages[i + 1] if i + 1 < len(stages) else None
            window = window_deadline(progress, following,
                                     calendars[progress.stage.window.calendar], as_of, matter)
            if window:
                made.append(window)
        dates.update((d.key, d.due.isoformat()) for d in made)
    return dates
