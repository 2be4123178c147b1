"""The council-wide summary, its headline figures, and the comparison with an earlier period.

Headline figures are the same ids in every report, so this year's and last year's line up; a
share's change is in percentage points, a count's in the count itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redress.report.figures import Period, share
from redress.report.stages import in_time


def summary(report: Mapping[str, Any], period: Period) -> dict[str, Any]:
    procs = report["procedures"]
    met = decided = 0
    for p in procs:
        for s in p["stages"]:
            kind = next((k for k in ("respond", "final_response") if k in s["timeliness"]), None)
            if kind:
                m, d = in_time(s["timeliness"][kind])
                met, decided = met + m, decided + d
    outcomes = {k: sum(p["outcomes"][k] for p in procs) for k in procs[0]["outcomes"]} \
        if procs else {}
    resolved = [p["resolved_at_stage1"] for p in procs if p.get("stage_count") != 1]
    backlogs = [p["backlog"] for p in procs if p.get("backlog")]
    omb = report["ombudsman"]
    return {
        "received": sum(p["received"] for p in procs),
        "responded": sum(s["responded"] for p in procs for s in p["stages"]),
        "on_time": share(met, decided),
        "upheld": share(outcomes.get("upheld", 0) + outcomes.get("partly_upheld", 0),
                        sum(v for k, v in outcomes.items() if k != "undecided")),
        "resolved_at_stage1": share(sum(r["numerator"] for r in resolved),
                                    sum(r["denominator"] for r in resolved)),
        "open_at_end": sum(b["open"] for b in backlogs) if period.end else None,
        "past_due_at_end": sum(b["past_due"] for b in backlogs) if period.end else None,
        "compliments": report["not_complaints"]["compliments"]["total"],
        "ombudsman_decisions": sum(omb["decisions"].values()),
        "ombudsman_upheld_rate": omb["upheld_rate"],
        "recommendations_complied": omb["compliance"]["complied"],
    }


HEADLINES = (  # id, title, unit, how to read it from the summary
    ("received", "Complaints received", "count"),
    ("responded", "Responses sent (every stage)", "count"),
    ("on_time", "Responses on time or within an extension", "share"),
    ("upheld", "Complaints upheld in full or in part (final decision)", "share"),
    ("resolved_at_stage1", "Resolved at stage 1", "share"),
    ("open_at_end", "Complaints open at the end of the period", "count"),
    ("compliments", "Compliments", "count"),
    ("ombudsman_decisions", "Ombudsman decisions", "count"),
    ("ombudsman_upheld_rate", "Ombudsman investigations upheld", "share"),
    ("recommendations_complied", "Ombudsman recommendations carried out", "share"),
)


def headlines(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each headline figure of a report as (id, title, unit, value)."""
    summ = report["summary"]
    out = [{"id": hid, "title": title, "unit": unit, "value": _value(summ[hid]),
            "denominator": summ[hid]["denominator"] if isinstance(summ[hid], Mapping) else None}
           for hid, title, unit in HEADLINES]
    for p in report["procedures"]:
        out.append({"id": f"{p['id']}/received", "title": f"{p['title']}: complaints received",
                    "unit": "count", "value": p["received"], "denominator": None})
    return out


def _value(item: Any) -> Any:
    return item.get("share") if isinstance(item, Mapping) else item


def comparison(report: Mapping[str, Any], earlier: Mapping[str, Any],
               source: str | None) -> dict[str, Any]:
    before = {h["id"]: h for h in headlines(earlier)}
    rows = []
    for h in headlines(report):
        prior = before.get(h["id"], {}).get("value")
        prior_of = before.get(h["id"], {}).get("denominator")
        if h["id"].endswith("/received") and h["id"] not in before:
            prior = 0
        change = None
        if h["value"] is not None and prior is not None:
            change = round(h["value"] - prior, 4)
        rows.append({**h, "previous": prior, "previous_denominator": prior_of, "change": change})
    return {"period": earlier["period"], "source": source,
            "records": earlier["records"], "headlines": rows}


__all__ = ["HEADLINES", "comparison", "headlines", "summary"]
