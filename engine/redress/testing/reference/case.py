"""The case as the evaluation path before issue 24 read it: every case checked by
``jsonschema`` (after a compiled yes/no check), then built as frozen dataclasses (its events are
the compiled path's ``Event``, which has the same fields).

``parse_case`` checks a case document against ``schemas/case.schema.json`` and then for events
that contradict each other or the dates (``evaluation.case_checks``, shared with the compiled
path).  Every problem becomes a finding with a path such as ``events[2].date``; ``CaseError``
carries them all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from redress.errors import CaseError
from redress.evaluation.case import SAME_DAY_ORDER, Event
from redress.evaluation.case_checks import consistency_findings
from redress.evaluation.case_errors import date_findings
from redress.evaluation.case_errors import event_count_findings as _event_count_findings
from redress.evaluation.case_errors import moment as _moment
from redress.evaluation.case_errors import schema_findings as case_schema_findings
from redress.findings import Finding
from redress.policy.facts_catalog import FactCatalog
from redress.policy.loader import Document
from redress.testing.reference.compiled_case import surely_valid


@dataclass(frozen=True)
class Organisation:
    id: str
    kind: str
    name: str
    funding: str | None
    partnership: str | None
    lead: bool


@dataclass(frozen=True)
class Case:
    id: str
    received: dt.date
    received_time: dt.time | None
    nation: str
    service: str
    channel: str
    complainant: Mapping[str, Any]
    subject: Mapping[str, Any]
    organisations: tuple[Organisation, ...]
    matter: Mapping[str, Any]
    events: tuple[Event, ...]           # sorted by date, then file order
    raw: Mapping[str, Any]

    def of_type(self, *types: str) -> list[Event]:
        return [e for e in self.events if e.type in types]

    def matter_date(self, key: str) -> dt.date | None:
        value = self.matter.get(key)
        return dt.date.fromisoformat(value) if value else None

    def topics(self) -> list[str]:
        return list(self.matter.get("topics") or ())

    def given_channel(self) -> str | None:
        channel = self.raw.get("channel")
        return str(channel) if channel else None


def schema_findings(data: Any) -> list[Finding]:
    """Problems with the case's shape, each with its path (the compiled yes/no check first)."""
    if surely_valid(data):
        return []
    return case_schema_findings(data)


def _opt_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _event(index: int, raw: Mapping[str, Any]) -> Event:
    day, time = _moment(raw["date"])
    return Event(index=index, date=day, time=time, type=raw["type"], stage=raw.get("stage"),
                 to=raw.get("to"), outcome=raw.get("outcome"), reason=raw.get("reason"),
                 new_date=_opt_date(raw.get("new_date")), days=raw.get("days"),
                 until=_opt_date(raw.get("until")), consent=raw.get("consent"),
                 orally=raw.get("orally"), body=raw.get("body"),
                 received=_opt_date(raw.get("received")), scope=raw.get("scope"),
                 written=raw.get("written"))


def build_case(data: Mapping[str, Any]) -> Case:
    """A typed case from schema-valid data (no consistency checks)."""
    received, received_time = _moment(data["received"])
    events = sorted((_event(i, e) for i, e in enumerate(data.get("events") or ())),
                    key=lambda e: (e.date, e.time or dt.time.min, SAME_DAY_ORDER.get(e.type, 9),
                                   e.index))
    orgs = tuple(Organisation(id=o["id"], kind=o["kind"], name=o.get("name", o["id"]),
                              funding=o.get("funding"), partnership=o.get("partnership"),
                              lead=bool(o.get("lead", False)))
                 for o in data.get("organisations") or ())
    return Case(id=data["id"], received=received, received_time=received_time,
                nation=data["nation"], service=data["service"],
                channel=data.get("channel", "written"),
                complainant=dict(data.get("complainant") or {}),
                subject=dict(data.get("subject") or {}), organisations=orgs,
                matter=dict(data.get("matter") or {}), events=tuple(events), raw=data)


def parse_case(doc: Document, catalog: FactCatalog,
               as_of: dt.date | None = None) -> tuple[Case, list[Finding]]:
    """Validate and build a case; raises ``CaseError`` with every error found.

    Returns the case and its warnings (e.g. events after the evaluation date, which are ignored).
    """
    too_many = _event_count_findings(doc.data)
    if too_many:  # checked first: validating tens of thousands of events would take minutes
        raise CaseError([doc.locate(f) for f in too_many], doc.file)
    shape = schema_findings(doc.data)
    # A date the schema already refused is one fault: its real-date finding is not added again.
    refused = {f.path for f in shape}
    findings = [doc.locate(f) for f in [*shape, *(f for f in date_findings(doc.data)
                                                  if f.path not in refused)]]
    if findings:
        raise CaseError(findings, doc.file)
    case = build_case(doc.data)
    problems = [doc.locate(f) for f in consistency_findings(case, catalog, as_of)]
    errors = [f for f in problems if f.is_error]
    if errors:
        raise CaseError(problems, doc.file)
    if as_of is not None:
        case = _drop_future(case, as_of)
    return case, problems


def _drop_future(case: Case, as_of: dt.date) -> Case:
    return replace(case, events=tuple(e for e in case.events if e.date <= as_of))
