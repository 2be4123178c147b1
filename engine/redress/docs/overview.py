"""Pages about all procedures at once: the side-by-side index (with how a case is routed) and
the partnership protocols."""

from __future__ import annotations

from redress.docs import markdown as md
from redress.docs import words
from redress.docs.context import KIND_LABELS, DocsContext, Procedure
from redress.docs.rule_text import condition_text, facts_of
from redress.policy.model import Policy, Stage

INDEX = "procedures/index.md"
PARTNERSHIPS = "procedures/partnerships.md"


def index_page(ctx: DocsContext) -> str:
    """Every procedure side by side: stages and timescales, then the routing rules."""
    intro = ("Every procedure Redress knows, generated from the YAML policies the engine runs. "
             "Timescales are abbreviated here; each procedure's page gives the anchor event, "
             "counting convention, calendar and citation of every clock.")
    most = max((len(p.policy.stages) for p in ctx.procedures.values()), default=1)
    headers = ["Procedure", "Nation", "Time limit to complain",
               *[f"Stage {n}" for n in range(1, most + 1)], "Then"]
    rows = [_row(ctx, p, most) for p in ctx.procedures.values() if not p.is_example]
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
    route = policy.ombudsman
    others = [r.body for r in policy.other_routes]
    cells.append((f"{route.body}" + (f" (or {', '.join(others)})" if others else "")) if route
                 else "—")
    return cells


def _stage_cell(policy: Policy, stage: Stage) -> str:
    parts = [f"**{md.escape(stage.title)}**"]
    for rule in stage.deadlines:
        if rule.agreed_period:
            parts.append("ext: longer period if agreed")
            continue
        clock = words.short_clock(rule.period, rule.anchor, rule.anchor_deadline, rule.counting)
        label = {"acknowledge": "ack", "respond": "respond", "respond_extended": "ext"}.get(
            rule.kind, words.DEADLINE_KINDS.get(rule.kind, rule.kind).lower())
        parts.append(f"{label}: {_wd(clock)}")
    if stage.window is not None:
        w = stage.window
        clock = words.short_clock(w.period, w.anchor, counting=w.counting) + words.short_limbs(w)
        parts.append(f"ask for next stage: {_wd(clock)}")
    return "<br>".join(parts)


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
    text = ("The routing rules (`rules/routing.yaml`) decide which procedure handles a case. The "
            "rule with the lowest priority number that matches wins; a local policy for one of "
            "the case's organisations is then preferred to the procedure it extends.")
    return text + "\n\n" + md.table(["Priority", "Rule", "When", "Goes to", "Citation"], rows)


def partnership_table(procedure: Procedure) -> str:
    """The partnership block of one policy as a two-column table, partners listed."""
    part = procedure.policy.partnership
    sources = procedure.policy.raw.get("sources") or {}
    from redress.policy.model import build_citation

    rows = [(label, _partnership_value(str(part[key])))
            for key, label in (("lead_body", "Lead body"),
                               ("single_point_of_contact", "Single point of contact"),
                               ("redress_provider", "Who puts things right"),
                               ("consent_to_share", "Consent to share information"),
                               ("duty_to_cooperate", "Duty to co-operate"))
            if part.get(key)]
    for partner in part.get("partners") or ():
        rows.append((f"Partner `{partner.get('id', '')}`",
                     f"{words.BODY_KIND.get(str(partner.get('kind')), partner.get('kind'))}: "
                     f"{md.prose(str(partner.get('role', '')))}"))
    if part.get("citation"):
        rows.append(("Citation", md.cite(build_citation(part["citation"], sources))))
    return md.table(["", ""], rows)


def _partnership_value(text: str) -> str:
    """An organisation id or enum value as code; prose as a sentence."""
    if " " not in text.strip():
        return f"`{text}`" if "-" in text else words.plain(text)
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
