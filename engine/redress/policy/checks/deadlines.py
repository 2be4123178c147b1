"""Deadlines, windows and time limits: anchors, calendars and extensions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from redress.calendar import CALENDAR_NAMES, COVERED_END, COVERED_START
from redress.findings import Finding, Severity, did_you_mean
from redress.policy.checks._util import deadlines, mapping, periods, stages, variants, walk
from redress.policy.policyset import LoadedPolicies

NATION_CALENDARS = {"england": "england-and-wales", "wales": "england-and-wales",
                    "scotland": "scotland", "northern_ireland": "northern-ireland"}
# Rough lengths in calendar days, only to compare periods written in different units.
APPROX_DAYS = {"working_days": 7 / 5, "calendar_days": 1, "weeks": 7, "months": 30.44,
               "years": 365.25}
UNIT_WORDS = {"working_days": "working day", "calendar_days": "calendar day", "weeks": "week",
              "months": "month", "years": "year"}


def unknown_anchors(loaded: LoadedPolicies) -> Iterator[Finding]:
    """``from: {deadline: KIND}`` naming a deadline the stage lacks, itself, or a loop."""
    for resolved in variants(loaded):
        for _, stage_id, stage in stages(resolved.data):
            kinds = [kind for kind, _ in deadlines(stage)]
            for kind, deadline in deadlines(stage):
                target = mapping(deadline.get("from")).get("deadline")
                if not isinstance(target, str):
                    continue
                path = ("stages", stage_id, "deadlines", kind, "from", "deadline")
                subject = f"stage '{stage_id}' deadline '{kind}'"
                if target == kind:
                    yield resolved.locate(Finding("unknown-anchor",
                                                  f"{subject} counts from itself", path))
                elif target not in kinds:
                    yield resolved.locate(Finding(
                        "unknown-anchor",
                        f"{subject} counts from deadline '{target}', which stage '{stage_id}' "
                        "does not have", path,
                        hint=did_you_mean(target, [k for k in kinds if k != kind])))
                elif _loops(kind, stage):
                    yield resolved.locate(Finding(
                        "unknown-anchor",
                        f"{subject} counts from '{target}', which counts back from it", path))


def _loops(kind: str, stage: Mapping[str, Any]) -> bool:
    seen = {kind}
    current = kind
    while True:
        deadline = mapping(mapping(stage.get("deadlines")).get(current))
        target = mapping(deadline.get("from")).get("deadline")
        if not isinstance(target, str):
            return False
        if target in seen:
            return target == kind
        seen.add(target)
        current = target


def anchor_events(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A deadline counted from the event that meets it, the first stage counted from an
    escalation request (the first stage opens on receipt), or a later stage counted from the
    notice of the complaint (only the first stage has one)."""
    for resolved in variants(loaded):
        for i, stage_id, stage in stages(resolved.data):
            for kind, deadline in deadlines(stage):
                anchor, met_by = deadline.get("from"), deadline.get("met_by")
                path = ("stages", stage_id, "deadlines", kind, "from")
                subject = f"stage '{stage_id}' deadline '{kind}'"
                if isinstance(anchor, str) and anchor == met_by:
                    yield resolved.locate(Finding(
                        "anchor-event",
                        f"{subject} counts from '{anchor}', the event that meets it", path))
                elif anchor == "escalation_requested" and i == 0:
                    yield resolved.locate(Finding(
                        "anchor-event",
                        f"{subject} counts from 'escalation_requested', but the first stage "
                        "opens on receipt, not on a request", path, hint="did you mean 'received'?"))
                elif anchor == "notified" and i > 0:
                    yield resolved.locate(Finding(
                        "anchor-event",
                        f"{subject} counts from 'notified', but notice of the complaint is given "
                        "before the first stage, so this clock would never start", path,
                        hint="did you mean 'escalation_requested'?"))


