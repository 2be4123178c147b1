"""A case replayed through a compiled policy version: stages opened, every deadline, its state.

:class:`PolicyCode` is one policy version made ready once: its calendars, each stage's compiled
clocks (``policy_code``), its windows and time limits with their counts.  ``run_timeline``
replays a case's events through it and returns a :class:`Timeline` of plain values.  Everything
temporal is worked out here; the rules only ever see the flat facts made from it (``facts``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cached_property
from typing import Generic, Protocol, TypeVar

import msgspec
from msgspec import Struct

from redress.calendar import WorkingDayCalendar
from redress.evaluation.case import Case, Event
from redress.evaluation.case_ends import case_ends, stopped
from redress.evaluation.clock import Clock, Progress, state_of
from redress.evaluation.counting import Counter, counter
from redress.evaluation.deadlines import (
    ANCHOR_WORDS,
    MATTER_ANCHORS,
    MISSED,
    PENDING,
    anchor_words,
    matter_anchor,
)
from redress.evaluation.flag_values import FlagRec, flag_rec
from redress.evaluation.limits import LimitCode, complaint_limit
from redress.evaluation.policy_code import (
    StageClocks,
    StageDues,
    compile_stage,
    compile_stage_dues,
)
from redress.evaluation.wording import (
    deemed_text,
    deferral_clock_text,
    forwarded_text,
    window_words,
)
from redress.policy.calendars import policy_calendar
from redress.policy.model import Ambiguity, OmbudsmanRoute, Policy, Reading, Window


class WindowCode(Struct, frozen=True):
    """The window for asking for the next stage, with its counts made once."""

    window: Window
    stage: str
    calendar: WorkingDayCalendar
    count: Counter
    limb: Counter | None
    label: str


class Keyed(Protocol):
    """A computed deadline of either path, as a timeline looks it up."""

    @property
    def stage(self) -> str: ...
    @property
    def kind(self) -> str: ...


C = TypeVar("C", bound=Keyed)   # ``Clock`` here, ``Deadline`` on the reference path
F = TypeVar("F")               # ``FlagRec`` here, ``Flag`` on the reference path


class Replayed(Struct, Generic[C, F], frozen=True, gc=False):
    """A case replayed through a policy version: its stages, deadlines and how it ended."""

    received: dt.date                    # the day the clocks run from (deemed receipt)
    stages: tuple[Progress, ...]
    deadlines: tuple[C, ...]
    flags: tuple[F, ...]
    withdrawn_on: dt.date | None
    resolved_on: dt.date | None
    deferred_on: dt.date | None          # an active deferral (not resumed)
    referral: Event | None
    escalation_late: bool
    calendar: WorkingDayCalendar

    @property
    def current(self) -> Progress | None:
        return self.stages[-1] if self.stages else None

    def deadline(self, stage: str, kind: str) -> C | None:
        return next((d for d in self.deadlines if d.stage == stage and d.kind == kind), None)


Timeline = Replayed[Clock, FlagRec]


class PolicyCode:
    """One policy version compiled for evaluation (built once, shared by every case)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.calendar = policy_calendar(policy)
        names = {d.calendar for s in policy.stages for d in s.deadlines}
        names.update(s.window.calendar for s in policy.stages if s.window)
        self.calendars = {name: policy_calendar(policy, name) for name in names}
        self.calendars[policy.calendar] = self.calendar
        self.index = {s.id: i for i, s in enumerate(policy.stages)}
        self.time_limit = LimitCode.of(policy.time_limit) if policy.time_limit else None
        # Per stage id: its number and whether it has an extended deadline (the facts ask).
        self.stage_info = {s.id: (s.number, any(r.is_extension for r in s.deadlines))
                           for s in policy.stages}

    @cached_property
    def stages(self) -> tuple[StageClocks, ...]:
        return tuple(compile_stage(s, self.calendars) for s in self.policy.stages)

    @cached_property
    def dues(self) -> tuple[StageDues, ...]:
        """Each stage's due dates only (for the alternative readings)."""
        return tuple(compile_stage_dues(s, self.calendars) for s in self.policy.stages)

    @cached_property
    def windows(self) -> tuple[WindowCode | None, ...]:
        return tuple(window_code(s.window, s.id, self.calendars[s.window.calendar])
                     if s.window else None for s in self.policy.stages)

    @cached_property
    def touched(self) -> tuple[frozenset[str], ...]:
        """For each ambiguity of the policy, the stages its other readings change."""
        return tuple(frozenset(s for r in amb.readings if r.id != amb.default and r.overrides
                               for s in (r.overrides.get("stages") or {}))
                     for amb in self.policy.ambiguities)

    @cached_property
    def open_questions(self) -> tuple[tuple[Ambiguity, frozenset[str], tuple[Reading, ...]], ...]:
        """Each ambiguity whose other readings change something (overrides), with the stages
        they change and those readings.  An ambiguity none of whose other readings changes
        anything gives no dates and touches no stage, so it never bears on a case: left out."""
        return tuple((amb, touched, changing)
                     for amb, touched in zip(self.policy.ambiguities, self.touched, strict=True)
                     if (changing := tuple(r for r in amb.readings
                                           if r.id != amb.default and r.overrides)))

    @cached_property
    def bodies(self) -> Mapping[str, OmbudsmanRoute]:
        """``policy.route(body)`` for every body the policy has a route to."""
        found: dict[str, OmbudsmanRoute] = {}
        for route in self.policy.ombudsman_routes:
            found.setdefault(route.body, route)  # the first route for a body, as ``route``
        return found

    @cached_property
    def routes(self) -> Mapping[str, LimitCode]:
        return {r.body: LimitCode.of(r.time_limit) for r in self.policy.ombudsman_routes
                if r.time_limit is not None}


