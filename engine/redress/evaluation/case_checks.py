"""Events that contradict each other or the case's dates, each a finding with its path.

A response before the complaint was received, a stage 3 request with no stage 2 response, a
panel report before any panel meeting, a date the calendars cannot count from…  Errors stop the
evaluation; warnings (an event after the evaluation date, a duplicate) go into the result.
The checks read a case through :class:`CaseView`, which both the evaluation's case and the
reference path's case provide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import msgspec
from msgspec import Struct

from redress.calendar import COVERED_END, COVERED_START
from redress.findings import Finding, Path, Severity, choice_hint, format_path
from redress.policy.facts_catalog import FactCatalog

STAGE_ORDER = {"stage1": 1, "stage2": 2, "stage3": 3}
# Deadlines run up to a couple of years past the last event (Ombudsman time limits).
LAST_COUNTABLE = COVERED_END.replace(year=COVERED_END.year - 2)


class EventView(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def type(self) -> str: ...
    @property
    def stage(self) -> str | None: ...
    @property
    def to(self) -> str | None: ...
    @property
    def new_date(self) -> dt.date | None: ...
    @property
    def until(self) -> dt.date | None: ...
    @property
    def received(self) -> dt.date | None: ...
    @property
    def orally(self) -> bool | None: ...


class CaseView(Protocol):
    @property
    def received(self) -> dt.date: ...
    @property
    def channel(self) -> str: ...
    @property
    def events(self) -> Sequence[Any]: ...
    def matter_date(self, key: str) -> dt.date | None: ...
    def topics(self) -> Sequence[str]: ...
    def given_channel(self) -> str | None: ...


class _Replay(Struct):
    """What the checks have seen so far, walking the events in order."""

    received: dt.date
    opened: dict[str, dt.date]
    responded: dict[str, dt.date]
    requests: dict[str, dt.date] = msgspec.field(default_factory=dict)
    responses: set[str] = msgspec.field(default_factory=set)
    deferred: bool = False
    panel_met: dt.date | None = None


def stage_on(opened: Mapping[str, dt.date], day: dt.date) -> str:
    """The highest stage opened on or before ``day``."""
    open_by_then = [s for s, d in opened.items() if d <= day] or ["stage1"]
    return max(open_by_then, key=lambda s: STAGE_ORDER.get(s, 0))


def stage_dates(case: CaseView) -> tuple[dict[str, dt.date], dict[str, dt.date]]:
    """When each stage was opened and first responded to, from the whole history.

    Worked from dates rather than list order, so that events given in any order (or several on
    one day) are read the same way.
    """
    opened: dict[str, dt.date] = {"stage1": case.received}
    for event in case.events:
        if event.type == "escalation_requested" and event.to and event.to not in opened:
            opened[event.to] = event.date
    responded: dict[str, dt.date] = {}
    for event in case.events:
        if event.type == "responded":
            responded.setdefault(event.stage or stage_on(opened, event.date), event.date)
    return opened, responded


def consistency_findings(case: CaseView, catalog: FactCatalog,
                         as_of: dt.date | None = None) -> list[Finding]:
    """Events that contradict each other or the case's dates."""
    too_early = _as_of_findings(case, as_of)
    if too_early:  # every event would also be "after the evaluation date": say it once
        return too_early
    out: list[Finding] = [*_range_findings(case), *_matter_findings(case, catalog),
                          *channel_findings(case)]
    replay = _Replay(case.received, *stage_dates(case))
    received, opened, by_type = case.received, replay.opened, _BY_TYPE
    for event in case.events:
        day, stage, kind = event.date, event.stage, event.type
        # Most events need no words: on or after receipt, by the evaluation date, at a stage
        # already open, of a type with nothing more to check.
        if day < received and kind != "forwarded":
            out.append(_before_receipt(event, received))
            continue
        if as_of is not None and day > as_of:
            out.append(_after_as_of(event, as_of))
            continue
        if (stage is not None and kind != "escalation_requested"
                and (stage not in opened or opened[stage] > day)):
            out.append(_stage_not_open(event))
        check = by_type.get(kind)
        if check is not None:
            found = check(event, replay)
            if found:
                out.extend(found)
    return out