def unknown_calendars(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A ``calendar`` that is not one of the working-day calendars Redress knows."""
    for resolved in variants(loaded):
        for path, value in walk(resolved.data):
            if path and path[-1] == "calendar" and isinstance(value, str) \
                    and value not in CALENDAR_NAMES:
                yield resolved.locate(Finding(
                    "unknown-calendar",
                    f"unknown calendar '{value}': expected {', '.join(CALENDAR_NAMES)}", path,
                    hint=did_you_mean(value, CALENDAR_NAMES)))


def missing_calendars(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A working-day period with no calendar on it or on the policy."""
    for resolved in variants(loaded):
        data = resolved.data
        if isinstance(data.get("calendar"), str):
            continue
        suggestion = NATION_CALENDARS.get(str(data.get("nation")))
        hint = f"add 'calendar: {suggestion}' to the policy" if suggestion else None
        for path, element, words in periods(data):
            if "working_days" in mapping(element.get("period")) and "calendar" not in element:
                yield resolved.locate(Finding(
                    "no-calendar",
                    f"{words} counts working days, but no calendar says which days are working "
                    "days", (*path, "period"), hint=hint))


def extension_shorter(loaded: LoadedPolicies) -> Iterator[Finding]:
    """``respond_extended`` not longer than ``respond`` from the same anchor, or missing its
    base (``respond``)."""
    for resolved in variants(loaded):
        for _, stage_id, stage in stages(resolved.data):
            found = dict(deadlines(stage))
            extended = found.get("respond_extended")
            if extended is None:
                continue
            path = ("stages", stage_id, "deadlines", "respond_extended")
            base = found.get("respond")
            if base is None:
                yield resolved.locate(Finding(
                    "extension-without-base",
                    f"stage '{stage_id}' has respond_extended but no respond deadline to extend",
                    path))
                continue
            finding = _compare(stage_id, base, extended)
            if finding is not None:
                yield resolved.locate(finding.under(*path))


def _compare(stage_id: str, base: Mapping[str, Any],
             extended: Mapping[str, Any]) -> Finding | None:
    if base.get("from") != extended.get("from"):
        return None  # e.g. "a further 10 working days" counted on from respond
    base_unit, base_n = _period(base)
    ext_unit, ext_n = _period(extended)
    if base_unit is None or ext_unit is None:
        return None
    words = (f"stage '{stage_id}' respond_extended ({_describe(ext_unit, ext_n)}) is not longer "
             f"than respond ({_describe(base_unit, base_n)}) from the same anchor")
    if base_unit == ext_unit:
        return Finding("extension-shorter", words, ("period",)) if ext_n <= base_n else None
    if ext_n * APPROX_DAYS[ext_unit] <= base_n * APPROX_DAYS[base_unit]:
        return Finding("extension-shorter", words.replace("is not", "seems no"), ("period",),
                       severity=Severity.WARNING, hint="the units differ: check by hand")
    return None


def _period(element: Mapping[str, Any]) -> tuple[str | None, int]:
    period = mapping(element.get("period"))
    for unit, amount in period.items():
        if unit in APPROX_DAYS and isinstance(amount, int):
            return unit, amount
    return None, 0


def _describe(unit: str, amount: int) -> str:
    return f"{amount} {UNIT_WORDS[unit]}{'' if amount == 1 else 's'}"


def periods_too_long(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A period longer than the whole span of the working-day calendars (e.g. a typo such as
    ``working_days: 1000000000``): every case under it would fail with a date out of range."""
    span = (COVERED_END - COVERED_START).days
    for resolved in variants(loaded):
        for path, element, words in periods(resolved.data):
            unit, amount = _period(element)
            if unit is None or amount * APPROX_DAYS[unit] <= span:
                continue
            yield resolved.locate(Finding(
                "period-too-long",
                f"{words} is {_describe(unit, amount)}, longer than the {span // 365} years the "
                f"working-day calendars cover ({COVERED_START} to {COVERED_END}): no case could "
                "ever be counted under it", (*path, "period", unit)))
