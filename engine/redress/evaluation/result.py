"""The result of evaluating a case: typed, frozen, and JSON-serialisable with ``to_dict``.

``to_dict()`` gives the full form, ``to_dict(form="lean")`` the lean one; both are described
field by field by ``schemas/result.schema.json``, the stable contract for calling systems
(``CHANGELOG.md``, "Versions and compatibility").  A result of the compiled path
(``compiled_result``) builds the parts of the full form only when they are read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from redress.__about__ import SCHEMA_VERSION
from redress.evaluation.deadlines import Deadline, Flag
from redress.evaluation.explain import explain
from redress.evaluation.full_form import audit_dict, fresh_mapping, none_dict, procedure_dict
from redress.evaluation.full_form import cite as _cite
from redress.evaluation.lean import lean_from_full
from redress.evaluation.record_types import CaseRecord
from redress.evaluation.result_types import (
    Audit,
    EntitlementResult,
    NoProcedure,
    ProcedureRef,
    Routing,
    TraceStep,
)
from redress.evaluation.status import STATUS_LABELS as STATUS_LABELS
from redress.frozen_dataclass import frozen_dataclass

Form = Literal["full", "lean"]
FORMS: tuple[Form, ...] = ("full", "lean")


@frozen_dataclass
class Result:
    """What Redress concludes about one case, as of an evaluation date.

    ``procedure`` (or ``no_procedure`` with the reason and where the matter goes instead),
    ``stage`` and ``status``; every ``deadline`` with its basis, state and citation;
    ``entitlements``; ``routing`` (who handles it, lead and co-operating bodies, the next step
    and the Ombudsman); ``flags`` (ambiguities with both readings, discretion points, warnings);
    the ``trace`` of every rule that fired; and an ``audit`` stamp.  ``to_dict()`` gives the
    JSON form described by ``schemas/result.schema.json``; ``explain()`` gives plain English.
    A result can be pickled (to send it to another process) and copied; the copy writes the
    same ``to_dict()`` forms and ``explain()``.
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

    def to_dict(self, form: Form = "full") -> dict[str, Any]:
        """The result as JSON-compatible data (see ``schemas/result.schema.json``).

        ``form="full"`` (the default) is every member, the rule trace and each conclusion's
        citation and explanatory text included; ``form="lean"`` keeps every conclusion, names
        each citation by its ``citation_id`` and carries the table of the ones it uses under
        ``citations``, and leaves out the trace and the explanatory text.
        """
        if form == "lean":
            return self.lean_dict()
        if form != "full":
            raise ValueError(f"form must be 'full' or 'lean', not {form!r}")
        return self._full_dict()

    def _full_dict(self) -> dict[str, Any]:
        """The full form (a compiled result writes it from its conclusion instead)."""
        return full_dict(self)

    def lean_dict(self, with_citations: bool = True) -> dict[str, Any]:
        """The lean form; ``with_citations=False`` leaves out the citation table (a lean
        record of a batch, whose table is fetched once for the whole policy set)."""
        return lean_from_full(full_dict(self), with_citations)

    def explain(self) -> str:
        """A plain-English account a complaints officer could paste into a letter."""
        return explain(self)


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


def _routing_dict(routing: Routing) -> dict[str, Any]:
    omb = routing.ombudsman
    return {
        "handled_by": routing.handled_by,
        "lead_body": routing.lead_body,
        "co_operating_bodies": list(routing.co_operating_bodies),
        "next_step": routing.next_step,
        "ombudsman": None if omb is None else {
            "body": omb.body, "title": omb.title, "ready": omb.ready, "reason": omb.reason,
            "time_limit": deadline_dict(omb.time_limit) if omb.time_limit else None,
            "citation": _cite(omb.citation)},
        "redirected_from": fresh_mapping(routing.redirected_from) if routing.redirected_from
        else None,
        "partnership": fresh_mapping(routing.partnership) if routing.partnership else None,
    }


def full_dict(r: Result) -> dict[str, Any]:
    """The full form of a result."""
    return {
        "form": "full", "schema_version": SCHEMA_VERSION, "case_id": r.case_id,
        "procedure": procedure_dict(r.procedure), "no_procedure": none_dict(r.no_procedure),
        "stage": r.stage, "status": r.status,
        "status_label": STATUS_LABELS.get(r.status, r.status), "status_reason": r.status_reason,
        "deadlines": [deadline_dict(d) for d in r.deadlines],
        "entitlements": [{"id": e.id, "title": e.title, "reason": e.reason,
                          "stages": list(e.stages), "citation": _cite(e.citation),
                          "note": e.note}
                         for e in r.entitlements],
        "routing": _routing_dict(r.routing),
        "flags": [flag_dict(f) for f in r.flags],
        "trace": [{"rule": t.rule, "ruleset": t.ruleset, "description": t.description,
                   "conclusion": fresh_mapping(t.conclusion), "facts": fresh_mapping(t.facts),
                   "citation": _cite(t.citation), "applied": t.applied} for t in r.trace],
        "warnings": list(r.warnings),
        "audit": audit_dict(r.audit),
        "record": r.record.to_dict() if r.record else None,
    }


__all__ = ["FORMS", "STATUS_LABELS", "Form", "Result", "audit_dict", "deadline_dict", "flag_dict",
           "full_dict"]
