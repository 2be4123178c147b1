"""Each stage of a policy version compiled to its own Python function of the stage's progress.

The deadline rules of a stage depend on each other (a response counted from the acknowledgement,
an extension from the response), on the stage's events and on the extensions given.  Walking the
rules for every case decides again, each time, things that only depend on the policy: which rule
to count first, what each one is anchored to, whether it can be extended, whether an agreed
period can replace it.  Here those decisions are made once, and what is left becomes the source
of one function per stage::

    def clocks(P, as_of):          # P: the stage's Progress
        ...                        # straight-line code: anchors, counts, extension effects
        return made                # the stage's Clocks, in the policy's order

with the meaning of the reference path's ``stage_clock`` exactly (the differential tests compare
the two on generated cases).  Nothing a policy says becomes code: every value the function uses
(stage ids, kinds, titles, citations, calendars, period counters) is passed in the constant
tuple ``K`` and named by its index; the source holds only Redress's own words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from redress.calendar import WorkingDayCalendar
from redress.calendar.periods import Period
from redress.evaluation.clock import Clock, Progress, state_of
from redress.evaluation.counting import counter
from redress.evaluation.deadlines import MET, MISSED, NOT_APPLICABLE, PENDING, anchor_words
from redress.evaluation.wording import agreed_basis, counted_basis, longer_basis, promised_basis
from redress.policy.model import DeadlineRule, Stage

StageClocks = Callable[[Progress, dt.date], list[Clock]]
_NAMESPACE: dict[str, Any] = {
    "Clock": Clock, "state_of": state_of, "MET": MET, "MISSED": MISSED, "PENDING": PENDING,
    "NA": NOT_APPLICABLE, "counted_basis": counted_basis, "longer_basis": longer_basis,
    "agreed_basis": agreed_basis, "promised_basis": promised_basis,
}


class _Source:
    """The lines of one function and the constants they name."""

    def __init__(self, stage: Stage, calendars: Mapping[str, WorkingDayCalendar]) -> None:
        self.stage = stage
        self.calendars = calendars
        self.lines: list[str] = []
        self.constants: list[Any] = []
        self.serial = 0

    def k(self, value: Any) -> str:
        self.constants.append(value)
        return f"K[{len(self.constants) - 1}]"

    def add(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def name(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def rule(self, kind: str | None) -> DeadlineRule | None:
        return self.stage.deadline(kind) if kind else None


def compile_stage(stage: Stage, calendars: Mapping[str, WorkingDayCalendar]) -> StageClocks:
    """The function that gives a stage's Clocks from its progress, as of a date."""
    src = _Source(stage, calendars)
    src.add(0, "def clocks(P, as_of):")
    src.add(1, "dates = P.dates")
    src.add(1, "X = P.extensions")
    src.add(1, "done = {}")
    for rule in stage.deadlines:
        _ensure(src, rule, (), 1)
    order = src.k(tuple(r.kind for r in stage.deadlines))
    src.add(1, f"made = [done[k] for k in {order} if k in done]")
    _promised(src)
    src.add(1, "return made")
    clocks: StageClocks = _compiled(src, "clocks", f"stage {stage.id}", _NAMESPACE)
    return clocks


def _compiled(src: _Source, name: str, label: str, names: Mapping[str, Any]) -> Any:
    """The function ``name`` the source defines, compiled with ``names`` and the constants."""
    namespace = {**names, "K": tuple(src.constants)}
    code = compile("\n".join(src.lines), f"<redress compiled {label}>", "exec")
    exec(code, namespace)  # noqa: S102 - policy values are passed in K, never written in the source
    return namespace[name]


def _ensure(src: _Source, rule: DeadlineRule, chain: tuple[str, ...], depth: int) -> None:
    """Code that computes ``rule``'s Clock into ``done`` unless it is there already."""
    src.add(depth, f"if {src.k(rule.kind)} not in done:")
    chain = (*chain, rule.kind)
    a, label, prov = src.name("a"), src.name("lbl"), src.name("p")
    _anchor(src, rule, chain, depth + 1, a, label, prov)
    if rule.agreed_period:
        _agreed(src, rule, depth + 1)
    elif rule.period is not None:
        src.add(depth + 1, f"if {a} is not None:")
        _count(src, rule, depth + 2, a, label, prov)


