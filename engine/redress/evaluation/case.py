"""The case as evaluation reads it: plain dates and ints, events sorted, nothing copied twice.

``read_case`` turns a case (a mapping, a file or a ``Document``) into a :class:`Case`: the typed
decoder of ``case_types`` checks and converts it in one pass; a case it refuses is read the long
way (``case_errors``), which lists and words every problem exactly as before.  Then the events
are checked against each other and the dates (``case_checks``); any error raises ``CaseError``
with every problem, each with its path (``events[2].date``) and, for a file, its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from math import isfinite
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct

from redress.errors import CalendarRangeError, CaseError
from redress.evaluation.case_checks import consistency_findings
from redress.evaluation.case_errors import (
    MAX_CASE_BYTES,
    event_count_findings,
    moment,
    shape_findings,
)
from redress.evaluation.case_types import case_types, decode
from redress.evaluation.record_types import complaint_document, record_findings
from redress.findings import Finding
from redress.policy.facts_catalog import FactCatalog
from redress.policy.loader import MAX_DEPTH, MAX_DIGITS, Document, data_document, read_document

STAGE_NUMBERS = {"stage1": 1, "stage2": 2, "stage3": 3}
# Several events on one day are replayed in the order they must logically have happened.
SAME_DAY_ORDER = {"forwarded": 0, "responded": 1, "escalation_requested": 2}
CaseInput = Mapping[str, Any] | str | Path | Document
_LARGEST = 10**MAX_DIGITS  # a case's integers have at most MAX_DIGITS digits


class Event(Struct, frozen=True, gc=False):
    """One dated event; ``index`` is its position in the case file's ``events`` list."""

    index: int
    date: dt.date
    time: dt.time | None
    type: str
    stage: str | None = None
    to: str | None = None
    outcome: str | None = None
    reason: str | None = None
    new_date: dt.date | None = None
    days: int | None = None
    until: dt.date | None = None
    consent: str | None = None
    orally: bool | None = None
    body: str | None = None
    received: dt.date | None = None
    scope: str | None = None
    written: bool | None = None


class Case(Struct, frozen=True, gc=False):
    """A valid case: the decoded document (``wire``) and its events in the order they happened.

    ``received`` is the day the clocks start: for a representation that became a complaint, the
    day it became one.  ``events`` are sorted by date, then time, then the order in which events
    of one day must have happened, then file order.
    """

    id: str
    received: dt.date
    received_time: dt.time | None
    nation: str
    service: str
    channel: str
    events: tuple[Event, ...]
    wire: Any
    # The kind of record and its dates as the document gave them (``record_types`` reads them).
    head: Mapping[str, Any]
    occurred: dt.date | None = None   # matter.occurred and matter.aware, when given
    aware: dt.date | None = None

    def of_type(self, *types: str) -> list[Event]:
        return [e for e in self.events if e.type in types]

    @property
    def matter(self) -> Any:
        return self.wire.matter

    def matter_date(self, key: str) -> dt.date | None:
        return self.occurred if key == "occurred" else self.aware if key == "aware" else None

    def topics(self) -> tuple[str, ...]:
        matter = self.wire.matter
        return (matter.topics or ()) if matter is not None else ()

    def given_channel(self) -> str | None:
        channel: str | None = self.wire.channel
        return channel


def _events(raws: Any) -> tuple[Event, ...]:
    """The events in the order they happened: by date, then time, then the order in which
    events of one day must have happened, then file order (each read and keyed in one pass)."""
    keyed = []
    parse, order, midnight = dt.date.fromisoformat, SAME_DAY_ORDER, dt.time.min
    for index, raw in enumerate(raws):
        text, kind = raw.date, raw.type
        day, time = moment(text) if "T" in text or " " in text else (parse(text), None)
        event = Event(index, day, time, kind, raw.stage, raw.to, raw.outcome, raw.reason,
                      raw.new_date, raw.days, raw.until, raw.consent, raw.orally, raw.body,
                      raw.received, raw.scope, raw.written)
        # The index is unique, so the event itself is never compared.
        keyed.append((day, time or midnight, order.get(kind, 9), index, event))
    keyed.sort()
    return tuple([item[4] for item in keyed])


def _head(wire: Any) -> dict[str, Any]:
    given = (("record", wire.record), ("received", wire.received),
             ("became_complaint", wire.became_complaint), ("routed_to", wire.routed_to))
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in given if v is not None}


def build_case(wire: Any, head: Mapping[str, Any] | None = None) -> Case:
    """The case of a decoded document; raises ``ValueError`` for a date that does not exist.
    ``head`` is the document's own record fields when ``wire`` was decoded from a changed copy."""
    became = wire.became_complaint if wire.record == "representation" else None
    # A representation that became a complaint is evaluated from the day it became one.
    received, received_time = (became, None) if became is not None else moment(wire.received)
    matter = wire.matter
    return Case(wire.id, received, received_time, wire.nation, wire.service,
                wire.channel or "written", _events(wire.events), wire,
                _head(wire) if head is None else head,
                matter.occurred if matter else None, matter.aware if matter else None)


