"""The fast evaluation path gives exactly the results of the reference path, and durable-rules
gives exactly the results of the plain backend.

The reference path (``redress.testing.reference``) is the engine with each speed-up swapped
back for the code it replaced: every case checked by jsonschema, facts flattened by
``facts.flatten``, conditions walked by ``conditions.evaluate``, each ambiguity reading replayed
in full and months added by ``relativedelta``.  Both paths evaluate the same seeded varied mix (every bundled
procedure, all three calendars, events of every type at every stage, evaluation dates spread
over the stages, a few broken cases); the full ``to_dict()`` output, or the full error, must be
equal case by case.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from redress import CaseError, Engine
from redress.evaluation.backends import durable_available
from redress.testing.reference import reference_path
from redress.testing.varied import varied_cases

CASES = 300


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
    # The older NI HSC procedure applies only where a local policy chooses it for a trust.
    chosen_locally = {"nipso-hsc-2009-procedure"}
    assert set(engine.library.policies) - chosen_locally <= set(procedures), procedures
    assert {"stage1", "stage2", "stage3", "ombudsman", "closed"} <= set(stages), stages
    assert {"england", "wales", "scotland", "northern_ireland"} <= {c.get("nation") for c, _ in mix}
    assert 0 < errors < CASES // 10


def test_fast_path_equals_reference_path(mix: list[tuple[dict[str, Any], dt.date]]) -> None:
    fast = _outcomes(Engine.load(backend="plain"), mix)  # outside the block: the fast path
    with reference_path() as engine_class:
        reference = _outcomes(engine_class.load(), mix)
    assert fast[0] is not reference[0]
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
