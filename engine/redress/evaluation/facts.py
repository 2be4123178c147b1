"""Case and timeline → the named facts the rules test (``rules/facts.yaml``).

``case_facts`` are the facts that come straight from the case (enough for routing and
exclusions); ``timeline_facts`` say where the case stands under its procedure (for the status,
entitlement, Ombudsman and flag rules).  Named values here; ``compiled_facts`` flattens them to
the keys a rule backend sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from redress.calendar import get_calendar
from redress.evaluation.case import Case
from redress.evaluation.clock import Clock
from redress.evaluation.deadlines import MISSED, PENDING
from redress.evaluation.readiness import TimelineView, complainant_delay, weeks_with_body
from redress.evaluation.record_types import NATION_CALENDARS
from redress.evaluation.timeline import PolicyCode, Replayed, Timeline

STAGE_NUMBER = {"intake": 0, "stage1": 1, "stage2": 2, "stage3": 3, "ombudsman": 9, "closed": 9}
# Deadline kinds that stand for the body's response at a stage.
RESPONSE_KINDS = frozenset({"respond", "respond_extended", "panel_meeting", "final_response"})


def receiving_organisation(case: Case) -> Any:
    """The organisation the complaint was made to: the first listed, or after forwarding the one
    it was sent to (SI 2009/309 reg 6(5)-(6): it is then deemed made to that body)."""
    orgs = case.wire.organisations or ()
    forwarded = [e for e in case.events if e.type == "forwarded"]
    if forwarded and len(orgs) > 1 and forwarded[-1].body in {o.id for o in orgs}:
        return next(o for o in orgs if o.id != forwarded[-1].body)
    return orgs[0] if orgs else None


def _resolved_next_working_day(case: Case) -> bool:
    resolved = next((e for e in case.events if e.type == "resolved"), None)
    if resolved is None:
        return False
    calendar = get_calendar(NATION_CALENDARS[case.nation])
    return resolved.date <= calendar.shift(case.received, 1)


def _made_to(case: Case) -> str:
    made_to = receiving_organisation(case)
    return str(made_to.kind) if made_to is not None else ""


def _people(facts: dict[str, Any], person: Any, subject: Any) -> None:
    """The complainant and the person the complaint is about (defaults when not given)."""
    age = -1
    if person is not None:
        age = person.age if person.age is not None else -1
        facts["complainant.role"] = person.role if person.role is not None else ""
        facts["complainant.needs_help"] = person.needs_help or False
        facts["complainant.acts_for"] = person.acts_for if person.acts_for is not None else "self"
    facts["complainant.age"] = age
    facts["subject.age"] = subject.age if subject is not None and subject.age is not None \
        else age
    facts["subject.status"] = subject.status if subject is not None and subject.status \
        is not None else ()


def _matter(facts: dict[str, Any], matter: Any) -> None:
    if matter is None:
        return
    facts["matter.topics"] = matter.topics if matter.topics is not None else ()
    facts["matter.proceedings"] = matter.proceedings if matter.proceedings is not None else ()
    facts["complaint.by_responsible_body"] = matter.by_responsible_body or False
    facts["complaint.previously_investigated"] = matter.previously_investigated or False
    facts["complaint.ombudsman_investigating"] = matter.ombudsman_investigating or False
    facts["joint.entwined"] = matter.entwined or False


def case_facts(case: Case) -> dict[str, Any]:
    """The facts that come straight from the case (enough for routing)."""
    wire = case.wire
    orgs = wire.organisations or ()
    types = {e.type for e in case.events}
    consents = [e for e in case.events if e.type == "consent_given"] \
        if "consent_given" in types else ()
    # How the complaint was made is the channel; a contradicting ``orally`` is a case error.
    orally = case.channel == "oral"
    facts: dict[str, Any] = {
        **CASE_DEFAULTS, "nation": case.nation, "service": case.service,
        "organisations.kinds": [o.kind for o in orgs], "organisations.count": len(orgs),
        "funding": [o.funding for o in orgs if o.funding],
        "partnership": [o.partnership for o in orgs if o.partnership],
        "complaint.made_orally": orally,
        "complaint.resolved_next_working_day": orally and _resolved_next_working_day(case),
        "complaint.received": case.received, "complaint.forwarded": "forwarded" in types,
        "complaint.made_to": _made_to(case),
        "consent.share_information": any(e.scope == "information_sharing" for e in consents),
        "consent.joint_investigation": any(e.scope == "joint_investigation" and e.written
                                           for e in consents),
        "local.escalation_refused": "escalation_refused" in types}
    _people(facts, wire.complainant, wire.subject)
    _matter(facts, wire.matter)
    return facts


# What a case that does not say gives (the defaults of ``rules/facts.yaml`` as the case gives them).
CASE_DEFAULTS: dict[str, Any] = {
    "complainant.role": "", "complainant.needs_help": False, "complainant.acts_for": "self",
    "matter.topics": (), "matter.proceedings": (), "complaint.by_responsible_body": False,
    "complaint.previously_investigated": False, "complaint.ombudsman_investigating": False,
    "joint.entwined": False,
}


def current_stage(timeline: Replayed[Any, Any], excluded: bool) -> str:
    """``stage1``–``stage3``, ``ombudsman`` or ``closed``."""
    current = timeline.current
    if timeline.referral is not None:
        return "ombudsman"
    if excluded or timeline.withdrawn_on or timeline.resolved_on or current is None:
        return "closed"
    if current.stage.next_stage is None and current.responded_on is not None:
        return "closed"
    return current.id


def _gone_by(d: Clock) -> bool:
    """Missed and still not done."""
    return d.state == MISSED and d.met_on is None


def seriously_delayed(code: PolicyCode, deadlines: Iterable[Clock]) -> bool:
    """A stage after the first is past its latest permitted date (its maximum, if extendable).

    Where a stage has an extended deadline, only that one counts: missing the base period of an
    extendable stage is not yet beyond the statutory maximum.
    """
    info = code.stage_info
    for d in deadlines:
        # A late step the body has since taken is history, not a delay the Ombudsman ends.
        if d.state != MISSED or d.kind not in RESPONSE_KINDS or d.stage not in info or d.met_on:
            continue
        number, extendable = info[d.stage]
        if number >= 2 and not (d.kind == "respond" and extendable):
            return True
    return False


class _Scan:
    """What the facts ask of a timeline's deadlines, read in one pass (``_scan``)."""

    __slots__ = ("ack_overdue", "delayed", "delayed_earlier", "extended", "gone",
                 "limit_passed", "serious", "window")

    def __init__(self) -> None:
        self.extended = self.ack_overdue = self.delayed = self.delayed_earlier = False
        self.serious = self.limit_passed = False
        self.window: Clock | None = None
        self.gone: set[str] = set()   # kinds of the current stage missed and still not done


