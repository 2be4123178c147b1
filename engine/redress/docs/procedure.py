"""One procedure's page: summary, flowchart, stage-by-stage tables and the Ombudsman route.

The later sections (entitlements, ambiguities, versions, worked examples) come from
``redress.docs.provisions`` and ``redress.docs.examples``.  Everything is read from the typed
policy of the newest version; nothing here knows about YAML.
"""

from __future__ import annotations

from redress.docs import markdown as md
from redress.docs import words
from redress.docs.context import KIND_LABELS, DocsContext, Procedure, relative
from redress.docs.crossrefs import link_ambiguities
from redress.docs.departures import departures_section
from redress.docs.examples import examples_section
from redress.docs.flowchart import flowchart
from redress.docs.provisions import (
    ambiguities_section,
    entitlements_section,
    no_acknowledgement,
    versions_section,
)
from redress.docs.reports import report_section
from redress.docs.technical import technical_section
from redress.policy.model import DeadlineRule, OmbudsmanRoute, Policy, Stage


def procedure_page(ctx: DocsContext, procedure: Procedure) -> str:
    """The whole Markdown page for one procedure."""
    sections = [
        _header(ctx, procedure),
        departures_section(ctx, procedure),
        _in_brief(ctx, procedure),
        _not_covered(ctx, procedure),
        "## Flowchart\n\n" + _flowchart_block(ctx, procedure.policy),
        _stages(ctx, procedure),
        _ombudsman(ctx, procedure),
        _partnership(ctx, procedure),
        entitlements_section(ctx, procedure),
        ambiguities_section(ctx, procedure),
        report_section(ctx, procedure),
        versions_section(ctx, procedure),
        examples_section(ctx, procedure),
        technical_section(ctx, procedure),
    ]
    page = "\n\n".join(s for s in sections if s).rstrip() + "\n"
    return link_ambiguities(page, {a.id: a.title for a in procedure.policy.ambiguities})


def glossary(page: str, anchor: str, text: str) -> str:
    return f"[{text}]({relative(page, words.GLOSSARY)}#{anchor})"


def _header(ctx: DocsContext, procedure: Procedure) -> str:
    policy = procedure.policy
    kind = KIND_LABELS.get(policy.kind, policy.kind)
    facts = [kind[:1].upper() + kind[1:], words.NATIONS.get(policy.nation, policy.nation),
             f"this version in force from {policy.version.effective_from:%-d %B %Y}"]
    out = [f"# {md.escape(policy.title)}", "", md.prose(procedure.policy.raw.get("summary", "")),
           "", " · ".join(facts) + "  "]
    if procedure.entry.extends:
        out.append(f"Builds on {ctx.link_from(procedure.page, procedure.entry.extends)}: only "
                   "what differs is written in this policy (see *Versions* below).")
    if procedure.is_example:
        out[1:1] = ["", '!!! example "An example, not a real procedure"',
                    "    This is the policy of a fictional council, shipped with Redress to show "
                    "how an organisation's own policy is written on top of a bundled one. No "
                    "real complaint is handled under it."]
    return "\n".join(out)


# -- in brief --------------------------------------------------------------------------------


