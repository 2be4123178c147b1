"""Result → a plain-English account, with citations, that an officer could paste into a letter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from redress.evaluation.deadlines import Deadline, Flag
from redress.evaluation.result_types import (
    Audit,
    EntitlementResult,
    NoProcedure,
    ProcedureRef,
    Routing,
)
from redress.evaluation.status import STATUS_LABELS


class Explained(Protocol):
    """The parts of a result the explanation is written from."""

    @property
    def case_id(self) -> str: ...
    @property
    def audit(self) -> Audit: ...
    @property
    def procedure(self) -> ProcedureRef | None: ...
    @property
    def no_procedure(self) -> NoProcedure | None: ...
    @property
    def routing(self) -> Routing: ...
    @property
    def stage(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def status_reason(self) -> str: ...
    @property
    def deadlines(self) -> Sequence[Deadline]: ...
    @property
    def entitlements(self) -> Sequence[EntitlementResult]: ...
    @property
    def flags(self) -> Sequence[Flag]: ...

STATE_WORDS = {"pending": "due", "met": "met", "missed": "missed",
               "not_applicable": "not applicable"}
STAGE_NAMES = {"intake": "Making the complaint", "stage1": "Stage 1", "stage2": "Stage 2",
               "stage3": "Stage 3", "ombudsman": "Ombudsman", "closed": "Closed"}


# English names, as ``%A`` and ``%B`` give them in the C locale: an explanation is English
# whatever locale the calling program has set, and a table is ten times cheaper than strftime.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def long_date(day: dt.date) -> str:
    """``Thursday 22 May 2025``."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# Why a deadline no longer applies, from the flag the timeline left on it.  "Not applicable" is
# the one word for the state everywhere; these say why, and none of them says "met".
NOT_APPLICABLE_WHY = {
    "extended": "the time was extended before it ran out, so the extended limit applies instead",
    "agreed-after-expiry": "the longer period was agreed only after the time had run out",
    "withdrawn": "the complaint was withdrawn",
    "resolved": "the complaint was resolved",
    "deferred": "the complaint is deferred",
}


def not_applicable_reason(d: Deadline) -> str:
    """Why a ``not_applicable`` deadline does not apply, in a few plain words."""
    for flag in d.flags:
        if flag in NOT_APPLICABLE_WHY:
            return NOT_APPLICABLE_WHY[flag]
    return "no extension was needed" if d.kind.endswith("_extended") else "it no longer runs"


def _deadline_sentence(d: Deadline) -> str:
    text = f"{d.title}: {long_date(d.due)} ({d.basis})"
    if d.state == "met" and d.met_on:
        text += f" — met on {long_date(d.met_on)}"
    elif d.state == "missed":
        text += (f" — missed; done on {long_date(d.met_on)}" if d.met_on else " — missed")
    elif d.state == "not_applicable":
        text += f" — not applicable: {not_applicable_reason(d)}"
    elif d.working_days_remaining is not None:
        text += f" — {d.working_days_remaining} working day(s) left"
    text = f"{text}. [{d.citation.text}]"
    return f"{text} Note: {d.note}" if d.note else text


def _heading(result: Explained) -> list[str]:
    """Which procedure (or none), and where the case is."""
    lines: list[str] = [f"Case {result.case_id}, as of {long_date(result.audit.evaluated_as_of)}."]
    if result.procedure is not None:
        proc = result.procedure
        cite = f" [{proc.citation.text}]" if proc.citation else ""
        lines.append(f"This complaint is handled under the {proc.title} "
                     f"(version {proc.version}){cite}.")
    if result.routing.redirected_from:
        red = result.routing.redirected_from
        lines.append(f"It falls outside {red['procedure']}: {red['reason']}")
    if result.no_procedure is not None:
        none = result.no_procedure
        where = f" It goes to: {none.goes_to}." if none.goes_to else ""
        lines.append(f"No complaints procedure applies ({none.why}): {none.reason}.{where}")
    label = STATUS_LABELS.get(result.status, result.status)
    lines.append(f"It is at {STAGE_NAMES.get(result.stage, result.stage)}; status: {label}."
                 + (f" {result.status_reason}" if result.status_reason else ""))
    return lines


def _dates_and_rights(result: Explained) -> list[str]:
    lines: list[str] = []
    if result.deadlines:
        lines.extend(("", "Deadlines:"))
        lines.extend(f"- {_deadline_sentence(d)}" for d in result.deadlines)
    if result.entitlements:
        lines.extend(("", "Entitlements:"))
        lines.extend(f"- {e.title}: {e.reason} [{e.citation.text}]" for e in result.entitlements)
    return lines


def _route(result: Explained) -> list[str]:
    lines: list[str] = []
    omb = result.routing.ombudsman
    if omb is not None:
        when = "can consider the complaint now" if omb.ready else "would not normally consider it yet"
        lines.extend(("", f"Ombudsman: the {omb.title} {when}. {omb.reason}"
                      + (f" [{omb.citation.text}]" if omb.citation else "")))
    if result.routing.next_step:
        lines.append(f"Next step: {result.routing.next_step}")
    if result.routing.co_operating_bodies:
        lines.append(f"Lead body: {result.routing.lead_body}; co-operating: "
                     f"{', '.join(result.routing.co_operating_bodies)}.")
    return lines


def _points(result: Explained) -> list[str]:
    if not result.flags:
        return []
    lines = ["", "Points to check:"]
    for flag in result.flags:
        lines.append(f"- {flag.message}")
        for reading in flag.readings:
            dates = ", ".join(f"{k} {v or 'not yet known'}" for k, v in reading.dates.items())
            mark = " (default)" if reading.default else ""
            lines.append(f"    {reading.id}{mark}: {reading.description}"
                         + (f" — {dates}" if dates else ""))
    return lines


def explain(result: Explained) -> str:
    """The whole account, paragraph by paragraph."""
    return "\n".join([*_heading(result), *_dates_and_rights(result), *_route(result),
                      *_points(result)])