def window_code(window: Window, stage: str, cal: WorkingDayCalendar) -> WindowCode:
    limb = window.or_later
    return WindowCode(window, stage, cal, counter(window.period, window.counting),
                      counter(limb.period, limb.counting) if limb else None,
                      anchor_words(window.anchor, stage))


def deemed_receipt(case: Case, code: PolicyCode, receipt_rule: str,
                   after_hours_from: dt.time | None) -> tuple[dt.date, list[FlagRec]]:
    """The date the clocks run from, and flags about how it was chosen."""
    flags: list[FlagRec] = []
    received = case.received
    forwarded = [e for e in case.events if e.type == "forwarded" and e.received]
    if forwarded:
        received = max(e.received for e in forwarded if e.received)
        flags.append(flag_rec("forwarded", "info",
                              (forwarded_text, forwarded[-1].body, received)))
    after_hours = (after_hours_from is not None and case.received_time is not None
                   and case.received_time >= after_hours_from and not forwarded)
    if receipt_rule == "next_working_day" and (after_hours
                                               or not code.calendar.is_working(received)):
        deemed = code.calendar.shift(received, 1)
        flags.append(flag_rec("receipt-deemed", "info", (deemed_text, received, after_hours, deemed),
                              "stage1", code.policy.receipt_citation))
        received = deemed
    return received, flags


def notified_on(case: Case, received: dt.date) -> dt.date:
    """The anchor ``notified``: the day another body gave notice of the complaint (the latest
    ``forwarded`` event's date), else ``received``."""
    passed_on = [e.date for e in case.events if e.type == "forwarded"]
    return max(passed_on) if passed_on else received


def replay(case: Case, code: PolicyCode, received: dt.date) -> tuple[Progress, ...]:
    """Which stages opened, and when each of their events happened."""
    stages = code.policy.stages
    first = stages[0].id
    opened: dict[str, dt.date] = {first: received}
    dates: dict[str, dict[str, dt.date]] = {first: {
        "received": received, "escalation_requested": received,
        "notified": notified_on(case, received)}}
    outcomes: dict[str, str | None] = {}
    extensions: dict[str, list[Event]] = {}
    agreed: dict[str, list[Event]] = {}
    latest = (received, first)  # the stage opened last (by date, then id) and when
    for event in case.events:
        if event.type == "escalation_requested" and event.to and event.to in code.index:
            if event.to not in opened:
                opened[event.to] = event.date
                dates[event.to] = {"received": event.date, "escalation_requested": event.date}
                latest = max(latest, (event.date, event.to))
            continue
        stage = event.stage or latest[1]
        if stage not in dates:
            continue
        _note_event(event, dates[stage], outcomes, extensions, agreed, stage)
    # In the policy's order (a single stage, the usual case, needs no sorting).
    order = sorted(opened.items(), key=lambda kv: code.index[kv[0]]) if len(opened) > 1 \
        else opened.items()
    return tuple(Progress(stages[code.index[sid]], day, dates[sid], outcomes.get(sid),
                          tuple(extensions.get(sid, ())), tuple(agreed.get(sid, ())))
                 for sid, day in order)


def _note_event(event: Event, dates: dict[str, dt.date], outcomes: dict[str, str | None],
                extensions: dict[str, list[Event]], agreed: dict[str, list[Event]],
                stage: str) -> None:
    if event.type == "extension":
        extensions.setdefault(stage, []).append(event)
    elif event.type == "period_agreed":
        agreed.setdefault(stage, []).append(event)
    elif event.type in ANCHOR_WORDS:
        dates.setdefault(event.type, event.date)
        if event.type == "responded":
            outcomes.setdefault(stage, event.outcome)
            if event.received is not None:  # the complainant's receipt of the response
                dates.setdefault("response_received", event.received)


