"""The policy vocabulary in plain English: periods, the events clocks run from, counting,
calendars, bodies.

One phrase per YAML value, so every page (and every "what changed" sentence) says the same
thing the same way.  Works on raw policy mappings as well as model values, because the version
diffs compare merged dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redress.policy.model import PERIOD_UNITS, DeadlineRule, Limb, Period, TimeLimit, Window, build_period

GLOSSARY = "reference/glossary.md"

ANCHORS = {
    "received": "receipt of the complaint",
    "notified": "the day another body gave notice of the complaint (or else its receipt)",
    "acknowledged": "the acknowledgement",
    "escalation_requested": "the request for this stage",
    "statement_agreed": "the agreed statement of complaint",
    "discussed": "the discussion",
    "resolved": "the resolution",
    "panel_met": "the panel meeting",
    "panel_report_received": "receipt of the panel's report",
    "responded": "this stage's response",
    "response_received": "the complainant's receipt of this stage's response",
    "occurred": "the matter complained about",
    "aware": "the complainant becoming aware of it",
    "later_of_occurred_or_aware": "the matter or the complainant becoming aware of it, whichever is later",
    "final_response": "the final response",
}

SHORT_ANCHORS = {
    "received": "receipt",
    "notified": "notice of the complaint",
    "acknowledged": "acknowledgement",
    "escalation_requested": "the request",
    "statement_agreed": "the agreed statement",
    "discussed": "the discussion",
    "resolved": "resolution",
    "panel_met": "the panel meeting",
    "panel_report_received": "the panel's report",
    "responded": "the response",
    "response_received": "the response's receipt",
    "occurred": "the matter",
    "aware": "awareness",
    "later_of_occurred_or_aware": "the matter or awareness, whichever is later",
    "final_response": "the final response",
}

DAY_OF = {
    "received": "the day the complaint is received",
    "notified": "the day another body gave notice of the complaint (or else the day of receipt)",
    "occurred": "the day the matter happened",
    "aware": "the day the complainant became aware of the matter",
    "later_of_occurred_or_aware": "the day the matter happened or the complainant became aware of "
                                  "it, whichever is later",
    "final_response": "the day of the final response",
}

STAGE_ANCHORS = {
    "responded": "the stage {n} response",
    "response_received": "the complainant's receipt of the stage {n} response",
    "escalation_requested": "the request for stage {n}",
    "acknowledged": "the stage {n} acknowledgement",
}

MET_BY = {
    "acknowledged": "acknowledgement sent",
    "discussed": "discussion held",
    "responded": "response sent",
    "resolution_confirmed": "resolution confirmed in writing",
    "panel_met": "panel meets",
    "panel_report_received": "panel's report received",
}

DEADLINE_KINDS = {
    "acknowledge": "Acknowledgement",
    "discuss": "Discussion",
    "respond": "Response",
    "respond_extended": "Extended response",
    "response_period": "Response period set or agreed",
    "confirm_resolution": "Confirmation of resolution",
    "panel_meeting": "Panel meeting",
    "panel_report": "Panel report",
    "final_response": "Final response",
}

CALENDARS = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}

NATIONS = {"england": "England", "wales": "Wales", "scotland": "Scotland",
           "northern_ireland": "Northern Ireland"}

BODIES = {
    "local_authority": "councils", "nhs_body": "NHS bodies", "care_provider": "care providers",
    "housing_provider": "social landlords", "gp_practice": "GP practices", "school": "schools",
    "other": "other bodies",
}

BODY_KIND = {
    "local_authority": "council", "nhs_body": "NHS body", "care_provider": "care provider",
    "housing_provider": "social landlord", "gp_practice": "GP practice", "school": "school",
    "other": "other body",
}

SERVICES = {
    "children_social_care": "children's social care", "adult_social_care": "adult social care",
    "nhs": "NHS services", "council_corporate": "council services with no statutory procedure",
    "housing": "social housing", "public_health": "public health", "education": "education",
    "other": "other services",
}

OMBUDSMEN = {
    "LGSCO": "Local Government and Social Care Ombudsman",
    "PHSO": "Parliamentary and Health Service Ombudsman",
    "JWT": "Joint Working Team of the LGSCO and the PHSO",
    "HOS": "Housing Ombudsman Service",
    "PSOW": "Public Services Ombudsman for Wales",
    "SPSO": "Scottish Public Services Ombudsman",
    "NIPSO": "Northern Ireland Public Services Ombudsman",
}

LATE = {
    "discretion": "a later request is for the body's discretion",
    "refused": "a later request is refused",
}

CONSENT = {"notify": "the complainant is told", "agree": "the complainant agrees"}

RECEIPT = {
    "as_received": "A complaint that arrives on a weekend or bank holiday counts as received "
                   "that day, and counting starts the next working day.",
    "next_working_day": "A complaint that arrives on a weekend or bank holiday is treated as "
                        "received on the next working day.",
}


def period_text(period: Period | Mapping[str, Any] | None) -> str:
    """``10 working days``; ``a period agreed with the complainant`` when there is none."""
    if period is None:
        return "a period agreed with the complainant"
    if isinstance(period, Mapping):
        if not any(period.get(u) is not None for u in PERIOD_UNITS):
            return "a period agreed with the complainant"
        period = build_period({k: v for k, v in period.items() if v is not None})
    return period.describe()


def anchor_text(anchor: Any, titles: Mapping[str, str] | None = None,
                stage_number: int | None = None) -> str:
    """The event a clock counts from, as a noun phrase."""
    if isinstance(anchor, Mapping):
        kind = str(anchor.get("deadline", ""))
        return f"the {(titles or {}).get(kind, DEADLINE_KINDS.get(kind, kind))} due date"
    if stage_number is not None and anchor in STAGE_ANCHORS:
        return STAGE_ANCHORS[str(anchor)].format(n=stage_number)
    return ANCHORS.get(str(anchor), str(anchor).replace("_", " "))


def clock_text(period: Period | Mapping[str, Any] | None, anchor: Any, counting: str,
               titles: Mapping[str, str] | None = None, stage_number: int | None = None) -> str:
    """``10 working days after the acknowledgement`` or ``6 months beginning with the day …``."""
    if counting == "beginning_with":
        day = DAY_OF.get(anchor) if isinstance(anchor, str) else None
        day = day or f"the day of {anchor_text(anchor, titles, stage_number)}"
        return f"{period_text(period)} beginning with {day}"
    return f"{period_text(period)} after {anchor_text(anchor, titles, stage_number)}"


def counting_text(period: Period | None, counting: str, anchor: str) -> str:
    """How a period is counted from the event it runs from (``anchor``, a noun phrase), as a
    reviewer reads it: "counting starts the day after receipt of the complaint"."""
    unit = period.unit if period else "working_days"
    if unit in ("months", "years"):
        length = period_text(period)
        if counting == "beginning_with":
            return (f"ends the day before the same date {length} after {anchor}, because the day "
                    f"of {anchor} itself counts")
        return f"ends on the same date {length} after {anchor}"
    if counting == "beginning_with":
        day = "a working day" if unit == "working_days" else "one of the days counted"
        return f"counting starts on the day of {anchor}, which counts as day 1 if it is {day}"
    return f"counting starts the day after {anchor}"


def calendar_text(period: Period | None, calendar: str) -> str:
    """Which days count: a working-day calendar, or every day."""
    if period is not None and period.unit != "working_days":
        return "every day counts"
    return f"{CALENDARS.get(calendar, calendar)} working days"


def rule_anchor(rule: DeadlineRule, titles: Mapping[str, str], stage_number: int) -> str:
    """The anchor of a deadline rule, naming the deadline it counts on from if it does."""
    if rule.anchor_deadline:
        return anchor_text({"deadline": rule.anchor_deadline}, titles)
    return anchor_text(rule.anchor, titles, stage_number)


def deadline_clock(rule: DeadlineRule, titles: Mapping[str, str], stage_number: int) -> str:
    """The whole clock of a deadline in words, tail included."""
    if rule.agreed_period:
        anchor = rule_anchor(rule, titles, stage_number)
        text = f"the end of {agreed_text(rule)} (counted from {anchor})"
    else:
        key: Any = {"deadline": rule.anchor_deadline} if rule.anchor_deadline else rule.anchor
        text = clock_text(rule.period, key, rule.counting, titles, stage_number)
    if rule.tail == "as_soon_as_reasonably_practicable":
        text += ", or as soon as reasonably practicable"
    return text


def agreed_text(rule: DeadlineRule) -> str:
    """The period of a clock whose length is agreed rather than fixed: a longer period agreed
    with the complainant (an extension), or the period set or agreed at the start."""
    if rule.kind.endswith("_extended"):
        return "a longer period agreed with the complainant"
    return "the period the body sets or agrees with the complainant"


def limb_clock(limb: Limb, stage_number: int | None = None) -> str:
    """An ``outer_limit`` or ``or_later`` period in words: ``6 months after the matter …``."""
    return clock_text(limb.period, limb.anchor, limb.counting, None, stage_number)


def window_clock(window: Window, stage_number: int) -> str:
    """``2 months after the stage 1 response``, with any ``or_later`` limb."""
    text = clock_text(window.period, window.anchor, window.counting, None, stage_number)
    if window.or_later is not None:
        text += f" or, if that ends later, {limb_clock(window.or_later, stage_number)}"
    return text


def time_limit_text(limit: TimeLimit) -> str:
    """``12 months after …``, saying whether the anniversary itself is still in time."""
    text = clock_text(limit.period, limit.anchor, limit.counting)
    if limit.period.unit in ("months", "years"):
        text += (" (the anniversary is one day too late)" if limit.counting == "beginning_with"
                 else " (the anniversary is still in time)")
    if limit.outer_limit is not None:
        text += (f", but no later than {limb_clock(limit.outer_limit)} "
                 "(the earlier date applies)")
    return text


def short_limbs(limit: TimeLimit | Window) -> str:
    """A compact cap or later-of limb for the overview and flowchart (empty without one)."""
    if isinstance(limit, Window):
        limb = limit.or_later
        return (f"; or {short_clock(limb.period, limb.anchor, counting=limb.counting)} if "
                "that ends later" if limb else "")
    limb = limit.outer_limit
    return (f", max {short_clock(limb.period, limb.anchor, counting=limb.counting)}"
            if limb else "")


def extension_text(rule: DeadlineRule) -> str:
    """When an extension may be used: ``if <condition>, and the complainant is told``.  The
    consent words are left out when the condition already says them, so nothing is said twice."""
    consent = CONSENT.get(rule.consent or "", "")
    condition = " ".join((rule.condition or "").split())
    if consent and consent in condition:
        consent = ""
    if condition and consent:
        return f"if {condition}, and {consent}"
    return f"if {condition}" if condition else consent


def describe_list(tokens: Any, table: Mapping[str, str]) -> list[str]:
    return [table.get(str(t), str(t).replace("_", " ")) for t in tokens or ()]


def short_clock(period: Period | None, anchor: str, anchor_deadline: str | None = None,
                counting: str = "after") -> str:
    """A compact clock for the flowchart: ``10 working days after receipt``."""
    if anchor_deadline:
        return f"a further {period_text(period)}"
    link = "beginning with" if counting == "beginning_with" else "after"
    return f"{period_text(period)} {link} {SHORT_ANCHORS.get(anchor, anchor.replace('_', ' '))}"


def stage_heading(number: int, title: str) -> str:
    """``Stage 2: Investigation``, without repeating "Stage 2" when the title starts with it."""
    prefix = f"Stage {number}"
    return title if title.startswith(prefix) else f"{prefix}: {title}"


def plain(token: str) -> str:
    """``child_in_need`` → ``child in need``."""
    return token.replace("_", " ").replace("-", " ")