def _anchor(src: _Source, rule: DeadlineRule, chain: tuple[str, ...], depth: int, a: str,
            label: str, prov: str) -> None:
    """Sets ``a`` (the anchor date or None), ``label`` (its words) and ``prov`` (provisional)."""
    src.add(depth, f"{prov} = False")
    if rule.anchor == "deadline" and rule.anchor_deadline:
        other = src.rule(rule.anchor_deadline)
        src.add(depth, f"{label} = {src.k(f'the {other.title.lower()} due date' if other else '')}")
        if other is None:
            src.add(depth, f"{a} = None")
            return
        if other.kind not in chain:
            _ensure(src, other, chain, depth)
        b = src.name("b")
        src.add(depth, f"{b} = done.get({src.k(other.kind)})")
        src.add(depth, f"{a} = {b}.due if {b} is not None else None")
        src.add(depth, f"{prov} = {b} is not None and {b}.provisional")
        return
    words = anchor_words(rule.anchor, src.stage.id)
    src.add(depth, f"{a} = dates.get({src.k(rule.anchor)})")
    src.add(depth, f"{label} = {src.k(words)}")
    ack = src.rule("acknowledge")
    if rule.anchor != "acknowledged" or ack is None:
        return
    # Until the acknowledgement is sent, count from its own latest date (flagged provisional).
    src.add(depth, f"if {a} is None:")
    if ack.kind not in chain:
        _ensure(src, ack, chain, depth + 1)
    b = src.name("b")
    src.add(depth + 1, f"{b} = done.get({src.k(ack.kind)})")
    src.add(depth + 1, f"if {b} is not None:")
    provisional = f"{words} (not yet: counted from the acknowledgement due date)"
    src.add(depth + 2, f"{a}, {label}, {prov} = {b}.due, {src.k(provisional)}, True")


def _count(src: _Source, rule: DeadlineRule, depth: int, a: str, label: str, prov: str) -> None:
    if rule.period is None:  # only an agreed period has none
        return
    cal = src.k(src.calendars[rule.calendar])
    src.add(depth, _count_line(src, rule.period, rule.counting, cal, a))
    src.add(depth, "fl = []")
    src.add(depth, f"why = (counted_basis, {cal}, {src.k(rule.period)}, {src.k(rule.counting)}, "
                   f"{a}, {label})")
    if rule.longer_with_reason:
        _longer(src, rule, depth, cal, a, label)
    _met(src, rule, depth)
    src.add(depth, f"st = {STATE}")
    if rule.period.unit in ("months", "years"):
        src.add(depth, "if eom: fl.append('end-of-month')")
    src.add(depth, f"if {prov}: fl.append('provisional')")
    if rule.is_extension:
        _extension_rule(src, rule, depth)
    elif rule.kind == "respond":
        _extended_response(src, depth)
    if rule.tail:
        src.add(depth, "if st == MISSED: fl.append('as-soon-as-reasonably-practicable')")
    anchor = rule.anchor if rule.anchor != "deadline" else f"deadline:{rule.anchor_deadline}"
    src.add(depth, f"done[{src.k(rule.kind)}] = Clock({src.k(src.stage.id)}, {src.k(rule.kind)}, "
                   f"{src.k(rule.title)}, due, {src.k(anchor)}, {a}, st, met, "
                   f"{cal}.elapsed(as_of, due) if st == PENDING else None, "
                   f"{src.k(rule.citation)}, tuple(fl), {prov}, {src.k(rule.note)}, why)")


# ``state_of(due, met, as_of)``, written out in the stage's function (one call fewer a clock).
STATE = ("(MET if met <= due else MISSED) if met is not None else "
         "(PENDING if as_of <= due else MISSED)")


