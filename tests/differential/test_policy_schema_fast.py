"""The compiled schema check agrees with jsonschema on policies, rules and fact catalogues:
the bundled files, every lint fixture, and seeded random mutations of them."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest

from redress.policy.compiled_schema import surely_valid
from redress.policy.loader import read_document
from redress.policy.schema import validator

ROOT = Path(__file__).resolve().parents[2]
JUNK: list[Any] = [None, "", "x", -1, 0, 2.5, True, [], {}, ["a"], {"a": 1}, "2025-02-30",
                   "2025-13-01", "2026-04-01T25:00", "2026-04-01T09:00", "not a uri",
                   "https://example.org/x", "http://", "stage9", "\u0174", "council-corporate"]


def _kind(path: Path, data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if "ruleset" in data or "rules" in data:
        return "rules"
    if "facts" in data:
        return "facts"
    if "stages" in data or "extends" in data or "versions" in data:
        return "policy"
    return None


def _documents() -> list[tuple[str, Any]]:
    out = []
    for pattern in ("policies/*.yaml", "rules/*.yaml", "examples/**/*.yaml", "tests/lint/**/*.yaml"):
        for path in sorted(ROOT.glob(pattern)):
            doc, _ = read_document(path)
            if doc is not None and (kind := _kind(path, doc.data)) is not None:
                out.append((kind, doc.data))
    return out


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(data: Any, rng: random.Random) -> Any:
    broken = copy.deepcopy(data)
    paths = [p for p in _paths(broken) if p]
    path = rng.choice(paths)
    parent: Any = broken
    for part in path[:-1]:
        parent = parent[part]
    if rng.random() < 0.3 and isinstance(parent, dict):
        parent.pop(path[-1])
    elif rng.random() < 0.2 and isinstance(parent, dict):
        parent["unknown_key"] = rng.choice(JUNK)
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(JUNK))
    return broken


def _agree(data: Any, kind: str, definition: str | None) -> bool:
    expected = validator(kind, definition).is_valid(data)
    assert surely_valid(data, kind, definition) == expected, (kind, definition)
    return expected


@pytest.mark.parametrize("seed", range(2))
def test_compiled_schema_check_agrees_with_jsonschema(seed: int) -> None:
    rng = random.Random(seed)
    documents = _documents()
    assert len(documents) > 30
    seen = {True: 0, False: 0}
    for kind, data in documents:
        for candidate in (data, *(_mutate(data, rng) for _ in range(6))):
            seen[_agree(candidate, kind, None)] += 1
            if kind == "policy":
                _agree(candidate, kind, "policy")
    assert seen[True] > 20 and seen[False] > 100