def _before_receipt(event: EventView, received: dt.date) -> Finding:
    return Finding("event-before-receipt",
                   f"events[{event.index}].date: {event.type} on {event.date} is before the "
                   f"complaint was received on {received}", ("events", event.index, "date"))


def _after_as_of(event: EventView, as_of: dt.date) -> Finding:
    return Finding("event-after-as-of",
                   f"events[{event.index}].date: {event.type} on {event.date} is after the "
                   f"evaluation date {as_of} and is ignored", ("events", event.index, "date"),
                   severity=Severity.WARNING)


def _stage_not_open(event: EventView) -> Finding:
    return Finding("event-stage-not-open",
                   f"events[{event.index}].stage: {event.type} for {event.stage} on "
                   f"{event.date}, but {event.stage} was never requested by then",
                   ("events", event.index, "stage"))


def _escalation(event: EventView, replay: _Replay) -> list[Finding]:
    if not event.to:
        return []
    found = _escalation_findings(event, replay.requests, replay.opened, replay.responded)
    replay.requests.setdefault(event.to, event.date)
    return found


def _response(event: EventView, replay: _Replay) -> list[Finding]:
    current = event.stage or stage_on(replay.opened, event.date)
    found = []
    if current in replay.responses:
        found.append(Finding("event-duplicate",
                             f"events[{event.index}]: {current} was already responded to on "
                             f"{replay.responded[current]}", ("events", event.index),
                             severity=Severity.WARNING))
    replay.responses.add(current)
    return found


def _deferral(event: EventView, replay: _Replay) -> list[Finding]:
    replay.deferred = True
    return []


def _resumption(event: EventView, replay: _Replay) -> list[Finding]:
    found = []
    if not replay.deferred:
        found.append(Finding("event-order",
                             f"events[{event.index}].type: resumed on {event.date} but "
                             "consideration was never deferred", ("events", event.index, "type")))
    replay.deferred = False
    return found


def _panel(event: EventView, replay: _Replay) -> list[Finding]:
    found = []
    if "stage3" not in replay.opened or replay.opened["stage3"] > event.date:
        found.append(Finding("event-order",
                             f"events[{event.index}].type: panel met on {event.date} but no "
                             "review panel (stage3) was requested by then",
                             ("events", event.index, "type")))
    replay.panel_met = event.date
    return found


def _panel_report(event: EventView, replay: _Replay) -> list[Finding]:
    if replay.panel_met is not None:
        return []
    return [Finding("event-order",
                    f"events[{event.index}].type: panel report received on {event.date} before "
                    "any panel meeting", ("events", event.index, "type"))]


def _forwarding(event: EventView, replay: _Replay) -> list[Finding]:
    if not (event.received and event.received < event.date):
        return []
    return [Finding("event-order",
                    f"events[{event.index}].received: received on {event.received}, before it "
                    f"was forwarded on {event.date}", ("events", event.index, "received"))]


def _extension(event: EventView, replay: _Replay) -> list[Finding]:
    at = ("events", event.index)
    stage = event.stage or stage_on(replay.opened, event.date)
    out = []
    if stage in replay.responded and replay.responded[stage] < event.date:
        out.append(Finding("event-order",
                           f"events[{event.index}].date: extension of {stage} on {event.date} after "
                           f"its response on {replay.responded[stage]}", (*at, "date")))
    if event.new_date is not None and event.new_date < event.date:
        out.append(Finding("event-order",
                           f"events[{event.index}].new_date: new date {event.new_date} is before the "
                           f"extension was given on {event.date}", (*at, "new_date")))
    return out


def _refusal(event: EventView, replay: _Replay) -> list[Finding]:
    if event.to != "stage1":
        return []
    return [Finding("event-order",
                    f"events[{event.index}].to: the first stage opens when the complaint is "
                    "received; it cannot be refused as an escalation", ("events", event.index, "to"))]


