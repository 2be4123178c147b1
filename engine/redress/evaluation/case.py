"""The case: validated input with typed events.

``parse_case`` checks a case document against ``schemas/case.schema.json`` and then for events
that contradict each other or the dates (a response before receipt, a stage 3 request with no
stage 2 response, …).  Every problem becomes a finding with a path such as
``events[2].date``; ``CaseError`` carries them all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from redress.errors import CaseError
from redress.evaluation.compiled_case import surely_valid
from redress.findings import Finding, Path, Severity, choice_hint, excerpt, format_path
from redress.policy.facts_catalog import FactCatalog
from redress.policy.loader import Document
from redress.resources import schema_path

STAGE_NUMBERS = {"stage1": 1, "stage2": 2, "stage3": 3}
# Several events on one day are replayed in the order they must logically have happened.
SAME_DAY_ORDER = {"forwarded": 0, "responded": 1, "escalation_requested": 2}


@dataclass(frozen=True)
class Event:
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


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(schema_path("case").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_findings(data: Any) -> list[Finding]:
    """Problems with the case's shape, each with its path."""
    if surely_valid(data):
        return []
    findings = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        hint = choice_hint(error.instance, error.validator_value, short=0) \
            if error.validator == "enum" else None
        findings.append(Finding("case-schema", _message(error), path, hint=hint))
    return findings


def date_findings(data: Any) -> list[Finding]:
    """Dates that match the pattern but do not exist (``2025-02-30``), with their paths."""
    if not isinstance(data, Mapping):
        return []
    found: list[Finding] = []
    places: list[tuple[tuple[Any, ...], Any]] = [(("received",), data.get("received"))]
    events = data.get("events")
    for i, event in enumerate(events if isinstance(events, list) else ()):
        if isinstance(event, Mapping):
            places.extend((("events", i, key), event.get(key))
                          for key in ("date", "new_date", "until", "received"))
    matter = data.get("matter")
    if isinstance(matter, Mapping):
        places.extend((("matter", key), matter.get(key)) for key in ("occurred", "aware"))
    for path, value in places:
        if not isinstance(value, str):
            continue
        try:
            _moment(value)
        except ValueError:
            found.append(Finding("case-schema",
                                 f"{_dotted(path)}: {value!r} is not a real date", path))
    return found


_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$")
MAX_EVENTS = 1000  # also `maxItems` of `events` in schemas/case.schema.json
# A case of 1,000 events is under 100 KB; the cap keeps the pure-Python YAML reader (about 10 s
# per MB) to a couple of seconds for the largest file it will accept.
MAX_CASE_BYTES = 256 * 1024
MAX_MESSAGE = 200  # a schema message quoting a huge value is cut to this many characters


def _event_count_findings(data: Any) -> list[Finding]:
    events = data.get("events") if isinstance(data, Mapping) else None
    if not isinstance(events, list) or len(events) <= MAX_EVENTS:
        return []
    return [Finding("case-schema", f"events: {len(events)} events; a case may have at most "
                    f"{MAX_EVENTS}", ("events",))]


def _message(error: Any) -> str:
    return excerpt(_full_message(error), MAX_MESSAGE)


def _full_message(error: Any) -> str:
    where = _dotted(tuple(error.absolute_path))
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{where}: missing required field {missing!r}"
    if error.validator == "additionalProperties":
        return f"{where}: {error.message.replace('Additional properties', 'unknown field(s)')}"
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"{where}: {error.instance!r} is not one of: {allowed}"
    if error.validator in ("format", "pattern", "anyOf") and isinstance(error.instance, str):
        if _DATE_SHAPE.match(error.instance):  # written right, but no such day (2025-02-30)
            return f"{where}: {error.instance!r} is not a real date"
        return f"{where}: {error.instance!r} is not a valid date (YYYY-MM-DD, optionally THH:MM)"
    return f"{where}: {error.message}"


def _dotted(path: tuple[Any, ...]) -> str:
    """``events[2].date``; the case itself when the path is empty."""
    return format_path(path) if path else "case"


def _moment(value: str) -> tuple[dt.date, dt.time | None]:
    if "T" in value or " " in value:
        stamp = dt.datetime.fromisoformat(value.replace(" ", "T"))
        return stamp.date(), stamp.time()
    return dt.date.fromisoformat(value), None


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


def _stage_dates(case: Case) -> tuple[dict[str, dt.date], dict[str, dt.date]]:
    """When each stage was opened and first responded to, from the whole history.

    Worked from dates rather than list order, so that events given in any order (or several on
    one day) are read the same way.
    """
    opened: dict[str, dt.date] = {"stage1": case.received}
    for event in case.of_type("escalation_requested"):
        if event.to and event.to not in opened:
            opened[event.to] = event.date
    responded: dict[str, dt.date] = {}
    for event in case.of_type("responded"):
        stage = event.stage or _stage_on(opened, event.date)
        responded.setdefault(stage, event.date)
    return opened, responded


