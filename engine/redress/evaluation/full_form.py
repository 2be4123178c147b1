"""The full result form of the compiled path, written straight from its conclusion.

``full_dict`` (``result``) writes the full form from a result's typed parts (``Deadline``,
``Flag``, ``TraceStep``, ``CaseRecord``); a compiled result would build every one of them only
to read them back.  :func:`full_conclusion` writes the same dict, member by member and in the
same order, from the plain values of the conclusion, with each deadline's basis and each flag's
message written once.  Every dict and list in it is new, so a caller may change it freely
(``tests/unit/test_compiled_forms.py``); the differential tests check it equals the reference
path's ``full_dict`` and, to the byte, release 1.0.0's output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from redress.__about__ import SCHEMA_VERSION
from redress.evaluation.clock import Clock
from redress.evaluation.conclusion import Conclusion, EntitledRec, Fired, OmbudsmanRec, RoutingRec
from redress.evaluation.flag_values import FlagRec
from redress.evaluation.programs import SINGLE_DECISION
from redress.evaluation.readiness import reason_with_date
from redress.evaluation.result_types import Audit, NoProcedure, ProcedureRef
from redress.evaluation.status import STATUS_LABELS
from redress.policy.facts_catalog import FactCatalog
from redress.policy.model import Citation

Basis = Callable[[Clock], str]


# Values that are written as they are: no copy, no conversion (most values of a result).
ATOMS = frozenset({str, int, bool, float, type(None)})


def fresh(value: Any) -> Any:
    """A JSON value with every dict and list in it new (a policy's own, such as a rule's
    conclusion or a partnership, is shared by every result: the caller gets a copy)."""
    if isinstance(value, dict):
        return {k: v if v.__class__ in ATOMS else fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if v.__class__ in ATOMS else fresh(v) for v in value]
    return value


def fresh_mapping(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v if v.__class__ in ATOMS else fresh(v) for k, v in mapping.items()}


def cite(citation: Citation | None) -> dict[str, str] | None:
    return citation.to_dict() if citation is not None else None


def clock_dict(k: Clock, basis: Basis) -> dict[str, Any]:
    """``deadline_dict(k.deadline())``, without the ``Deadline``."""
    met_on = k.met_on
    return {
        "stage": k.stage, "kind": k.kind, "title": k.title, "due": k.due.isoformat(),
        "anchor": {"event": k.anchor, "date": k.anchor_date.isoformat()},
        "basis": basis(k), "state": k.state,
        "met_on": met_on.isoformat() if met_on is not None else None,
        "working_days_remaining": k.working_days_remaining, "provisional": k.provisional,
        "citation": k.citation.to_dict(), "note": k.note, "flags": list(k.flags),
    }


def ombudsman_reason(omb: OmbudsmanRec) -> str:
    rule = omb.rule
    if rule is None:
        return ""
    return reason_with_date(str(rule.then.get("reason", rule.description)), omb.premature_until)


def _flag_dict(f: FlagRec) -> dict[str, Any]:
    return {"id": f.id, "kind": f.kind, "message": f.message(), "stage": f.stage,
            "readings": [{"id": r.id, "description": r.description, "default": r.default,
                          "dates": dict(r.dates)} for r in f.readings],
            "citation": cite(f.citation)}


def _entitlement_dict(e: EntitledRec) -> dict[str, Any]:
    spec, rule = e.spec, e.rule
    return {"id": e.id, "title": spec.title,
            "reason": str(rule.then.get("reason", rule.description)),
            "stages": list(spec.stages), "citation": cite(spec.citation), "note": spec.note}


def _routing_dict(r: RoutingRec, basis: Basis) -> dict[str, Any]:
    omb, red = r.ombudsman, r.redirected_from
    return {
        "handled_by": r.handled_by, "lead_body": r.lead_body,
        "co_operating_bodies": list(r.co_operating_bodies), "next_step": r.next_step,
        "ombudsman": None if omb is None else {
            "body": omb.body, "title": omb.title, "ready": omb.ready,
            "reason": ombudsman_reason(omb),
            "time_limit": clock_dict(omb.time_limit, basis) if omb.time_limit else None,
            "citation": cite(omb.citation)},
        "redirected_from": fresh_mapping(red) if red else None,
        "partnership": fresh_mapping(r.partnership) if r.partnership else None,
    }


def _fact_shown(value: Any) -> Any:
    """A fact's value as the trace shows it (``trace.shown`` once the default is applied)."""
    if value.__class__ in ATOMS:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set):
        return sorted(value)
    if isinstance(value, list | dict):
        return value.copy()  # a catalogue default: the caller gets its own
    return value


