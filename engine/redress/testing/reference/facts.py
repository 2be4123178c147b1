"""Case and timeline → the flat facts the rules test.

Facts are named as in ``rules/facts.yaml`` and flattened to the keys the backends see (dots
become ``__``; a set fact becomes one boolean per allowed value).  Every catalogue fact is always
present, with its default when the case does not give it, so that a negated test means the same
in both rule backends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from redress.calendar import get_calendar
from redress.evaluation.deadlines import MISSED, PENDING, Deadline
from redress.evaluation.facts import current_stage, end_facts
from redress.policy.facts_catalog import FactCatalog
from redress.policy.model import Policy
from redress.testing.reference.case import Case, Organisation
from redress.testing.reference.timeline import Timeline

NATION_CALENDARS = {"england": "england-and-wales", "wales": "england-and-wales",
                    "scotland": "scotland", "northern_ireland": "northern-ireland"}
STAGE_NUMBER = {"intake": 0, "stage1": 1, "stage2": 2, "stage3": 3, "ombudsman": 9, "closed": 9}


def flatten(values: Mapping[str, Any], catalog: FactCatalog) -> dict[str, Any]:
    """Named fact values → flat backend keys, every catalogue fact present."""
    flat: dict[str, Any] = {}
    for name, spec in catalog.facts.items():
        value = values.get(name, spec.empty_value())
        if spec.type == "set":
            members = set(value or ())
            for member, key in spec.member_keys:
                flat[key] = member in members
        elif spec.type == "date":
            flat[spec.key] = value.toordinal() if isinstance(value, dt.date) else int(value or 0)
        elif spec.type == "boolean":
            flat[spec.key] = bool(value)
        elif spec.type == "number":
            flat[spec.key] = value if isinstance(value, int | float) else spec.empty_value()
        else:
            flat[spec.key] = "" if value is None else str(value)
    return flat


def _orgs(case: Case, attr: str) -> list[str]:
    return [v for v in (getattr(o, attr) for o in case.organisations) if v]


def receiving_organisation(case: Case) -> Organisation | None:
    """The organisation the complaint was made to: the first listed, or after forwarding the one
    it was sent to (SI 2009/309 reg 6(5)-(6): it is then deemed made to that body)."""
    orgs = case.organisations
    forwarded = case.of_type("forwarded")
    if forwarded and len(orgs) > 1 and forwarded[-1].body in {o.id for o in orgs}:
        return next(o for o in orgs if o.id != forwarded[-1].body)
    return orgs[0] if orgs else None


def _resolved_next_working_day(case: Case) -> bool:
    resolved = list(case.of_type("resolved"))
    if not resolved:
        return False
    calendar = get_calendar(NATION_CALENDARS[case.nation])
    return resolved[0].date <= calendar.next_working_day(case.received)


def _consent(case: Case, scope: str, written_only: bool) -> bool:
    return any(e.scope == scope and (e.written or not written_only)
               for e in case.of_type("consent_given"))


def case_values(case: Case) -> dict[str, Any]:
    """The facts that come straight from the case (enough for routing)."""
    # How the complaint was made is the channel; a contradicting ``orally`` is a case error.
    made_orally = case.channel == "oral"
    made_to = receiving_organisation(case)
    return {
        "nation": case.nation,
        "service": case.service,
        "complainant.role": case.complainant.get("role", ""),
        "complainant.age": case.complainant.get("age", -1),
        "complainant.needs_help": case.complainant.get("needs_help", False),
        "complainant.acts_for": case.complainant.get("acts_for", "self"),
        "subject.age": case.subject.get("age", case.complainant.get("age", -1)),
        "subject.status": case.subject.get("status", ()),
        "organisations.kinds": [o.kind for o in case.organisations],
        "organisations.count": len(case.organisations),
        "funding": _orgs(case, "funding"),
        "partnership": _orgs(case, "partnership"),
        "matter.topics": case.matter.get("topics", ()),
        "matter.proceedings": case.matter.get("proceedings", ()),
        "complaint.made_orally": made_orally,
        "complaint.resolved_next_working_day": made_orally and _resolved_next_working_day(case),
        "complaint.by_responsible_body": case.matter.get("by_responsible_body", False),
        "complaint.previously_investigated": case.matter.get("previously_investigated", False),
        "complaint.ombudsman_investigating": case.matter.get("ombudsman_investigating", False),
        "complaint.forwarded": bool(case.of_type("forwarded")),
        "complaint.made_to": made_to.kind if made_to else "",
        "complaint.received": case.received,
        "consent.share_information": _consent(case, "information_sharing", False),
        "consent.joint_investigation": _consent(case, "joint_investigation", True),
        "joint.entwined": case.matter.get("entwined", False),
        "local.escalation_refused": bool(case.of_type("escalation_refused")),
    }


def _missing_before(timeline: Timeline, stage: str, kinds: Iterable[str]) -> bool:
    return any(d.stage == stage and d.kind in kinds and d.state == MISSED and d.met_on is None
               for d in timeline.deadlines)


def timeline_values(case: Case, policy: Policy, timeline: Timeline, as_of: dt.date,
                    excluded: bool) -> dict[str, Any]:
    """Facts about where the case stands, for the status/entitlement/Ombudsman rules."""
    stage = current_stage(timeline, excluded)
    current = timeline.current
    cid = current.id if current else ""
    window = timeline.deadline(cid, "request_next_stage")
    # Extended only by an extension (or agreed period) made in time: the base deadline is then
    # superseded, and the latest permitted date is the extended one.
    extended = any(d.stage == cid and "extended" in d.flags for d in timeline.deadlines)
    latest = "respond_extended" if extended else "respond"
    final = [p for p in timeline.stages if p.stage.next_stage is None]
    by_stage = [d for d in timeline.deadlines if d.stage.startswith("stage")]
    return {
        "procedure": policy.id,
        "procedure.family": policy.family,
        "procedure.stage_count": len(policy.stages),
        "stage": stage,
        "stage.number": current.stage.number if current and stage.startswith("stage")
        else STAGE_NUMBER[stage],
        "stage.requested": max((p.stage.number for p in timeline.stages), default=1),
        "stage.has_acknowledgement": bool(current and current.stage.deadline("acknowledge")),
        "stage.acknowledged": bool(current and "acknowledged" in current.dates),
        "stage.acknowledgement_overdue": _missing_before(timeline, cid, ("acknowledge",)),
        "stage.responded": bool(current and current.responded_on),
        "stage.response_overdue": _missing_before(timeline, cid, (latest, "final_response")),
        "stage.extended": extended,
        "stage.is_final": bool(current and current.stage.next_stage is None),
        "window.open": bool(window and window.state == PENDING),
        "window.passed": bool(window and window.state == MISSED and window.met_on is None),
        "window.late_rule": current.stage.window.late if current and current.stage.window
        else "none",
        "escalation.late": timeline.escalation_late,
        "local.complete": bool(final and final[0].responded_on),
        "local.delayed": any(_late(d) for d in by_stage),
        "local.delayed_earlier": any(_late(d) and d.met_on is not None for d in by_stage),
        "local.seriously_delayed": seriously_delayed(policy, by_stage),
        **end_facts(timeline, as_of, excluded),
    }


def _late(deadline: Deadline) -> bool:
    """A response-type deadline the body missed (not one superseded by an extension)."""
    return (deadline.kind in ("respond", "respond_extended", "panel_meeting", "final_response")
            and deadline.state == MISSED)


def seriously_delayed(policy: Policy, deadlines: Iterable[Deadline]) -> bool:
    """A stage after the first is past its latest permitted date (its maximum, if extendable)
    and still waiting for the body.

    Where a stage has an extended deadline, only that one counts: missing the base period of an
    extendable stage is not yet beyond the statutory maximum.  A late step the body has since
    taken is history (``local.delayed_earlier``), not a delay the Ombudsman steps in to end.
    """
    for deadline in deadlines:
        stage = policy.stage(deadline.stage) if deadline.stage.startswith("stage") else None
        if stage is None or stage.number < 2 or not _late(deadline) or deadline.met_on:
            continue
        extendable = any(r.is_extension for r in stage.deadlines)
        if deadline.kind == "respond" and extendable:
            continue
        return True
    return False