def _in_brief(ctx: DocsContext, procedure: Procedure) -> str:
    policy, page = procedure.policy, procedure.page
    rows = [("Who it covers", _covers(policy))]
    routes = ctx.routing_to(procedure)
    if routes:
        rows.append(("Routed here when", "<br>".join(
            f"{md.escape(md.sentence(r.description))} ({md.cite(r.citation)})" for r in routes)))
    rows.append(("Who may complain", _eligibility(policy)))
    if policy.time_limit:
        limit = policy.time_limit
        rows.append(("Time limit", f"Within {words.time_limit_text(limit)}. "
                     f"{_late(limit.late, limit.discretion)} ({md.cite(limit.citation)}"
                     + (f"; outer limit {md.cite(limit.outer_limit.citation)}"
                        if limit.outer_limit and limit.outer_limit.citation else "") + ")"
                     + (f"<br>**Note:** {md.prose(limit.note)}" if limit.note else "")
                     + (f"<br>**Note on the outer limit:** {md.prose(limit.outer_limit.note)}"
                        if limit.outer_limit and limit.outer_limit.note else "")))
    rows.append(("Receipt", f"{words.RECEIPT.get(policy.receipt_rule, policy.receipt_rule)}"
                 + (f" Received after {policy.after_hours_from:%H:%M} counts as the next day."
                    if policy.after_hours_from else "")
                 + (f" ({md.cite(policy.receipt_citation)})" if policy.receipt_citation else "")))
    rows.append(("Working days", _calendar(policy, page)))
    if policy.stages:
        rows.append(("Stages", md.join([f"{s.number}. {md.escape(s.title)}" for s in policy.stages])
                     + ", then the Ombudsman."))
    if policy.citation:
        rows.append(("Legal basis", md.cite(policy.citation)))
    return "## In brief\n\n" + md.table(["", ""], rows)


def _covers(policy: Policy) -> str:
    bodies = md.join(words.describe_list(policy.bodies, words.BODIES))
    services = md.join(words.describe_list(policy.services, words.SERVICES))
    nation = words.NATIONS.get(policy.nation, policy.nation)
    text = f"Complaints to {bodies} in {nation} about {services}."
    if policy.organisations:
        count = len(policy.organisations)
        text += (f" Used for cases involving the {'organisation' if count == 1 else 'organisations'}"
                 " it names (see *For policy officers* at the end of the page).")
    return text


def _eligibility(policy: Policy) -> str:
    raw = policy.raw.get("eligibility") or {}
    parts = [md.prose(str(raw.get("summary", "")))]
    if raw.get("roles"):
        parts.append("Complainant roles accepted: " + ", ".join(
            words.plain(str(r)) for r in raw["roles"]) + ".")
    for key in ("sufficient_interest", "representatives"):
        if raw.get(key):
            parts.append(md.prose(str(raw[key])))
    if raw.get("citation"):
        from redress.policy.model import build_citation

        parts.append(f"({md.cite(build_citation(raw['citation'], policy.raw.get('sources') or {}))})")
    return " ".join(p for p in parts if p)


def _late(late: str, discretion: str) -> str:
    if late == "refused":
        return "A later complaint is refused."
    return "A later complaint is for the body's discretion" + (
        f": {md.escape(md.sentence(discretion))}" if discretion else ".")


def _calendar(policy: Policy, page: str) -> str:
    text = (f"{words.CALENDARS.get(policy.calendar, policy.calendar)} working days: Monday to "
            f"Friday except {glossary(page, 'bank-holiday', 'bank and public holidays')}.")
    if policy.closures:
        days = ", ".join(f"{day:%-d %b %Y}" for day, _name in policy.closures)
        text += f" Local closure days that do not count: {days}."
    return text


def _not_covered(ctx: DocsContext, procedure: Procedure) -> str:
    policy, out = procedure.policy, []
    if policy.exclusions:
        rows = [(md.escape(e.title), _goes_to(ctx, procedure, e.goes_to), md.prose(e.reason),
                 md.cite(e.citation)) for e in policy.exclusions]
        out.append(md.table(["Matter", "Goes instead to", "Why", "Citation"], rows))
        out.append(md.notes((md.escape(e.title), e.note) for e in policy.exclusions))
    if policy.deferrals:
        rows = [(md.escape(d.title), md.join([words.plain(p) for p in d.proceedings], "or"),
                 md.prose(d.reason), md.cite(d.citation)) for d in policy.deferrals]
        out.append("The body may put a complaint on hold while other proceedings run:\n\n"
                   + md.table(["Deferral", "Proceedings", "What happens", "Citation"], rows))
        out.append(md.notes((md.escape(d.title), d.note) for d in policy.deferrals))
    if not out:
        return ""
    return "## What it does not cover\n\n" + "\n\n".join(o for o in out if o)


def _goes_to(ctx: DocsContext, procedure: Procedure, goes_to: str | None) -> str:
    if not goes_to:
        return "— (see *Why*)"
    return ctx.link_from(procedure.page, goes_to)


