"""Flags: the points of a result an officer must look at, as plain values.

Deadline flags (late requests left to discretion, "as soon as reasonably practicable" tails,
extensions beyond the limit, …), deferrals, rule flags and dates beyond the official bank-holiday
data.  Each is a ``FlagRec`` whose message is written only when it is read; the ambiguities,
with the dates each reading gives, are in ``readings``.
"""

from __future__ import annotations

from collections.abc import Sequence

from redress.calendar import OFFICIAL_DATA_UNTIL
from redress.evaluation.case import Case
from redress.evaluation.clock import Clock
from redress.evaluation.flag_values import FlagRec, ReadingRec, flag_rec, rule_readings
from redress.evaluation.wording import (
    DEADLINE_FLAG_TEXT,
    deadline_flag_text,
    deferral_text,
    projected_text,
    rule_flag_text,
)
from redress.policy.model import Policy
from redress.policy.rules import Rule


def deadline_flags(deadlines: Sequence[Clock]) -> list[FlagRec]:
    """A flag for every short flag code a deadline carries that has words."""
    return [flag_rec(f"{code}:{d.stage}.{d.kind}", DEADLINE_FLAG_TEXT[code][0],
                     (deadline_flag_text, code, d.title, d.due, d.met_on),
                     d.stage if d.stage.startswith("stage") else None, d.citation)
            for d in deadlines for code in d.flags if code in DEADLINE_FLAG_TEXT]


def deferral_flags(case: Case, policy: Policy) -> list[FlagRec]:
    """Proceedings under way that the policy lets the body defer for."""
    matter = case.wire.matter
    proceedings = set(matter.proceedings or ()) if matter is not None else set()
    if not proceedings:
        return []
    out = []
    for deferral in policy.deferrals:
        hit = proceedings & set(deferral.proceedings)
        if hit:
            out.append(flag_rec(f"deferral:{deferral.id}", "discretion",
                                (deferral_text, hit, deferral.reason),
                                citation=deferral.citation))
    return out


def rule_flags(fired: Sequence[Rule]) -> list[FlagRec]:
    """Flags concluded by rules of the ``flags`` ruleset (e.g. joint-complaint duties)."""
    return [flag_rec(str(r.then["flag"]), str(r.then.get("kind", "info")), (rule_flag_text, r),
                     citation=r.citation,
                     readings=tuple(ReadingRec(*reading, {}) for reading in rule_readings(r.then)))
            for r in fired if r.ruleset == "flags"]


def projected_calendar(deadlines: Sequence[Clock]) -> list[FlagRec]:
    """A working-day deadline beyond the official bank-holiday list may still move."""
    late = next((d for d in deadlines
                 if d.due > OFFICIAL_DATA_UNTIL and "working day" in d.basis()), None)
    if late is None:
        return []
    return [flag_rec("calendar-projected", "warning", (projected_text, late.title, late.due))]


__all__ = ["deadline_flags", "deferral_flags", "projected_calendar", "rule_flags"]
