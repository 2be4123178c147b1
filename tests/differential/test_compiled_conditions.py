"""Compiled rule conditions, the compiled flatteners (whole, and restricted to the keys one
program tests) and the two compiled together (``compile_direct``) equal the reference tree walk
and ``facts.flatten`` on every bundled rule program, over facts drawn at the rules' own
boundaries.

Facts are drawn from the values the conditions compare against (and one either side for numbers
and dates), so each ``gt``/``gte``/``lt``/``lte`` is seen on both sides of its edge; empty ``all``
and ``any`` groups are checked directly.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import pytest

from redress.evaluation.compiled_facts import compile_direct, compile_flatten
from redress.evaluation.programs import DECISION_RULESETS
from redress.policy.compiled_conditions import compile_conditions
from redress.policy.conditions import AllOf, AnyOf, Leaf, evaluate, leaves
from redress.policy.facts_catalog import FactCatalog
from redress.policy.library import Library, load_library
from redress.policy.rules import RuleProgram, make_program
from redress.testing.reference.facts import flatten


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def _programs(library: Library) -> list[RuleProgram]:
    programs = [make_program(kind, library.rules) for kind in ("routing", *DECISION_RULESETS)]
    for entry in library.policies.values():
        for version, _merged in entry.versions:
            policy = library.policy_at(entry.id, _moment(version))
            if policy is not None:
                programs.append(library.exclusion_program(policy))
    return [p for p in programs if p.rules]


def _moment(version: Any) -> Any:
    import datetime as dt

    start = version["effective_from"]
    day = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start)[:10])
    return dt.datetime.combine(day, dt.time(12))


def _random_values(catalog: FactCatalog, seen: dict[str, set[Any]],
                   rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, spec in catalog.facts.items():
        near = sorted(seen.get(spec.key, set()), key=repr)
        if spec.type == "set":
            values[name] = [v for v in spec.values if rng.random() < 0.3]
        elif spec.type == "boolean":
            values[name] = rng.choice((True, False, False, None, 0, 1, ""))
        elif spec.type in ("number", "date"):
            base = rng.choice(near) if near and rng.random() < 0.8 else rng.randint(-1, 30)
            values[name] = base + rng.choice((-1, 0, 0, 1))
        else:
            choices = [*near, *spec.values, ""]
            values[name] = rng.choice(choices)
        if rng.random() < 0.05:
            values.pop(name)  # missing: the default applies
    return values


def test_compiled_equals_tree_walk_on_every_program(library: Library) -> None:
    programs = _programs(library)
    assert len(programs) > 5
    seen: dict[str, set[Any]] = defaultdict(set)
    for program in programs:
        for rule in program.rules:
            for leaf in leaves(rule.condition):
                seen[leaf.key].add(leaf.value)
    catalog = library.catalog
    fast_flatten = compile_flatten(catalog)
    rng = random.Random(12)
    fired_any = 0
    for program in programs:
        compiled = compile_conditions([(r.id, r.condition) for r in program.rules])
        tested = {leaf.key for r in program.rules for leaf in leaves(r.condition)}
        program_flatten = compile_flatten(catalog, tested)
        direct = compile_direct(catalog, [(r.id, r.condition) for r in program.rules])
        assert direct is not None
        for _ in range(1500):
            values = _random_values(catalog, seen, rng)
            facts = flatten(values, catalog)
            assert fast_flatten(values) == facts
            assert list(fast_flatten(values)) == list(facts)  # same key order
            assert program_flatten(values) == {k: v for k, v in facts.items() if k in tested}
            expected = [r.id for r in program.rules if evaluate(r.condition, facts)]
            assert compiled(facts) == expected
            assert compiled(program_flatten(values)) == expected
            assert direct(values) == expected
            fired_any += bool(expected)
    assert fired_any > 1000


def test_empty_groups_and_each_operator() -> None:
    facts = {"n": 2, "t": "a"}
    rules = [
        ("all-empty", AllOf(())), ("any-empty", AnyOf(())),
        *((f"{op}-{v}", Leaf("n", op, v, "n")) for op in ("eq", "neq", "gt", "gte", "lt", "lte")
          for v in (1, 2, 3)),
        ("text", AnyOf((Leaf("t", "eq", "b", "t"), Leaf("t", "neq", "c", "t")))),
    ]
    expected = [rule_id for rule_id, cond in rules if evaluate(cond, facts)]
    assert compile_conditions(rules)(facts) == expected
    assert "all-empty" in expected and "any-empty" not in expected
