"""Worked examples for a procedure page, taken from its scenario tests.

``tests/scenarios/<policy id>.scenarios.yaml`` holds cases whose expected dates were worked out
by hand from the law.  Each one is run through ``redress.Engine`` here, and the page shows the
case's dates in, the deadlines Redress computes, and the hand-worked date next to each.  When
the scenario tests are not there (docs built from an installed wheel) the section is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from redress.docs import markdown as md
from redress.docs import words
from redress.docs.context import DocsContext, Procedure
from redress.errors import CaseError, RedressError
from redress.evaluation.deadlines import Deadline
from redress.evaluation.explain import not_applicable_reason
from redress.evaluation.result import STATUS_LABELS, Result
from redress.testing.scenarios import Scenario, load_scenario_file

EVENT_WORDS = {
    "acknowledged": "Acknowledged", "discussed": "Discussion held", "extension": "Extended",
    "period_agreed": "Longer period agreed", "responded": "Response sent",
    "escalation_requested": "Next stage asked for", "statement_agreed": "Statement of complaint agreed",
    "panel_met": "Review panel met", "panel_report_received": "Panel report received",
    "resolved": "Resolved", "resolution_confirmed": "Resolution confirmed", "withdrawn": "Withdrawn",
    "deferred": "Deferred", "resumed": "Resumed", "forwarded": "Forwarded",
    "consent_given": "Consent given", "referred_to_ombudsman": "Referred to the Ombudsman",
}
STAGES = {"intake": "Complaint", "ombudsman": "Ombudsman", "stage1": "Stage 1", "stage2": "Stage 2",
          "stage3": "Stage 3"}


def day(value: Any) -> str:
    """``Mon 3 Mar 2025`` for a date (or an ISO date string, with any time kept)."""
    text = str(value)
    try:
        parsed = dt.date.fromisoformat(text[:10])
    except ValueError:
        return md.escape(text)
    return f"{parsed:%a %-d %b %Y}" + (f" {text[11:16]}" if len(text) > 10 else "")


def examples_section(ctx: DocsContext, procedure: Procedure) -> str:
    scenarios = _scenarios(ctx, procedure)
    if not scenarios:
        return ""
    intro = ("These cases come from Redress's scenario tests, whose expected dates were worked "
             "out by hand from the law. Each was run through Redress when this page was built: "
             "the *computed* column is Redress's answer, the *worked by hand* column the test's. "
             "A date marked *provisional* is counted from the day an earlier step is due, "
             "because that step has not happened yet; it moves when the step happens.")
    blocks = [_example(ctx, procedure, s, first=i == 0) for i, s in enumerate(scenarios)]
    return "## Worked examples\n\n" + intro + "\n\n" + "\n".join(blocks)


def _scenarios(ctx: DocsContext, procedure: Procedure) -> list[Scenario]:
    if ctx.scenario_dir is None:
        return []
    path = ctx.scenario_dir / f"{procedure.id}.scenarios.yaml"
    if not path.is_file():
        return []
    scenarios, _findings = load_scenario_file(path)
    return scenarios


def _example(ctx: DocsContext, procedure: Procedure, scenario: Scenario, first: bool) -> str:
    try:
        result: Result | None = ctx.engine().evaluate(scenario.case_document(),
                                                      as_of=scenario.as_of)
        error = ""
    except CaseError as exc:
        result, error = None, "; ".join(f.message for f in exc.findings)
    except RedressError as exc:
        result, error = None, str(exc)
    body = [f"Evaluated as of **{day(scenario.as_of)}**.", ""]
    if scenario.note:
        body += [_note(scenario.note), ""]
    body += ["**Dates in**", "", _dates_in(scenario.case)]
    if result is None:
        body += ["", f"**Result:** the case is rejected: {md.escape(error)}"]
    else:
        body += ["", "**Deadlines out**", "", _deadlines_out(result, scenario.expect), "",
                 _outcome(ctx, procedure, result)]
    return md.admonition("example", scenario.name, "\n".join(body), collapsible=True,
                         expanded=first)


def _note(note: str) -> str:
    """The scenario's ``note`` (its hand working): folded text, or one line per line of a
    literal block."""
    lines = [line.strip() for line in note.strip().splitlines() if line.strip()]
    if len(lines) > 1:
        return "**Worked by hand:**  \n" + "  \n".join(md.escape(line) for line in lines)
    return f"**Worked by hand:** {md.prose(note)}"


def _dates_in(case: Mapping[str, Any]) -> str:
    """The case's dates in date order: receipt, the matter, then every event."""
    rows: list[tuple[str, str, str]] = [(str(case.get("received", "")), "Complaint received", "")]
    matter = case.get("matter") or {}
    if matter.get("occurred"):
        rows.append((str(matter["occurred"]), "Matter complained about happened", ""))
    if matter.get("aware"):
        rows.append((str(matter["aware"]), "Complainant became aware of it", ""))
    for event in case.get("events") or ():
        kind = str(event.get("type", ""))
        rows.append((str(event.get("date", "")), EVENT_WORDS.get(kind, kind), _event_detail(event)))
    rows.sort(key=lambda row: row[0])
    return md.table(["Date", "What happened", "Detail"],
                    [(day(when), what, detail) for when, what, detail in rows])


