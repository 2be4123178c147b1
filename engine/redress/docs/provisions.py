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
from redress.docs.rule_text import condition_text
from redress.policy.merge import deep_merge
from redress.policy.model import Entitlement
from redress.policy.rules import Rule


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
        arises = ("**When it arises:** no decision rule grants it automatically; it is listed "
                  "for the officer handling the complaint.")
    else:
        lines = []
        for rule in rules:
            when = condition_text(ctx.conditions.get(rule.id), ctx.library.catalog)
            reason = rule.then.get("reason") or rule.description
            lines.append(f"{md.prose(str(reason))} *When:* {when}. "
                         f"(Rule `{rule.id}`, {md.cite(rule.citation)})")
        arises = "**When it arises:**\n\n" + md.bullets(lines)
    return f"{head}\n\n{cite}\n\n{arises}"


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
            rows.append((f"`{reading.id}`" + (" **(default)**" if reading.id == amb.default else ""),
                         md.prose(reading.description),
                         "<br>".join(md.escape(c) for c in changes) or "no date changes"))
        parts.append(
            f"### {md.escape(amb.title)}\n\n{md.prose(amb.description)}\n\n"
            + md.table(["Reading", "What it means", "What it changes"], rows)
            + f"\n\n**Why the default:** {md.prose(amb.why_default)} "
              f"**Citation:** {md.cite(amb.citation)}")
    return "\n\n".join(parts)


def versions_section(ctx: DocsContext, procedure: Procedure) -> str:
    versions = procedure.versions
    rows = [(f"`{v.id}`", _when(v), md.prose(v.policy.version.summary)) for v in versions]
    parts = ["## Versions", md.table(["Version", "In force", "Summary"], rows)]
    for newer, older in itertools.pairwise(versions):
        changes = describe_changes(older.merged, newer.merged)
        parts.append(f"### What changed on {newer.policy.version.effective_from:%-d %B %Y}\n\n"
                     f"From version `{older.id}` to `{newer.id}`:\n\n"
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
    for changes, ids in groups.items():
        if len(groups) > 1:
            out.append(f"In version{'s' if len(ids) > 1 else ''} {', '.join(f'`{i}`' for i in ids)}:")
        out.append(md.bullets(md.escape(c) for c in changes) or "No differences.")
    return "\n\n".join(out)