def _due_expr(src: _Source, period: Period, counting: str, cal: str, a: str) -> str:
    """Code for the due date ``counter(period, counting)(cal, a)`` gives: written out for
    working days and days (one call fewer a clock), else the counter called (``[0]``: its
    end-of-month answer is read through ``_count_line``)."""
    n = period.amount
    if period.unit == "working_days":
        if counting != "beginning_with":
            return f"{cal}.shift({a}, {src.k(n)})"
        # A working day anchor is day 1 of the period; any other day is day 0.
        return f"{cal}.shift({a}, {src.k(n - 1)} if {cal}.is_working({a}) else {src.k(n)})"
    if period.unit in ("weeks", "calendar_days"):
        days = (7 * n if period.unit == "weeks" else n) \
            - (1 if counting == "beginning_with" else 0)
        return f"{a} + {src.k(dt.timedelta(days=days))}"
    return f"{src.k(counter(period, counting))}({cal}, {a})[0]"


def _count_line(src: _Source, period: Period, counting: str, cal: str, a: str) -> str:
    """``due, eom = ...``: the due date and whether the end-of-month rule applied."""
    if period.unit in ("months", "years"):
        return f"due, eom = {src.k(counter(period, counting))}({cal}, {a})"
    return f"due, eom = {_due_expr(src, period, counting, cal, a)}, False"


def _met(src: _Source, rule: DeadlineRule, depth: int) -> None:
    """``met``: the earliest of the events that meet the deadline (``met_by``, ``also_met_by``)."""
    if len(rule.met_by_events) == 1:
        src.add(depth, f"met = dates.get({src.k(rule.met_by)})")
        return
    events = src.k(rule.met_by_events)
    src.add(depth, f"met = min((d for e in {events} if (d := dates.get(e)) is not None), "
                   "default=None)")


def _longer(src: _Source, rule: DeadlineRule, depth: int, cal: str, a: str, label: str) -> None:
    """An extension longer than the period, where the policy allows one with good reason."""
    _longer_date_lines(src, rule, depth, cal, "b.due")
    src.add(depth + 1, "if nd is not None and nd > due:")
    src.add(depth + 2, "fl.append('longer-extension-with-reason' if e.reason "
                       "else 'longer-extension-no-reason')")
    src.add(depth + 2, f"why = (longer_basis, {cal}, {src.k(rule.period)}, "
                       f"{src.k(rule.counting)}, {a}, {label}, nd, bool(e.reason), e.date)")
    src.add(depth + 2, "due = nd")


def _longer_date_lines(src: _Source, rule: DeadlineRule, depth: int, cal: str,
                       base_due: str) -> None:
    """The lines both compiled forms share for the latest extension's date, ``nd`` (its own
    new date, or its days from the base deadline); ``base_due`` reads that date from ``b``."""
    src.add(depth, "if X:")
    src.add(depth + 1, "e = X[-1]")
    src.add(depth + 1, "nd = e.new_date")
    src.add(depth + 1, "if nd is None and e.days is not None:")
    src.add(depth + 2, f"b = done.get({src.k(rule.anchor_deadline or 'respond')})")
    src.add(depth + 2, f"if b is not None: nd = {cal}.shift({base_due}, e.days)")


def _extension_rule(src: _Source, rule: DeadlineRule, depth: int) -> None:
    """The extended deadline: not needed when the base was met; flags on the extensions."""
    extensions = src.k(frozenset(r.kind for r in src.stage.deadlines if r.is_extension))
    src.add(depth, "if X:")
    src.add(depth + 1, "for e in X:")
    if not rule.longer_with_reason:
        src.add(depth + 2, "if e.new_date is not None and e.new_date > due: "
                           "fl.append('extension-beyond-limit')")
    if rule.consent == "agree":
        src.add(depth + 2, "if e.consent != 'agreed': fl.append('extension-needs-agreement')")
    if rule.longer_with_reason and rule.consent != "agree":
        src.add(depth + 2, "pass")
    src.add(depth, "elif st != PENDING:")
    src.add(depth + 1, f"b = next((d for d in done.values() if d.kind not in {extensions}), None)")
    src.add(depth + 1, "if b is not None and b.state == MET: st = NA")
    src.add(depth + 1, "else: fl.append('no-extension-recorded')")


def _agreed_filter(src: _Source, kind: str, depth: int, outer: str) -> None:
    """``ag``: the agreed periods that concern ``kind`` (SI 2009/309 reg 13(6)-(7), reg 14)."""
    src.add(depth, "ag = [e for e in P.agreed_periods if e.until]")
    if src.rule("response_period") is None:
        return
    src.add(depth, f"if {outer} is not None:")
    keep = "e.until <= " if kind == "response_period" else "e.until > "
    src.add(depth + 1, f"ag = [e for e in ag if {keep}{outer}]")


