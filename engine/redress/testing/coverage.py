"""Provision coverage: which stages, deadlines, entitlements, exclusions and rules no scenario
exercises.

Items are keyed by procedure *family* (the bundled procedure a policy is or extends), so a
deadline inherited unchanged by a local policy or template counts as covered when any policy of
the family exercises it.  Deadlines include escalation windows, the time limit for complaining
and each Ombudsman route's time limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from redress.evaluation.evaluate import Engine
from redress.policy.conditions import could_hold
from redress.policy.library import PolicyEntry
from redress.policy.rules import Rule
from redress.testing.scenarios import Outcome

KINDS = ("stage", "deadline", "entitlement", "exclusion", "rule")
GATED = ("deadline", "entitlement")  # the kinds held to the --fail-under threshold


@dataclass(frozen=True, order=True)
class Item:
    kind: str
    family: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind:<11} {self.family}: {self.id}"


@dataclass(frozen=True)
class Coverage:
    items: frozenset[Item]
    covered: frozenset[Item]

    def of(self, kind: str) -> tuple[int, int]:
        total = [i for i in self.items if i.kind == kind]
        return sum(1 for i in total if i in self.covered), len(total)

    def percent(self, kinds: Iterable[str]) -> float:
        done = total = 0
        for kind in kinds:
            d, t = self.of(kind)
            done, total = done + d, total + t
        return 100.0 if total == 0 else 100.0 * done / total

    def missing(self) -> list[Item]:
        return sorted(self.items - self.covered)


def _policy_items(family: str, merged: Mapping[str, Any]) -> set[Item]:
    items: set[Item] = set()
    for stage_id, stage in (merged.get("stages") or {}).items():
        items.add(Item("stage", family, stage_id))
        for kind in stage.get("deadlines") or {}:
            items.add(Item("deadline", family, f"{stage_id}.{kind}"))
        if (stage.get("next") or {}).get("window"):
            items.add(Item("deadline", family, f"{stage_id}.request_next_stage"))
    if merged.get("time_limit"):
        items.add(Item("deadline", family, "intake.complaint_time_limit"))
    route = merged.get("ombudsman") or {}
    if route.get("time_limit"):
        items.add(Item("deadline", family, f"ombudsman.ombudsman_time_limit[{route['body']}]"))
    for body, other in (route.get("other_routes") or {}).items():
        if other.get("time_limit"):
            items.add(Item("deadline", family, f"ombudsman.ombudsman_time_limit[{body}]"))
    items.update(Item("entitlement", family, e) for e in merged.get("entitlements") or {})
    items.update(Item("exclusion", family, e) for e in merged.get("exclusions") or {})
    return items


def procedure_ids(engine: Engine) -> set[str]:
    """The names ``--procedure`` accepts: every policy id (local ones too) and every family."""
    return {name for entry in engine.library.policies.values()
            for name in (entry.id, entry.family)}


def all_items(engine: Engine, families: Iterable[str] | None = None) -> set[Item]:
    """Every coverable item of the engine's policies (optionally only some procedures, named
    by family or by policy id: a local policy is measured by its own provisions, keyed by its
    family as results are, and by the rules that can fire for it)."""
    wanted = set(families) if families is not None else None
    entries = [e for e in engine.library.policies.values()
               if wanted is None or e.family in wanted or e.id in wanted]
    items: set[Item] = set()
    for entry in entries:
        for _version, merged in entry.versions:
            items |= _policy_items(entry.family, merged)
    rules = engine.library.rules if wanted is None else [
        r for r in engine.library.rules if _can_fire_for(r, entries, engine)]
    items.update(Item("rule", "rules", r.id) for r in rules)
    return items


def _can_fire_for(rule: Rule, entries: Sequence[PolicyEntry], engine: Engine) -> bool:
    """Whether ``rule`` can fire for a case under one of ``entries``: a routing rule that routes
    to one of them, one of their exclusions, or a rule whose condition the procedure's id,
    family, nation and services do not make false."""
    if rule.ruleset == "routing":
        target = rule.then.get("procedure")
        return any(target in (e.id, e.family) for e in entries)
    if rule.ruleset == "exclusions":
        return any(rule.id.startswith(f"{e.id}/") for e in entries)
    return any(could_hold(rule.condition, _known(e, merged, engine))
               for e in entries for _version, merged in e.versions)


def _known(entry: PolicyEntry, merged: Mapping[str, Any], engine: Engine) -> dict[str, set[Any]]:
    """What a case under this policy version must have: its procedure id and family, and one
    of the policy's nations and services (as flat keys of the fact catalogue)."""
    values: dict[str, set[Any]] = {
        "procedure": {entry.id}, "procedure.family": {entry.family},
              "nation": {merged.get("nation")}, "service": set(merged.get("services") or ())}
    known: dict[str, set[Any]] = {}
    for fact, options in values.items():
        spec = engine.library.catalog.get(fact)
        if spec is not None and options and None not in options:
            known[spec.key] = options
    return known


def covered_items(outcomes: Iterable[Outcome]) -> set[Item]:
    done: set[Item] = set()
    for outcome in outcomes:
        result = outcome.result
        if result is None:
            continue
        family = result.procedure.family if result.procedure else ""
        omb = result.routing.ombudsman
        for d in result.deadlines:
            key = f"{d.stage}.{d.kind}"
            if d.kind == "ombudsman_time_limit" and omb is not None:
                key = f"ombudsman.ombudsman_time_limit[{omb.body}]"
            done.add(Item("deadline", family, key))
            done.add(Item("stage", family, d.stage))
        done.add(Item("stage", family, result.stage))
        done.update(Item("entitlement", family, e.id) for e in result.entitlements)
        red = result.routing.redirected_from
        excluded_family = str(red.get("family", red["procedure"])) if red else family
        for step in result.trace:
            if step.ruleset == "exclusions":
                done.add(Item("exclusion", excluded_family, str(step.conclusion.get("exclusion"))))
            elif step.applied:
                done.add(Item("rule", "rules", step.rule))
    return done


def measure_coverage(engine: Engine, outcomes: Iterable[Outcome],
                     families: Iterable[str] | None = None) -> Coverage:
    outcomes = list(outcomes)
    items = all_items(engine, families)
    return Coverage(frozenset(items), frozenset(covered_items(outcomes) & items))
