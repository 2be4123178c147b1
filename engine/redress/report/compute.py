"""The complaints report from result records: a council-wide summary and breakdowns, per
procedure and stage the figures and each procedure's statutory figures, monthly and quarterly
views, the backlog, records that are not complaints, remedies, cost, the Ombudsman, the learning
recorded on cases, the manager's narrative and the comparison with an earlier period.  The output
is plain data described by ``schemas/report.schema.json``.

Which period each figure belongs to is written down in ``docs/guide/reports.md``; in short (both
ends inclusive):
* a stage is *received* when it opened in the period, and *responded* when its first response
  was sent in the period; timeliness and working days are counted for responses in the period
  (acknowledgements for stages received in it);
* a complaint's decision, topics, withdrawal, local remedies, cost, learning and breakdowns
  belong to the complaint, which is in the period when its clock started in it;
* a compliment, representation or matter routed elsewhere is in the period when it was recorded;
* an Ombudsman referral when it was referred, a decision and its recommendations when it was
  decided, compliance with a recommendation when it fell due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from redress.__about__ import __version__
from redress.policy.report_definitions import ReportDefinition
from redress.report.breakdowns import advocacy, breakdowns, learning
from redress.report.catalog import Catalog
from redress.report.compare import comparison, summary
from redress.report.figures import (
    OVERDUE_STATUSES,
    STAGES,
    Period,
    Record,
    complaint_start,
    counts,
    is_complaint,
    kind_of,
    procedure_id,
    record_of,
    recorded,
    stage_record,
)
from redress.report.ombudsman import local_remedies, ombudsman, recommendations_due, remedies
from redress.report.periods import backlog, end_to_end, monthly, months_of, quarterly
from redress.report.stages import stage_figures
from redress.report.statutory import Scope, cost, resolved_at_stage1, statutory


@dataclass(frozen=True)
class ReportOptions:
    period: Period = field(default_factory=Period)
    procedure: str | None = None
    homes: int | None = None
    ombudsman_references: tuple[str, ...] = ()   # e.g. from the Ombudsman's annual letter
    title: str = "Complaints report"
    narrative: tuple[tuple[str, str], ...] = ()  # (heading, Markdown) sections from the manager
    catalog: Catalog = field(default_factory=Catalog)
    compare_period: Period | None = None          # the earlier period to compare with
    compare_source: str | None = None             # where its results came from


def compute_report(records: Iterable[Record], definitions: Sequence[ReportDefinition],
                   options: ReportOptions | None = None,
                   previous: Iterable[Record] | None = None) -> dict[str, Any]:
    """The report as JSON-compatible data.  Error records (with an ``error`` member) are counted
    and listed, never counted as cases.  ``previous`` (results of an earlier period, or the same
    results again) gives each headline figure last period's value and the change."""
    options = options or ReportOptions()
    all_records = list(records)
    errors = [r for r in all_records if "error" in r]
    results = [r for r in all_records if "error" not in r
               and (options.procedure is None or procedure_id(r) == options.procedure)]
    period = options.period
    complaints = [r for r in results if is_complaint(r)]
    started = [r for r in complaints if period.holds(complaint_start(r))]
    others = [r for r in results if not is_complaint(r) or kind_of(r) == "representation"]
    report: dict[str, Any] = {
        "title": options.title, "generated_by": f"redress {__version__}",
        "period": {"from": _iso(period.start), "to": _iso(period.end)},
        "procedure": options.procedure, "homes": options.homes,
        "records": {"read": len(all_records), "results": len(results), "errors": len(errors),
                    "complaints_in_period": len(started)},
        "procedures": _procedures(complaints, definitions, options),
        "not_complaints": _not_complaints(others, period),
        "remedies": remedies([*local_remedies(started),
                              *recommendations_due(complaints, period)]),
        "cost": cost(started),
        "ombudsman": ombudsman(complaints, period, options.ombudsman_references),
        "errors": [_error(r) for r in errors],
        "breakdowns": breakdowns(started, period),
        "advocacy": advocacy(started),
        "learning": learning(started),
        "narrative": [{"title": t, "markdown": m} for t, m in options.narrative],
    }
    report["summary"] = summary(report, period)
    report["comparison"] = _comparison(report, previous, definitions, options)
    return report


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _comparison(report: Mapping[str, Any], previous: Iterable[Record] | None,
                definitions: Sequence[ReportDefinition],
                options: ReportOptions) -> dict[str, Any] | None:
    if previous is None or options.compare_period is None:
        return None
    earlier = compute_report(previous, definitions, ReportOptions(
        period=options.compare_period, procedure=options.procedure, homes=options.homes,
        catalog=options.catalog))
    return comparison(report, earlier, options.compare_source)


# -- per procedure ----------------------------------------------------------------------------


def _procedures(complaints: Sequence[Record], definitions: Sequence[ReportDefinition],
                options: ReportOptions) -> list[dict[str, Any]]:
    by_procedure: dict[str, list[Record]] = {}
    for r in complaints:
        by_procedure.setdefault(procedure_id(r) or "(none)", []).append(r)
    out = []
    for pid in sorted(by_procedure):
        rows = by_procedure[pid]
        proc = rows[0].get("procedure") or {}
        family = proc.get("family")
        # A local procedure that extends a bundled one reports as its family does.
        definition = next((d for d in definitions if d.procedure == pid), None) or next(
            (d for d in definitions if d.procedure == family), None)
        scope = Scope(rows, options.period, options.catalog.get(pid, family), options.homes,
                      options.ombudsman_references)
        out.append(_procedure(pid, str(proc.get("title") or "No procedure applies"), scope,
                              definition))
    return out


def _procedure(pid: str, title: str, scope: Scope,
               definition: ReportDefinition | None) -> dict[str, Any]:
    rows, period, started = scope.rows, scope.period, scope.started
    months = months_of(period, started)
    return {
        "id": pid, "title": title, "stage_count": scope.facts.stage_count,
        "received": len(started),
        "by_service": counts(record_of(r).get("service") for r in started),
        "by_month": counts(str(complaint_start(r))[:7] for r in started),
        "outcomes": _outcomes(started),
        "resolved_at_stage1": resolved_at_stage1(scope),
        "withdrawn": sum(1 for r in rows if period.holds(record_of(r).get("withdrawn"))),
        "open_overdue": sum(1 for r in rows if r.get("status") in OVERDUE_STATUSES),
        "stages": [stage_figures(stage, rows, period, scope.facts) for stage in STAGES
                   if any(stage_record(r, stage) for r in rows)],
        "statutory": statutory(definition, scope) if definition else None,
        "monthly": monthly(rows, months, period),
        "quarterly": quarterly(rows, months, period),
        "end_to_end": end_to_end(rows, period),
        "backlog": backlog(rows, period.end),
    }


def _outcomes(rows: Sequence[Record]) -> dict[str, int]:
    found = [record_of(r).get("outcome") or "undecided" for r in rows]
    return {k: found.count(k) for k in ("upheld", "partly_upheld", "not_upheld", "undecided")}


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


def _error(r: Record) -> dict[str, Any]:
    raw_err, raw_where = r.get("error"), r.get("input")
    err: Mapping[str, Any] = raw_err if isinstance(raw_err, Mapping) else {}
    where: Mapping[str, Any] = raw_where if isinstance(raw_where, Mapping) else {}
    return {"case_id": r.get("case_id"), "kind": str(err.get("kind", "unknown")),
            "message": str(err.get("message", "")), "line": where.get("line"),
            "source": where.get("source")}


__all__ = ["ReportOptions", "compute_report"]
