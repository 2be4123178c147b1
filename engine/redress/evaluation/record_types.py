"""What a case records beyond its clocks: the kind of record, the decision, the remedies, the
Ombudsman's reference and decision, and cost — the facts an annual report counts.

The values are frozen ``msgspec`` structs (a result builds a few of them for every case), each
with the ``to_dict`` of the result contract; the functions read the case's own data.

A compliment, a comment logged as a representation, or a matter routed to another process
(e.g. staff discipline) is recorded and counted but runs no complaint clock.  A representation
that later becomes a complaint says so (``became_complaint``): its clocks start on that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from msgspec import Struct

from redress.findings import Finding
from redress.policy.loader import Document

COMPLAINT, COMPLIMENT, REPRESENTATION, ROUTED = (
    "complaint", "compliment", "representation", "routed_elsewhere")
RECORD_KINDS = (COMPLAINT, COMPLIMENT, REPRESENTATION, ROUTED)
REMEDY_KINDS = ("apology", "payment", "service_review", "procedural_change", "staff_training",
                "review_others_affected")
DECISIONS = ("upheld", "partly_upheld", "not_upheld")
# A remedy's state on the evaluation date.
ON_TIME, LATE, OUTSTANDING, OVERDUE = "completed_on_time", "completed_late", "outstanding", "overdue"
NATION_CALENDARS = {"england": "england-and-wales", "wales": "england-and-wales",
                    "scotland": "scotland", "northern_ireland": "northern-ireland"}


class Remedy(Struct, frozen=True, gc=False):
    kind: str
    source: str              # local | ombudsman
    due: dt.date | None
    completed: dt.date | None
    state: str
    amount: float | None = None      # for a payment, in pounds

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "source": self.source, "due": iso(self.due),
                "completed": iso(self.completed), "state": self.state,
                "amount": self.amount}


class StageRecord(Struct, frozen=True, gc=False):
    stage: str
    opened: dt.date
    responded: dt.date | None
    outcome: str | None
    working_days: int | None    # working days from opening to the response
    extensions: int

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "opened": self.opened.isoformat(),
                "responded": iso(self.responded), "outcome": self.outcome,
                "working_days": self.working_days, "extensions": self.extensions}


class OmbudsmanRecord(Struct, frozen=True, gc=False):
    body: str | None
    reference: str | None
    referred: dt.date | None
    decision: str | None
    decided: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        return {"body": self.body, "reference": self.reference, "referred": iso(self.referred),
                "decision": self.decision, "decided": iso(self.decided)}


class Cost(Struct, frozen=True, gc=False):
    stage: str | None
    item: str
    amount: float

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "item": self.item, "amount": self.amount}


class CaseRecord(Struct, frozen=True, gc=False):
    """The reportable facts of one record (``record`` in the result)."""

    kind: str
    service: str
    nation: str
    recorded: dt.date                # when the record (complaint, compliment…) was made
    became_complaint: dt.date | None
    routed_to: str | None
    topics: tuple[str, ...]
    outcome: str | None
    well_founded: bool | None
    stages: tuple[StageRecord, ...]
    withdrawn: dt.date | None
    ombudsman: OmbudsmanRecord | None
    remedies: tuple[Remedy, ...]
    costs: tuple[Cost, ...]
    # Optional facts for the report's breakdowns and learning (issue 21); None when not given.
    unit: Mapping[str, str] | None = None          # {department, team}
    channel: str | None = None
    complainant_role: str | None = None
    advocacy: Mapping[str, bool] | None = None     # {offered, taken_up}
    learning: str | None = None
    actions: tuple[str, ...] = ()

    @property
    def counts_as_complaint(self) -> bool:
        return self.kind == COMPLAINT or self.became_complaint is not None

    def to_dict(self) -> dict[str, Any]:
        states = [r.state for r in self.remedies]
        return {
            "kind": self.kind, "service": self.service, "nation": self.nation,
            "recorded": self.recorded.isoformat(), "became_complaint": iso(self.became_complaint),
            "routed_to": self.routed_to, "topics": list(self.topics),
            "outcome": self.outcome, "well_founded": self.well_founded,
            "stages": [s.to_dict() for s in self.stages], "withdrawn": iso(self.withdrawn),
            "ombudsman": self.ombudsman.to_dict() if self.ombudsman else None,
            "remedies": [r.to_dict() for r in self.remedies],
            "remedies_outstanding": states.count(OUTSTANDING) + states.count(OVERDUE),
            "remedies_overdue": states.count(OVERDUE),
            "costs": [c.to_dict() for c in self.costs],
            "cost_total": round(sum(c.amount for c in self.costs), 2),
            "unit": dict(self.unit) if self.unit else None, "channel": self.channel,
            "complainant_role": self.complainant_role,
            "advocacy": dict(self.advocacy) if self.advocacy else None,
            "learning": self.learning, "actions": list(self.actions),
        }


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def parse_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def record_kind(data: Mapping[str, Any]) -> str:
    kind = data.get("record", COMPLAINT)
    return str(kind) if kind in RECORD_KINDS else COMPLAINT


def runs_clock(data: Mapping[str, Any]) -> bool:
    """Whether the record is (or has become) a complaint, so that its clocks run."""
    kind = record_kind(data)
    return kind == COMPLAINT or (kind == REPRESENTATION and bool(data.get("became_complaint")))


def complaint_document(doc: Document) -> Document:
    """The case as the clocks see it: a representation that became a complaint is received on
    the day it became one.  Positions are kept, so findings still point into the file."""
    data = doc.data
    if not isinstance(data, Mapping) or record_kind(data) != REPRESENTATION:
        return doc
    start = data.get("became_complaint")
    try:
        dt.date.fromisoformat(start) if isinstance(start, str) else None
    except ValueError:
        return doc  # the schema reports it at its own path
    if not isinstance(start, str):
        return doc
    return Document(doc.file, {**data, "received": start}, doc.positions)


def recorded_on(data: Mapping[str, Any]) -> dt.date | None:
    """The day the record was made (its ``received`` date without any time)."""
    value = data.get("received")
    try:
        return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def record_findings(data: Any) -> list[Finding]:
    """Fields that contradict the kind of record (checked after the schema)."""
    if not isinstance(data, Mapping):
        return []
    kind = record_kind(data)
    out: list[Finding] = []
    became = parse_date(data.get("became_complaint"))
    if became is not None and kind != REPRESENTATION:
        out.append(Finding("record-kind", f"became_complaint: only a representation can become a "
                           f"complaint; this record is a {kind.replace('_', ' ')}",
                           ("became_complaint",)))
    recorded = recorded_on(data)
    if became is not None and recorded is not None and became < recorded:
        out.append(Finding("record-dates", f"became_complaint: {became} is before the "
                           f"representation was recorded on {recorded}", ("became_complaint",)))
    if data.get("routed_to") and kind != ROUTED:
        out.append(Finding("record-kind", "routed_to: only a record routed elsewhere names where "
                           "it went", ("routed_to",)))
    return out


def remedy_state(due: dt.date | None, completed: dt.date | None, as_of: dt.date) -> str:
    """On time, late, outstanding (not yet due) or overdue, as of a date."""
    if completed is not None and completed <= as_of:
        return LATE if due is not None and completed > due else ON_TIME
    return OVERDUE if due is not None and due < as_of else OUTSTANDING



__all__ = ["DECISIONS", "NATION_CALENDARS", "RECORD_KINDS", "REMEDY_KINDS", "CaseRecord", "Cost",
           "OmbudsmanRecord", "Remedy", "StageRecord", "complaint_document", "iso", "parse_date",
           "record_findings", "record_kind", "recorded_on", "remedy_state", "runs_clock"]
