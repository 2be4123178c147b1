"""The two rule backends agree, and the durable-rules adapter survives its known crash paths."""

from __future__ import annotations

import random
import threading

import pytest

from redress.evaluation.backends import durable_available, make_backend
from redress.policy.facts_catalog import FactCatalog, load_catalog
from redress.policy.library import load_library
from redress.policy.rules import RuleProgram, make_program
from redress.testing.reference.facts import flatten

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules not installed")


@pytest.fixture(scope="module")
def catalog() -> FactCatalog:
    return load_catalog()


@pytest.fixture(scope="module")
def programs() -> dict[str, RuleProgram]:
    library = load_library()
    decisions = RuleProgram("decisions", tuple(sorted(
        (r for r in library.rules if r.ruleset in ("entitlements", "status", "ombudsman")),
        key=lambda r: (r.priority, r.order))))
    return {"routing": make_program("routing", library.rules), "decisions": decisions}


def random_facts(catalog: FactCatalog, rng: random.Random) -> dict[str, object]:
    values: dict[str, object] = {}
    for name, spec in catalog.facts.items():
        if spec.type == "set":
            values[name] = [v for v in spec.values if rng.random() < 0.3]
        elif spec.type == "text":
            choices = list(spec.values) or ["children-act-1989", "adult-social-care-nhs-2009",
                                            "council-corporate", "housing-ombudsman-code-2024", ""]
            values[name] = rng.choice(choices)
        elif spec.type == "boolean":
            values[name] = rng.random() < 0.5
        elif spec.type == "number":
            values[name] = rng.randint(-1, 20)
        else:
            values[name] = rng.randint(730000, 740000)
    return values


@pytest.mark.parametrize("program_name", ["routing", "decisions"])
def test_durable_and_plain_fire_the_same_rules_on_2000_random_cases(
        catalog: FactCatalog, programs: dict[str, RuleProgram], program_name: str) -> None:
    program = programs[program_name]
    durable, plain = make_backend(program, "durable"), make_backend(program, "plain")
    rng = random.Random(20251123)
    try:
        for _ in range(2000):  # also more than the 1,024 live-session cap: sessions are deleted
            facts = flatten(random_facts(catalog, rng), catalog)
            assert durable.fire(facts) == plain.fire(facts)
    finally:
        durable.close()


def test_a_case_that_matches_no_rule_does_not_crash_durable_rules(
        catalog: FactCatalog, programs: dict[str, RuleProgram]) -> None:
    backend = make_backend(programs["routing"], "durable")
    facts = flatten({}, catalog)  # every fact at its default: no routing rule can match
    try:
        for _ in range(50):
            assert backend.fire(facts) == []
    finally:
        backend.close()


def test_non_flat_fact_values_are_refused_before_reaching_the_c_core(
        programs: dict[str, RuleProgram]) -> None:
    backend = make_backend(programs["routing"], "durable")
    try:
        with pytest.raises(TypeError):
            backend.fire({"nation": ["england"]})
    finally:
        backend.close()


def test_one_backend_shared_by_threads_gives_the_same_answers_as_one_thread(
        catalog: FactCatalog, programs: dict[str, RuleProgram]) -> None:
    program = programs["decisions"]
    rng = random.Random(7)
    cases = [flatten(random_facts(catalog, rng), catalog) for _ in range(800)]
    backend = make_backend(program, "durable")
    try:
        expected = [backend.fire(f) for f in cases]
        got: list[list[str]] = [[] for _ in cases]

        def work(offset: int) -> None:
            for i in range(offset, len(cases), 8):
                got[i] = backend.fire(cases[i])

        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert got == expected
    finally:
        backend.close()
