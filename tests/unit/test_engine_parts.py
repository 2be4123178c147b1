"""An engine's own working parts (what a case's evaluation carries, the compiled limits and
windows, the case's decoding types) are ``msgspec`` structs, not dataclasses: a dataclass writes
and compiles its methods when its module is imported, a cost every start of the command line
paid.  They keep what the engine relies on: fields by name and position, equality by value,
immutability where it was frozen, and a fresh container for each default."""

from __future__ import annotations

import dataclasses
import datetime as dt

import msgspec
import pytest

from redress.evaluation.case_checks import _Replay
from redress.evaluation.case_types import CaseTypes, Members
from redress.evaluation.limits import LimitCode
from redress.evaluation.steps import Context, _Case
from redress.evaluation.timeline import WindowCode

FROZEN = (Context, LimitCode, WindowCode, CaseTypes, Members)
CHANGING = (_Case, _Replay)


@pytest.mark.parametrize("cls", FROZEN + CHANGING, ids=lambda c: c.__name__)
def test_each_part_is_a_struct_not_a_dataclass(cls: type) -> None:
    assert issubclass(cls, msgspec.Struct) and not dataclasses.is_dataclass(cls)
    assert cls.__struct_config__.frozen == (cls in FROZEN)


def test_a_frozen_part_cannot_be_changed_and_compares_by_value() -> None:
    members = Members({"a": (int, None)})
    assert members == Members(types={"a": (int, None)})
    with pytest.raises(AttributeError):
        members.types = {}  # type: ignore[misc]


def test_each_replay_gets_its_own_containers() -> None:
    day = dt.date(2025, 1, 6)
    first, second = _Replay(day, {}, {}), _Replay(day, {}, {})
    first.requests["stage2"] = day
    first.responses.add("stage1")
    assert second.requests == {} and second.responses == set()
    assert not first.deferred and first.panel_met is None
