"""One procedure's section: its figures in a sentence, the stage table, timeliness of each of
the body's deadlines labelled with the rules in force, the complainant's windows, monthly and
quarterly views, and its statutory figures with their citations."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from redress.report.document import Cell, Link, Para, Section, Table
from redress.report.present import Presenter, day, money, month
from redress.report.words import stage_words, word

RESPONSE_KINDS = ("respond", "final_response")


def stage_response(stage: Mapping[str, Any]) -> Mapping[str, int] | None:
    """The timeliness of a stage's response (stage 3: the final response)."""
    return next((stage["timeliness"][k] for k in RESPONSE_KINDS if k in stage["timeliness"]),
                None)


def procedure_section(proc: Mapping[str, Any], p: Presenter,
                      narrative: Sequence[str] = ()) -> Section:
    blocks: list[Any] = [Para(_sentence(proc, p)), _stages(proc, p), _timeliness(proc, p)]
    windows = _windows(proc, p)
    if windows is not None:
        blocks.append(windows)
    blocks += [_months(proc, p, "monthly"), _months(proc, p, "quarterly")]
    subsections = []
    stat = proc.get("statutory")
    if stat:
        subsections.append(_statutory(stat, p, narrative))
    return Section(f"procedure-{_slug(proc['id'])}", proc["title"],
                   tuple(b for b in blocks if b is not None), tuple(subsections))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "procedure"


def _sentence(proc: Mapping[str, Any], p: Presenter) -> str:
    o = proc["outcomes"]
    parts = [f"Complaints received: {p.n(proc['received'])}.",
             f"Final decisions on them: upheld {p.n(o['upheld'])}, partly upheld "
             f"{p.n(o['partly_upheld'])}, not upheld {p.n(o['not_upheld'])}, not yet decided "
             f"{p.n(o['undecided'])}."]
    if proc.get("stage_count") != 1:
        parts.append(f"Resolved at stage 1: {p.of(proc['resolved_at_stage1'])}.")
    parts.append(f"Withdrawn: {p.n(proc['withdrawn'])}.")
    backlog = proc.get("backlog")
    if backlog:
        parts.append(f"Open on {day(backlog['at'])}: {p.n(backlog['open'])}, of which "
                     f"{p.n(backlog['past_due'])} past their response date.")
    e2e = proc.get("end_to_end") or {}
    if e2e.get("complaints"):
        parts.append(f"From receipt to the last response: median {p.days(e2e['median'])} "
                     f"working days, mean {p.days(e2e['mean'])}, over "
                     f"{p.n(e2e['complaints'])} complaints.")
    return " ".join(parts)


def _stages(proc: Mapping[str, Any], p: Presenter) -> Table:
    rows = []
    for s in proc["stages"]:
        wd = s["working_days"]
        rows.append((stage_words(s["stage"], s.get("title")), p.n(s["received"]),
                     p.n(s["responded"]), p.n(s["outcomes"]["upheld"]),
                     p.n(s["outcomes"]["partly_upheld"]), p.n(s["outcomes"]["not_upheld"]),
                     p.days(wd["median"]), p.days(wd.get("mean")), p.days(wd["p90"]),
                     p.n(s["extensions"]), p.n(s["escalated_to_next"])))
    return Table(("Stage", "Received", "Responded", "Upheld at this stage",
                  "Partly upheld at this stage", "Not upheld at this stage",
                  "Median working days to respond", "Mean", "90th percentile",
                  "Responses with an extension", "Went on to the next stage"), tuple(rows),
                 "Each stage: received and answered in the period")


def _timeliness(proc: Mapping[str, Any], p: Presenter) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for s in proc["stages"]:
        versions = s.get("versions") or [{"label": "", "timeliness": s["timeliness"]}]
        for v in versions:
            for kind, t in v["timeliness"].items():
                rows.append((stage_words(s["stage"], s.get("title")), word("deadline", kind),
                             v["label"][:1].upper() + v["label"][1:], p.n(t["on_time"]),
                             p.n(t["within_extension"]), p.n(t["late"]), p.n(t["pending"])))
    return Table(("Stage", "Deadline", "Timescales that applied", "On time",
                  "Within an extension", "Late", "Not yet due"), tuple(rows),
                 "Timeliness of the council's own deadlines (acknowledgements for stages received "
                 "in the period, the rest for stages answered in it), by the rules in force when "
                 "each complaint was received")