def _event_detail(event: Mapping[str, Any]) -> str:
    bits = []
    if event.get("to"):
        bits.append(f"asks for {STAGES.get(event['to'], event['to']).lower()}")
    elif event.get("stage"):
        bits.append(STAGES.get(event["stage"], event["stage"]).lower())
    for key in ("outcome", "reason", "consent", "scope", "body"):
        if event.get(key):
            bits.append(words.plain(str(event[key])))
    for key, label in (("until", "until"), ("new_date", "new date"), ("received", "received")):
        if event.get(key):
            bits.append(f"{label} {day(event[key])}")
    return md.escape(", ".join(bits))


def _deadlines_out(result: Result, expect: Mapping[str, Any]) -> str:
    wanted = {(str(d.get("stage")), str(d.get("kind"))): d for d in expect.get("deadlines") or ()}
    rows = []
    titles = {(d.stage, d.kind): d.title for d in result.deadlines}
    for d in result.deadlines:
        hand = wanted.get((d.stage, d.kind), {})
        rows.append((STAGES.get(d.stage, d.stage), md.escape(d.title),
                     f"{md.escape(_anchor(d.anchor, d.stage, titles))}, {day(d.anchor_date)}",
                     f"**{day(d.due)}**" + (" (provisional)" if d.provisional else ""),
                     _hand(hand, d.due), _state(d)))
    if not rows:
        return "No deadlines."
    return md.table(["Stage", "Deadline", "Counts from", "Computed due date", "Worked by hand",
                     "State"], rows)


def _hand(hand: Mapping[str, Any], due: dt.date) -> str:
    if hand.get("absent"):
        return "expected absent ✗"
    if "due" not in hand:
        return "—"
    expected = str(hand["due"])
    return f"{day(expected)} ✓" if expected == due.isoformat() else f"{day(expected)} ✗ differs"


def _anchor(anchor: str, stage: str, titles: Mapping[tuple[str, str], str]) -> str:
    """What a computed deadline counts from: ``receipt``, or, for a clock that counts on from
    another deadline (``deadline:respond``), that deadline's due date."""
    if anchor.startswith("deadline:"):
        kind = anchor.removeprefix("deadline:")
        title = titles.get((stage, kind), words.DEADLINE_KINDS.get(kind, words.plain(kind)))
        return f"the {title} due date"
    return words.SHORT_ANCHORS.get(anchor, words.plain(anchor))


def _state(d: Deadline) -> str:
    """Where a deadline stands, in words; one that no longer applies says why."""
    if d.state == "not_applicable":
        why = not_applicable_reason(d)
        return "not needed: no extension was used" if why == "no extension was needed" \
            else f"no longer runs: {why}"
    text = {"pending": "pending", "met": "met", "missed": "missed"}.get(d.state, d.state)
    return f"{text} on {day(d.met_on)}" if d.met_on and d.state in ("met", "missed") else text


def _outcome(ctx: DocsContext, procedure: Procedure, result: Result) -> str:
    parts = []
    if result.procedure is not None and result.procedure.id != procedure.id:
        parts.append(f"Routed to {ctx.link_from(procedure.page, result.procedure.id)}.")
    if result.no_procedure is not None:
        parts.append(f"No procedure applies: {md.prose(result.no_procedure.reason)}")
    parts.append(f"**Stage:** {STAGES.get(result.stage, result.stage)} · **Status:** "
                 f"{STATUS_LABELS.get(result.status, result.status)}")
    if result.entitlements:
        parts.append("· **Entitlements:** " + ", ".join(md.escape(e.title)
                                                         for e in result.entitlements))
    omb = result.routing.ombudsman
    if omb is not None:
        parts.append(f"· **Ombudsman:** {omb.body}, {'can' if omb.ready else 'cannot yet'} "
                     "take the complaint")
    return " ".join(parts)