def window_clock(code: WindowCode, progress: Progress, following: Progress | None,
                 as_of: dt.date, occurred: dt.date | None, aware: dt.date | None) -> Clock | None:
    """The window for asking for the next stage, counted from this stage's response."""
    window = code.window
    responded = progress.dates.get(window.anchor)
    if responded is None:
        return None
    due, _eom = code.count(code.calendar, responded)
    anchor, anchor_date = window.anchor, responded
    other_date, other_label = None, ""
    limb = window.or_later
    if limb is not None and code.limb is not None:
        if limb.anchor in MATTER_ANCHORS:
            other_date, other_label = matter_anchor(limb.anchor, occurred, aware)
        else:
            other_date, other_label = progress.dates.get(limb.anchor), anchor_words(limb.anchor,
                                                                                   code.stage)
        if other_date is not None:
            other_due, _ = code.limb(code.calendar, other_date)
            if other_due > due:
                due, anchor, anchor_date = other_due, limb.anchor, other_date
    met_on = following.opened_on if following else None
    state = state_of(due, met_on, as_of)
    return Clock(code.stage, "request_next_stage", window.title, due, anchor, anchor_date, state,
                 met_on, code.calendar.elapsed(as_of, due) if state == PENDING else None,
                 window.citation, (f"late-{window.late}",) if state == MISSED else (), False,
                 window.note, (window_words, code.calendar, window, responded, code.label,
                               other_date, other_label))


def window_due(code: WindowCode, progress: Progress, occurred: dt.date | None,
               aware: dt.date | None) -> dt.date | None:
    """The due date of ``window_clock``'s Clock, without the Clock."""
    window = code.window
    responded = progress.dates.get(window.anchor)
    if responded is None:
        return None
    due = code.count(code.calendar, responded)[0]
    limb = window.or_later
    if limb is not None and code.limb is not None:
        if limb.anchor in MATTER_ANCHORS:
            other_date = matter_anchor(limb.anchor, occurred, aware)[0]
        else:
            other_date = progress.dates.get(limb.anchor)
        if other_date is not None:
            due = max(due, code.limb(code.calendar, other_date)[0])
    return due


def stage_dues(code: PolicyCode, progress: Progress, occurred: dt.date | None,
               aware: dt.date | None) -> dict[str, dt.date]:
    """One stage's due dates by kind: those of ``stage_clocks``' Clocks for the stage."""
    index = code.index[progress.stage.id]
    dues = dict(code.dues[index](progress))
    window = code.windows[index]
    if window is not None:
        due = window_due(window, progress, occurred, aware)
        if due is not None:
            dues["request_next_stage"] = due
    return dues


def stage_clocks(code: PolicyCode, stages: tuple[Progress, ...], as_of: dt.date,
                 occurred: dt.date | None, aware: dt.date | None,
                 only: frozenset[str] | None = None) -> tuple[list[Clock], bool]:
    """Every stage's deadlines and window in order (or only those of the stages ``only``),
    and whether the latest request for a further stage came after its window."""
    made: list[Clock] = []
    late = False
    for i, progress in enumerate(stages):
        sid = progress.stage.id
        if only is not None and sid not in only:
            continue
        index = code.index[sid]
        made.extend(code.stages[index](progress, as_of))
        window = code.windows[index]
        if window is not None:
            following = stages[i + 1] if i + 1 < len(stages) else None
            clock = window_clock(window, progress, following, as_of, occurred, aware)
            if clock is not None:
                made.append(clock)
                late |= clock.state == MISSED and following is not None
    return made, late


def run_timeline(case: Case, code: PolicyCode, as_of: dt.date) -> Timeline:
    """Replay the case through the policy and compute every deadline as of ``as_of``."""
    policy = code.policy
    received, flags = deemed_receipt(case, code, policy.receipt_rule, policy.after_hours_from)
    stages = replay(case, code, received)
    occurred, aware = case.occurred, case.aware
    deadlines: list[Clock] = []
    if code.time_limit is not None:
        limit = complaint_limit(code.time_limit, code.calendar, case.received, occurred, aware)
        if limit is not None:
            deadlines.append(limit)
    made, late = stage_clocks(code, stages, as_of, occurred, aware)
    deadlines.extend(made)
    ends = case_ends(case.events)
    deadlines = stopped(deadlines, case.events, ends, msgspec.structs.replace)
    if ends.resumed:
        flags.append(flag_rec("ambiguity:deferral-clock", "ambiguity",
                              (deferral_clock_text, *ends.resumed)))
    withdrawn, resolved, deferred = ends.withdrawn, ends.resolved, ends.deferred
    return Replayed(received, stages, tuple(deadlines), tuple(flags),
                    withdrawn.date if withdrawn else None, resolved.date if resolved else None,
                    deferred.date if deferred else None, ends.referral, late, code.calendar)

__all__ = [
    "PolicyCode",
    "Replayed",
    "Timeline",
    "WindowCode",
    "deemed_receipt",
    "notified_on",
    "replay",
    "run_timeline",
    "stage_clocks",
    "stage_dues",
    "window_clock",
    "window_code",
    "window_due",
]
