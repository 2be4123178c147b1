"""Flags as the evaluation path before issue 24 raised them.

Built from the timeline and the policy after the rules have run: deadline flags (late requests
left to discretion, "as soon as reasonably practicable" tails, extensions beyond the limit, …),
deferrals, ambiguities (each reading's dates, worked out by re-running the timeline under the
reading), the weekend/after-hours receipt question, and dates beyond the official bank-holiday
data.  Pure functions: each takes what it needs and returns new flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from redress.calendar import OFFICIAL_DATA_UNTIL
from redress.evaluation.deadlines import Deadline, Flag, FlagReading
from redress.evaluation.flag_values import rule_readings
from redress.evaluation.wording import (
    DEADLINE_FLAG_TEXT,
    RECEIPT_READINGS,
    ambiguity_text,
    deadline_flag_text,
    deferral_text,
    projected_text,
    receipt_day_text,
    rule_flag_text,
)
from redress.policy.library import Library
from redress.policy.model import Policy
from redress.policy.rules import Rule
from redress.testing.reference.case import Case
from redress.testing.reference.reading_dates import Plans, all_dates, reading_dates, stage_dates
from redress.testing.reference.timeline import Timeline


def deadline_flags(deadlines: Sequence[Deadline]) -> list[Flag]:
    """A flag, in words, for every short flag code a deadline carries."""
    return [flag for d in deadlines for code in d.flags
            if (flag := _deadline_flag(d, code)) is not None]


def _deadline_flag(d: Deadline, code: str) -> Flag | None:
    if code not in DEADLINE_FLAG_TEXT:
        return None
    kind = DEADLINE_FLAG_TEXT[code][0]
    message = deadline_flag_text(code, d.title, d.due, d.met_on)
    stage = d.stage if d.stage.startswith("stage") else None
    return Flag(f"{code}:{d.stage}.{d.kind}", kind, message, stage, citation=d.citation)


def deferral_flags(case: Case, policy: Policy) -> list[Flag]:
    """Proceedings under way that the policy lets the body defer for."""
    proceedings = set(case.matter.get("proceedings") or ())
    out = []
    for deferral in policy.deferrals:
        hit = proceedings & set(deferral.proceedings)
        if hit:
            out.append(Flag(f"deferral:{deferral.id}", "discretion",
                            deferral_text(hit, deferral.reason), citation=deferral.citation))
    return out


def rule_flags(fired: Sequence[Rule]) -> list[Flag]:
    """Flags concluded by rules of the ``flags`` ruleset (e.g. joint-complaint duties), with the
    readings a rule names for a point the law leaves open."""
    return [Flag(str(r.then["flag"]), str(r.then.get("kind", "info")), rule_flag_text(r),
                 citation=r.citation,
                 readings=tuple(FlagReading(*reading, {}) for reading in rule_readings(r.then)))
            for r in fired if r.ruleset == "flags"]


def projected_calendar(deadlines: Sequence[Deadline]) -> list[Flag]:
    """A working-day deadline beyond the official bank-holiday list may still move."""
    late = [d for d in deadlines if d.due > OFFICIAL_DATA_UNTIL and "working day" in d.basis]
    if not late:
        return []
    return [Flag("calendar-projected", "warning", projected_text(late[0].title, late[0].due))]


def unique_flags(flags: Sequence[Flag]) -> list[Flag]:
    """The first flag of each id, in order."""
    seen: dict[str, Flag] = {}
    for flag in flags:
        seen.setdefault(flag.id, flag)
    return list(seen.values())


# -- ambiguities ---------------------------------------------------------------------------------


def ambiguity_flags(library: Library, case: Case, as_of: dt.date, policy: Policy,
                    timeline: Timeline, body: str | None,
                    plans: Plans | None = None) -> list[Flag]:
    """Each policy ambiguity that bears on this case, with the dates every reading gives.

    ``plans`` caches, per reading, which stages it changes (see ``reading_dates``)."""
    flags: list[Flag] = []
    base = all_dates(case, as_of, policy, timeline, body)
    opened = {p.id for p in timeline.stages}
    for amb in policy.ambiguities:
        readings: list[FlagReading] = []
        differs = False
        touched: set[str] = set()
        for reading in amb.readings:
            if reading.id == amb.default or not reading.overrides:
                readings.append(FlagReading(reading.id, reading.description,
                                            reading.id == amb.default, {}))
                continue
            touched |= set((reading.overrides.get("stages") or {}).keys())
            alt = library.under_reading(policy, reading)
            alt_dates = reading_dates(case, as_of, policy, alt, timeline, body, reading.id, plans,
                                      base)
            # Sorted: a set's order varies between processes (string-hash seeds).
            changed = {k: alt_dates.get(k) for k in sorted(base.keys() | alt_dates.keys())
                       if alt_dates.get(k) != base.get(k)}
            differs |= bool(changed)
            readings.append(FlagReading(reading.id, reading.description, False, changed))
        if not (touched & opened) and not differs:
            continue
        default_dates = {k: base.get(k) for r in readings for k in r.dates}
        readings = [replace(r, dates=default_dates) if r.default else r for r in readings]
        flags.append(Flag(f"ambiguity:{amb.id}", "ambiguity", ambiguity_text(amb),
                          readings=tuple(readings), citation=amb.citation))
    flags.extend(receipt_flag(case, as_of, policy, timeline))
    return flags


def receipt_flag(case: Case, as_of: dt.date, policy: Policy, timeline: Timeline) -> list[Flag]:
    """When a complaint arrives on a non-working day or after hours, both readings' dates."""
    cal = timeline.calendar
    received = timeline.received
    cutoff = policy.after_hours_from or dt.time(17, 0)
    after_hours = case.received_time is not None and case.received_time >= cutoff
    if policy.receipt_rule != "as_received" or case.of_type("forwarded"):
        return []
    if cal.is_working_day(received) and not after_hours:
        return []
    alt_policy = replace(policy, receipt_rule="next_working_day", after_hours_from=cutoff)
    base = {d.key: d.due.isoformat() for d in timeline.deadlines if d.stage == "stage1"}
    alt_dates = stage_dates(case, alt_policy, as_of, "stage1")
    changed = [k for k in base if alt_dates.get(k) != base[k]]
    if not changed:
        return []
    return [Flag("ambiguity:receipt-day", "ambiguity", receipt_day_text(after_hours, received),
                 "stage1",
                 readings=(FlagReading(*RECEIPT_READINGS[0], True, {k: base[k] for k in changed}),
                           FlagReading(*RECEIPT_READINGS[1], False,
                                       {k: alt_dates.get(k) for k in changed})),
                 citation=policy.receipt_citation)]
