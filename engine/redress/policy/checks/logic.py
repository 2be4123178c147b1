"""Rule conditions: facts and values that exist, conditions that can be true, and routing
rules that neither clash nor leave cases unrouted.

Conditions are parsed with :func:`redress.policy.conditions.parse_condition`, which already reports
unknown facts, impossible values and malformed tests with "did you mean …?" hints; the logic
checks then run the small exact search in :mod:`redress.policy.checks._solver` over the normal form.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from redress.findings import Finding, Path, Severity, did_you_mean
from redress.policy.checks._solver import example, satisfiable, satisfy
from redress.policy.checks._util import in_file, mapping, rules_of, variants
from redress.policy.conditions import AllOf, Condition, Leaf, parse_condition
from redress.policy.facts_catalog import FactCatalog
from redress.policy.policyset import LoadedPolicies, Resolved, SourceFile

OP_WORDS = {"eq": "is", "neq": "is not", "gt": "is more than", "gte": "is at least",
            "lt": "is less than", "lte": "is at most"}


@dataclass(frozen=True)
class ParsedRule:
    source: SourceFile
    index: int
    id: str
    priority: int
    then: Mapping[str, Any]
    condition: Condition


def parsed_rules(loaded: LoadedPolicies, ruleset: str | None = None) -> list[ParsedRule]:
    """The rules whose conditions parse cleanly, optionally of one ruleset."""
    out = []
    for source in loaded.valid_rule_files():
        if ruleset is not None and source.data.get("ruleset") != ruleset:
            continue
        for i, rule in rules_of(source):
            cond, problems = parse_condition(rule.get("when"), loaded.catalog,
                                             ("rules", i, "when"))
            if not problems:
                priority = rule.get("priority", 100)
                out.append(ParsedRule(source, i, str(rule.get("id")),
                                      priority if isinstance(priority, int) else 100,
                                      mapping(rule.get("then")), cond))
    return out


def condition_problems(loaded: LoadedPolicies) -> Iterator[Finding]:
    """Unknown facts, impossible values and malformed tests in rules and exclusions, and
    exclusion topics that are not ``matter.topics`` values."""
    for source in loaded.valid_rule_files():
        for i, rule in rules_of(source):
            _, problems = parse_condition(rule.get("when"), loaded.catalog, ("rules", i, "when"))
            yield from (in_file(source, f) for f in problems)
    for resolved in variants(loaded):
        for excl_id, exclusion in mapping(resolved.data.get("exclusions")).items():
            if "when" in mapping(exclusion):
                _, problems = parse_condition(mapping(exclusion)["when"], loaded.catalog,
                                              ("exclusions", excl_id, "when"))
                yield from (resolved.locate(f) for f in problems)
            yield from _topics(loaded.catalog, resolved, str(excl_id), mapping(exclusion))


def _topics(catalog: FactCatalog, resolved: Resolved, excl_id: str,
            exclusion: Mapping[str, Any]) -> Iterator[Finding]:
    spec = catalog.get("matter.topics")
    topics = exclusion.get("topics")
    if spec is None or not spec.values or not isinstance(topics, list):
        return
    for i, topic in enumerate(topics):
        if topic not in spec.values:
            yield resolved.locate(Finding(
                "impossible-value",
                f"exclusion '{excl_id}' topic '{topic}' is not a matter.topics value, so it can "
                "never apply", ("exclusions", excl_id, "topics", i),
                hint=did_you_mean(str(topic), spec.values)))


def never_true(loaded: LoadedPolicies) -> Iterator[Finding]:
    """A rule or exclusion whose condition no case can satisfy."""
    for rule in parsed_rules(loaded):
        if not satisfiable(rule.condition, loaded.catalog):
            yield in_file(rule.source, Finding(
                "never-true", f"rule '{rule.id}' can never fire: {_why(rule.condition, loaded)}",
                ("rules", rule.index, "when")))
    for resolved in variants(loaded):
        for excl_id, exclusion in mapping(resolved.data.get("exclusions")).items():
            path: Path = ("exclusions", excl_id, "when")
            if "when" not in mapping(exclusion):
                continue
            cond, problems = parse_condition(mapping(exclusion)["when"], loaded.catalog, path)
            if not problems and not satisfiable(cond, loaded.catalog):
                yield resolved.locate(Finding(
                    "never-true",
                    f"exclusion '{excl_id}' can never apply: {_why(cond, loaded)}", path))


def _why(cond: Condition, loaded: LoadedPolicies) -> str:
    """The first two tests that cannot both hold, when the condition is a plain 'all'."""
    leaves = _conjunction(cond)
    for a, b in combinations(leaves or [], 2):
        if a.key == b.key and not satisfiable(AllOf((a, b)), loaded.catalog):
            return f"{_leaf_words(a)} and {_leaf_words(b)} cannot both be true"
    return "no case can satisfy its condition"


def _conjunction(cond: Condition) -> list[Leaf] | None:
    if isinstance(cond, Leaf):
        return [cond]
    if isinstance(cond, AllOf):
        out: list[Leaf] = []
        for item in cond.items:
            part = _conjunction(item)
            if part is None:
                return None
            out.extend(part)
        return out
    return None


def _leaf_words(leaf: Leaf) -> str:
    if isinstance(leaf.value, bool) and leaf.key != leaf.key.split("__")[0] and "__" in leaf.key:
        member = leaf.key.rsplit("__", 1)[-1]
        contains = leaf.value == (leaf.op == "eq")
        return f"{leaf.fact} {'contains' if contains else 'does not contain'} {member}"
    value = leaf.value
    shown = ("true" if value else "false") if isinstance(value, bool) else (
        f"'{value}'" if isinstance(value, str) else str(value))
    return f"{leaf.fact} {OP_WORDS[leaf.op]} {shown}"


def routing_overlaps(loaded: LoadedPolicies) -> Iterator[Finding]:
    """Two routing rules at the same priority that can fire for the same case but route it
    differently (the engine could not tell which one wins)."""
    rules = parsed_rules(loaded, "routing")
    for a, b in combinations(rules, 2):
        if a.priority != b.priority or _conclusion(a) == _conclusion(b):
            continue
        both = satisfy(AllOf((a.condition, b.condition)), loaded.catalog)
        if both is None:
            continue
        case = example(both, loaded.catalog)
        hint = f"for example a case with {', '.join(case)}" if case else None
        yield in_file(b.source, Finding(
            "routing-overlap",
            f"routing rules '{a.id}' and '{b.id}' both have priority {a.priority} and can both "
            f"fire for the same case, but route it differently ({_conclusion(a)} and "
            f"{_conclusion(b)})", ("rules", b.index, "priority"), hint=hint))


def _conclusion(rule: ParsedRule) -> str:
    if "procedure" in rule.then:
        return f"'{rule.then['procedure']}'"
    why = mapping(rule.then.get("no_procedure")).get("why", "")
    return f"no procedure ({why})"


def routing_gaps(loaded: LoadedPolicies) -> Iterator[Finding]:
    """Nation × service combinations that no routing rule can route (a warning: procedures for
    some nations may not be written yet)."""
    nation, service = loaded.catalog.get("nation"), loaded.catalog.get("service")
    rules = parsed_rules(loaded, "routing")
    if nation is None or service is None or not rules:
        return
    missing: dict[str, list[str]] = {}
    for n in nation.values:
        for s in service.values:
            case = AllOf((Leaf(nation.key, "eq", n, nation.name),
                          Leaf(service.key, "eq", s, service.name)))
            if not any(satisfiable(AllOf((case, r.condition)), loaded.catalog) for r in rules):
                missing.setdefault(n, []).append(s)
    if not missing:
        return
    parts = [f"{n} (every service)" if len(ss) == len(service.values) else f"{n} ({', '.join(ss)})"
             for n, ss in missing.items()]
    first = rules[0].source
    yield in_file(first, Finding(
        "routing-gap", f"no routing rule can route a case from {'; '.join(parts)}",
        ("ruleset",), severity=Severity.WARNING))
