"""The fast evaluation path gives exactly the results of the reference path, and durable-rules
gives exactly the results of the plain backend.

The reference path is the engine with each speed-up swapped back for the code it replaced:
every case checked by jsonschema, facts flattened by ``facts.flatten`` and conditions walked by
``conditions.evaluate``.  Both paths evaluate the same seeded varied mix (every bundled
procedure, all three calendars, events of every type at every stage, evaluation dates spread
over the stages, a few broken cases); the full ``to_dict()`` output, or the full error, must be
equal case by case.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from redress import CaseError, Engine
from redress.evaluation import evaluate as evaluate_module
from redress.evaluation.backends import durable_available
from redress.evaluation.facts import flatten
from redress.policy.conditions import evaluate as walk
from redress.policy.rules import RuleProgram
from redress.testing.varied import varied_cases

CASES = 300


class _WalkingBackend:
    """The rule backend as it was: the condition tree walked for every rule."""

    name = "plain"

    def __init__(self, program: RuleProgram) -> None:
        self._program = program

    def fire(self, facts: Mapping[str, Any]) -> list[str]:
        return [rule.id for rule in self._program.rules if walk(rule.condition, facts)]

    def close(self) -> None:
        return None


def _outcome(engine: Engine, case: dict[str, Any], as_of: dt.date) -> Any:
    try:
        data = engine.evaluate(case, as_of=as_of).to_dict()
    except CaseError as exc:
        return ("CaseError", str(exc), [str(f) for f in exc.findings])
    data["audit"].pop("backend")
    return data


def _outcomes(engine: Engine, mix: list[tuple[dict[str, Any], dt.date]]) -> list[Any]:
    return [_outcome(engine, case, as_of) for case, as_of in mix]


@pytest.fixture(scope="module")
def mix() -> list[tuple[dict[str, Any], dt.date]]:
    return varied_cases(CASES, seed=2026)


@pytest.fixture()
def reference_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setattr("redress.evaluation.case.surely_valid", lambda data: False)
    monkeypatch.setattr(evaluate_module, "make_backend",
                        lambda program, name="auto": _WalkingBackend(program))
    engine = Engine.load(backend="plain")
    engine._flatten = functools.partial(flatten, catalog=engine.library.catalog)
    yield engine
    engine.close()


def test_the_mix_covers_every_procedure_calendar_and_stage(
        mix: list[tuple[dict[str, Any], dt.date]]) -> None:
    engine = Engine.load(backend="plain")
    procedures: Counter[str] = Counter()
    stages: Counter[str] = Counter()
    errors = 0
    for case, as_of in mix:
        try:
            result = engine.evaluate(case, as_of=as_of)
        except CaseError:
            errors += 1
            continue
        procedures[result.procedure.id if result.procedure else result.status] += 1
        stages[result.stage] += 1
    assert set(engine.library.policies) <= set(procedures), procedures
    assert {"stage1", "stage2", "stage3", "ombudsman", "closed"} <= set(stages), stages
    assert {"england", "wales", "scotland", "northern_ireland"} <= {c.get("nation") for c, _ in mix}
    assert 0 < errors < CASES // 10


def test_fast_path_equals_reference_path(mix: list[tuple[dict[str, Any], dt.date]],
                                         reference_engine: Engine) -> None:
    fast = _outcomes(Engine.load(backend="plain"), mix)
    reference = _outcomes(reference_engine, mix)
    for (case, as_of), got, expected in zip(mix, fast, reference, strict=True):
        assert got == expected, (case["id"], as_of)


@pytest.mark.skipif(not durable_available(), reason="durable-rules not installed")
def test_durable_backend_equals_plain_backend(mix: list[tuple[dict[str, Any], dt.date]]) -> None:
    durable = Engine.load(backend="durable")
    try:
        got = _outcomes(durable, mix)
    finally:
        durable.close()
    expected = _outcomes(Engine.load(backend="plain"), mix)
    for (case, as_of), one, other in zip(mix, got, expected, strict=True):
        assert one == other, (case["id"], as_of)
