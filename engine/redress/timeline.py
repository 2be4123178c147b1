"""Replay a case's events through a policy version: stages opened, deadlines, their states.

Pure functions of (case, policy, calendar, as-of date).  Everything temporal is worked out here,
in Python, with the calendar; the rules only ever see the flat results (``facts.py``).

Deadline states: ``pending`` (not yet met, not yet passed), ``met`` (its event happened on or
before the due date), ``missed`` (the due date passed first; ``met_on`` shows any late event),
``not_applicable`` (superseded by an extension made in time, or not needed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from redress.calendar import WorkingDayCalendar, get_calendar
from redress.case import Case, Event
from redress.counting import Count, count_period, describe_skipped
from redress.model import Citation, DeadlineRule, Period, Policy, Stage, TimeLimit

PENDING, MET, MISSED, NOT_APPLICABLE = "pending", "met", "missed", "not_applicable"

ANCHOR_WORDS = {
    "received": "complaint received",
    "escalation_requested": "{stage} request received",
    "acknowledged": "{stage} acknowledged",
    "statement_agreed": "statement of complaint agreed",
    "discussed": "discussion held",
    "resolved": "complaint resolved",
    "resolution_confirmed": "resolution confirmed",
    "panel_met": "review panel met",
    "panel_report_received": "panel report received",
    "responded": "{stage} response",
    "occurred": "matter occurred",
    "aware": "complainant became aware",
    "later_of_occurred_or_aware": "matter occurred or came to notice (the later)",
    "final_response": "final response",
}
STAGE_WORDS = {"stage1": "stage 1", "stage2": "stage 2", "stage3": "stage 3"}


@dataclass(frozen=True)
class FlagReading:
    """One reading of an ambiguity and the dates it gives (``"stage2.respond": "2025-05-22"``)."""

    id: str
    description: str
    default: bool
    dates: Mapping[str, str | None]


@dataclass(frozen=True)
class Flag:
    """Something a complaints officer must look at: an ambiguity, a discretion point, a warning."""

    id: str
    kind: str            # ambiguity | discretion | warning | info
    message: str
    stage: str | None = None
    readings: tuple[FlagReading, ...] = ()
    citation: Citation | None = None


@dataclass(frozen=True)
class Deadline:
    stage: str
    kind: str
    title: str
    due: dt.date
    anchor: str
    anchor_date: dt.date
    basis: str
    state: str
    met_on: dt.date | None
    working_days_remaining: int | None
    citation: Citation
    flags: tuple[str, ...] = ()
    provisional: bool = False
    note: str | None = None   # the policy's caveat on the rule, window or time limit behind it

    @property
    def key(self) -> str:
        return f"{self.stage}.{self.kind}"


@dataclass(frozen=True)
class StageProgress:
    """What has happened at one stage: the dates of its events by anchor name."""

    stage: Stage
    opened_on: dt.date
    dates: Mapping[str, dt.date]
    outcome: str | None
    extensions: tuple[Event, ...]
    agreed_periods: tuple[Event, ...]

    @property
    def id(self) -> str:
        return self.stage.id

    @property
    def responded_on(self) -> dt.date | None:
        return self.dates.get("responded")


@dataclass(frozen=True)
class Timeline:
    received: dt.date
    stages: tuple[StageProgress, ...]
    deadlines: tuple[Deadline, ...]
    flags: tuple[Flag, ...]
    withdrawn_on: dt.date | None
    resolved_on: dt.date | None
    deferred_on: dt.date | None          # an active deferral (not resumed)
    referral: Event | None
    escalation_late: bool
    calendar: WorkingDayCalendar = field(repr=False)

    @property
    def current(self) -> StageProgress | None:
        return self.stages[-1] if self.stages else None

    def deadline(self, stage: str, kind: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.stage == stage and d.kind == kind), None)


# ---------------------------------------------------------------------------------------------


def policy_calendar(policy: Policy, name: str | None = None) -> WorkingDayCalendar:
    """The calendar a policy counts in, with the body's closures layered on when it has any."""
    base = get_calendar(name or policy.calendar)
    if policy.closures:
        return base.with_closures(f"{policy.id}-closures", policy.closures)
    return base


