"""The complaints report from result records: per procedure and stage, the statutory figures of
each procedure's report definition, records that are not complaints, remedies, cost and the
Ombudsman cross-reference.  The output is plain data described by ``schemas/report.schema.json``.

What falls in the period (both ends inclusive):
* a stage is *received* when it opened in the period, and *responded* when its first response
  was sent in the period; timeliness and working days are counted for responses in the period;
* a complaint's decision, topics, withdrawal, remedies and cost belong to the complaint, which is
  in the period when its clock started in it (a representation: when it became a complaint);
* a compliment, representation or matter routed elsewhere is in the period when it was recorded;
* an Ombudsman referral when it was referred, a decision when it was decided.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from redress.__about__ import __version__
from redress.policy.model import Citation
from redress.policy.report_definitions import Figure, ReportDefinition
from redress.report.figures import (
    EXTENDED,
    LATE,
    ON_TIME,
    OVERDUE_STATUSES,
    PENDING,
    STAGES,
    Period,
    Record,
    complaint_start,
    counts,
    deadline_kinds,
    is_complaint,
    kind_of,
    median,
    percentile,
    procedure_id,
    record_of,
    recorded,
    share,
    stage_record,
    timeliness,
)

REMEDY_STATES = ("completed_on_time", "completed_late", "outstanding", "overdue")


@dataclass(frozen=True)
class ReportOptions:
    period: Period = field(default_factory=Period)
    procedure: str | None = None
    homes: int | None = None
    ombudsman_references: tuple[str, ...] = ()   # e.g. from the Ombudsman's annual letter
    title: str = "Complaints report"


def compute_report(records: Iterable[Record], definitions: Sequence[ReportDefinition],
                   options: ReportOptions | None = None) -> dict[str, Any]:
    """The report as JSON-compatible data.  Error records (with an ``error`` member) are counted
    and listed, never counted as cases."""
    options = options or ReportOptions()
    all_records = list(records)
    errors = [r for r in all_records if "error" in r]
    results = [r for r in all_records if "error" not in r
               and (options.procedure is None or procedure_id(r) == options.procedure)]
    period = options.period
    complaints = [r for r in results if is_complaint(r)]
    in_period = [r for r in complaints if period.holds(complaint_start(r))]
    others = [r for r in results if not is_complaint(r) or kind_of(r) == "representation"]
    by_procedure: dict[str, list[Record]] = {}
    for r in complaints:
        by_procedure.setdefault(procedure_id(r) or "(none)", []).append(r)
    titles = {procedure_id(r): r["procedure"]["title"] for r in complaints if procedure_id(r)}
    families = {procedure_id(r): r["procedure"].get("family") for r in complaints
                if procedure_id(r)}
    procedures = []
    for pid in sorted(by_procedure):
        rows = by_procedure[pid]
        # A local procedure that extends a bundled one reports as its family does.
        definition = next((d for d in definitions if d.procedure == pid), None) or next(
            (d for d in definitions if d.procedure == families.get(pid)), None)
        procedures.append(_procedure(pid, titles.get(pid, "No procedure applies"), rows, period,
                                     options, definition))
    return {
        "title": options.title,
        "generated_by": f"redress {__version__}",
        "period": {"from": _iso(period.start), "to": _iso(period.end)},
        "procedure": options.procedure,
        "homes": options.homes,
        "records": {"read": len(all_records), "results": len(results), "errors": len(errors),
                    "complaints_in_period": len(in_period)},
        "procedures": procedures,
        "not_complaints": _not_complaints(others, period),
        "remedies": _remedies(in_period),
        "cost": _cost(in_period),
        "ombudsman": _ombudsman(complaints, period, options.ombudsman_references),
        "errors": [_error(r) for r in errors],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# -- per procedure and stage ------------------------------------------------------------------


def _procedure(pid: str, title: str, rows: Sequence[Record], period: Period,
               options: ReportOptions, definition: ReportDefinition | None) -> dict[str, Any]:
    started = [r for r in rows if period.holds(complaint_start(r))]
    stages = [_stage(stage, rows, period) for stage in STAGES
              if any(stage_record(r, stage) for r in rows)]
    return {
        "id": pid, "title": title,
        "received": len(started),
        "by_service": counts(record_of(r).get("service") for r in started),
        "by_month": counts(str(complaint_start(r))[:7] for r in started),
        "outcomes": _outcomes(started),
        "resolved_at_stage1": _resolved_at_stage1(rows, period),
        "withdrawn": sum(1 for r in rows if period.holds(record_of(r).get("withdrawn"))),
        "open_overdue": sum(1 for r in rows if r.get("status") in OVERDUE_STATUSES),
        "stages": stages,
        "statutory": _statutory(definition, rows, period, options) if definition else None,
    }


def _outcomes(rows: Sequence[Record]) -> dict[str, int]:
    found = Counter(record_of(r).get("outcome") or "undecided" for r in rows)
    return {k: found.get(k, 0) for k in ("upheld", "partly_upheld", "not_upheld", "undecided")}


def _stage(stage: str, rows: Sequence[Record], period: Period) -> dict[str, Any]:
    opened = [r for r in rows if period.holds((stage_record(r, stage) or {}).get("opened"))]
    responded = [r for r in rows
                 if period.holds((stage_record(r, stage) or {}).get("responded"))]
    days = [int(s["working_days"]) for r in responded
            if (s := stage_record(r, stage)) and s.get("working_days") is not None]
    kinds = sorted({k for r in responded for k in deadline_kinds(r, stage)})
    return {
        "stage": stage,
        "received": len(opened),
        "responded": len(responded),
        "outcomes": {k: sum(1 for r in responded
                            if (stage_record(r, stage) or {}).get("outcome") == k)
                     for k in ("upheld", "partly_upheld", "not_upheld")},
        "timeliness": {kind: _timeliness(responded, stage, kind) for kind in kinds},
        "working_days": {"responses": len(days), "median": median(days),
                         "p90": percentile(days, 90)},
        "extensions": sum(int((stage_record(r, stage) or {}).get("extensions") or 0)
                          for r in responded),
        "escalated_to_next": sum(1 for r in opened if stage_record(r, _next(stage))),
    }


def _next(stage: str) -> str:
    return f"stage{int(stage[-1]) + 1}"


def _timeliness(rows: Sequence[Record], stage: str, kind: str) -> dict[str, int]:
    found = Counter(timeliness(r, stage, kind) for r in rows)
    return {k: found.get(k, 0) for k in (ON_TIME, EXTENDED, LATE, PENDING)}


def _resolved_at_stage1(rows: Sequence[Record], period: Period) -> dict[str, Any]:
    answered = [r for r in rows if period.holds((stage_record(r, "stage1") or {}).get("responded"))]
    return share(sum(1 for r in answered if stage_record(r, "stage2") is None), len(answered))


# -- statutory figures ------------------------------------------------------------------------


def _cite(c: Citation) -> dict[str, str]:
    return c.to_dict()


def _statutory(definition: ReportDefinition, rows: Sequence[Record], period: Period,
               options: ReportOptions) -> dict[str, Any]:
    return {
        "id": definition.id, "title": definition.title, "period": definition.period,
        "year_ends": definition.year_ends, "confidence": definition.confidence,
        "note": definition.note, "citation": _cite(definition.citation),
        "figures": [_figure(f, rows, period, options) for f in definition.figures],
    }


def _figure(figure: Figure, rows: Sequence[Record], period: Period,
            options: ReportOptions) -> dict[str, Any]:
    unit, value, detail = measure(figure, rows, period, options)
    return {"id": figure.id, "title": figure.title, "measure": figure.measure,
            "stage": figure.stage, "unit": unit, "value": value, "detail": detail,
            "citation": _cite(figure.citation), "note": figure.note}


def measure(figure: Figure, rows: Sequence[Record], period: Period,
            options: ReportOptions) -> tuple[str, Any, Any]:
    """(unit, value, detail) of one figure over one procedure's complaint records."""
    started = [r for r in rows if period.holds(complaint_start(r))]
    stage = figure.stage
    m = figure.measure
    if m in ("received", "escalated"):
        if stage is None:
            return "count", len(started), None
        return "count", sum(1 for r in rows
                            if period.holds((stage_record(r, stage) or {}).get("opened"))), None
    if m == "responded":
        chosen = [stage] if stage else list(STAGES)
        return "count", sum(1 for r in rows for s in chosen
                            if period.holds((stage_record(r, s) or {}).get("responded"))), None
    if m in ("upheld", "partly_upheld", "not_upheld"):
        return "count", sum(1 for r in started if record_of(r).get("outcome") == m), None
    if m == "well_founded":
        return "count", sum(1 for r in started if record_of(r).get("well_founded") is True), None
    if m == "referred_to_ombudsman":
        bodies = {b.upper() for b in figure.ombudsman}
        referred = [r for r in rows if period.holds((_omb(r) or {}).get("referred"))
                    and (not bodies or str((_omb(r) or {}).get("body") or "").upper() in bodies)]
        return "count", len(referred), None
    if m == "ombudsman_decisions":
        decided = [str(o["decision"]) for r in rows if (o := _omb(r)) and o.get("decision")
                   and period.holds(o.get("decided"))]
        return "breakdown", len(decided), counts(decided)
    if m == "ombudsman_unmatched":
        unmatched = _unmatched(rows, options.ombudsman_references)
        return "count", len(unmatched), unmatched
    if m == "resolved_at_stage1":
        s = _resolved_at_stage1(rows, period)
        return "share", s["share"], s
    if m == "responded_on_time":
        chosen = [stage] if stage else list(STAGES)
        found = Counter(timeliness(r, s) for r in rows for s in chosen
                        if period.holds((stage_record(r, s) or {}).get("responded")))
        in_time = found.get(ON_TIME, 0) + found.get(EXTENDED, 0)
        s = share(in_time, in_time + found.get(LATE, 0))
        return "share", s["share"], {**s, ON_TIME: found.get(ON_TIME, 0),
                                     EXTENDED: found.get(EXTENDED, 0), LATE: found.get(LATE, 0)}
    if m == "per_1000_homes":
        received = sum(1 for r in rows
                       if period.holds((stage_record(r, stage or "stage1") or {}).get("opened")))
        if not options.homes:
            return "rate", None, {"received": received, "homes": None,
                                  "why": "give the number of homes (--homes) to compute it"}
        return "rate", round(received / options.homes * 1000, 2), {"received": received,
                                                                   "homes": options.homes}
    if m == "withdrawn":
        return "count", sum(1 for r in rows if period.holds(record_of(r).get("withdrawn"))), None
    if m == "subject_matter":
        topics = [t for r in started for t in record_of(r).get("topics") or ()]
        return "breakdown", len(started), counts(topics)
    if m == "remedies":
        detail = _remedies(started, figure.source)
        return "breakdown", detail["total"], detail
    if m == "cost":
        detail = _cost(started)
        return "money", detail["total"], detail["by_stage"]
    if m in ("compliments", "representations", "routed_elsewhere"):
        return "count", 0, "counted for the whole body under records that are not complaints"
    return "narrative", None, "for the complaints manager to write: Redress cannot compute it"


