"""Frozen, typed view of one policy version, built from its merged, schema-valid dict.

The loader and ``policyset`` deal with files, ``extends`` and versions; this module only turns a
resolved dict into values the engine can use without re-checking keys.  Field names follow the
YAML keys so the policy, the code and the documentation share one vocabulary.

The parts of a version are frozen ``msgspec`` structs (equality, hash, repr and immutability as
frozen dataclasses have them): a dataclass writes and compiles its methods when its module is
imported, about 4 million instructions a class, paid by every start of the command line.
``Citation`` (a part of every result) and ``Policy`` (whose ``raw`` is left out of equality)
stay dataclasses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import Any

from msgspec import Struct

from redress.calendar.periods import Period as Period  # re-exported: policies declare periods
from redress.frozen_dataclass import frozen_dataclass

PERIOD_UNITS = ("working_days", "calendar_days", "weeks", "months", "years")


def citation_id(instrument: str, short: str, provision: str, url: str) -> str:
    """A stable id for a citation: the same instrument, provision and link give the same id,
    in every release and every process (``c-`` and 12 hex digits of a SHA-256)."""
    key = json.dumps([instrument, short, provision, url])
    return "c-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


@frozen_dataclass
class Citation:
    """Where a rule comes from: instrument, provision and a link."""

    instrument: str
    short: str
    provision: str
    url: str

    @cached_property
    def text(self) -> str:
        """``SI 2006/1738 reg 14(2)``."""
        return f"{self.short} {self.provision}".strip()

    @cached_property
    def id(self) -> str:
        """The citation's stable id (``citation_id``), as a lean result names it."""
        return citation_id(self.instrument, self.short, self.provision, self.url)

    @cached_property
    def _as_dict(self) -> dict[str, str]:
        return {"instrument": self.instrument, "short": self.short,
                "provision": self.provision, "url": self.url, "text": self.text}

    def to_dict(self) -> dict[str, str]:
        return dict(self._as_dict)  # a copy: the caller may change it


class DeadlineRule(Struct, frozen=True):
    """One clock of a stage: its kind, period, anchor event and counting convention."""

    kind: str
    title: str
    period: Period | None       # None only for a period agreed with the complainant
    anchor: str                 # an anchor event name, or "deadline" (see anchor_deadline)
    anchor_deadline: str | None
    counting: str
    met_by: str
    consent: str | None
    condition: str | None
    tail: str | None
    calendar: str
    citation: Citation
    agreed_period: bool = False  # due date is the end of a period agreed with the complainant
    note: str | None = None      # a caveat for reviewers and calling systems
    # The period is the most allowed *without good reason*: a longer extension is accepted, and
    # flagged by whether it gives a reason (Housing Ombudsman Code 2024 6.4 and stage 2).
    longer_with_reason: bool = False
    # Other events that also meet it when they come first (Housing Ombudsman Code 6.2: a full
    # stage 1 response sent within the acknowledgement period acknowledges and defines it too).
    also_met_by: tuple[str, ...] = ()

    @property
    def met_by_events(self) -> tuple[str, ...]:
        return (self.met_by, *self.also_met_by)

    @property
    def is_extension(self) -> bool:
        return self.consent is not None or self.agreed_period


class Limb(Struct, frozen=True):
    """A second period of a time limit or window: an outer cap, or a limb that applies if later.

    ``anchor`` is a matter date (``occurred``, ``aware``, ``later_of_occurred_or_aware``) or, on
    a window, an event of the stage (``responded``, …).
    """

    period: Period
    anchor: str
    counting: str
    citation: Citation | None = None
    note: str | None = None


class Window(Struct, frozen=True):
    """The period for asking for the next stage."""

    title: str
    period: Period
    anchor: str
    counting: str
    late: str
    calendar: str
    citation: Citation
    note: str | None = None
    or_later: Limb | None = None   # the window ends on the later of the two


class Stage(Struct, frozen=True):
    id: str
    number: int
    title: str
    handled_by: str
    citation: Citation
    deadlines: tuple[DeadlineRule, ...]
    next_stage: str | None
    window: Window | None
    note: str | None = None

    def deadline(self, kind: str) -> DeadlineRule | None:
        return next((d for d in self.deadlines if d.kind == kind), None)


