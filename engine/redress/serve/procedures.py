"""The procedures the service knows, as JSON: a list, and one policy version in force on a date.

Every stage, deadline, window, time limit, entitlement, exclusion, deferral and Ombudsman route
carries its citation, so a calling system can show the law beside each timescale.  Only the
compiled policy (``redress.policy.model.Policy``) is read; nothing here evaluates a case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from redress.calendar.periods import Period
from redress.policy.library import Library, PolicyEntry
from redress.policy.model import (
    Citation,
    DeadlineRule,
    Limb,
    OmbudsmanRoute,
    Policy,
    Stage,
    TimeLimit,
    Window,
)


def procedure_list(library: Library) -> list[dict[str, Any]]:
    """Every procedure with its kind, family and versions, sorted by id."""
    return [_summary(entry) for _, entry in sorted(library.policies.items())]


def _summary(entry: PolicyEntry) -> dict[str, Any]:
    versions = [{"id": str(v.get("id", v["effective_from"])),
                 "effective_from": str(v["effective_from"]),
                 "effective_to": None if v.get("effective_to") is None else str(v["effective_to"])}
                for v, _ in entry.versions]
    latest = entry.versions[-1][1] if entry.versions else {}
    return {"id": entry.id, "title": str(latest.get("title", entry.id)), "kind": entry.kind,
            "family": entry.family, "extends": entry.extends,
            "organisations": list(entry.organisations), "versions": versions}


def policy_in_force(library: Library, policy_id: str, day: dt.date) -> Policy | None:
    """The version of ``policy_id`` in force at the start of ``day``."""
    return library.policy_at(policy_id, dt.datetime.combine(day, dt.time.min))


def procedure_detail(policy: Policy, day: dt.date) -> dict[str, Any]:
    """One policy version as JSON, every rule with its citation."""
    return {
        "id": policy.id, "title": policy.title, "kind": policy.kind, "family": policy.family,
        "nation": policy.nation, "calendar": policy.calendar, "in_force_on": day.isoformat(),
        "version": {"id": policy.version.id,
                    "effective_from": policy.version.effective_from.isoformat(),
                    "effective_to": _iso(policy.version.effective_to),
                    "summary": policy.version.summary},
        "citation": _cite(policy.citation),
        "receipt": {"rule": policy.receipt_rule, "citation": _cite(policy.receipt_citation)},
        "time_limit": _time_limit(policy.time_limit),
        "stages": [_stage(s) for s in policy.stages],
        "entitlements": [{"id": e.id, "title": e.title, "description": e.description,
                          "stages": list(e.stages), "citation": _cite(e.citation),
                          "note": e.note} for e in policy.entitlements],
        "exclusions": [{"id": x.id, "title": x.title, "topics": list(x.topics),
                        "goes_to": x.goes_to, "reason": x.reason, "citation": _cite(x.citation),
                        "note": x.note} for x in policy.exclusions],
        "deferrals": [{"id": d.id, "title": d.title, "proceedings": list(d.proceedings),
                       "effect": d.effect, "reason": d.reason, "citation": _cite(d.citation),
                       "note": d.note} for d in policy.deferrals],
        "ombudsman": _route(policy.ombudsman),
        "other_routes": [_route(r) for r in policy.other_routes],
        "ambiguities": [{"id": a.id, "title": a.title, "description": a.description,
                         "default": a.default, "why_default": a.why_default,
                         "readings": [{"id": r.id, "description": r.description}
                                      for r in a.readings],
                         "citation": _cite(a.citation)} for a in policy.ambiguities],
    }


def _stage(stage: Stage) -> dict[str, Any]:
    return {"id": stage.id, "number": stage.number, "title": stage.title,
            "handled_by": stage.handled_by, "next_stage": stage.next_stage,
            "citation": _cite(stage.citation), "note": stage.note,
            "deadlines": [_deadline(d) for d in stage.deadlines],
            "window": _window(stage.window)}


def _deadline(rule: DeadlineRule) -> dict[str, Any]:
    return {"kind": rule.kind, "title": rule.title, "period": _period(rule.period),
            "agreed_period": rule.agreed_period, "anchor": rule.anchor,
            "anchor_deadline": rule.anchor_deadline, "counting": rule.counting,
            "calendar": rule.calendar, "extension": rule.is_extension,
            "citation": _cite(rule.citation), "note": rule.note}


def _window(window: Window | None) -> dict[str, Any] | None:
    if window is None:
        return None
    return {"title": window.title, "period": _period(window.period), "anchor": window.anchor,
            "counting": window.counting, "late": window.late, "calendar": window.calendar,
            "or_later": _limb(window.or_later), "citation": _cite(window.citation),
            "note": window.note}


def _time_limit(limit: TimeLimit | None) -> dict[str, Any] | None:
    if limit is None:
        return None
    return {"period": _period(limit.period), "anchor": limit.anchor, "counting": limit.counting,
            "late": limit.late, "discretion": limit.discretion,
            "outer_limit": _limb(limit.outer_limit), "citation": _cite(limit.citation),
            "note": limit.note}


def _limb(limb: Limb | None) -> dict[str, Any] | None:
    if limb is None:
        return None
    return {"period": _period(limb.period), "anchor": limb.anchor, "counting": limb.counting,
            "citation": _cite(limb.citation), "note": limb.note}


def _route(route: OmbudsmanRoute | None) -> dict[str, Any] | None:
    if route is None:
        return None
    return {"body": route.body, "title": route.title, "premature": route.premature,
            "time_limit": _time_limit(route.time_limit), "citation": _cite(route.citation),
            "note": route.note}


def _period(period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {"unit": period.unit, "amount": period.amount, "text": period.describe()}


def _cite(citation: Citation | None) -> dict[str, str] | None:
    return citation.to_dict() if citation else None


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


__all__ = ["policy_in_force", "procedure_detail", "procedure_list"]
