"""The clocks of one stage as the evaluation path before issue 24 worked them out.

``stage_deadlines`` works through a stage's deadline rules (a rule may count on from another
deadline of the stage), applies extensions and agreed periods, and ``window`` computes the
complainant's window for asking for the next stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from redress.calendar import WorkingDayCalendar
from redress.calendar.counting import Count, count_period
from redress.evaluation.case import Event
from redress.evaluation.deadlines import (
    MATTER_ANCHORS,
    MET,
    MISSED,
    NOT_APPLICABLE,
    PENDING,
    Deadline,
    Flag,
    anchor_words,
    basis_text,
    deadline_state,
    matter_anchor,
    remaining_working_days,
)
from redress.evaluation.wording import agreed_basis, longer_count, promised_basis, window_basis
from redress.policy.model import DeadlineRule
from redress.testing.reference.progress import StageProgress


@dataclass
class StageClock:
    """Working state while the deadlines of one stage are computed."""

    progress: StageProgress
    calendar_for: Mapping[str, WorkingDayCalendar]
    as_of: dt.date
    done: dict[str, Deadline] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)


def stage_deadlines(clock: StageClock) -> list[Deadline]:
    for rule in clock.progress.stage.deadlines:
        _deadline(clock, rule, set())
    made = [clock.done[r.kind] for r in clock.progress.stage.deadlines if r.kind in clock.done]
    promised = _promised_date(clock)
    if promised is not None:
        made.insert(next((i + 1 for i, d in enumerate(made) if d.kind == "respond"), len(made)),
                    promised)
    return made


def _promised_date(clock: StageClock) -> Deadline | None:
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
        due = ext.new_date
    elif ext.days is not None:
        due = cal.add_working_days(base.due, ext.days)
    else:
        return None
    met_on = progress.dates.get("responded")
    state = deadline_state(due, met_on, clock.as_of)
    return Deadline(stage=progress.id, kind="respond_extended", title=f"{base.title}, extended",
                    due=due, anchor="extension", anchor_date=ext.date,
                    basis=promised_basis(ext.new_date, ext.days, base.due, ext.date),
                    state=state, met_on=met_on,
                    working_days_remaining=remaining_working_days(cal, due, clock.as_of, state),
                    citation=base.citation, flags=("promised-date",))


def _deadline(clock: StageClock, rule: DeadlineRule, seen: set[str]) -> Deadline | None:
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
    flags: list[str] = []
    count = _longer_extension(clock, rule, count, cal, flags)
    met_on = first_met(progress, rule)
    state = deadline_state(count.due, met_on, clock.as_of)
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
        anchor_date=anchor_date, basis=basis_text(count, label), state=state, met_on=met_on,
        working_days_remaining=remaining_working_days(cal, count.due, clock.as_of, state),
        citation=rule.citation, flags=tuple(flags), provisional=provisional, note=rule.note)
    clock.done[rule.kind] = made
    return made


def first_met(progress: StageProgress, rule: DeadlineRule) -> dt.date | None:
    """The earliest event of those that meet the deadline (``met_by``, then ``also_met_by``)."""
    dates = [d for e in rule.met_by_events if (d := progress.dates.get(e)) is not None]
    return min(dates, default=None)


def _anchor(clock: StageClock, rule: DeadlineRule,
            seen: set[str]) -> tuple[dt.date | None, str, bool]:
    stage = clock.progress.stage
    if rule.anchor == "deadline" and rule.anchor_deadline:
        other = stage.deadline(rule.anchor_deadline)
        base = _deadline(clock, other, seen) if other else None
        if base is None:
            return None, "", False
        return base.due, f"the {base.title.lower()} due date", base.provisional
    day = clock.progress.dates.get(rule.anchor)
    label = anchor_words(rule.anchor, stage.id)
    if day is not None:
        return day, label, False
    if rule.anchor == "acknowledged" and stage.deadline("acknowledge"):
        # Until the acknowledgement is sent, count from its own latest date (flagged provisional).
        ack = _deadline(clock, stage.deadline("acknowledge"), seen)  # type: ignore[arg-type]
        if ack is not None:
            return ack.due, f"{label} (not yet: counted from the acknowledgement due date)", True
    return None, label, False


def _extension_effect(clock: StageClock, rule: DeadlineRule, due: dt.date,
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
            if ext.new_date is not None and ext.new_date > due and not rule.longer_with_reason:
                flags.append("extension-beyond-limit")
            if rule.consent == "agree" and ext.consent != "agreed":
                flags.append("extension-needs-agreement")
        return state
    agreed = _agreed_for(clock, rule.kind, due)
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


def _longer_extension(clock: StageClock, rule: DeadlineRule, count: Count,
                      cal: WorkingDayCalendar, flags: list[str]) -> Count:
    """An extension longer than the rule's period, where the policy allows one with good reason.

    The extension's new date (or its extra working days, counted on from the original response
    date) becomes the due date; the flag says whether the extension gave a reason.  A shorter
    extension, or a policy without ``longer_with_reason``, leaves the count as it is.
    """
    extensions = clock.progress.extensions
    if not rule.longer_with_reason or not extensions:
        return count
    ext = extensions[-1]
    base = clock.done.get(rule.anchor_deadline or "respond")
    new_date = ext.new_date
    if new_date is None and ext.days is not None and base is not None:
        new_date = cal.add_working_days(base.due, ext.days)
    if new_date is None or new_date <= count.due:
        return count
    flags.append("longer-extension-with-reason" if ext.reason else "longer-extension-no-reason")
    return longer_count(count, new_date, bool(ext.reason), ext.date)


def _agreed_for(clock: StageClock, kind: str, outer_due: dt.date | None) -> list[Event]:
    """The ``period_agreed`` events that concern ``kind``.

    Where the stage has a ``response_period`` (SI 2009/309 reg 13(6)–(7): the period the body
    sets or agrees, within the six months), a period ending on or before the outer ``respond``
    date is that response period; only a longer one extends the relevant period (reg 14).
    Stages without one keep the older reading: every agreed period extends.
    """
    agreed = [e for e in clock.progress.agreed_periods if e.until]
    if clock.progress.stage.deadline("response_period") is None or outer_due is None:
        return agreed
    if kind == "response_period":
        return [e for e in agreed if e.until and e.until <= outer_due]
    return [e for e in agreed if e.until and e.until > outer_due]


def _is_ext(clock: StageClock, kind: str) -> bool:
    rule = clock.progress.stage.deadline(kind)
    return bool(rule and rule.is_extension)


def _agreed_period(clock: StageClock, rule: DeadlineRule) -> Deadline | None:
    """A response period agreed with the complainant (2009 Regulations: before expiry)."""
    progress = clock.progress
    base = next((d for d in clock.done.values() if d.kind == "respond"), None)
    agreed = _agreed_for(clock, rule.kind, base.due if base else None)
    if not agreed:
        return None
    event = agreed[-1]
    flags: list[str] = []
    if base is not None and event.date > base.due:
        flags.append("agreed-after-expiry")
    met_on = first_met(progress, rule)
    until = event.until or event.date
    cal = clock.calendar_for[rule.calendar]
    state = deadline_state(until, met_on, clock.as_of)
    if "agreed-after-expiry" in flags:
        state = NOT_APPLICABLE
    if rule.kind == "response_period" and state == MISSED:
        flags.append("response-period-passed")
    return Deadline(
        stage=progress.id, kind=rule.kind, title=rule.title, due=until, anchor="period_agreed",
        anchor_date=event.date,
        basis=agreed_basis(event.date, until),
        state=state, met_on=met_on,
        working_days_remaining=remaining_working_days(cal, until, clock.as_of, state),
        citation=rule.citation, flags=tuple(flags), note=rule.note)


def window_deadline(progress: StageProgress, next_progress: StageProgress | None,
                    cal: WorkingDayCalendar, as_of: dt.date,
                    matter: Mapping[str, dt.date | None] | None = None) -> Deadline | None:
    """The window for asking for the next stage, counted from this stage's response.

    ``matter`` gives the case's matter dates (``occurred``, ``aware``) for a window whose
    ``or_later`` limb counts from one of them; the window then ends on the later of the two.
    """
    window = progress.stage.window
    responded = progress.dates.get(window.anchor) if window else None
    if window is None or responded is None:
        return None
    count = count_period(cal, window.period, responded, window.counting)
    label = anchor_words(window.anchor, progress.id)
    due, anchor, anchor_date = count.due, window.anchor, responded
    other: Count | None = None
    other_label = ""
    if window.or_later is not None:
        limb = window.or_later
        other_date, other_label = _limb_anchor(limb.anchor, progress, matter or {})
        if other_date is not None:
            other = count_period(cal, limb.period, other_date, limb.counting)
            if other.due > count.due:
                due, anchor, anchor_date = other.due, limb.anchor, other_date
    basis = window_basis(window, count, label, other, other_label)
    met_on = next_progress.opened_on if next_progress else None
    state = deadline_state(due, met_on, as_of)
    flags: list[str] = []
    if state == MISSED:
        flags.append(f"late-{window.late}")
    return Deadline(
        stage=progress.id, kind="request_next_stage", title=window.title, due=due,
        anchor=anchor, anchor_date=anchor_date, basis=basis, state=state,
        met_on=met_on, working_days_remaining=remaining_working_days(cal, due, as_of, state),
        citation=window.citation, flags=tuple(flags), note=window.note)


def _limb_anchor(anchor: str, progress: StageProgress,
                 matter: Mapping[str, dt.date | None]) -> tuple[dt.date | None, str]:
    """The date an ``or_later`` limb counts from: a matter date or an event of the stage."""
    if anchor in MATTER_ANCHORS:
        return matter_anchor(anchor, matter.get("occurred"), matter.get("aware"))
    return progress.dates.get(anchor), anchor_words(anchor, progress.id)
