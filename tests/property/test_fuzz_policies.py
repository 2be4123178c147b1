"""Broken policies never crash lint or the engine: every mistake is a finding.

Starts from a real local policy and from a bundled policy renamed as a council's copy, breaks
them at random (wrong types, missing keys, junk values, odd YAML), and checks that ``lint``
returns records and ``Engine.load`` either loads or raises ``PolicyError`` with findings.
Bounded by the Hypothesis profile (tests/property/conftest.py); crashes found are kept below as
``@example`` cases.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from redress import Engine
from redress.policy.lint import lint
from redress.resources import data_dir
from redress.testing.generate import mutated

REPO = Path(__file__).resolve().parent.parent.parent
LOCAL = REPO / "examples" / "local-policies" / "exampleshire-corporate.yaml"
JUNK: list[Any] = [None, "", "x", -1, 0, 2.5, True, [], {}, ["a"], {"a": 1}, "2025-02-30",
                   "9999-12-31", "stage9", "council-corporate", {"working_days": -3},
                   {"months": 0}, "respond", 10**12, "received", {"deadline": "respond"}]


def _starting_points() -> list[dict[str, Any]]:
    local = yaml.safe_load(LOCAL.read_text(encoding="utf-8"))
    copied = yaml.safe_load((data_dir("policies") / "council-corporate.yaml")
                            .read_text(encoding="utf-8"))
    copied["id"] = "my-council-corporate"
    return [local, copied]


STARTS = _starting_points()


def mutate(policy: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    return mutated(policy, rng, JUNK, (1, 3), ("respnd", "extends", "from", "calendar", "stage2"))


# Each example lints a whole policy set (about a second), so a third of the profile's count.
@settings(max_examples=max(5, settings.default.max_examples // 3))
@given(start=st.sampled_from(range(len(STARTS))), rng=st.randoms(use_true_random=False))
def test_a_broken_policy_gives_findings_never_a_crash(
        tmp_path_factory: Any, start: int, rng: random.Random) -> None:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    path = folder / "policy.yaml"
    path.write_text(yaml.safe_dump(mutate(STARTS[start], rng), sort_keys=False),
                    encoding="utf-8")
    records = lint([path], cwd=folder)
    assert all(r.message for r in records)
    if not any(r.is_error for r in records):
        # What lint passes, the engine loads (it runs the same checks first).
        Engine.load([path], backend="plain")
