"""Flags: the points of a result an officer must look at.

Built from the timeline and the policy after the rules have run: deadline flags (late requests
left to discretion, "as soon as reasonably practicable" tails, extensions beyond the limit, …),
deferrals, ambiguities (each reading's dates, worked out by re-running the timeline under the
reading), the weekend/after-hours receipt question, and dates beyond the official bank-holiday
data.  Pure functions: each takes what it needs and returns new flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from redress.calendar import OFFICIAL_DATA_UNTIL
from redress.evaluation.case import Case
from redress.evaluation.deadlines import Deadline, Flag, FlagReading
from redress.evaluation.reading_dates import Plans, all_dates, reading_dates, stage_dates
from redress.evaluation.timeline import Timeline
from redress.policy.library import Library
from redress.policy.model import Policy
from redress.policy.rules import Rule

DEADLINE_FLAG_TEXT = {
    "late-discretion": ("discretion", "{title} was {late}: the body has discretion to accept it"),
    "late-refused": ("warning", "{title} was {late}: the policy refuses late requests"),
    "as-soon-as-reasonably-practicable": (
        "discretion", "{title} was due {due}; the law adds 'or as soon as reasonably "
        "practicable', so a later date is not a breach by itself"),
    "end-of-month": ("ambiguity", "{title}: the corresponding date does not exist, so the period "
                                  "ends on the last day of the month ({due}); courts have not "
                                  "been consistent on this"),
    "extension-beyond-limit": ("warning", "{title}: the new date given goes beyond the latest "
                                          "permitted date {due}"),
    "longer-extension-with-reason": (
        "info", "{title}: the extension goes beyond the usual limit to {due}; the policy allows a "
        "longer extension for good reason, and a reason was given (it must be explained to the "
        "complainant)"),
    "longer-extension-no-reason": (
        "warning", "{title}: the extension goes beyond the usual limit to {due} and no reason is "
        "recorded; a longer extension needs good reason, explained to the complainant"),
    "extension-needs-agreement": ("warning", "{title}: this extension needs the complainant's "
                                             "agreement, which is not recorded"),
    "extension-after-deadline": ("warning", "{title}: the extension was given after the "
                                            "deadline {due} had passed"),
    "agreed-after-expiry": ("warning", "{title}: the longer period was agreed after the "
                                       "relevant period had expired, so it does not extend it"),
    "response-period-passed": (
        "warning", "{title}: the response period the body set or agreed ended {due} without a "
        "response; the complainant should be told why and given a new date (the relevant period "
        "of six months, or a longer one agreed, still runs)"),
    "no-extension-recorded": ("warning", "{title}: the base period passed with no extension "
                                         "recorded"),
    "provisional": ("info", "{title}: counted from the latest permitted acknowledgement date "
                            "until the acknowledgement is sent"),
}


def deadline_flags(deadlines: Sequence[Deadline]) -> list[Flag]:
    """A flag, in words, for every short flag code a deadline carries."""
    return [flag for d in deadlines for code in d.flags
            if (flag := _deadline_flag(d, code)) is not None]


def _deadline_flag(d: Deadline, code: str) -> Flag | None:
    spec = DEADLINE_FLAG_TEXT.get(code)
    if spec is None:
        return None
    kind, text = spec
    late = f"made on {d.met_on}, after {d.due}" if d.met_on else f"not made by {d.due}"
    message = text.format(title=d.title, due=d.due.isoformat(), late=late)
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
                            f"{', '.join(sorted(hit))} proceedings are under way: "
                            f"{deferral.reason}", citation=deferral.citation))
    return out


def rule_flags(fired: Sequence[Rule]) -> list[Flag]:
    """Flags concluded by rules of the ``flags`` ruleset (e.g. joint-complaint duties), with the
    readings a rule names for a point the law leaves open."""
    return [Flag(str(r.then["flag"]), str(r.then.get("kind", "info")),
                 str(r.then.get("message", r.description)), citation=r.citation,
                 readings=_rule_readings(r.then))
            for r in fired if r.ruleset == "flags"]


def _rule_readings(then: Mapping[str, Any]) -> tuple[FlagReading, ...]:
    readings = then.get("readings") or {}
    default = then.get("default")
    return tuple(FlagReading(str(rid), str(text), rid == default, {})
                 for rid, text in readings.items())


def projected_calendar(deadlines: Sequence[Deadline]) -> list[Flag]:
    """A working-day deadline beyond the official bank-holiday list may still move."""
    late = [d for d in deadlines if d.due > OFFICIAL_DATA_UNTIL and "working day" in d.basis]
    if not late:
        return []
    return [Flag("calendar-projected", "warning",
                 f"{late[0].title} ({late[0].due}) falls after {OFFICIAL_DATA_UNTIL.year}, the last "
                 "year of the official GOV.UK bank-holiday list; a bank holiday proclaimed later "
                 "would move it")]


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
        flags.append(Flag(f"ambiguity:{amb.id}", "ambiguity",
                          f"{amb.title}: {amb.description} Default: {amb.default} "
                          f"({amb.why_default})", readings=tuple(readings),
                          citation=amb.citation))
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
    why = "after hours" if after_hours else "on a non-working day"
    return [Flag("ambiguity:receipt-day", "ambiguity",
                 f"The complaint arrived {why} ({received}); no regulation says when such a "
                 "complaint is received. Default: the day it arrived is day 0; the other "
                 "reading deems it received on the next working day.", "stage1",
                 readings=(FlagReading("as_received", "received the day it arrived", True,
                                       {k: base[k] for k in changed}),
                           FlagReading("next_working_day",
                                       "deemed received on the next working day", False,
                                       {k: alt_dates.get(k) for k in changed})),
                 citation=policy.receipt_citation)]