def _stage_on(opened: Mapping[str, dt.date], day: dt.date) -> str:
    """The highest stage opened on or before ``day``."""
    open_by_then = [s for s, d in opened.items() if d <= day] or ["stage1"]
    return max(open_by_then, key=lambda s: STAGE_NUMBERS.get(s, 0))


def consistency_findings(case: Case, catalog: FactCatalog,
                         as_of: dt.date | None = None) -> list[Finding]:
    """Events that contradict each other or the case's dates."""
    too_early = _as_of_findings(case, as_of)
    if too_early:  # every event would also be "after the evaluation date": say it once
        return too_early
    out: list[Finding] = [*_range_findings(case), *_matter_findings(case, catalog),
                          *channel_findings(case)]
    opened, responded = _stage_dates(case)
    seen_requests: dict[str, dt.date] = {}
    seen_responses: set[str] = set()
    deferred = False
    panel_met: dt.date | None = None
    for event in case.events:
        at = ("events", event.index)
        if event.date < case.received and event.type != "forwarded":
            out.append(Finding("event-before-receipt",
                               f"events[{event.index}].date: {event.type} on {event.date} is "
                               f"before the complaint was received on {case.received}",
                               (*at, "date")))
            continue
        if as_of is not None and event.date > as_of:
            out.append(Finding("event-after-as-of",
                               f"events[{event.index}].date: {event.type} on {event.date} is after "
                               f"the evaluation date {as_of} and is ignored", (*at, "date"),
                               severity=Severity.WARNING))
            continue
        stage = event.stage
        if (stage is not None and event.type != "escalation_requested"
                and (stage not in opened or opened[stage] > event.date)):
            out.append(Finding("event-stage-not-open",
                               f"events[{event.index}].stage: {event.type} for {stage} on "
                               f"{event.date}, but {stage} was never requested by then",
                               (*at, "stage")))
        if event.type == "escalation_requested" and event.to:
            out.extend(_escalation_findings(event, seen_requests, opened, responded))
            seen_requests.setdefault(event.to, event.date)
        elif event.type == "responded":
            current = stage or _stage_on(opened, event.date)
            if current in seen_responses:
                out.append(Finding("event-duplicate",
                                   f"events[{event.index}]: {current} was already responded to on "
                                   f"{responded[current]}", at, severity=Severity.WARNING))
            seen_responses.add(current)
        elif event.type == "deferred":
            deferred = True
        elif event.type == "resumed":
            if not deferred:
                out.append(Finding("event-order",
                                   f"events[{event.index}].type: resumed on {event.date} but "
                                   "consideration was never deferred", (*at, "type")))
            deferred = False
        elif event.type == "panel_met":
            if "stage3" not in opened or opened["stage3"] > event.date:
                out.append(Finding("event-order",
                                   f"events[{event.index}].type: panel met on {event.date} but no "
                                   "review panel (stage3) was requested by then", (*at, "type")))
            panel_met = event.date
        elif event.type == "panel_report_received" and panel_met is None:
            out.append(Finding("event-order",
                               f"events[{event.index}].type: panel report received on {event.date} "
                               "before any panel meeting", (*at, "type")))
        elif event.type == "forwarded" and event.received and event.received < event.date:
            out.append(Finding("event-order",
                               f"events[{event.index}].received: received on {event.received}, "
                               f"before it was forwarded on {event.date}", (*at, "received")))
        elif event.type == "extension":
            out.extend(_extension_findings(event, responded, opened))
        elif event.type == "escalation_refused" and event.to == "stage1":
            out.append(Finding("event-order",
                               f"events[{event.index}].to: the first stage opens when the "
                               "complaint is received; it cannot be refused as an escalation",
                               (*at, "to")))
    return out


def channel_findings(case: Case) -> list[Finding]:
    """A ``resolved`` event's ``orally`` that contradicts the case's ``channel``.

    How the complaint was made is the case's ``channel`` (SI 2009/309 reg 8(1)(c) needs a
    complaint *made* orally); ``orally`` on the resolution may only repeat it.
    """
    given = case.raw.get("channel")
    shown = f"'{given}'" if given else "not given (so 'written')"
    return [Finding("event-contradicts-channel",
                    f"events[{e.index}].orally: {str(e.orally).lower()} contradicts the case's "
                    f"channel, which is {shown}; say how the complaint was made in 'channel' "
                    "(oral, written or electronic) and drop 'orally'",
                    ("events", e.index, "orally"))
            for e in case.of_type("resolved")
            if e.orally is not None and e.orally != (case.channel == "oral")]


