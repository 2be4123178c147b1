"""What a case records beyond its clocks: the kind of record, the decision, the remedies, the
Ombudsman's reference and decision, and cost — the facts an annual report counts.

A compliment, a comment logged as a representation, or a matter routed to another process
(e.g. staff discipline) is recorded and counted but runs no complaint clock.  A representation
that later becomes a complaint says so (``became_complaint``): its clocks start on that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from redress.calendar import WorkingDayCalendar, get_calendar
from redress.errors import CalendarRangeError
from redress.evaluation.case import STAGE_NUMBERS, Case
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


@dataclass(frozen=True)
class Remedy:
    kind: str
    source: str              # local | ombudsman
    due: dt.date | None
    completed: dt.date | None
    state: str
    amount: float | None = None      # for a payment, in pounds

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "source": self.source, "due": _iso(self.due),
                "completed": _iso(self.completed), "state": self.state,
                "amount": self.amount}


@dataclass(frozen=True)
class StageRecord:
    stage: str
    opened: dt.date
    responded: dt.date | None
    outcome: str | None
    working_days: int | None    # working days from opening to the response
    extensions: int

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "opened": self.opened.isoformat(),
                "responded": _iso(self.responded), "outcome": self.outcome,
                "working_days": self.working_days, "extensions": self.extensions}


@dataclass(frozen=True)
class OmbudsmanRecord:
    body: str | None
    reference: str | None
    referred: dt.date | None
    decision: str | None
    decided: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        return {"body": self.body, "reference": self.reference, "referred": _iso(self.referred),
                "decision": self.decision, "decided": _iso(self.decided)}


@dataclass(frozen=True)
class Cost:
    stage: str | None
    item: str
    amount: float

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "item": self.item, "amount": self.amount}


@dataclass(frozen=True)
class CaseRecord:
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
            "recorded": self.recorded.isoformat(), "became_complaint": _iso(self.became_complaint),
            "routed_to": self.routed_to, "topics": list(self.topics),
            "outcome": self.outcome, "well_founded": self.well_founded,
            "stages": [s.to_dict() for s in self.stages], "withdrawn": _iso(self.withdrawn),
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


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(value: Any) -> dt.date | None:
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
    became = _date(data.get("became_complaint"))
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


def case_record(case: Case, as_of: dt.date, recorded: dt.date | None = None) -> CaseRecord:
    """The reportable facts of a case, as of a date (remedy states depend on it)."""
    raw = case.raw
    kind = record_kind(raw)
    decision = raw.get("decision") or {}
    stages = _stages(case) if runs_clock(raw) else ()
    outcome = decision.get("outcome") or _last_outcome(stages)
    well_founded = decision.get("well_founded")
    if well_founded is None and outcome is not None:
        well_founded = outcome in ("upheld", "partly_upheld")
    withdrawn = next((e.date for e in case.of_type("withdrawn")), None)
    return CaseRecord(
        kind=kind, service=case.service, nation=case.nation,
        recorded=recorded or case.received,
        became_complaint=_date(raw.get("became_complaint")) if kind == REPRESENTATION else None,
        routed_to=raw.get("routed_to"), topics=tuple(case.matter.get("topics") or ()),
        outcome=outcome, well_founded=well_founded, stages=stages, withdrawn=withdrawn,
        ombudsman=_ombudsman(case), remedies=_remedies(raw.get("remedies") or (), as_of),
        costs=tuple(Cost(c.get("stage"), str(c.get("item", "")), float(c["amount"]))
                    for c in raw.get("costs") or ()),
        **_report_facts(raw))


def _report_facts(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The optional facts a report breaks complaints down by (organisational unit, channel,
    complainant, advocacy) and the learning and actions recorded on the case."""
    unit = {k: str(v) for k, v in (raw.get("unit") or {}).items() if v}
    advocacy = {k: bool(v) for k, v in (raw.get("advocacy") or {}).items()
                if k in ("offered", "taken_up")}
    return {"unit": unit or None, "channel": raw.get("channel"),
            "complainant_role": (raw.get("complainant") or {}).get("role"),
            "advocacy": advocacy or None, "learning": raw.get("learning") or None,
            "actions": tuple(str(a) for a in raw.get("actions") or ())}


def _stages(case: Case) -> tuple[StageRecord, ...]:
    opened: dict[str, dt.date] = {"stage1": case.received}
    for event in case.of_type("escalation_requested"):
        if event.to:
            opened.setdefault(event.to, event.date)
    order = sorted(opened, key=lambda s: STAGE_NUMBERS.get(s, 9))
    calendar = _calendar(case.nation)
    out = []
    for stage in order:
        responses = [e for e in case.of_type("responded")
                     if (e.stage or _stage_on(opened, e.date)) == stage]
        first = responses[0] if responses else None
        extensions = sum(1 for e in case.of_type("extension")
                         if (e.stage or _stage_on(opened, e.date)) == stage)
        days = _working_days(calendar, opened[stage], first.date) if first else None
        out.append(StageRecord(stage=stage, opened=opened[stage],
                               responded=first.date if first else None,
                               outcome=first.outcome if first else None,
                               working_days=days, extensions=extensions))
    return tuple(out)


def _stage_on(opened: Mapping[str, dt.date], day: dt.date) -> str:
    open_by_then = [s for s, d in opened.items() if d <= day] or ["stage1"]
    return max(open_by_then, key=lambda s: STAGE_NUMBERS.get(s, 0))


def _calendar(nation: str) -> WorkingDayCalendar:
    return get_calendar(NATION_CALENDARS.get(nation, "england-and-wales"))


def _working_days(calendar: WorkingDayCalendar, start: dt.date, end: dt.date) -> int | None:
    try:
        return calendar.working_days_between(start, end)
    except CalendarRangeError:
        return None


def _last_outcome(stages: Sequence[StageRecord]) -> str | None:
    decided = [s.outcome for s in stages if s.outcome in DECISIONS]
    return decided[-1] if decided else None


def _ombudsman(case: Case) -> OmbudsmanRecord | None:
    given = case.raw.get("ombudsman") or {}
    referral = next(iter(case.of_type("referred_to_ombudsman")), None)
    if not given and referral is None:
        return None
    return OmbudsmanRecord(body=given.get("body") or (referral.body if referral else None),
                           reference=given.get("reference"),
                           referred=referral.date if referral else None,
                           decision=given.get("decision"), decided=_date(given.get("decided")))


def _remedies(raw: Sequence[Mapping[str, Any]], as_of: dt.date) -> tuple[Remedy, ...]:
    return tuple(Remedy(kind=str(r["kind"]), source=str(r.get("source", "local")),
                        due=_date(r.get("due")), completed=_date(r.get("completed")),
                        state=remedy_state(_date(r.get("due")), _date(r.get("completed")), as_of),
                        amount=float(r["amount"]) if r.get("amount") is not None else None)
                 for r in raw)


def remedy_state(due: dt.date | None, completed: dt.date | None, as_of: dt.date) -> str:
    """On time, late, outstanding (not yet due) or overdue, as of a date."""
    if completed is not None and completed <= as_of:
        return LATE if due is not None and completed > due else ON_TIME
    return OVERDUE if due is not None and due < as_of else OUTSTANDING


__all__ = ["RECORD_KINDS", "REMEDY_KINDS", "CaseRecord", "case_record", "complaint_document",
           "record_findings", "record_kind", "remedy_state", "runs_clock"]