def deemed_receipt(case: Case, policy: Policy,
                   calendar: WorkingDayCalendar) -> tuple[dt.date, list[Flag]]:
    """The date the clocks run from, and flags about how it was chosen."""
    flags: list[Flag] = []
    received = case.received
    forwarded = [e for e in case.of_type("forwarded") if e.received]
    if forwarded:
        received = max(e.received for e in forwarded if e.received)
        flags.append(Flag("forwarded", "info",
                          f"forwarded by {forwarded[-1].body or 'another body'}: the complaint is "
                          f"treated as made to this body on {received}, the day it received it"))
    after_hours = (policy.after_hours_from is not None and case.received_time is not None
                   and case.received_time >= policy.after_hours_from and not forwarded)
    non_working = not calendar.is_working_day(received)
    if (non_working or after_hours) and policy.receipt_rule == "next_working_day":
        nxt = calendar.next_working_day(received)
        why = "after hours" if after_hours else "a non-working day"
        flags.append(Flag("receipt-deemed", "info",
                          f"received on {received} ({why}); the policy deems it received on {nxt}",
                          "stage1",
                          citation=policy.receipt_citation))
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
    dates: dict[str, dict[str, dt.date]] = {first: {"received": received,
                                                    "escalation_requested": received}}
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
    order = [s.id for s in policy.stages]
    return [StageProgress(stage=policy.stages[order.index(sid)], opened_on=day,
                          dates=dates[sid], outcome=outcomes.get(sid),
                          extensions=tuple(extensions.get(sid, ())),
                          agreed_periods=tuple(agreed.get(sid, ())))
            for sid, day in sorted(opened.items(), key=lambda kv: order.index(kv[0]))]


def deadline_state(due: dt.date, met_on: dt.date | None, as_of: dt.date) -> str:
    """The state of a deadline from its due date, the date it was met and the as-of date."""
    if met_on is not None:
        return MET if met_on <= due else MISSED
    return PENDING if as_of <= due else MISSED


def _anchor_words(anchor: str, stage: str) -> str:
    return ANCHOR_WORDS.get(anchor, anchor.replace("_", " ")).format(
        stage=STAGE_WORDS.get(stage, stage))


def _basis(count: Count, anchor_label: str) -> str:
    skipped = describe_skipped(count.skipped)
    text = f"{count.basis}, {anchor_label}"
    return f"{text}; {skipped}" if skipped else text


@dataclass
class _StageClock:
    """Working state while the deadlines of one stage are computed."""

    progress: StageProgress
    calendar_for: Mapping[str, WorkingDayCalendar]
    as_of: dt.date
    done: dict[str, Deadline] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)


def _stage_deadlines(clock: _StageClock) -> list[Deadline]:
    for rule in clock.progress.stage.deadlines:
        _deadline(clock, rule, set())
    made = [clock.done[r.kind] for r in clock.progress.stage.deadlines if r.kind in clock.done]
    promised = _promised_date(clock)
    if promised is not None:
        made.insert(next((i + 1 for i, d in enumerate(made) if d.kind == "respond"), len(made)),
                    promised)
    return made


def _promised_date(clock: _StageClock) -> Deadline | None:
    """Where the policy sets no extended deadline for a stage, an extension's new date is one.

    The extension must name a new date (or a number of extra working days, counted on from the
    original response date); without either, the original deadline simply stands.  It has no
    rule of its own, so it carries the base deadline's citation but no note.
    """
    stage, progress = clock.progress.stage, clock.progress
    base = clock.done.get("respond")
    if base is None or any(r.is_extension for r in stage.deadlines) or not progress.extensions:
        return None
    ext = progress.extensions[-1]
    cal = clock.calendar_for[stage.deadline("respond").calendar]  # type: ignore[union-attr]
    if ext.new_date is not None:
        due, how = ext.new_date, f"new date {ext.new_date.isoformat()}"
    elif ext.days is not None:
        due = cal.add_working_days(base.due, ext.days)
        how = f"{ext.days} further working days after {base.due.isoformat()}"
    else:
        return None
    met_on = progress.dates.get("responded")
    state = deadline_state(due, met_on, clock.as_of)
    return Deadline(stage=progress.id, kind="respond_extended", title=f"{base.title}, extended",
                    due=due, anchor="extension", anchor_date=ext.date,
                    basis=f"{how} given in the extension of {ext.date.isoformat()}",
                    state=state, met_on=met_on,
                    working_days_remaining=_remaining(cal, due, clock.as_of, state),
                    citation=base.citation, flags=("promised-date",))


