"""Pages about all procedures at once: the side-by-side index (with how a case is routed) and
the partnership protocols."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redress.docs import markdown as md
from redress.docs import words
from redress.docs.context import KIND_LABELS, DocsContext, Procedure
from redress.docs.provisions import no_acknowledgement, technical_details
from redress.docs.rule_text import condition_text, facts_of
from redress.policy.model import Policy, Stage

INDEX = "procedures/index.md"
NO_ACK_ANCHOR = "where-there-is-no-acknowledgement-timescale"
PARTNERSHIPS = "procedures/partnerships.md"


def index_page(ctx: DocsContext) -> str:
    """Every procedure side by side: stages and timescales, then the routing rules."""
    intro = ("Every procedure Redress knows, generated from the YAML policies the engine runs. "
             "Timescales are abbreviated here; each procedure's page says for every clock when "
             "it starts, how it is counted, which days count and where the law says so.")
    most = max((len(p.policy.stages) for p in ctx.procedures.values()), default=1)
    headers = ["Procedure", "Nation", "Time limit to complain",
               *[f"Stage {n}" for n in range(1, most + 1)], "Entitlements", "Then"]
    real = [p for p in ctx.procedures.values() if not p.is_example]
    rows = [_row(ctx, p, most) for p in real]
    examples = [p for p in ctx.procedures.values() if p.is_example]
    example_text = [
        "## Examples",
        "Fictional councils' own policies, shipped to show how a local policy is written on top "
        "of a bundled procedure. They are not real procedures.",
        md.bullets(f"{ctx.link_from(INDEX, p.id)}: {md.escape(p.policy.title)}" for p in examples),
    ] if examples else []
    return "\n\n".join([
        "---\nhide:\n  - toc\n---\n\n# Procedures side by side", intro,
        "## Stages and timescales", md.table(headers, rows),
        "Abbreviations: *WD* working days; *ack* acknowledgement; *ext* extension.",
        no_acknowledgement_section(ctx, real),
        *example_text,
        "## Kinds of policy", _kinds(ctx),
        "## How a case finds its procedure", _routing(ctx), "",
    ])


def _row(ctx: DocsContext, procedure: Procedure, most: int) -> list[str]:
    policy = procedure.policy
    limit = policy.time_limit
    cells = [ctx.link_from(INDEX, procedure.id), words.NATIONS.get(policy.nation, policy.nation),
             words.short_clock(limit.period, limit.anchor, counting=limit.counting)
             + words.short_limbs(limit) if limit else "—"]
    cells.extend(_stage_cell(policy, policy.stages[n]) if n < len(policy.stages) else "—"
                 for n in range(most))
    cells.append("<br>".join(md.escape(e.title) for e in policy.entitlements) or "—")
    route = policy.ombudsman
    others = [r.body for r in policy.other_routes]
    cells.append((f"{route.body}" + (f" (or {', '.join(others)})" if others else "")) if route
                 else "—")
    return cells


_CELL_LABELS = {"acknowledge": "ack", "respond": "respond", "respond_extended": "ext",
                "response_period": "respond"}


def _stage_cell(policy: Policy, stage: Stage) -> str:
    parts = [f"**{md.escape(stage.title)}**"]
    if stage.deadline("acknowledge") is None:
        parts.append(f"ack: none set ([why](#{NO_ACK_ANCHOR}))")
    for rule in stage.deadlines:
        label = _CELL_LABELS.get(rule.kind, words.DEADLINE_KINDS.get(rule.kind, rule.kind).lower())
        if rule.agreed_period:
            parts.append(f"{label}: " + ("longer period if agreed" if rule.is_extension and
                                         rule.kind.endswith("_extended")
                                         else "within a period set or agreed with the complainant"))
            continue
        clock = words.short_clock(rule.period, rule.anchor, rule.anchor_deadline, rule.counting)
        parts.append(f"{label}: {_wd(clock)}")
    if stage.window is not None:
        w = stage.window
        clock = words.short_clock(w.period, w.anchor, counting=w.counting) + words.short_limbs(w)
        parts.append(f"ask for next stage: {_wd(clock)}")
    return "<br>".join(parts)


def no_acknowledgement_section(ctx: DocsContext, procedures: list[Procedure]) -> str:
    """Each stage with no acknowledgement timescale, and why, with its citation (the stage's
    ``no_acknowledgement`` in the policy)."""
    items = []
    for procedure in procedures:
        policy = procedure.policy
        for stage in policy.stages:
            if stage.deadline("acknowledge") is not None:
                continue
            reason = no_acknowledgement(policy, stage) or "The policy does not say why."
            items.append(f"{ctx.link_from(INDEX, procedure.id)}, "
                         f"{md.escape(words.stage_heading(stage.number, stage.title))}: {reason}")
    if not items:
        return ""
    return ("### Where there is no acknowledgement timescale\n\n"
            "These stages set no date for acknowledging the complaint or request:\n\n"
            + md.bullets(items))


def _wd(text: str) -> str:
    return text.replace("working days", "WD").replace("working day", "WD")


def _kinds(ctx: DocsContext) -> str:
    rows = [(ctx.link_from(INDEX, p.id), KIND_LABELS.get(p.entry.kind, p.entry.kind),
             ctx.link_from(INDEX, p.entry.extends) if p.entry.extends else "—",
             ", ".join(v.id for v in p.versions)) for p in ctx.procedures.values()]
    return md.table(["Policy", "Kind", "Extends", "Versions"], rows)


def _routing(ctx: DocsContext) -> str:
    rules = sorted((r for r in ctx.library.rules if r.ruleset == "routing"),
                   key=lambda r: (r.priority, r.order))
    rows = []
    for rule in rules:
        if "procedure" in rule.then:
            target = ctx.link_from(INDEX, str(rule.then["procedure"]))
        else:
            none = rule.then.get("no_procedure") or {}
            target = "No procedure here" + (f": {md.escape(str(none['goes_to']))}"
                                            if none.get("goes_to") else "")
        rows.append((str(rule.priority), md.prose(rule.description),
                     condition_text(ctx.conditions.get(rule.id), ctx.library.catalog, ()),
                     target, md.cite(rule.citation)))
    text = ("The routing rules decide which procedure handles a case. The rule with the lowest "
            "priority number that matches wins; a local policy for one of the case's "
            "organisations is then preferred to the procedure it extends.")
    return (text + "\n\n" + md.table(["Priority", "Rule", "When", "Goes to", "Citation"], rows)
            + "\n\n" + technical_details(ctx, rules))


def partnership_table(procedure: Procedure) -> str:
    """The partnership block of one policy as a two-column table, partners listed."""
    part = procedure.policy.partnership
    sources = procedure.policy.raw.get("sources") or {}
    from redress.policy.model import build_citation

    partners = {str(p.get("id", "")): p for p in part.get("partners") or ()}
    rows = [(label, _partnership_value(str(part[key]), partners))
            for key, label in (("lead_body", "Lead body"),
                               ("single_point_of_contact", "Single point of contact"),
                               ("redress_provider", "Who puts things right"),
                               ("consent_to_share", "Consent to share information"),
                               ("duty_to_cooperate", "Duty to co-operate"))
            if part.get(key)]
    for partner in partners.values():
        rows.append((f"Partner: {md.escape(_body_kind(partner))}",
                     md.prose(str(partner.get("role", "")))))
    if part.get("citation"):
        rows.append(("Citation", md.cite(build_citation(part["citation"], sources))))
    return md.table(["", ""], rows)


def _body_kind(partner: Mapping[str, Any]) -> str:
    kind = str(partner.get("kind", ""))
    return words.BODY_KIND.get(kind, words.plain(kind))


def _partnership_value(text: str, partners: Mapping[str, Mapping[str, Any]]) -> str:
    """A partner named by its id as that partner's kind ("the NHS body partner"), an enum
    value in words, prose as a sentence (the ids are in the page's technical details)."""
    if text in partners:
        return f"the {md.escape(_body_kind(partners[text]))} partner"
    if " " not in text.strip():
        return md.escape(words.plain(text))
    return md.prose(text)


def partnerships_page(ctx: DocsContext) -> str:
    """Every policy that settles how partners handle a complaint together."""
    found = [p for p in ctx.procedures.values() if p.policy.partnership]
    parts = ["# Partnership protocols",
             "When more than one body is involved in a complaint (a council and an NHS body "
             "running a service together, for example) the policy says who leads, who the "
             "complainant deals with, who puts things right and whether information may be "
             "shared. These are the policies that say so."]
    for procedure in found:
        parts.append(f"## {md.escape(procedure.policy.title)}")
        parts.append(f"Procedure page: {ctx.link_from(PARTNERSHIPS, procedure.id)}.")
        parts.append(partnership_table(procedure))
    if not found:
        parts.append("No bundled policy has partnership arrangements.")
    rules = [r for r in ctx.library.rules if r.ruleset == "routing"
             and "partnership" in facts_of(ctx.conditions.get(r.id))]
    if rules:
        parts.append("## How partnership cases are routed")
        parts.append(md.table(["Rule", "When", "Goes to", "Citation"], [
            (md.prose(r.description),
             condition_text(ctx.conditions.get(r.id), ctx.library.catalog, ()),
             ctx.link_from(PARTNERSHIPS, str(r.then.get("procedure", ""))), md.cite(r.citation))
            for r in rules]))
    return "\n\n".join(parts) + "\n"