def _extended_response(src: _Source, depth: int) -> None:
    """The response deadline superseded by an extension (or agreed period) made in time."""
    _agreed_filter(src, "respond", depth, "due")
    if any(r.is_extension for r in src.stage.deadlines):
        src.add(depth, "ex = X")
    else:  # no extended deadline in the policy: only an extension with a new date supersedes
        src.add(depth, "ex = [e for e in X if e.new_date is not None or e.days is not None]")
    src.add(depth, "if st in (MISSED, PENDING) and (ex or ag):")
    src.add(depth + 1, "in_time = [e for e in (*ex, *ag) if e.date <= due]")
    src.add(depth + 1, "if in_time and (met is None or met > due):")
    src.add(depth + 2, "fl.append('extended')")
    src.add(depth + 2, "st = NA")
    src.add(depth + 1, "elif not in_time: fl.append('extension-after-deadline')")


def _agreed(src: _Source, rule: DeadlineRule, depth: int) -> None:
    """A period agreed with the complainant (2009 Regulations: before expiry)."""
    cal = src.k(src.calendars[rule.calendar])
    src.add(depth, "b = done.get('respond')")
    _agreed_filter(src, rule.kind, depth, "(b.due if b is not None else None)")
    src.add(depth, "if ag:")
    inner = depth + 1
    src.add(inner, "e = ag[-1]")
    src.add(inner, "fl = ['agreed-after-expiry'] if b is not None and e.date > b.due else []")
    _met(src, rule, inner)
    src.add(inner, "until = e.until or e.date")
    src.add(inner, "st = NA if fl else state_of(until, met, as_of)")
    if rule.kind == "response_period":
        src.add(inner, "if st == MISSED: fl.append('response-period-passed')")
    src.add(inner, f"done[{src.k(rule.kind)}] = Clock({src.k(src.stage.id)}, {src.k(rule.kind)}, "
                   f"{src.k(rule.title)}, until, 'period_agreed', e.date, st, met, "
                   f"{cal}.elapsed(as_of, until) if st == PENDING else None, "
                   f"{src.k(rule.citation)}, tuple(fl), False, {src.k(rule.note)}, "
                   "(agreed_basis, e.date, until))")


def _promised_due_line(src: _Source, respond_due: str) -> DeadlineRule | None:
    """The lines both compiled forms share for an extension's own new date (``due``), where
    the policy sets no extended deadline; the respond rule, or None when there is nothing to
    write.  ``respond_due`` is how the respond deadline's date is read from ``b``."""
    respond = src.rule("respond")
    if respond is None or any(r.is_extension for r in src.stage.deadlines):
        return None
    cal = src.k(src.calendars[respond.calendar])
    src.add(1, "b = done.get('respond')")
    src.add(1, "if b is not None and X:")
    src.add(2, "e = X[-1]")
    src.add(2, f"due = e.new_date if e.new_date is not None else "
               f"({cal}.shift({respond_due}, e.days) if e.days is not None else None)")
    src.add(2, "if due is not None:")
    return respond


def _promised(src: _Source) -> None:
    """Where the policy sets no extended deadline, an extension's own new date is one."""
    respond = _promised_due_line(src, "b.due")
    if respond is None:
        return
    cal = src.k(src.calendars[respond.calendar])
    src.add(3, "met = dates.get('responded')")
    src.add(3, "st = state_of(due, met, as_of)")
    src.add(3, f"c = Clock({src.k(src.stage.id)}, 'respond_extended', "
               f"{src.k(f'{respond.title}, extended')}, due, 'extension', e.date, st, met, "
               f"{cal}.elapsed(as_of, due) if st == PENDING else None, b.citation, "
               "('promised-date',), False, None, "
               "(promised_basis, e.new_date, e.days, b.due, e.date))")
    src.add(3, "made.insert(next((i + 1 for i, d in enumerate(made) if d.kind == 'respond'), "
               "len(made)), c)")



