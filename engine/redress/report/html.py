"""The report as one self-contained HTML page: charts first (inline SVG), then the tables.

No script, no web font, no external request: the file opens from disk and prints.  Every string
from a record or a definition is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from redress.report.charts import stacked_bars
from redress.report.text import money, show, stage_name, value_text

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:64rem;
color:#1b1b1b;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1565c0;padding-bottom:.2rem;
margin-top:2.4rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.9rem}
th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(28rem,1fr));gap:1rem}
figure{margin:0;border:1px solid #e0e4ea;padding:.5rem;border-radius:4px}
figure svg{width:100%;height:auto}figcaption{font-size:.85rem;color:#444}
.cite{font-size:.8rem;color:#444}.note{font-size:.85rem;background:#fff8e1;padding:.4rem .6rem}
.kpis{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.kpi{border:1px solid #ccd;border-radius:4px;padding:.5rem .9rem;min-width:9rem}
.kpi b{display:block;font-size:1.5rem}
"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def render_html(report: Mapping[str, Any]) -> str:
    period = report["period"]
    body = [f"<h1>{e(report['title'])}</h1>",
            f"<p>Period {e(period['from'] or 'start')} to {e(period['to'] or 'end')}. "
            f"{e(report['records']['read'])} records read, {e(report['records']['errors'])} in "
            f"error (not counted). Made by {e(report['generated_by'])}.</p>",
            _kpis(report), _charts(report)]
    body += [_procedure(p) for p in report["procedures"]]
    body += [_others(report), _ombudsman(report["ombudsman"]), _errors(report["errors"])]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"generator\" content=\"redress report\">"
            f"<title>{e(report['title'])}</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")


def _kpis(report: Mapping[str, Any]) -> str:
    nc, rem = report["not_complaints"], report["remedies"]
    items = [("Complaints", report["records"]["complaints_in_period"]),
             ("Compliments", nc["compliments"]["total"]),
             ("Representations", nc["representations"]["total"]),
             ("Remedies overdue", rem["overdue"]),
             ("Cost", money(report["cost"]["total"]))]
    return '<div class="kpis">' + "".join(
        f'<div class="kpi"><b>{e(v)}</b>{e(k)}</div>' for k, v in items) + "</div>"


def _figure(svg: str, name: str, caption: str) -> str:
    return (f'<figure>{svg}<figcaption id="chart-{e(name)}">{e(caption)}</figcaption>'
            "</figure>")


def _charts(report: Mapping[str, Any]) -> str:
    procs = report["procedures"]
    out = []
    if procs:
        labels = [p["id"] for p in procs]  # ids: short, distinct and readable in a chart
        series = {s: [next((x["received"] for x in p["stages"] if x["stage"] == s), 0)
                      for p in procs] for s in ("stage1", "stage2", "stage3")}
        out.append(_figure(stacked_bars("received", "Complaints received by stage", labels,
                                        series), "received",
                           "Complaints received at each stage, by procedure"))
        rows = [(f"{p['id']} · {stage_name(s['stage'])}", s["timeliness"]["respond"])
                for p in procs for s in p["stages"] if "respond" in s["timeliness"]]
        if rows:
            series = {k: [t[k] for _, t in rows] for k in ("on_time", "within_extension",
                                                           "late")}
            out.append(_figure(stacked_bars("timeliness", "Responses: on time, within an "
                                            "extension, late", [r[0] for r in rows], series),
                               "timeliness", "Stage responses against the response deadline"))
    months = sorted({m for p in procs for m in p["by_month"]})
    if months:
        series = {p["id"]: [p["by_month"].get(m, 0) for m in months] for p in procs}
        out.append(_figure(stacked_bars("monthly", "Complaints received by month", months,
                                        series, horizontal=False), "monthly",
                           "Complaints received each month, by procedure"))
    nc = report["not_complaints"]
    services = sorted({*nc["compliments"]["by_service"], *nc["representations"]["by_service"]})
    if services:
        series = {k: [nc[k]["by_service"].get(s, 0) for s in services]
                  for k in ("compliments", "representations")}
        out.append(_figure(stacked_bars("feedback", "Compliments and representations by "
                                        "service", [s.replace("_", " ") for s in services],
                                        series), "feedback",
                           "Compliments and negative comments recorded as representations"))
    rem = report["remedies"]
    if rem["total"]:
        kinds = list(rem["by_kind"])
        series = {k: [rem["by_kind"][x][k] for x in kinds]
                  for k in ("completed_on_time", "completed_late", "outstanding", "overdue")}
        out.append(_figure(stacked_bars("remedies", "Remedies by kind and state",
                                        [k.replace("_", " ") for k in kinds], series),
                           "remedies", "Remedies agreed or recommended, and where they stand"))
    return '<section class="charts">' + "".join(out) + "</section>" if out else ""


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        cls = ' class="n"' if isinstance(v, int | float) else ""
        return f"<td{cls}>{e(v)}</td>"
    return ("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead>"
            "<tbody>" + "".join("<tr>" + "".join(cell(c) for c in row) + "</tr>"
                                for row in rows) + "</tbody></table>")


def _procedure(proc: Mapping[str, Any]) -> str:
    out = [f"<h2>{e(proc['title'])}</h2>",
           f"<p>Complaints received: {e(proc['received'])}. Resolved at stage 1: "
           f"{e(show(proc['resolved_at_stage1']['share'], 'share'))}. Withdrawn: "
           f"{e(proc['withdrawn'])}. Open and overdue now: {e(proc['open_overdue'])}.</p>",
           f"<p>By service: {e(pairs(proc['by_service']) or 'none')}. By month: "
           f"{e(pairs(proc['by_month']) or 'none')}.</p>"]
    rows = []
    for s in proc["stages"]:
        resp = s["timeliness"].get("respond", {})
        rows.append([stage_name(s["stage"]), s["received"], s["responded"],
                     s["outcomes"]["upheld"], s["outcomes"]["partly_upheld"],
                     s["outcomes"]["not_upheld"], resp.get("on_time", "–"),
                     resp.get("within_extension", "–"), resp.get("late", "–"),
                     show(s["working_days"]["median"], "count"),
                     show(s["working_days"]["p90"], "count"), s["extensions"],
                     s["escalated_to_next"]])
    out.append(_table(["Stage", "Received", "Responded", "Upheld", "Partly upheld",
                       "Not upheld", "On time", "Within extension", "Late",
                       "Median working days", "90th percentile", "Extensions",
                       "Went to next stage"], rows))
    stat = proc.get("statutory")
    if stat:
        cite = stat["citation"]
        out.append(f"<h3>{e(stat['title'])}</h3><p class=\"cite\">Required by "
                   f"{_link(cite)} · confidence: {e(stat['confidence'].replace('_', ' '))}</p>")
        if stat.get("note"):
            out.append(f'<p class="note">{e(stat["note"])}</p>')
        out.append("<table><thead><tr><th>Figure</th><th>Value</th><th>Citation</th></tr>"
                   "</thead><tbody>" + "".join(
                       f"<tr><td>{e(f['title'])}</td><td>{e(value_text(f))}</td>"
                       f"<td class=\"cite\">{_link(f['citation'])}</td></tr>"
                       for f in stat["figures"]) + "</tbody></table>")
    return "\n".join(out)


def _link(cite: Mapping[str, Any]) -> str:
    url = str(cite.get("url") or "")
    if url.startswith(("https://", "http://")):
        return f'<a href="{e(url)}">{e(cite["text"])}</a>'
    return e(cite["text"])


def _others(report: Mapping[str, Any]) -> str:
    nc, rem, cost = report["not_complaints"], report["remedies"], report["cost"]
    return "\n".join([
        "<h2>Compliments, representations and matters routed elsewhere</h2>",
        _table(["Record", "Total", "By service or destination"],
               [["Compliments", nc["compliments"]["total"], pairs(nc["compliments"]["by_service"])],
                ["Representations", nc["representations"]["total"],
                 pairs(nc["representations"]["by_service"])
                 + f"; became complaints: {nc['representations']['became_complaints']}"],
                ["Routed elsewhere", nc["routed_elsewhere"]["total"],
                 pairs(nc["routed_elsewhere"]["by_destination"])]]),
        "<h2>Remedies</h2>",
        f"<p>Payments recorded: {e(money(rem['payments_total']))}.</p>",
        _table(["Remedy", "Made", "Completed on time", "Completed late", "Outstanding",
                "Overdue"],
               [[k.replace("_", " "), v["total"], v["completed_on_time"], v["completed_late"],
                 v["outstanding"], v["overdue"]]
                for k, v in [*rem["by_kind"].items(),
                             ("recommended by the Ombudsman", rem["by_source"]["ombudsman"]),
                             ("agreed locally", rem["by_source"]["local"])]]),
        "<h2>Cost</h2>",
        _table(["Stage", "Cost"], [[stage_name(k), money(v)] for k, v in cost["by_stage"].items()]
               + [["Total", money(cost["total"])]]),
    ])


def pairs(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in values.items())


def _ombudsman(omb: Mapping[str, Any]) -> str:
    return "\n".join([
        "<h2>Ombudsman</h2>",
        _table(["Case", "Procedure", "Ombudsman", "Reference", "Referred", "Decision",
                "Decided"],
               [[r["case_id"], r["procedure"] or "", r["body"] or "", r["reference"] or "",
                 r["referred"] or "", r["decision"] or "", r["decided"] or ""]
                for r in omb["referred"]]),
        f"<p>Decisions received in the period: "
        f"{e(', '.join(f'{k}: {v}' for k, v in omb['decisions'].items()) or 'none')}.</p>",
        "<p>Ombudsman references that match no local case: "
        f"<b>{e(', '.join(omb['unmatched_references']) or 'none')}</b>.</p>",
        "<p>Referred cases with no Ombudsman reference recorded: "
        f"{e(', '.join(omb['referred_without_reference']) or 'none')}.</p>",
    ])


def _errors(errors: Sequence[Mapping[str, Any]]) -> str:
    if not errors:
        return ""
    return "<h2>Records in error</h2><p>Not counted in any figure.</p>" + _table(
        ["Case", "Kind", "Line", "Message"],
        [[x["case_id"] or "", x["kind"], x["line"] or "", x["message"]] for x in errors])


__all__ = ["render_html"]
