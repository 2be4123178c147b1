"""Each procedure's statutory figures: the figures of its report definition (``reports/*.yaml``),
each computed by its measure with the citation that requires it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from redress.policy.model import Citation
from redress.policy.report_definitions import Figure, ReportDefinition
from redress.report.catalog import ProcedureFacts
from redress.report.figures import (
    EXTENDED,
    LATE,
    ON_TIME,
    STAGES,
    Period,
    Record,
    complaint_start,
    counts,
    in_time_share,
    record_of,
    response_timeliness,
    share,
    stage_record,
)
from redress.report.ombudsman import (
    decided_in,
    local_remedies,
    omb,
    recommendations_due,
    remedies,
    unmatched,
)
from redress.report.stages import version_of


@dataclass(frozen=True)
class Scope:
    """What one procedure's figures are computed over."""

    rows: Sequence[Record]
    period: Period
    facts: ProcedureFacts
    homes: int | None = None
    references: Sequence[str] = ()

    @property
    def started(self) -> list[Record]:
        return [r for r in self.rows if self.period.holds(complaint_start(r))]


def statutory(definition: ReportDefinition, scope: Scope) -> dict[str, Any]:
    return {
        "id": definition.id, "title": definition.title, "period": definition.period,
        "year_ends": definition.year_ends, "confidence": definition.confidence,
        "note": definition.note, "citation": _cite(definition.citation),
        "figures": [_figure(f, scope) for f in definition.figures],
    }


def _cite(c: Citation) -> dict[str, str]:
    return c.to_dict()


def _figure(figure: Figure, scope: Scope) -> dict[str, Any]:
    unit, value, detail = measure(figure, scope)
    return {"id": figure.id, "title": figure.title, "measure": figure.measure,
            "stage": figure.stage, "unit": unit, "value": value, "detail": detail,
            "citation": _cite(figure.citation), "note": figure.note}


def resolved_at_stage1(scope: Scope) -> dict[str, Any]:
    """Of the stage 1 responses in the period, the share that did not go on to stage 2; no
    figure (0 of 0) for a procedure with one stage."""
    if scope.facts.stage_count == 1:
        return share(0, 0)
    answered = [r for r in scope.rows
                if scope.period.holds((stage_record(r, "stage1") or {}).get("responded"))]
    return share(sum(1 for r in answered if stage_record(r, "stage2") is None), len(answered))


def on_time(scope: Scope, stages: Sequence[str]) -> tuple[str, Any, Any]:
    """The share of responses at ``stages`` sent in time, split by the version of the rules."""
    responses = [(r, s) for r in scope.rows for s in stages
                 if scope.period.holds((stage_record(r, s) or {}).get("responded"))]
    overall = _in_time(responses)
    versions = []
    for key in sorted({version_of(r) for r, _ in responses}, key=lambda k: str(k[1])):
        version = scope.facts.version(*key)
        part = _in_time([(r, s) for r, s in responses if version_of(r) == key])
        versions.append({"version": version.id, "label": version.label(), **part})
    return "share", overall["share"], {**overall, "by_version": versions}


def _in_time(responses: Sequence[tuple[Record, str]]) -> dict[str, Any]:
    found = response_timeliness(responses)
    return {**in_time_share(responses), ON_TIME: found.get(ON_TIME, 0),
            EXTENDED: found.get(EXTENDED, 0), LATE: found.get(LATE, 0)}


