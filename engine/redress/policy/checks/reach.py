"""Policies no case can reach: loaded, valid, and never used.

A case reaches a policy when a routing rule (or an exclusion's ``goes_to``) names it, or when
the policy extends one that is named and lists one of the case's organisations (the engine then
prefers it; see ``Library.choose``).  A copied policy with a new id and no ``extends`` is
reached by nothing, and a local policy that extends a procedure but names no organisation is
never chosen: both are silently ignored by the engine, so lint says how to make them apply.
Templates are meant to be extended, not reached, and are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from redress.findings import Finding, Severity, did_you_mean
from redress.policy.checks._util import mapping, rules_of, variants
from redress.policy.policyset import LoadedPolicies, ResolvedPolicy

CHECK_ID = "unreachable-policy"


def routed_procedures(loaded: LoadedPolicies) -> set[str]:
    """Every policy id a routing rule or an exclusion's ``goes_to`` names."""
    named: set[str] = set()
    for source in loaded.valid_rule_files():
        if source.data.get("ruleset") != "routing":
            continue
        for _i, rule in rules_of(source):
            target = mapping(rule.get("then")).get("procedure")
            if isinstance(target, str):
                named.add(target)
    for resolved in variants(loaded):
        for exclusion in mapping(resolved.data.get("exclusions")).values():
            target = mapping(exclusion).get("goes_to")
            if isinstance(target, str):
                named.add(target)
    return named


def unreachable_policies(loaded: LoadedPolicies) -> Iterator[Finding]:
    routed = routed_procedures(loaded)
    for policy in loaded.policies.values():
        if policy.kind == "template" or policy.id in routed or not policy.valid:
            continue
        problem = _why_unreachable(policy, routed, loaded)
        if problem is not None:
            message, hint = problem
            yield policy.document.locate(Finding(CHECK_ID, message, ("id",),
                                                 severity=Severity.WARNING, hint=hint))


def _why_unreachable(policy: ResolvedPolicy, routed: set[str],
                     loaded: LoadedPolicies) -> tuple[str, str] | None:
    ancestors = [a for a in policy.chain if a != policy.id]
    reached = [a for a in ancestors if a in routed]
    organisations = policy.base.data.get("organisations") or []
    if reached and organisations:
        return None
    if reached:
        return (f"policy '{policy.id}' extends '{reached[-1]}' but lists no organisations, so "
                "no case will use it",
                "list the ids of the organisations it applies to under 'organisations:'; a case "
                "uses it when one of the case's organisations has one of those ids")
    apply = (f"add a routing rule with 'then: {{procedure: {policy.id}}}' in a rules file of "
             "its own")
    if ancestors:
        return (f"policy '{policy.id}' extends '{ancestors[-1]}', which no routing rule names, "
                "so no case will use it", apply)
    procedures = sorted(p.id for p in loaded.policies.values()
                        if p.id in routed and p.id != policy.id)
    near = did_you_mean(policy.id, procedures)
    base = near.split("'")[1] if near else "the bundled procedure it changes"
    return (f"no routing rule names policy '{policy.id}' and it extends no procedure, so no "
            "case will use it",
            f"to change a procedure for your organisation, add 'extends: {base}' and "
            f"'organisations: [your organisation id]' and keep only what differs; for a new "
            f"procedure, {apply}")
