"""The reportable facts of a case as the evaluation path before issue 24 built them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from redress.calendar import WorkingDayCalendar, get_calendar
from redress.errors import CalendarRangeError
from redress.evaluation.case import STAGE_NUMBERS
from redress.evaluation.record_types import (
    DECISIONS,
    NATION_CALENDARS,
    REPRESENTATION,
    CaseRecord,
    Cost,
    OmbudsmanRecord,
    Remedy,
    StageRecord,
    record_kind,
    remedy_state,
    runs_clock,
)
from redress.evaluation.record_types import parse_date as _date
from redress.testing.reference.case import Case


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
