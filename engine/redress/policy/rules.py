"""Decision rules (``rules/*.yaml``) as typed values with conditions in normal form.

A ruleset file holds rules of one kind — ``routing``, ``entitlements``, ``status`` or
``ombudsman`` — each with an id, a description, a citation, a ``when`` condition over named
facts and a ``then`` conclusion.  This module parses them; the backends fire them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

from msgspec import Struct

from redress.findings import Finding
from redress.policy.conditions import Condition, parse_condition, used_facts
from redress.policy.facts_catalog import FactCatalog
from redress.policy.model import Citation, build_citation

RULESET_KINDS = ("routing", "entitlements", "status", "ombudsman", "flags", "exclusions")


class Rule(Struct, frozen=True, dict=True):
    """One compiled rule (a frozen struct, as in ``model``; ``dict`` holds ``facts_read``)."""

    id: str
    ruleset: str
    description: str
    priority: int
    citation: Citation
    condition: Condition
    then: Mapping[str, Any]
    order: int

    @property
    def facts_used(self) -> list[str]:
        return list(self.facts_read)

    @cached_property
    def facts_read(self) -> tuple[str, ...]:
        """The facts the condition reads, in first-use order (worked out once per rule: every
        full result's trace lists them)."""
        return tuple(used_facts(self.condition))


class RuleProgram(Struct, frozen=True):
    """All rules of one ruleset kind, ready for a backend."""

    ruleset: str
    rules: tuple[Rule, ...]

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def parse_rules(data: Mapping[str, Any], catalog: FactCatalog,
                start_order: int = 0) -> tuple[list[Rule], list[Finding]]:
    """The rules of one parsed ruleset file, with findings for bad conditions."""
    sources = data.get("sources") or {}
    kind = str(data.get("ruleset", ""))
    rules: list[Rule] = []
    findings: list[Finding] = []
    for i, raw in enumerate(data.get("rules") or ()):
        cond, problems = parse_condition(raw.get("when", {}), catalog, ("rules", i, "when"))
        findings.extend(problems)
        rules.append(Rule(
            id=str(raw["id"]),
            ruleset=kind,
            description=str(raw.get("description", "")),
            priority=int(raw.get("priority", 100)),
            citation=build_citation(raw.get("citation"), sources),
            condition=cond,
            then=dict(raw.get("then") or {}),
            order=start_order + i,
        ))
    return rules, findings


def make_program(kind: str, rules: Iterable[Rule]) -> RuleProgram:
    """The rules of ``kind`` in firing order (priority, then file order)."""
    chosen = sorted((r for r in rules if r.ruleset == kind), key=lambda r: (r.priority, r.order))
    return RuleProgram(kind, tuple(chosen))