def _typed(data: Any) -> Case | None:
    wire = decode(data)
    if wire is None:
        return None
    try:
        return build_case(wire)
    except ValueError:  # a date that matches the pattern but does not exist: worded below
        return None


def _worded(original: Document) -> Case:
    """The long way, for a case the typed decoder refused: every problem, as before."""
    doc = complaint_document(original)
    too_many = event_count_findings(doc.data)
    if too_many:  # checked first: validating tens of thousands of events would take minutes
        raise CaseError([doc.locate(f) for f in too_many], doc.file)
    findings = [doc.locate(f) for f in shape_findings(doc.data)]
    if findings:
        raise CaseError(findings, doc.file)
    head = {k: original.data[k] for k in ("record", "received", "became_complaint", "routed_to")
            if k in original.data}
    try:  # valid: the typed decoder must take the plain copy
        return build_case(msgspec.convert(doc.data, case_types().case), head)
    except (msgspec.ValidationError, ValueError) as exc:
        raise RuntimeError(f"the case schema and its typed decoder disagree: {exc}") from exc


def source_document(case: CaseInput) -> tuple[Document, bool]:
    """The case as a Document and whether its data is a plain copy already (read from a file)."""
    if type(case) is dict:  # the usual input, tested first
        return Document("<case>", case, {}), False
    if isinstance(case, str | Path):
        doc, findings = read_document(case, MAX_CASE_BYTES)
        if doc is None:
            raise CaseError(findings, str(case))
        return doc, True
    if isinstance(case, Document):
        return case, False
    if isinstance(case, Mapping):
        return Document("<case>", case, {}), False
    raise TypeError(f"a case is a mapping, a path or a Document, not {type(case).__name__}")


class _NotPlain(Exception):
    """A value ``data_document`` has a finding for: it is copied again the long way."""


def _copied(value: Any, depth: int) -> Any:
    """The plain-JSON copy ``data_document`` makes, without the path of every value (which only
    a finding needs): raises ``_NotPlain`` where it would have a finding."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is int:
        if -_LARGEST < value < _LARGEST:
            return value
        raise _NotPlain
    if kind is float:
        if isfinite(value):
            return value
        raise _NotPlain
    if depth > MAX_DEPTH:
        raise _NotPlain
    if kind is dict:
        out = {}
        for key, item in list(value.items()):  # a snapshot, even if the caller mutates
            if type(key) is not str:
                raise _NotPlain
            out[key] = _copied(item, depth + 1)
        return out
    if kind is list:
        return [_copied(item, depth + 1) for item in list(value)]
    raise _NotPlain  # anything else (a subclass, a tuple, a date): the long way decides


def _plain(doc: Document) -> Document:
    """A plain-JSON copy of the document (``data_document``), or ``CaseError``."""
    try:
        return Document(doc.file, _copied(doc.data, 0), dict(doc.positions))
    except _NotPlain:
        pass
    copy, findings = data_document(doc.data, doc.file, doc.positions)
    if copy is None:
        raise CaseError(findings, doc.file)
    return copy


def _located(doc: Document, findings: list[Finding]) -> list[Finding]:
    """``doc.locate`` of each finding; a mapping given in code has no positions to look up."""
    if not findings or doc.positions:
        return [doc.locate(f) for f in findings]
    return [f.located(doc.file, None) for f in findings]


def read_case(case: CaseInput, catalog: FactCatalog,
              as_of: dt.date) -> tuple[Case, Document, tuple[str, ...]]:
    """A valid case, its document (to place findings) and its warnings, rendered.

    Raises ``CaseError`` with every problem: the shape, impossible dates, events that contradict
    each other or the dates, fields that contradict the kind of record.  Events after ``as_of``
    are a warning each, and are left out.
    """
    doc, plain = source_document(case)
    parsed = _typed(doc.data)
    if parsed is None:
        doc = doc if plain else _plain(doc)
        parsed = _worded(doc)
    problems = _located(doc, consistency_findings(parsed, catalog, as_of))
    if any(f.is_error for f in problems):
        raise CaseError(problems, doc.file)
    record_problems = [doc.locate(f) for f in record_findings(parsed.head)]
    if record_problems:
        raise CaseError(record_problems, doc.file)
    events = parsed.events
    if events and events[-1].date > as_of:  # in date order: those after as_of are at the end
        kept = len(events) - 1
        while kept and events[kept - 1].date > as_of:
            kept -= 1
        parsed = msgspec.structs.replace(parsed, events=events[:kept])
    return parsed, doc, tuple([f.render() for f in problems]) if problems else ()


def out_of_range(doc: Document, exc: CalendarRangeError) -> CaseError:
    """A deadline counted past the calendar's last year: the case's dates, not a bug."""
    return CaseError([doc.locate(Finding(
        "date-out-of-range", f"case: a date this case needs is out of range: {exc}", ()))],
        doc.file)


__all__ = ["MAX_CASE_BYTES", "SAME_DAY_ORDER", "STAGE_NUMBERS", "Case", "CaseInput", "Event",
           "build_case",
           "out_of_range", "read_case", "source_document"]
