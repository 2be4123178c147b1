"""The report as Markdown: tables a complaints manager can paste into a committee paper.

Every string that came from a record or a definition is escaped for Markdown table cells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from redress.report.text import money, show, stage_name, value_text

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def esc(text: Any) -> str:
    """Text safe inside a Markdown table cell: no markup, no line breaks, no raw HTML."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(esc(h) for h in head) + " |",
             "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_markdown(report: Mapping[str, Any]) -> str:
    period = report["period"]
    parts = ["<!-- redress report -->\n", f"# {esc(report['title'])}\n",
             f"Period: {esc(period['from'] or 'start')} to {esc(period['to'] or 'end')}. "
             f"Records read: {report['records']['read']} ({report['records']['errors']} in "
             f"error). Complaints in the period: {report['records']['complaints_in_period']}.\n"]
    for proc in report["procedures"]:
        parts.append(_procedure(proc))
    parts.append(_others(report))
    parts.append(_ombudsman(report["ombudsman"]))
    if report["errors"]:
        parts.append("## Records in error\n\nNot counted in any figure.\n\n" + _table(
            ["Case", "Kind", "Line", "Message"],
            [[e["case_id"] or "", e["kind"], e["line"] or "", e["message"]]
             for e in report["errors"]]))
    return "\n".join(parts)


def _procedure(proc: Mapping[str, Any]) -> str:
    out = [f"## {esc(proc['title'])}\n",
           f"Complaints received: {proc['received']}. Resolved at stage 1: "
           f"{show(proc['resolved_at_stage1']['share'], 'share')}. Withdrawn: "
           f"{proc['withdrawn']}. Open and overdue now: {proc['open_overdue']}.\n",
           f"By service: {esc(_pairs(proc['by_service']) or 'none')}. By month: "
           f"{esc(_pairs(proc['by_month']) or 'none')}.\n"]
    rows = []
    for s in proc["stages"]:
        resp = s["timeliness"].get("respond", {})
        rows.append([stage_name(s["stage"]), s["received"], s["responded"],
                     s["outcomes"]["upheld"], s["outcomes"]["partly_upheld"],
                     s["outcomes"]["not_upheld"], resp.get("on_time", ""),
                     resp.get("within_extension", ""), resp.get("late", ""),
                     show(s["working_days"]["median"], "count"),
                     show(s["working_days"]["p90"], "count"), s["extensions"],
                     s["escalated_to_next"]])
    out.append(_table(["Stage", "Received", "Responded", "Upheld", "Partly", "Not upheld",
                       "On time", "Within extension", "Late", "Median WD", "90th pct WD",
                       "Extensions", "Escalated"], rows))
    stat = proc.get("statutory")
    if stat:
        out.append(f"\n### {esc(stat['title'])}\n\nRequired by {esc(stat['citation']['text'])}"
                   f" (confidence: {esc(stat['confidence'])}).\n")
        out.append(_table(["Figure", "Value", "Citation"],
                          [[f["title"], value_text(f), f["citation"]["text"]]
                           for f in stat["figures"]]))
    return "\n".join(out)


def _others(report: Mapping[str, Any]) -> str:
    nc, rem, cost = report["not_complaints"], report["remedies"], report["cost"]
    out = ["## Compliments, representations and matters routed elsewhere\n",
           _table(["Record", "Total", "By service or destination"],
                  [["Compliments", nc["compliments"]["total"],
                    _pairs(nc["compliments"]["by_service"])],
                   ["Representations", nc["representations"]["total"],
                    _pairs(nc["representations"]["by_service"])
                    + f"; became complaints: {nc['representations']['became_complaints']}"],
                   ["Routed elsewhere", nc["routed_elsewhere"]["total"],
                    _pairs(nc["routed_elsewhere"]["by_destination"])]]),
           "\n## Remedies\n",
           f"Payments recorded: {esc(money(rem['payments_total']))}.\n",
           _table(["Remedy", "Made", "On time", "Late", "Outstanding", "Overdue"],
                  [[kind.replace("_", " "), v["total"], v["completed_on_time"],
                    v["completed_late"], v["outstanding"], v["overdue"]]
                   for kind, v in [*rem["by_kind"].items(),
                                   *(("all from the Ombudsman", rem["by_source"]["ombudsman"]),),
                                   ("all", {k: rem.get(k, rem["total"]) for k in
                                            ("total", "completed_on_time", "completed_late",
                                             "outstanding", "overdue")})]]),
           "\n## Cost\n",
           _table(["Stage", "Cost"], [[stage_name(k), money(v)]
                                      for k, v in cost["by_stage"].items()]
                  + [["Total", money(cost["total"])]])]
    return "\n".join(out)


def _ombudsman(omb: Mapping[str, Any]) -> str:
    out = ["## Ombudsman\n",
           _table(["Case", "Procedure", "Ombudsman", "Reference", "Referred", "Decision",
                   "Decided"],
                  [[r["case_id"], r["procedure"] or "", r["body"] or "", r["reference"] or "",
                    r["referred"] or "", r["decision"] or "", r["decided"] or ""]
                   for r in omb["referred"]]),
           f"\nDecisions received: {esc(_pairs(omb['decisions']) or 'none')}.\n",
           "\nOmbudsman references that match no local case: "
           f"{esc(', '.join(omb['unmatched_references']) or 'none')}.\n",
           "\nReferred cases with no Ombudsman reference recorded: "
           f"{esc(', '.join(omb['referred_without_reference']) or 'none')}.\n"]
    return "\n".join(out)


def _pairs(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in values.items())


__all__ = ["esc", "render_markdown"]
