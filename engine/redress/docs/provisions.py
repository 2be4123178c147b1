"""A procedure page's entitlements, ambiguities and effective-dated versions.

Entitlements list when they arise from the entitlement rules (``rules/*.yaml``) that conclude
them; ambiguities show every reading with what it would change; versions say in plain English
what changed from one to the next, and how a local policy differs from the one it extends.
"""

from __future__ import annotations

import itertools

from redress.docs import markdown as md
from redress.docs.changes import describe_changes
from redress.docs.context import DocsContext, Procedure, Version
from redress.docs.crossrefs import ambiguity_anchor
from redress.docs.rule_text import condition_code, condition_text
from redress.policy.merge import deep_merge
from redress.policy.model import Entitlement, Policy, Stage, build_citation
from redress.policy.rules import Rule


def no_acknowledgement(policy: Policy, stage: Stage) -> str | None:
    """Why a stage has no acknowledgement timescale, with its citation (the stage's
    ``no_acknowledgement`` in the policy), or ``None`` when the policy does not say."""
    why = ((policy.raw.get("stages") or {}).get(stage.id) or {}).get("no_acknowledgement") or {}
    if not why.get("reason"):
        return None
    citation = build_citation(why.get("citation"), policy.raw.get("sources") or {})
    return f"{md.prose(str(why['reason']))} ({md.cite(citation)})"


def entitlements_section(ctx: DocsContext, procedure: Procedure) -> str:
    policy = procedure.policy
    if not policy.entitlements:
        return ""
    rules = ctx.rules_for("entitlements", procedure)
    parts = ["## Entitlements",
             "What the complainant is entitled to, and the rules that decide when it arises."]
    parts.extend(_entitlement(ctx, e, [r for r in rules if r.then.get("entitlement") == e.id])
                 for e in policy.entitlements)
    return "\n\n".join(parts)


def _entitlement(ctx: DocsContext, ent: Entitlement, rules: list[Rule]) -> str:
    head = f"### {md.escape(ent.title)}\n\n{md.prose(ent.description)}"
    where = (f"**At:** {md.join([s.replace('stage', 'stage ') for s in ent.stages])}. "
             if ent.stages else "")
    cite = f"{where}**Citation:** {md.cite(ent.citation)}"
    if ent.note:
        cite += f"\n\n**Note:** {md.prose(ent.note)}"
    if not rules:
        arises = ("**When it arises:** Redress does not grant it by itself; it is listed for the "
                  "officer handling the complaint to decide.")
    else:
        arises = "**When it arises:**\n\n" + md.bullets(_arises(ctx, r) for r in rules) \
            + "\n\n" + technical_details(ctx, rules)
    return f"{head}\n\n{cite}\n\n{arises}"


def _arises(ctx: DocsContext, rule: Rule) -> str:
    """One rule that grants an entitlement, as a reviewer reads it: when, why, citation."""
    when = condition_text(ctx.conditions.get(rule.id), ctx.library.catalog)
    when = "In every case under this procedure" if when == "always" else f"When {when}"
    reason = rule.then.get("reason") or rule.description
    return f"{when} ({md.cite(rule.citation)}). {md.prose(str(reason))}"


def technical_details(ctx: DocsContext, rules: list[Rule]) -> str:
    """The decision rules behind a section, by id and with their conditions as written, in a
    collapsed block: for the officer who maintains the rules, not for the reviewer's text."""
    lines = [f"Rule {md.code(r.id)} (priority {r.priority}): "
             f"{condition_code(ctx.conditions.get(r.id)) or 'always'}" for r in rules]
    return md.admonition("info", "Technical details", md.bullets(lines), collapsible=True).rstrip()


def ambiguities_section(ctx: DocsContext, procedure: Procedure) -> str:
    policy = procedure.policy
    if not policy.ambiguities:
        return ""
    parts = ["## Ambiguities",
             "Where the law can be read more than one way, the policy names each reading. Redress "
             "applies the default and flags every date another reading would move."]
    for amb in policy.ambiguities:
        rows = []
        for reading in amb.readings:
            changes = describe_changes(procedure.current.merged,
                                       deep_merge(procedure.current.merged, reading.overrides)) \
                if reading.overrides else []
            rows.append((md.prose(reading.description)
                         + (" **Redress's default.**" if reading.id == amb.default else ""),
                         "<br>".join(md.escape(c) for c in changes) or "no date changes"))
        parts.append(
            f"### {md.escape(amb.title)} {{#{ambiguity_anchor(amb.id)}}}\n\n"
            f"{md.prose(amb.description)}\n\n"
            + md.table(["Reading", "What it changes"], rows)
            + f"\n\n**Why the default:** {md.prose(amb.why_default)} "
              f"**Citation:** {md.cite(amb.citation)}")
    return "\n\n".join(parts)


def versions_section(ctx: DocsContext, procedure: Procedure) -> str:
    versions = procedure.versions
    rows = [(_when(v), md.prose(v.policy.version.summary)) for v in versions]
    parts = ["## Versions", md.table(["In force", "Summary"], rows)]
    for newer, older in itertools.pairwise(versions):
        changes = describe_changes(older.merged, newer.merged)
        parts.append(f"### What changed on {newer.policy.version.effective_from:%-d %B %Y}\n\n"
                     f"Compared with the version in force {_when(older)}:\n\n"
                     + (md.bullets(md.escape(c) for c in changes) or "No change to the rules."))
    parent = ctx.procedures.get(procedure.entry.extends or "")
    if parent is not None:
        parts.append(_differs(ctx, procedure, parent))
    return "\n\n".join(parts)


def _when(version: Version) -> str:
    info = version.policy.version
    start = f"{info.effective_from:%-d %B %Y}"
    if info.effective_from.time() != info.effective_from.min.time():
        start += f" {info.effective_from:%H:%M}"
    if info.effective_to is None:
        return f"from {start}"
    return f"{start} to {info.effective_to:%-d %B %Y}"


def _differs(ctx: DocsContext, procedure: Procedure, parent: Procedure) -> str:
    """How each version differs from the same version of the policy it extends."""
    by_id = {v.id: v for v in parent.versions}
    groups: dict[tuple[str, ...], list[str]] = {}
    for version in procedure.versions:
        base = by_id.get(version.id, parent.current)
        groups.setdefault(tuple(describe_changes(base.merged, version.merged)), []).append(version.id)
    title = f"### How it differs from {ctx.link_from(procedure.page, parent.id)}"
    out = [title]
    by_version = {v.id: v for v in procedure.versions}
    for changes, ids in groups.items():
        if len(groups) > 1:
            out.append("For the version" + ("s" if len(ids) > 1 else "") + " in force "
                       + md.join([_when(by_version[i]) for i in ids]) + ":")
        out.append(md.bullets(md.escape(c) for c in changes) or "No differences.")
    return "\n\n".join(out)
