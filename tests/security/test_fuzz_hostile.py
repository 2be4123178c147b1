"""Hostile input, fuzzed: every mutation either evaluates (or lints) or is reported as findings,
never an exception of another kind (issue 10, "add the hostile inputs to the fuzz suite").

The runs use fixed seeds, so a failure replays exactly, and stop after a time budget so CI stays
quick: ``REDRESS_FUZZ_SECONDS`` (default 6 per test) lengthens a local run, e.g.
``REDRESS_FUZZ_SECONDS=600 .venv/bin/python -m pytest tests/security/test_fuzz_hostile.py``.
A crash found this way is kept as a regression test in ``test_hostile_inputs.py``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from redress import CaseError, Engine, Result
from redress.policy.lint import lint
from redress.policy.loader import read_stream
from redress.testing.generate import as_of_for, random_cases

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = (REPO / "examples" / "EX-2025-0042.yaml").read_bytes()
POLICY = (REPO / "examples" / "local-policies" / "exampleshire-corporate.yaml").read_bytes()
BUDGET = float(os.environ.get("REDRESS_FUZZ_SECONDS", "6"))

# Byte strings a hostile or broken system might put anywhere in a file.
HOSTILE_BYTES = [b"\x00", b"\xff\xfe", b"\xc3", b"\x1b]0;pwned\x07", b"\x1b[2J", b"\r", b"\t",
                 b"\xed\xa0\x80", b"[" * 200, b"{" * 200, b"9" * 5000, b"&a ", b"*a", b"<<: ",
                 b"!!python/object:os.system ", b"%YAML 1.1\n", b"---\n", b"\n- ", b": ", b'"',
                 b"'", b"\\", b"\xef\xbb\xbf", "\u202e".encode(),
                 b"2041-01-01", b"1899-12-31", b"2025-02-30", b"1e309", b".nan", b"-.inf"]
# Values a calling system might pass in a mapping.
HOSTILE_VALUES: list[Any] = [
    "\x00", "\x1b]0;pwned\x07", "\ud800", "\u202e", "x" * 100_000, 10**30, -(10**30),
    float("nan"), float("inf"), 1e308, dt.datetime(2025, 3, 3, 9, 0), dt.date(2041, 1, 1),
    "2041-01-01", "1999-12-31", "2025-02-30", set(), b"bytes", object(), [[[[[]]]]],
    {"a": {"b": {"c": {}}}}, {1: "int key"}, (1, 2), None, True, -1, 0, "",
]


def _until_budget(seed: int) -> Iterator[random.Random]:
    rng = random.Random(seed)
    stop = time.monotonic() + BUDGET
    while time.monotonic() < stop:
        yield rng


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out) + 1)
        action = rng.random()
        if action < 0.6:
            out[at:at] = rng.choice(HOSTILE_BYTES)
        elif action < 0.8 and out:
            del out[at:at + rng.randint(1, 20)]
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(backend="plain")


def test_hostile_bytes_in_a_case_file(engine: Engine) -> None:
    tried = 0
    for rng in _until_budget(10):
        text = _mutate_bytes(EXAMPLE, rng)
        doc, findings = read_stream(io.BytesIO(text), "<fuzz>")
        tried += 1
        if doc is None:
            assert findings and all(f.message for f in findings), text
            continue
        try:
            result = engine.evaluate(doc, as_of=dt.date(2025, 5, 1))
        except CaseError as exc:
            assert exc.findings, text
            continue
        assert isinstance(result, Result)
        result.to_dict()
        result.explain()
    assert tried > 10


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def test_hostile_values_in_a_case_mapping(engine: Engine) -> None:
    tried = 0
    cases = random_cases(50, seed=7)
    for rng in _until_budget(11):
        case = rng.choice(cases)
        broken: dict[str, Any] = copy.deepcopy(case)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice([p for p in _paths(broken) if p])
            parent: Any = broken
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
        tried += 1
        try:
            engine.evaluate(broken, as_of=as_of_for(case)).to_dict()
        except CaseError as exc:
            assert exc.findings
    assert tried > 10


def test_hostile_bytes_in_a_local_policy(tmp_path: Path) -> None:
    tried = 0
    for rng in _until_budget(12):
        folder = tmp_path / f"run{tried}"
        folder.mkdir()
        (folder / "local.yaml").write_bytes(_mutate_bytes(POLICY, rng))
        records = lint([folder])  # findings, never an exception
        assert all(r.message for r in records)
        tried += 1
    assert tried >= 1
