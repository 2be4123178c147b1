"""The report's data laid out as a document (``document.py``) in words: the summary with last
period's figures, charts, the manager's narrative, then the detail.  In a publication no case id,
Ombudsman reference or error message is shown and small counts are suppressed (``present.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from redress.report.document import Chart, Document, Kpi, Kpis, Narrative, Para, Section, Table
from redress.report.layout_body import (
    errors_section,
    learning_section,
    notes_section,
    ombudsman_section,
    others_section,
    remedies_section,
)
from redress.report.layout_breakdowns import breakdowns_section
from redress.report.layout_procedures import procedure_section, stage_response
from redress.report.present import Presenter, day, short_month
from redress.report.words import stage_words, word


def layout(report: Mapping[str, Any], p: Presenter) -> Document:
    period = report["period"]
    lead = [Para(f"Period: {day(period['from']) if period['from'] else 'the start'} to "
                 f"{day(period['to']) if period['to'] else 'the end'}.")]
    if p.publish:
        lead.append(Para(f"Published figures: counts from 1 to {p.threshold - 1} are shown as "
                         f"“<{p.threshold}” and percentages of them, or of fewer than "
                         f"{p.threshold} cases, as “*”, so that no one can be identified.",
                         "note"))
    else:
        rec = report["records"]
        lead.append(Para(f"{p.n(rec['read'])} records read; {p.n(rec['errors'])} in error and "
                         f"counted in no figure. Made by {report['generated_by']}.", "cite"))
    sections: list[Section | None] = [_summary(report, p), _charts(report, p),
                                      *_narrative(report)]
    titles = [n["title"] for n in report.get("narrative") or ()]
    sections += [procedure_section(proc, p, titles) for proc in report["procedures"]]
    sections += [breakdowns_section(report, p), learning_section(report, p),
                 ombudsman_section(report, p), remedies_section(report, p),
                 others_section(report, p), notes_section(report)]
    if not p.publish:
        sections.append(errors_section(report, p))
    return Document(report["title"], tuple(lead), tuple(s for s in sections if s is not None))


def _summary(report: Mapping[str, Any], p: Presenter) -> Section:
    comp = report.get("comparison")
    rows = comp["headlines"] if comp else None
    kpis: list[Kpi] = []
    blocks: list[Kpis | Table] = []
    for h in [h for h in rows or _headlines(report) if h["value"] is not None][:8]:
        note = ""
        if rows:
            note = (f"last period {p.value(h['previous'], h['unit'], h['previous_denominator'])}"
                    f" ({p.change(h['change'], h['unit']) if not _hid(h, p) else 'change not shown'})")
        kpis.append(Kpi(p.value(h["value"], h["unit"], h["denominator"]), h["title"], note))
    blocks.append(Kpis(tuple(kpis)))
    if rows and comp:
        was = comp["period"]
        blocks.append(Table(
            ("Figure", "This period", "Last period", "Change"),
            tuple((h["title"], p.value(h["value"], h["unit"], h["denominator"]),
                   p.value(h["previous"], h["unit"], h["previous_denominator"]),
                   "not shown" if _hid(h, p) else p.change(h["change"], h["unit"]))
                  for h in rows),
            f"Year on year: this period against {day(was['from'])} to {day(was['to'])}"))
    return Section("summary", "Summary", tuple(blocks))


def _hid(h: Mapping[str, Any], p: Presenter) -> bool:
    """A change that would reveal a suppressed count."""
    return h["unit"] == "count" and (p.hidden(h["value"]) or p.hidden(h["previous"]))


def _headlines(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    from redress.report.compare import headlines

    return headlines(report)


def _narrative(report: Mapping[str, Any]) -> list[Section]:
    out = []
    for i, part in enumerate(report.get("narrative") or ()):
        title = part["title"] or "Introduction"
        out.append(Section(f"narrative-{i + 1}", title, (Narrative(part["markdown"]),)))
    return out


def _charts(report: Mapping[str, Any], p: Presenter) -> Section:
    procs = report["procedures"]
    charts = [c for c in (_received(procs, p), _timeliness(procs, p), _monthly(procs, p),
                          _by_service(report, p), _ombudsman(report, p), _remedies(report, p),
                          _feedback(report, p)) if c is not None]
    return Section("charts", "At a glance", tuple(charts))


def chart(name: str, title: str, labels: Sequence[str], series: Mapping[str, Sequence[Any]],
          p: Presenter, horizontal: bool = True, caption: str = "") -> Chart:
    """A chart and its table: the table shows each value in words (suppressed in a
    publication), the chart draws it (suppressed values are not drawn)."""
    rows = tuple((label, *(p.n(values[i]) for values in series.values()))
                 for i, label in enumerate(labels))
    table = Table(("", *series), rows, f"{title}: the figures")
    drawn = tuple((key, tuple(p.bar(v) for v in values)) for key, values in series.items())
    return Chart(name, title, tuple(labels), drawn, table, horizontal, caption)


def _received(procs: Sequence[Mapping[str, Any]], p: Presenter) -> Chart | None:
    if not procs:
        return None
    series = {stage_words(s): [next((x["received"] for x in proc["stages"] if x["stage"] == s), 0)
                               for proc in procs] for s in ("stage1", "stage2", "stage3")}
    return chart("received", "Complaints received at each stage", [x["title"] for x in procs],
                 {k: v for k, v in series.items() if any(v)}, p)


def _timeliness(procs: Sequence[Mapping[str, Any]], p: Presenter) -> Chart | None:
    rows = [(f"{proc['title']}: {stage_words(s['stage'])}", t) for proc in procs
            for s in proc["stages"] if (t := stage_response(s)) is not None]
    if not rows:
        return None
    series = {word("timeliness", k): [t[k] for _, t in rows]
              for k in ("on_time", "within_extension", "late")}
    return chart("timeliness", "Responses on time, within an extension and late",
                 [label for label, _ in rows], series, p,
                 caption="Each stage's responses sent in the period against its response "
                         "deadline (the body's own deadlines only)")


def _monthly(procs: Sequence[Mapping[str, Any]], p: Presenter) -> Chart | None:
    months = sorted({m["month"] for proc in procs for m in proc.get("monthly") or ()})
    if not months:
        return None
    series = {proc["title"]: [next((m["received"] for m in proc["monthly"] if m["month"] == key),
                                   0) for key in months] for proc in procs}
    return chart("monthly", "Complaints received each month", [short_month(m) for m in months],
                 series, p, horizontal=False)


def _by_service(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    rows = (report.get("breakdowns") or {}).get("service") or {}
    if not rows:
        return None
    keys = list(rows)
    upheld = [rows[k]["upheld"] for k in keys]
    return chart("service", "Complaints by service", [word("service", k) for k in keys],
                 {"Upheld in full or in part": upheld,
                  "Not upheld or not yet decided": [rows[k]["received"] - u
                                                    for k, u in zip(keys, upheld, strict=True)]},
                 p)


def _ombudsman(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    outcomes = {k: v for k, v in report["ombudsman"].get("by_outcome", {}).items() if v}
    if not outcomes:
        return None
    return chart("ombudsman", "Ombudsman decisions in the period, by outcome",
                 [word("ombudsman_decision", k) for k in outcomes],
                 {"Decisions": list(outcomes.values())}, p)


def _remedies(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    rem = report["remedies"]
    if not rem["total"]:
        return None
    kinds = list(rem["by_kind"])
    series = {word("remedy_state", s): [rem["by_kind"][k][s] for k in kinds]
              for s in ("completed_on_time", "completed_late", "outstanding", "overdue")}
    return chart("remedies", "Remedies by kind, and where they stand",
                 [word("remedy", k) for k in kinds], series, p)


def _feedback(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    nc = report["not_complaints"]
    services = sorted({*nc["compliments"]["by_service"], *nc["representations"]["by_service"]})
    if not services:
        return None
    series = {word("record", k): [nc[k]["by_service"].get(s, 0) for s in services]
              for k in ("compliments", "representations")}
    return chart("feedback", "Compliments and representations by service",
                 [word("service", s) for s in services], series, p)


__all__ = ["chart", "layout"]