def _scan(code: PolicyCode, deadlines: Iterable[Clock], cid: str) -> _Scan:
    """One pass over the deadlines for ``_current``'s, ``timeline_facts``' and
    ``end_facts``' questions (the same answers as asking each in turn)."""
    found = _Scan()
    info = code.stage_info
    for d in deadlines:
        kind, missed = d.kind, d.state == MISSED
        if d.stage == cid:
            found.extended = found.extended or "extended" in d.flags
            if found.window is None and kind == "request_next_stage":
                found.window = d
            if missed and d.met_on is None:
                found.gone.add(kind)
        if not missed:
            continue
        if kind == "complaint_time_limit":
            found.limit_passed = True
        if kind in RESPONSE_KINDS and d.stage.startswith("stage"):
            found.delayed = True
            if d.met_on is not None:
                found.delayed_earlier = True
            elif d.stage in info:
                number, extendable = info[d.stage]
                found.serious |= number >= 2 and not (kind == "respond" and extendable)
    found.ack_overdue = "acknowledge" in found.gone
    return found


def _current(timeline: Timeline, stage: str, scan: _Scan) -> dict[str, Any]:
    """Facts about the current stage's own deadlines."""
    current = timeline.current
    latest = "respond_extended" if scan.extended else "respond"
    definition = current.stage if current else None
    window = scan.window
    return {
        "stage.number": definition.number if definition and stage.startswith("stage")
        else STAGE_NUMBER[stage],
        "stage.has_acknowledgement": bool(definition and definition.deadline("acknowledge")),
        "stage.acknowledged": bool(current and "acknowledged" in current.dates),
        "stage.acknowledgement_overdue": scan.ack_overdue,
        "stage.responded": bool(current and current.responded_on),
        "stage.response_overdue": latest in scan.gone or "final_response" in scan.gone,
        "stage.extended": scan.extended,
        "stage.is_final": bool(definition and definition.next_stage is None),
        "window.open": bool(window and window.state == PENDING),
        "window.passed": bool(window and _gone_by(window)),
        "window.late_rule": definition.window.late if definition and definition.window
        else "none",
    }


