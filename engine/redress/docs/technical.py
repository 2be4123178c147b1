"""The collapsed "Technical details" block at the end of a procedure page.

Reviewers read the page in plain English; the identifiers a policy officer needs to find the
same things in the YAML — the policy's id, its version ids, the organisations it names, its
ambiguity and reading ids, the rules that route cases to it, the scenario file of its worked
examples — are kept here, out of the prose.
"""

from __future__ import annotations

from redress.docs import markdown as md
from redress.docs.context import DocsContext, Procedure


def technical_section(ctx: DocsContext, procedure: Procedure) -> str:
    policy = procedure.policy
    lines = [f"Policy {md.code(policy.id)} ({md.escape(procedure.entry.kind)})"
             + (f", extends {md.code(procedure.entry.extends)}" if procedure.entry.extends else "")]
    lines.append("Versions: " + ", ".join(
        f"{md.code(v.id)} (from {v.policy.version.effective_from:%-d %B %Y})" for v in procedure.versions))
    if policy.organisations:
        lines.append("Organisations it is used for: "
                     + ", ".join(md.code(o) for o in policy.organisations))
    if policy.partnership:
        partners = policy.partnership.get("partners") or ()
        if partners:
            lines.append("Partners: " + ", ".join(md.code(p.get("id", "")) for p in partners)
                         + (f"; lead body {md.code(policy.partnership['lead_body'])}"
                            if policy.partnership.get("lead_body") else ""))
    for amb in policy.ambiguities:
        readings = ", ".join(md.code(r.id) + (" (default)" if r.id == amb.default else "")
                             for r in amb.readings)
        lines.append(f"Ambiguity {md.code(amb.id)}: readings {readings}")
    routes = ctx.routing_to(procedure)
    if routes:
        lines.append("Routing rules that send cases here: "
                     + ", ".join(md.code(r.id) for r in routes))
    if ctx.scenario_dir is not None and (ctx.scenario_dir / f"{procedure.id}.scenarios.yaml").is_file():
        lines.append("Worked examples: " + md.code(f"tests/scenarios/{procedure.id}.scenarios.yaml"))
    details = md.admonition("info", "Technical details", md.bullets(lines), collapsible=True)
    return ("## For policy officers\n\nThe names this policy and its rules have in the YAML "
            "files, for the officer who maintains them:\n\n" + details.rstrip())