def _escalation_findings(event: Event, seen: Mapping[str, dt.date],
                         opened: Mapping[str, dt.date],
                         responded: Mapping[str, dt.date]) -> list[Finding]:
    at = ("events", event.index)
    target = STAGE_NUMBERS[event.to or "stage1"]
    previous = f"stage{target - 1}"
    if event.to is not None and event.to in seen:
        return [Finding("event-duplicate",
                        f"events[{event.index}].to: {event.to} was already requested on "
                        f"{seen[event.to]}", (*at, "to"), severity=Severity.WARNING)]
    if target <= 1:
        return [Finding("event-order", f"events[{event.index}].to: the first stage opens when "
                        "the complaint is received; it cannot be requested", (*at, "to"))]
    if previous not in opened or opened[previous] > event.date:
        return [Finding("event-order",
                        f"events[{event.index}].to: request for {event.to} on {event.date} but "
                        f"{previous} was never requested", (*at, "to"))]
    if target >= 3 and (previous not in responded or responded[previous] > event.date):
        return [Finding("event-order",
                        f"events[{event.index}].to: request for {event.to} on {event.date} with no "
                        f"{previous} response before it", (*at, "to"))]
    return []


def _extension_findings(event: Event, responded: Mapping[str, dt.date],
                        opened: Mapping[str, dt.date]) -> list[Finding]:
    at = ("events", event.index)
    stage = event.stage or _stage_on(opened, event.date)
    out = []
    if stage in responded and responded[stage] < event.date:
        out.append(Finding("event-order",
                           f"events[{event.index}].date: extension of {stage} on {event.date} after "
                           f"its response on {responded[stage]}", (*at, "date")))
    if event.new_date is not None and event.new_date < event.date:
        out.append(Finding("event-order",
                           f"events[{event.index}].new_date: new date {event.new_date} is before the "
                           f"extension was given on {event.date}", (*at, "new_date")))
    return out


def _range_findings(case: Case) -> list[Finding]:
    """Dates the working-day calendars cannot count from (they cover COVERED_START..END)."""
    from redress.calendar import COVERED_END, COVERED_START

    # Deadlines run up to a couple of years past the last event (Ombudsman time limits).
    last = COVERED_END.replace(year=COVERED_END.year - 2)
    places: list[tuple[Path, dt.date | None]] = [(("received",), case.received)]
    for event in case.events:
        at = ("events", event.index)
        places.extend([((*at, "date"), event.date), ((*at, "new_date"), event.new_date),
                       ((*at, "until"), event.until), ((*at, "received"), event.received)])
    places.extend((("matter", key), _opt_date(case.matter.get(key)))
                  for key in ("occurred", "aware"))
    return [Finding("date-out-of-range",
                    f"{format_path(path)}: {day} is outside the years Redress can count working "
                    f"days for ({COVERED_START} to {last})", path)
            for path, day in places if day is not None and not COVERED_START <= day <= last]


def _as_of_findings(case: Case, as_of: dt.date | None) -> list[Finding]:
    """An evaluation date before receipt would give a plausible but meaningless result."""
    if as_of is None or as_of >= case.received:
        return []
    return [Finding("as-of-before-receipt",
                    f"received: the evaluation date {as_of} is before the complaint was received "
                    f"on {case.received}; there is nothing to evaluate yet", ("received",),
                    hint="give an --as-of (as_of) on or after the date received")]


def _matter_findings(case: Case, catalog: FactCatalog) -> list[Finding]:
    out = []
    occurred, aware = case.matter_date("occurred"), case.matter_date("aware")
    if occurred and aware and aware < occurred:
        out.append(Finding("matter-dates",
                           f"matter.aware: became aware on {aware}, before it occurred on "
                           f"{occurred}", ("matter", "aware")))
    for key, day in (("occurred", occurred), ("aware", aware)):
        if day and day > case.received:
            out.append(Finding("matter-dates",
                               f"matter.{key}: {day} is after the complaint was received on "
                               f"{case.received}", ("matter", key)))
    topics = catalog.get("matter.topics")
    allowed = topics.values if topics else ()
    for i, topic in enumerate(case.matter.get("topics") or ()):
        if allowed and topic not in allowed:
            hint = choice_hint(topic, allowed, short=0) or (
                f"the topics are: {', '.join(map(str, allowed))}")
            out.append(Finding("unknown-topic", f"matter.topics[{i}]: unknown topic {topic!r}",
                               ("matter", "topics", i), hint=hint))
    return out


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