def _windows(proc: Mapping[str, Any], p: Presenter) -> Table | None:
    rows = tuple((stage_words(s["stage"], s.get("title")), p.n(t["on_time"] + t["within_extension"]),
                  p.n(t["late"]), p.n(t["pending"]))
                 for s in proc["stages"] for t in (s.get("complainant_windows") or {}).values())
    if not rows:
        return None
    return Table(("After the response at", "Asked for the next stage in time",
                  "Did not ask in time", "Time to ask still running"), rows,
                 "The complainant's time to ask for the next stage (not the council's "
                 "performance, so not in the timeliness above)")


def _months(proc: Mapping[str, Any], p: Presenter, view: str) -> Table | None:
    items = proc.get(view) or []
    if not items:
        return None
    rows = tuple((_when(m), p.n(m["received"]), p.n(m["responded"]), p.of(m["on_time"]))
                 for m in items)
    return Table(("Month" if view == "monthly" else "Quarter", "Complaints received",
                  "Responses sent", "Responses on time or within an extension"), rows,
                 f"{'Each month' if view == 'monthly' else 'Each quarter'} of the period")


def _when(item: Mapping[str, Any]) -> str:
    if "month" in item:
        return month(item["month"])
    return f"{item['quarter']}: {day(item['from'])} to {day(item['to'])}"


def _statutory(stat: Mapping[str, Any], p: Presenter, narrative: Sequence[str]) -> Section:
    cite = stat["citation"]
    blocks: list[Any] = [Para(f"Required by {cite['text']}; how far this was checked against "
                              f"the law: {stat['confidence'].replace('_', ' ')}.", "cite")]
    if stat.get("note"):
        blocks.append(Para(stat["note"], "note"))
    rows = tuple((figure_title(f), figure_value(f, p, narrative), _link(f["citation"]))
                 for f in stat["figures"])
    blocks.append(Table(("Figure", "Value", "Citation"), rows, stat["title"], numeric=False))
    return Section(f"statutory-{stat['id']}", stat["title"], tuple(blocks))


def _link(cite: Mapping[str, Any]) -> Cell:
    url = str(cite.get("url") or "")
    return Link(cite["text"], url) if url.startswith(("https://", "http://")) else cite["text"]


def figure_title(figure: Mapping[str, Any]) -> str:
    title = str(figure["title"])
    if figure["measure"] in ("upheld", "partly_upheld", "not_upheld"):
        return f"{title} (final decision on complaints received in the period)"
    versions = (figure.get("detail") or {}).get("by_version") \
        if isinstance(figure.get("detail"), Mapping) else None
    if figure["measure"] == "responded_on_time" and versions and len(versions) == 1:
        return f"{title}: {versions[0]['label']}"
    return title


def figure_value(figure: Mapping[str, Any], p: Presenter, narrative: Sequence[str]) -> str:
    unit, value, detail = figure["unit"], figure["value"], figure["detail"]
    if unit == "narrative":
        found = matching_section(figure, narrative)
        return f"See “{found}”." if found else "To be written by the complaints manager."
    if unit == "rate":
        if value is None:
            return "Needs the number of homes (--homes)."
        return f"{value} per 1,000 homes ({p.n(detail['received'])} for {detail['homes']:,} homes)"
    if unit == "share":
        text = p.of(detail)
        versions = detail.get("by_version") if isinstance(detail, Mapping) else None
        if versions and len(versions) > 1:
            text += "; " + "; ".join(f"{v['label']}: {p.of(v)}" for v in versions)
        return text
    if unit == "money":
        return money(float(value or 0))
    if unit == "breakdown" and isinstance(detail, Mapping):
        return _breakdown(figure, p)
    return p.n(value)


def _breakdown(figure: Mapping[str, Any], p: Presenter) -> str:
    detail = figure["detail"]
    vocabulary = {"subject_matter": "topic", "ombudsman_decisions": "ombudsman_decision",
                  "remedies": "remedy_state"}.get(figure["measure"], "")
    inner = {k: v for k, v in detail.items() if isinstance(v, int) and k != "total"}
    text = p.n(figure["value"])
    if inner:
        text += " (" + ", ".join(f"{word(vocabulary, k)}: {p.n(v)}" for k, v in inner.items()) + ")"
    return text


def matching_section(figure: Mapping[str, Any], narrative: Sequence[str]) -> str | None:
    """The narrative section a narrative figure is written in: one whose heading holds every
    word of the figure's id, or its title."""
    words = set(re.findall(r"[a-z]+", str(figure["id"]).lower()))
    for title in narrative:
        heading = set(re.findall(r"[a-z]+", title.lower()))
        if words <= heading or title.strip().lower() == str(figure["title"]).lower():
            return title
    return None


__all__ = ["figure_title", "figure_value", "matching_section", "procedure_section",
           "stage_response"]
