"""The result of evaluating a case: typed, frozen, and JSON-serialisable with ``to_dict``.

``to_dict()`` output is described field by field by ``schemas/result.schema.json``; that schema
is the stable contract for calling systems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redress.evaluation.case_record import CaseRecord
from redress.evaluation.deadlines import Deadline, Flag
from redress.evaluation.status import STATUS_LABELS as STATUS_LABELS
from redress.policy.model import Citation


@dataclass(frozen=True)
class ProcedureRef:
    id: str
    title: str
    version: str
    effective_from: str
    family: str
    kind: str
    citation: Citation | None


@dataclass(frozen=True)
class NoProcedure:
    """Why no procedure applies, and where the matter goes instead."""

    why: str          # excluded | deferred | not_covered | other_body | no_version
    reason: str
    goes_to: str | None
    citation: Citation | None


@dataclass(frozen=True)
class EntitlementResult:
    id: str
    title: str
    reason: str
    stages: tuple[str, ...]
    citation: Citation
    note: str | None = None


@dataclass(frozen=True)
class OmbudsmanDecision:
    body: str
    title: str
    ready: bool
    reason: str
    time_limit: Deadline | None
    citation: Citation | None
    # When the Ombudsman's reasonable-opportunity period ends (also listed in the deadlines).
    premature_until: Deadline | None = None


@dataclass(frozen=True)
class Routing:
    handled_by: str | None
    lead_body: str | None
    co_operating_bodies: tuple[str, ...]
    next_step: str
    ombudsman: OmbudsmanDecision | None
    redirected_from: Mapping[str, Any] | None
    partnership: Mapping[str, Any] | None


@dataclass(frozen=True)
class TraceStep:
    rule: str
    ruleset: str
    description: str
    conclusion: Mapping[str, Any]
    facts: Mapping[str, Any]
    citation: Citation | None
    applied: bool = True   # False: fired, but a higher-priority rule of its ruleset decided


@dataclass(frozen=True)
class Audit:
    engine_version: str
    policy_set_hash: str
    calendar_data_version: str
    evaluated_as_of: dt.date
    backend: str
    # Local policies (--policies) that were loaded but not used for this case, so a copy that
    # nothing routes to does not go unnoticed.
    unused_local_policies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """What Redress concludes about one case, as of an evaluation date.

    ``procedure`` (or ``no_procedure`` with the reason and where the matter goes instead),
    ``stage`` and ``status``; every ``deadline`` with its basis, state and citation;
    ``entitlements``; ``routing`` (who handles it, lead and co-operating bodies, the next step
    and the Ombudsman); ``flags`` (ambiguities with both readings, discretion points, warnings);
    the ``trace`` of every rule that fired; and an ``audit`` stamp.  ``to_dict()`` gives the
    JSON form described by ``schemas/result.schema.json``; ``explain()`` gives plain English.
    """

    case_id: str
    procedure: ProcedureRef | None
    no_procedure: NoProcedure | None
    stage: str
    status: str
    status_reason: str
    deadlines: tuple[Deadline, ...]
    entitlements: tuple[EntitlementResult, ...]
    routing: Routing
    flags: tuple[Flag, ...]
    trace: tuple[TraceStep, ...]
    audit: Audit
    warnings: tuple[str, ...] = ()
    # What an annual report counts: kind of record, decision, remedies, Ombudsman, cost.
    record: CaseRecord | None = None

    def deadline(self, stage: str, kind: str) -> Deadline | None:
        """The deadline of ``kind`` at ``stage`` (``"stage2"``, ``"respond"``), or ``None``."""
        return next((d for d in self.deadlines if d.stage == stage and d.kind == kind), None)

    def has_entitlement(self, ent_id: str) -> bool:
        """Whether the complainant has the entitlement with this id (e.g. ``advocacy``)."""
        return any(e.id == ent_id for e in self.entitlements)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-compatible data (see ``schemas/result.schema.json``)."""
        return _result_dict(self)

    def explain(self) -> str:
        """A plain-English account a complaints officer could paste into a letter."""
        from redress.evaluation.explain import explain

        return explain(self)


def _cite(c: Citation | None) -> dict[str, str] | None:
    return c.to_dict() if c else None


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def deadline_dict(d: Deadline) -> dict[str, Any]:
    return {
        "stage": d.stage, "kind": d.kind, "title": d.title, "due": d.due.isoformat(),
        "anchor": {"event": d.anchor, "date": d.anchor_date.isoformat()},
        "basis": d.basis, "state": d.state, "met_on": _date(d.met_on),
        "working_days_remaining": d.working_days_remaining, "provisional": d.provisional,
        "citation": _cite(d.citation), "note": d.note, "flags": list(d.flags),
    }


def flag_dict(f: Flag) -> dict[str, Any]:
    return {
        "id": f.id, "kind": f.kind, "message": f.message, "stage": f.stage,
        "readings": [{"id": r.id, "description": r.description, "default": r.default,
                      "dates": dict(r.dates)} for r in f.readings],
        "citation": _cite(f.citation),
    }


def _result_dict(r: Result) -> dict[str, Any]:
    proc = r.procedure
    omb = r.routing.ombudsman
    return {
        "case_id": r.case_id,
        "procedure": None if proc is None else {
            "id": proc.id, "title": proc.title, "version": proc.version,
            "effective_from": proc.effective_from, "family": proc.family, "kind": proc.kind,
            "citation": _cite(proc.citation)},
        "no_procedure": None if r.no_procedure is None else {
            "why": r.no_procedure.why, "reason": r.no_procedure.reason,
            "goes_to": r.no_procedure.goes_to, "citation": _cite(r.no_procedure.citation)},
        "stage": r.stage,
        "status": r.status,
        "status_label": STATUS_LABELS.get(r.status, r.status),
        "status_reason": r.status_reason,
        "deadlines": [deadline_dict(d) for d in r.deadlines],
        "entitlements": [{"id": e.id, "title": e.title, "reason": e.reason,
                          "stages": list(e.stages), "citation": _cite(e.citation),
                          "note": e.note}
                         for e in r.entitlements],
        "routing": {
            "handled_by": r.routing.handled_by,
            "lead_body": r.routing.lead_body,
            "co_operating_bodies": list(r.routing.co_operating_bodies),
            "next_step": r.routing.next_step,
            "ombudsman": None if omb is None else {
                "body": omb.body, "title": omb.title, "ready": omb.ready, "reason": omb.reason,
                "time_limit": deadline_dict(omb.time_limit) if omb.time_limit else None,
                "citation": _cite(omb.citation)},
            "redirected_from": dict(r.routing.redirected_from) if r.routing.redirected_from
            else None,
            "partnership": dict(r.routing.partnership) if r.routing.partnership else None,
        },
        "flags": [flag_dict(f) for f in r.flags],
        "trace": [{"rule": t.rule, "ruleset": t.ruleset, "description": t.description,
                   "conclusion": dict(t.conclusion), "facts": dict(t.facts),
                   "citation": _cite(t.citation), "applied": t.applied} for t in r.trace],
        "warnings": list(r.warnings),
        "audit": {"engine_version": r.audit.engine_version,
                  "policy_set_hash": r.audit.policy_set_hash,
                  "calendar_data_version": r.audit.calendar_data_version,
                  "evaluated_as_of": r.audit.evaluated_as_of.isoformat(),
                  "backend": r.audit.backend,
                  "unused_local_policies": list(r.audit.unused_local_policies)},
        "record": r.record.to_dict() if r.record else None,
    }