# -- Due dates only -------------------------------------------------------------------------
# An alternative reading of a policy asks only which dates it would give.  The same decisions
# as above, compiled without what only the result reads (states, flags, words, Clocks): the
# function gives the stage's (kind, due date) pairs in the order ``clocks`` gives its Clocks.

StageDues = Callable[[Progress], list[tuple[str, dt.date]]]


def compile_stage_dues(stage: Stage, calendars: Mapping[str, WorkingDayCalendar]) -> StageDues:
    """The function that gives a stage's due dates from its progress: the ``(kind, due)`` of
    each Clock ``compile_stage``'s function makes, in the same order."""
    src = _Source(stage, calendars)
    src.add(0, "def dues(P):")
    src.add(1, "dates = P.dates")
    src.add(1, "X = P.extensions")
    src.add(1, "done = {}")
    for rule in stage.deadlines:
        _ensure_due(src, rule, (), 1)
    order = src.k(tuple(r.kind for r in stage.deadlines))
    src.add(1, f"made = [(k, done[k]) for k in {order} if k in done]")
    _promised_due(src)
    src.add(1, "return made")
    dues: StageDues = _compiled(src, "dues", f"dues {stage.id}", {})
    return dues


def _ensure_due(src: _Source, rule: DeadlineRule, chain: tuple[str, ...], depth: int) -> None:
    """Code that puts ``rule``'s due date into ``done`` unless it is there already."""
    src.add(depth, f"if {src.k(rule.kind)} not in done:")
    chain = (*chain, rule.kind)
    a = src.name("a")
    _anchor_due(src, rule, chain, depth + 1, a)
    if rule.agreed_period:
        _agreed_due(src, rule, depth + 1)
    elif rule.period is not None:
        src.add(depth + 1, f"if {a} is not None:")
        _count_due(src, rule, depth + 2, a)


def _anchor_due(src: _Source, rule: DeadlineRule, chain: tuple[str, ...], depth: int,
                a: str) -> None:
    """Sets ``a``: the anchor date, or None (``_anchor`` without the words)."""
    if rule.anchor == "deadline" and rule.anchor_deadline:
        other = src.rule(rule.anchor_deadline)
        if other is None:
            src.add(depth, f"{a} = None")
            return
        if other.kind not in chain:
            _ensure_due(src, other, chain, depth)
        src.add(depth, f"{a} = done.get({src.k(other.kind)})")
        return
    src.add(depth, f"{a} = dates.get({src.k(rule.anchor)})")
    ack = src.rule("acknowledge")
    if rule.anchor != "acknowledged" or ack is None:
        return
    # Until the acknowledgement is sent, count from its own latest date.
    src.add(depth, f"if {a} is None:")
    if ack.kind not in chain:
        _ensure_due(src, ack, chain, depth + 1)
    src.add(depth + 1, f"{a} = done.get({src.k(ack.kind)})")


def _count_due(src: _Source, rule: DeadlineRule, depth: int, a: str) -> None:
    if rule.period is None:  # only an agreed period has none
        return
    cal = src.k(src.calendars[rule.calendar])
    src.add(depth, f"due = {_due_expr(src, rule.period, rule.counting, cal, a)}")
    if rule.longer_with_reason:
        _longer_date_lines(src, rule, depth, cal, "b")
        src.add(depth + 1, "if nd is not None and nd > due: due = nd")
    src.add(depth, f"done[{src.k(rule.kind)}] = due")


def _agreed_due(src: _Source, rule: DeadlineRule, depth: int) -> None:
    """A period agreed with the complainant: its date (``_agreed`` without the state)."""
    src.add(depth, "b = done.get('respond')")
    _agreed_filter(src, rule.kind, depth, "b")
    src.add(depth, "if ag:")
    src.add(depth + 1, "e = ag[-1]")
    src.add(depth + 1, f"done[{src.k(rule.kind)}] = e.until or e.date")


def _promised_due(src: _Source) -> None:
    """An extension's own new date where the policy sets no extended deadline (``_promised``)."""
    if _promised_due_line(src, "b") is None:
        return
    src.add(3, "made.insert(next((i + 1 for i, d in enumerate(made) if d[0] == 'respond'), "
               "len(made)), ('respond_extended', due))")


__all__ = ["StageClocks", "StageDues", "compile_stage", "compile_stage_dues"]