def _flowchart_block(ctx: DocsContext, policy: Policy) -> str:
    return f"```mermaid\n{flowchart(policy, ctx.titles)}\n```"


# -- stages ----------------------------------------------------------------------------------


def _stages(ctx: DocsContext, procedure: Procedure) -> str:
    policy, page = procedure.policy, procedure.page
    if not policy.stages:
        return ""
    overview = md.table(
        ["Stage", "Handled by", "Acknowledgement", "Response and other clocks", "Extension",
         "Next step", "Citation"],
        [_overview_row(policy, s) for s in policy.stages])
    details = [_stage_detail(page, policy, s) for s in policy.stages]
    intro = ("Each clock runs from an event — receipt of the complaint, a request, a response — "
             "for a number of working days (weekends and "
             f"{glossary(page, 'bank-holiday', 'bank holidays')} do not count) or of months. "
             "Where counting starts the day after the event, the day of the event itself is not "
             f"counted ({glossary(page, 'counting-conventions', 'how periods are counted')}).")
    return "## Stage by stage\n\n" + intro + "\n\n" + overview + "\n\n" + "\n\n".join(details)


def _titles(stage: Stage) -> dict[str, str]:
    return {d.kind: d.title for d in stage.deadlines}


def _clock(stage: Stage, kind: str) -> str:
    rule = stage.deadline(kind)
    return words.deadline_clock(rule, _titles(stage), stage.number) if rule else "—"


def _extension(stage: Stage) -> str:
    rules = [r for r in stage.deadlines if r.is_extension]
    parts = []
    for rule in rules:
        text = words.deadline_clock(rule, _titles(stage), stage.number)
        condition = words.extension_text(rule)
        named = f"**{md.escape(rule.title)}:** " if len(rules) > 1 else ""
        parts.append(named + text + (f" — {md.escape(condition)}" if condition else ""))
    return "<br>".join(parts) or "none"


def _response(stage: Stage) -> str:
    main = [d for d in stage.deadlines if not d.is_extension and d.kind != "acknowledge"]
    return "<br>".join(f"{md.escape(d.title)}: {_clock(stage, d.kind)}" for d in main) or "—"


def _overview_row(policy: Policy, stage: Stage) -> tuple[str, ...]:
    ack = _clock(stage, "acknowledge") if stage.deadline("acknowledge") else "none set (see below)"
    return (md.escape(words.stage_heading(stage.number, stage.title)), md.prose(stage.handled_by),
            ack, _response(stage), _extension(stage), _next_step(policy, stage),
            md.cite(stage.citation))


def _next_step(policy: Policy, stage: Stage) -> str:
    if stage.next_stage is None:
        route = policy.ombudsman
        return f"The Ombudsman ({route.body})" if route else "End of the procedure"
    target = policy.stage(stage.next_stage)
    number = target.number if target else stage.next_stage
    if stage.window is None:
        return f"Stage {number} on request (no time set)"
    late = words.LATE.get(stage.window.late, stage.window.late)
    return f"Stage {number} if asked for within {words.window_clock(stage.window, stage.number)}; {late}"


