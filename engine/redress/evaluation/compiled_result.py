"""A result of the compiled path: the conclusion now, the words when they are read.

:class:`CompiledResult` is a ``Result`` whose full parts (``Deadline`` objects with their bases,
flags with their messages, the trace, the record) are built from the :class:`Conclusion` the
first time they are read (``to_dict()``, ``explain()``, or an attribute), identical to what the
reference path builds as it goes.  ``to_dict(form="lean")`` is written straight from the
conclusion, without building any of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import fields
from functools import cached_property
from typing import Any

from redress.__about__ import SCHEMA_VERSION
from redress.evaluation.clock import Clock
from redress.evaluation.conclusion import Conclusion, EntitledRec, Fired, RoutingRec
from redress.evaluation.deadlines import Deadline, Flag
from redress.evaluation.flag_values import FlagRec
from redress.evaluation.frozen import made
from redress.evaluation.full_form import audit_dict, fresh_mapping, full_conclusion, ombudsman_reason
from redress.evaluation.programs import SINGLE_DECISION
from redress.evaluation.record import case_record, record_dict
from redress.evaluation.record_types import CaseRecord
from redress.evaluation.result import Result
from redress.evaluation.result_types import (
    Audit,
    EntitlementResult,
    NoProcedure,
    OmbudsmanDecision,
    ProcedureRef,
    Routing,
    TraceStep,
)
from redress.evaluation.status import STATUS_LABELS
from redress.evaluation.trace import shown
from redress.policy.facts_catalog import FactCatalog
from redress.policy.model import Citation, Policy

AuditOf = Callable[[str | None, dt.date], Audit]


def procedure_ref(policy: Policy) -> ProcedureRef:
    first = policy.stages[0].citation if policy.stages else None
    return ProcedureRef(id=policy.id, title=policy.title, version=policy.version.id,
                        effective_from=policy.version.effective_from.date().isoformat(),
                        family=policy.family, kind=policy.kind,
                        citation=policy.citation or first)


class CompiledResult(Result):
    """A ``Result`` built from a compiled conclusion, its full parts on first reading."""

    _conclusion: Conclusion
    _catalog: FactCatalog
    _recorded: dt.date | None

    def __new__(cls, *args: Any, **fields: Any) -> CompiledResult:
        if "case_id" in fields:
            # ``dataclasses.replace(result, ...)`` passes every field: as for any ``Result``,
            # a plain ``Result`` with the changes (the rest read from this one's full parts).
            return Result(**fields)  # type: ignore[return-value]
        return super().__new__(cls)

    def __init__(self, conclusion: Conclusion, audit: Audit, catalog: FactCatalog,
                 recorded: dt.date | None, procedure: ProcedureRef | None) -> None:
        # A frozen dataclass: its fields are set once, here, straight into the instance.
        self.__dict__.update(
            _conclusion=conclusion, _catalog=catalog, _recorded=recorded,
            case_id=conclusion.case.id, procedure=procedure,
            no_procedure=conclusion.no_procedure, stage=conclusion.stage,
            status=conclusion.status, status_reason=conclusion.status_reason, audit=audit,
            warnings=conclusion.warnings)

    def __reduce__(self) -> tuple[Any, ...]:
        """A pickle (or copy) of this result is a plain ``Result`` with the same parts, built
        now: the conclusion holds the decoded case, whose struct class is made at run time and
        cannot be pickled.  Its ``to_dict()`` forms and ``explain()`` are the same."""
        return (_plain_result, ({f.name: getattr(self, f.name) for f in fields(Result)},))

    def _basis(self, clock: Clock) -> str:
        """A clock's basis, written once for the result (the full form, the deadlines and the
        explanation all read it; the Ombudsman's time limit appears twice)."""
        bases: dict[int, tuple[Clock, str]] = self.__dict__.setdefault("_bases", {})
        found = bases.get(id(clock))
        if found is None or found[0] is not clock:  # a copied or unpickled result's ids differ
            found = bases[id(clock)] = (clock, clock.basis())
        return found[1]

    @cached_property
    def _deadlines(self) -> dict[int, Deadline]:
        """Each clock's deadline, once (the Ombudsman's time limit appears twice)."""
        c = self._conclusion
        omb = c.routing.ombudsman
        clocks = [*c.deadlines, *((omb.time_limit, omb.premature_until) if omb else ())]
        return {id(k): made(Deadline, {
            "stage": k.stage, "kind": k.kind, "title": k.title, "due": k.due,
            "anchor": k.anchor, "anchor_date": k.anchor_date, "basis": self._basis(k),
            "state": k.state, "met_on": k.met_on,
            "working_days_remaining": k.working_days_remaining, "citation": k.citation,
            "flags": k.flags, "provisional": k.provisional, "note": k.note})
            for k in clocks if k is not None}

    def _deadline(self, clock: Clock | None) -> Deadline | None:
        return self._deadlines[id(clock)] if clock is not None else None

    @cached_property
    def deadlines(self) -> tuple[Deadline, ...]:
        return tuple(self._deadlines[id(k)] for k in self._conclusion.deadlines)

    @cached_property
    def entitlements(self) -> tuple[EntitlementResult, ...]:
        return tuple(EntitlementResult(e.id, e.spec.title,
                                       str(e.rule.then.get("reason", e.rule.description)),
                                       e.spec.stages, e.spec.citation, e.spec.note)
                     for e in self._conclusion.entitlements)

    @cached_property
    def routing(self) -> Routing:
        r = self._conclusion.routing
        omb = r.ombudsman
        decision = None if omb is None else OmbudsmanDecision(
            omb.body, omb.title, omb.ready, ombudsman_reason(omb), self._deadline(omb.time_limit),
            omb.citation, self._deadline(omb.premature_until))
        return Routing(r.handled_by, r.lead_body, r.co_operating_bodies, r.next_step, decision,
                       r.redirected_from, r.partnership)

    @cached_property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(f.flag() for f in self._conclusion.flags)

    @cached_property
    def trace(self) -> tuple[TraceStep, ...]:
        return tuple(step for fired in self._conclusion.fired
                     for step in trace_steps(fired, self._catalog))

    @cached_property
    def record(self) -> CaseRecord:
        c = self._conclusion
        return case_record(c.case, c.as_of, self._recorded)

    def _full_dict(self) -> dict[str, Any]:
        c = self._conclusion
        return full_conclusion(c, self.procedure, self.audit, self._catalog, self._basis,
                               record_dict(c.case, c.as_of, self._recorded))

    def lean_dict(self, with_citations: bool = True) -> dict[str, Any]:
        table: dict[str, Citation] = {}
        out = lean_conclusion(self, table)
        if with_citations:
            out["citations"] = {k: table[k].to_dict() for k in sorted(table)}
        return out