class Entitlement(Struct, frozen=True):
    id: str
    title: str
    description: str
    stages: tuple[str, ...]
    citation: Citation
    note: str | None = None


class Exclusion(Struct, frozen=True):
    id: str
    title: str
    topics: tuple[str, ...]
    when: Mapping[str, Any] | None
    goes_to: str | None
    reason: str
    citation: Citation
    note: str | None = None


class Deferral(Struct, frozen=True):
    id: str
    title: str
    proceedings: tuple[str, ...]
    effect: str
    reason: str
    citation: Citation
    note: str | None = None


class TimeLimit(Struct, frozen=True):
    period: Period
    anchor: str
    counting: str
    late: str
    discretion: str
    citation: Citation
    note: str | None = None
    outer_limit: Limb | None = None   # the last permitted day is the earlier of the two


class OmbudsmanRoute(Struct, frozen=True):
    body: str
    title: str
    time_limit: TimeLimit | None
    premature: str
    citation: Citation
    note: str | None = None


class Reading(Struct, frozen=True):
    id: str
    description: str
    overrides: Mapping[str, Any]


class Ambiguity(Struct, frozen=True):
    id: str
    title: str
    description: str
    default: str
    why_default: str
    readings: tuple[Reading, ...]
    citation: Citation


class VersionInfo(Struct, frozen=True):
    id: str
    effective_from: dt.datetime
    effective_to: dt.datetime | None
    summary: str

    def in_force(self, moment: dt.datetime) -> bool:
        return self.effective_from <= moment and (
            self.effective_to is None or moment <= self.effective_to)


@frozen_dataclass
class Policy:
    """One version of one procedure, fully resolved."""

    id: str
    title: str
    kind: str
    family: str
    nation: str
    calendar: str
    closures: tuple[tuple[dt.date, str], ...]
    bodies: tuple[str, ...]
    services: tuple[str, ...]
    organisations: tuple[str, ...]
    receipt_rule: str
    after_hours_from: dt.time | None
    receipt_citation: Citation | None
    time_limit: TimeLimit | None
    exclusions: tuple[Exclusion, ...]
    deferrals: tuple[Deferral, ...]
    stages: tuple[Stage, ...]
    entitlements: tuple[Entitlement, ...]
    ombudsman: OmbudsmanRoute | None
    other_routes: tuple[OmbudsmanRoute, ...]
    partnership: Mapping[str, Any]
    ambiguities: tuple[Ambiguity, ...]
    version: VersionInfo
    citation: Citation | None
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def entitlement(self, ent_id: str) -> Entitlement | None:
        return next((e for e in self.entitlements if e.id == ent_id), None)

    @property
    def ombudsman_routes(self) -> tuple[OmbudsmanRoute, ...]:
        """Every Ombudsman route: the main one first, then ``other_routes``."""
        return ((self.ombudsman,) if self.ombudsman else ()) + self.other_routes

    def route(self, body: str) -> OmbudsmanRoute | None:
        """The Ombudsman route for ``body``: the main route or one of ``other_routes``."""
        return next((r for r in self.ombudsman_routes if r.body == body), None)


# ---------------------------------------------------------------------------------------------
# Building from a resolved dict


def parse_moment(value: str, end_of_day: bool = False) -> dt.datetime:
    """A version boundary: a date (start or end of that day) or a date-time."""
    if "T" in value or " " in value:
        return dt.datetime.fromisoformat(value)
    day = dt.date.fromisoformat(value)
    return dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)


def build_citation(raw: Mapping[str, Any] | None, sources: Mapping[str, Any]) -> Citation:
    raw = raw or {}
    source = sources.get(raw.get("source", ""), {})
    return Citation(
        instrument=str(source.get("title", raw.get("source", ""))),
        short=str(source.get("short", source.get("title", raw.get("source", "")))),
        provision=str(raw.get("provision", "")),
        url=str(raw.get("url") or source.get("url", "")),
    )


def build_period(raw: Mapping[str, Any]) -> Period:
    unit = next(u for u in PERIOD_UNITS if u in raw)
    return Period(unit, int(raw[unit]))