def timeline_facts(code: PolicyCode, timeline: Timeline, as_of: dt.date,
                   delay: tuple[int, int] | None = None) -> dict[str, Any]:
    """Facts about where the case stands, for the status/entitlement/Ombudsman rules;
    ``delay`` is ``complainant_delay`` of the timeline when the caller has it already."""
    policy = code.policy
    stage = current_stage(timeline, False)
    current = timeline.current
    scan = _scan(code, timeline.deadlines, current.id if current else "")
    final = next((p for p in timeline.stages if p.stage.next_stage is None), None)
    closed, still_open = delay or complainant_delay(timeline, as_of)
    return {
        "procedure": policy.id, "procedure.family": policy.family,
        "procedure.stage_count": len(policy.stages), "stage": stage,
        **_current(timeline, stage, scan),
        "stage.requested": max((p.stage.number for p in timeline.stages), default=1),
        "escalation.late": timeline.escalation_late,
        "local.complete": bool(final and final.responded_on),
        "local.delayed": scan.delayed,
        "local.delayed_earlier": scan.delayed_earlier,
        "local.seriously_delayed": scan.serious,
        "local.weeks_since_received": max((as_of - timeline.received).days // 7, 0),
        "local.weeks_with_body": max((as_of - timeline.received).days - closed - still_open,
                                     0) // 7,
        "time_limit.passed": scan.limit_passed,
        "withdrawn": timeline.withdrawn_on is not None,
        "resolved": timeline.resolved_on is not None,
        "deferred": timeline.deferred_on is not None,
        "excluded": False,
        "ombudsman.referred": timeline.referral is not None,
    }


class _Stopped(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def state(self) -> str: ...


class Ended(TimelineView, Protocol):
    """A case's timeline in either evaluation path, as ``end_facts`` reads it."""

    @property
    def deadlines(self) -> Sequence[_Stopped]: ...
    @property
    def withdrawn_on(self) -> dt.date | None: ...
    @property
    def resolved_on(self) -> dt.date | None: ...
    @property
    def deferred_on(self) -> dt.date | None: ...
    @property
    def referral(self) -> object | None: ...


def end_facts(timeline: Ended, as_of: dt.date, excluded: bool) -> dict[str, Any]:
    """How long the case has been with the body, and whether it has ended (both paths)."""
    return {
        "local.weeks_since_received": max((as_of - timeline.received).days // 7, 0),
        "local.weeks_with_body": weeks_with_body(timeline, as_of),
        "time_limit.passed": any(d.kind == "complaint_time_limit" and d.state == MISSED
                                 for d in timeline.deadlines),
        "withdrawn": timeline.withdrawn_on is not None,
        "resolved": timeline.resolved_on is not None,
        "deferred": timeline.deferred_on is not None,
        "excluded": excluded,
        "ombudsman.referred": timeline.referral is not None,
    }


__all__ = ["STAGE_NUMBER", "Ended", "case_facts", "current_stage", "end_facts", "seriously_delayed",
           "timeline_facts"]