def measure(figure: Figure, scope: Scope) -> tuple[str, Any, Any]:
    """(unit, value, detail) of one figure over one procedure's complaint records."""
    m, stage = figure.measure, figure.stage
    if m in _COUNTS:
        return "count", _COUNTS[m](figure, scope), None
    if m == "ombudsman_decisions":
        decided = [str((omb(r) or {}).get("decision")) for r in decided_in(scope.rows,
                                                                          scope.period)]
        return "breakdown", len(decided), counts(decided)
    if m == "ombudsman_unmatched":
        found = unmatched(scope.rows, scope.references)
        return "count", len(found), found
    if m == "resolved_at_stage1":
        s = resolved_at_stage1(scope)
        return "share", s["share"], s
    if m == "responded_on_time":
        return on_time(scope, [stage] if stage else list(STAGES))
    if m == "per_1000_homes":
        return _per_homes(figure, scope)
    if m == "subject_matter":
        started = scope.started
        return "breakdown", len(started), counts(t for r in started
                                                 for t in record_of(r).get("topics") or ())
    if m == "remedies":
        detail = _remedies(figure, scope)
        return "breakdown", detail["total"], detail
    if m == "cost":
        detail = cost(scope.started)
        return "money", detail["total"], detail["by_stage"]
    if m in ("compliments", "representations", "routed_elsewhere"):
        return "count", 0, "counted for the whole body under records that are not complaints"
    return "narrative", None, "for the complaints manager to write: Redress cannot compute it"


def _received(figure: Figure, scope: Scope) -> int:
    if figure.stage is None:
        return len(scope.started)
    return sum(1 for r in scope.rows
               if scope.period.holds((stage_record(r, figure.stage) or {}).get("opened")))


def _responded(figure: Figure, scope: Scope) -> int:
    chosen = [figure.stage] if figure.stage else list(STAGES)
    return sum(1 for r in scope.rows for s in chosen
               if scope.period.holds((stage_record(r, s) or {}).get("responded")))


def _referred(figure: Figure, scope: Scope) -> int:
    bodies = {b.upper() for b in figure.ombudsman}
    return sum(1 for r in scope.rows if (o := omb(r)) and scope.period.holds(o.get("referred"))
               and (not bodies or str(o.get("body") or "").upper() in bodies))


_COUNTS: dict[str, Callable[[Figure, Scope], int]] = {
    "received": _received, "escalated": _received, "responded": _responded,
    "upheld": lambda f, s: _decided(s, f.measure),
    "partly_upheld": lambda f, s: _decided(s, f.measure),
    "not_upheld": lambda f, s: _decided(s, f.measure),
    "well_founded": lambda f, s: sum(1 for r in s.started
                                     if record_of(r).get("well_founded") is True),
    "referred_to_ombudsman": _referred,
    "withdrawn": lambda f, s: sum(1 for r in s.rows
                                  if s.period.holds(record_of(r).get("withdrawn"))),
}


def _decided(scope: Scope, outcome: str) -> int:
    return sum(1 for r in scope.started if record_of(r).get("outcome") == outcome)


def _per_homes(figure: Figure, scope: Scope) -> tuple[str, Any, Any]:
    stage = figure.stage or "stage1"
    received = sum(1 for r in scope.rows
                   if scope.period.holds((stage_record(r, stage) or {}).get("opened")))
    if not scope.homes:
        return "rate", None, {"received": received, "homes": None,
                              "why": "give the number of homes (--homes) to compute it"}
    return "rate", round(received / scope.homes * 1000, 2), {"received": received,
                                                             "homes": scope.homes}


def _remedies(figure: Figure, scope: Scope) -> dict[str, Any]:
    """Local remedies with their complaint; the Ombudsman's recommendations by due date."""
    local = local_remedies(scope.started) if figure.source != "ombudsman" else []
    ombudsman = (recommendations_due(scope.rows, scope.period)
                 if figure.source != "local" else [])
    return remedies([*local, *ombudsman])


def cost(rows: Sequence[Record]) -> dict[str, Any]:
    by_stage: dict[str, float] = {}
    for r in rows:
        for c in record_of(r).get("costs") or ():
            key = str(c.get("stage") or "unstaged")
            by_stage[key] = by_stage.get(key, 0.0) + float(c.get("amount") or 0)
    return {"total": round(sum(by_stage.values()), 2),
            "by_stage": {k: round(v, 2) for k, v in sorted(by_stage.items())}}


__all__ = ["Scope", "cost", "measure", "on_time", "resolved_at_stage1", "statutory"]