def _note(raw: Mapping[str, Any]) -> str | None:
    """A unit's ``note``: folded to one line, or ``None`` when it has none."""
    note = raw.get("note")
    if note is None:
        return None
    return " ".join(str(note).split()) or None


def _names(raw: Any) -> tuple[str, ...]:
    """One event name or a list of them (``also_met_by``)."""
    if raw is None:
        return ()
    return (str(raw),) if isinstance(raw, str) else tuple(str(x) for x in raw)


def _anchor(raw: Any) -> tuple[str, str | None]:
    if isinstance(raw, Mapping):
        return "deadline", str(raw["deadline"])
    return str(raw), None


def _deadline(kind: str, raw: Mapping[str, Any], calendar: str,
              sources: Mapping[str, Any]) -> DeadlineRule:
    anchor, anchor_deadline = _anchor(raw.get("from", "received"))
    extension = raw.get("extension") or {}
    return DeadlineRule(
        kind=kind,
        title=str(raw.get("title", kind.replace("_", " "))),
        period=build_period(raw["period"]) if raw.get("period") else None,
        anchor=anchor,
        anchor_deadline=anchor_deadline,
        counting=str(raw.get("counting", "after")),
        met_by=str(raw.get("met_by", "responded")),
        consent=extension.get("consent"),
        condition=extension.get("condition"),
        tail=raw.get("tail"),
        calendar=str(raw.get("calendar", calendar)),
        citation=build_citation(raw.get("citation"), sources),
        agreed_period=bool(extension.get("agreed_period", False)),
        note=_note(raw),
        longer_with_reason=bool(extension.get("longer_with_reason", False)),
        also_met_by=_names(raw.get("also_met_by")),
    )


def _limb(raw: Mapping[str, Any] | None, default_anchor: str,
          sources: Mapping[str, Any]) -> Limb | None:
    """An ``outer_limit`` or ``or_later``: a period, its anchor and counting."""
    if not raw:
        return None
    return Limb(period=build_period(raw["period"]), anchor=str(raw.get("from", default_anchor)),
                counting=str(raw.get("counting", "after")),
                citation=build_citation(raw["citation"], sources) if raw.get("citation") else None,
                note=_note(raw))


def _window(raw: Mapping[str, Any] | None, calendar: str,
            sources: Mapping[str, Any]) -> Window | None:
    if not raw:
        return None
    return Window(
        title=str(raw.get("title", "Ask for the next stage")),
        period=build_period(raw["period"]),
        anchor=str(raw.get("from", "responded")),
        counting=str(raw.get("counting", "after")),
        late=str(raw.get("late", "discretion")),
        calendar=str(raw.get("calendar", calendar)),
        citation=build_citation(raw.get("citation"), sources),
        note=_note(raw),
        or_later=_limb(raw.get("or_later"), "occurred", sources),
    )


def _stages(raw: Mapping[str, Any], calendar: str, sources: Mapping[str, Any]) -> tuple[Stage, ...]:
    stages = []
    for number, (stage_id, body) in enumerate(raw.items(), start=1):
        nxt = body.get("next") or {}
        stages.append(Stage(
            id=stage_id,
            number=number,
            title=str(body.get("title", stage_id)),
            handled_by=str(body.get("handled_by", "")),
            citation=build_citation(body.get("citation"), sources),
            deadlines=tuple(_deadline(kind, d, calendar, sources)
                            for kind, d in (body.get("deadlines") or {}).items()),
            next_stage=nxt.get("stage"),
            window=_window(nxt.get("window"), calendar, sources),
            note=_note(body),
        ))
    return tuple(stages)


def _time_limit(raw: Mapping[str, Any] | None, sources: Mapping[str, Any]) -> TimeLimit | None:
    if not raw:
        return None
    return TimeLimit(
        period=build_period(raw["period"]),
        anchor=str(raw.get("from", "occurred")),
        counting=str(raw.get("counting", "after")),
        late=str(raw.get("late", "discretion")),
        discretion=str(raw.get("discretion", "")),
        citation=build_citation(raw.get("citation"), sources),
        note=_note(raw),
        outer_limit=_limb(raw.get("outer_limit"), "occurred", sources),
    )


