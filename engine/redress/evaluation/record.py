"""What a case records for reports: the kind of record, its stages with the working days each
took to answer, the decision, the Ombudsman's reference and decision, remedies and cost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from redress.calendar import get_calendar
from redress.errors import CalendarRangeError
from redress.evaluation.case import STAGE_NUMBERS, Case, Event
from redress.evaluation.case_checks import stage_on
from redress.evaluation.record_types import (
    COMPLAINT,
    DECISIONS,
    NATION_CALENDARS,
    OUTSTANDING,
    OVERDUE,
    REPRESENTATION,
    CaseRecord,
    Cost,
    OmbudsmanRecord,
    Remedy,
    StageRecord,
    remedy_state,
)

# One stage of a record: stage, opened, responded, outcome, working days taken, extensions.
_Row = tuple[str, dt.date, dt.date | None, str | None, int | None, int]


def _stage_rows(case: Case) -> list[_Row]:
    opened: dict[str, dt.date] = {"stage1": case.received}
    for event in case.events:
        if event.type == "escalation_requested" and event.to:
            opened.setdefault(event.to, event.date)
    first: dict[str, Event] = {}
    extensions: dict[str, int] = {}
    only_first = len(opened) == 1  # then every event is at stage 1 (``stage_on``'s answer)
    for event in case.events:
        kind = event.type
        if kind == "responded":
            first.setdefault(event.stage or ("stage1" if only_first
                                             else stage_on(opened, event.date)), event)
        elif kind == "extension":
            stage = event.stage or ("stage1" if only_first else stage_on(opened, event.date))
            extensions[stage] = extensions.get(stage, 0) + 1
    calendar = None
    rows: list[_Row] = []
    for stage in opened if only_first else sorted(opened, key=lambda s: STAGE_NUMBERS.get(s, 9)):
        day, response = opened[stage], first.get(stage)
        if response is None:
            rows.append((stage, day, None, None, None, extensions.get(stage, 0)))
            continue
        if calendar is None:  # only a stage answered needs the working days counted
            calendar = get_calendar(NATION_CALENDARS.get(case.nation, "england-and-wales"))
        try:
            days: int | None = calendar.elapsed(day, response.date)
        except CalendarRangeError:
            days = None
        rows.append((stage, day, response.date, response.outcome, days, extensions.get(stage, 0)))
    return rows


def _stages(case: Case) -> tuple[StageRecord, ...]:
    return tuple(StageRecord(*row) for row in _stage_rows(case))


def _ombudsman(case: Case) -> OmbudsmanRecord | None:
    given = case.wire.ombudsman
    if given is not None and all(v is None for v in (given.body, given.reference,
                                                     given.decision, given.decided)):
        given = None  # an empty object says nothing
    referral = next((e for e in case.events if e.type == "referred_to_ombudsman"), None)
    if given is None and referral is None:
        return None
    return OmbudsmanRecord(
        body=(given.body if given else None) or (referral.body if referral else None),
        reference=given.reference if given else None,
        referred=referral.date if referral else None,
        decision=given.decision if given else None, decided=given.decided if given else None)


def _remedies(case: Case, as_of: dt.date) -> tuple[Remedy, ...]:
    return tuple(Remedy(kind=r.kind, source=r.source or "local", due=r.due,
                        completed=r.completed, state=remedy_state(r.due, r.completed, as_of),
                        amount=float(r.amount) if r.amount is not None else None)
                 for r in case.wire.remedies or ())


def case_record(case: Case, as_of: dt.date, recorded: dt.date | None = None) -> CaseRecord:
    """The reportable facts of a case, as of a date (remedy states depend on it)."""
    wire = case.wire
    kind = wire.record or COMPLAINT
    clocked = kind == COMPLAINT or (kind == REPRESENTATION and wire.became_complaint is not None)
    stages = _stages(case) if clocked else ()
    decision = wire.decision
    decided = [s.outcome for s in stages if s.outcome in DECISIONS]
    outcome = (decision.outcome if decision else None) or (decided[-1] if decided else None)
    well_founded = decision.well_founded if decision else None
    if well_founded is None and outcome is not None:
        well_founded = outcome in ("upheld", "partly_upheld")
    matter = wire.matter
    return CaseRecord(
        kind=kind, service=case.service, nation=case.nation, recorded=recorded or case.received,
        became_complaint=wire.became_complaint if kind == REPRESENTATION else None,
        routed_to=wire.routed_to, topics=tuple(matter.topics or ()) if matter else (),
        outcome=outcome, well_founded=well_founded, stages=stages,
        withdrawn=next((e.date for e in case.events if e.type == "withdrawn"), None),
        ombudsman=_ombudsman(case), remedies=_remedies(case, as_of),
        costs=tuple(Cost(c.stage, c.item or "", float(c.amount)) for c in wire.costs or ()),
        **_report_facts(wire))


def _given(part: Any) -> dict[str, Any]:
    """The members of an optional object of the case that were given."""
    if part is None:
        return {}
    return {name: value for name in part.__struct_fields__
            if (value := getattr(part, name)) is not None}


def _report_facts(wire: Any) -> dict[str, Any]:
    """The optional facts a report breaks complaints down by (organisational unit, channel,
    complainant, advocacy) and the learning and actions recorded on the case."""
    unit = {k: str(v) for k, v in _given(wire.unit).items() if v}
    advocacy = {k: bool(v) for k, v in _given(wire.advocacy).items()}
    return {"unit": unit or None, "channel": wire.channel,
            "complainant_role": wire.complainant.role if wire.complainant else None,
            "advocacy": advocacy or None, "learning": wire.learning or None,
            "actions": tuple(str(a) for a in wire.actions or ())}


# -- the record's dict, written straight from the case (the lean form reads only this) ----------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _stage_dicts(case: Case) -> list[dict[str, Any]]:
    return [{"stage": stage, "opened": opened.isoformat(),
             "responded": responded.isoformat() if responded else None, "outcome": outcome,
             "working_days": days, "extensions": extensions}
            for stage, opened, responded, outcome, days, extensions in _stage_rows(case)]


def _remedy_dicts(case: Case, as_of: dt.date) -> list[dict[str, Any]]:
    return [{"kind": r.kind, "source": r.source or "local", "due": _iso(r.due),
             "completed": _iso(r.completed), "state": remedy_state(r.due, r.completed, as_of),
             "amount": float(r.amount) if r.amount is not None else None}
            for r in case.wire.remedies or ()]


def _outcome(wire: Any, stages: list[dict[str, Any]]) -> tuple[str | None, bool | None]:
    decision = wire.decision
    decided = [s["outcome"] for s in stages if s["outcome"] in DECISIONS]
    outcome = (decision.outcome if decision else None) or (decided[-1] if decided else None)
    well_founded = decision.well_founded if decision else None
    if well_founded is None and outcome is not None:
        well_founded = outcome in ("upheld", "partly_upheld")
    return outcome, well_founded


def _ombudsman_dict(case: Case, referred: bool) -> dict[str, Any] | None:
    """``_ombudsman(case).to_dict()``; most cases name no Ombudsman and refer to none
    (``referred``: whether an event refers the case to one)."""
    if case.wire.ombudsman is None and not referred:
        return None
    omb = _ombudsman(case)
    return omb.to_dict() if omb else None


def _ending(case: Case) -> tuple[dt.date | None, bool]:
    """The day of the first withdrawal, and whether the case was referred to an Ombudsman:
    both read in one pass over the events."""
    withdrawn, referred = None, False
    for event in case.events:
        kind = event.type
        if kind == "withdrawn":
            if withdrawn is None:
                withdrawn = event.date
        elif kind == "referred_to_ombudsman":
            referred = True
    return withdrawn, referred


def _unit_and_advocacy(wire: Any) -> tuple[dict[str, str] | None, dict[str, bool] | None]:
    """The ``unit`` and ``advocacy`` of ``_report_facts``."""
    unit = {k: str(v) for k, v in _given(wire.unit).items() if v} if wire.unit else None
    advocacy = {k: bool(v) for k, v in _given(wire.advocacy).items()} if wire.advocacy else None
    return unit or None, advocacy or None


def record_dict(case: Case, as_of: dt.date, recorded: dt.date | None = None) -> dict[str, Any]:
    """``case_record(case, as_of, recorded).to_dict()``, without the intermediate values."""
    wire = case.wire
    kind = wire.record or COMPLAINT
    clocked = kind == COMPLAINT or (kind == REPRESENTATION and wire.became_complaint is not None)
    stages = _stage_dicts(case) if clocked else []
    outcome, well_founded = _outcome(wire, stages)
    remedies = _remedy_dicts(case, as_of) if wire.remedies else []
    states = [r["state"] for r in remedies] if remedies else []
    costs = [{"stage": c.stage, "item": c.item or "", "amount": float(c.amount)}
             for c in wire.costs] if wire.costs else []
    matter, complainant = wire.matter, wire.complainant
    unit, advocacy = _unit_and_advocacy(wire)
    withdrawn, referred = _ending(case)
    return {
        "kind": kind, "service": case.service, "nation": case.nation,
        "recorded": (recorded or case.received).isoformat(),
        "became_complaint": _iso(wire.became_complaint if kind == REPRESENTATION else None),
        "routed_to": wire.routed_to, "topics": list(matter.topics or ()) if matter else [],
        "outcome": outcome, "well_founded": well_founded, "stages": stages,
        "withdrawn": withdrawn.isoformat() if withdrawn else None,
        "ombudsman": _ombudsman_dict(case, referred), "remedies": remedies,
        "remedies_outstanding": states.count(OUTSTANDING) + states.count(OVERDUE),
        "remedies_overdue": states.count(OVERDUE), "costs": costs,
        # No costs: the int 0 that ``round(sum([]), 2)`` gives, as before.
        "cost_total": round(sum([c["amount"] for c in costs]), 2) if costs else 0,
        "unit": unit, "channel": wire.channel,
        "complainant_role": complainant.role if complainant else None,
        "advocacy": advocacy, "learning": wire.learning or None,
        "actions": [str(a) for a in wire.actions] if wire.actions else [],
    }


__all__ = ["case_record", "record_dict"]
