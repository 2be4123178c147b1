"""Malformed cases never crash the engine: each one either evaluates or raises CaseError.

Starts from valid synthetic cases and breaks them at random — wrong types, missing fields,
impossible dates, events out of order, unknown values — with a fixed seed, so any failure
replays exactly.
"""

from __future__ import annotations

import os
import random
from typing import Any

import pytest

from redress import CaseError, Engine, Result
from redress.testing.generate import as_of_for, mutated, random_cases

JUNK: list[Any] = [None, "", "x", -1, 0, 3.5, True, [], {}, ["a"], {"a": 1}, "2025-02-30",
                   "2025-13-01", "2025-03-03T25:00", "9999-12-31", "1900-01-01", "stage9",
                   "\u0174ales", 10**20]


# Four rounds of 150 cases in CI; REDRESS_FUZZ_ROUNDS=200 for a longer local run (README).
ROUNDS = int(os.environ.get("REDRESS_FUZZ_ROUNDS", "4"))


@pytest.mark.parametrize("seed", range(ROUNDS))
def test_broken_cases_raise_case_error_or_evaluate(seed: int) -> None:
    engine = Engine.load(backend="plain")
    rng = random.Random(seed)
    outcomes = {"result": 0, "case_error": 0}
    for case in random_cases(150, seed=100 + seed):
        broken = mutated(case, rng, JUNK)
        try:
            result = engine.evaluate(broken, as_of=as_of_for(case))
        except CaseError as exc:
            assert exc.findings, "a CaseError must carry its findings"
            assert all(f.message for f in exc.findings)
            outcomes["case_error"] += 1
            continue
        assert isinstance(result, Result)
        result.to_dict()
        result.explain()
        outcomes["result"] += 1
    assert outcomes["case_error"] > 0
