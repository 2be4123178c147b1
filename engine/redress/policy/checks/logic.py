"""Rule conditions: facts and values that exist, conditions that can be true, and routing
rules that neither clash nor leave cases unrouted.

Conditions are parsed with :func:`redress.policy.conditions.parse_condition`, which already reports
unknown facts, impossible values and malformed tests with "did you mean …?" hints; the logic
checks then run the small exact search in :mod:`redress.policy.checks._solver` over the normal form.

The searching checks spend a :class:`~redress.policy.checks.budget.WorkBudget`.  The overlap
check does not try every pair of routing rules: rules are grouped by priority, then bucketed by the
values their conditions pin (``nation equals england``, ``service in [...]``), and only rules that
share a bucket, and so could match one case, are solved together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from redress.findings import Finding, Path, Severity, did_you_mean
from redress.policy.checks._solver import Demand, example, possible, satisfiable, satisfy, taken_in
from redress.policy.checks._util import in_file, mapping, rules_of, variants
from redress.policy.checks.budget import WorkBudget
from redress.policy.conditions import AllOf, AnyOf, Condition, Leaf, parse_condition
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


def never_true(loaded: LoadedPolicies, budget: WorkBudget) -> Iterator[Finding]:
    """A rule or exclusion whose condition no case can satisfy."""
    for rule in parsed_rules(loaded):
        where: Path = ("rules", rule.index, "when")
        budget.working_on(rule.source.document, where)
        if not satisfiable(rule.condition, loaded.catalog, budget):
            yield in_file(rule.source, Finding(
                "never-true",
                f"rule '{rule.id}' can never fire: {_why(rule.condition, loaded, budget)}",
                where))
    for resolved in variants(loaded):
        for excl_id, exclusion in mapping(resolved.data.get("exclusions")).items():
            path: Path = ("exclusions", excl_id, "when")
            if "when" not in mapping(exclusion):
                continue
            cond, problems = parse_condition(mapping(exclusion)["when"], loaded.catalog, path)
            budget.working_on(*resolved.origin(path))
            if not problems and not satisfiable(cond, loaded.catalog, budget):
                yield resolved.locate(Finding(
                    "never-true",
                    f"exclusion '{excl_id}' can never apply: {_why(cond, loaded, budget)}", path))


def _why(cond: Condition, loaded: LoadedPolicies, budget: WorkBudget) -> str:
    """Two tests that cannot both hold, when the condition is a plain 'all'.

    The tests are taken in one by one; the first that leaves its fact no possible value is
    compared with each earlier test of the same fact (so the work grows with the tests, not
    with their pairs)."""
    leaves = _conjunction(cond)
    earlier: dict[str, list[Leaf]] = {}
    demands: dict[str, Demand] = {}
    for leaf in leaves or []:
        budget.spend(1 + len(earlier.get(leaf.key, ())))
        demands[leaf.key] = taken_in(demands.get(leaf.key, Demand(leaf.fact)), leaf)
        if not possible(leaf.key, demands[leaf.key], loaded.catalog):
            for other in earlier.get(leaf.key, []):
                pair = taken_in(taken_in(Demand(leaf.fact), other), leaf)
                if not possible(leaf.key, pair, loaded.catalog):
                    return f"{_leaf_words(other)} and {_leaf_words(leaf)} cannot both be true"
            break
        earlier.setdefault(leaf.key, []).append(leaf)
    return "no case can satisfy its condition"


def _conjunction(cond: Condition) -> list[Leaf] | None:
    """The tests of a condition that is only 'all' groups and tests, in order; else ``None``."""
    out: list[Leaf] = []
    todo: list[Condition] = [cond]
    while todo:
        item = todo.pop()
        if isinstance(item, AnyOf):
            return None
        if isinstance(item, Leaf):
            out.append(item)
        else:
            todo.extend(reversed(item.items))
    return out


def _leaf_words(leaf: Leaf) -> str:
    if isinstance(leaf.value, bool) and leaf.key != leaf.key.split("__")[0] and "__" in leaf.key:
        member = leaf.key.rsplit("__", 1)[-1]
        contains = leaf.value == (leaf.op == "eq")
        return f"{leaf.fact} {'contains' if contains else 'does not contain'} {member}"
    value = leaf.value
    shown = ("true" if value else "false") if isinstance(value, bool) else (
        f"'{value}'" if isinstance(value, str) else str(value))
    return f"{leaf.fact} {OP_WORDS[leaf.op]} {shown}"


def routing_overlaps(loaded: LoadedPolicies, budget: WorkBudget) -> Iterator[Finding]:
    """Two routing rules at the same priority that can fire for the same case but route it
    differently (the engine could not tell which one wins)."""
    rules = parsed_rules(loaded, "routing")
    for a, b in _candidate_pairs(rules, budget):
        if _conclusion(a) == _conclusion(b):
            continue
        budget.working_on(b.source.document, ("rules", b.index, "when"))
        both = satisfy(AllOf((a.condition, b.condition)), loaded.catalog, budget)
        if both is None:
            continue
        case = example(both, loaded.catalog)
        hint = f"for example a case with {', '.join(case)}" if case else None
        yield in_file(b.source, Finding(
            "routing-overlap",
            f"routing rules '{a.id}' and '{b.id}' both have priority {a.priority} and can both "
            f"fire for the same case, but route it differently ({_conclusion(a)} and "
            f"{_conclusion(b)})", ("rules", b.index, "priority"), hint=hint))


Pins = Mapping[str, frozenset[Any]]


def pins(cond: Condition) -> dict[str, frozenset[Any]]:
    """The values a condition's top-level 'all' pins keys to (``equals``, ``in``): a case with
    another value of such a key can never satisfy the condition."""
    out: dict[str, frozenset[Any]] = {}
    todo: list[Condition] = [cond]
    while todo:
        item = todo.pop()
        if isinstance(item, AllOf):
            todo.extend(item.items)
            continue
        options = item.items if isinstance(item, AnyOf) else (item,)
        if all(isinstance(o, Leaf) and o.op == "eq" for o in options):
            keys = {o.key for o in options if isinstance(o, Leaf)}
            if len(keys) == 1:
                key = keys.pop()
                values = frozenset(o.value for o in options if isinstance(o, Leaf))
                out[key] = out[key] & values if key in out else values
    return out


def _candidate_pairs(rules: Sequence[ParsedRule],
                     budget: WorkBudget) -> Iterator[tuple[ParsedRule, ParsedRule]]:
    """The pairs of rules (earlier first) at one priority whose pinned values overlap.

    Each group is split on the key most of its rules pin: a rule pinning it goes into the bucket
    of each value it allows, a rule leaving it open into every bucket; buckets are split again on
    the next key.  Rules that never share a bucket can never match one case.
    """
    pinned = [pins(rule.condition) for rule in rules]
    groups: dict[int, list[int]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(rule.priority, []).append(i)
    seen: set[tuple[int, int]] = set()
    work: list[tuple[list[int], frozenset[str]]] = [(g, frozenset()) for g in groups.values()]
    while work:
        members, used = work.pop()
        budget.spend(len(members))
        key = _splitting_key(members, pinned, used)
        if key is None:
            for pair in combinations(members, 2):
                budget.spend()
                if pair not in seen:
                    seen.add(pair)
                    yield rules[pair[0]], rules[pair[1]]
            continue
        work.extend((sorted(part), used | {key}) for part in _buckets(members, pinned, key)
                    if len(part) > 1)


def _splitting_key(members: list[int], pinned: Sequence[Pins], used: frozenset[str]) -> str | None:
    """The key pinned by most of ``members`` (at least two), not yet split on."""
    counts: dict[str, int] = {}
    for i in members:
        for key in pinned[i]:
            if key not in used:
                counts[key] = counts.get(key, 0) + 1
    best = max(sorted(counts), key=lambda k: counts[k], default=None)
    return best if best is not None and counts[best] > 1 and len(members) > 2 else None


def _buckets(members: list[int], pinned: Sequence[Pins], key: str) -> list[list[int]]:
    by_value: dict[Any, list[int]] = {}
    open_ = [i for i in members if key not in pinned[i]]
    for i in members:
        for value in sorted(pinned[i].get(key, ()), key=repr):
            by_value.setdefault(value, []).append(i)
    return [[*part, *open_] for part in by_value.values()] or [open_]


def _conclusion(rule: ParsedRule) -> str:
    if "procedure" in rule.then:
        return f"'{rule.then['procedure']}'"
    why = mapping(rule.then.get("no_procedure")).get("why", "")
    return f"no procedure ({why})"


def routing_gaps(loaded: LoadedPolicies, budget: WorkBudget) -> Iterator[Finding]:
    """Nation × service combinations that no routing rule can route (a warning: procedures for
    some nations may not be written yet)."""
    nation, service = loaded.catalog.get("nation"), loaded.catalog.get("service")
    rules = parsed_rules(loaded, "routing")
    if nation is None or service is None or not rules:
        return
    pinned = [pins(r.condition) for r in rules]
    missing: dict[str, list[str]] = {}
    for n in nation.values:
        for s in service.values:
            case = AllOf((Leaf(nation.key, "eq", n, nation.name),
                          Leaf(service.key, "eq", s, service.name)))
            if not _routes(case, {nation.key: n, service.key: s}, rules, pinned, loaded, budget):
                missing.setdefault(n, []).append(s)
    if not missing:
        return
    parts = [f"{n} (every service)" if len(ss) == len(service.values) else f"{n} ({', '.join(ss)})"
             for n, ss in missing.items()]
    first = rules[0].source
    yield in_file(first, Finding(
        "routing-gap", f"no routing rule can route a case from {'; '.join(parts)}",
        ("ruleset",), severity=Severity.WARNING))


def _routes(case: Condition, values: Mapping[str, Any], rules: Sequence[ParsedRule],
            pinned: Sequence[Pins], loaded: LoadedPolicies, budget: WorkBudget) -> bool:
    """Whether some rule can fire for ``case``; rules pinning another value are skipped."""
    for rule, pin in zip(rules, pinned, strict=True):
        budget.spend()
        if any(key in pin and value not in pin[key] for key, value in values.items()):
            continue
        budget.working_on(rule.source.document, ("rules", rule.index, "when"))
        if satisfiable(AllOf((case, rule.condition)), loaded.catalog, budget):
            return True
    return False
