"""A compiled result is a ``Result``: the dataclass tools work on it as on any result."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

from redress import Engine, Result

EXAMPLE = Path(__file__).parents[2] / "examples" / "EX-2025-0042.yaml"


def test_replace_gives_a_plain_result_with_the_changes() -> None:
    result = Engine.load(backend="plain").evaluate(EXAMPLE, as_of=dt.date(2025, 5, 1))
    changed = dataclasses.replace(result, deadlines=(), stage="closed")
    assert type(changed) is Result and changed.deadlines == () and changed.stage == "closed"
    assert changed.to_dict() == {**result.to_dict(), "deadlines": [], "stage": "closed"}


def test_a_copy_is_the_same_result() -> None:
    result = Engine.load(backend="plain").evaluate(EXAMPLE, as_of=dt.date(2025, 5, 1))
    assert copy.copy(result).to_dict() == result.to_dict()
    assert copy.copy(result).to_dict(form="lean") == result.to_dict(form="lean")