def _deadline(clock: _StageClock, rule: DeadlineRule, seen: set[str]) -> Deadline | None:
    if rule.kind in clock.done:
        return clock.done[rule.kind]
    if rule.kind in seen:
        return None  # a cycle; lint reports it
    seen.add(rule.kind)
    progress = clock.progress
    anchor_date, label, provisional = _anchor(clock, rule, seen)
    if rule.agreed_period:
        made = _agreed_period(clock, rule)
        if made is not None:
            clock.done[rule.kind] = made
        return made
    if anchor_date is None or rule.period is None:
        return None
    cal = clock.calendar_for[rule.calendar]
    count = count_period(cal, rule.period, anchor_date, rule.counting)
    met_on = progress.dates.get(rule.met_by)
    state = deadline_state(count.due, met_on, clock.as_of)
    flags: list[str] = []
    if count.end_of_month_rule:
        flags.append("end-of-month")
    if provisional:
        flags.append("provisional")
    state = _extension_effect(clock, rule, count.due, met_on, state, flags)
    if rule.tail and state == MISSED:
        flags.append("as-soon-as-reasonably-practicable")
    made = Deadline(
        stage=progress.id, kind=rule.kind, title=rule.title, due=count.due,
        anchor=rule.anchor if rule.anchor != "deadline" else f"deadline:{rule.anchor_deadline}",
        anchor_date=anchor_date, basis=_basis(count, label), state=state, met_on=met_on,
        working_days_remaining=_remaining(cal, count.due, clock.as_of, state),
        citation=rule.citation, flags=tuple(flags), provisional=provisional, note=rule.note)
    clock.done[rule.kind] = made
    return made


def _anchor(clock: _StageClock, rule: DeadlineRule,
            seen: set[str]) -> tuple[dt.date | None, str, bool]:
    stage = clock.progress.stage
    if rule.anchor == "deadline" and rule.anchor_deadline:
        other = stage.deadline(rule.anchor_deadline)
        base = _deadline(clock, other, seen) if other else None
        if base is None:
            return None, "", False
        return base.due, f"the {base.title.lower()} due date", base.provisional
    day = clock.progress.dates.get(rule.anchor)
    label = _anchor_words(rule.anchor, stage.id)
    if day is not None:
        return day, label, False
    if rule.anchor == "acknowledged" and stage.deadline("acknowledge"):
        # Until the acknowledgement is sent, count from its own latest date (flagged provisional).
        ack = _deadline(clock, stage.deadline("acknowledge"), seen)  # type: ignore[arg-type]
        if ack is not None:
            return ack.due, f"{label} (not yet: counted from the acknowledgement due date)", True
    return None, label, False


def _extension_effect(clock: _StageClock, rule: DeadlineRule, due: dt.date,
                      met_on: dt.date | None, state: str, flags: list[str]) -> str:
    """How an extension changes the state of the base and the extended deadline."""
    extensions = clock.progress.extensions
    if rule.is_extension:
        if not extensions and state != PENDING:
            base = next((d for d in clock.done.values() if not _is_ext(clock, d.kind)), None)
            if base is not None and base.state == MET:
                return NOT_APPLICABLE
            flags.append("no-extension-recorded")
        for ext in extensions:
            if ext.new_date is not None and ext.new_date > due:
                flags.append("extension-beyond-limit")
            if rule.consent == "agree" and ext.consent != "agreed":
                flags.append("extension-needs-agreement")
        return state
    agreed = [e for e in clock.progress.agreed_periods if e.until]
    stage = clock.progress.stage
    if not any(r.is_extension for r in stage.deadlines):
        # No extended deadline in the policy: only an extension naming a new date supersedes.
        extensions = tuple(e for e in extensions if e.new_date is not None or e.days is not None)
    if rule.kind == "respond" and state in (MISSED, PENDING) and (extensions or agreed):
        in_time = [e for e in (*extensions, *agreed) if e.date <= due]
        if in_time and (met_on is None or met_on > due):
            flags.append("extended")
            return NOT_APPLICABLE
        if not in_time:
            flags.append("extension-after-deadline")
    return state


def _is_ext(clock: _StageClock, kind: str) -> bool:
    rule = clock.progress.stage.deadline(kind)
    return bool(rule and rule.is_extension)


def _agreed_period(clock: _StageClock, rule: DeadlineRule) -> Deadline | None:
    """A response period agreed with the complainant (2009 Regulations: before expiry)."""
    progress = clock.progress
    agreed = [e for e in progress.agreed_periods if e.until]
    if not agreed:
        return None
    event = agreed[-1]
    base = next((d for d in clock.done.values() if d.kind == "respond"), None)
    flags: list[str] = []
    if base is not None and event.date > base.due:
        flags.append("agreed-after-expiry")
    met_on = progress.dates.get(rule.met_by)
    until = event.until or event.date
    cal = clock.calendar_for[rule.calendar]
    state = deadline_state(until, met_on, clock.as_of)
    if "agreed-after-expiry" in flags:
        state = NOT_APPLICABLE
    return Deadline(
        stage=progress.id, kind=rule.kind, title=rule.title, due=until, anchor="period_agreed",
        anchor_date=event.date,
        basis=f"longer period agreed with the complainant on {event.date.isoformat()}, "
              f"ending {until.isoformat()}",
        state=state, met_on=met_on,
        working_days_remaining=_remaining(cal, until, clock.as_of, state),
        citation=rule.citation, flags=tuple(flags), note=rule.note)