def _route(body: str, raw: Mapping[str, Any], sources: Mapping[str, Any]) -> OmbudsmanRoute:
    return OmbudsmanRoute(body=body, title=str(raw.get("title", body)),
                          time_limit=_time_limit(raw.get("time_limit"), sources),
                          premature=str(raw.get("premature", "")),
                          citation=build_citation(raw.get("citation"), sources),
                          note=_note(raw))


def build_policy(resolved: Mapping[str, Any], version: Mapping[str, Any],
                 family: str | None = None) -> Policy:
    """A ``Policy`` from a merged policy dict and the version entry that produced it."""
    sources = resolved.get("sources") or {}
    calendar = str(resolved.get("calendar", "england-and-wales"))
    receipt = resolved.get("receipt") or {}
    omb = resolved.get("ombudsman")
    after_hours = receipt.get("after_hours_from")
    return Policy(
        id=str(resolved["id"]),
        title=str(resolved.get("title", resolved["id"])),
        kind=str(resolved.get("kind", "procedure")),
        family=family or str(resolved["id"]),
        nation=str(resolved.get("nation", "england")),
        calendar=calendar,
        closures=tuple((dt.date.fromisoformat(c["date"]), str(c.get("name", "local closure")))
                       for c in resolved.get("closures") or ()),
        bodies=tuple(resolved.get("bodies") or ()),
        services=tuple(resolved.get("services") or ()),
        organisations=tuple(resolved.get("organisations") or ()),
        receipt_rule=str(receipt.get("non_working_day", "as_received")),
        after_hours_from=dt.time.fromisoformat(after_hours) if after_hours else None,
        receipt_citation=build_citation(receipt["citation"], sources)
        if receipt.get("citation") else None,
        time_limit=_time_limit(resolved.get("time_limit"), sources),
        exclusions=tuple(
            Exclusion(id=k, title=str(v.get("title", k)), topics=tuple(v.get("topics") or ()),
                      when=v.get("when"), goes_to=v.get("goes_to"),
                      reason=str(v.get("reason", "")),
                      citation=build_citation(v.get("citation"), sources), note=_note(v))
            for k, v in (resolved.get("exclusions") or {}).items()),
        deferrals=tuple(
            Deferral(id=k, title=str(v.get("title", k)),
                     proceedings=tuple(v.get("proceedings") or ()),
                     effect=str(v.get("effect", "may_defer")), reason=str(v.get("reason", "")),
                     citation=build_citation(v.get("citation"), sources), note=_note(v))
            for k, v in (resolved.get("deferrals") or {}).items()),
        stages=_stages(resolved.get("stages") or {}, calendar, sources),
        entitlements=tuple(
            Entitlement(id=k, title=str(v.get("title", k)),
                        description=str(v.get("description", "")),
                        stages=tuple(v.get("stages") or ()),
                        citation=build_citation(v.get("citation"), sources), note=_note(v))
            for k, v in (resolved.get("entitlements") or {}).items()),
        ombudsman=_route(str(omb["body"]), omb, sources) if omb else None,
        other_routes=tuple(_route(body, raw, sources)
                           for body, raw in (omb or {}).get("other_routes", {}).items()),
        partnership=dict(resolved.get("partnership") or {}),
        ambiguities=tuple(
            Ambiguity(id=k, title=str(v.get("title", k)),
                      description=str(v.get("description", "")),
                      default=str(v.get("default", "")), why_default=str(v.get("why_default", "")),
                      readings=tuple(Reading(rid, str(r.get("description", "")),
                                             dict(r.get("overrides") or {}))
                                     for rid, r in (v.get("readings") or {}).items()),
                      citation=build_citation(v.get("citation"), sources))
            for k, v in (resolved.get("ambiguities") or {}).items()),
        version=VersionInfo(
            id=str(version.get("id", version.get("effective_from", ""))),
            effective_from=parse_moment(str(version["effective_from"])),
            effective_to=parse_moment(str(version["effective_to"]), end_of_day=True)
            if version.get("effective_to") else None,
            summary=str(version.get("summary", ""))),
        citation=build_citation(resolved["citation"], sources)
        if resolved.get("citation") else None,
        raw=resolved,
    )