def trace_dicts(fired: Fired, catalog: FactCatalog) -> list[dict[str, Any]]:
    """The trace steps of one firing as the full form writes them."""
    decided: set[str] = set()
    values, spec_of = fired.values, catalog.get
    steps = []
    for rule in fired.rules:
        ruleset = rule.ruleset
        applied = not (ruleset in SINGLE_DECISION and ruleset in decided)
        decided.add(ruleset)
        facts = {}
        for name in rule.facts_read:
            value = values.get(name)
            if value is None and (spec := spec_of(name)) is not None:
                value = spec.empty_value()
            facts[name] = value if value.__class__ in ATOMS else _fact_shown(value)
        steps.append({"rule": rule.id, "ruleset": ruleset, "description": rule.description,
                      "conclusion": fresh_mapping(rule.then), "facts": facts,
                      "citation": rule.citation.to_dict() if rule.citation else None,
                      "applied": applied})
    return steps


def audit_dict(audit: Audit) -> dict[str, Any]:
    return {"engine_version": audit.engine_version, "policy_set_hash": audit.policy_set_hash,
            "calendar_data_version": audit.calendar_data_version,
            "evaluated_as_of": audit.evaluated_as_of.isoformat(), "backend": audit.backend,
            "unused_local_policies": list(audit.unused_local_policies)}


def procedure_dict(proc: ProcedureRef | None) -> dict[str, Any] | None:
    return None if proc is None else {
        "id": proc.id, "title": proc.title, "version": proc.version,
        "effective_from": proc.effective_from, "family": proc.family, "kind": proc.kind,
        "citation": cite(proc.citation)}


def none_dict(none: NoProcedure | None) -> dict[str, Any] | None:
    return None if none is None else {"why": none.why, "reason": none.reason,
                                      "goes_to": none.goes_to, "citation": cite(none.citation)}


def full_conclusion(c: Conclusion, procedure: ProcedureRef | None, audit: Audit,
                    catalog: FactCatalog, basis: Basis,
                    record: dict[str, Any] | None) -> dict[str, Any]:
    """The full form of a compiled result (``full_dict`` of its typed parts)."""
    status = c.status
    return {
        "form": "full", "schema_version": SCHEMA_VERSION, "case_id": c.case.id,
        "procedure": procedure_dict(procedure), "no_procedure": none_dict(c.no_procedure),
        "stage": c.stage, "status": status,
        "status_label": STATUS_LABELS.get(status, status), "status_reason": c.status_reason,
        "deadlines": [clock_dict(k, basis) for k in c.deadlines],
        "entitlements": [_entitlement_dict(e) for e in c.entitlements],
        "routing": _routing_dict(c.routing, basis),
        "flags": [_flag_dict(f) for f in c.flags],
        "trace": [step for fired in c.fired for step in trace_dicts(fired, catalog)],
        "warnings": list(c.warnings),
        "audit": audit_dict(audit),
        "record": record,
    }


__all__ = ["audit_dict", "cite", "clock_dict", "fresh", "fresh_mapping", "full_conclusion", "none_dict",
           "ombudsman_reason", "procedure_dict", "trace_dicts"]