def _remaining(cal: WorkingDayCalendar, due: dt.date, as_of: dt.date, state: str) -> int | None:
    if state != PENDING:
        return None
    return cal.working_days_between(as_of, due)


def _window(progress: StageProgress, next_progress: StageProgress | None,
            cal: WorkingDayCalendar, as_of: dt.date) -> Deadline | None:
    window = progress.stage.window
    responded = progress.dates.get(window.anchor) if window else None
    if window is None or responded is None:
        return None
    count = count_period(cal, window.period, responded, window.counting)
    met_on = next_progress.opened_on if next_progress else None
    state = deadline_state(count.due, met_on, as_of)
    flags: list[str] = []
    if state == MISSED:
        flags.append(f"late-{window.late}")
    label = _anchor_words(window.anchor, progress.id)
    return Deadline(
        stage=progress.id, kind="request_next_stage", title=window.title, due=count.due,
        anchor=window.anchor, anchor_date=responded, basis=_basis(count, label), state=state,
        met_on=met_on, working_days_remaining=_remaining(cal, count.due, as_of, state),
        citation=window.citation, flags=tuple(flags), note=window.note)


# ---------------------------------------------------------------------------------------------


def _calendars(policy: Policy) -> dict[str, WorkingDayCalendar]:
    names = {policy.calendar}
    names.update(d.calendar for s in policy.stages for d in s.deadlines)
    names.update(s.window.calendar for s in policy.stages if s.window)
    return {name: policy_calendar(policy, name) for name in names}


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
                    basis=_basis(count, label), state=state, met_on=case.received,
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
                    anchor=limit.anchor, anchor_date=anchor_date, basis=_basis(count, label),
                    state=state, met_on=met_on,
                    working_days_remaining=_remaining(cal, count.due, as_of, state),
                    citation=limit.citation, flags=flags, note=limit.note)


def _suspended(deadlines: list[Deadline], stop: dt.date, why: str) -> list[Deadline]:
    """After a withdrawal, resolution or deferral, open stage deadlines no longer run.

    A clock started by (or after) that event keeps running: e.g. the Welsh duty to confirm the
    terms of a resolution within 5 working days of it.
    """
    out = []
    for d in deadlines:
        if (d.stage.startswith("stage") and d.met_on is None and d.due >= stop
                and d.anchor_date < stop):
            d = replace(d, state=NOT_APPLICABLE, working_days_remaining=None,
                        flags=(*d.flags, why))
        out.append(d)
    return out


def _last(case: Case, *types: str) -> Event | None:
    found = case.of_type(*types)
    return found[-1] if found else None


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
    for i, progress in enumerate(stages):
        clock = _StageClock(progress, calendars, as_of)
        deadlines.extend(_stage_deadlines(clock))
        following = stages[i + 1] if i + 1 < len(stages) else None
        if progress.stage.window:
            window = _window(progress, following, calendars[progress.stage.window.calendar],
                             as_of)
            if window:
                deadlines.append(window)
                escalation_late |= window.state == MISSED and following is not None
    referral = _last(case, "referred_to_ombudsman")
    deferred, resumed = _last(case, "deferred"), _last(case, "resumed")
    active_deferral = deferred if deferred and (not resumed or resumed.date < deferred.date) else None
    withdrawn, resolved = _last(case, "withdrawn"), _last(case, "resolved")
    stops = [(e.date, word) for e, word in ((withdrawn, "withdrawn"), (resolved, "resolved"),
                                           (active_deferral, "deferred")) if e is not None]
    if stops:
        deadlines = _suspended(deadlines, *min(stops))
    if deferred and resumed and resumed.date >= deferred.date:
        flags.append(Flag("ambiguity:deferral-clock", "ambiguity",
                          f"consideration was deferred on {deferred.date} and resumed on "
                          f"{resumed.date}; the regulations do not say whether the clocks restart, "
                          "so deadlines are still counted from their original events"))
    return Timeline(received=received, stages=tuple(stages), deadlines=tuple(deadlines),
                    flags=tuple(flags), withdrawn_on=withdrawn.date if withdrawn else None,
                    resolved_on=resolved.date if resolved else None,
                    deferred_on=active_deferral.date if active_deferral else None,
                    referral=referral, escalation_late=escalation_late, calendar=cal)


__all__ = ["MET", "MISSED", "NOT_APPLICABLE", "PENDING", "Deadline", "Flag", "FlagReading",
           "Period", "StageProgress", "Timeline", "build_timeline", "deadline_state"]