def _plain_result(parts: dict[str, Any]) -> Result:
    return Result(**parts)


def trace_steps(fired: Fired, catalog: FactCatalog) -> list[TraceStep]:
    decided: set[str] = set()
    steps = []
    for rule in fired.rules:
        single = rule.ruleset in SINGLE_DECISION
        applied = not (single and rule.ruleset in decided)
        decided.add(rule.ruleset)
        steps.append(made(TraceStep, {
            "rule": rule.id, "ruleset": rule.ruleset, "description": rule.description,
            "conclusion": dict(rule.then),
            "facts": {name: shown(fired.values, name, catalog) for name in rule.facts_read},
            "citation": rule.citation, "applied": applied}))
    return steps


# -- the lean form, written from the conclusion ---------------------------------------------------


def _cite(citation: Citation | None, table: dict[str, Citation]) -> str | None:
    if citation is None:
        return None
    found = citation.id
    table[found] = citation
    return found


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def lean_clock(d: Clock, table: dict[str, Citation]) -> dict[str, Any]:
    citation, met_on = d.citation, d.met_on
    found = citation.id  # a clock always has its citation
    table[found] = citation
    return {"stage": d.stage, "kind": d.kind, "title": d.title, "due": d.due.isoformat(),
            "anchor": {"event": d.anchor, "date": d.anchor_date.isoformat()}, "state": d.state,
            "met_on": met_on.isoformat() if met_on is not None else None,
            "working_days_remaining": d.working_days_remaining,
            "provisional": d.provisional, "citation_id": found, "flags": list(d.flags)}