def _stage_detail(page: str, policy: Policy, stage: Stage) -> str:
    rows = [_clock_row(stage, d) for d in stage.deadlines]
    if stage.window is not None:
        w = stage.window
        rows.append((md.escape(w.title), words.period_text(w.period),
                     words.counting_text(w.period, w.counting,
                                         words.anchor_text(w.anchor, None, stage.number)),
                     words.calendar_text(w.period, w.calendar),
                     f"next stage asked for; {words.LATE.get(w.late, w.late)}", md.cite(w.citation)))
        if w.or_later is not None:
            limb = w.or_later
            rows.append((f"{md.escape(w.title)}: or, if later", words.period_text(limb.period),
                         words.counting_text(limb.period, limb.counting,
                                             words.anchor_text(limb.anchor, None, stage.number)),
                         words.calendar_text(limb.period, w.calendar),
                         "the window ends on the later of the two dates", md.cite(w.citation)))
    head = f"### {md.escape(words.stage_heading(stage.number, stage.title))}\n\n"
    who = f"**Handled by:** {md.prose(stage.handled_by)} ({md.cite(stage.citation)})\n\n"
    if stage.deadline("acknowledge") is None:
        who += ("**No acknowledgement timescale:** "
                f"{no_acknowledgement(policy, stage) or 'the policy does not say why.'}\n\n")
    if stage.note:
        who += f"**Note:** {md.prose(stage.note)}\n\n"
    table = md.table(["Clock", "Time allowed", "How it is counted", "Days that count",
                      "Met when", "Citation"], rows)
    notes = md.notes([(md.escape(d.title), d.note) for d in stage.deadlines]
                     + ([(md.escape(stage.window.title), stage.window.note)]
                        if stage.window else []))
    return head + who + table + _tails(stage) + (f"\n\n{notes}" if notes else "")


def _clock_row(stage: Stage, rule: DeadlineRule) -> tuple[str, ...]:
    period = words.agreed_text(rule) if rule.agreed_period else words.period_text(rule.period)
    if rule.anchor_deadline:
        period = f"a further {period}"
    met = " or ".join(words.MET_BY.get(e, words.plain(e)) for e in rule.met_by_events)
    anchor = words.rule_anchor(rule, _titles(stage), stage.number)
    counting = words.counting_text(rule.period, rule.counting, anchor)
    calendar = words.calendar_text(rule.period, rule.calendar)
    if rule.agreed_period:
        counting, calendar = f"ends on the last day of that period (counted from {anchor})", "—"
    clock = md.escape(rule.title)
    if rule.is_extension and words.extension_text(rule):
        clock += f"<br>*{md.escape(words.extension_text(rule))}*"
    return (clock, period, counting, calendar, met, md.cite(rule.citation))


def _tails(stage: Stage) -> str:
    tails = [d.title for d in stage.deadlines if d.tail == "as_soon_as_reasonably_practicable"]
    if not tails:
        return ""
    return ("\n\n*Or as soon as reasonably practicable:* the law adds these words to "
            f"{md.join([md.escape(t) for t in tails])}, so a missed date is flagged, not treated "
            "as a failure.")


# -- Ombudsman and partnership ----------------------------------------------------------------


def _ombudsman(ctx: DocsContext, procedure: Procedure) -> str:
    policy = procedure.policy
    routes: list[OmbudsmanRoute] = ([policy.ombudsman] if policy.ombudsman else []) + list(
        policy.other_routes)
    if not routes:
        return ""
    rows = [(f"{md.escape(r.title)} ({r.body})",
             words.time_limit_text(r.time_limit) if r.time_limit else "—",
             ("The Ombudsman may accept a later complaint." if r.time_limit.late == "discretion"
              else "A later complaint is refused.") if r.time_limit else "",
             md.prose(r.premature), md.cite(r.citation)
             + (f"; time limit {md.cite(r.time_limit.citation)}" if r.time_limit else ""))
            for r in routes]
    intro = ("After the body's final response (or if it delays), the complainant can go to:"
             if len(routes) == 1 else "After the body's final response (or if it delays), the "
             "complainant can go to the Ombudsman whose remit the complaint falls in:")
    notes = md.notes(
        [(r.body, r.note) for r in routes]
        + [(f"{r.body} time limit", r.time_limit.note) for r in routes if r.time_limit])
    return "## The Ombudsman\n\n" + intro + "\n\n" + md.table(
        ["Ombudsman", "Time limit", "Late complaints", "When it will look at a complaint",
         "Citation"], rows) + (f"\n\n{notes}" if notes else "")


def _partnership(ctx: DocsContext, procedure: Procedure) -> str:
    part = procedure.policy.partnership
    if not part:
        return ""
    from redress.docs.overview import partnership_table

    link = relative(procedure.page, "procedures/partnerships.md")
    return ("## Partnership arrangements\n\n" + partnership_table(procedure) + "\n\n"
            f"See also [all partnership protocols]({link}).")