_BY_TYPE: dict[str, Callable[[EventView, _Replay], list[Finding]]] = {
    "escalation_requested": _escalation, "responded": _response, "deferred": _deferral,
    "resumed": _resumption, "panel_met": _panel, "panel_report_received": _panel_report,
    "forwarded": _forwarding, "extension": _extension, "escalation_refused": _refusal,
}


def channel_findings(case: CaseView) -> list[Finding]:
    """A ``resolved`` event's ``orally`` that contradicts the case's ``channel``.

    How the complaint was made is the case's ``channel`` (SI 2009/309 reg 8(1)(c) needs a
    complaint *made* orally); ``orally`` on the resolution may only repeat it.
    """
    wrong = [e for e in case.events if e.type == "resolved" and e.orally is not None
             and e.orally != (case.channel == "oral")]
    if not wrong:
        return []
    given = case.given_channel()
    shown = f"'{given}'" if given else "not given (so 'written')"
    return [Finding("event-contradicts-channel",
                    f"events[{e.index}].orally: {str(e.orally).lower()} contradicts the case's "
                    f"channel, which is {shown}; say how the complaint was made in 'channel' "
                    "(oral, written or electronic) and drop 'orally'",
                    ("events", e.index, "orally")) for e in wrong]


def _escalation_findings(event: EventView, seen: Mapping[str, dt.date],
                         opened: Mapping[str, dt.date],
                         responded: Mapping[str, dt.date]) -> list[Finding]:
    at = ("events", event.index)
    target = STAGE_ORDER[event.to or "stage1"]
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


def _range_findings(case: CaseView) -> list[Finding]:
    """Dates the working-day calendars cannot count from (they cover COVERED_START..END)."""
    first, last = COVERED_START, LAST_COUNTABLE
    events = case.events
    # The events are in date order: only when one of the dates is outside are the places listed.
    if (first <= case.received <= last
            and (not events or (first <= events[0].date and events[-1].date <= last))
            and _other_dates_countable(events, first, last)
            and all(d is None or first <= d <= last
                    for d in (case.matter_date("occurred"), case.matter_date("aware")))):
        return []
    places: list[tuple[Path, dt.date | None]] = [(("received",), case.received)]
    for event in case.events:
        at = ("events", event.index)
        places.extend([((*at, "date"), event.date), ((*at, "new_date"), event.new_date),
                       ((*at, "until"), event.until), ((*at, "received"), event.received)])
    places.extend((("matter", key), case.matter_date(key)) for key in ("occurred", "aware"))
    return [Finding("date-out-of-range",
                    f"{format_path(path)}: {day} is outside the years Redress can count working "
                    f"days for ({COVERED_START} to {LAST_COUNTABLE})", path)
            for path, day in places
            if day is not None and not COVERED_START <= day <= LAST_COUNTABLE]


def _other_dates_countable(events: Sequence[EventView], first: dt.date, last: dt.date) -> bool:
    """Whether every event's new date, agreed date and date received (mostly not given) is
    countable."""
    for e in events:
        new_date, until, received = e.new_date, e.until, e.received
        if ((new_date is not None and not first <= new_date <= last)
                or (until is not None and not first <= until <= last)
                or (received is not None and not first <= received <= last)):
            return False
    return True


def _as_of_findings(case: CaseView, as_of: dt.date | None) -> list[Finding]:
    """An evaluation date before receipt would give a plausible but meaningless result."""
    if as_of is None or as_of >= case.received:
        return []
    return [Finding("as-of-before-receipt",
                    f"received: the evaluation date {as_of} is before the complaint was received "
                    f"on {case.received}; there is nothing to evaluate yet", ("received",),
                    hint="give an --as-of (as_of) on or after the date received")]


def _matter_findings(case: CaseView, catalog: FactCatalog) -> list[Finding]:
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
    for i, topic in enumerate(case.topics()):
        if allowed and topic not in allowed:
            hint = choice_hint(topic, allowed, short=0) or (
                f"the topics are: {', '.join(map(str, allowed))}")
            out.append(Finding("unknown-topic", f"matter.topics[{i}]: unknown topic {topic!r}",
                               ("matter", "topics", i), hint=hint))
    return out


__all__ = ["CaseView", "channel_findings", "consistency_findings", "stage_dates", "stage_on"]