def _omb(r: Record) -> Mapping[str, Any] | None:
    value = record_of(r).get("ombudsman")
    return value if isinstance(value, Mapping) else None


# -- the body as a whole ----------------------------------------------------------------------


def _not_complaints(rows: Sequence[Record], period: Period) -> dict[str, Any]:
    def of(kind: str) -> list[Record]:
        return [r for r in rows if kind_of(r) == kind and period.holds(recorded(r))]

    compliments, representations, routed = (of("compliment"), of("representation"),
                                             of("routed_elsewhere"))
    return {
        "compliments": {"total": len(compliments),
                        "by_service": counts(record_of(r).get("service") for r in compliments)},
        "representations": {
            "total": len(representations),
            "by_service": counts(record_of(r).get("service") for r in representations),
            "became_complaints": sum(1 for r in representations
                                     if record_of(r).get("became_complaint"))},
        "routed_elsewhere": {"total": len(routed),
                             "by_destination": counts(record_of(r).get("routed_to") or "unstated"
                                                      for r in routed)},
    }


def _remedies(rows: Sequence[Record], source: str | None = None) -> dict[str, Any]:
    items = [m for r in rows for m in record_of(r).get("remedies") or ()
             if source is None or m.get("source") == source]
    states = Counter(str(m.get("state")) for m in items)

    def part(chosen: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        found = Counter(str(m.get("state")) for m in chosen)
        return {"total": len(chosen), **{s: found.get(s, 0) for s in REMEDY_STATES}}

    return {
        "total": len(items), **{s: states.get(s, 0) for s in REMEDY_STATES},
        "payments_total": round(sum(float(m.get("amount") or 0) for m in items), 2),
        "by_kind": {kind: part([m for m in items if m.get("kind") == kind])
                    for kind in sorted({str(m.get("kind")) for m in items})},
        "by_source": {src: part([m for m in items if m.get("source") == src])
                      for src in ("local", "ombudsman")},
    }


def _cost(rows: Sequence[Record]) -> dict[str, Any]:
    by_stage: dict[str, float] = {}
    for r in rows:
        for c in record_of(r).get("costs") or ():
            key = str(c.get("stage") or "unstaged")
            by_stage[key] = by_stage.get(key, 0.0) + float(c.get("amount") or 0)
    return {"total": round(sum(by_stage.values()), 2),
            "by_stage": {k: round(v, 2) for k, v in sorted(by_stage.items())}}


def _ombudsman(rows: Sequence[Record], period: Period,
               references: Sequence[str]) -> dict[str, Any]:
    referred = [r for r in rows if (o := _omb(r)) and period.holds(o.get("referred"))]
    decided = [r for r in rows if (o := _omb(r)) and period.holds(o.get("decided"))]
    return {
        "referred": [_omb_row(r) for r in referred],
        "decisions": counts(str((_omb(r) or {}).get("decision")) for r in decided),
        "decided": [_omb_row(r) for r in decided],
        "referred_without_reference": sorted(str(r["case_id"]) for r in referred
                                             if not (_omb(r) or {}).get("reference")),
        "unmatched_references": _unmatched(rows, references),
    }


def _omb_row(r: Record) -> dict[str, Any]:
    o = _omb(r) or {}
    return {"case_id": r.get("case_id"), "procedure": procedure_id(r), "body": o.get("body"),
            "reference": o.get("reference"), "referred": o.get("referred"),
            "decision": o.get("decision"), "decided": o.get("decided")}


def _unmatched(rows: Sequence[Record], references: Sequence[str]) -> list[str]:
    """The Ombudsman's references (e.g. from its annual letter) that no local case carries."""
    known = {_norm(str(o["reference"])) for r in rows if (o := _omb(r)) and o.get("reference")}
    return sorted({ref for ref in references if _norm(ref) not in known})


def _norm(reference: str) -> str:
    return "".join(reference.split()).upper()


def _error(r: Record) -> dict[str, Any]:
    raw_err, raw_where = r.get("error"), r.get("input")
    err: Mapping[str, Any] = raw_err if isinstance(raw_err, Mapping) else {}
    where: Mapping[str, Any] = raw_where if isinstance(raw_where, Mapping) else {}
    return {"case_id": r.get("case_id"), "kind": str(err.get("kind", "unknown")),
            "message": str(err.get("message", "")), "line": where.get("line"),
            "source": where.get("source")}


__all__ = ["ReportOptions", "compute_report", "measure"]