def _lean_flag(f: FlagRec, table: dict[str, Citation]) -> dict[str, Any]:
    readings = f.readings
    # (A comprehension is a call of its own: most flags have no readings.)
    return {"id": f.id, "kind": f.kind, "stage": f.stage,
            "readings": [{"id": r.id, "default": r.default, "dates": dict(r.dates)}
                         for r in readings] if readings else [],
            "citation_id": _cite(f.citation, table)}


def _lean_routing(r: RoutingRec, table: dict[str, Citation]) -> dict[str, Any]:
    omb, red = r.ombudsman, r.redirected_from
    return {
        "handled_by": r.handled_by, "lead_body": r.lead_body,
        "co_operating_bodies": list(r.co_operating_bodies), "next_step": r.next_step,
        "ombudsman": None if omb is None else {
            "body": omb.body, "title": omb.title, "ready": omb.ready,
            "time_limit": lean_clock(omb.time_limit, table) if omb.time_limit else None,
            "citation_id": _cite(omb.citation, table)},
        "redirected_from": None if red is None else _lean_redirect(red, table),
        "partnership": fresh_mapping(r.partnership) if r.partnership else None,
    }


def _lean_redirect(red: Mapping[str, Any], table: dict[str, Citation]) -> dict[str, Any]:
    cite = red["citation"]
    citation = Citation(cite["instrument"], cite["short"], cite["provision"], cite["url"])
    return {"procedure": red["procedure"], "family": red["family"],
            "exclusion": red["exclusion"], "citation_id": _cite(citation, table)}


def _lean_entitlement(e: EntitledRec, table: dict[str, Citation]) -> dict[str, Any]:
    return {"id": e.id, "title": e.spec.title, "stages": list(e.spec.stages),
            "citation_id": _cite(e.spec.citation, table)}


def lean_conclusion(result: CompiledResult, table: dict[str, Citation]) -> dict[str, Any]:
    c = result._conclusion
    proc, none = result.procedure, c.no_procedure
    return {
        "form": "lean", "schema_version": SCHEMA_VERSION, "case_id": c.case.id,
        "procedure": None if proc is None else _lean_procedure(proc, table),
        "no_procedure": None if none is None else _lean_none(none, table),
        "stage": c.stage, "status": c.status,
        "status_label": STATUS_LABELS.get(c.status, c.status),
        "deadlines": [lean_clock(d, table) for d in c.deadlines],
        "entitlements": [_lean_entitlement(e, table) for e in c.entitlements]
        if c.entitlements else [],
        "routing": _lean_routing(c.routing, table),
        "flags": [_lean_flag(f, table) for f in c.flags],
        "warnings": list(c.warnings), "audit": audit_dict(result.audit),
        "record": record_dict(c.case, c.as_of, result._recorded),
    }


def _lean_procedure(proc: ProcedureRef, table: dict[str, Citation]) -> dict[str, Any]:
    return {"id": proc.id, "title": proc.title, "version": proc.version,
            "effective_from": proc.effective_from, "family": proc.family, "kind": proc.kind,
            "citation_id": _cite(proc.citation, table)}


def _lean_none(none: NoProcedure, table: dict[str, Citation]) -> dict[str, Any]:
    return {"why": none.why, "goes_to": none.goes_to, "citation_id": _cite(none.citation, table)}


__all__ = ["CompiledResult", "lean_clock", "procedure_ref", "trace_steps"]
