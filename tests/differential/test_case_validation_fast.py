"""The compiled case validator agrees with jsonschema on every case, valid or broken.

``compiled_case.surely_valid`` only short-cuts the valid cases; a case it accepts must be one
jsonschema accepts, or an invalid case would be evaluated.  Checked on the varied mix and on
every mutation of it that the fuzz test makes (wrong types, missing fields, impossible dates,
unknown values), with a fixed seed.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

import pytest

from redress.evaluation.case import _validator, schema_findings
from redress.evaluation.compiled_case import surely_valid
from redress.testing.generate import value_paths
from redress.testing.varied import varied_cases

JUNK: list[Any] = [None, "", "x", -1, 0, 3.5, True, [], {}, ["a"], {"a": 1}, "2025-02-30",
                   "2025-13-01", "2025-03-03T25:00", "2025-3-3", "9999-12-31", "stage9", "\u0174",
                   10**20, dt.date(2025, 1, 1), float("nan"), "2025-01-01 10:00", "2025-01-01T10"]


def _mutate(case: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    broken = copy.deepcopy(case)
    for _ in range(rng.randint(1, 2)):
        paths = [p for p in value_paths(broken) if p]
        path = rng.choice(paths)
        parent: Any = broken
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.25 and isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif action < 0.35 and isinstance(parent, dict):
            parent[rng.choice(("extra", "note", "stage", "to", "body", "until"))] = \
                copy.deepcopy(rng.choice(JUNK))
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(JUNK))
    return broken


def _jsonschema_valid(data: Any) -> bool:
    return not any(True for _ in _validator().iter_errors(data))


@pytest.mark.parametrize("seed", range(3))
def test_compiled_validator_agrees_with_jsonschema(seed: int) -> None:
    rng = random.Random(seed)
    seen = {True: 0, False: 0}
    for case, _as_of in varied_cases(150, seed=40 + seed):
        for data in (case, _mutate(case, rng), _mutate(case, rng)):
            expected = _jsonschema_valid(data)
            assert surely_valid(data) == expected, data
            seen[expected] += 1
    assert seen[True] > 100 and seen[False] > 100  # both kinds were really exercised


def test_invalid_case_messages_still_come_from_jsonschema() -> None:
    case, _ = varied_cases(1, seed=3)[0]
    broken = dict(case, nation="mercia", received="2025-02-3")
    messages = [f.message for f in schema_findings(broken)]
    assert messages == ["nation: 'mercia' is not one of: england, wales, scotland, "
                        "northern_ireland",
                        "received: '2025-02-3' is not a valid date (YYYY-MM-DD, optionally THH:MM)"]
